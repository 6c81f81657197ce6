//! Transactions, receipts and statuses from the index; a transaction this server submitted that
//! still waits in the pool reads as `RECEIVED` (see `submit`); receipts and statuses of blocks
//! settled on L1 read `ACCEPTED_ON_L1` (`l1`).
use crate::{unexpected, Result, Starknet};
use cairn_index::{IndexedBlock, StarknetClient};
use cairn_primitives::starknet::Felt;
use cairn_rpc_api::{
	types::{
		BlockId, TxnFinalityStatus, TxnReceiptWithBlockInfo, TxnStatus, TxnStatusResult,
		TxnWithHash,
	},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::Block as BlockT;

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// Where a transaction is: looked up in the index, after indexing up to the best block.
	async fn locate(&self, tx_hash: Felt) -> Result<(IndexedBlock, usize)> {
		let mut location = self.index.transaction(tx_hash).map_err(unexpected)?;
		if location.is_none() {
			self.indexed_at(self.client.info().best_hash).await?;
			location = self.index.transaction(tx_hash).map_err(unexpected)?;
		}
		let location = location.ok_or(StarknetError::TxnHashNotFound)?;
		let block = self.indexed_at(location.block).await?;
		Ok((block, location.index as usize))
	}

	/// Where a transaction is, or the error for a transaction that is not in a block:
	/// `if_received` when it waits in the pool, TXN_HASH_NOT_FOUND otherwise.
	pub(crate) async fn locate_or(
		&self,
		tx_hash: Felt,
		if_received: StarknetError,
	) -> Result<(IndexedBlock, usize)> {
		match self.locate(tx_hash).await {
			Err(StarknetError::TxnHashNotFound) if self.is_received(tx_hash) => Err(if_received),
			Err(StarknetError::TxnHashNotFound) => Err(StarknetError::TxnHashNotFound),
			Ok(found) => {
				self.forget_received(tx_hash);
				Ok(found)
			}
			Err(other) => Err(other),
		}
	}

	/// `starknet_getTransactionReceipt`.
	pub(crate) async fn transaction_receipt(
		&self,
		transaction_hash: Felt,
	) -> Result<TxnReceiptWithBlockInfo> {
		let (block, index) = self.locate(transaction_hash).await?;
		Ok(self.receipt(&block, index))
	}

	/// `starknet_getTransactionStatus`.
	pub(crate) async fn transaction_status(
		&self,
		transaction_hash: Felt,
	) -> Result<TxnStatusResult> {
		let located = self.locate_or(transaction_hash, StarknetError::NoTraceAvailable).await;
		let (block, index) = match located {
			Err(StarknetError::NoTraceAvailable) => return Ok(TxnStatusResult::received()),
			other => other?,
		};
		let mut status = TxnStatusResult::accepted(&block.transactions[index].receipt);
		if self.finality_at(block.number) == TxnFinalityStatus::AcceptedOnL1 {
			status.finality_status = TxnStatus::AcceptedOnL1;
		}
		Ok(status)
	}

	/// `starknet_getTransactionByHash`.
	pub(crate) async fn transaction_by_hash(&self, transaction_hash: Felt) -> Result<TxnWithHash> {
		let (block, index) = self.locate(transaction_hash).await?;
		let tx = &block.transactions[index];
		Ok(TxnWithHash::new(&tx.transaction, tx.receipt.tx_hash))
	}

	/// `starknet_getTransactionByBlockIdAndIndex`.
	pub(crate) async fn transaction_by_block_id_and_index(
		&self,
		block_id: BlockId,
		index: u64,
	) -> Result<TxnWithHash> {
		let block = self.indexed(block_id).await?;
		let tx = usize::try_from(index)
			.ok()
			.and_then(|index| block.transactions.get(index))
			.ok_or(StarknetError::InvalidTxnIndex)?;
		Ok(TxnWithHash::new(&tx.transaction, tx.receipt.tx_hash))
	}

	/// The receipt of the `index`-th transaction of an indexed block, `ACCEPTED_ON_L1` once the
	/// block is settled there.
	pub(crate) fn receipt(&self, block: &IndexedBlock, index: usize) -> TxnReceiptWithBlockInfo {
		let mut receipt = receipt(block, index);
		receipt.receipt.finality_status = self.finality_at(block.number);
		receipt
	}
}

/// `TXN_RECEIPT_WITH_BLOCK_INFO` of the `index`-th transaction of an indexed block, as accepted
/// on L2 (what a subscriber to new blocks is sent; [`Starknet::receipt`] adds L1 settlement).
pub(crate) fn receipt(block: &IndexedBlock, index: usize) -> TxnReceiptWithBlockInfo {
	let tx = &block.transactions[index];
	let mut receipt = cairn_rpc_api::types::TxnReceipt::from(&tx.receipt);
	if let cairn_primitives::starknet::Transaction::L1Handler(l1_handler) = &tx.transaction {
		receipt.message_hash = cairn_primitives::starknet::l1::l1_handler_message_hash(l1_handler)
			.map(|hash| cairn_primitives::hex(&hash));
	}
	TxnReceiptWithBlockInfo { receipt, block_hash: block.block_hash, block_number: block.number }
}

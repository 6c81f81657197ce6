//! What the server knows of L1 ([`L1View`], which the node gives with [`Starknet::with_l1`]
//! when it follows one): the last block settled there — `l1_accepted` and the
//! `ACCEPTED_ON_L1` statuses — and the messages to L2 an L1 transaction sent, for
//! `starknet_getMessagesStatus`. Without it the node reads no L1: `l1_accepted` is the finalized
//! block, statuses stop at `ACCEPTED_ON_L2` and no L1 transaction is known.
use crate::{unexpected, Result, Starknet};
use cairn_executor::TransactionExt;
use cairn_index::StarknetClient;
use cairn_primitives::starknet::{l1::L1Message, Transaction};
use cairn_rpc_api::{
	types::{L1TxnHash, MessageStatus, TxnExecutionStatus, TxnFinalityStatus, TxnStatusResult},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// The node's view of its L1.
#[async_trait::async_trait]
pub trait L1View: Send + Sync {
	/// Whether the node follows an L1 now (a development chain may load one at run time).
	fn follows(&self) -> bool;
	/// The last L2 block the core contract holds as settled (`None`: not read yet).
	fn settled(&self) -> Option<u64>;
	/// A receiver that changes whenever the settled block does (what moves the WebSocket
	/// transaction statuses on to `ACCEPTED_ON_L1`).
	fn watch_settled(&self) -> tokio::sync::watch::Receiver<u64>;
	/// The messages to L2 the L1 transaction `hash` sent, in order (`None`: no such
	/// transaction on L1, or not confirmed yet).
	async fn messages_of(
		&self,
		hash: [u8; 32],
	) -> std::result::Result<Option<Vec<L1Message>>, String>;
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// The server with `l1`'s view of the node's L1.
	pub fn with_l1(mut self, l1: Arc<dyn L1View>) -> Self {
		self.l1 = Some(l1);
		self
	}

	/// The last block settled on L1, when the node follows an L1 (`Some(None)`: it does, and
	/// has not read the settled state yet).
	pub(crate) fn l1_settled(&self) -> Option<Option<u64>> {
		self.l1.as_ref().filter(|l1| l1.follows()).map(|l1| l1.settled())
	}

	/// The finality of a transaction or block at height `number`: on L1 once settled there.
	pub(crate) fn finality_at(&self, number: u64) -> TxnFinalityStatus {
		match self.l1_settled() {
			Some(Some(settled)) if number <= settled => TxnFinalityStatus::AcceptedOnL1,
			_ => TxnFinalityStatus::AcceptedOnL2,
		}
	}

	/// `starknet_getMessagesStatus`: the `l1_handler` transactions the messages of an L1
	/// transaction became, those in a block, with their statuses.
	pub(crate) async fn messages_status(&self, hash: &L1TxnHash) -> Result<Vec<MessageStatus>> {
		let l1 = self.l1.as_ref().ok_or(StarknetError::TxnHashNotFound)?;
		let hash = l1_transaction_hash(hash).ok_or(StarknetError::TxnHashNotFound)?;
		let messages = l1
			.messages_of(hash)
			.await
			.map_err(unexpected)?
			.filter(|messages| !messages.is_empty())
			.ok_or(StarknetError::TxnHashNotFound)?;
		let chain_id = self.chain_id_at(self.client.info().best_hash)?;
		let mut statuses = Vec::new();
		for message in messages {
			let tx_hash = Transaction::L1Handler(message.transaction())
				.hash(&chain_id, false)
				.map_err(unexpected)?;
			let status = self.transaction_status(tx_hash).await?;
			let TxnStatusResult { finality_status, execution_status, failure_reason } = status;
			let (Some(finality_status), Some(execution_status)) =
				(finality(finality_status), execution_status)
			else {
				continue;
			};
			statuses.push(MessageStatus {
				transaction_hash: tx_hash,
				finality_status,
				execution_status,
				failure_reason: failure_reason
					.filter(|_| execution_status == TxnExecutionStatus::Reverted),
			});
		}
		if statuses.is_empty() {
			return Err(StarknetError::TxnHashNotFound);
		}
		Ok(statuses)
	}
}

/// A transaction's status as a finality status (`None`: not in a block).
fn finality(status: cairn_rpc_api::types::TxnStatus) -> Option<TxnFinalityStatus> {
	use cairn_rpc_api::types::TxnStatus;
	match status {
		TxnStatus::AcceptedOnL2 => Some(TxnFinalityStatus::AcceptedOnL2),
		TxnStatus::AcceptedOnL1 => Some(TxnFinalityStatus::AcceptedOnL1),
		TxnStatus::PreConfirmed => Some(TxnFinalityStatus::PreConfirmed),
		TxnStatus::Received | TxnStatus::Candidate => None,
	}
}

/// `L1_TXN_HASH`: `0x` and 64 hex digits.
fn l1_transaction_hash(hash: &L1TxnHash) -> Option<[u8; 32]> {
	let text = hash.0.as_str()?;
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))?;
	if digits.len() != 64 {
		return None;
	}
	let mut bytes = [0u8; 32];
	for (i, byte) in bytes.iter_mut().enumerate() {
		*byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).ok()?;
	}
	Some(bytes)
}

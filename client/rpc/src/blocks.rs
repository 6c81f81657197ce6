//! Blocks from the index: the three block shapes (with transaction hashes, transactions, or
//! transactions and receipts), transaction counts, the newest block, and state updates. The
//! `pre_confirmed` block is the block being built on the best block: its number, the time now
//! and the chain's prices, and no transactions (Cairn executes when it seals).
use crate::{unexpected, Result, Starknet};
use cairn_index::{IndexedBlock, StarknetClient};
use cairn_primitives::starknet::{exec, runtime_api::StarknetRuntimeApi, Felt};
use cairn_rpc_api::{
	types::{
		Block, BlockHashAndNumber, BlockHeader, BlockId, BlockStatus, L1DaMode,
		MaybePreConfirmedBlock, MaybePreConfirmedStateUpdate, PreConfirmedBlock,
		PreConfirmedBlockHeader, PreConfirmedStateUpdate, ResourcePrice, StateUpdate,
		TransactionAndReceipt, TxnFinalityStatus, TxnWithHash,
	},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto};

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// `starknet_blockNumber`.
	pub(crate) fn block_number(&self) -> Result<u64> {
		self.client.info().best_number.try_into().map_err(|_| unexpected("block number"))
	}

	/// `starknet_blockHashAndNumber`.
	pub(crate) async fn block_hash_and_number(&self) -> Result<BlockHashAndNumber> {
		let block = self.indexed(BlockId::Latest).await?;
		Ok(BlockHashAndNumber { block_hash: block.block_hash, block_number: block.number })
	}

	/// The block a block id names with its transactions as `body` writes them, or the
	/// pre-confirmed block.
	async fn block_with<T>(
		&self,
		block_id: BlockId,
		body: impl FnOnce(&IndexedBlock) -> Vec<T>,
	) -> Result<MaybePreConfirmedBlock<T>> {
		if block_id == BlockId::PreConfirmed {
			let header = self.pre_confirmed_header()?;
			return Ok(MaybePreConfirmedBlock::PreConfirmed(PreConfirmedBlock {
				header,
				transactions: Vec::new(),
			}));
		}
		let block = self.indexed(block_id).await?;
		Ok(MaybePreConfirmedBlock::Block(Block {
			status: match self.finality_at(block.number) {
				TxnFinalityStatus::AcceptedOnL1 => BlockStatus::AcceptedOnL1,
				_ => BlockStatus::AcceptedOnL2,
			},
			header: header(&block),
			transactions: body(&block),
		}))
	}

	/// `starknet_getBlockWithTxHashes`.
	pub(crate) async fn block_with_tx_hashes(
		&self,
		block_id: BlockId,
	) -> Result<MaybePreConfirmedBlock<Felt>> {
		self.block_with(block_id, |block| {
			block.transactions.iter().map(|tx| tx.receipt.tx_hash).collect()
		})
		.await
	}

	/// `starknet_getBlockWithTxs`.
	pub(crate) async fn block_with_txs(
		&self,
		block_id: BlockId,
	) -> Result<MaybePreConfirmedBlock<TxnWithHash>> {
		self.block_with(block_id, |block| {
			block
				.transactions
				.iter()
				.map(|tx| TxnWithHash::new(&tx.transaction, tx.receipt.tx_hash))
				.collect()
		})
		.await
	}

	/// `starknet_getBlockWithReceipts`.
	pub(crate) async fn block_with_receipts(
		&self,
		block_id: BlockId,
	) -> Result<MaybePreConfirmedBlock<TransactionAndReceipt>> {
		self.block_with(block_id, |block| {
			block
				.transactions
				.iter()
				.enumerate()
				.map(|(index, tx)| {
					let receipt = self.receipt(block, index).receipt;
					TransactionAndReceipt {
						transaction: TxnWithHash::new(&tx.transaction, tx.receipt.tx_hash),
						receipt,
					}
				})
				.collect()
		})
		.await
	}

	/// `starknet_getBlockTransactionCount`.
	pub(crate) async fn block_transaction_count(&self, block_id: BlockId) -> Result<u64> {
		if block_id == BlockId::PreConfirmed {
			return Ok(0);
		}
		Ok(self.indexed(block_id).await?.transactions.len() as u64)
	}

	/// `starknet_getStateUpdate`: the block's merged diff, optionally only some contracts'.
	pub(crate) async fn state_update(
		&self,
		block_id: BlockId,
		contract_addresses: Option<Vec<Felt>>,
	) -> Result<MaybePreConfirmedStateUpdate> {
		if block_id == BlockId::PreConfirmed {
			// Nothing executed in the block being built: an empty diff.
			let empty = self.state_diff(&exec::StateDiff::default(), None, |_| true);
			let best = self.client.info().best_hash;
			let best = self.indexed_at(best).await?;
			return Ok(MaybePreConfirmedStateUpdate::PreConfirmed(PreConfirmedStateUpdate {
				old_root: best.header.state_root,
				state_diff: empty,
			}));
		}
		let hash = self.block(block_id)?;
		let block = self.indexed_at(hash).await?;
		let header =
			self.client.header(hash).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)?;
		let parent = (block.number > 0).then(|| *header.parent_hash());
		let old_root = match parent {
			Some(parent) => self.indexed_at(parent).await?.header.state_root,
			None => Felt::ZERO,
		};
		let wanted =
			|address: &Felt| contract_addresses.as_ref().is_none_or(|a| a.contains(address));
		Ok(MaybePreConfirmedStateUpdate::Block(StateUpdate {
			block_hash: block.block_hash,
			old_root,
			new_root: block.header.state_root,
			state_diff: self.state_diff(&block.state_diff, parent, wanted),
		}))
	}

	/// The spec's `PRE_CONFIRMED_BLOCK_HEADER` of the block being built on the best block: its
	/// number, the time now and the chain's prices.
	fn pre_confirmed_header(&self) -> Result<PreConfirmedBlockHeader> {
		let best = self.client.info();
		let config = self.client.runtime_api().chain_config(best.best_hash).map_err(unexpected)?;
		let number: u64 = best.best_number.unique_saturated_into();
		let prices = &config.gas_prices;
		let now = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map_err(unexpected)?
			.as_secs();
		Ok(PreConfirmedBlockHeader {
			block_number: number + 1,
			timestamp: now,
			sequencer_address: config.sequencer_address,
			l1_gas_price: ResourcePrice::new(prices.l1_gas_price_fri, prices.l1_gas_price_wei),
			l2_gas_price: ResourcePrice::new(prices.l2_gas_price_fri, prices.l2_gas_price_wei),
			l1_data_gas_price: ResourcePrice::new(
				prices.l1_data_gas_price_fri,
				prices.l1_data_gas_price_wei,
			),
			l1_da_mode: L1DaMode::of(config.use_kzg_da),
			starknet_version: String::from_utf8_lossy(&config.starknet_version).into_owned(),
		})
	}
}

/// `BLOCK_HEADER` of an indexed block.
pub(crate) fn header(block: &IndexedBlock) -> BlockHeader {
	let header = &block.header;
	let prices = &header.gas_prices;
	let commitments = &block.commitments;
	BlockHeader {
		block_hash: block.block_hash,
		parent_hash: block.parent_hash,
		block_number: block.number,
		new_root: header.state_root,
		timestamp: header.timestamp,
		sequencer_address: header.sequencer_address,
		l1_gas_price: ResourcePrice::new(prices.l1_gas_price_fri, prices.l1_gas_price_wei),
		l2_gas_price: ResourcePrice::new(prices.l2_gas_price_fri, prices.l2_gas_price_wei),
		l1_data_gas_price: ResourcePrice::new(
			prices.l1_data_gas_price_fri,
			prices.l1_data_gas_price_wei,
		),
		l1_da_mode: L1DaMode::of(block.use_kzg_da),
		starknet_version: String::from_utf8_lossy(&header.starknet_version).into_owned(),
		event_commitment: commitments.event_commitment,
		transaction_commitment: commitments.transaction_commitment,
		receipt_commitment: commitments.receipt_commitment,
		state_diff_commitment: commitments.state_diff_commitment,
		event_count: commitments.event_count,
		transaction_count: commitments.transaction_count,
		state_diff_length: commitments.state_diff_length,
	}
}

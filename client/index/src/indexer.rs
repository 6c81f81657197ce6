//! Indexing: a block's Starknet header, receipts and state diffs are read from the pallet's
//! storage at the block, its Starknet transactions are matched to their receipts by hash, its
//! block hash is computed ([`crate::block_hash`]), and all of it is written to the aux DB in one
//! batch.
//!
//! Blocks are indexed when imported (the background task [`run`] follows import notifications),
//! and on demand: [`Index::block`] first indexes the block asked for and its unindexed ancestors,
//! so an index lost or never written is rebuilt from the chain.
use crate::{
	schema::{
		key, Commitments, IndexedBlock, IndexedTransaction, TransactionLocation, BLOCK, BY_HASH,
		BY_TX,
	},
	Index, Result, StarknetClient,
};
use cairn_executor::TransactionExt;
use cairn_primitives::starknet::{
	exec::{ChainConfig, Receipt, StarknetHeader, StateDiff},
	runtime_api::StarknetRuntimeApi,
	storage, Felt, Transaction,
};
use codec::Encode;
use futures::StreamExt;
use sc_client_api::{backend::Backend, BlockchainEvents};
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto, Zero};
use std::collections::HashMap;

impl<B, C, BE> Index<B, C, BE>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
{
	/// Block `hash`, indexing it (and its unindexed ancestors) first if needed.
	pub async fn block(&self, hash: B::Hash) -> Result<IndexedBlock> {
		let mut unindexed = Vec::new();
		let mut cursor = hash;
		let mut parent = loop {
			if let Some(block) = self.indexed(cursor)? {
				break Some(block);
			}
			let header = self
				.client
				.header(cursor)
				.map_err(|e| e.to_string())?
				.ok_or_else(|| format!("unknown block {cursor:?}"))?;
			unindexed.push(cursor);
			if header.number().is_zero() {
				break None;
			}
			cursor = *header.parent_hash();
		};
		while let Some(next) = unindexed.pop() {
			parent = Some(self.index(next, parent.as_ref()).await?);
		}
		parent.ok_or_else(|| "nothing indexed".to_string())
	}

	async fn index(&self, hash: B::Hash, parent: Option<&IndexedBlock>) -> Result<IndexedBlock> {
		let header = self
			.client
			.header(hash)
			.map_err(|e| e.to_string())?
			.ok_or_else(|| format!("unknown block {hash:?}"))?;
		let number: u64 = (*header.number()).unique_saturated_into();
		let starknet_header: StarknetHeader = self
			.state(hash, storage::header_key(number))?
			.ok_or_else(|| format!("block {number} has no Starknet header"))?;
		let receipts: Vec<Receipt> =
			self.state(hash, storage::value_key(storage::RECEIPTS))?.unwrap_or_default();
		let diffs: Vec<StateDiff> =
			self.state(hash, storage::value_key(storage::STATE_DIFFS))?.unwrap_or_default();
		let api = self.client.runtime_api();
		let config: ChainConfig = api.chain_config(hash).map_err(|e| e.to_string())?;
		let transactions = if receipts.is_empty() {
			Vec::new()
		} else {
			let body = self.client.block_body(hash).map_err(|e| e.to_string())?.unwrap_or_default();
			let chain_id = starknet_api::core::ChainId::from(
				String::from_utf8_lossy(&config.chain_id).into_owned(),
			);
			let mut by_hash: HashMap<Felt, Transaction> = HashMap::new();
			for tx in api.transactions(hash, body).map_err(|e| e.to_string())? {
				let tx_hash = tx.hash(&chain_id, false).map_err(|e| e.to_string())?;
				by_hash.insert(tx_hash, tx);
			}
			receipts
				.into_iter()
				.map(|receipt| {
					let transaction = by_hash.remove(&receipt.tx_hash).ok_or_else(|| {
						format!("block {number}: no transaction for receipt {:?}", receipt.tx_hash)
					})?;
					Ok(IndexedTransaction { transaction, receipt })
				})
				.collect::<Result<Vec<_>>>()?
		};
		let state_diff = StateDiff::merged(diffs);
		let parent_hash = starknet_header.parent_hash;
		if let Some(parent) = parent {
			if parent.block_hash != parent_hash {
				return Err(format!(
					"block {number}'s Starknet parent hash {parent_hash:?} is not block {}'s hash {:?}",
					parent.number, parent.block_hash
				));
			}
		}
		let block_hash = starknet_header.block_hash;
		let commitments = Commitments {
			transaction_commitment: starknet_header.commitments.transaction_commitment,
			event_commitment: starknet_header.commitments.event_commitment,
			receipt_commitment: starknet_header.commitments.receipt_commitment,
			state_diff_commitment: starknet_header.commitments.state_diff_commitment,
			event_count: transactions.iter().map(|tx| tx.receipt.events.len() as u64).sum(),
			transaction_count: transactions.len() as u64,
			state_diff_length: starknet_header.commitments.state_diff_length,
		};
		let block = IndexedBlock {
			number,
			block_hash,
			parent_hash,
			header: starknet_header,
			use_kzg_da: config.use_kzg_da,
			commitments,
			transactions,
			state_diff,
		};
		let block_key = key(BLOCK, hash.as_ref());
		let by_hash_key = key(BY_HASH, &block_hash.to_bytes());
		let encoded_block = block.encode();
		let encoded_hash = hash.encode();
		let locations: Vec<(Vec<u8>, Vec<u8>)> = block
			.transactions
			.iter()
			.enumerate()
			.map(|(index, tx)| {
				let location = TransactionLocation { block: hash, index: index as u32 };
				(key(BY_TX, &tx.receipt.tx_hash.to_bytes()), location.encode())
			})
			.collect();
		let mut writes: Vec<(&[u8], &[u8])> = vec![
			(block_key.as_slice(), encoded_block.as_slice()),
			(by_hash_key.as_slice(), encoded_hash.as_slice()),
		];
		writes.extend(locations.iter().map(|(k, v)| (k.as_slice(), v.as_slice())));
		self.client.insert_aux(&writes, &[]).map_err(|e| e.to_string())?;
		Ok(block)
	}
}

/// Index every block as it is imported (and the chain so far, at start-up). Runs until the
/// client's import stream ends; failures are logged and retried with the next block.
pub async fn run<B, C, BE>(index: Index<B, C, BE>)
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE> + BlockchainEvents<B>,
{
	let mut imports = index.client.import_notification_stream();
	let best = index.client.info().best_hash;
	if let Err(e) = index.block(best).await {
		log::warn!(target: "starknet-index", "cannot index the chain up to {best:?}: {e}");
	}
	while let Some(notification) = imports.next().await {
		if let Err(e) = index.block(notification.hash).await {
			log::warn!(target: "starknet-index", "cannot index block {:?}: {e}", notification.hash);
		}
	}
}

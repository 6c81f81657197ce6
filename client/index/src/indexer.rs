//! Indexing: a block's Starknet header, receipts and state diffs are read from the pallet's
//! storage at the block, its Starknet transactions are matched to their receipts by hash, its
//! block hash is computed ([`crate::block_hash`]), and all of it is written to the aux DB in one
//! batch.
//!
//! Blocks are indexed when imported (the background task [`run`] follows import notifications),
//! and on demand: [`Index::block`] first indexes the block asked for and its unindexed ancestors,
//! so an index lost or never written is rebuilt from the chain.
use crate::{
	schema::{key, IndexedBlock, IndexedTransaction, TransactionLocation, BLOCK, BY_HASH, BY_TX},
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
use std::collections::{BTreeMap, HashMap};

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
		let state_diff = merge(diffs);
		let parent_hash = parent.map(|p| p.block_hash).unwrap_or(Felt::ZERO);
		let (block_hash, commitments) = crate::block_hash::compute(
			number,
			&starknet_header,
			config.use_kzg_da,
			&transactions,
			&state_diff,
			parent_hash,
		)
		.await?;
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

/// One block's state diff from its transactions' diffs (later writes win), each part sorted by
/// key.
pub fn merge(diffs: Vec<StateDiff>) -> StateDiff {
	let mut storage = BTreeMap::new();
	let mut nonces = BTreeMap::new();
	let mut class_hashes = BTreeMap::new();
	let mut compiled_class_hashes = BTreeMap::new();
	for diff in diffs {
		storage.extend(diff.storage.into_iter().map(|(c, k, v)| ((c, k), v)));
		nonces.extend(diff.nonces);
		class_hashes.extend(diff.class_hashes);
		compiled_class_hashes.extend(diff.compiled_class_hashes);
	}
	StateDiff {
		storage: storage.into_iter().map(|((c, k), v)| (c, k, v)).collect(),
		nonces: nonces.into_iter().collect(),
		class_hashes: class_hashes.into_iter().collect(),
		compiled_class_hashes: compiled_class_hashes.into_iter().collect(),
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

#[cfg(test)]
mod tests {
	use super::merge;
	use cairn_primitives::starknet::{exec::StateDiff, Felt};

	fn felt(value: u128) -> Felt {
		Felt::from(value)
	}

	#[test]
	fn merge_of_nothing_is_empty() {
		assert_eq!(merge(Vec::new()), StateDiff::default());
		assert_eq!(merge(vec![StateDiff::default(), StateDiff::default()]), StateDiff::default());
	}

	#[test]
	fn merge_keeps_the_last_write_of_each_key() {
		let first = StateDiff {
			storage: vec![(felt(1), felt(10), felt(100)), (felt(2), felt(10), felt(200))],
			nonces: vec![(felt(1), felt(1))],
			class_hashes: vec![(felt(3), felt(30))],
			compiled_class_hashes: vec![(felt(30), felt(300))],
		};
		let second = StateDiff {
			storage: vec![(felt(1), felt(10), felt(101)), (felt(1), felt(11), felt(110))],
			nonces: vec![(felt(1), felt(2)), (felt(2), felt(1))],
			class_hashes: vec![(felt(3), felt(31))],
			compiled_class_hashes: vec![(felt(31), felt(310))],
		};
		assert_eq!(
			merge(vec![first, second]),
			StateDiff {
				storage: vec![
					(felt(1), felt(10), felt(101)),
					(felt(1), felt(11), felt(110)),
					(felt(2), felt(10), felt(200)),
				],
				nonces: vec![(felt(1), felt(2)), (felt(2), felt(1))],
				class_hashes: vec![(felt(3), felt(31))],
				compiled_class_hashes: vec![(felt(30), felt(300)), (felt(31), felt(310))],
			}
		);
	}

	#[test]
	fn merge_sorts_by_key() {
		// Storage is keyed by (contract, key): a contract's cells come together, keys ascending.
		let diffs = vec![
			StateDiff {
				storage: vec![(felt(9), felt(1), felt(1)), (felt(2), felt(5), felt(1))],
				nonces: vec![(felt(9), felt(1))],
				..Default::default()
			},
			StateDiff {
				storage: vec![(felt(2), felt(3), felt(1)), (felt(9), felt(0), felt(1))],
				nonces: vec![(felt(2), felt(1))],
				..Default::default()
			},
		];
		let merged = merge(diffs);
		let cells: Vec<(Felt, Felt)> = merged.storage.iter().map(|(c, k, _)| (*c, *k)).collect();
		assert_eq!(
			cells,
			vec![(felt(2), felt(3)), (felt(2), felt(5)), (felt(9), felt(0)), (felt(9), felt(1))]
		);
		assert_eq!(merged.nonces, vec![(felt(2), felt(1)), (felt(9), felt(1))]);
	}
}

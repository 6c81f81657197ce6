//! Indexing: a block's Starknet header, receipts and state diffs are read from the pallet's
//! storage after the block ([`BlockState`]: the node's state, or a replayed one), its Starknet
//! transactions are matched to their receipts by hash, and all of it is written to the index
//! database in one commit.
//!
//! Blocks are indexed as they are imported ([`crate::import`]; the task [`run`] follows import
//! notifications too) and on demand: [`Index::block`] first indexes the block asked for and its
//! unindexed ancestors whose state the node still holds. Below those, the index is rebuilt at
//! start ([`crate::replay`]).
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
use codec::{Decode, Encode};
use futures::StreamExt;
use sc_client_api::{backend::Backend, BlockchainEvents};
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto};
use std::collections::HashMap;

/// The state a block is indexed from: the chain's storage right after the block, and the
/// runtime's Starknet API over it.
pub trait BlockState<B: BlockT> {
	/// The storage value under `key`.
	fn storage(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>>;
	/// The chain's Starknet configuration.
	fn chain_config(&self) -> Result<ChainConfig>;
	/// The Starknet transactions among `extrinsics`, in order.
	fn transactions(&self, extrinsics: Vec<B::Extrinsic>) -> Result<Vec<Transaction>>;
}

/// The node's own state at block `at`.
struct NodeState<'a, B: BlockT, C, BE> {
	index: &'a Index<B, C, BE>,
	at: B::Hash,
}

impl<B, C, BE> BlockState<B> for NodeState<'_, B, C, BE>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
{
	fn storage(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>> {
		let value = self.index.client.storage(self.at, &sc_client_api::StorageKey(key));
		value.map(|value| value.map(|data| data.0)).map_err(|e| e.to_string())
	}

	fn chain_config(&self) -> Result<ChainConfig> {
		self.index.client.runtime_api().chain_config(self.at).map_err(|e| e.to_string())
	}

	fn transactions(&self, extrinsics: Vec<B::Extrinsic>) -> Result<Vec<Transaction>> {
		let api = self.index.client.runtime_api();
		api.transactions(self.at, extrinsics).map_err(|e| e.to_string())
	}
}

fn decoded<T: Decode>(bytes: Option<Vec<u8>>) -> Result<Option<T>> {
	bytes.map(|bytes| T::decode(&mut &bytes[..]).map_err(|e| e.to_string())).transpose()
}

impl<B, C, BE> Index<B, C, BE>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
{
	/// Block `hash`, indexing it (and its unindexed ancestors) first if needed.
	pub async fn block(&self, hash: B::Hash) -> Result<IndexedBlock> {
		self.find_block(hash).await?.ok_or_else(|| {
			format!("block {hash:?} was never indexed and the node no longer holds its state")
		})
	}

	/// Block `hash`, indexing it and its unindexed ancestors whose state the node holds first.
	/// `None`: it is not indexed and its state is gone — a block before a warp-sync point (see
	/// [`crate::replay`] for what the node rebuilds at start).
	pub async fn find_block(&self, hash: B::Hash) -> Result<Option<IndexedBlock>> {
		self.catch_up(hash)
	}

	/// [`Index::find_block`], synchronously.
	pub(crate) fn catch_up(&self, hash: B::Hash) -> Result<Option<IndexedBlock>> {
		let mut unindexed = Vec::new();
		let mut cursor = hash;
		let mut parent = loop {
			if let Some(block) = self.indexed(cursor)? {
				break Some(block);
			}
			let Some(header) = self.client.header(cursor).map_err(|e| e.to_string())? else {
				if unindexed.is_empty() {
					return Err(format!("unknown block {cursor:?}"));
				}
				break None;
			};
			let number: u64 = (*header.number()).unique_saturated_into();
			if !self.has_state(cursor, number) {
				if unindexed.is_empty() {
					return Ok(None);
				}
				// The lowest block with state is indexed without its parent (a warp-sync point).
				break None;
			}
			let parent_hash = *header.parent_hash();
			unindexed.push((cursor, header));
			if number == 0 {
				break None;
			}
			cursor = parent_hash;
		};
		while let Some((next, header)) = unindexed.pop() {
			let state = NodeState { index: self, at: next };
			let body = || {
				self.client
					.block_body(next)
					.map_err(|e| e.to_string())?
					.ok_or_else(|| format!("block {next:?} has no body"))
			};
			let block = build(&header, &state, body, parent.as_ref())?;
			self.write(next, &block)?;
			parent = Some(block);
		}
		Ok(parent)
	}

	/// Writes indexed block `hash` and its lookups in one commit.
	pub(crate) fn write(&self, hash: B::Hash, block: &IndexedBlock) -> Result<()> {
		let _serialised = self.writes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let mut changes = vec![
			(key(BLOCK, hash.as_ref()), Some(block.encode())),
			(key(BY_HASH, &block.block_hash.to_bytes()), Some(hash.encode())),
		];
		for (index, tx) in block.transactions.iter().enumerate() {
			let tx_key = key(BY_TX, &tx.receipt.tx_hash.to_bytes());
			let mut locations: Vec<TransactionLocation<B::Hash>> =
				self.lookup(&tx_key)?.unwrap_or_default();
			let location = TransactionLocation { block: hash, index: index as u32 };
			if !locations.contains(&location) {
				locations.push(location);
			}
			changes.push((tx_key, Some(locations.encode())));
		}
		self.db.commit(changes)
	}
}

/// The indexed block of `header`, read from `state` (the state right after it); `body` is
/// asked for only if the block has Starknet transactions. `parent`, when indexed, must be the
/// block's Starknet parent.
pub(crate) fn build<B: BlockT>(
	header: &B::Header,
	state: &dyn BlockState<B>,
	body: impl FnOnce() -> Result<Vec<B::Extrinsic>>,
	parent: Option<&IndexedBlock>,
) -> Result<IndexedBlock> {
	let number: u64 = (*header.number()).unique_saturated_into();
	let starknet_header: StarknetHeader = decoded(state.storage(storage::header_key(number))?)?
		.ok_or_else(|| format!("block {number} has no Starknet header"))?;
	let receipts: Vec<Receipt> =
		decoded(state.storage(storage::value_key(storage::RECEIPTS))?)?.unwrap_or_default();
	let diffs: Vec<StateDiff> =
		decoded(state.storage(storage::value_key(storage::STATE_DIFFS))?)?.unwrap_or_default();
	let config = state.chain_config()?;
	let transactions = if receipts.is_empty() {
		Vec::new()
	} else {
		let chain_id = starknet_api::core::ChainId::from(
			String::from_utf8_lossy(&config.chain_id).into_owned(),
		);
		let mut by_hash: HashMap<Felt, Transaction> = HashMap::new();
		for tx in state.transactions(body()?)? {
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
	Ok(IndexedBlock {
		number,
		block_hash,
		parent_hash,
		header: starknet_header,
		use_kzg_da: config.use_kzg_da,
		commitments,
		transactions,
		state_diff,
	})
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

//! The Starknet index, in the node's own database (Substrate's auxiliary storage): per block its
//! Starknet hash and commitments, its transactions with their receipts and its state diff; and the
//! lookups Starknet block hash → block and transaction hash → (block, index). Reads of blocks,
//! transactions and receipts are lookups in it, never re-executions.
//!
//! Blocks are indexed when imported (a background task follows import notifications, see
//! [`run`]), and on demand: any lookup of a block not yet indexed first indexes it and its
//! unindexed ancestors, so an index lost or never written is rebuilt from the chain.
//!
//! **Starknet block hashes** are computed as Starknet 0.14 computes them (`starknet_api`'s
//! block-hash calculator: transaction, event, receipt and state-diff commitments, gas prices,
//! sequencer, timestamp, version, parent hash) with one documented placeholder: the global state
//! root is 0, because Cairn keeps no Starknet state commitment yet.
use crate::StarknetClient;
use cairn_primitives::starknet::{
	exec::{ChainConfig, Receipt, StarknetHeader, StateDiff},
	runtime_api::StarknetRuntimeApi,
	storage, Felt, Transaction,
};
use codec::{Decode, Encode};
use futures::StreamExt;
use sc_client_api::{backend::Backend, BlockchainEvents};
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto, Zero};
use std::{
	collections::{BTreeMap, HashMap},
	marker::PhantomData,
	sync::Arc,
};

const BLOCK: &[u8] = b"cairn/starknet/block/";
const BY_HASH: &[u8] = b"cairn/starknet/hash/";
const BY_TX: &[u8] = b"cairn/starknet/tx/";

/// A transaction of an indexed block, with its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct IndexedTransaction {
	pub transaction: Transaction,
	pub receipt: Receipt,
}

/// The commitments in a Starknet block header.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Commitments {
	pub transaction_commitment: Felt,
	pub event_commitment: Felt,
	pub receipt_commitment: Felt,
	pub state_diff_commitment: Felt,
	pub event_count: u64,
	pub transaction_count: u64,
	pub state_diff_length: u64,
}

/// A Starknet block as the index keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct IndexedBlock {
	pub number: u64,
	pub block_hash: Felt,
	pub parent_hash: Felt,
	pub header: StarknetHeader,
	pub use_kzg_da: bool,
	pub commitments: Commitments,
	pub transactions: Vec<IndexedTransaction>,
	/// The block's merged state diff.
	pub state_diff: StateDiff,
}

/// Where a transaction is.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct TransactionLocation<H> {
	pub block: H,
	pub index: u32,
}

/// The index over a client.
pub struct Index<B, C, BE> {
	client: Arc<C>,
	_marker: PhantomData<(B, BE)>,
}

impl<B, C, BE> Clone for Index<B, C, BE> {
	fn clone(&self) -> Self {
		Index { client: self.client.clone(), _marker: PhantomData }
	}
}

type Result<T> = std::result::Result<T, String>;

fn key(prefix: &[u8], id: &[u8]) -> Vec<u8> {
	[prefix, id].concat()
}

impl<B, C, BE> Index<B, C, BE>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
{
	/// The index over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Index { client, _marker: PhantomData }
	}

	fn aux<T: Decode>(&self, key: &[u8]) -> Result<Option<T>> {
		let Some(bytes) = self.client.get_aux(key).map_err(|e| e.to_string())? else {
			return Ok(None);
		};
		T::decode(&mut &bytes[..]).map(Some).map_err(|e| format!("corrupt index entry: {e}"))
	}

	fn state<T: Decode>(&self, at: B::Hash, key: Vec<u8>) -> Result<Option<T>> {
		let Some(data) =
			self.client.storage(at, &sc_client_api::StorageKey(key)).map_err(|e| e.to_string())?
		else {
			return Ok(None);
		};
		T::decode(&mut &data.0[..]).map(Some).map_err(|e| e.to_string())
	}

	/// The indexed block `hash`, if indexed.
	pub fn indexed(&self, hash: B::Hash) -> Result<Option<IndexedBlock>> {
		self.aux(&key(BLOCK, hash.as_ref()))
	}

	/// The Substrate block of a Starknet block hash (indexed blocks only).
	pub fn block_of_starknet_hash(&self, starknet_hash: Felt) -> Result<Option<B::Hash>> {
		self.aux(&key(BY_HASH, &starknet_hash.to_bytes()))
	}

	/// Where a transaction is (indexed blocks only).
	pub fn transaction(&self, tx_hash: Felt) -> Result<Option<TransactionLocation<B::Hash>>> {
		self.aux(&key(BY_TX, &tx_hash.to_bytes()))
	}

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

/// One block's state diff from its transactions' diffs (later writes win).
fn merge(diffs: Vec<StateDiff>) -> StateDiff {
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

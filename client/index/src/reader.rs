//! The index's lookups: indexed blocks, Starknet block hashes and transaction locations, read
//! from its database; and whether the node still holds a block's state.
use crate::{
	schema::{key, IndexedBlock, TransactionLocation, BLOCK, BY_HASH, BY_TX},
	Index, Result, StarknetClient,
};
use cairn_primitives::starknet::Felt;
use codec::Decode;
use sc_client_api::backend::Backend;
use sp_runtime::traits::Block as BlockT;

impl<B, C, BE> Index<B, C, BE>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
{
	pub(crate) fn lookup<T: Decode>(&self, key: &[u8]) -> Result<Option<T>> {
		let Some(bytes) = self.db.get(key)? else {
			return Ok(None);
		};
		T::decode(&mut &bytes[..]).map(Some).map_err(|e| format!("corrupt index entry: {e}"))
	}

	/// The indexed block `hash`, if indexed.
	pub fn indexed(&self, hash: B::Hash) -> Result<Option<IndexedBlock>> {
		self.lookup(&key(BLOCK, hash.as_ref()))
	}

	/// The Substrate block of a Starknet block hash (indexed blocks of the canonical chain only).
	pub fn block_of_starknet_hash(&self, starknet_hash: Felt) -> Result<Option<B::Hash>> {
		let block: Option<B::Hash> = self.lookup(&key(BY_HASH, &starknet_hash.to_bytes()))?;
		Ok(block.filter(|block| self.is_canonical(*block)))
	}

	/// Where a transaction is (indexed blocks of the canonical chain only).
	pub fn transaction(&self, tx_hash: Felt) -> Result<Option<TransactionLocation<B::Hash>>> {
		let locations: Option<Vec<TransactionLocation<B::Hash>>> =
			self.lookup(&key(BY_TX, &tx_hash.to_bytes()))?;
		Ok(locations
			.unwrap_or_default()
			.into_iter()
			.find(|location| self.is_canonical(location.block)))
	}

	/// Whether the node holds the state at block `at` (state pruning removes old blocks').
	pub(crate) fn has_state(&self, at: B::Hash, number: u64) -> bool {
		let key =
			sc_client_api::StorageKey(cairn_primitives::starknet::storage::header_key(number));
		self.client.storage(at, &key).is_ok()
	}

	/// Whether `block` is on the canonical chain. The index keeps what it wrote for blocks that
	/// were later reverted (`cairn revert`) or lost a fork: those lookups must not find them.
	pub(crate) fn is_canonical(&self, block: B::Hash) -> bool {
		matches!(self.client.number(block), Ok(Some(number))
			if self.client.hash(number).ok().flatten() == Some(block))
	}
}

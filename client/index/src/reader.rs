//! The index's lookups: indexed blocks, Starknet block hashes and transaction locations, read
//! from the aux DB; and the pallet storage the indexer reads at a block.
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
	fn aux<T: Decode>(&self, key: &[u8]) -> Result<Option<T>> {
		let Some(bytes) = self.client.get_aux(key).map_err(|e| e.to_string())? else {
			return Ok(None);
		};
		T::decode(&mut &bytes[..]).map(Some).map_err(|e| format!("corrupt index entry: {e}"))
	}

	/// The pallet's storage value under `key` at block `at`, if any.
	pub(crate) fn state<T: Decode>(&self, at: B::Hash, key: Vec<u8>) -> Result<Option<T>> {
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

	/// The Substrate block of a Starknet block hash (indexed blocks of the canonical chain only).
	pub fn block_of_starknet_hash(&self, starknet_hash: Felt) -> Result<Option<B::Hash>> {
		let block: Option<B::Hash> = self.aux(&key(BY_HASH, &starknet_hash.to_bytes()))?;
		Ok(block.filter(|block| self.is_canonical(*block)))
	}

	/// Where a transaction is (indexed blocks of the canonical chain only).
	pub fn transaction(&self, tx_hash: Felt) -> Result<Option<TransactionLocation<B::Hash>>> {
		let location: Option<TransactionLocation<B::Hash>> =
			self.aux(&key(BY_TX, &tx_hash.to_bytes()))?;
		Ok(location.filter(|location| self.is_canonical(location.block)))
	}

	/// Whether `block` is on the canonical chain. The index keeps what it wrote for blocks that
	/// were later reverted (`cairn revert`) or lost a fork: those lookups must not find them.
	fn is_canonical(&self, block: B::Hash) -> bool {
		matches!(self.client.number(block), Ok(Some(number))
			if self.client.hash(number).ok().flatten() == Some(block))
	}
}

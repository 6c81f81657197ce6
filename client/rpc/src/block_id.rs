//! Block ids → Substrate blocks. `latest` is the best block; `pre_confirmed` is the block being
//! built on it (Cairn executes transactions when it seals, so it holds none yet: block reads
//! answer the spec's pre-confirmed shapes, state reads see the best block's state);
//! `l1_accepted` is the last block settled on L1 (`l1`), or the finalized block when the node
//! follows no L1; numbers are Substrate block
//! numbers (Starknet block n is Substrate block n); hashes are Starknet block hashes, looked up in
//! the index.
use crate::{unexpected, Result, Starknet};
use cairn_index::{IndexedBlock, StarknetClient};
use cairn_rpc_api::{types::BlockId, StarknetError};
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
	/// The Substrate block a block id names (`pre_confirmed`: the best block, whose state the
	/// block being built starts from).
	pub(crate) fn block(&self, id: BlockId) -> Result<B::Hash> {
		let info = self.client.info();
		match id {
			BlockId::Latest | BlockId::PreConfirmed => Ok(info.best_hash),
			// The last block settled on L1 when the node follows one (none settled yet: not
			// found), else the finalized block.
			BlockId::L1Accepted => match self.l1_settled() {
				None => Ok(info.finalized_hash),
				Some(settled) => self
					.client
					.hash(settled.ok_or(StarknetError::BlockNotFound)?.unique_saturated_into())
					.map_err(unexpected)?
					.ok_or(StarknetError::BlockNotFound),
			},
			BlockId::Number(number) => {
				let number = number.try_into().map_err(|_| StarknetError::BlockNotFound)?;
				self.client.hash(number).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)
			}
			BlockId::Hash(hash) => self
				.index
				.block_of_starknet_hash(hash)
				.map_err(unexpected)?
				.ok_or(StarknetError::BlockNotFound),
		}
	}

	/// The number of the block a block id names.
	pub(crate) fn number(&self, id: BlockId) -> Result<u64> {
		let hash = self.block(id)?;
		let header =
			self.client.header(hash).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)?;
		Ok((*header.number()).unique_saturated_into())
	}

	/// The indexed Starknet block of a block id.
	pub(crate) async fn indexed(&self, id: BlockId) -> Result<IndexedBlock> {
		let hash = self.block(id)?;
		self.indexed_at(hash).await
	}

	/// The indexed Starknet block of Substrate block `hash`; BLOCK_NOT_FOUND for a block the node
	/// has no Starknet data of (before a warp-sync point, see `cairn_index::replay`).
	pub(crate) async fn indexed_at(&self, hash: B::Hash) -> Result<IndexedBlock> {
		self.index.find_block(hash).await.map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)
	}

	/// The parent of indexed block `block`, if not genesis.
	pub(crate) fn parent_of(&self, block: &IndexedBlock) -> Result<Option<B::Hash>> {
		(block.number > 0).then(|| self.block(BlockId::Number(block.number - 1))).transpose()
	}
}

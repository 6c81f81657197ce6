//! Indexing at import: [`IndexingBlockImport`] wraps a block import (Aura's and GRANDPA's, dev
//! sealing's, `import-blocks`') and indexes each block right after it is imported, while its
//! state is certainly there. Blocks from initial sync, from `import-blocks` files and the node's
//! own are indexed alike, whatever the state pruning removes later; Substrate sends no import
//! notification for initial-sync blocks, so following notifications alone misses them.
//! Blocks imported without executing them (warp and gap sync: `StateAction::Skip`) have no
//! state to index from and are left out.
use crate::{Index, StarknetClient};
use sc_client_api::backend::Backend;
use sc_consensus::{BlockCheckParams, BlockImport, BlockImportParams, ImportResult, StateAction};
use sp_runtime::traits::Block as BlockT;

/// A block import that indexes what it imports (see the module doc).
pub struct IndexingBlockImport<I, B, C, BE> {
	inner: I,
	index: Index<B, C, BE>,
}

impl<I, B, C, BE> IndexingBlockImport<I, B, C, BE> {
	/// `inner`, indexing into `index`.
	pub fn new(inner: I, index: Index<B, C, BE>) -> Self {
		IndexingBlockImport { inner, index }
	}
}

impl<I: Clone, B, C, BE> Clone for IndexingBlockImport<I, B, C, BE> {
	fn clone(&self) -> Self {
		IndexingBlockImport { inner: self.inner.clone(), index: self.index.clone() }
	}
}

#[async_trait::async_trait]
impl<I, B, C, BE> BlockImport<B> for IndexingBlockImport<I, B, C, BE>
where
	I: BlockImport<B> + Send + Sync,
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
{
	type Error = I::Error;

	async fn check_block(&self, block: BlockCheckParams<B>) -> Result<ImportResult, Self::Error> {
		self.inner.check_block(block).await
	}

	async fn import_block(&self, block: BlockImportParams<B>) -> Result<ImportResult, Self::Error> {
		let hash = block.post_hash();
		let has_state = !matches!(block.state_action, StateAction::Skip);
		let result = self.inner.import_block(block).await?;
		if has_state && matches!(result, ImportResult::Imported(_)) {
			if let Err(e) = self.index.block(hash).await {
				log::warn!(target: "starknet-index", "cannot index imported block {hash:?}: {e}");
			}
		}
		Ok(result)
	}
}

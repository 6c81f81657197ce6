//! # cairn-index
//!
//! The Starknet index in the node's own database (Substrate's auxiliary storage): per block its
//! Starknet hash, header commitments, transactions with receipts and merged state diff.
//!
//! Modules: [`schema`] (what is stored, under which keys), [`indexer`] (indexing a block, and
//! [`run`], the background task indexing the chain at start and following block imports),
//! [`import`] (indexing every block as it is imported, initial sync included) and [`reader`] (the lookups). The
//! Starknet hash, root and commitments come from the block's Starknet header, which the runtime
//! computed (`cairn-commitment`). Reads of blocks, transactions and
//! receipts are lookups in the index, never re-executions; a block not indexed yet is indexed
//! (with its unindexed ancestors) when first asked for, so a lost index is rebuilt from the chain.
pub mod import;
pub mod indexer;
pub mod reader;
pub mod schema;

pub use import::IndexingBlockImport;
pub use indexer::run;
pub use schema::{Commitments, IndexedBlock, IndexedTransaction, TransactionLocation};

use cairn_primitives::starknet::runtime_api::StarknetRuntimeApi;
use sc_client_api::{backend::AuxStore, backend::Backend, BlockBackend, StorageProvider};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};

/// What the Starknet index and RPC need of the node's client: headers, bodies, state, the
/// Starknet runtime API and the auxiliary store the index lives in.
pub trait StarknetClient<B: BlockT, BE: Backend<B>>:
	HeaderBackend<B>
	+ BlockBackend<B>
	+ StorageProvider<B, BE>
	+ ProvideRuntimeApi<
		B,
		Api: StarknetRuntimeApi<B> + sp_block_builder::BlockBuilder<B> + sp_api::Core<B>,
	> + AuxStore
	+ Send
	+ Sync
	+ 'static
{
}

impl<B, BE, C> StarknetClient<B, BE> for C
where
	B: BlockT,
	BE: Backend<B>,
	C: HeaderBackend<B>
		+ BlockBackend<B>
		+ StorageProvider<B, BE>
		+ ProvideRuntimeApi<
			B,
			Api: StarknetRuntimeApi<B> + sp_block_builder::BlockBuilder<B> + sp_api::Core<B>,
		> + AuxStore
		+ Send
		+ Sync
		+ 'static,
{
}

/// The index over a client: cheap to clone (a handle on the client).
pub struct Index<B, C, BE> {
	client: Arc<C>,
	_marker: PhantomData<(B, BE)>,
}

impl<B, C, BE> Clone for Index<B, C, BE> {
	fn clone(&self) -> Self {
		Index { client: self.client.clone(), _marker: PhantomData }
	}
}

impl<B, C, BE> Index<B, C, BE> {
	/// The index over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Index { client, _marker: PhantomData }
	}
}

/// The index's errors: what went wrong, for the log or an RPC's unexpected error.
pub type Result<T> = std::result::Result<T, String>;

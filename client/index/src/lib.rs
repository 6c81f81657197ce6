//! # cairn-index
//!
//! The Starknet index, in a database of its own next to Substrate's ([`store`]): per block its
//! Starknet hash, header commitments, transactions with receipts and merged state diff.
//!
//! Modules: [`schema`] (what is stored, under which keys, and its version), [`store`] (the
//! database), [`indexer`] (indexing a block from the node's state at it, and [`run`], the task
//! following block imports), [`import`] (indexing every block as it is imported, initial sync
//! included), [`replay`] (rebuilding at start what was never indexed or was lost, re-executing
//! blocks whose state is pruned) and [`reader`] (the lookups). The Starknet hash, root and
//! commitments come from the block's Starknet header, which the runtime computed
//! (`cairn-commitment`). Reads of blocks, transactions and receipts are lookups in the index,
//! never re-executions.
pub mod import;
pub mod indexer;
pub mod reader;
pub mod replay;
pub mod schema;
pub mod store;

pub use import::IndexingBlockImport;
pub use indexer::run;
pub use replay::Replayer;
pub use schema::{Commitments, IndexedBlock, IndexedTransaction, TransactionLocation};
pub use store::IndexDb;

use cairn_primitives::starknet::runtime_api::StarknetRuntimeApi;
use sc_client_api::{backend::Backend, BlockBackend, StorageProvider};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};

/// What the Starknet index and RPC need of the node's client: headers, bodies, state and the
/// Starknet runtime API.
pub trait StarknetClient<B: BlockT, BE: Backend<B>>:
	HeaderBackend<B>
	+ BlockBackend<B>
	+ StorageProvider<B, BE>
	+ ProvideRuntimeApi<
		B,
		Api: StarknetRuntimeApi<B> + sp_block_builder::BlockBuilder<B> + sp_api::Core<B>,
	> + Send
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
		> + Send
		+ Sync
		+ 'static,
{
}

/// The index of a client's chain: cheap to clone (handles on the client and the database).
pub struct Index<B, C, BE> {
	client: Arc<C>,
	db: Arc<IndexDb>,
	/// Serialises the read-modify-write of transaction locations (the import and the
	/// notification-following task may index at once).
	writes: Arc<std::sync::Mutex<()>>,
	_marker: PhantomData<(B, BE)>,
}

impl<B, C, BE> Clone for Index<B, C, BE> {
	fn clone(&self) -> Self {
		Index {
			client: self.client.clone(),
			db: self.db.clone(),
			writes: self.writes.clone(),
			_marker: PhantomData,
		}
	}
}

impl<B, C, BE> Index<B, C, BE> {
	/// The index of `client`'s chain in `db`.
	pub fn new(client: Arc<C>, db: Arc<IndexDb>) -> Self {
		Index { client, db, writes: Default::default(), _marker: PhantomData }
	}
}

/// The index's errors: what went wrong, for the log or an RPC's unexpected error.
pub type Result<T> = std::result::Result<T, String>;

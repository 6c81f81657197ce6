//! # cairn-client
//!
//! The node-side half of Starknet on Cairn: the Starknet JSON-RPC (spec 0.10.3) served from the
//! node's own RPC port next to Substrate's methods. It reads Starknet state straight from the
//! pallet's storage at the requested block (no execution for reads), asks the runtime (runtime
//! API [`cairn_primitives::starknet::runtime_api::StarknetRuntimeApi`]) what only the runtime
//! knows, and submits transactions to the node's transaction pool as the pallet's unsigned
//! extrinsics.
//!
//! Modules: [`types`] (the spec's JSON shapes and errors), [`rpc`] (the `starknet_*` methods),
//! [`index`] (Starknet blocks, transactions and receipts in the node's database, with
//! [`block_hash`] computing Starknet block hashes), [`trace`] (the JSON of execution traces).
pub mod block_hash;
pub mod index;
pub mod rpc;
pub mod trace;
pub mod types;

pub use index::Index;
pub use rpc::{Starknet, StarknetApiServer};

use cairn_primitives::starknet::runtime_api::StarknetRuntimeApi;
use sc_client_api::{backend::AuxStore, backend::Backend, BlockBackend, StorageProvider};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;

/// What the Starknet RPC and the index need of the node's client: headers, bodies, state, the
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

/// The Starknet JSON-RPC specification version served.
pub const SPEC_VERSION: &str = "0.10.3";

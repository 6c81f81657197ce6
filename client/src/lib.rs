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
//! [`block_hash`] computing Starknet block hashes).
pub mod block_hash;
pub mod index;
pub mod rpc;
pub mod types;

pub use index::Index;
pub use rpc::{Starknet, StarknetApiServer};

/// The Starknet JSON-RPC specification version served.
pub const SPEC_VERSION: &str = "0.10.3";

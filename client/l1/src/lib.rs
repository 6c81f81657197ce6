//! # cairn-l1
//!
//! Cairn's Ethereum (L1) side: it follows the chain's core contract
//! (`client/l1/contracts/CairnCore.sol`, compiled and deployed by `scripts/l1`) through alloy.
//!
//! - [`contract`]: the core contract's interface as alloy bindings.
//! - [`follower`]: the messages to L2 the contract's `LogMessageToL2` events carry, at a
//!   confirmation depth, as [`cairn_primitives::starknet::l1::L1Message`]s for the runtime's
//!   inherent; with a persisted checkpoint below which every message was consumed on a finalized
//!   block, so that a restart (or a `kill -9`) rescans from there: nothing is lost, and the
//!   runtime's record of consumed nonces keeps anything from running twice.
//! - [`settlement`]: the sequencer's state updates to the core contract (block, hash, state root,
//!   the messages to L1 the settled blocks sent and the messages from L1 they consumed).
//! - [`deploy`]: the core contract deployed from its compiled artifact, or an existing one
//!   checked, for an L1 a development chain loads at run time (`devnet_postmanLoad`).
pub mod contract;
pub mod deploy;
pub mod follower;
pub mod settlement;

pub use follower::{Follower, FollowerConfig};
pub use settlement::{Settled, Settler, StateUpdate};

use alloy::providers::{DynProvider, Provider, ProviderBuilder};

/// The endpoint as a URL.
fn url(endpoint: &str) -> Result<alloy::transports::http::reqwest::Url, String> {
	endpoint.parse().map_err(|e| format!("L1 endpoint {endpoint}: {e}"))
}

/// A client of the L1 node at `endpoint` (plain HTTP; nothing is sent until it is used).
fn provider(endpoint: &str) -> Result<DynProvider, String> {
	Ok(ProviderBuilder::new().connect_http(url(endpoint)?).erased())
}

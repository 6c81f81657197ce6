//! # cairn-rpc-api
//!
//! The Starknet JSON-RPC 0.10.3 interface Cairn serves: one jsonrpsee trait per spec file, the
//! typed requests and answers of every method ([`types`]), and the spec's errors ([`error`]).
//!
//! Traits (each generates a `…Server` trait that `cairn-rpc` implements): [`read::StarknetReadApi`]
//! (`starknet_api_openrpc.json`), [`write::StarknetWriteApi`] (`starknet_write_api.json`),
//! [`trace::StarknetTraceApi`] (`starknet_trace_api_openrpc.json`) and
//! [`executables::StarknetExecutablesApi`] (`starknet_executables.json`) and [`ws::StarknetWsApi`]
//! (`starknet_ws_api.json`, subscriptions over WebSocket). Parameters are taken
//! by position or by name, with the spec's names. The answers serialize to the spec's JSON:
//! felts as `0x`-prefixed lowercase hex without leading zeros, `u64`/`u128` amounts as hex where
//! the spec says `NUM_AS_HEX`/`u64`/`u128`, optional fields omitted when absent.
pub mod error;
pub mod executables;
pub mod read;
pub mod trace;
pub mod types;
pub mod write;
pub mod ws;

pub use error::StarknetError;
pub use executables::StarknetExecutablesApiServer;
pub use read::StarknetReadApiServer;
pub use trace::StarknetTraceApiServer;
pub use write::StarknetWriteApiServer;
pub use ws::StarknetWsApiServer;

/// The Starknet JSON-RPC specification version served.
pub const SPEC_VERSION: &str = "0.10.3";

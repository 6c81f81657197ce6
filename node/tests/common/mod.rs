//! Test support shared by the integration tests (each test file includes it as `mod common;`):
//! re-exports only, by concern.
//!
//! - [`node`]: real `cairn` processes (started on free loopback ports read from their log,
//!   stopped as an operator or a crash stops them), JSON-RPC clients, `run_cairn` for
//!   subcommands, temporary directories, Substrate balances transfers;
//! - [`starknet`]: the development accounts a node prints, the one V3 invoke builder (transfers
//!   and any other calls), signing, transaction hashes, JSON and hex helpers, and the one loader
//!   of the published test classes `scripts/setup` fetches;
//! - [`deploy`]: a test class declared and an instance deployed through the UDC, on a real node;
//! - [`bench`]: `scripts/bench` on this build's binaries, and its table read by column name;
//! - [`sdk`]: the one lookup of the Starknet SDKs `scripts/setup` installs (their python and
//!   node.js), and the scripts of `scripts/sdk/`;
//! - [`l1`]: a real L1 (Anvil) and the core contract's tools (`scripts/l1`);
//! - [`ws`]: a raw WebSocket JSON-RPC connection for the Starknet WebSocket API's notifications.
#![allow(dead_code, unused_imports)]

pub mod bench;
pub mod deploy;
pub mod l1;
pub mod node;
pub mod sdk;
pub mod starknet;
pub mod ws;

pub use bench::*;
pub use deploy::*;
pub use l1::*;
pub use node::*;
pub use sdk::*;
pub use starknet::*;
pub use ws::*;

//! The typed requests and answers of the `starknet_*` methods, by concern. Every answer is a
//! struct or enum here whose serde JSON is the spec's; requests parse from the spec's JSON.
//! Conversions from Cairn's own types (`cairn_primitives::starknet`) sit beside each answer.
//!
//! Field order follows the spec's schemas (JSON object members are unordered).
pub mod block_id;
pub mod blocks;
pub mod calls;
pub mod classes;
pub mod events;
pub mod fees;
pub mod hex;
pub mod messages;
pub mod proofs;
pub mod receipts;
pub mod state_update;
pub mod subscriptions;
pub mod traces;
pub mod transactions;

pub use block_id::*;
pub use blocks::*;
pub use calls::*;
pub use classes::*;
pub use events::*;
pub use fees::*;
pub use hex::*;
pub use messages::*;
pub use proofs::*;
pub use receipts::*;
pub use state_update::*;
pub use subscriptions::*;
pub use traces::*;
pub use transactions::*;

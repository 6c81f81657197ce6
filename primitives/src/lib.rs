//! # cairn-primitives
//!
//! The `no_std` types that the Cairn runtime (wasm) and the Cairn node (native) must agree on byte
//! for byte, and the Starknet executor's host-function interface — no implementation.
//!
//! Here: the Substrate block, header, account, balance, nonce and signature types; in
//! [`starknet`], felts and V3 transactions (SCALE), what execution exchanges and the pool's
//! rejection codes (`exec`), the pallet's storage layout (`storage`), genesis types (`genesis`),
//! the runtime API (`runtime_api`) and the host functions with the extension the node plugs its
//! executor into (`host`). Conversions to `starknet_api` and execution live in `cairn-executor`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod starknet;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature, OpaqueExtrinsic,
};

/// Substrate block number.
pub type BlockNumber = u32;
/// A signature on a Substrate extrinsic (sr25519, ed25519 or ecdsa).
pub type Signature = MultiSignature;
/// Substrate account id: the public key behind [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of the native (Substrate) token.
pub type Balance = u128;
/// Index of a Substrate account's transactions.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// A block whose extrinsics are kept opaque: the node's view of a block.
pub type Block = generic::Block<Header, OpaqueExtrinsic>;
/// Block id.
pub type BlockId = generic::BlockId<Block>;

/// `0x` and the lowercase hex of `bytes`, two digits each (L1 hashes and keys in messages,
/// logs and RPC answers).
pub fn hex(bytes: &[u8]) -> alloc::string::String {
	alloc::format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&bytes))
}

/// Native token: 12 decimals.
pub const UNIT: Balance = 1_000_000_000_000;
/// Existential deposit of the native token.
pub const EXISTENTIAL_DEPOSIT: Balance = UNIT / 1_000;

/// Target time between blocks under Aura, in milliseconds.
pub const MILLISECS_PER_BLOCK: u64 = 6_000;
/// Aura slot duration. Dev sealing modes (instant, manual, interval) may seal several blocks in one
/// slot; the runtime allows that (see the runtime's Aura configuration).
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

//! # cairn-commitment
//!
//! Starknet's state commitment, as every Cairn node computes it during block execution:
//! - [`node`]: the tries' nodes and positions as chain state stores them;
//! - [`trie`]: updating a binary Merkle-Patricia trie of height 251 from a batch of changes
//!   (work proportional to the changes), reading a leaf and its proof;
//! - [`state`]: one block's update of every trie — each changed contract's storage trie
//!   (Pedersen), the contracts trie over contract state hashes (Pedersen), the classes trie over
//!   class leaves (Poseidon) — and the global state root;
//! - [`block_hash`]: the Starknet block hash over the header, its commitments and the state root;
//! - [`hash`] (native): the hashes, as Starknet defines them;
//! - [`layout`]: the storage keys of the tries in pallet-starknet;
//! - [`host`]: the host functions through which the (wasm) runtime has all of this computed
//!   natively.
//!
//! The tries live in chain state (pallet-starknet's `TrieNodes`/`TrieRoots`), so Substrate's own
//! state handling makes them survive restarts, follow forks and arrive with sync; the roots are in
//! each block's Starknet header, which every importing node recomputes by re-executing the block.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
#[cfg(not(substrate_runtime))]
extern crate std;

pub mod block_hash;
#[cfg(not(substrate_runtime))]
pub mod hash;
pub mod host;
pub mod layout;
pub mod node;
pub mod state;
pub mod trie;

pub use node::{NodePath, TrieId, TrieNode};
pub use state::{CommitRequest, Commitment};
pub use trie::TrieError;

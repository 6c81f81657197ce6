//! Where chain state keeps the tries: pallet-starknet's `TrieNodes` (trie, position) → node and
//! `TrieRoots` trie → root, keyed as FRAME keys them (see `cairn_primitives::starknet::storage`).
//! The host functions and the RPC's proofs read them with these keys; a pallet test checks that
//! they are the pallet's.
use crate::node::{NodePath, TrieId};
use alloc::vec::Vec;
use cairn_primitives::starknet::storage::{double_map_key_of, map_key_of, TRIE_NODES, TRIE_ROOTS};

/// The storage key of `trie`'s node at `path`.
pub fn node_key(trie: &TrieId, path: &NodePath) -> Vec<u8> {
	double_map_key_of(TRIE_NODES, trie, path)
}

/// The storage key of `trie`'s root.
pub fn root_key(trie: &TrieId) -> Vec<u8> {
	map_key_of(TRIE_ROOTS, trie)
}

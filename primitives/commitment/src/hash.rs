//! The hashes of Starknet's state commitment (native only: the runtime reaches them through the
//! host functions). Pedersen for the contracts and storage tries and the contract state hash,
//! Poseidon for the classes trie and the global root, as Starknet defines them.
use crate::node::TrieHash;
use cairn_primitives::starknet::Felt;
use starknet_types_core::{
	felt::Felt as CoreFelt,
	hash::{Pedersen as PedersenHash, Poseidon as PoseidonHash, StarkHash},
};

/// Pedersen: the contracts trie and every storage trie.
pub struct Pedersen;

/// Poseidon: the classes trie.
pub struct Poseidon;

impl TrieHash for Pedersen {
	fn hash(a: &Felt, b: &Felt) -> Felt {
		Felt(PedersenHash::hash(&a.0, &b.0))
	}
}

impl TrieHash for Poseidon {
	fn hash(a: &Felt, b: &Felt) -> Felt {
		Felt(PoseidonHash::hash(&a.0, &b.0))
	}
}

fn short_string(text: &str) -> CoreFelt {
	CoreFelt::from_bytes_be_slice(text.as_bytes())
}

/// A contract's leaf in the contracts trie:
/// `Pedersen(Pedersen(Pedersen(class_hash, storage_root), nonce), 0)`.
pub fn contract_state_hash(class_hash: &Felt, storage_root: &Felt, nonce: &Felt) -> Felt {
	let inner = PedersenHash::hash(&class_hash.0, &storage_root.0);
	let with_nonce = PedersenHash::hash(&inner, &nonce.0);
	Felt(PedersenHash::hash(&with_nonce, &CoreFelt::ZERO))
}

/// A class's leaf in the classes trie: `Poseidon("CONTRACT_CLASS_LEAF_V0", compiled_class_hash)`.
pub fn class_leaf(compiled_class_hash: &Felt) -> Felt {
	Felt(PoseidonHash::hash(&short_string("CONTRACT_CLASS_LEAF_V0"), &compiled_class_hash.0))
}

/// The global state root: `Poseidon("STARKNET_STATE_V0", contracts_root, classes_root)`, zero
/// while both tries are empty; before Starknet 0.14.0, the contracts root alone while the classes
/// root is zero (as Starknet's first blocks have it). `version` is the block's Starknet version.
pub fn state_root(contracts_root: &Felt, classes_root: &Felt, version: &[u8]) -> Felt {
	if *contracts_root == Felt::ZERO && *classes_root == Felt::ZERO {
		return Felt::ZERO;
	}
	if *classes_root == Felt::ZERO && !at_least(version, &[0, 14, 0]) {
		return *contracts_root;
	}
	Felt(PoseidonHash::hash_array(&[
		short_string("STARKNET_STATE_V0"),
		contracts_root.0,
		classes_root.0,
	]))
}

/// Whether a Starknet version (`"0.13.2.1"`, `"0.14.1"`) is at least `minimum`; a version that
/// does not parse counts as the newest.
fn at_least(version: &[u8], minimum: &[u64]) -> bool {
	let Ok(text) = core::str::from_utf8(version) else { return true };
	let parts: Option<alloc::vec::Vec<u64>> = text.split('.').map(|p| p.parse().ok()).collect();
	let Some(mut parts) = parts else { return true };
	parts.resize(parts.len().max(minimum.len()), 0);
	parts.as_slice() >= minimum
}

#[cfg(test)]
mod tests {
	use super::*;

	fn felt(hex: &str) -> Felt {
		Felt::from_hex(hex).unwrap()
	}

	#[test]
	fn versions_compare_by_number() {
		assert!(at_least(b"0.14.0", &[0, 14, 0]));
		assert!(at_least(b"0.14.1", &[0, 14, 0]));
		assert!(at_least(b"0.14", &[0, 14, 0]));
		assert!(!at_least(b"0.13.2.1", &[0, 14, 0]));
		assert!(!at_least(b"0.9.0", &[0, 14, 0]));
	}

	// Vectors: Madara's `test_calculate_state_root` (madara-alliance/madara,
	// madara/crates/client/db/src/rocksdb/global_trie/mod.rs).
	#[test]
	fn the_global_root_rule_by_version() {
		let (contracts, classes) = (felt("0x123456"), felt("0x789abc"));
		assert_eq!(
			state_root(&contracts, &classes, b"0.14.1"),
			felt("0x6beb971880d4b4996b10fe613b8d49fa3dda8f8b63156c919077e08c534d06e")
		);
		assert_eq!(
			state_root(
				&felt("0x3c538d437670f4c6f72dd799f215a007720ec7d19bc64195c96399145d8746f"),
				&Felt::ZERO,
				b"0.14.1"
			),
			felt("0x68bcf9e9257ab6bffd9425833a208aaab6b85649fd21c787a546cb7cb9abf")
		);
		assert_eq!(
			state_root(&Felt::ZERO, &classes, b"0.14.1"),
			felt("0x39eb9ca5f6c6dfdd4d91e3d1c03181b3c9bbc2bfe85e0d39b011bcd07cac79a")
		);
		assert_eq!(state_root(&Felt::ZERO, &Felt::ZERO, b"0.14.1"), Felt::ZERO);
		assert_eq!(state_root(&contracts, &Felt::ZERO, b"0.13.2"), contracts);
	}

	// Vectors: starkware-libs/sequencer, crates/starknet_committer/src/hash_function/hash_test.rs
	// (class leaf, contract state leaves with nonces); Pathfinder's
	// crates/merkle-tree/src/contract_state.rs (nonce 0).
	#[test]
	fn leaf_hashes() {
		assert_eq!(
			class_leaf(&felt("0xacdc")),
			felt("0x49ed9a06987e7e55770d6c4d7d16b819ad984bf4aed552042847380cc31210d")
		);
		for (class_hash, storage_root, nonce, expected) in [
			(
				"0x150917f3bba17e3c0be685981d6cf8874098a857f354d374688e76eb69f44ab",
				"0x5d6b3a46ac855f3cea9af60e13cc6c81bf237b901f49f73981a521d4cb6c50c",
				"0x38",
				"0x3f27688d56740e5e238acde5b408154563c4f6e05514b8029e86ad51c388f8b",
			),
			(
				"0x2c9982b9bd36f16e409c98616e43dbc9e4b47db8a8e8edc3b915bc4dab3c61c",
				"0x63d7c2a04df01e361238cf4bf07b7cee2e3c5ee58b4ec37cf279aed9ac8d013",
				"0x1b",
				"0x26e95377fcfa70a9882dc08653b7dc77165befe23971aa2fa5b926ff81af6cc",
			),
			(
				"0x314bd50b446c4e8c3a82b0eb9326e532432fbd925ab7afea236f7f8618848a2",
				"0x1118159298289b372808e6b008b6bc9d68f5ebc060962ea1331fdc70cf3d047",
				"0x47",
				"0x1b20bbb35009bf03f86fb092b56a9c44deedbcca6addf8f7640f54a48ba5bbc",
			),
			(
				"0x2ff4903e17f87b298ded00c44bfeb22874c5f73be2ced8f1d9d9556fb509779",
				"0x4fb440e8ca9b74fc12a22ebffe0bc0658206337897226117b985434c239c028",
				"0x0",
				"0x7161b591c893836263a64f2a7e0d829c92f6956148a60ce5e99a3f55c7973f3",
			),
		] {
			assert_eq!(
				contract_state_hash(&felt(class_hash), &felt(storage_root), &felt(nonce)),
				felt(expected)
			);
		}
	}
}

//! What a trie is made of, as chain state stores it: which trie ([`TrieId`]), where a node sits
//! ([`NodePath`]) and the node itself ([`TrieNode`]), with the bit arithmetic on 251-bit keys.
//!
//! A Starknet trie has height 251: a leaf's key is a felt below 2^251, read from its most
//! significant bit (bit 0 of the path) down. Nodes are stored by position, not by hash: the
//! node at the position of the first `len` bits of a key. Only the positions where a node
//! *starts* hold one: the positions an edge spans hold nothing, and leaves are not stored (the
//! parent holds their value).
use cairn_primitives::starknet::Felt;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// The height of every Starknet trie.
pub const HEIGHT: u8 = 251;

/// One of the state's tries.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, TypeInfo)]
pub enum TrieId {
	/// The contracts trie: contract address → contract state hash.
	Contracts,
	/// The classes trie: class hash → class leaf (over the compiled class hash).
	Classes,
	/// One contract's storage trie: key → value.
	Storage(Felt),
}

/// A node's position: the first `len` bits of the keys below it; `bits` holds them as a 256-bit
/// big-endian number whose other bits are zero (the key's 251 bits are its low 251 bits).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, TypeInfo)]
pub struct NodePath {
	pub len: u8,
	pub bits: [u8; 32],
}

/// An inner node: children are referred to by hash (a leaf's "hash" is its value).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum TrieNode {
	/// Both subtrees are non-empty.
	Binary { left: Felt, right: Felt },
	/// One path of `length` bits (`path`, most significant bit first) down to `child`.
	Edge { child: Felt, path: Felt, length: u8 },
}

/// The hash a trie is built with: Pedersen for the contracts and storage tries, Poseidon for the
/// classes trie.
pub trait TrieHash {
	/// H(a, b).
	fn hash(a: &Felt, b: &Felt) -> Felt;
}

impl TrieNode {
	/// The node's hash: `H(left, right)` for a binary node, `H(child, path) + length` for an edge.
	pub fn hash<H: TrieHash>(&self) -> Felt {
		match self {
			TrieNode::Binary { left, right } => H::hash(left, right),
			TrieNode::Edge { child, path, length } => {
				Felt(H::hash(child, path).0 + Felt::from(*length as u128).0)
			}
		}
	}
}

/// The byte and the mask of bit `i` (0 = the most significant of 251) of a key.
fn locate(i: u8) -> (usize, u8) {
	let absolute = 5 + i as usize;
	(absolute / 8, 0x80 >> (absolute % 8))
}

/// A felt's 32 big-endian bytes.
pub fn bytes(felt: &Felt) -> [u8; 32] {
	felt.0.to_bytes_be()
}

/// Whether `key` (a felt's big-endian bytes) fits in 251 bits.
pub fn fits(key: &[u8; 32]) -> bool {
	key[0] < 0x08
}

/// Bit `i` (0 = most significant of 251) of `key`.
pub fn bit(key: &[u8; 32], i: u8) -> bool {
	let (byte, mask) = locate(i);
	key[byte] & mask != 0
}

fn set_bit(key: &mut [u8; 32], i: u8, value: bool) {
	let (byte, mask) = locate(i);
	if value {
		key[byte] |= mask;
	} else {
		key[byte] &= !mask;
	}
}

/// Bit `t` (0 = least significant) of a number's big-endian bytes.
fn int_bit(number: &[u8; 32], t: u8) -> bool {
	number[31 - t as usize / 8] & (1 << (t % 8)) != 0
}

fn set_int_bit(number: &mut [u8; 32], t: u8, value: bool) {
	let byte = 31 - t as usize / 8;
	if value {
		number[byte] |= 1 << (t % 8);
	} else {
		number[byte] &= !(1 << (t % 8));
	}
}

/// The number made of `length` bits of `key` from bit `from` (an edge's path).
pub fn path_of(key: &[u8; 32], from: u8, length: u8) -> Felt {
	let mut number = [0u8; 32];
	for j in 0..length {
		set_int_bit(&mut number, length - 1 - j, bit(key, from + j));
	}
	Felt(starknet_types_core::felt::Felt::from_bytes_be(&number))
}

/// Bit `j` (0 = first, i.e. most significant) of an edge's `length`-bit path.
pub fn path_bit(path: &Felt, length: u8, j: u8) -> bool {
	int_bit(&bytes(path), length - 1 - j)
}

/// An edge's path without its first bit.
pub fn path_tail(path: &Felt, length: u8) -> Felt {
	let mut number = bytes(path);
	set_int_bit(&mut number, length - 1, false);
	Felt(starknet_types_core::felt::Felt::from_bytes_be(&number))
}

/// `bit` followed by an edge's `length`-bit path.
pub fn path_prepend(bit: bool, path: &Felt, length: u8) -> Felt {
	let mut number = bytes(path);
	set_int_bit(&mut number, length, bit);
	Felt(starknet_types_core::felt::Felt::from_bytes_be(&number))
}

impl NodePath {
	/// The root's position.
	pub const ROOT: NodePath = NodePath { len: 0, bits: [0; 32] };

	/// The position of the child on side `right`.
	pub fn child(&self, right: bool) -> NodePath {
		let mut bits = self.bits;
		set_bit(&mut bits, self.len, right);
		NodePath { len: self.len + 1, bits }
	}

	/// The position an edge from here with `length`-bit `path` leads to.
	pub fn follow(&self, path: &Felt, length: u8) -> NodePath {
		let mut bits = self.bits;
		for j in 0..length {
			set_bit(&mut bits, self.len + j, path_bit(path, length, j));
		}
		NodePath { len: self.len + length, bits }
	}

	/// Whether `key` lies below this position.
	pub fn contains(&self, key: &[u8; 32]) -> bool {
		(0..self.len).all(|i| bit(key, i) == bit(&self.bits, i))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn felt(hex: &str) -> Felt {
		Felt::from_hex(hex).unwrap()
	}

	#[test]
	fn bits_are_read_from_the_most_significant_of_251() {
		let top = bytes(&felt("0x400000000000000000000000000000000000000000000000000000000000000"));
		assert!(bit(&top, 0));
		assert!((1..HEIGHT).all(|i| !bit(&top, i)));
		let one = bytes(&Felt::from(1u128));
		assert!(bit(&one, 250));
		assert!((0..250).all(|i| !bit(&one, i)));
		assert!(fits(&top));
		assert!(!fits(&bytes(&felt(
			"0x800000000000000000000000000000000000000000000000000000000000000"
		))));
	}

	#[test]
	fn paths_follow_keys() {
		let key = bytes(&Felt::from(0b1011u128));
		// The last four bits of the key, as a 4-bit edge path.
		let path = path_of(&key, 247, 4);
		assert_eq!(path, Felt::from(0b1011u128));
		assert!(path_bit(&path, 4, 0) && !path_bit(&path, 4, 1));
		assert_eq!(path_tail(&path, 4), Felt::from(0b011u128));
		assert_eq!(path_prepend(true, &Felt::from(0b011u128), 3), path);
		let at = NodePath::ROOT.follow(&path_of(&key, 0, 247), 247);
		assert_eq!(at.follow(&path, 4).bits, key);
		assert!(at.contains(&key));
		assert!(!at.child(false).contains(&key));
		assert!(at.child(true).child(false).child(true).child(true).contains(&key));
	}
}

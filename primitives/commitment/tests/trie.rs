//! The incremental trie against a from-scratch reference: after every batch of inserts, updates
//! and deletions (random, with keys clustered so that edges split and merge), the root and the
//! *stored nodes* are exactly those of the trie built afresh from the current leaves — so no
//! stale node survives and the layout is canonical. Plus the closed forms of small tries.
use cairn_commitment::{
	hash::{Pedersen, Poseidon},
	node::{bit, bytes, path_prepend, NodePath, TrieHash, TrieNode, HEIGHT},
	state::{MemoryStore, TrieStore},
	trie::{get, proof, update, NodeSource, TrieError},
	TrieId,
};
use cairn_primitives::starknet::Felt;
use std::collections::BTreeMap;

/// One trie of a [`MemoryStore`].
struct One<'a>(&'a MemoryStore, TrieId);

impl NodeSource for One<'_> {
	fn node(&self, path: &NodePath) -> Result<Option<TrieNode>, TrieError> {
		self.0.node(&self.1, path)
	}
}

const TRIE: TrieId = TrieId::Contracts;

fn apply<H: TrieHash>(store: &mut MemoryStore, changes: &[(Felt, Felt)]) -> Felt {
	let root = store.root(&TRIE).unwrap();
	let result = update::<H, _>(&One(store, TRIE), root, changes).unwrap();
	let commitment = cairn_commitment::Commitment {
		nodes: result.writes.iter().map(|(p, n)| (TRIE, *p, *n)).collect(),
		roots: vec![(TRIE, result.root)],
		..Default::default()
	};
	store.apply(&commitment);
	result.root
}

/// The reference: the trie of `leaves` built recursively, as (hash, node at this position).
fn build<H: TrieHash>(
	leaves: &[([u8; 32], Felt)],
	at: NodePath,
	nodes: &mut BTreeMap<NodePath, TrieNode>,
) -> Option<(Felt, Option<TrieNode>)> {
	if leaves.is_empty() {
		return None;
	}
	if at.len == HEIGHT {
		return Some((leaves[0].1, None));
	}
	let split = leaves.partition_point(|(key, _)| !bit(key, at.len));
	let (left, right) = leaves.split_at(split);
	let node = match (
		build::<H>(left, at.child(false), nodes),
		build::<H>(right, at.child(true), nodes),
	) {
		(None, None) => unreachable!(),
		(Some((l, _)), Some((r, _))) => TrieNode::Binary { left: l, right: r },
		(Some(only), None) | (None, Some(only)) => {
			let side = !right.is_empty();
			match only.1 {
				Some(TrieNode::Edge { child, path, length }) => {
					nodes.remove(&at.child(side));
					TrieNode::Edge {
						child,
						path: path_prepend(side, &path, length),
						length: length + 1,
					}
				}
				_ => TrieNode::Edge { child: only.0, path: Felt::from(side as u128), length: 1 },
			}
		}
	};
	nodes.insert(at, node);
	Some((node.hash::<H>(), Some(node)))
}

fn reference<H: TrieHash>(
	leaves: &BTreeMap<[u8; 32], Felt>,
) -> (Felt, BTreeMap<NodePath, TrieNode>) {
	let leaves: Vec<([u8; 32], Felt)> = leaves.iter().map(|(k, v)| (*k, *v)).collect();
	let mut nodes = BTreeMap::new();
	let root = build::<H>(&leaves, NodePath::ROOT, &mut nodes).map(|(h, _)| h).unwrap_or_default();
	(root, nodes)
}

/// xorshift64*: deterministic randomness.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545F4914F6CDD1D)
	}

	/// A key below 2^251 from one of a few clusters (shared long prefixes) or anywhere.
	fn key(&mut self) -> Felt {
		let mut bytes = [0u8; 32];
		for chunk in bytes.chunks_mut(8) {
			chunk.copy_from_slice(&self.next().to_be_bytes());
		}
		bytes[0] &= 0x07;
		match self.next() % 4 {
			// Cluster: a fixed prefix, a few varying low bits.
			0 => {
				bytes[..31].copy_from_slice(&[0x03; 31]);
				bytes[31] = (self.next() % 16) as u8;
			}
			1 => {
				bytes[..16].copy_from_slice(&[0x05; 16]);
				bytes[0] = 0x05;
			}
			2 => {
				bytes = [0; 32];
				bytes[31] = (self.next() % 8) as u8;
			}
			_ => {}
		}
		Felt::from_canonical_bytes(&bytes).unwrap()
	}
}

fn check_random<H: TrieHash>(seed: u64) {
	let mut rng = Rng(seed);
	let mut store = MemoryStore::default();
	let mut leaves: BTreeMap<[u8; 32], Felt> = BTreeMap::new();
	for round in 0..60 {
		let mut changes = Vec::new();
		for _ in 0..(1 + rng.next() % 12) {
			let delete = rng.next() % 3 == 0 && !leaves.is_empty();
			let key = if delete {
				let n = (rng.next() as usize) % leaves.len();
				Felt::from_canonical_bytes(leaves.keys().nth(n).unwrap()).unwrap()
			} else {
				rng.key()
			};
			let value = if delete { Felt::ZERO } else { Felt::from(1 + rng.next() as u128) };
			changes.push((key, value));
		}
		// Every few rounds, empty the trie completely.
		if round % 17 == 16 {
			changes.extend(
				leaves.keys().map(|k| (Felt::from_canonical_bytes(k).unwrap(), Felt::ZERO)),
			);
		}
		for (key, value) in &changes {
			if *value == Felt::ZERO {
				leaves.remove(&bytes(key));
			} else {
				leaves.insert(bytes(key), *value);
			}
		}
		let root = apply::<H>(&mut store, &changes);
		let (expected_root, expected_nodes) = reference::<H>(&leaves);
		assert_eq!(root, expected_root, "round {round}: root");
		let stored: BTreeMap<NodePath, TrieNode> =
			store.nodes.iter().map(|((_, path), node)| (*path, *node)).collect();
		assert_eq!(stored, expected_nodes, "round {round}: stored nodes");
		// Every leaf reads back, and some absent keys read zero; proofs end at the root.
		for (key, value) in leaves.iter().take(5) {
			let key = Felt::from_canonical_bytes(key).unwrap();
			assert_eq!(get::<H, _>(&One(&store, TRIE), root, &key).unwrap(), *value);
			let nodes = proof::<H, _>(&One(&store, TRIE), root, &key).unwrap();
			assert_eq!(nodes[0].0, root);
		}
		let absent = rng.key();
		if !leaves.contains_key(&bytes(&absent)) {
			assert_eq!(get::<H, _>(&One(&store, TRIE), root, &absent).unwrap(), Felt::ZERO);
		}
	}
}

#[test]
fn random_batches_match_the_trie_built_afresh_pedersen() {
	for seed in [1, 2, 3] {
		check_random::<Pedersen>(seed);
	}
}

#[test]
fn random_batches_match_the_trie_built_afresh_poseidon() {
	check_random::<Poseidon>(7);
}

#[test]
fn a_single_leaf_is_one_edge_of_251_bits() {
	let mut store = MemoryStore::default();
	let key = Felt::from(0x1234u128);
	let value = Felt::from(0x99u128);
	let root = apply::<Pedersen>(&mut store, &[(key, value)]);
	let edge = TrieNode::Edge { child: value, path: key, length: 251 };
	assert_eq!(root, edge.hash::<Pedersen>());
	assert_eq!(store.nodes.len(), 1);
	assert_eq!(store.nodes[&(TRIE, NodePath::ROOT)], edge);
	// Removing it empties the trie: root zero, no nodes left.
	assert_eq!(apply::<Pedersen>(&mut store, &[(key, Felt::ZERO)]), Felt::ZERO);
	assert!(store.nodes.is_empty());
}

#[test]
fn two_leaves_split_an_edge_and_merge_back() {
	let mut store = MemoryStore::default();
	let (a, b) = (Felt::from(0b100u128), Felt::from(0b101u128));
	apply::<Pedersen>(&mut store, &[(a, Felt::from(1u128))]);
	let root = apply::<Pedersen>(&mut store, &[(b, Felt::from(2u128))]);
	// An edge of 250 bits down to a binary node over the two leaves.
	let binary = TrieNode::Binary { left: Felt::from(1u128), right: Felt::from(2u128) };
	let edge = TrieNode::Edge {
		child: binary.hash::<Pedersen>(),
		path: Felt::from(0b10u128),
		length: 250,
	};
	assert_eq!(root, edge.hash::<Pedersen>());
	assert_eq!(store.nodes.len(), 2);
	// Deleting one merges back into one 251-bit edge.
	let root = apply::<Pedersen>(&mut store, &[(a, Felt::ZERO)]);
	let single = TrieNode::Edge { child: Felt::from(2u128), path: b, length: 251 };
	assert_eq!(root, single.hash::<Pedersen>());
	assert_eq!(store.nodes.len(), 1);
}

#[test]
fn keys_of_2_to_the_251_are_refused() {
	let store = MemoryStore::default();
	let too_big =
		Felt::from_hex("0x800000000000000000000000000000000000000000000000000000000000000")
			.unwrap();
	assert_eq!(
		update::<Pedersen, _>(&One(&store, TRIE), Felt::ZERO, &[(too_big, Felt::from(1u128))]),
		Err(TrieError::KeyOutOfRange(too_big))
	);
}

#[test]
fn a_root_without_its_nodes_is_an_error_not_a_guess() {
	let store = MemoryStore::default();
	let result = update::<Pedersen, _>(
		&One(&store, TRIE),
		Felt::from(5u128),
		&[(Felt::from(1u128), Felt::from(1u128))],
	);
	assert_eq!(result, Err(TrieError::MissingNode(NodePath::ROOT)));
}

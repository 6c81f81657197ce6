//! Updating one trie from a batch of leaf changes, and reading a proof out of it.
//!
//! [`update`] walks down from the root only along the paths of the changed keys, reading the
//! nodes it passes (and, where a subtree loses a side, the one node below it that an edge may
//! absorb), and returns the new root and the node writes: work proportional to the changes times
//! the depth, never to the size of the trie. Unchanged subtrees are referred to by their hash and
//! never read. The result is canonical: the same set of leaves gives the same nodes and root
//! whatever the order and batching of the changes that built it (tested below).
use crate::node::{
	bit, bytes, fits, path_bit, path_of, path_prepend, path_tail, NodePath, TrieHash, TrieNode,
	HEIGHT,
};
use alloc::{collections::BTreeMap, vec::Vec};
use cairn_primitives::starknet::Felt;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Why a trie could not be updated or read.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum TrieError {
	/// A key is not below 2^251.
	KeyOutOfRange(Felt),
	/// The state lacks a node the root refers to (the state is not the trie's: a bug).
	MissingNode(NodePath),
	/// The node store failed.
	Store(Vec<u8>),
}

/// Where the nodes of one trie are read from.
pub trait NodeSource {
	/// The node stored at `path`, if any.
	fn node(&self, path: &NodePath) -> Result<Option<TrieNode>, TrieError>;
}

/// A trie's new root and the node writes (`None`: remove) that take it there.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct TrieUpdate {
	pub root: Felt,
	pub writes: Vec<(NodePath, Option<TrieNode>)>,
}

/// A subtree at a position, as far as the update knows it.
#[derive(Clone, Copy)]
enum Sub {
	Empty,
	/// A leaf (at height 251 only).
	Leaf(Felt),
	/// The stored node at this position, not read: only its hash is known.
	Stored(Felt),
	Binary {
		left: Felt,
		right: Felt,
	},
	Edge {
		child: Felt,
		path: Felt,
		length: u8,
	},
}

struct Updater<'a, H, S> {
	source: &'a S,
	/// Nodes read from the store, by position.
	read: BTreeMap<NodePath, TrieNode>,
	/// What the positions the update decided on hold afterwards.
	decided: BTreeMap<NodePath, Option<TrieNode>>,
	_hash: core::marker::PhantomData<H>,
}

fn child_sub(at: &NodePath, hash: Felt) -> Sub {
	if hash == Felt::ZERO {
		Sub::Empty
	} else if at.len == HEIGHT {
		Sub::Leaf(hash)
	} else {
		Sub::Stored(hash)
	}
}

impl<H: TrieHash, S: NodeSource> Updater<'_, H, S> {
	fn hash(sub: &Sub) -> Felt {
		match sub {
			Sub::Empty => Felt::ZERO,
			Sub::Leaf(value) | Sub::Stored(value) => *value,
			Sub::Binary { left, right } => {
				TrieNode::Binary { left: *left, right: *right }.hash::<H>()
			}
			Sub::Edge { child, path, length } => {
				TrieNode::Edge { child: *child, path: *path, length: *length }.hash::<H>()
			}
		}
	}

	/// The stored node at `at`, as a subtree.
	fn load(&mut self, at: &NodePath) -> Result<Sub, TrieError> {
		let node = self.source.node(at)?.ok_or(TrieError::MissingNode(*at))?;
		self.read.insert(*at, node);
		Ok(match node {
			TrieNode::Binary { left, right } => Sub::Binary { left, right },
			TrieNode::Edge { child, path, length } => Sub::Edge { child, path, length },
		})
	}

	/// `sub` becomes the node at `at` (if it is one); its hash.
	fn place(&mut self, at: NodePath, sub: Sub) -> Felt {
		match sub {
			Sub::Binary { left, right } => {
				self.decided.insert(at, Some(TrieNode::Binary { left, right }));
			}
			Sub::Edge { child, path, length } => {
				self.decided.insert(at, Some(TrieNode::Edge { child, path, length }));
			}
			Sub::Empty | Sub::Leaf(_) | Sub::Stored(_) => {}
		}
		Self::hash(&sub)
	}

	/// The subtree at `at` after `changes` (non-empty, sorted, all below `at`) apply to
	/// `existing`.
	fn update(
		&mut self,
		at: NodePath,
		existing: Sub,
		changes: &[([u8; 32], Felt)],
	) -> Result<Sub, TrieError> {
		if at.len == HEIGHT {
			let value = changes[changes.len() - 1].1;
			return Ok(if value == Felt::ZERO { Sub::Empty } else { Sub::Leaf(value) });
		}
		let existing = match existing {
			Sub::Stored(_) => self.load(&at)?,
			other => other,
		};
		let (left, right) = match existing {
			Sub::Empty | Sub::Leaf(_) | Sub::Stored(_) => (Sub::Empty, Sub::Empty),
			Sub::Binary { left, right } => {
				(child_sub(&at.child(false), left), child_sub(&at.child(true), right))
			}
			Sub::Edge { child, path, length } => {
				let side = path_bit(&path, length, 0);
				let below = if length == 1 {
					child_sub(&at.child(side), child)
				} else {
					Sub::Edge { child, path: path_tail(&path, length), length: length - 1 }
				};
				if side {
					(Sub::Empty, below)
				} else {
					(below, Sub::Empty)
				}
			}
		};
		let split = changes.partition_point(|(key, _)| !bit(key, at.len));
		let (to_left, to_right) = changes.split_at(split);
		let left =
			if to_left.is_empty() { left } else { self.update(at.child(false), left, to_left)? };
		let right =
			if to_right.is_empty() { right } else { self.update(at.child(true), right, to_right)? };
		self.combine(at, left, right)
	}

	/// The subtree at `at` whose children are `left` and `right`.
	fn combine(&mut self, at: NodePath, left: Sub, right: Sub) -> Result<Sub, TrieError> {
		Ok(match (left, right) {
			(Sub::Empty, Sub::Empty) => Sub::Empty,
			(only, Sub::Empty) => self.edge_to(at, false, only)?,
			(Sub::Empty, only) => self.edge_to(at, true, only)?,
			(left, right) => {
				let left = self.place(at.child(false), left);
				let right = self.place(at.child(true), right);
				Sub::Binary { left, right }
			}
		})
	}

	/// The subtree at `at` whose only child, on side `side`, is `only`: an edge, which absorbs
	/// `only` if that is an edge itself.
	fn edge_to(&mut self, at: NodePath, side: bool, only: Sub) -> Result<Sub, TrieError> {
		let below = at.child(side);
		let only = match only {
			Sub::Stored(_) => self.load(&below)?,
			other => other,
		};
		let one_bit = Felt::from(side as u128);
		Ok(match only {
			Sub::Edge { child, path, length } => {
				self.decided.insert(below, None);
				Sub::Edge { child, path: path_prepend(side, &path, length), length: length + 1 }
			}
			other => {
				let child = self.place(below, other);
				Sub::Edge { child, path: one_bit, length: 1 }
			}
		})
	}
}

/// Apply `changes` (key → new leaf value, zero removes the leaf; if a key repeats, its last value
/// counts) to the trie rooted at `root` whose nodes `source` holds.
pub fn update<H: TrieHash, S: NodeSource>(
	source: &S,
	root: Felt,
	changes: &[(Felt, Felt)],
) -> Result<TrieUpdate, TrieError> {
	let mut sorted: BTreeMap<[u8; 32], Felt> = BTreeMap::new();
	for (key, value) in changes {
		let key_bytes = bytes(key);
		if !fits(&key_bytes) {
			return Err(TrieError::KeyOutOfRange(*key));
		}
		sorted.insert(key_bytes, *value);
	}
	if sorted.is_empty() {
		return Ok(TrieUpdate { root, writes: Vec::new() });
	}
	let changes: Vec<([u8; 32], Felt)> = sorted.into_iter().collect();
	let mut updater = Updater::<H, S> {
		source,
		read: BTreeMap::new(),
		decided: BTreeMap::new(),
		_hash: core::marker::PhantomData,
	};
	let existing = if root == Felt::ZERO { Sub::Empty } else { Sub::Stored(root) };
	let result = updater.update(NodePath::ROOT, existing, &changes)?;
	let root = updater.place(NodePath::ROOT, result);
	let Updater { read, mut decided, .. } = updater;
	// Positions read and not decided on lost their node (their subtree emptied).
	for at in read.keys() {
		decided.entry(*at).or_insert(None);
	}
	let writes = decided.into_iter().filter(|(at, node)| read.get(at) != node.as_ref()).collect();
	Ok(TrieUpdate { root, writes })
}

/// The nodes from the root down towards `key`, each with its hash: a proof of the leaf at `key`
/// (its value is the last node's child on the key's side), or of its absence (the walk ends at
/// an empty trie, or at an edge whose path leaves the key's).
pub fn proof<H: TrieHash, S: NodeSource>(
	source: &S,
	root: Felt,
	key: &Felt,
) -> Result<Vec<(Felt, TrieNode)>, TrieError> {
	let key_bytes = bytes(key);
	if !fits(&key_bytes) {
		return Err(TrieError::KeyOutOfRange(*key));
	}
	let mut nodes = Vec::new();
	if root == Felt::ZERO {
		return Ok(nodes);
	}
	let mut at = NodePath::ROOT;
	while at.len < HEIGHT {
		let node = source.node(&at)?.ok_or(TrieError::MissingNode(at))?;
		nodes.push((node.hash::<H>(), node));
		match node {
			TrieNode::Binary { .. } => at = at.child(bit(&key_bytes, at.len)),
			TrieNode::Edge { path, length, .. } => {
				if path_of(&key_bytes, at.len, length) != path {
					break;
				}
				at = at.follow(&path, length);
			}
		}
	}
	Ok(nodes)
}

/// The leaf at `key`: zero if absent.
pub fn get<H: TrieHash, S: NodeSource>(
	source: &S,
	root: Felt,
	key: &Felt,
) -> Result<Felt, TrieError> {
	let nodes = proof::<H, S>(source, root, key)?;
	let key_bytes = bytes(key);
	let Some((_, last)) = nodes.last() else { return Ok(Felt::ZERO) };
	let depth: u32 = nodes
		.iter()
		.map(|(_, node)| match node {
			TrieNode::Binary { .. } => 1,
			TrieNode::Edge { length, .. } => *length as u32,
		})
		.sum();
	if depth != HEIGHT as u32 {
		return Ok(Felt::ZERO);
	}
	Ok(match last {
		TrieNode::Binary { left, right } => {
			if bit(&key_bytes, HEIGHT - 1) {
				*right
			} else {
				*left
			}
		}
		TrieNode::Edge { path, length, child } => {
			let from = HEIGHT - length;
			if path_of(&key_bytes, from, *length) == *path {
				*child
			} else {
				Felt::ZERO
			}
		}
	})
}

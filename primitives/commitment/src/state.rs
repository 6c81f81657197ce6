//! One block's update of the whole state commitment: every changed contract's storage trie, the
//! contracts trie over the changed contracts' state hashes, the classes trie over the newly
//! declared classes, and the global root over both — from the block's state diff and the tries
//! as the parent block left them in chain state.
use crate::{
	node::{NodePath, TrieId, TrieNode},
	trie::TrieError,
};
use alloc::vec::Vec;
use cairn_primitives::starknet::Felt;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// What a block changed, as the commitment needs it (each list sorted, keys unique).
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, TypeInfo)]
pub struct CommitRequest {
	/// Per contract whose storage changed: its changed cells and their new values (zero: removed).
	pub storage: Vec<(Felt, Vec<(Felt, Felt)>)>,
	/// Every contract whose storage, nonce or class changed: (address, class hash, nonce) as the
	/// block leaves them.
	pub contracts: Vec<(Felt, Felt, Felt)>,
	/// Classes declared: (class hash, compiled class hash).
	pub classes: Vec<(Felt, Felt)>,
	/// The block's Starknet version (the global root's rule changed at 0.14.0).
	pub starknet_version: Vec<u8>,
}

/// The new commitment: the nodes to write (`None`: remove), the new root of every trie that
/// changed (zero: the trie is now empty), and the roots of the block.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, TypeInfo)]
pub struct Commitment {
	pub nodes: Vec<(TrieId, NodePath, Option<TrieNode>)>,
	pub roots: Vec<(TrieId, Felt)>,
	pub contracts_root: Felt,
	pub classes_root: Felt,
	pub state_root: Felt,
}

/// Where the tries are read from: their nodes and roots as chain state holds them.
pub trait TrieStore {
	/// The node of `trie` at `path`.
	fn node(&self, trie: &TrieId, path: &NodePath) -> Result<Option<TrieNode>, TrieError>;
	/// The root of `trie` (zero if empty).
	fn root(&self, trie: &TrieId) -> Result<Felt, TrieError>;
}

#[cfg(not(substrate_runtime))]
mod native {
	use super::*;
	use crate::{
		hash::{class_leaf, contract_state_hash, state_root, Pedersen, Poseidon},
		node::TrieHash,
		trie::{update, NodeSource},
	};
	use alloc::collections::BTreeMap;

	struct One<'a, S> {
		store: &'a S,
		trie: TrieId,
	}

	impl<S: TrieStore> NodeSource for One<'_, S> {
		fn node(&self, path: &NodePath) -> Result<Option<TrieNode>, TrieError> {
			self.store.node(&self.trie, path)
		}
	}

	fn update_trie<H: TrieHash, S: TrieStore>(
		store: &S,
		trie: TrieId,
		changes: &[(Felt, Felt)],
		out: &mut Commitment,
	) -> Result<Felt, TrieError> {
		let old_root = store.root(&trie)?;
		let result = update::<H, _>(&One { store, trie }, old_root, changes)?;
		out.nodes.extend(result.writes.into_iter().map(|(path, node)| (trie, path, node)));
		if result.root != old_root {
			out.roots.push((trie, result.root));
		}
		Ok(result.root)
	}

	/// The block's new commitment (see [`Commitment`]).
	pub fn commit<S: TrieStore>(
		store: &S,
		request: &CommitRequest,
	) -> Result<Commitment, TrieError> {
		let mut out = Commitment::default();
		let mut storage_roots = BTreeMap::new();
		for (contract, cells) in &request.storage {
			let root =
				update_trie::<Pedersen, _>(store, TrieId::Storage(*contract), cells, &mut out)?;
			storage_roots.insert(*contract, root);
		}
		let mut leaves = Vec::with_capacity(request.contracts.len());
		for (contract, class_hash, nonce) in &request.contracts {
			let storage_root = match storage_roots.get(contract) {
				Some(root) => *root,
				None => store.root(&TrieId::Storage(*contract))?,
			};
			// A contract that has nothing (no class, nonce or storage) has no leaf.
			let leaf = if *class_hash == Felt::ZERO
				&& *nonce == Felt::ZERO
				&& storage_root == Felt::ZERO
			{
				Felt::ZERO
			} else {
				contract_state_hash(class_hash, &storage_root, nonce)
			};
			leaves.push((*contract, leaf));
		}
		out.contracts_root =
			update_trie::<Pedersen, _>(store, TrieId::Contracts, &leaves, &mut out)?;
		let classes: Vec<(Felt, Felt)> = request
			.classes
			.iter()
			.map(|(class_hash, compiled)| (*class_hash, class_leaf(compiled)))
			.collect();
		out.classes_root = update_trie::<Poseidon, _>(store, TrieId::Classes, &classes, &mut out)?;
		out.state_root =
			state_root(&out.contracts_root, &out.classes_root, &request.starknet_version);
		Ok(out)
	}
}

#[cfg(not(substrate_runtime))]
pub use native::commit;

/// Tries in memory (tests, tools): what chain state holds, in two maps.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct MemoryStore {
	pub nodes: alloc::collections::BTreeMap<(TrieId, NodePath), TrieNode>,
	pub roots: alloc::collections::BTreeMap<TrieId, Felt>,
}

impl MemoryStore {
	/// Write a commitment, as the pallet does.
	pub fn apply(&mut self, commitment: &Commitment) {
		for (trie, path, node) in &commitment.nodes {
			match node {
				Some(node) => self.nodes.insert((*trie, *path), *node),
				None => self.nodes.remove(&(*trie, *path)),
			};
		}
		for (trie, root) in &commitment.roots {
			if *root == Felt::ZERO {
				self.roots.remove(trie);
			} else {
				self.roots.insert(*trie, *root);
			}
		}
	}
}

impl TrieStore for MemoryStore {
	fn node(&self, trie: &TrieId, path: &NodePath) -> Result<Option<TrieNode>, TrieError> {
		Ok(self.nodes.get(&(*trie, *path)).copied())
	}

	fn root(&self, trie: &TrieId) -> Result<Felt, TrieError> {
		Ok(self.roots.get(trie).copied().unwrap_or_default())
	}
}

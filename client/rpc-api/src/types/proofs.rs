//! `starknet_getStorageProof`: its request's storage keys and the proof it answers.
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// The storage keys of one contract a proof is asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractStorageKeys {
	/// The contract.
	pub contract_address: Felt,
	/// Its cells.
	pub storage_keys: Vec<Felt>,
}

/// `MERKLE_NODE`: a binary or an edge node of a Merkle-Patricia tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MerkleNode {
	/// `BINARY_NODE`: both children non-zero.
	Binary {
		/// The left child's hash.
		left: Felt,
		/// The right child's hash.
		right: Felt,
	},
	/// `EDGE_NODE`: a path to the highest non-zero descendant.
	Edge {
		/// The path, as an integer (up to 251 bits).
		path: Felt,
		/// The path's length.
		length: u64,
		/// The descendant's hash.
		child: Felt,
	},
}

/// One entry of `NODE_HASH_TO_NODE_MAPPING`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeHashToNode {
	/// The node's hash.
	pub node_hash: Felt,
	/// The node.
	pub node: MerkleNode,
}

/// The nonce and class hash (and storage root) of a contract, to build its leaf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractLeafData {
	/// The contract's nonce.
	pub nonce: Felt,
	/// Its class.
	pub class_hash: Felt,
	/// Its storage root.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub storage_root: Option<Felt>,
}

/// The contracts tree's proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractsProof {
	/// The nodes on the paths from the root to the requested leaves.
	pub nodes: Vec<NodeHashToNode>,
	/// The requested contracts' leaf data, in request order.
	pub contract_leaves_data: Vec<ContractLeafData>,
}

/// The roots the proofs lead to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalRoots {
	/// The contracts tree's root.
	pub contracts_tree_root: Felt,
	/// The classes tree's root.
	pub classes_tree_root: Felt,
	/// The block's hash.
	pub block_hash: Felt,
}

/// Answer of `starknet_getStorageProof`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageProof {
	/// The classes tree's proof.
	pub classes_proof: Vec<NodeHashToNode>,
	/// The contracts tree's proof.
	pub contracts_proof: ContractsProof,
	/// Per requested contract, its storage tree's proof.
	pub contracts_storage_proofs: Vec<Vec<NodeHashToNode>>,
	/// The roots.
	pub global_roots: GlobalRoots,
}

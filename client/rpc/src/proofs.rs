//! `starknet_getStorageProof`: Merkle proofs out of the state commitment's tries as the block's
//! state holds them (pallet-starknet's `TrieNodes`/`TrieRoots`, see `cairn_commitment::layout`),
//! for blocks up to `Limits::proof_history` behind the best one.
use crate::{unexpected, Result, Starknet};
use cairn_commitment::{
	hash::{Pedersen, Poseidon},
	layout,
	node::{NodePath, TrieHash, TrieId, TrieNode},
	trie::{proof, NodeSource, TrieError},
};
use cairn_index::StarknetClient;
use cairn_primitives::starknet::{exec::StarknetHeader, storage, Felt};
use cairn_rpc_api::{
	types::{
		BlockId, ContractLeafData, ContractStorageKeys, ContractsProof, GlobalRoots, MerkleNode,
		NodeHashToNode, StorageProof,
	},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto};
use std::{cell::RefCell, collections::BTreeMap};

/// One trie of the state at one block. A read that fails (the state is pruned) is remembered, so
/// the answer can be STORAGE_PROOF_NOT_SUPPORTED rather than a broken proof.
struct AtBlock<'a, B: BlockT, C, BE, P: TransactionPool> {
	rpc: &'a Starknet<B, C, BE, P>,
	at: B::Hash,
	trie: TrieId,
	failed: RefCell<bool>,
}

impl<B, C, BE, P> NodeSource for AtBlock<'_, B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	fn node(&self, path: &NodePath) -> std::result::Result<Option<TrieNode>, TrieError> {
		self.rpc.read(self.at, layout::node_key(&self.trie, path)).map_err(|_| {
			*self.failed.borrow_mut() = true;
			TrieError::Store(b"the block's state is not available".to_vec())
		})
	}
}

/// The proofs of several keys of one trie, as one node set (each node once, by hash).
fn proofs_of<H: TrieHash, S: NodeSource>(
	source: &S,
	root: Felt,
	keys: &[Felt],
) -> std::result::Result<Vec<NodeHashToNode>, TrieError> {
	let mut nodes: BTreeMap<Felt, TrieNode> = BTreeMap::new();
	for key in keys {
		nodes.extend(proof::<H, _>(source, root, key)?);
	}
	Ok(nodes
		.into_iter()
		.map(|(node_hash, node)| NodeHashToNode {
			node_hash,
			node: match node {
				TrieNode::Binary { left, right } => MerkleNode::Binary { left, right },
				TrieNode::Edge { child, path, length } => {
					MerkleNode::Edge { path, length: length as u64, child }
				}
			},
		})
		.collect())
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	fn root_at(&self, at: B::Hash, trie: &TrieId) -> Result<Felt> {
		Ok(self.read::<Felt>(at, layout::root_key(trie))?.unwrap_or_default())
	}

	/// `starknet_getStorageProof`.
	pub(crate) fn storage_proof(
		&self,
		block_id: BlockId,
		class_hashes: Vec<Felt>,
		contract_addresses: Vec<Felt>,
		contracts_storage_keys: Vec<ContractStorageKeys>,
	) -> Result<StorageProof> {
		if block_id == BlockId::PreConfirmed {
			return Err(StarknetError::InvalidParams(
				"a storage proof is of a block: `pre_confirmed` has no state root yet".into(),
			));
		}
		let at = self.block(block_id)?;
		let count = class_hashes.len()
			+ contract_addresses.len()
			+ contracts_storage_keys.iter().map(|c| c.storage_keys.len().max(1)).sum::<usize>();
		self.limits.check_proof_keys(count)?;
		// Trie keys are 251 bits: a larger one is the caller's mistake, said before any read.
		let keys = class_hashes.iter().chain(&contract_addresses).chain(
			contracts_storage_keys
				.iter()
				.flat_map(|c| core::iter::once(&c.contract_address).chain(&c.storage_keys)),
		);
		for key in keys {
			if !cairn_commitment::node::fits(&cairn_commitment::node::bytes(key)) {
				return Err(StarknetError::InvalidParams(format!(
					"{:#x} is not a trie key: keys are below 2^251",
					key.0
				)));
			}
		}
		let header =
			self.client.header(at).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)?;
		let number: u64 = (*header.number()).unique_saturated_into();
		let best: u64 = self.client.info().best_number.unique_saturated_into();
		if best.saturating_sub(number) > self.limits.proof_history {
			return Err(StarknetError::StorageProofNotSupported);
		}
		// A pruned state: not supported (rather than an internal error).
		let starknet_header: StarknetHeader = self
			.read(at, storage::header_key(number))
			.map_err(|_| StarknetError::StorageProofNotSupported)?
			.ok_or(StarknetError::StorageProofNotSupported)?;
		let source = |trie| AtBlock { rpc: self, at, trie, failed: RefCell::new(false) };
		let failed = |source: &AtBlock<'_, B, C, BE, P>, error: TrieError| {
			if *source.failed.borrow() {
				StarknetError::StorageProofNotSupported
			} else {
				unexpected(format!("{error:?}"))
			}
		};
		let classes_root = self.root_at(at, &TrieId::Classes)?;
		let contracts_root = self.root_at(at, &TrieId::Contracts)?;

		let classes = source(TrieId::Classes);
		let classes_proof = proofs_of::<Poseidon, _>(&classes, classes_root, &class_hashes)
			.map_err(|e| failed(&classes, e))?;

		let contracts = source(TrieId::Contracts);
		let nodes = proofs_of::<Pedersen, _>(&contracts, contracts_root, &contract_addresses)
			.map_err(|e| failed(&contracts, e))?;
		let contract_leaves_data = contract_addresses
			.iter()
			.map(|contract| {
				Ok(ContractLeafData {
					nonce: self
						.read(at, storage::map_key(storage::NONCES, contract))?
						.unwrap_or_default(),
					class_hash: self
						.read(at, storage::map_key(storage::CONTRACT_CLASS_HASHES, contract))?
						.unwrap_or_default(),
					storage_root: Some(self.root_at(at, &TrieId::Storage(*contract))?),
				})
			})
			.collect::<Result<Vec<_>>>()?;

		let contracts_storage_proofs = contracts_storage_keys
			.iter()
			.map(|request| {
				let trie = TrieId::Storage(request.contract_address);
				let root = self.root_at(at, &trie)?;
				let cells = source(trie);
				proofs_of::<Pedersen, _>(&cells, root, &request.storage_keys)
					.map_err(|e| failed(&cells, e))
			})
			.collect::<Result<Vec<_>>>()?;

		// The roots must be the block's: its header's root is their hash.
		let expected = cairn_commitment::hash::state_root(
			&contracts_root,
			&classes_root,
			&starknet_header.starknet_version,
		);
		if expected != starknet_header.state_root {
			return Err(unexpected(format!(
				"block {number}: the tries' roots hash to {expected:?}, its header says {:?}",
				starknet_header.state_root
			)));
		}
		Ok(StorageProof {
			classes_proof,
			contracts_proof: ContractsProof { nodes, contract_leaves_data },
			contracts_storage_proofs,
			global_roots: GlobalRoots {
				contracts_tree_root: contracts_root,
				classes_tree_root: classes_root,
				block_hash: starknet_header.block_hash,
			},
		})
	}
}

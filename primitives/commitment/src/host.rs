//! The commitment's host functions: the runtime calls them at the end of every block (and at
//! genesis), the node answers them natively. Unlike the executor's, they need no extension:
//! their bodies are here, so every caller that lists [`starknet_commitment::HostFunctions`]
//! (block building and import, genesis building from a chain spec, tests) computes the same.
//!
//! Versioning as in `cairn_primitives::starknet::host`: once shipped, a version's results are
//! frozen; a change of what they compute is a new `#[version]` beside the old one.
//!
//! They read the tries from the externalities (the pallet's `TrieNodes` and `TrieRoots`, laid
//! out as [`crate::layout`] says) and never write: the pallet applies what they return.
use crate::{
	block_hash::{BlockHashOutcome, BlockHashRequest},
	state::{CommitRequest, Commitment},
	trie::TrieError,
};
use alloc::vec::Vec;
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndDecode},
	runtime_interface,
};

#[cfg(not(substrate_runtime))]
mod native {
	use crate::{
		layout,
		node::{NodePath, TrieId, TrieNode},
		state::TrieStore,
		trie::TrieError,
	};
	use alloc::{string::ToString, vec::Vec};
	use cairn_primitives::starknet::Felt;
	use codec::Decode;
	use core::cell::RefCell;

	/// The tries as the externalities hold them.
	pub struct ExtStore<'a>(pub RefCell<&'a mut dyn sp_externalities::Externalities>);

	fn decode<T: Decode>(data: Option<Vec<u8>>) -> Result<Option<T>, TrieError> {
		data.map(|bytes| {
			T::decode(&mut &bytes[..]).map_err(|e| TrieError::Store(e.to_string().into_bytes()))
		})
		.transpose()
	}

	impl TrieStore for ExtStore<'_> {
		fn node(&self, trie: &TrieId, path: &NodePath) -> Result<Option<TrieNode>, TrieError> {
			decode(self.0.borrow_mut().storage(&layout::node_key(trie, path)))
		}

		fn root(&self, trie: &TrieId) -> Result<Felt, TrieError> {
			Ok(decode(self.0.borrow_mut().storage(&layout::root_key(trie)))?.unwrap_or_default())
		}
	}
}

/// Starknet's state commitment and block hash, natively.
#[runtime_interface]
pub trait StarknetCommitment {
	/// The commitment after a block: `request` is what the block changed; the tries before it
	/// are read from the current state. `Err` means the state does not hold the tries its roots
	/// refer to, or a key is out of range: the block cannot be built.
	fn commit(
		&mut self,
		request: PassFatPointerAndDecode<CommitRequest>,
	) -> AllocateAndReturnByCodec<Result<Commitment, TrieError>> {
		let started = std::time::Instant::now();
		let store = native::ExtStore(core::cell::RefCell::new(*self));
		let result = crate::state::commit(&store, &request);
		if let Ok(commitment) = &result {
			log::debug!(
				target: "starknet-commitment",
				"commit: {} contracts, {} storage cells, {} classes → {} node writes, {} µs",
				request.contracts.len(),
				request.storage.iter().map(|(_, cells)| cells.len()).sum::<usize>(),
				request.classes.len(),
				commitment.nodes.len(),
				started.elapsed().as_micros(),
			);
		}
		result
	}

	/// A block's Starknet hash and header commitments. `Err` (a message) if a field is out of
	/// range for Starknet (an address, the version string).
	fn block_hash(
		request: PassFatPointerAndDecode<BlockHashRequest>,
	) -> AllocateAndReturnByCodec<Result<BlockHashOutcome, Vec<u8>>> {
		let started = std::time::Instant::now();
		let result = crate::block_hash::compute(&request).map_err(|e| e.into_bytes());
		log::debug!(
			target: "starknet-commitment",
			"block hash of #{}: {} transactions, {} µs",
			request.block_number,
			request.transactions.len(),
			started.elapsed().as_micros(),
		);
		result
	}
}

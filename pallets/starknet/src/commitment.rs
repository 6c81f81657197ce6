//! The end of every block (and genesis): the Starknet state commitment and the block's Starknet
//! header, both consensus.
//!
//! - At `on_initialize` of block n ≥ 10 the hash of block n − 10 is written to contract `0x1`
//!   under key n − 10, as Starknet's sequencer does before a block's transactions, so the
//!   `get_block_hash` syscall reads it. The write is part of the block's state diff. (Contract
//!   `0x2`, Starknet 0.14.1's stateful-compression aliases, stays empty: aliases only shorten the
//!   data posted to L1, and Cairn posts none.)
//! - At `on_finalize` the block's merged state diff updates the tries in `TrieNodes`/`TrieRoots`
//!   through the `starknet_commitment::commit` host function (native Pedersen and Poseidon over
//!   the nodes the diff reaches), then `starknet_commitment::block_hash` hashes the header over
//!   the new state root, the transactions' signatures and receipts, the state diff and the parent's
//!   hash. An importing node re-executes the block, so it recomputes both, and the block's storage
//!   root (in the Substrate header) covers `Headers`: a block whose Starknet root or hash differs
//!   does not import.
use crate::{pallet::*, BlockTotals, Config};
use alloc::{collections::BTreeMap, vec::Vec};
use cairn_commitment::{
	block_hash::BlockHashRequest, host::starknet_commitment, CommitRequest, Commitment,
};
use cairn_primitives::starknet::{
	exec::{StarknetHeader, StateDiff},
	genesis::GenesisState,
	Felt,
};
use frame_support::weights::Weight;

/// The contract that holds recent block hashes (Starknet's block-hash contract).
pub const BLOCK_HASH_CONTRACT: Felt = Felt::from_hex_const("0x1");

/// At block n, the hash of block n − `STORED_BLOCK_HASH_BUFFER` becomes readable.
pub const STORED_BLOCK_HASH_BUFFER: u64 = 10;

/// What sealing a block costs beyond its transactions (reserved at `on_initialize`): the trie
/// updates and hashes, bounded through the block's state-diff capacity. 10 ms.
pub const SEAL_WEIGHT: Weight = Weight::from_parts(10_000_000_000, 0);

impl<T: Config> Pallet<T> {
	/// Block `number`'s write of the hash of block `number − 10` into contract `0x1`.
	pub(crate) fn record_old_block_hash(number: u64) {
		let Some(old) = number.checked_sub(STORED_BLOCK_HASH_BUFFER) else { return };
		let Some(header) = Headers::<T>::get(old) else { return };
		let key = Felt::from(old as u128);
		ContractStorage::<T>::insert(BLOCK_HASH_CONTRACT, key, header.block_hash);
		StateDiffs::<T>::append(StateDiff {
			storage: alloc::vec![(BLOCK_HASH_CONTRACT, key, header.block_hash)],
			..Default::default()
		});
	}

	/// Genesis as block 0: its state as block 0's state diff, committed and hashed like any
	/// block's.
	pub(crate) fn seal_genesis(state: Option<&GenesisState>) {
		if let Some(state) = state {
			StateDiffs::<T>::put(alloc::vec![StateDiff::merged([StateDiff {
				storage: state
					.storage
					.iter()
					.filter(|(_, _, value)| *value != Felt::ZERO)
					.copied()
					.collect(),
				nonces: Vec::new(),
				class_hashes: state.contracts.iter().map(|c| (c.address, c.class_hash)).collect(),
				compiled_class_hashes: state
					.classes
					.iter()
					.map(|class| (class.class_hash, class.compiled_class_hash))
					.collect(),
			}])]);
		}
		Self::seal_block(0, 0);
	}

	/// Commit block `number`'s state diff and write its Starknet header.
	pub(crate) fn seal_block(number: u64, timestamp: u64) {
		let diff = StateDiff::merged(StateDiffs::<T>::get());
		let config = ChainConfiguration::<T>::get();
		let commitment = Self::commit_state(&diff, config.starknet_version.clone());
		let totals: BlockTotals = Totals::<T>::get();
		let parent_hash = match number.checked_sub(1) {
			Some(parent) => Headers::<T>::get(parent).map(|h| h.block_hash).unwrap_or_default(),
			None => Felt::ZERO,
		};
		let transactions: Vec<_> =
			Signatures::<T>::get().into_iter().zip(Receipts::<T>::get()).collect();
		let hashed = starknet_commitment::block_hash(BlockHashRequest {
			block_number: number,
			timestamp,
			sequencer_address: config.sequencer_address,
			gas_prices: config.gas_prices,
			starknet_version: config.starknet_version.clone(),
			use_kzg_da: config.use_kzg_da,
			transactions,
			state_diff: diff,
			parent_hash,
			state_root: commitment.state_root,
		})
		.unwrap_or_else(|e| {
			panic!("block {number}'s Starknet hash: {}", alloc::string::String::from_utf8_lossy(&e))
		});
		Headers::<T>::insert(
			number,
			StarknetHeader {
				block_number: number,
				timestamp,
				sequencer_address: config.sequencer_address,
				gas_prices: config.gas_prices,
				starknet_version: config.starknet_version,
				transaction_count: totals.transaction_count,
				event_count: totals.event_count,
				parent_hash,
				state_root: commitment.state_root,
				block_hash: hashed.block_hash,
				commitments: hashed.commitments,
			},
		);
	}

	/// Update the tries with `diff` (the block's merged diff, applied to state already) and
	/// write the new nodes and roots.
	fn commit_state(diff: &StateDiff, starknet_version: Vec<u8>) -> Commitment {
		let mut storage: BTreeMap<Felt, Vec<(Felt, Felt)>> = BTreeMap::new();
		for (contract, key, value) in &diff.storage {
			storage.entry(*contract).or_default().push((*key, *value));
		}
		let mut touched: Vec<Felt> = storage.keys().copied().collect();
		touched.extend(diff.nonces.iter().map(|(contract, _)| *contract));
		touched.extend(diff.class_hashes.iter().map(|(contract, _)| *contract));
		touched.sort();
		touched.dedup();
		let request = CommitRequest {
			storage: storage.into_iter().collect(),
			contracts: touched
				.into_iter()
				.map(|contract| {
					(
						contract,
						ContractClassHashes::<T>::get(contract).unwrap_or_default(),
						Nonces::<T>::get(contract).unwrap_or_default(),
					)
				})
				.collect(),
			classes: diff.compiled_class_hashes.clone(),
			starknet_version,
		};
		let commitment = starknet_commitment::commit(request)
			.unwrap_or_else(|e| panic!("the state commitment cannot be updated: {e:?}"));
		for (trie, path, node) in &commitment.nodes {
			match node {
				Some(node) => TrieNodes::<T>::insert(trie, path, node),
				None => TrieNodes::<T>::remove(trie, path),
			}
		}
		for (trie, root) in &commitment.roots {
			if *root == Felt::ZERO {
				TrieRoots::<T>::remove(trie);
			} else {
				TrieRoots::<T>::insert(trie, root);
			}
		}
		commitment
	}
}

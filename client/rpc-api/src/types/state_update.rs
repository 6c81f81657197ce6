//! `STATE_DIFF` and `starknet_getStateUpdate`'s answers.
use cairn_primitives::starknet::{exec, Felt};
use serde::{Deserialize, Serialize};

/// A storage cell's new value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageEntry {
	/// The cell.
	pub key: Felt,
	/// Its new value.
	pub value: Felt,
}

/// `CONTRACT_STORAGE_DIFF_ITEM`: one contract's changed cells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractStorageDiffItem {
	/// The contract.
	pub address: Felt,
	/// Its changed cells, by key.
	pub storage_entries: Vec<StorageEntry>,
}

/// A class declared (with its compiled class hash).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredClass {
	/// The Sierra class hash.
	pub class_hash: Felt,
	/// Its compiled class hash.
	pub compiled_class_hash: Felt,
}

/// `DEPLOYED_CONTRACT_ITEM`: a contract deployed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployedContract {
	/// Its address.
	pub address: Felt,
	/// Its class.
	pub class_hash: Felt,
}

/// A contract whose class was replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplacedClass {
	/// The contract.
	pub contract_address: Felt,
	/// Its new class.
	pub class_hash: Felt,
}

/// A contract's new nonce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceUpdate {
	/// The contract.
	pub contract_address: Felt,
	/// Its new nonce.
	pub nonce: Felt,
}

/// `STATE_DIFF`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateDiff {
	/// Changed storage, by contract.
	pub storage_diffs: Vec<ContractStorageDiffItem>,
	/// Cairo 0 classes declared: none (Cairn declares Sierra classes only).
	pub deprecated_declared_classes: Vec<Felt>,
	/// Classes declared.
	pub declared_classes: Vec<DeclaredClass>,
	/// Contracts deployed.
	pub deployed_contracts: Vec<DeployedContract>,
	/// Contracts whose class was replaced.
	pub replaced_classes: Vec<ReplacedClass>,
	/// New nonces.
	pub nonces: Vec<NonceUpdate>,
}

impl StateDiff {
	/// The spec's diff of `diff`, restricted to the contracts `wanted` accepts. `existed` tells
	/// whether a contract given a class existed before the diff (a class replacement) or not (a
	/// deployment).
	pub fn new(
		diff: &exec::StateDiff,
		existed: impl Fn(&Felt) -> bool,
		wanted: impl Fn(&Felt) -> bool,
	) -> Self {
		let mut storage_diffs: Vec<ContractStorageDiffItem> = Vec::new();
		for (contract, key, value) in diff.storage.iter().filter(|(c, _, _)| wanted(c)) {
			let entry = StorageEntry { key: *key, value: *value };
			match storage_diffs.last_mut() {
				Some(last) if last.address == *contract => last.storage_entries.push(entry),
				_ => storage_diffs.push(ContractStorageDiffItem {
					address: *contract,
					storage_entries: vec![entry],
				}),
			}
		}
		let mut deployed_contracts = Vec::new();
		let mut replaced_classes = Vec::new();
		for (contract, class_hash) in diff.class_hashes.iter().filter(|(c, _)| wanted(c)) {
			if existed(contract) {
				replaced_classes
					.push(ReplacedClass { contract_address: *contract, class_hash: *class_hash });
			} else {
				deployed_contracts
					.push(DeployedContract { address: *contract, class_hash: *class_hash });
			}
		}
		StateDiff {
			storage_diffs,
			deprecated_declared_classes: Vec::new(),
			declared_classes: diff
				.compiled_class_hashes
				.iter()
				.map(|(class_hash, compiled_class_hash)| DeclaredClass {
					class_hash: *class_hash,
					compiled_class_hash: *compiled_class_hash,
				})
				.collect(),
			deployed_contracts,
			replaced_classes,
			nonces: diff
				.nonces
				.iter()
				.filter(|(c, _)| wanted(c))
				.map(|(contract, nonce)| NonceUpdate { contract_address: *contract, nonce: *nonce })
				.collect(),
		}
	}
}

/// `STATE_UPDATE`: the state diff a block applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateUpdate {
	/// The block's Starknet hash.
	pub block_hash: Felt,
	/// The global state root before: 0 until Cairn keeps a Starknet state commitment.
	pub old_root: Felt,
	/// The global state root after: 0 likewise.
	pub new_root: Felt,
	/// The diff.
	pub state_diff: StateDiff,
}

/// `PRE_CONFIRMED_STATE_UPDATE`: what the block being built changed so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreConfirmedStateUpdate {
	/// The global state root before (0).
	pub old_root: Felt,
	/// The diff.
	pub state_diff: StateDiff,
}

/// Answer of `starknet_getStateUpdate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaybePreConfirmedStateUpdate {
	/// A block's update.
	Block(StateUpdate),
	/// The block being built's.
	PreConfirmed(PreConfirmedStateUpdate),
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn felt(value: u128) -> Felt {
		Felt::from(value)
	}

	fn diff() -> exec::StateDiff {
		exec::StateDiff {
			storage: vec![
				(felt(1), felt(10), felt(100)),
				(felt(1), felt(11), felt(110)),
				(felt(2), felt(10), felt(200)),
			],
			nonces: vec![(felt(1), felt(5)), (felt(2), felt(6))],
			class_hashes: vec![(felt(1), felt(0xc1)), (felt(3), felt(0xc3))],
			compiled_class_hashes: vec![(felt(0xc3), felt(0xd3))],
		}
	}

	#[test]
	fn state_diff_json() {
		let existed = |contract: &Felt| *contract == felt(1);
		assert_eq!(
			serde_json::to_value(StateDiff::new(&diff(), existed, |_| true)).unwrap(),
			json!({
				"storage_diffs": [
					{ "address": "0x1", "storage_entries": [
						{ "key": "0xa", "value": "0x64" },
						{ "key": "0xb", "value": "0x6e" },
					] },
					{ "address": "0x2", "storage_entries": [{ "key": "0xa", "value": "0xc8" }] },
				],
				"deprecated_declared_classes": [],
				"declared_classes": [{ "class_hash": "0xc3", "compiled_class_hash": "0xd3" }],
				"deployed_contracts": [{ "address": "0x3", "class_hash": "0xc3" }],
				"replaced_classes": [{ "contract_address": "0x1", "class_hash": "0xc1" }],
				"nonces": [
					{ "contract_address": "0x1", "nonce": "0x5" },
					{ "contract_address": "0x2", "nonce": "0x6" },
				],
			})
		);
	}

	#[test]
	fn restricted_to_some_contracts() {
		let only_two = StateDiff::new(&diff(), |_| false, |contract| *contract == felt(2));
		assert_eq!(only_two.storage_diffs.len(), 1);
		assert_eq!(only_two.storage_diffs[0].address, felt(2));
		assert!(only_two.deployed_contracts.is_empty());
		assert_eq!(
			only_two.nonces,
			vec![NonceUpdate { contract_address: felt(2), nonce: felt(6) }]
		);
		// Declarations belong to no contract: always there.
		assert_eq!(only_two.declared_classes.len(), 1);
	}

	#[test]
	fn state_updates_json() {
		let block = MaybePreConfirmedStateUpdate::Block(StateUpdate {
			block_hash: felt(0xbb),
			old_root: Felt::ZERO,
			new_root: Felt::ZERO,
			state_diff: StateDiff::default(),
		});
		let json = serde_json::to_value(&block).unwrap();
		assert_eq!(json["old_root"], "0x0");
		assert_eq!(json["block_hash"], "0xbb");
		assert_eq!(serde_json::from_value::<MaybePreConfirmedStateUpdate>(json).unwrap(), block);
		let pre = MaybePreConfirmedStateUpdate::PreConfirmed(PreConfirmedStateUpdate {
			old_root: Felt::ZERO,
			state_diff: StateDiff::default(),
		});
		let json = serde_json::to_value(&pre).unwrap();
		assert_eq!(
			json,
			json!({ "old_root": "0x0", "state_diff": {
				"storage_diffs": [],
				"deprecated_declared_classes": [],
				"declared_classes": [],
				"deployed_contracts": [],
				"replaced_classes": [],
				"nonces": [],
			} })
		);
		assert_eq!(serde_json::from_value::<MaybePreConfirmedStateUpdate>(json).unwrap(), pre);
	}
}

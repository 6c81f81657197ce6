//! Published networks' first blocks, reproduced bit for bit: each block's state diff applied on
//! top of the previous blocks' state gives the block's published `new_root` (the files in
//! `vectors/` name their source). A root depends on the whole prior state, so this checks the
//! storage tries, the contract state hash (with nonces), the contracts trie, the classes trie
//! (Sepolia block 7 declares the first Sierra classes) and the root rule together, across blocks
//! (incremental updates of persisted tries).
use cairn_commitment::{
	state::{commit, MemoryStore},
	CommitRequest,
};
use cairn_primitives::starknet::Felt;
use serde_json::Value;
use std::collections::BTreeMap;

fn felt(value: &Value) -> Felt {
	let text = value.as_str().unwrap();
	// The feeder gateway writes some roots without `0x`, zero-padded to 64 digits.
	let hex = text.strip_prefix("0x").unwrap_or(text).trim_start_matches('0');
	Felt::from_hex(&format!("0x{}", if hex.is_empty() { "0" } else { hex })).unwrap()
}

fn pairs(value: &Value) -> Vec<(Felt, Felt)> {
	value
		.as_array()
		.map(|list| list.iter().map(|p| (felt(&p[0]), felt(&p[1]))).collect())
		.unwrap_or_default()
}

/// Replay `vectors`' blocks from genesis (all before Starknet 0.14, whose root rule they follow);
/// how many blocks.
fn replay(vectors: &str) -> usize {
	let vectors: Value = serde_json::from_str(vectors).unwrap();
	let mut store = MemoryStore::default();
	let mut class_hashes: BTreeMap<Felt, Felt> = BTreeMap::new();
	let mut nonces: BTreeMap<Felt, Felt> = BTreeMap::new();
	let mut previous_root = Felt::ZERO;
	let blocks = vectors["blocks"].as_array().unwrap();
	for block in blocks {
		let number = block["block_number"].as_u64().unwrap();
		assert_eq!(felt(&block["old_root"]), previous_root, "block {number}: old root");
		let mut touched: Vec<Felt> = Vec::new();
		for (address, class_hash) in
			pairs(&block["deployed_contracts"]).into_iter().chain(pairs(&block["replaced_classes"]))
		{
			class_hashes.insert(address, class_hash);
			touched.push(address);
		}
		if let Some(changed) = block["nonces"].as_object() {
			for (address, nonce) in changed {
				let address = felt(&Value::String(address.clone()));
				nonces.insert(address, felt(nonce));
				touched.push(address);
			}
		}
		let mut storage: BTreeMap<Felt, Vec<(Felt, Felt)>> = BTreeMap::new();
		for (contract, cells) in block["storage_diffs"].as_object().unwrap() {
			let contract = felt(&Value::String(contract.clone()));
			let mut cells = pairs(cells);
			cells.sort();
			storage.insert(contract, cells);
			touched.push(contract);
		}
		touched.sort();
		touched.dedup();
		let request = CommitRequest {
			storage: storage.into_iter().collect(),
			contracts: touched
				.iter()
				.map(|c| {
					(
						*c,
						class_hashes.get(c).copied().unwrap_or_default(),
						nonces.get(c).copied().unwrap_or_default(),
					)
				})
				.collect(),
			// (Cairo 0 classes, `old_declared_contracts`, are not in the classes trie.)
			classes: pairs(&block["declared_classes"]),
			starknet_version: b"0.12.0".to_vec(),
		};
		let commitment = commit(&store, &request).unwrap();
		store.apply(&commitment);
		assert_eq!(commitment.state_root, felt(&block["new_root"]), "block {number}: new root");
		previous_root = commitment.state_root;
	}
	blocks.len()
}

#[test]
fn mainnet_blocks_0_to_2_give_their_published_roots() {
	assert_eq!(replay(include_str!("vectors/mainnet-0-2.json")), 3);
}

#[test]
fn sepolia_blocks_0_to_7_give_their_published_roots() {
	assert_eq!(replay(include_str!("vectors/sepolia-0-7.json")), 8);
}

//! The Starknet state commitment on a real development node:
//! - `get_block_hash` works: at block n the hash of block n − 10 is in contract `0x1`, and a
//!   contract (the project's own `block_hash_reader`) reads through the syscall exactly what
//!   `getBlockWithTxHashes` answers, in a call and inside a transaction;
//! - every block's header root is its state update's `new_root`, and each state update's
//!   `old_root` is the parent's; block 0 is the genesis state diff with its root;
//! - every proof `getStorageProof` returns verifies with a verifier written here, apart from the
//!   node's code (it walks the nodes with starknet-crypto's Pedersen and Poseidon up to the
//!   announced roots, and the roots up to the block's `new_root`), for members and non-members of
//!   all three kinds of trie; a tampered proof fails it;
//! - after a restart the root is the one the chain had, new blocks build on it, proofs still
//!   verify, and `--rpc-proof-history` bounds how far back proofs go (42 beyond, as the spec says).
mod common;

use std::{collections::HashMap, time::Duration};

use cairn_primitives::starknet::Felt;
use common::*;
use jsonrpsee::core::{client::ClientT, params::ObjectParams, ClientError};
use serde_json::{json, Value};
use starknet_crypto::{pedersen_hash, poseidon_hash, poseidon_hash_many, Felt as CryptoFelt};

fn crypto(value: &Value) -> CryptoFelt {
	CryptoFelt::from_hex(value.as_str().unwrap_or_else(|| panic!("not a felt: {value}"))).unwrap()
}

fn short_string(text: &str) -> CryptoFelt {
	CryptoFelt::from_bytes_be_slice(text.as_bytes())
}

/// Bit `i` (0 = most significant of the 251) of a key.
fn key_bit(key: &CryptoFelt, i: usize) -> bool {
	let bytes = key.to_bytes_be();
	let absolute = 5 + i;
	bytes[absolute / 8] & (0x80 >> (absolute % 8)) != 0
}

/// Bit `j` (0 = first) of an edge's `length`-bit path.
fn path_bit(path: &CryptoFelt, length: usize, j: usize) -> bool {
	let t = length - 1 - j;
	path.to_bytes_be()[31 - t / 8] & (1 << (t % 8)) != 0
}

/// Verify a `NODE_HASH_TO_NODE_MAPPING` proof of `key` under `root`: every node must hash to its
/// `node_hash` with `hash`, and the walk from `root` along the key's bits must be complete. The
/// proven leaf (zero: proven absent, by an empty trie or an edge leaving the key's path).
fn verify(
	nodes: &Value,
	root: CryptoFelt,
	key: CryptoFelt,
	hash: fn(&CryptoFelt, &CryptoFelt) -> CryptoFelt,
) -> Result<CryptoFelt, String> {
	let mut by_hash: HashMap<CryptoFelt, Value> = HashMap::new();
	for entry in nodes.as_array().ok_or("not a list")? {
		let node = &entry["node"];
		let computed = if node.get("left").is_some() {
			hash(&crypto(&node["left"]), &crypto(&node["right"]))
		} else {
			let length = node["length"].as_u64().ok_or("no length")?;
			hash(&crypto(&node["child"]), &crypto(&node["path"])) + CryptoFelt::from(length)
		};
		if computed != crypto(&entry["node_hash"]) {
			return Err(format!("a node does not hash to its node_hash: {entry}"));
		}
		by_hash.insert(computed, node.clone());
	}
	if root == CryptoFelt::ZERO {
		return Ok(CryptoFelt::ZERO);
	}
	let (mut current, mut depth) = (root, 0usize);
	while depth < 251 {
		let node = by_hash.get(&current).ok_or(format!("the proof lacks node {current:#x}"))?;
		if node.get("left").is_some() {
			current = crypto(&node[if key_bit(&key, depth) { "right" } else { "left" }]);
			depth += 1;
		} else {
			let length = node["length"].as_u64().unwrap() as usize;
			let path = crypto(&node["path"]);
			if (0..length).any(|j| path_bit(&path, length, j) != key_bit(&key, depth + j)) {
				return Ok(CryptoFelt::ZERO);
			}
			current = crypto(&node["child"]);
			depth += length;
		}
	}
	Ok(current)
}

fn pedersen(a: &CryptoFelt, b: &CryptoFelt) -> CryptoFelt {
	pedersen_hash(a, b)
}

fn poseidon(a: &CryptoFelt, b: &CryptoFelt) -> CryptoFelt {
	poseidon_hash(*a, *b)
}

async fn error_code(node: &Node, method: &str, params: ObjectParams) -> i32 {
	match node.client.request::<Value, _>(method, params).await {
		Ok(value) => panic!("{method} answered {value}"),
		Err(ClientError::Call(error)) => error.code(),
		Err(other) => panic!("{method}: {other}"),
	}
}

async fn block_of(node: &Node, number: u64) -> Value {
	node.rpc("starknet_getBlockWithTxHashes", params(vec![json!({ "block_number": number })])).await
}

/// Roots and hashes link up block by block, from the genesis state update on.
async fn check_chain_of_roots(node: &Node, up_to: u64) {
	let mut previous: Option<Value> = None;
	for number in 0..=up_to {
		let block = block_of(node, number).await;
		let update = node
			.rpc("starknet_getStateUpdate", params(vec![json!({ "block_number": number })]))
			.await;
		assert_eq!(update["new_root"], block["new_root"], "block {number}");
		assert_eq!(update["block_hash"], block["block_hash"], "block {number}");
		assert_ne!(block["new_root"], "0x0", "block {number}");
		match &previous {
			None => {
				assert_eq!(update["old_root"], "0x0");
				assert_eq!(block["parent_hash"], "0x0");
			}
			Some(parent) => {
				assert_eq!(update["old_root"], parent["new_root"], "block {number}");
				assert_eq!(block["parent_hash"], parent["block_hash"], "block {number}");
			}
		}
		previous = Some(block);
	}
}

/// Ask for proofs of a class, a contract and a storage cell (each also absent) at `block_id` and
/// verify all of them independently; the proven storage value.
async fn verified_proofs(
	node: &Node,
	block_id: Value,
	class: (Felt, Felt),
	contract: Felt,
	cell: Felt,
) -> CryptoFelt {
	let absent = json!("0x5151");
	let proof = node
		.client
		.request::<Value, _>(
			"starknet_getStorageProof",
			named(&[
				("block_id", block_id.clone()),
				("class_hashes", json!([class.0, absent])),
				("contract_addresses", json!([contract, absent])),
				(
					"contracts_storage_keys",
					json!([{ "contract_address": contract, "storage_keys": [cell, "0x777"] }]),
				),
			]),
		)
		.await
		.unwrap();
	let roots = &proof["global_roots"];
	let (contracts_root, classes_root) =
		(crypto(&roots["contracts_tree_root"]), crypto(&roots["classes_tree_root"]));
	// The roots are the block's.
	let block = node.rpc("starknet_getBlockWithTxHashes", params(vec![block_id.clone()])).await;
	assert_eq!(roots["block_hash"], block["block_hash"]);
	let state_root =
		poseidon_hash_many(&[short_string("STARKNET_STATE_V0"), contracts_root, classes_root]);
	assert_eq!(state_root, crypto(&block["new_root"]), "{proof}");

	// Classes: the declared one's leaf is its compiled class hash's, the other is absent.
	let leaf = verify(&proof["classes_proof"], classes_root, crypto(&json!(class.0)), poseidon);
	assert_eq!(
		leaf.unwrap(),
		poseidon_hash(short_string("CONTRACT_CLASS_LEAF_V0"), crypto(&json!(class.1)))
	);
	let leaf = verify(&proof["classes_proof"], classes_root, crypto(&absent), poseidon);
	assert_eq!(leaf.unwrap(), CryptoFelt::ZERO);

	// Contracts: the leaf is the contract state hash of the leaf data, which is the state's.
	let nodes = &proof["contracts_proof"]["nodes"];
	let data = &proof["contracts_proof"]["contract_leaves_data"][0];
	let leaf = verify(nodes, contracts_root, crypto(&json!(contract)), pedersen).unwrap();
	let storage_root = crypto(&data["storage_root"]);
	let inner = pedersen_hash(&crypto(&data["class_hash"]), &storage_root);
	let expected =
		pedersen_hash(&pedersen_hash(&inner, &crypto(&data["nonce"])), &CryptoFelt::ZERO);
	assert_eq!(leaf, expected);
	let class_hash_at =
		node.rpc("starknet_getClassHashAt", params(vec![block_id.clone(), json!(contract)])).await;
	assert_eq!(data["class_hash"], class_hash_at);
	let leaf = verify(nodes, contracts_root, crypto(&absent), pedersen).unwrap();
	assert_eq!(leaf, CryptoFelt::ZERO);
	assert_eq!(proof["contracts_proof"]["contract_leaves_data"][1]["class_hash"], "0x0");

	// Storage: the cell's value is getStorageAt's; 0x777 is absent.
	let cells = &proof["contracts_storage_proofs"][0];
	let value = verify(cells, storage_root, crypto(&json!(cell)), pedersen).unwrap();
	let stored = node
		.rpc("starknet_getStorageAt", params(vec![json!(contract), json!(cell), block_id]))
		.await;
	assert_eq!(value, crypto(&stored));
	assert_eq!(
		verify(cells, storage_root, crypto(&json!("0x777")), pedersen).unwrap(),
		CryptoFelt::ZERO
	);

	// A tampered proof does not verify: the verifier can fail.
	let mut tampered = cells.clone();
	tampered[0]["node"] = match &tampered[0]["node"] {
		node if node.get("left").is_some() => {
			json!({ "left": node["right"], "right": node["left"] })
		}
		node => json!({ "path": node["path"], "length": node["length"], "child": "0x1234" }),
	};
	assert!(verify(&tampered, storage_root, crypto(&json!(cell)), pedersen).is_err());
	value
}

#[tokio::test(flavor = "multi_thread")]
async fn block_hashes_roots_and_proofs_on_a_dev_node() {
	let dir = temp_dir("commitment");
	let base = dir.path().to_str().unwrap().to_string();
	let args = ["--dev", "--base-path", &base, "--sealing", "1000"];
	let mut node = Node::start("commitment", &args).await;
	let accounts = printed_accounts(&node.log_text());
	let alice = &accounts[0];

	// The reader contract, declared and deployed through the UDC.
	let class = test_contract("block_hash_reader");
	declare_class(&node, alice, 0, &class).await;
	let (_, reader) = deploy_through_udc(
		&node,
		alice,
		1,
		class.class_hash,
		Felt::from(7u128),
		&[],
		generous_bounds(),
	)
	.await;

	// Block 2's hash is readable from block 12 on: in contract 0x1, and through the syscall.
	node.wait_for_best(13, Duration::from_secs(60)).await;
	let expected = block_of(&node, 2).await["block_hash"].clone();
	assert_ne!(expected, "0x0");
	let latest = json!("latest");
	let in_0x1 = node
		.rpc("starknet_getStorageAt", params(vec![json!("0x1"), json!("0x2"), latest.clone()]))
		.await;
	assert_eq!(in_0x1, expected);
	let call = |entry_point: &str, number: u64| {
		json!({
			"contract_address": reader,
			"entry_point_selector": selector(entry_point),
			"calldata": [format!("{number:#x}")],
		})
	};
	let read = node.rpc("starknet_call", params(vec![call("block_hash", 2), latest.clone()])).await;
	assert_eq!(read, json!([expected]));
	// Too recent a block is out of range for the syscall, as on Starknet.
	let best = node.best_number().await;
	let error =
		node.try_rpc("starknet_call", params(vec![call("block_hash", best), latest.clone()])).await;
	assert!(error.is_err(), "block {best}'s hash is not readable yet: {error:?}");
	// Inside a transaction: remember(2) writes it to storage.
	let remember = invoke(
		alice,
		2,
		&[Call { to: reader, entry_point: "remember", calldata: vec![Felt::from(2u128)] }],
		generous_bounds(),
	);
	node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&remember)])).await;
	let remembered = node.receipt(tx_hash(&remember)).await;
	assert_eq!(remembered["execution_status"], "SUCCEEDED", "{remembered}");
	let memo = selector("memo");
	let stored = node
		.rpc("starknet_getStorageAt", params(vec![json!(reader), json!(memo), latest.clone()]))
		.await;
	assert_eq!(stored, expected);

	let best = node.best_number().await;
	check_chain_of_roots(&node, best).await;
	let value = verified_proofs(
		&node,
		json!({ "block_number": best }),
		(class.class_hash, class.compiled_class_hash),
		reader,
		memo,
	)
	.await;
	assert_eq!(value, crypto(&expected));

	// Too many leaves in one proof: the node's limit, named.
	let many: Vec<String> = (0..1001).map(|i| format!("{i:#x}")).collect();
	let code = error_code(
		&node,
		"starknet_getStorageProof",
		named(&[("block_id", latest.clone()), ("class_hashes", json!(many))]),
	)
	.await;
	assert_eq!(code, -32005);
	// A key of 2^251 or more is no trie key: invalid params, in any of the three lists.
	let too_big = json!("0x800000000000000000000000000000000000000000000000000000000000000");
	for request in [
		named(&[("block_id", latest.clone()), ("class_hashes", json!([too_big]))]),
		named(&[("block_id", latest.clone()), ("contract_addresses", json!([too_big]))]),
		named(&[
			("block_id", latest.clone()),
			(
				"contracts_storage_keys",
				json!([{ "contract_address": reader, "storage_keys": [too_big] }]),
			),
		]),
	] {
		assert_eq!(error_code(&node, "starknet_getStorageProof", request).await, -32602);
	}

	// Restarted on its database (and proving at most 2 blocks back): the same root, new blocks
	// build on it, proofs of recent blocks verify, older blocks answer 42.
	let root_before = block_of(&node, best).await["new_root"].clone();
	node.stop();
	let restarted_args = [&args[..], &["--rpc-proof-history", "2"]].concat();
	let node = Node::start("commitment-restarted", &restarted_args).await;
	assert_eq!(block_of(&node, best).await["new_root"], root_before);
	node.wait_for_best(best + 2, Duration::from_secs(60)).await;
	let now = node.best_number().await;
	check_chain_of_roots(&node, now).await;
	verified_proofs(
		&node,
		json!("latest"),
		(class.class_hash, class.compiled_class_hash),
		reader,
		memo,
	)
	.await;
	let code = error_code(
		&node,
		"starknet_getStorageProof",
		named(&[
			("block_id", json!({ "block_number": 0 })),
			("contract_addresses", json!([reader])),
		]),
	)
	.await;
	assert_eq!(code, 42);
}

/// The verifier above against a proof another implementation produced: Madara's recorded answer
/// for Starknet Sepolia block 18 (`primitives/commitment/tests/vectors/`, source named there).
/// Its roots hash to Sepolia's published block-18 root, the contract's leaf is the state hash of
/// its leaf data, and the ETH cells' proven values are those Sepolia block 4 wrote (from Juno's
/// data, an independent source).
#[test]
fn the_verifier_accepts_a_proof_madara_recorded_for_sepolia() {
	let vectors = "primitives/commitment/tests/vectors";
	let recorded: Value = serde_json::from_str(
		&std::fs::read_to_string(repo_path(&format!("{vectors}/madara-sepolia-18-proof.json")))
			.unwrap(),
	)
	.unwrap();
	let sepolia: Value = serde_json::from_str(
		&std::fs::read_to_string(repo_path(&format!("{vectors}/sepolia-0-7.json"))).unwrap(),
	)
	.unwrap();
	let proof = &recorded["response"];
	let roots = &proof["global_roots"];
	let (contracts_root, classes_root) =
		(crypto(&roots["contracts_tree_root"]), crypto(&roots["classes_tree_root"]));
	assert_eq!(
		poseidon_hash_many(&[short_string("STARKNET_STATE_V0"), contracts_root, classes_root]),
		crypto(&recorded["new_root"])
	);

	let contract = crypto(&recorded["request"]["contract_addresses"][0]);
	let data = &proof["contracts_proof"]["contract_leaves_data"][0];
	let inner = pedersen_hash(&crypto(&data["class_hash"]), &crypto(&data["storage_root"]));
	let expected =
		pedersen_hash(&pedersen_hash(&inner, &crypto(&data["nonce"])), &CryptoFelt::ZERO);
	let nodes = &proof["contracts_proof"]["nodes"];
	assert_eq!(verify(nodes, contracts_root, contract, pedersen).unwrap(), expected);

	// The ETH storage proof's root is its one node no other node refers to.
	let cells = &proof["contracts_storage_proofs"][0];
	let referred: Vec<&Value> = cells
		.as_array()
		.unwrap()
		.iter()
		.flat_map(|entry| {
			let node = &entry["node"];
			[&node["left"], &node["right"], &node["child"]]
		})
		.collect();
	let top: Vec<&Value> = cells
		.as_array()
		.unwrap()
		.iter()
		.map(|entry| &entry["node_hash"])
		.filter(|hash| !referred.contains(hash))
		.collect();
	assert_eq!(top.len(), 1, "{cells}");
	let eth = &recorded["request"]["contracts_storage_keys"][0];
	let written = &sepolia["blocks"][4]["storage_diffs"][eth["contract_address"].as_str().unwrap()];
	for key in eth["storage_keys"].as_array().unwrap() {
		let value = verify(cells, crypto(top[0]), crypto(key), pedersen).unwrap();
		let in_block_4 = written.as_array().unwrap().iter().find(|cell| cell[0] == *key).unwrap();
		assert_eq!(value, crypto(&in_block_4[1]), "{key}");
	}
	// And a wrong root, or a key off the proven paths, does not verify.
	assert!(verify(nodes, contracts_root + CryptoFelt::ONE, contract, pedersen).is_err());
	assert!(verify(cells, crypto(top[0]), CryptoFelt::from(0x1234u64), pedersen)
		.map(|value| value == CryptoFelt::ZERO)
		.unwrap_or(true));
}

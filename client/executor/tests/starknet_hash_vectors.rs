//! The transaction-hash vectors shipped with `starknet_api` (mainnet transactions) reproduce through
//! Cairn's SCALE types: every V3 and L1 handler vector converts losslessly, survives a SCALE round
//! trip, and hashes to the recorded hash (and to the recorded query hash).
use std::{path::PathBuf, process::Command};

use cairn_executor::{
	convert::{TransactionExt, TryConvert},
	ConversionError,
};
use cairn_primitives::starknet::{Felt, Transaction};
use codec::{Decode, Encode};
use serde_json::Value;
use starknet_api::{core::ChainId, transaction as api};

/// `resources/transaction_hash.json` of the `starknet_api` crate in the build's dependency graph.
fn vectors_file() -> PathBuf {
	let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
	let out = Command::new(cargo)
		.args(["metadata", "--format-version", "1", "--locked", "--offline"])
		.current_dir(env!("CARGO_MANIFEST_DIR"))
		.output()
		.expect("cargo metadata runs");
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
	let manifest = metadata["packages"]
		.as_array()
		.unwrap()
		.iter()
		.find(|p| p["name"] == "starknet_api")
		.expect("starknet_api is a dependency")["manifest_path"]
		.as_str()
		.unwrap()
		.to_string();
	PathBuf::from(manifest).parent().unwrap().join("resources/transaction_hash.json")
}

fn felt(v: &Value) -> Felt {
	Felt(starknet_types_core::felt::Felt::from_hex(v.as_str().unwrap()).unwrap())
}

#[test]
fn starknet_api_transaction_hash_vectors_reproduce() {
	let vectors: Vec<Value> =
		serde_json::from_str(&std::fs::read_to_string(vectors_file()).unwrap()).unwrap();
	let mut kinds = Vec::new();
	for vector in &vectors {
		let api_tx: api::Transaction =
			serde_json::from_value(vector["transaction"].clone()).unwrap();
		let tx: Transaction = match api_tx.clone().try_convert() {
			Ok(tx) => tx,
			// Pre-V3 transactions are not Cairn transactions.
			Err(ConversionError::Unsupported(_)) => continue,
			Err(e) => panic!("{e}"),
		};
		let back: api::Transaction = tx.clone().try_convert().unwrap();
		assert_eq!(back, api_tx, "lossless");
		assert_eq!(Transaction::decode(&mut &tx.encode()[..]).unwrap(), tx, "SCALE round trip");

		let chain_id = ChainId::from(vector["chain_id"].as_str().unwrap().to_string());
		assert_eq!(tx.hash(&chain_id, false).unwrap(), felt(&vector["transaction_hash"]));
		if let Some(query_hash) = vector.get("only_query_transaction_hash") {
			assert_eq!(tx.hash(&chain_id, true).unwrap(), felt(query_hash));
		}
		kinds.push(match tx {
			Transaction::Invoke(_) => "invoke",
			Transaction::Declare(_) => "declare",
			Transaction::DeployAccount(_) => "deploy_account",
			Transaction::L1Handler(_) => "l1_handler",
		});
	}
	kinds.sort();
	assert_eq!(kinds, ["declare", "deploy_account", "invoke", "invoke", "l1_handler"]);
}

#[test]
fn felts_encode_as_32_big_endian_bytes_and_reject_non_canonical_values() {
	let one = Felt::from(1u128);
	let mut expected = [0u8; 32];
	expected[31] = 1;
	assert_eq!(one.encode(), expected.to_vec());
	assert_eq!(Felt::decode(&mut &expected[..]).unwrap(), one);

	// p = 2^251 + 17 * 2^192 + 1 = 0x0800000000000011000…0001: p itself and all-ones are not
	// felts, p - 1 is the largest one.
	let mut p_bytes = [0u8; 32];
	p_bytes[0] = 0x08;
	p_bytes[7] = 0x11;
	p_bytes[31] = 0x01;
	let p = starknet_types_core::felt::Felt::from_hex(
		"0x800000000000011000000000000000000000000000000000000000000000001",
	)
	.unwrap();
	assert_eq!(p, starknet_types_core::felt::Felt::ZERO, "p reduces to zero in the field");
	assert!(Felt::decode(&mut &p_bytes[..]).is_err(), "p is not a canonical felt");
	assert!(Felt::decode(&mut &[0xffu8; 32][..]).is_err());
	p_bytes[31] = 0x00;
	assert_eq!(Felt::decode(&mut &p_bytes[..]).unwrap().to_bytes(), p_bytes, "p - 1 is a felt");
	assert!(Felt::decode(&mut &[0u8; 31][..]).is_err(), "short input");
}

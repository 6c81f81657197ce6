//! The Starknet JSON-RPC on a real `cairn --dev` node: state reads at block ids, the write path
//! through the transaction pool, and the spec's error codes. Parameters go both by position and
//! by name, as Starknet clients send them.
mod common;

use std::time::Duration;

use cairn_primitives::starknet::{
	genesis::{storage_var_address, well_known},
	Felt, InvokeTransactionV3, ResourceBounds, ValidResourceBounds,
};
use common::*;
use jsonrpsee::{
	core::{
		client::{ClientT, Error as ClientError},
		params::ObjectParams,
		traits::ToRpcParams,
	},
	types::ErrorObjectOwned,
};
use serde_json::{json, Value};

/// Every exchange of the test, for the schema check at its end.
static EXCHANGES: std::sync::Mutex<Vec<Value>> = std::sync::Mutex::new(Vec::new());

async fn call(
	node: &Node,
	method: &str,
	params: impl ToRpcParams + Send,
) -> Result<Value, ErrorObjectOwned> {
	let result = node.client.request::<Value, _>(method, params).await.map_err(|e| match e {
		ClientError::Call(error) => error,
		other => panic!("{method}: transport error {other}"),
	});
	let exchange = match &result {
		Ok(value) => json!({ "method": method, "result": value }),
		Err(error) => json!({
			"method": method,
			"error": {
				"code": error.code(),
				"message": error.message(),
				"data": error.data().map(|d| serde_json::from_str::<Value>(d.get()).unwrap()),
			},
		}),
	};
	EXCHANGES.lock().unwrap().push(exchange);
	result
}

async fn ok(node: &Node, method: &str, params: impl ToRpcParams + Send) -> Value {
	call(node, method, params).await.unwrap_or_else(|e| panic!("{method}: {e:?}"))
}

/// Validate every recorded exchange against the spec files (`scripts/sdk/validate_responses.py`,
/// JSON Schema with `$ref`s across files, in the SDK virtualenv `scripts/setup` makes).
fn validate_against_spec() {
	let exchanges = EXCHANGES.lock().unwrap();
	let dir = TempDir::new("rpc-exchanges");
	let file = dir.path().join("exchanges.jsonl");
	let lines: Vec<String> = exchanges.iter().map(|e| e.to_string()).collect();
	std::fs::write(&file, lines.join("\n")).unwrap();
	let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
	// scripts/env finds the workspace's copy of the spec files.
	let spec = std::env::var_os("CAIRN_STARKNET_SPECS")
		.map(std::path::PathBuf::from)
		.unwrap_or_else(|| manifest.join("../../shared/starknet-specs/v0.10.3/api"));
	assert!(
		spec.join("starknet_api_openrpc.json").exists(),
		"no Starknet spec files at {} (set CAIRN_STARKNET_SPECS)",
		spec.display()
	);
	let sdk =
		std::env::var_os("CAIRN_SDK_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| {
			std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/cairn/sdk")
		});
	let output = std::process::Command::new(sdk.join("py/bin/python"))
		.arg(manifest.join("../scripts/sdk/validate_responses.py"))
		.arg(&spec)
		.arg(&file)
		.output()
		.expect("the SDK virtualenv exists (scripts/setup)");
	let stdout = String::from_utf8_lossy(&output.stdout);
	println!("{stdout}");
	assert!(
		output.status.success(),
		"responses do not match the spec:\n{stdout}\n{}",
		String::from_utf8_lossy(&output.stderr)
	);
}

fn named(pairs: &[(&str, Value)]) -> ObjectParams {
	let mut object = ObjectParams::new();
	for (name, value) in pairs {
		object.insert(name, value).unwrap();
	}
	object
}

fn hex<T: std::fmt::LowerHex>(value: T) -> Value {
	format!("{value:#x}").into()
}

/// A broadcasted V3 invoke as Starknet JSON-RPC carries it.
fn invoke_json(tx: &InvokeTransactionV3) -> Value {
	let ValidResourceBounds::AllResources { l1_gas, l2_gas, l1_data_gas } = tx.resource_bounds
	else {
		panic!("RPC 0.10 carries all three bounds")
	};
	let bounds = |b: ResourceBounds| json!({ "max_amount": hex(b.max_amount), "max_price_per_unit": hex(b.max_price_per_unit) });
	json!({
		"type": "INVOKE",
		"version": "0x3",
		"sender_address": tx.sender_address,
		"calldata": tx.calldata,
		"signature": tx.signature,
		"nonce": tx.nonce,
		"resource_bounds": {
			"l1_gas": bounds(l1_gas),
			"l1_data_gas": bounds(l1_data_gas),
			"l2_gas": bounds(l2_gas),
		},
		"tip": hex(tx.tip),
		"paymaster_data": [],
		"account_deployment_data": [],
		"nonce_data_availability_mode": "L1",
		"fee_data_availability_mode": "L1",
	})
}

fn tx_hash(tx: &InvokeTransactionV3) -> Felt {
	cairn_primitives::starknet::Transaction::Invoke(tx.clone())
		.hash(&starknet_api::core::ChainId::from(well_known::DEV_CHAIN_ID.to_string()), false)
		.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn starknet_rpc_reads_writes_and_errors() {
	let node = Node::start("starknet-rpc", &["--dev", "--tmp"]).await;
	let accounts = printed_accounts(&node.log_text());
	let (alice, bob) = (&accounts[0], &accounts[1]);
	let latest = json!("latest");

	// Chain facts.
	assert_eq!(ok(&node, "starknet_specVersion", params(vec![])).await, "0.10.3");
	// "CAIRN_DEV" as a felt.
	assert_eq!(ok(&node, "starknet_chainId", params(vec![])).await, "0x434149524e5f444556");
	assert_eq!(ok(&node, "starknet_blockNumber", params(vec![])).await, 0);

	// State reads, by position and by name.
	let strk_class =
		ok(&node, "starknet_getClassHashAt", params(vec![latest.clone(), json!(strk())])).await;
	let class = call(
		&node,
		"starknet_getClass",
		named(&[("block_id", json!({"block_number": 0})), ("class_hash", strk_class.clone())]),
	)
	.await
	.unwrap();
	assert!(class["sierra_program"].as_array().unwrap().len() > 100);
	assert!(class["abi"].is_string());
	assert!(class["entry_points_by_type"]["EXTERNAL"].is_array());
	let account_class = call(
		&node,
		"starknet_getClassAt",
		named(&[("block_id", latest.clone()), ("contract_address", json!(alice.address))]),
	)
	.await
	.unwrap();
	assert_eq!(account_class["contract_class_version"], "0.1.0");
	let balance_key = storage_var_address("ERC20_balances", &[alice.address]);
	let balance = call(
		&node,
		"starknet_getStorageAt",
		named(&[
			("contract_address", json!(strk())),
			("key", json!(balance_key)),
			("block_id", latest.clone()),
		]),
	)
	.await
	.unwrap();
	assert_eq!(balance, hex(well_known::DEV_ACCOUNT_BALANCE));
	let nonce = |block: Value| {
		call(
			&node,
			"starknet_getNonce",
			named(&[("block_id", block), ("contract_address", json!(alice.address))]),
		)
	};
	assert_eq!(nonce(latest.clone()).await.unwrap(), "0x0");

	// Calls: balanceOf through the ERC-20's own code, and the call errors.
	let call_of = |to: Felt, entry_point: &str, calldata: Vec<Felt>| {
		json!({
			"contract_address": to,
			"entry_point_selector": cairn_primitives::starknet::signing::selector(entry_point),
			"calldata": calldata,
		})
	};
	let balance_of = call(
		&node,
		"starknet_call",
		named(&[
			("request", call_of(strk(), "balanceOf", vec![alice.address])),
			("block_id", latest.clone()),
		]),
	)
	.await
	.unwrap();
	assert_eq!(balance_of, json!([hex(well_known::DEV_ACCOUNT_BALANCE), "0x0"]));
	let error = call(
		&node,
		"starknet_call",
		params(vec![call_of(strk(), "no_such_entry_point", vec![]), latest.clone()]),
	)
	.await
	.unwrap_err();
	assert_eq!(
		(error.code(), error.message()),
		(21, "Requested entry point does not exist in the contract")
	);
	let error = call(
		&node,
		"starknet_call",
		params(vec![call_of(Felt::from(0x5151u128), "balanceOf", vec![]), latest.clone()]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), 20);
	// balanceOf without its argument: the contract fails.
	let error = call(
		&node,
		"starknet_call",
		params(vec![call_of(strk(), "balanceOf", vec![]), latest.clone()]),
	)
	.await
	.unwrap_err();
	assert_eq!((error.code(), error.message()), (40, "Contract error"), "{error:?}");
	assert!(error.data().unwrap().get().contains("revert_error"));

	// CASM as this node compiled it; sync status; storage proofs are not supported.
	let casm =
		call(&node, "starknet_getCompiledCasm", named(&[("class_hash", strk_class.clone())]))
			.await
			.unwrap();
	assert!(casm["bytecode"].as_array().unwrap().len() > 100);
	assert!(casm["entry_points_by_type"]["EXTERNAL"].as_array().unwrap().len() > 5);
	assert!(casm.get("pythonic_hints").is_none());
	let error =
		call(&node, "starknet_getCompiledCasm", params(vec!["0x5151".into()])).await.unwrap_err();
	assert_eq!(error.code(), 28);
	assert_eq!(ok(&node, "starknet_syncing", params(vec![])).await, false);
	let error = call(
		&node,
		"starknet_getStorageProof",
		named(&[("block_id", latest.clone()), ("contract_addresses", json!([strk()]))]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), 42);

	// Read errors.
	let error = nonce(json!({"block_number": 99})).await.unwrap_err();
	assert_eq!((error.code(), error.message()), (24, "Block not found"));
	let error = call(&node, "starknet_getNonce", params(vec![latest.clone(), "0x5151".into()]))
		.await
		.unwrap_err();
	assert_eq!((error.code(), error.message()), (20, "Contract not found"));
	let error = call(&node, "starknet_getClass", params(vec![latest.clone(), "0x5151".into()]))
		.await
		.unwrap_err();
	assert_eq!((error.code(), error.message()), (28, "Class hash not found"));
	let error = call(&node, "starknet_getNonce", params(vec!["newest".into(), "0x1".into()]))
		.await
		.unwrap_err();
	assert_eq!(error.code(), -32602);
	let error = call(&node, "starknet_getNonce", params(vec![latest.clone(), "0xnothex".into()]))
		.await
		.unwrap_err();
	assert_eq!(error.code(), -32602);

	// Fee estimation: a transfer signed for queries only; the spec's formula holds.
	let mut query = transfer(alice, 0, bob.address, 1000);
	let query_hash = cairn_primitives::starknet::Transaction::Invoke(query.clone())
		.hash(&starknet_api::core::ChainId::from(well_known::DEV_CHAIN_ID.to_string()), true)
		.unwrap();
	query.signature = cairn_primitives::starknet::signing::sign_hash(query_hash, alice.private_key);
	let mut query_json = invoke_json(&query);
	query_json["version"] = "0x100000000000000000000000000000003".into();
	let estimate = call(
		&node,
		"starknet_estimateFee",
		named(&[
			("request", json!([query_json.clone()])),
			("simulation_flags", json!([])),
			("block_id", latest.clone()),
		]),
	)
	.await
	.unwrap();
	let estimate = &estimate[0];
	let field =
		|name: &str| u128::from_str_radix(&estimate[name].as_str().unwrap()[2..], 16).unwrap();
	assert_eq!(estimate["unit"], "FRI");
	assert!(field("l2_gas_consumed") > 0);
	assert_eq!(
		field("overall_fee"),
		field("l1_gas_consumed") * field("l1_gas_price")
			+ field("l1_data_gas_consumed") * field("l1_data_gas_price")
			+ field("l2_gas_consumed") * field("l2_gas_price")
	);
	// A bad signature fails the estimate unless validation is skipped.
	let mut unsigned = query_json.clone();
	unsigned["signature"] = json!(["0x1", "0x2"]);
	let error = call(
		&node,
		"starknet_estimateFee",
		params(vec![json!([unsigned.clone()]), json!([]), latest.clone()]),
	)
	.await
	.unwrap_err();
	assert_eq!((error.code(), error.message()), (41, "Transaction execution error"));
	assert!(error.data().unwrap().get().contains("\"transaction_index\":0"), "{error:?}");
	call(
		&node,
		"starknet_estimateFee",
		params(vec![json!([unsigned]), json!(["SKIP_VALIDATE"]), latest.clone()]),
	)
	.await
	.unwrap();
	// A query transaction can never be sent for real.
	let error =
		call(&node, "starknet_addInvokeTransaction", params(vec![query_json])).await.unwrap_err();
	assert_eq!(error.code(), 61, "{error:?}");

	// Write: a transfer, answered with its Starknet hash, then executed.
	let tx = transfer(alice, 0, bob.address, 1000);
	let answer = call(
		&node,
		"starknet_addInvokeTransaction",
		named(&[("invoke_transaction", invoke_json(&tx))]),
	)
	.await
	.unwrap();
	assert_eq!(answer, json!({ "transaction_hash": tx_hash(&tx) }));
	node.wait_for_best(1, Duration::from_secs(60)).await;
	assert_eq!(ok(&node, "starknet_blockNumber", params(vec![])).await, 1);
	assert_eq!(nonce(latest.clone()).await.unwrap(), "0x1");
	assert_eq!(nonce(json!({"block_number": 0})).await.unwrap(), "0x0");
	assert_eq!(nonce(json!("l1_accepted")).await.unwrap(), "0x1", "dev blocks finalize at once");

	// The transaction, its block and its receipt, from the index.
	let hash = json!(tx_hash(&tx));
	let status =
		call(&node, "starknet_getTransactionStatus", params(vec![hash.clone()])).await.unwrap();
	assert_eq!(
		status,
		json!({ "finality_status": "ACCEPTED_ON_L2", "execution_status": "SUCCEEDED" })
	);
	let head = ok(&node, "starknet_blockHashAndNumber", params(vec![])).await;
	assert_eq!(head["block_number"], 1);
	let receipt =
		call(&node, "starknet_getTransactionReceipt", named(&[("transaction_hash", hash.clone())]))
			.await
			.unwrap();
	assert_eq!(receipt["type"], "INVOKE");
	assert_eq!(receipt["transaction_hash"], hash);
	assert_eq!(receipt["block_number"], 1);
	assert_eq!(receipt["block_hash"], head["block_hash"]);
	assert_eq!(receipt["finality_status"], "ACCEPTED_ON_L2");
	assert_eq!(receipt["execution_status"], "SUCCEEDED");
	assert_eq!(receipt["actual_fee"]["unit"], "FRI");
	assert_eq!(receipt["events"].as_array().unwrap().len(), 2);
	assert!(receipt["execution_resources"]["l2_gas"].as_u64().unwrap() > 0);
	let block = call(
		&node,
		"starknet_getBlockWithTxHashes",
		params(vec![json!({ "block_hash": head["block_hash"] })]),
	)
	.await
	.unwrap();
	assert_eq!(block["transactions"], json!([hash]));
	assert_eq!(block["block_number"], 1);
	assert_eq!(block["status"], "ACCEPTED_ON_L2");
	assert_eq!(block["transaction_count"], 1);
	assert_eq!(block["event_count"], 2);
	let genesis =
		call(&node, "starknet_getBlockWithTxHashes", params(vec![json!({ "block_number": 0 })]))
			.await
			.unwrap();
	assert_eq!(block["parent_hash"], genesis["block_hash"]);
	assert_eq!(genesis["transactions"], json!([]));
	assert_ne!(block["block_hash"], genesis["block_hash"]);
	assert_eq!(
		ok(&node, "starknet_getBlockTransactionCount", params(vec![latest.clone()])).await,
		1
	);
	// The transaction itself, exactly as it was sent, by hash, by position and in its block.
	let mut sent = invoke_json(&tx);
	sent["transaction_hash"] = hash.clone();
	let by_hash =
		call(&node, "starknet_getTransactionByHash", params(vec![hash.clone()])).await.unwrap();
	assert_eq!(by_hash, sent);
	let by_index = call(
		&node,
		"starknet_getTransactionByBlockIdAndIndex",
		named(&[("block_id", latest.clone()), ("index", json!(0))]),
	)
	.await
	.unwrap();
	assert_eq!(by_index, sent);
	let error = call(
		&node,
		"starknet_getTransactionByBlockIdAndIndex",
		params(vec![latest.clone(), json!(5)]),
	)
	.await
	.unwrap_err();
	assert_eq!((error.code(), error.message()), (27, "Invalid transaction index in a block"));
	let with_txs =
		call(&node, "starknet_getBlockWithTxs", params(vec![latest.clone()])).await.unwrap();
	assert_eq!(with_txs["transactions"], json!([sent]));
	assert_eq!(with_txs["block_hash"], head["block_hash"]);
	let with_receipts =
		call(&node, "starknet_getBlockWithReceipts", params(vec![latest.clone()])).await.unwrap();
	let entry = &with_receipts["transactions"][0];
	assert_eq!(entry["transaction"], sent);
	assert_eq!(entry["receipt"]["transaction_hash"], hash);
	assert!(entry["receipt"].get("block_hash").is_none());

	// The block's state update: the three balances and the sender's nonce.
	let update =
		call(&node, "starknet_getStateUpdate", params(vec![latest.clone()])).await.unwrap();
	assert_eq!(update["block_hash"], head["block_hash"]);
	let diff = &update["state_diff"];
	assert_eq!(diff["nonces"], json!([{ "contract_address": alice.address, "nonce": "0x1" }]));
	assert_eq!(diff["storage_diffs"].as_array().unwrap().len(), 1, "{diff}");
	assert_eq!(diff["storage_diffs"][0]["address"], json!(strk()));
	assert_eq!(diff["storage_diffs"][0]["storage_entries"].as_array().unwrap().len(), 3);
	assert_eq!(diff["deployed_contracts"], json!([]));
	let only_bob = call(
		&node,
		"starknet_getStateUpdate",
		named(&[("block_id", latest.clone()), ("contract_addresses", json!([bob.address]))]),
	)
	.await
	.unwrap();
	assert_eq!(only_bob["state_diff"]["nonces"], json!([]));
	assert_eq!(only_bob["state_diff"]["storage_diffs"], json!([]));

	// L1 messages: none are known, and an L1 handler that does not exist is a contract error.
	let message = |to: Felt| {
		json!({
			"from_address": "0x8453fc6cd1bcfe8d4dfc069c400b433054d47bdc",
			"to_address": to,
			"entry_point_selector": cairn_primitives::starknet::signing::selector("deposit"),
			"payload": ["0x1"],
		})
	};
	let error =
		call(&node, "starknet_estimateMessageFee", params(vec![message(strk()), latest.clone()]))
			.await
			.unwrap_err();
	assert_eq!(error.code(), 40, "{error:?}");
	let error = call(
		&node,
		"starknet_estimateMessageFee",
		params(vec![message(Felt::from(0x5151u128)), latest.clone()]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), 20);
	let error = call(
		&node,
		"starknet_getMessagesStatus",
		params(vec![json!(format!("0x{}", "ab".repeat(32)))]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), 29);

	// Events: the transfer and the fee transfer, a page of one at a time.
	let transfer_key = cairn_primitives::starknet::signing::selector("Transfer");
	let filter = |token: Option<&str>, chunk_size: u64| {
		let mut filter = json!({
			"from_block": { "block_number": 0 },
			"to_block": "latest",
			"address": strk(),
			"keys": [[transfer_key], [alice.address]],
			"chunk_size": chunk_size,
		});
		if let Some(token) = token {
			filter["continuation_token"] = token.into();
		}
		filter
	};
	let page =
		call(&node, "starknet_getEvents", named(&[("filter", filter(None, 1))])).await.unwrap();
	assert_eq!(page["events"].as_array().unwrap().len(), 1);
	let first = &page["events"][0];
	assert_eq!(first["transaction_hash"], hash);
	assert_eq!((first["block_number"].clone(), first["event_index"].clone()), (json!(1), json!(0)));
	assert_eq!(first["keys"], json!([transfer_key, alice.address, bob.address]));
	let token = page["continuation_token"].as_str().unwrap().to_string();
	let page =
		call(&node, "starknet_getEvents", params(vec![filter(Some(&token), 1)])).await.unwrap();
	assert_eq!(page["events"][0]["event_index"], 1, "the fee transfer");
	assert!(page.get("continuation_token").is_none(), "{page}");
	let all = call(&node, "starknet_getEvents", params(vec![filter(None, 100)])).await.unwrap();
	assert_eq!(all["events"].as_array().unwrap().len(), 2);
	let error =
		call(&node, "starknet_getEvents", params(vec![filter(None, 100_000)])).await.unwrap_err();
	assert_eq!(error.code(), 31);
	let error = call(&node, "starknet_getEvents", params(vec![filter(Some("nonsense"), 1)]))
		.await
		.unwrap_err();
	assert_eq!(error.code(), 33);

	let error = call(&node, "starknet_getTransactionReceipt", params(vec!["0x5151".into()]))
		.await
		.unwrap_err();
	assert_eq!((error.code(), error.message()), (29, "Transaction hash not found"));
	let error = call(
		&node,
		"starknet_getBlockWithTxHashes",
		params(vec![json!({ "block_hash": "0x5151" })]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), 24);

	// Write errors, each the spec's.
	let add = |tx: Value| call(&node, "starknet_addInvokeTransaction", params(vec![tx]));
	let error = add(invoke_json(&tx)).await.unwrap_err();
	assert_eq!(error.code(), 59, "resending an included transaction: {error:?}");
	let error = add(invoke_json(&transfer(alice, 0, bob.address, 5))).await.unwrap_err();
	assert_eq!((error.code(), error.message()), (52, "Invalid transaction nonce"));
	assert!(error.data().unwrap().get().contains("nonce"), "{error:?}");
	let mut forged = transfer(alice, 1, bob.address, 5);
	forged.signature = transfer(bob, 1, bob.address, 5).signature;
	let error = add(invoke_json(&forged)).await.unwrap_err();
	assert_eq!((error.code(), error.message()), (55, "Account validation failed"));
	assert!(error.data().is_some());
	let mut broke = invoke_json(&transfer(alice, 1, bob.address, 5));
	broke["resource_bounds"]["l2_gas"]["max_amount"] = hex(10u64);
	let error = add(broke).await.unwrap_err();
	assert_eq!(error.code(), 53, "{error:?}");
	let mut old = invoke_json(&transfer(alice, 1, bob.address, 5));
	old["version"] = "0x1".into();
	let error = add(old).await.unwrap_err();
	assert_eq!(error.code(), 61, "{error:?}");
	let error = add(json!({"type": "INVOKE", "version": "0x3"})).await.unwrap_err();
	assert_eq!(error.code(), -32602, "{error:?}");

	// The node kept serving, and nothing above made a block.
	assert_eq!(ok(&node, "starknet_blockNumber", params(vec![])).await, 1);

	validate_against_spec();
}

/// A measurement, not a test (run it with `--ignored --nocapture`): p50 and p99 latency of 1,000
/// sequential `starknet_getStorageAt` and `starknet_getTransactionReceipt` calls over HTTP on a
/// `--dev` node that has executed one transfer.
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn read_latency() {
	let node = Node::start("starknet-latency", &["--dev", "--tmp"]).await;
	let accounts = printed_accounts(&node.log_text());
	let tx = transfer(&accounts[0], 0, accounts[1].address, 1);
	ok(&node, "starknet_addInvokeTransaction", params(vec![invoke_json(&tx)])).await;
	node.wait_for_best(1, Duration::from_secs(60)).await;
	let hash = json!(tx_hash(&tx));
	let key = storage_var_address("ERC20_balances", &[accounts[0].address]);
	let storage_params = || params(vec![json!(strk()), json!(key), json!("latest")]);
	for (method, make) in [
		(
			"starknet_getStorageAt",
			&storage_params as &dyn Fn() -> jsonrpsee::core::params::ArrayParams,
		),
		("starknet_getTransactionReceipt", &|| params(vec![hash.clone()])),
	] {
		let mut times = Vec::with_capacity(1000);
		for _ in 0..1000 {
			let start = std::time::Instant::now();
			node.client.request::<Value, _>(method, make()).await.unwrap();
			times.push(start.elapsed());
		}
		times.sort();
		println!("{method}: p50 {:?} p99 {:?} over {} calls", times[500], times[990], times.len());
	}
}

//! The Starknet JSON-RPC 0.10.3 on real `cairn --dev` nodes, every response (success and error)
//! validated against the official spec files at the end of each test:
//! - `starknet_rpc_reads_writes_and_errors`: chain facts, state reads at block ids, calls, CASM,
//!   fee estimates (query-signed, with and without validation), a transfer sent with
//!   `addInvokeTransaction` then found by status, receipt, hash, position, block (three shapes),
//!   state update and events (filters, pages, continuation tokens), and the spec's error codes for
//!   unknown blocks, contracts, classes, transactions and entry points, bad nonces, bad
//!   signatures, low bounds, old versions and malformed parameters;
//! - `starknet_rpc_scenario_with_traces`: the conformance scenario (deploy_account, declare and
//!   declare again, a UDC deployment, an invoke from the new account, a reverted transfer,
//!   rejected transactions, traces that re-execute to their receipts, simulations with and
//!   without flags, the `pre_confirmed` block);
//! - `starknet_rpc_bad_input_and_paths`: bad input over raw HTTP (the `/rpc/v0_10` path, parse
//!   errors, wrong types, mixed and oversized batches, an oversized body, a duplicate in the pool);
//! - `read_latency` (ignored): a measurement of read latencies.
//!
//! Parameters go both by position and by name, as Starknet clients send them.
mod common;

use std::time::Duration;

use cairn_executor::dev_genesis::storage_var_address;
use cairn_primitives::starknet::{
	genesis::well_known, DataAvailabilityMode, DeployAccountTransactionV3, Felt, Transaction,
};
use common::*;
use jsonrpsee::{
	core::{
		client::{ClientT, Error as ClientError},
		traits::ToRpcParams,
	},
	types::ErrorObjectOwned,
};
use serde_json::{json, Value};

/// Every exchange of the tests (with the RPC port of the node that answered), for the schema check
/// at each test's end.
static EXCHANGES: std::sync::Mutex<Vec<(u16, Value)>> = std::sync::Mutex::new(Vec::new());

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
	EXCHANGES.lock().unwrap().push((node.rpc_port, exchange));
	result
}

async fn ok(node: &Node, method: &str, params: impl ToRpcParams + Send) -> Value {
	call(node, method, params).await.unwrap_or_else(|e| panic!("{method}: {e:?}"))
}

/// Validate every exchange with `node` against the spec files (`scripts/sdk/validate_responses.py`,
/// JSON Schema with `$ref`s across files, in the SDK virtualenv `scripts/setup` makes).
fn validate_against_spec(node: &Node) {
	let exchanges = EXCHANGES.lock().unwrap();
	let dir = temp_dir(&format!("{}-exchanges", node.name));
	let file = dir.path().join("exchanges.jsonl");
	let lines: Vec<String> = exchanges
		.iter()
		.filter(|(port, _)| *port == node.rpc_port)
		.map(|(_, e)| e.to_string())
		.collect();
	std::fs::write(&file, lines.join("\n")).unwrap();
	assert_valid_against_spec(&file);
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
			"entry_point_selector": selector(entry_point),
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
	// A storage proof of each kind (validated against the spec with the rest; `commitment.rs`
	// verifies proofs), and the genesis state update with its roots.
	let proof = ok(
		&node,
		"starknet_getStorageProof",
		named(&[
			("block_id", latest.clone()),
			("class_hashes", json!([strk_class.clone(), "0x5151"])),
			("contract_addresses", json!([strk(), "0x5151"])),
			(
				"contracts_storage_keys",
				json!([{"contract_address": strk(), "storage_keys": ["0x1"]}]),
			),
		]),
	)
	.await;
	assert_ne!(proof["global_roots"]["contracts_tree_root"], "0x0", "{proof}");
	assert_ne!(proof["global_roots"]["classes_tree_root"], "0x0", "{proof}");
	let genesis =
		ok(&node, "starknet_getStateUpdate", params(vec![json!({"block_number": 0})])).await;
	assert_eq!(genesis["old_root"], "0x0");
	assert_ne!(genesis["new_root"], "0x0");
	assert!(!genesis["state_diff"]["deployed_contracts"].as_array().unwrap().is_empty());
	assert!(!genesis["state_diff"]["declared_classes"].as_array().unwrap().is_empty());
	let error = call(
		&node,
		"starknet_getStorageProof",
		named(&[("block_id", json!("pre_confirmed")), ("contract_addresses", json!([strk()]))]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), -32602, "{error:?}");

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
	let query_json = query_invoke_json(transfer(alice, 0, bob.address, 1000), alice.private_key);
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
			"entry_point_selector": selector("deposit"),
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
	let transfer_key = selector("Transfer");
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
	// Its nonce is used now: INVALID_TRANSACTION_NONCE (59 DUPLICATE_TX is for a transaction
	// still in the pool: see the bad-input test).
	assert_eq!(error.code(), 52, "resending an included transaction: {error:?}");
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

	validate_against_spec(&node);
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

/// The broadcasted JSON of a V3 declare or deploy-account (invokes: [`invoke_json`]).
/// The spec's conformance scenario over JSON-RPC, every response validated against the spec:
/// deploy an account (deploy_account), declare a class, deploy it through the UDC, invoke from
/// the new account, a reverted transaction, rejected ones; then simulation and traces of each.
#[tokio::test(flavor = "multi_thread")]
async fn starknet_rpc_scenario_with_traces() {
	let node = Node::start("starknet-scenario", &["--dev", "--tmp"]).await;
	let accounts = printed_accounts(&node.log_text());
	let (alice, bob) = (&accounts[0], &accounts[1]);
	let latest = json!("latest");
	let send = |method: &'static str, tx: Value| {
		let node = &node;
		async move { call(node, method, params(vec![tx])).await }
	};
	let receipt = |hash: Felt| {
		let node = &node;
		async move {
			node.wait_until("the receipt", Duration::from_secs(60), || async {
				node.client
					.request::<Value, _>(
						"starknet_getTransactionReceipt",
						params(vec![json!(hash)]),
					)
					.await
					.is_ok()
			})
			.await;
			ok(node, "starknet_getTransactionReceipt", params(vec![json!(hash)])).await
		}
	};
	let account_class = Felt::from_hex(
		ok(&node, "starknet_getClassHashAt", params(vec![latest.clone(), json!(alice.address)]))
			.await
			.as_str()
			.unwrap(),
	)
	.unwrap();

	// 1. A new account: its address funded, then deployed with deploy_account.
	let carol_key = Felt::from(0xca201u128);
	let carol_public = public_key(carol_key);
	let carol_address = Felt(
		*starknet_api::core::calculate_contract_address(
			starknet_api::transaction::fields::ContractAddressSalt(carol_public.0),
			starknet_api::core::ClassHash(account_class.0),
			&starknet_api::transaction::fields::Calldata(std::sync::Arc::new(vec![carol_public.0])),
			starknet_api::core::ContractAddress::default(),
		)
		.unwrap()
		.0
		.key(),
	);
	let fund = invoke(alice, 0, &[transfer_call(carol_address, 10u128.pow(20))], generous_bounds());
	let fund_hash = tx_hash(&fund);
	send("starknet_addInvokeTransaction", invoke_json(&fund)).await.unwrap();
	assert_eq!(receipt(fund_hash).await["execution_status"], "SUCCEEDED");
	let (deploy, deploy_hash) = signed(
		Transaction::DeployAccount(DeployAccountTransactionV3 {
			resource_bounds: generous_bounds(),
			tip: 0,
			signature: vec![],
			nonce: Felt::ZERO,
			class_hash: account_class,
			contract_address_salt: carol_public,
			constructor_calldata: vec![carol_public],
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
		}),
		carol_key,
	);
	// Simulated first: its trace is a deploy-account trace with the constructor.
	let simulated = ok(
		&node,
		"starknet_simulateTransactions",
		params(vec![latest.clone(), json!([broadcasted_json(&deploy, None)]), json!([])]),
	)
	.await;
	let trace = &simulated[0]["transaction_trace"];
	assert_eq!(trace["type"], "DEPLOY_ACCOUNT");
	assert_eq!(trace["constructor_invocation"]["entry_point_type"], "CONSTRUCTOR");
	assert_eq!(trace["constructor_invocation"]["contract_address"], json!(carol_address));
	assert!(trace["fee_transfer_invocation"].is_object(), "{trace}");
	let answer = send("starknet_addDeployAccountTransaction", broadcasted_json(&deploy, None))
		.await
		.unwrap();
	assert_eq!(
		answer,
		json!({ "transaction_hash": deploy_hash, "contract_address": carol_address })
	);
	let deployed = receipt(deploy_hash).await;
	assert_eq!(
		(&deployed["type"], &deployed["execution_status"], &deployed["contract_address"]),
		(&json!("DEPLOY_ACCOUNT"), &json!("SUCCEEDED"), &json!(carol_address))
	);
	let carol = Account { address: carol_address, private_key: carol_key };

	// 2. A declared class (OpenZeppelin's account 0.8.0), then declared again: rejected.
	let class = test_class("oz_account_0.8.0.sierra");
	let declare_tx =
		|nonce: u128| declare(alice, nonce, class.class_hash, class.compiled_class_hash);
	let (declare, declare_hash) = declare_tx(1);
	let answer =
		send("starknet_addDeclareTransaction", broadcasted_json(&declare, Some(&class.sierra)))
			.await
			.unwrap();
	assert_eq!(answer, json!({ "transaction_hash": declare_hash, "class_hash": class.class_hash }));
	assert_eq!(receipt(declare_hash).await["execution_status"], "SUCCEEDED");
	let declared =
		ok(&node, "starknet_getClass", params(vec![latest.clone(), json!(class.class_hash)])).await;
	assert!(declared["sierra_program"].as_array().is_some_and(|p| !p.is_empty()));
	ok(&node, "starknet_getCompiledCasm", params(vec![json!(class.class_hash)])).await;
	let (again, _) = declare_tx(2);
	let error =
		send("starknet_addDeclareTransaction", broadcasted_json(&again, Some(&class.sierra)))
			.await
			.unwrap_err();
	assert_eq!((error.code(), error.message()), (51, "Class already declared"));

	// 3. Deployed through the UDC; its ContractDeployed event names the address.
	let udc = Felt::from_hex(well_known::UDC).unwrap();
	let udc_deploy = invoke(
		alice,
		2,
		&[Call {
			to: udc,
			entry_point: "deploy_contract",
			calldata: vec![
				class.class_hash,
				Felt::from(7u128),
				Felt::ZERO,
				Felt::from(1u128),
				carol_public,
			],
		}],
		generous_bounds(),
	);
	let udc_hash = tx_hash(&udc_deploy);
	send("starknet_addInvokeTransaction", invoke_json(&udc_deploy)).await.unwrap();
	let udc_receipt = receipt(udc_hash).await;
	assert_eq!(udc_receipt["execution_status"], "SUCCEEDED", "{udc_receipt}");
	let deployed_event = udc_receipt["events"]
		.as_array()
		.unwrap()
		.iter()
		.find(|e| e["from_address"] == json!(udc))
		.expect("the UDC's ContractDeployed event");
	let contract = deployed_event["data"][0].clone();
	assert_eq!(
		ok(&node, "starknet_getClassHashAt", params(vec![latest.clone(), contract.clone()])).await,
		json!(class.class_hash)
	);

	// 4. An invoke from the new account, and 5. one that reverts (more than the balance).
	let carol_transfer = invoke(&carol, 1, &[transfer_call(bob.address, 5)], generous_bounds());
	let carol_hash = tx_hash(&carol_transfer);
	send("starknet_addInvokeTransaction", invoke_json(&carol_transfer)).await.unwrap();
	assert_eq!(receipt(carol_hash).await["execution_status"], "SUCCEEDED");
	let too_much =
		invoke(&carol, 2, &[transfer_call(bob.address, 10u128.pow(30))], generous_bounds());
	let reverted_hash = tx_hash(&too_much);
	send("starknet_addInvokeTransaction", invoke_json(&too_much)).await.unwrap();
	let reverted = receipt(reverted_hash).await;
	assert_eq!(reverted["execution_status"], "REVERTED");
	assert!(reverted["revert_reason"].as_str().is_some_and(|r| !r.is_empty()));
	let status =
		ok(&node, "starknet_getTransactionStatus", params(vec![json!(reverted_hash)])).await;
	assert_eq!(status["execution_status"], "REVERTED");

	// 6. Rejected: a stale nonce, a forged signature. Neither makes a block.
	let before = ok(&node, "starknet_blockNumber", params(vec![])).await;
	let stale = invoke(&carol, 1, &[], generous_bounds());
	let error = send("starknet_addInvokeTransaction", invoke_json(&stale)).await.unwrap_err();
	assert_eq!(error.code(), 52, "{error:?}");
	let mut forged = invoke(&carol, 3, &[], generous_bounds());
	forged.signature = vec![Felt::from(1u128), Felt::from(2u128)];
	let error = send("starknet_addInvokeTransaction", invoke_json(&forged)).await.unwrap_err();
	assert_eq!(error.code(), 55, "{error:?}");
	assert_eq!(ok(&node, "starknet_blockNumber", params(vec![])).await, before);

	// Traces of the mined transactions re-execute to what their receipts say.
	for (hash, kind) in [
		(fund_hash, "INVOKE"),
		(deploy_hash, "DEPLOY_ACCOUNT"),
		(declare_hash, "DECLARE"),
		(udc_hash, "INVOKE"),
		(carol_hash, "INVOKE"),
		(reverted_hash, "INVOKE"),
	] {
		let trace = ok(&node, "starknet_traceTransaction", params(vec![json!(hash)])).await;
		let receipt = receipt(hash).await;
		assert_eq!(trace["type"], kind, "{trace}");
		assert_eq!(trace["execution_resources"], receipt["execution_resources"], "{hash:?}");
		assert!(trace["validate_invocation"].is_object(), "{trace}");
	}
	let udc_trace = ok(&node, "starknet_traceTransaction", params(vec![json!(udc_hash)])).await;
	let execute = &udc_trace["execute_invocation"];
	assert_eq!(execute["contract_address"], json!(alice.address));
	assert_eq!(execute["calls"][0]["contract_address"], json!(udc));
	assert_eq!(execute["calls"][0]["calls"][0]["entry_point_type"], "CONSTRUCTOR");
	let reverted_trace =
		ok(&node, "starknet_traceTransaction", params(vec![json!(reverted_hash)])).await;
	assert!(reverted_trace["execute_invocation"]["revert_reason"].is_string(), "{reverted_trace}");
	let block = receipt(udc_hash).await["block_number"].clone();
	let traces = ok(
		&node,
		"starknet_traceBlockTransactions",
		named(&[("block_id", json!({ "block_number": block }))]),
	)
	.await;
	assert_eq!(traces.as_array().unwrap().len(), 1);
	assert_eq!(traces[0]["transaction_hash"], json!(udc_hash));
	assert_eq!(traces[0]["trace_root"], udc_trace);

	// Simulation: a sequence runs each transaction on the previous one's state, and the flags
	// skip validation and the fee charge.
	let next = invoke(&carol, 3, &[transfer_call(bob.address, 1)], generous_bounds());
	let after_next = invoke(&carol, 4, &[], generous_bounds());
	let sequence = json!([invoke_json(&next), invoke_json(&after_next)]);
	let simulated = ok(
		&node,
		"starknet_simulateTransactions",
		params(vec![latest.clone(), sequence.clone(), json!([])]),
	)
	.await;
	assert_eq!(simulated.as_array().unwrap().len(), 2);
	assert!(simulated[0]["transaction_trace"]["fee_transfer_invocation"].is_object());
	let skipped = ok(
		&node,
		"starknet_simulateTransactions",
		params(vec![
			latest.clone(),
			json!([invoke_json(&forged)]),
			json!(["SKIP_VALIDATE", "SKIP_FEE_CHARGE"]),
		]),
	)
	.await;
	let trace = &skipped[0]["transaction_trace"];
	assert!(
		trace.get("validate_invocation").is_none()
			&& trace.get("fee_transfer_invocation").is_none(),
		"{trace}"
	);
	let error = call(
		&node,
		"starknet_simulateTransactions",
		params(vec![latest.clone(), json!([invoke_json(&forged)]), json!([])]),
	)
	.await
	.unwrap_err();
	assert_eq!((error.code(), error.message()), (41, "Transaction execution error"));
	let error = call(
		&node,
		"starknet_simulateTransactions",
		params(vec![latest.clone(), sequence, json!(["SKIP_NOTHING"])]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), -32602);
	let error =
		call(&node, "starknet_traceTransaction", params(vec![json!("0x5151")])).await.unwrap_err();
	assert_eq!(error.code(), 29);
	let error = call(
		&node,
		"starknet_traceBlockTransactions",
		params(vec![json!({ "block_number": 999 })]),
	)
	.await
	.unwrap_err();
	assert_eq!(error.code(), 24);

	// The block being built: the next number, nothing in it yet; its state is the newest block's.
	let latest_number = ok(&node, "starknet_blockNumber", params(vec![])).await;
	for method in [
		"starknet_getBlockWithTxHashes",
		"starknet_getBlockWithTxs",
		"starknet_getBlockWithReceipts",
	] {
		let pending = ok(&node, method, params(vec![json!("pre_confirmed")])).await;
		assert_eq!(pending["block_number"], latest_number.as_u64().unwrap() + 1, "{pending}");
		assert_eq!((&pending["transactions"], pending.get("block_hash")), (&json!([]), None));
	}
	let update = ok(&node, "starknet_getStateUpdate", params(vec![json!("pre_confirmed")])).await;
	assert!(update.get("block_hash").is_none() && update["old_root"].is_string(), "{update}");
	assert_eq!(
		ok(&node, "starknet_getBlockTransactionCount", params(vec![json!("pre_confirmed")])).await,
		0
	);
	assert_eq!(
		ok(&node, "starknet_getNonce", params(vec![json!("pre_confirmed"), json!(carol.address)]))
			.await,
		ok(&node, "starknet_getNonce", params(vec![latest.clone(), json!(carol.address)])).await
	);

	validate_against_spec(&node);
}

/// One raw HTTP/1.1 POST of `body` to `path`: the status code and the response body.
fn http_post(port: u16, path: &str, body: &[u8]) -> (u16, String) {
	use std::io::{Read, Write};
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
	let head = format!(
		"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	);
	// The server may answer (413) and close before reading all of an oversized body.
	let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body));
	let mut response = Vec::new();
	let _ = stream.read_to_end(&mut response);
	let response = String::from_utf8_lossy(&response).into_owned();
	let status = response
		.split(' ')
		.nth(1)
		.and_then(|code| code.parse().ok())
		.unwrap_or_else(|| panic!("not an HTTP response: {response:.200}"));
	let body =
		response.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default();
	(status, body)
}

/// The JSON-RPC answer of an HTTP response body (chunked bodies are not expected: jsonrpsee
/// sends a length).
fn answer(body: &str) -> Value {
	serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:.300}"))
}

/// Bad input over raw HTTP: the versioned path, malformed JSON, wrong parameter types, batches
/// (mixed, oversized) and an oversized body. Each gets a JSON-RPC or spec error, and the node
/// keeps serving.
#[tokio::test(flavor = "multi_thread")]
async fn starknet_rpc_bad_input_and_paths() {
	// Manual sealing: nothing leaves the pool unless asked.
	let node = Node::start("starknet-bad-input", &["--dev", "--tmp", "--sealing", "manual"]).await;
	let port = node.rpc_port;
	let request = |method: &str, params: Value| {
		json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string()
	};
	let post = |body: String| {
		tokio::task::spawn_blocking(move || http_post(port, "/rpc/v0_10", body.as_bytes()))
	};

	// The versioned path, as Pathfinder and Juno serve it.
	let (status, body) = post(request("starknet_specVersion", json!([]))).await.unwrap();
	assert_eq!((status, answer(&body)["result"].clone()), (200, json!("0.10.3")));

	// Malformed JSON: a parse error.
	let (_, body) = post("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ".into()).await.unwrap();
	assert_eq!(answer(&body)["error"]["code"], -32700, "{body}");
	// Unknown method.
	let (_, body) = post(request("starknet_noSuchMethod", json!([]))).await.unwrap();
	assert_eq!(answer(&body)["error"]["code"], -32601, "{body}");
	// Wrong types: a number for a block id, a number for an address, an array for an address,
	// an unknown tag. (Extra positional parameters are ignored, as jsonrpsee parses them.)
	for params in [
		json!(["latest", 5]),
		json!([5, "0x1"]),
		json!({ "block_id": "latest", "contract_address": ["0x1"] }),
		json!(["pending", "0x1"]),
	] {
		let (_, body) = post(request("starknet_getNonce", params.clone())).await.unwrap();
		assert_eq!(answer(&body)["error"]["code"], -32602, "{params}: {body}");
	}
	let (_, body) = post(request(
		"starknet_getEvents",
		json!([{ "chunk_size": "ten", "from_block": "latest" }]),
	))
	.await
	.unwrap();
	assert_eq!(answer(&body)["error"]["code"], -32602, "{body}");
	// An unknown block: the spec's error.
	let (_, body) =
		post(request("starknet_getBlockWithTxHashes", json!([{ "block_hash": "0x5151" }])))
			.await
			.unwrap();
	assert_eq!(answer(&body)["error"]["code"], 24, "{body}");

	// A mixed batch: one answer per request, by id.
	let batch = json!([
		{ "jsonrpc": "2.0", "id": 1, "method": "starknet_blockNumber", "params": [] },
		{ "jsonrpc": "2.0", "id": 2, "method": "starknet_getNonce", "params": ["latest", "0x5151"] },
		{ "jsonrpc": "2.0", "id": 3, "method": "starknet_getNonce", "params": [true] },
		{ "jsonrpc": "2.0", "id": 4, "method": "chain_getHeader", "params": [] },
	]);
	let (_, body) = post(batch.to_string()).await.unwrap();
	let answers = answer(&body);
	let by_id =
		|id: u64| answers.as_array().unwrap().iter().find(|a| a["id"] == id).cloned().unwrap();
	assert_eq!(by_id(1)["result"], 0);
	assert_eq!(by_id(2)["error"]["code"], 20);
	assert_eq!(by_id(3)["error"]["code"], -32602);
	assert!(by_id(4)["result"]["number"].is_string());
	// A batch over the node's limit (1,000 unless --rpc-max-batch-request-len says otherwise).
	let oversized: Vec<Value> = (0..1001)
		.map(|id| json!({ "jsonrpc": "2.0", "id": id, "method": "starknet_blockNumber" }))
		.collect();
	let (_, body) = post(Value::Array(oversized).to_string()).await.unwrap();
	assert_eq!(answer(&body)["error"]["code"], -32010, "{body:.300}");
	// A body over the request size limit (15 MiB by default).
	let huge = request("starknet_call", json!([{ "calldata": vec!["0x1"; 4 << 20] }]));
	let (status, _) = post(huge).await.unwrap();
	assert_eq!(status, 413);

	// A transaction already in the pool, sent again: DUPLICATE_TX.
	let accounts = printed_accounts(&node.log_text());
	let tx = invoke_json(&transfer(&accounts[0], 0, accounts[1].address, 5));
	let (_, body) =
		post(request("starknet_addInvokeTransaction", json!([tx.clone()]))).await.unwrap();
	let hash = answer(&body)["result"]["transaction_hash"].clone();
	assert!(hash.is_string(), "{body}");
	let (_, body) = post(request("starknet_addInvokeTransaction", json!([tx]))).await.unwrap();
	assert_eq!(answer(&body)["error"]["code"], 59, "{body}");
	// Waiting in the pool: RECEIVED, and no trace yet.
	let (_, body) =
		post(request("starknet_getTransactionStatus", json!([hash.clone()]))).await.unwrap();
	assert_eq!(answer(&body)["result"], json!({ "finality_status": "RECEIVED" }), "{body}");
	let (_, body) = post(request("starknet_traceTransaction", json!([hash]))).await.unwrap();
	assert_eq!(answer(&body)["error"]["code"], 10, "{body}");

	// Still serving, on every path and on WebSocket-less plain HTTP.
	let (_, body) = post(request("starknet_blockNumber", json!([]))).await.unwrap();
	assert_eq!(answer(&body)["result"], 0);
	assert_eq!(ok(&node, "starknet_chainId", params(vec![])).await, "0x434149524e5f444556");
}

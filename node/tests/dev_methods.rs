//! starknet-devnet's and Katana's development methods on real `cairn --dev` nodes, called with
//! their own request shapes (devnet's parameters by name, Katana's by position), their effects
//! checked over the Starknet RPC: mint and balances, predeployed accounts, blocks on demand, the
//! clock (forward only) and gas prices from the next block, storage writes, the configuration;
//! a dump loaded into a fresh node gives the same chain; refused on a non-development chain and
//! without unsafe RPC.
mod common;

use std::time::Duration;

use cairn_primitives::starknet::{genesis::well_known, Felt};
use common::*;
use jsonrpsee::core::{client::ClientT, params::ObjectParams};
use serde_json::{json, Value};

/// `method` with named `params` (an object, as devnet's clients send them): its result, or its
/// error's code and message.
async fn call(node: &Node, method: &str, params: Value) -> Result<Value, (i32, String)> {
	let mut object = ObjectParams::new();
	for (name, value) in params.as_object().expect("named params").clone() {
		object.insert(&name, value).unwrap();
	}
	match node.client.request::<Value, _>(method, object).await {
		Ok(value) => Ok(value),
		Err(jsonrpsee::core::ClientError::Call(error)) => {
			Err((error.code(), format!("{} {:?}", error.message(), error.data())))
		}
		Err(other) => panic!("{method}: {other}"),
	}
}

/// `method` with named `params`, which must succeed.
async fn ok(node: &Node, method: &str, params: Value) -> Value {
	match call(node, method, params).await {
		Ok(value) => value,
		Err(error) => panic!("{method} failed: {error:?}\n{}", node.log_text()),
	}
}

fn latest() -> Value {
	json!("latest")
}

/// The newest block (with transaction hashes).
async fn newest(node: &Node) -> Value {
	node.rpc("starknet_getBlockWithTxHashes", params(vec![latest()])).await
}

/// `token.balance_of(owner)` over `starknet_call`, as a u256 (low, high).
async fn balance_of(node: &Node, token: Felt, owner: Felt) -> (u128, u128) {
	let request = json!({
		"contract_address": token,
		"entry_point_selector": selector("balance_of"),
		"calldata": [owner],
	});
	let words = node.rpc("starknet_call", params(vec![request, latest()])).await;
	(parse_hex_u128(&words[0]), parse_hex_u128(&words[1]))
}

fn eth() -> Felt {
	Felt::from_hex(well_known::ETH).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn devnet_and_katana_methods_change_the_chain_through_the_runtime() {
	let node = Node::start("dev-methods", &["--dev", "--tmp"]).await;
	let printed = printed_accounts(&node.log_text());

	// Predeployed accounts, with their keys and, when asked, balances.
	let accounts = ok(&node, "devnet_getPredeployedAccounts", json!({})).await;
	let accounts = accounts.as_array().unwrap();
	assert_eq!(accounts.len(), printed.len());
	assert_eq!(accounts[0]["address"], json!(printed[0].address));
	assert_eq!(accounts[0]["private_key"], json!(printed[0].private_key));
	assert_eq!(accounts[0]["initial_balance"], json!(well_known::DEV_ACCOUNT_BALANCE.to_string()));
	assert_eq!(accounts[0]["balance"], Value::Null);
	let with_balance =
		ok(&node, "devnet_getPredeployedAccounts", json!({ "with_balance": true })).await;
	let balance = &with_balance[1]["balance"];
	assert_eq!(
		balance["strk"],
		json!({ "amount": well_known::DEV_ACCOUNT_BALANCE.to_string(), "unit": "FRI" })
	);
	assert_eq!(balance["eth"]["unit"], json!("WEI"));

	// A mint to an address that holds nothing: 10^21 FRI, sent as devnet users write it (a JSON
	// number beyond 64 bits), then 5 WEI; the token contracts see it, total supply included.
	let holder = Felt::from_hex("0x1234abcd").unwrap();
	let supply_before = {
		let request = json!({
			"contract_address": strk(),
			"entry_point_selector": selector("total_supply"),
			"calldata": [],
		});
		parse_hex_u128(&node.rpc("starknet_call", params(vec![request, latest()])).await[0])
	};
	let minted =
		ok(&node, "devnet_mint", json!({ "address": holder, "amount": 1e21, "unit": "FRI" })).await;
	assert_eq!(
		minted,
		json!({ "new_balance": "1000000000000000000000", "unit": "FRI", "tx_hash": null })
	);
	let minted =
		ok(&node, "devnet_mint", json!({ "address": holder, "amount": 5, "unit": "WEI" })).await;
	assert_eq!(minted["new_balance"], json!("5"));
	assert_eq!(balance_of(&node, strk(), holder).await, (1_000_000_000_000_000_000_000, 0));
	assert_eq!(balance_of(&node, eth(), holder).await, (5, 0));
	let request = json!({
		"contract_address": strk(),
		"entry_point_selector": selector("total_supply"),
		"calldata": [],
	});
	let supply =
		parse_hex_u128(&node.rpc("starknet_call", params(vec![request, latest()])).await[0]);
	assert_eq!(supply, supply_before + 1_000_000_000_000_000_000_000);
	// Unit defaults to FRI; a balance at genesis, and in the block of the first mint.
	let balance = ok(&node, "devnet_getAccountBalance", json!({ "address": holder })).await;
	assert_eq!(balance, json!({ "amount": "1000000000000000000000", "unit": "FRI" }));
	let at_genesis = ok(
		&node,
		"devnet_getAccountBalance",
		json!({ "address": holder, "unit": "WEI", "block_id": { "block_number": 0 } }),
	)
	.await;
	assert_eq!(at_genesis["amount"], json!("0"));
	// Bad amounts are refused, and mint nothing.
	for amount in [json!(-1), json!(1.5), json!("lots"), json!(1e40)] {
		let error = call(&node, "devnet_mint", json!({ "address": holder, "amount": amount }))
			.await
			.expect_err("a bad amount is refused");
		assert_eq!(error.0, -32602, "{amount}: {error:?}");
	}
	assert_eq!(balance_of(&node, strk(), holder).await, (1_000_000_000_000_000_000_000, 0));
	// A transfer to the holder adds to what was minted, as to any balance.
	let sender = &printed[2];
	let tx = transfer(sender, 0, holder, 1_000);
	node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&tx)])).await;
	node.wait_for_nonce(sender.address, 1, Duration::from_secs(60)).await;
	assert_eq!(balance_of(&node, strk(), holder).await.0, 1_000_000_000_000_000_001_000);

	// A block on demand.
	let created = ok(&node, "devnet_createBlock", json!({})).await;
	let block = newest(&node).await;
	assert_eq!(created["block_hash"], block["block_hash"]);
	assert_eq!(block["transactions"], json!([]));

	// The clock: an exact time in the created block, then forward from there; never back.
	let now = block["timestamp"].as_u64().unwrap();
	let target = now + 10_000;
	let set = ok(&node, "devnet_setTime", json!({ "time": target })).await;
	let block = newest(&node).await;
	assert_eq!(set, json!({ "block_timestamp": target, "block_hash": block["block_hash"] }));
	assert_eq!(block["timestamp"], json!(target));
	for past in [now, target, target - 1] {
		let error = call(&node, "devnet_setTime", json!({ "time": past }))
			.await
			.expect_err("the clock does not go back");
		assert_eq!(error.0, -1, "{error:?}");
		assert!(error.1.contains("only moves forward"), "{error:?}");
	}
	let increased = ok(&node, "devnet_increaseTime", json!({ "time": 3_600 })).await;
	let block = newest(&node).await;
	assert_eq!(increased["timestamp_increased_by"], json!(3_600));
	assert_eq!(increased["block_hash"], block["block_hash"]);
	let timestamp = block["timestamp"].as_u64().unwrap();
	assert!((target + 3_600..target + 3_600 + 60).contains(&timestamp), "{timestamp}");
	// Without a block: the next block has the time.
	let later = timestamp + 500;
	let set = ok(&node, "devnet_setTime", json!({ "time": later, "generate_block": false })).await;
	assert_eq!(set, json!({ "block_timestamp": later, "block_hash": null }));
	ok(&node, "devnet_createBlock", json!({})).await;
	assert_eq!(newest(&node).await["timestamp"], json!(later));

	// Gas prices from the next block (created now), and refused at zero.
	let prices = ok(
		&node,
		"devnet_setGasPrice",
		json!({ "l2_gas_price_fri": 2_000_000_000u64, "generate_block": true }),
	)
	.await;
	assert_eq!(prices["l2_gas_price_fri"], json!(2_000_000_000u64));
	assert_eq!(prices["gas_price_fri"], json!(1_000_000_000u64));
	let block = newest(&node).await;
	assert_eq!(block["l2_gas_price"]["price_in_fri"], json!("0x77359400"));
	let error = call(&node, "devnet_setGasPrice", json!({ "gas_price_fri": 0 }))
		.await
		.expect_err("a zero price is refused");
	assert_eq!(error.0, -32602);

	// The configuration says so.
	let config = ok(&node, "devnet_getConfig", json!({})).await;
	assert_eq!(config["chain_id"], json!(well_known::DEV_CHAIN_ID));
	assert_eq!(config["total_accounts"], json!(printed.len()));
	assert_eq!(config["block_generation_on"], json!("transaction"));
	assert_eq!(config["l2_gas_price_fri"], json!(2_000_000_000u64));
	assert_ne!(config["strk_erc20_class_hash"], Value::Null);

	// Katana's, by position: a storage write, the next block's timestamp, an increase.
	// (A deployed contract: reading an undeployed one's storage answers 20.)
	let (contract, key) = (printed[5].address, Felt::from_hex("0x99").unwrap());
	let answer = node
		.rpc("dev_setStorageAt", params(vec![json!(contract), json!(key), json!("0x2a")]))
		.await;
	assert_eq!(answer, Value::Null);
	let stored = node
		.rpc("starknet_getStorageAt", params(vec![json!(contract), json!(key), latest()]))
		.await;
	assert_eq!(stored, json!("0x2a"));
	let next = newest(&node).await["timestamp"].as_u64().unwrap() + 1_000;
	node.rpc("dev_setNextBlockTimestamp", params(vec![json!(next)])).await;
	node.rpc("dev_generateBlock", params(vec![])).await;
	assert_eq!(newest(&node).await["timestamp"], json!(next));
	node.rpc("dev_increaseNextBlockTimestamp", params(vec![json!(100)])).await;
	node.rpc("dev_generateBlock", params(vec![])).await;
	let timestamp = newest(&node).await["timestamp"].as_u64().unwrap();
	assert!((next + 100..next + 160).contains(&timestamp), "{timestamp}");
	let past = node.try_rpc("dev_setNextBlockTimestamp", params(vec![json!(next)])).await;
	assert!(past.unwrap_err().contains("only moves forward"));
	let katana = node.rpc("dev_predeployedAccounts", params(vec![])).await;
	assert_eq!(katana[0]["address"], json!(printed[0].address));
	assert_eq!(katana[0]["privateKey"], json!(printed[0].private_key));
	assert!(katana[0]["classHash"].is_string() && katana[0]["balance"].is_string());

	// Every block still commits its state: the newest state root is the one storage proofs
	// verify against (the commitment test checks the root itself).
	let best = node.best_number().await;

	// The chain dumped, and loaded into a fresh node of the same genesis: the same blocks,
	// the same state. A node of another genesis refuses the dump.
	let dir = temp_dir("dev-methods-dump");
	let path = dir.path().join("chain.json");
	let path_text = path.display().to_string();
	assert_eq!(ok(&node, "devnet_dump", json!({ "path": path_text })).await, Value::Null);
	let inline = ok(&node, "devnet_dump", json!({})).await;
	assert_eq!(inline["blocks"].as_array().unwrap().len() as u64, best);
	assert_eq!(inline["chain_spec"]["id"], json!("cairn_dev"));
	let fresh = Node::start("dev-methods-load", &["--dev", "--tmp"]).await;
	assert_eq!(ok(&fresh, "devnet_load", json!({ "path": path_text })).await, json!({}));
	assert_eq!(fresh.best_number().await, best);
	fresh.wait_for_finalized(best, Duration::from_secs(30)).await;
	let (ours, theirs) = (newest(&node).await, newest(&fresh).await);
	for field in ["block_hash", "new_root", "timestamp", "l2_gas_price"] {
		assert_eq!(ours[field], theirs[field], "{field}");
	}
	assert_eq!(balance_of(&fresh, strk(), holder).await, balance_of(&node, strk(), holder).await);
	let stored = fresh
		.rpc("starknet_getStorageAt", params(vec![json!(contract), json!(key), latest()]))
		.await;
	assert_eq!(stored, json!("0x2a"));
	// Loading again changes nothing.
	ok(&fresh, "devnet_load", json!({ "path": path_text })).await;
	assert_eq!(fresh.best_number().await, best);
	// The loaded node goes on from there.
	ok(&fresh, "devnet_createBlock", json!({})).await;
	assert_eq!(fresh.best_number().await, best + 1);
	let other = Node::start("dev-methods-other", &["--dev", "--tmp", "--seed", "1"]).await;
	let error = call(&other, "devnet_load", json!({ "path": path_text }))
		.await
		.expect_err("a dump of another genesis is refused");
	assert_eq!(error.0, -1);
	assert!(error.1.contains("another chain"), "{error:?}");
	let error = call(&other, "devnet_load", json!({ "path": "/nonexistent/dump.json" }))
		.await
		.expect_err("a missing file is refused");
	assert_eq!(error.0, -1);
	assert_eq!(other.best_number().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_methods_are_refused_without_unsafe_rpc_and_off_development_chains() {
	let safe = Node::start("dev-methods-safe", &["--dev", "--tmp", "--rpc-methods", "safe"]).await;
	let holder = json!("0x1234");
	for (method, params) in [
		("devnet_mint", json!({ "address": holder, "amount": 5 })),
		("devnet_createBlock", json!({})),
		("devnet_getPredeployedAccounts", json!({})),
		("devnet_setTime", json!({ "time": 4_000_000_000u64 })),
	] {
		let error = call(&safe, method, params).await.expect_err("unsafe RPC is refused");
		assert_eq!(error.0, -32601, "{method}: {error:?}");
		assert!(error.1.contains("unsafe"), "{method}: {error:?}");
	}
	assert_eq!(safe.best_number().await, 0, "nothing was sealed");

	// A local (Aura + GRANDPA) chain has none of them.
	let local = Node::start("dev-methods-local", &["--chain", "local", "--tmp"]).await;
	for method in ["devnet_mint", "devnet_createBlock", "dev_setStorageAt", "dev_generateBlock"] {
		let error = call(&local, method, json!({})).await.expect_err("no such method");
		assert_eq!(error.0, -32601, "{method}: {error:?}");
		assert!(error.1.contains("not found"), "{method}: {error:?}");
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn starknet_devnet_s_own_js_client_drives_the_node_unchanged() {
	assert!(
		sdk_js_has("starknet-devnet") && sdk_js_has("starknet"),
		"starknet-devnet's client is not installed under {}: run scripts/setup",
		sdk_dir().display()
	);
	let node = Node::start("dev-methods-devnet-js", &["--dev", "--tmp"]).await;
	let dir = temp_dir("dev-methods-devnet-js");
	let path = dir.path().join("chain.json");
	let output = tokio::task::spawn_blocking({
		let url = format!("http://127.0.0.1:{}", node.rpc_port);
		let path = path.display().to_string();
		move || run_js_script("devnet_js.mjs", [url, path])
	})
	.await
	.unwrap();
	assert_flow_ok("starknet-devnet's DevnetProvider", output);
	// What it dumped loads into a fresh node: the same newest block.
	let fresh = Node::start("dev-methods-devnet-js-load", &["--dev", "--tmp"]).await;
	ok(&fresh, "devnet_load", json!({ "path": path.display().to_string() })).await;
	assert_eq!(newest(&fresh).await["block_hash"], newest(&node).await["block_hash"]);
}

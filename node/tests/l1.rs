//! Bridging to L1 against a real Anvil (README, "Bridging to L1"): the core contract's rules on
//! L1 (ethers), and messages from L1 reaching an L2 contract's `l1_handler` on a real node
//! following that Anvil — executed once, with its message hash in the receipt, and neither lost
//! nor run twice when the node is killed (`kill -9`) between the L1 event and its inclusion, or
//! after it.
mod common;

use std::time::Duration;

use cairn_executor::signing::selector;
use cairn_primitives::starknet::{Felt, ResourceBounds, ValidResourceBounds};
use common::*;
use serde_json::{json, Value};

#[test]
fn core_contract_rules_on_anvil() {
	let anvil = Anvil::start();
	let artifact = core_artifact();
	let output = run_js_script("l1_core.mjs", [anvil.url.as_str(), artifact.to_str().unwrap()]);
	assert_flow_ok("the core contract on Anvil", output);
}

/// `contract.name(calldata)` over `starknet_call`, one felt.
async fn read_felt(node: &Node, contract: Felt, name: &str, calldata: Vec<Felt>) -> Felt {
	let request = json!({
		"contract_address": contract,
		"entry_point_selector": selector(name),
		"calldata": calldata,
	});
	let words = node.rpc("starknet_call", params(vec![request, json!("latest")])).await;
	Felt::from_hex(words[0].as_str().unwrap()).unwrap()
}

/// `contract.name(calldata)` over `starknet_call`, a felt of at most 128 bits.
async fn read(node: &Node, contract: Felt, name: &str, calldata: Vec<Felt>) -> u128 {
	read_felt(node, contract, name, calldata).await.to_u128().unwrap()
}

/// The dev chain's accounts, and the L2 bridge (`l1_bridge.cairo`) declared and deployed by the
/// first with its nonces 0 and 1.
async fn deploy_bridge(node: &Node) -> (Vec<Account>, Felt) {
	let accounts = printed_accounts(&node.log_text());
	let class = test_contract("l1_bridge");
	declare_class(node, &accounts[0], 0, &class).await;
	let (_, bridge) = deploy_through_udc(
		node,
		&accounts[0],
		1,
		class.class_hash,
		Felt::from(7u128),
		&[],
		generous_bounds(),
	)
	.await;
	(accounts, bridge)
}

/// The L1-handler receipts of every block, oldest first.
async fn l1_handler_receipts(node: &Node) -> Vec<Value> {
	let best = node.best_number().await;
	let mut receipts = Vec::new();
	for number in 0..=best {
		let block = node
			.rpc("starknet_getBlockWithReceipts", params(vec![json!({ "block_number": number })]))
			.await;
		for tx in block["transactions"].as_array().unwrap() {
			if tx["receipt"]["type"] == "L1_HANDLER" {
				receipts.push(tx["receipt"].clone());
			}
		}
	}
	receipts
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_from_l1_run_once_on_l2_across_kill_9() {
	let anvil = Anvil::start();
	let base = temp_dir("l1-node");
	let base_path = base.path().to_str().unwrap();
	// The L2 bridge contract, on a dev chain; the core contract deployed from its latest block.
	let mut node = Node::start("l1-setup", &["--dev", "--base-path", base_path]).await;
	let (accounts, bridge) = deploy_bridge(&node).await;
	let core = deploy_core(&anvil, &format!("http://127.0.0.1:{}", node.rpc_port));
	node.stop();

	// Manual sealing: the node sees the message, and includes it only when asked.
	let l1_args = |sealing: &'static str| -> Vec<String> {
		[
			"--dev",
			"--base-path",
			base_path,
			"--sealing",
			sealing,
			"--l1-endpoint",
			&anvil.url,
			"--l1-core-contract",
			&core,
			"--l1-poll-interval-ms",
			"200",
		]
		.iter()
		.map(|s| s.to_string())
		.collect()
	};
	let args = l1_args("manual");
	let args: Vec<&str> = args.iter().map(String::as_str).collect();
	let mut node = Node::start("l1-manual", &args).await;
	let account = "0xabc";
	let sent = send_message(
		&anvil,
		&core,
		&felt_hex(bridge),
		&felt_hex(selector("deposit")),
		&format!("{account},5"),
	);
	// Seen once confirmed (one more L1 block, a second later), then killed before any block.
	tokio::time::sleep(Duration::from_secs(4)).await;
	assert!(node.log_text().contains("new message(s) from L1"), "{}", node.log_text());
	node.kill();

	// Restarted with instant sealing: the message is read again and included, once.
	let args = l1_args("instant");
	let args: Vec<&str> = args.iter().map(String::as_str).collect();
	let mut node = Node::start("l1-instant", &args).await;
	let account_felt = Felt::from_hex(account).unwrap();
	node.wait_until("the deposit executed on L2", Duration::from_secs(60), || {
		let node = &node;
		async move { read(node, bridge, "balance_of", vec![account_felt]).await == 5 }
	})
	.await;
	assert_eq!(read(&node, bridge, "get_deposits", vec![]).await, 1);
	// The contract saw the L1 sender (Anvil's first account).
	assert_eq!(
		read_felt(&node, bridge, "get_last_l1_sender", vec![]).await,
		Felt::from_hex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266").unwrap()
	);
	let receipts = l1_handler_receipts(&node).await;
	assert_eq!(receipts.len(), 1, "{receipts:?}");
	assert_eq!(receipts[0]["execution_status"], "SUCCEEDED", "{receipts:?}");
	assert_eq!(receipts[0]["message_hash"], sent["message_hash"], "{receipts:?}");

	// Killed after inclusion, restarted (now settling on L1 with the sequencer's key, Anvil's
	// first account, which deployed the core contract): nothing runs twice; a second message
	// still arrives.
	node.kill();
	let key_dir = temp_dir("l1-key");
	let key_file = key_dir.path().join("sequencer.key");
	std::fs::write(&key_file, ANVIL_KEYS[0]).unwrap();
	let mut args = args.clone();
	args.extend(["--l1-settlement-key-file", key_file.to_str().unwrap()]);
	args.extend(["--l1-settlement-interval-ms", "500"]);
	let mut node = Node::start("l1-again", &args).await;
	send_message(
		&anvil,
		&core,
		&felt_hex(bridge),
		&felt_hex(selector("deposit")),
		&format!("{account},7"),
	);
	node.wait_until("the second deposit executed", Duration::from_secs(60), || {
		let node = &node;
		async move { read(node, bridge, "balance_of", vec![account_felt]).await == 12 }
	})
	.await;
	// More L1 blocks pass; the count stays.
	tokio::time::sleep(Duration::from_secs(3)).await;
	assert_eq!(read(&node, bridge, "get_deposits", vec![]).await, 2);
	assert_eq!(l1_handler_receipts(&node).await.len(), 2);

	// L2 → L1: a withdrawal to Anvil's second account, settled, then consumed there once.
	let recipient = Felt::from_hex(ANVIL_ADDRESSES[1]).unwrap();
	let receipt = withdraw(&node, &accounts[0], 2, bridge, recipient, account_felt, 3).await;
	assert_eq!(receipt["messages_sent"][0]["to_address"], json!(felt_hex(recipient)), "{receipt}");
	let withdraw_block = receipt["block_number"].as_u64().unwrap();
	// (That it cannot be consumed before settlement is `core_contract_rules_on_anvil`'s: here
	// the node may settle it within half a second.)
	let payload = format!("{account},3");
	node.wait_until("the withdrawal settled on L1", Duration::from_secs(60), || {
		let node = &node;
		let hash = Felt::from_hex(receipt["transaction_hash"].as_str().unwrap()).unwrap();
		async move { node.receipt(hash).await["finality_status"] == "ACCEPTED_ON_L1" }
	})
	.await;
	let l1_accepted =
		node.rpc("starknet_getBlockWithTxHashes", params(vec![json!("l1_accepted")])).await;
	assert!(l1_accepted["block_number"].as_u64().unwrap() >= withdraw_block, "{l1_accepted}");
	assert_eq!(l1_accepted["status"], "ACCEPTED_ON_L1", "{l1_accepted}");
	let consumed = consume_message(&anvil, &core, &felt_hex(bridge), &payload, ANVIL_KEYS[1]);
	assert!(consumed.status.success(), "{}", String::from_utf8_lossy(&consumed.stderr));
	let again = consume_message(&anvil, &core, &felt_hex(bridge), &payload, ANVIL_KEYS[1]);
	assert!(!again.status.success(), "consumed twice");

	// The first message: its L2 transaction over starknet_getMessagesStatus, settled, and no
	// longer pending on L1 (settlement reported it consumed, so it cannot be cancelled).
	let status = node
		.rpc("starknet_getMessagesStatus", params(vec![sent["l1_transaction_hash"].clone()]))
		.await;
	assert_eq!(status.as_array().unwrap().len(), 1, "{status}");
	assert_eq!(status[0]["transaction_hash"], receipts[0]["transaction_hash"], "{status}");
	assert_eq!(status[0]["finality_status"], "ACCEPTED_ON_L1", "{status}");
	assert_eq!(status[0]["execution_status"], "SUCCEEDED", "{status}");
	let state = core_state(&anvil, &core, sent["message_hash"].as_str().unwrap());
	assert_eq!(state["pending"], "0", "{state}");
	// An unknown L1 transaction: the spec's TXN_HASH_NOT_FOUND.
	let unknown = node
		.try_rpc(
			"starknet_getMessagesStatus",
			params(vec![json!(format!("0x{}", "ab".repeat(32)))]),
		)
		.await;
	assert!(unknown.unwrap_err().contains("29"), "TXN_HASH_NOT_FOUND");
	node.stop();
}

/// Where Anvil's first account's first contract lands: the core contract deployed first on a
/// fresh Anvil (so a node can be started with it before it is deployed).
const FIRST_CONTRACT: &str = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

/// The number of the first block with an L1-handler receipt.
async fn l1_handler_block(node: &Node) -> Option<u64> {
	for number in 0..=node.best_number().await {
		let block = node
			.rpc("starknet_getBlockWithReceipts", params(vec![json!({ "block_number": number })]))
			.await;
		let transactions = block["transactions"].as_array().unwrap();
		if transactions.iter().any(|tx| tx["receipt"]["type"] == "L1_HANDLER") {
			return Some(number);
		}
	}
	None
}

#[tokio::test(flavor = "multi_thread")]
async fn a_block_with_a_message_the_importer_s_l1_lacks_is_refused() {
	// Two L1s with the same core contract: the author's, where a message is sent, and the
	// importer's, where it never was (to the importer, a made-up message).
	let (l1_author, l1_importer) = (Anvil::start(), Anvil::start());
	let base_a = temp_dir("l1-alice");
	let base_a = base_a.path().to_str().unwrap().to_owned();
	let alice = Node::start(
		"l1-alice",
		&[
			"--chain",
			"local",
			"--alice",
			"--base-path",
			&base_a,
			"--node-key",
			ALICE_NODE_KEY,
			"--force-authoring",
			"--l1-endpoint",
			&l1_author.url,
			"--l1-core-contract",
			FIRST_CONTRACT,
			"--l1-poll-interval-ms",
			"200",
		],
	)
	.await;
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{ALICE_PEER_ID}", alice.p2p_port);
	let alice_url = format!("http://127.0.0.1:{}", alice.rpc_port);
	for l1 in [&l1_author, &l1_importer] {
		assert_eq!(deploy_core(l1, &alice_url).to_lowercase(), FIRST_CONTRACT.to_lowercase());
	}
	// A full node following its own L1, and one following none.
	let base_c = temp_dir("l1-checker");
	let base_c = base_c.path().to_str().unwrap().to_owned();
	let checker = Node::start(
		"l1-checker",
		&[
			"--chain",
			"local",
			"--base-path",
			&base_c,
			"--bootnodes",
			&bootnode,
			"--l1-endpoint",
			&l1_importer.url,
			"--l1-core-contract",
			FIRST_CONTRACT,
		],
	)
	.await;
	let base_t = temp_dir("l1-truster");
	let base_t = base_t.path().to_str().unwrap().to_owned();
	let truster = Node::start(
		"l1-truster",
		&["--chain", "local", "--base-path", &base_t, "--bootnodes", &bootnode],
	)
	.await;

	send_message(&l1_author, FIRST_CONTRACT, "0x1234", &felt_hex(selector("deposit")), "0xabc,5");
	alice
		.wait_until("Alice includes the message", Duration::from_secs(120), || {
			let alice = &alice;
			async move { l1_handler_block(alice).await.is_some() }
		})
		.await;
	let with_message = l1_handler_block(&alice).await.unwrap();
	// Alice builds on it; the node without an L1 follows her, the one with its own L1 stops
	// below the block it cannot check.
	alice.wait_for_best(with_message + 1, Duration::from_secs(60)).await;
	truster.wait_for_best(with_message + 1, Duration::from_secs(60)).await;
	assert!(
		checker.best_number().await < with_message,
		"the importer took a block with a message its L1 does not show:\n{}",
		checker.log_text()
	);
	assert!(
		checker.log_text().contains("not on this node's L1"),
		"the importer says why:\n{}",
		checker.log_text()
	);
}

/// A withdrawal of `amount` from `account`'s bridge balance to L1 `recipient`, by
/// `accounts[0]` with `nonce`: its receipt.
async fn withdraw(
	node: &Node,
	sender: &Account,
	nonce: u128,
	bridge: Felt,
	recipient: Felt,
	account: Felt,
	amount: u128,
) -> Value {
	let withdraw = invoke(
		sender,
		nonce,
		&[Call {
			to: bridge,
			entry_point: "withdraw",
			calldata: vec![recipient, account, Felt::from(amount)],
		}],
		// A message to L1 costs L1 gas (about 28,000 for this one).
		ValidResourceBounds::AllResources {
			l1_gas: ResourceBounds { max_amount: 100_000, max_price_per_unit: 2_000_000_000 },
			l2_gas: ResourceBounds { max_amount: 200_000_000, max_price_per_unit: 2_000_000_000 },
			l1_data_gas: ResourceBounds { max_amount: 100_000, max_price_per_unit: 2_000_000_000 },
		},
	);
	node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&withdraw)])).await;
	let receipt = node.receipt(tx_hash(&withdraw)).await;
	assert_eq!(receipt["execution_status"], "SUCCEEDED", "{receipt}");
	receipt
}

/// The error code of a refused call (jsonrpsee writes `InvalidParams` for -32602 and
/// `ServerError(n)` for the others).
fn code(result: Result<Value, String>) -> String {
	let error = result.expect_err("refused");
	if error.contains("code: InvalidParams") {
		return "-32602".into();
	}
	error
		.split_once("ServerError(")
		.and_then(|(_, rest)| rest.split_once(')'))
		.map(|(code, _)| code.to_owned())
		.unwrap_or(error)
}

#[tokio::test(flavor = "multi_thread")]
async fn devnet_postman_bridges_a_dev_chain_to_anvil_at_run_time() {
	let anvil = Anvil::start();
	let artifact = core_artifact();
	let node = Node::start(
		"postman",
		&["--dev", "--tmp", "--l1-core-artifact", artifact.to_str().unwrap()],
	)
	.await;
	let (accounts, bridge) = deploy_bridge(&node).await;
	let account = Felt::from_hex("0xabc").unwrap();
	let recipient = Felt::from_hex(ANVIL_ADDRESSES[1]).unwrap();
	let deposit = felt_hex(selector("deposit"));

	// Without an L1: flushing is refused, a dry run lists nothing; messages are mocked.
	assert_eq!(code(node.try_rpc("devnet_postmanFlush", params(vec![json!(false)])).await), "-1");
	let dry = node.rpc("devnet_postmanFlush", params(vec![json!(true)])).await;
	assert_eq!(dry["messages_to_l1"], json!([]), "{dry}");
	assert_eq!(dry["l1_provider"], "dry run", "{dry}");
	let mocked = |payload: Vec<Value>, from: &str, nonce: &str| {
		params(vec![
			json!(felt_hex(bridge)),
			json!(deposit),
			json!(from),
			json!(payload),
			json!("0x1"),
			json!(nonce),
		])
	};
	let sent = node
		.rpc(
			"devnet_postmanSendMessageToL2",
			mocked(vec![json!("0xabc"), json!("0x4")], ANVIL_ADDRESSES[0], "0x0"),
		)
		.await;
	let hash = Felt::from_hex(sent["transaction_hash"].as_str().unwrap()).unwrap();
	let receipt = node.receipt(hash).await;
	assert_eq!(receipt["type"], "L1_HANDLER", "{receipt}");
	assert_eq!(receipt["execution_status"], "SUCCEEDED", "{receipt}");
	assert_eq!(read(&node, bridge, "balance_of", vec![account]).await, 4);
	// An L1 sender that is not an Ethereum address, or a payload over the limit: refused.
	let wide = format!("0x1{}", "0".repeat(40));
	let refused = node
		.try_rpc("devnet_postmanSendMessageToL2", mocked(vec![json!("0xabc")], &wide, "0x1"))
		.await;
	assert_eq!(code(refused), "-32602");
	let long = vec![json!("0x1"); 1025];
	let refused = node
		.try_rpc("devnet_postmanSendMessageToL2", mocked(long, ANVIL_ADDRESSES[0], "0x1"))
		.await;
	assert_eq!(code(refused), "-32602");
	// starknet-devnet's own client: a message to L1 listed by a dry flush and consumed
	// without an L1, once; a message to L2 mocked; the L1 loaded, the core contract deployed
	// there (the fresh Anvil's first contract), settled from the newest block.
	withdraw(&node, &accounts[0], 2, bridge, recipient, account, 1).await;
	// (An address without a contract, or an address and a key both, is refused.)
	let load = |address: Value, key: Value| params(vec![json!(anvil.url), address, key]);
	let refused = node.try_rpc("devnet_postmanLoad", load(json!(ANVIL_ADDRESSES[0]), json!(null)));
	assert_eq!(code(refused.await), "-1");
	let both = load(json!(ANVIL_ADDRESSES[0]), json!(ANVIL_KEYS[0]));
	assert_eq!(code(node.try_rpc("devnet_postmanLoad", both).await), "-32602");
	assert!(sdk_js_has("starknet-devnet"), "run scripts/setup");
	let output = tokio::task::spawn_blocking({
		let args = [
			format!("http://127.0.0.1:{}", node.rpc_port),
			anvil.url.clone(),
			felt_hex(bridge),
			ANVIL_ADDRESSES[1].to_owned(),
			ANVIL_ADDRESSES[0].to_owned(),
		];
		move || run_js_script("devnet_postman.mjs", args)
	})
	.await
	.unwrap();
	assert_flow_ok("starknet-devnet's Postman", output);
	assert_eq!(read(&node, bridge, "balance_of", vec![account]).await, 4);
	let url = anvil.url.clone();
	assert_eq!(code(node.try_rpc("devnet_postmanLoad", params(vec![json!(url)])).await), "-1");
	let core = FIRST_CONTRACT;
	let settled_from = core_state(&anvil, core, &format!("0x{}", "00".repeat(32)));

	// A message from L1 waits for a flush, which includes it and reports it.
	let message = send_message(&anvil, core, &felt_hex(bridge), &deposit, "0xabc,5");
	tokio::time::sleep(Duration::from_secs(1)).await;
	assert_eq!(read(&node, bridge, "balance_of", vec![account]).await, 4);
	// A mocked message after the load: settlement must not claim it on L1.
	node.rpc(
		"devnet_postmanSendMessageToL2",
		mocked(vec![json!("0xabc"), json!("0x2")], ANVIL_ADDRESSES[0], "0x1000"),
	)
	.await;
	assert_eq!(read(&node, bridge, "balance_of", vec![account]).await, 6);
	let withdrawal = withdraw(&node, &accounts[0], 3, bridge, recipient, account, 3).await;
	// A WebSocket subscriber to its status hears ACCEPTED_ON_L2 now, ACCEPTED_ON_L1 once settled.
	let mut ws = raw_ws(node.rpc_port).await;
	let subscribed = ws
		.call("starknet_subscribeTransactionStatus", json!([withdrawal["transaction_hash"]]))
		.await
		.unwrap();
	let status_of = |heard: Option<Value>| {
		let heard = heard.expect("a status notification");
		assert_eq!(heard["params"]["subscription_id"], subscribed, "{heard}");
		heard["params"]["result"]["status"]["finality_status"].clone()
	};
	let before = status_of(ws.notification(Duration::from_secs(10)).await);
	let flushed = node.rpc("devnet_postmanFlush", params(vec![])).await;
	let after = status_of(ws.notification(Duration::from_secs(10)).await);
	assert_eq!([before, after], [json!("ACCEPTED_ON_L2"), json!("ACCEPTED_ON_L1")]);
	assert_eq!(flushed["l1_provider"], json!(url), "{flushed}");
	assert_eq!(flushed["messages_to_l2"].as_array().unwrap().len(), 1, "{flushed}");
	let nonce: u64 = message["nonce"].as_str().unwrap().parse().unwrap();
	assert_eq!(flushed["messages_to_l2"][0]["nonce"], json!(format!("{nonce:#x}")), "{flushed}");
	assert_eq!(flushed["generated_l2_transactions"].as_array().unwrap().len(), 1, "{flushed}");
	assert_eq!(read(&node, bridge, "balance_of", vec![account]).await, 8);
	// Settled: the withdrawal's message is reported and consumable on Anvil, once; the block,
	// its receipt and the message from L1 are ACCEPTED_ON_L1.
	let messages_to_l1 = flushed["messages_to_l1"].as_array().unwrap();
	assert_eq!(messages_to_l1.len(), 1, "{flushed}");
	assert_eq!(messages_to_l1[0]["payload"], json!(["0xabc", "0x3"]), "{flushed}");
	let consumed = consume_message(&anvil, core, &felt_hex(bridge), "0xabc,3", ANVIL_KEYS[1]);
	assert!(consumed.status.success(), "{}", String::from_utf8_lossy(&consumed.stderr));
	let again = consume_message(&anvil, core, &felt_hex(bridge), "0xabc,3", ANVIL_KEYS[1]);
	assert!(!again.status.success(), "consumed twice");
	let hash = Felt::from_hex(withdrawal["transaction_hash"].as_str().unwrap()).unwrap();
	assert_eq!(node.receipt(hash).await["finality_status"], "ACCEPTED_ON_L1");
	let status = node
		.rpc("starknet_getMessagesStatus", params(vec![message["l1_transaction_hash"].clone()]))
		.await;
	assert_eq!(status[0]["transaction_hash"], flushed["generated_l2_transactions"][0], "{status}");
	assert_eq!(status[0]["finality_status"], "ACCEPTED_ON_L1", "{status}");
	let state = core_state(&anvil, core, message["message_hash"].as_str().unwrap());
	assert_eq!(state["pending"], "0", "{state}");
	assert!(state["block_number"] != settled_from["block_number"], "{state}");
	// A second flush with nothing new: nothing reported twice.
	let flushed = node.rpc("devnet_postmanFlush", params(vec![])).await;
	assert_eq!(flushed["messages_to_l1"], json!([]), "{flushed}");
	assert_eq!(flushed["messages_to_l2"], json!([]), "{flushed}");
}

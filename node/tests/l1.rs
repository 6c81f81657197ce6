//! Bridging to L1 against a real Anvil (README, "Bridging to L1"): the core contract's rules on
//! L1 (ethers), and messages from L1 reaching an L2 contract's `l1_handler` on a real node
//! following that Anvil — executed once, with its message hash in the receipt, and neither lost
//! nor run twice when the node is killed (`kill -9`) between the L1 event and its inclusion, or
//! after it.
mod common;

use std::time::Duration;

use cairn_executor::signing::selector;
use cairn_primitives::starknet::Felt;
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
	let accounts = printed_accounts(&node.log_text());
	let class = test_contract("l1_bridge");
	declare_class(&node, &accounts[0], 0, &class).await;
	let (_, bridge) = deploy_through_udc(
		&node,
		&accounts[0],
		1,
		class.class_hash,
		Felt::from(7u128),
		&[],
		generous_bounds(),
	)
	.await;
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

	// Killed after inclusion, restarted: nothing runs twice; a second message still arrives.
	node.kill();
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
	node.stop();
}

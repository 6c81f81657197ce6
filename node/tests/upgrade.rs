//! A forkless runtime upgrade of a running `cairn --dev` chain, end to end, and polkadot.js as a
//! dashboard uses it. The chain starts with the runtime of package `cairn-runtime` (spec 100),
//! makes Starknet state, and `scripts/upgrade` (@polkadot/api 16.5.6, `sudo(system.setCode)`)
//! installs the wasm of `cairn-runtime-next` (spec 101, whose migration doubles the Starknet L2 gas
//! price). Then: the version changed, blocks kept coming, the Starknet state from before is intact,
//! new Starknet transactions execute at the new price, a wasm that is no runtime and a lower
//! version are refused, and `scripts/sdk/polkadot_dashboard.mjs` decodes every pallet's storage,
//! constants and events from metadata alone, follows new and finalized heads and sends a balances
//! transfer signed by Alice.
mod common;

use std::{
	process::{Command, Output},
	time::{Duration, Instant},
};

use cairn_executor::dev_genesis::storage_var_address;
use cairn_primitives::starknet::Felt;
use common::*;
use serde_json::{json, Value};

/// `scripts/upgrade WASM --url ws://…`: its exit code and output.
async fn upgrade(node: &Node, wasm: &[u8], name: &str) -> (Option<i32>, String) {
	let dir = temp_dir(name);
	let file = dir.path().join(format!("{name}.wasm"));
	std::fs::write(&file, wasm).unwrap();
	let url = format!("ws://127.0.0.1:{}", node.rpc_port);
	let output: Output = tokio::task::spawn_blocking(move || {
		Command::new(repo_path("scripts/upgrade"))
			.arg(&file)
			.args(["--url", &url])
			.output()
			.expect("scripts/upgrade runs")
	})
	.await
	.unwrap();
	let text = format!(
		"{}{}",
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	);
	(output.status.code(), text)
}

async fn spec_version(node: &Node) -> u64 {
	node.rpc("state_getRuntimeVersion", params(vec![])).await["specVersion"].as_u64().unwrap()
}

async fn starknet(node: &Node, method: &str, args: Vec<Value>) -> Value {
	node.rpc(method, params(args)).await
}

/// The Starknet facts the upgrade must keep.
async fn snapshot(node: &Node, accounts: &[Account], tx: Felt) -> Value {
	let (alice, bob) = (&accounts[0], &accounts[1]);
	let balance = |who: Felt| json!(storage_var_address("ERC20_balances", &[who]));
	json!({
		"alice_balance": starknet(node, "starknet_getStorageAt", vec![json!(strk()), balance(alice.address), json!({ "block_number": 1 })]).await,
		"bob_balance": starknet(node, "starknet_getStorageAt", vec![json!(strk()), balance(bob.address), json!("latest")]).await,
		"alice_nonce": starknet(node, "starknet_getNonce", vec![json!("latest"), json!(alice.address)]).await,
		"alice_class": starknet(node, "starknet_getClassHashAt", vec![json!("latest"), json!(alice.address)]).await,
		"receipt": node.receipt(tx).await,
		"block_1": starknet(node, "starknet_getBlockWithTxHashes", vec![json!({ "block_number": 1 })]).await,
		"trace": starknet(node, "starknet_traceTransaction", vec![json!(tx)]).await,
	})
}

#[tokio::test(flavor = "multi_thread")]
async fn forkless_upgrade_and_polkadot_js_dashboard() {
	assert!(
		sdk_js_has("@polkadot/api"),
		"@polkadot/api is not installed under {}: run scripts/setup",
		sdk_js_dir().display()
	);
	// Blocks every 500 ms, so "the chain goes on" needs no transactions.
	let node = Node::start("upgrade", &["--dev", "--tmp", "--sealing", "500"]).await;
	let accounts = printed_accounts(&node.log_text());
	assert_eq!(spec_version(&node).await, 100);

	// Starknet state before: an ERC-20 transfer.
	let first = transfer(&accounts[0], 0, accounts[1].address, 1000);
	let first_hash = tx_hash(&first);
	starknet(&node, "starknet_addInvokeTransaction", vec![invoke_json(&first)]).await;
	assert_eq!(node.receipt(first_hash).await["execution_status"], "SUCCEEDED");
	let before = snapshot(&node, &accounts, first_hash).await;
	let old_l2_price = before["block_1"]["l2_gas_price"]["price_in_fri"].clone();
	assert_eq!(old_l2_price, "0x3b9aca00");

	// The upgrade.
	let started = Instant::now();
	let (code, output) = upgrade(&node, cairn_runtime_next::WASM_BINARY.unwrap(), "next").await;
	assert_eq!(code, Some(0), "scripts/upgrade failed:\n{output}");
	let upgraded = output.lines().find(|l| l.starts_with("upgraded:")).expect("an upgraded: line");
	println!("{upgraded} ({:.1} s)", started.elapsed().as_secs_f64());
	assert!(upgraded.contains("100 -> 101"), "{upgraded}");
	assert_eq!(spec_version(&node).await, 101);

	// Blocks keep coming and the Starknet state from before is intact (the receipt, the trace of
	// a block the old runtime built — re-executed with that runtime — balances, nonce, class).
	let best = node.best_number().await;
	node.wait_for_best(best + 2, Duration::from_secs(30)).await;
	assert_eq!(snapshot(&node, &accounts, first_hash).await, before);

	// New Starknet transactions execute, in blocks priced by the new runtime's migration.
	let second = transfer(&accounts[0], 1, accounts[1].address, 2000);
	let second_hash = tx_hash(&second);
	starknet(&node, "starknet_addInvokeTransaction", vec![invoke_json(&second)]).await;
	let second_receipt = node.receipt(second_hash).await;
	assert_eq!(second_receipt["execution_status"], "SUCCEEDED", "{second_receipt}");
	let block = starknet(
		&node,
		"starknet_getBlockWithTxHashes",
		vec![json!({ "block_number": second_receipt["block_number"] })],
	)
	.await;
	assert_eq!(block["l2_gas_price"]["price_in_fri"], "0x77359400", "doubled by the migration");
	let bob_balance = starknet(
		&node,
		"starknet_getStorageAt",
		vec![
			json!(strk()),
			json!(storage_var_address("ERC20_balances", &[accounts[1].address])),
			json!("latest"),
		],
	)
	.await;
	let grew = parse_hex_u128(&bob_balance) - parse_hex_u128(&before["bob_balance"]);
	assert_eq!(grew, 2000);

	// Refused: a wasm that is not a runtime, and the older runtime. The chain goes on at 101.
	let (code, output) = upgrade(&node, &[0x42; 1024], "garbage").await;
	assert_eq!(code, Some(2), "{output}");
	assert!(output.lines().any(|l| l.starts_with("refused:")), "{output}");
	let (code, output) = upgrade(&node, cairn_runtime::WASM_BINARY.unwrap(), "older").await;
	assert_eq!(code, Some(2), "{output}");
	assert!(output.contains("SpecVersionNeedsToIncrease"), "{output}");
	let best = node.best_number().await;
	node.wait_for_best(best + 2, Duration::from_secs(30)).await;
	assert_eq!(spec_version(&node).await, 101);

	// polkadot.js as a dashboard uses it, on the upgraded chain.
	let url = format!("ws://127.0.0.1:{}", node.rpc_port);
	let output =
		tokio::task::spawn_blocking(move || run_js_script("polkadot_dashboard.mjs", [url]))
			.await
			.unwrap();
	let stdout = String::from_utf8_lossy(&output.stdout);
	assert!(
		output.status.success() && stdout.lines().last() == Some("ok"),
		"polkadot.js dashboard failed ({}):\n{stdout}\n{}",
		output.status,
		String::from_utf8_lossy(&output.stderr)
	);
	println!("{stdout}");
}

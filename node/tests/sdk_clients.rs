//! Real Starknet clients, unchanged, against a real `cairn --dev`: starknet-py 0.30.0 and
//! starknet.js 10.8.0 (installed by `scripts/setup`) each run their ordinary flows through the
//! scripts in `scripts/sdk/`: chain id and blocks, a view call, an ERC-20 transfer with an
//! estimated fee, waiting for the receipt, events; a new account deployed with deploy_account; a
//! class declared (starknet-py: OpenZeppelin's account 0.8.0, starknet.js: Argent's 0.4.0) and
//! deployed through the UDC; an invoke from the new account; simulation and traces.
//!
//! The SDKs take the declared class's compiled class hash as given (as users take it from their
//! compiler): the test computes it with the node's own compiler.
mod common;

use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn starknet_py_and_starknet_js_run_their_account_flows() {
	let sdk = sdk_dir();
	assert!(
		sdk_python().exists() && sdk_js_has("starknet"),
		"the Starknet SDKs are not installed under {}: run scripts/setup",
		sdk.display()
	);
	let node = Node::start("sdk-clients", &["--dev", "--tmp"]).await;
	let accounts = printed_accounts(&node.log_text());
	let url = format!("http://127.0.0.1:{}", node.rpc_port);
	let to = felt_hex(accounts[1].address);

	let output = tokio::task::spawn_blocking({
		let (url, to) = (url.clone(), to.clone());
		let (address, key) = (felt_hex(accounts[0].address), felt_hex(accounts[0].private_key));
		move || {
			let (class, compiled_class_hash) = sdk_class("oz_account_0.8.0.sierra");
			run_python_script(
				"starknet_py_flow.py",
				[url, address, key, to, class.display().to_string(), compiled_class_hash],
			)
		}
	})
	.await
	.unwrap();
	assert_flow_ok("starknet-py", output);

	let output = tokio::task::spawn_blocking({
		let (address, key) = (felt_hex(accounts[2].address), felt_hex(accounts[2].private_key));
		move || {
			let (class, compiled_class_hash) = sdk_class("argent_account_0.4.0.sierra");
			run_js_script(
				"starknet_js_flow.mjs",
				[url, address, key, to, class.display().to_string(), compiled_class_hash],
			)
		}
	})
	.await
	.unwrap();
	assert_flow_ok("starknet.js", output);
}

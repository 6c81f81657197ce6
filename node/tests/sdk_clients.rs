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

use std::{
	path::PathBuf,
	process::{Command, Output},
};

use common::*;

fn sdk_dir() -> PathBuf {
	std::env::var_os("CAIRN_SDK_DIR").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/cairn/sdk")
	})
}

fn repo_script(name: &str) -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/sdk").join(name)
}

/// A published class `scripts/setup` fetched for tests: its file and compiled class hash.
fn test_class(file: &str) -> (PathBuf, String) {
	let dir = std::env::var_os("CAIRN_TEST_CLASSES").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
			.join(".cache/cairn/test-classes")
	});
	let path = dir.join(file);
	let artifact = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup)", path.display()));
	let class = cairn_primitives::starknet::genesis::published_class(file, &artifact).unwrap();
	(path, format!("{:?}", class.compiled_class_hash))
}

fn check(client: &str, output: Output) {
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(
		output.status.success() && stdout.lines().any(|l| l == "ok"),
		"{client} failed ({}):\n{stdout}\n{stderr}",
		output.status
	);
}

#[tokio::test(flavor = "multi_thread")]
async fn starknet_py_and_starknet_js_run_their_account_flows() {
	let sdk = sdk_dir();
	let python = sdk.join("py/bin/python");
	let js = sdk.join("js");
	assert!(
		python.exists() && js.join("node_modules/starknet").exists(),
		"the Starknet SDKs are not installed under {}: run scripts/setup",
		sdk.display()
	);
	let node = Node::start("sdk-clients", &["--dev", "--tmp"]).await;
	let accounts = printed_accounts(&node.log_text());
	let url = format!("http://127.0.0.1:{}", node.rpc_port);
	let hex = |felt: cairn_primitives::starknet::Felt| format!("{felt:?}");
	let to = hex(accounts[1].address);

	let output = tokio::task::spawn_blocking({
		let (url, to) = (url.clone(), to.clone());
		let (address, key) = (hex(accounts[0].address), hex(accounts[0].private_key));
		move || {
			let (class, compiled_class_hash) = test_class("oz_account_0.8.0.sierra");
			Command::new(python)
				.arg(repo_script("starknet_py_flow.py"))
				.args([&url, &address, &key, &to])
				.arg(class)
				.arg(compiled_class_hash)
				.output()
				.expect("python runs")
		}
	})
	.await
	.unwrap();
	check("starknet-py", output);

	// starknet.js resolves `starknet` next to the script: run a copy from the SDK directory.
	let script = js.join("starknet_js_flow.mjs");
	std::fs::copy(repo_script("starknet_js_flow.mjs"), &script).unwrap();
	let output = tokio::task::spawn_blocking({
		let (address, key) = (hex(accounts[2].address), hex(accounts[2].private_key));
		move || {
			let (class, compiled_class_hash) = test_class("argent_account_0.4.0.sierra");
			Command::new("node")
				.arg(&script)
				.args([&url, &address, &key, &to])
				.arg(class)
				.arg(compiled_class_hash)
				.current_dir(&js)
				.output()
				.expect("node runs")
		}
	})
	.await
	.unwrap();
	check("starknet.js", output);
}

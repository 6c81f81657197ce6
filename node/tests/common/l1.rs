//! A real L1 for the bridging tests: Anvil (`scripts/l1 anvil`, the binary npm's
//! @foundry-rs/anvil-linux-amd64 carries) on a free loopback port with 1-second blocks, killed
//! when dropped; and `scripts/l1` for the core contract (deploy, messages to L2).
use super::node::{free_port, repo_path};
use serde_json::Value;
use std::{
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// Anvil's first dev accounts' keys (published, never real ones) and addresses.
pub const ANVIL_KEYS: [&str; 2] = [
	"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
	"0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
];
pub const ANVIL_ADDRESSES: [&str; 2] =
	["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"];

/// A running Anvil.
pub struct Anvil {
	child: Child,
	pub url: String,
}

impl Anvil {
	/// Starts Anvil with one block a second and waits until it answers.
	pub fn start() -> Anvil {
		let port = free_port();
		let child = Command::new(repo_path("scripts/l1"))
			.args(["anvil", "--port", &port.to_string(), "--block-time", "1", "--silent"])
			.stdin(Stdio::null())
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("scripts/l1 anvil starts (scripts/setup installs Anvil)");
		let url = format!("http://127.0.0.1:{port}");
		let deadline = Instant::now() + Duration::from_secs(30);
		while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
			assert!(Instant::now() < deadline, "Anvil did not listen on {port}");
			std::thread::sleep(Duration::from_millis(100));
		}
		Anvil { child, url }
	}
}

impl Drop for Anvil {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// Runs `scripts/l1 ARGS`, asserting success; its standard output.
pub fn scripts_l1(args: &[&str]) -> String {
	let output =
		Command::new(repo_path("scripts/l1")).args(args).output().expect("scripts/l1 runs");
	assert!(
		output.status.success(),
		"scripts/l1 {args:?}: {}\n{}",
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	);
	String::from_utf8(output.stdout).unwrap()
}

/// Deploys the core contract on `anvil`, settled up to the node at `node_url`'s latest block;
/// its address.
pub fn deploy_core(anvil: &Anvil, node_url: &str) -> String {
	scripts_l1(&["deploy", "--l1", &anvil.url, "--node", node_url]).trim().to_owned()
}

/// Sends a message to L2 through the core contract: `l1_transaction_hash`, `message_hash`,
/// `nonce`.
pub fn send_message(anvil: &Anvil, core: &str, to: &str, selector: &str, payload: &str) -> Value {
	let out = scripts_l1(&[
		"send",
		"--l1",
		&anvil.url,
		"--core",
		core,
		"--to",
		to,
		"--selector",
		selector,
		"--payload",
		payload,
	]);
	serde_json::from_str(out.trim()).unwrap()
}

/// Consumes a settled message from L2 contract `from` to `key`'s account (the outcome, which
/// fails when the contract refuses).
pub fn consume_message(
	anvil: &Anvil,
	core: &str,
	from: &str,
	payload: &str,
	key: &str,
) -> std::process::Output {
	Command::new(repo_path("scripts/l1"))
		.args(["consume", "--l1", &anvil.url, "--core", core, "--from", from])
		.args(["--payload", payload, "--key", key])
		.output()
		.expect("scripts/l1 runs")
}

/// The core contract's settled state, and the pending value of message `message_hash`.
pub fn core_state(anvil: &Anvil, core: &str, message_hash: &str) -> Value {
	let out =
		scripts_l1(&["state", "--l1", &anvil.url, "--core", core, "--message-hash", message_hash]);
	serde_json::from_str(out.trim()).unwrap()
}

/// The core contract's compiled ABI and bytecode (`scripts/l1 compile`).
pub fn core_artifact() -> std::path::PathBuf {
	scripts_l1(&["compile"]);
	super::sdk::cache_dir("CAIRN_L1_ARTIFACTS", "l1").join("CairnCore.json")
}

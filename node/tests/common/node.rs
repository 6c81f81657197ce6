//! Real `cairn` processes for the tests: nodes started on free loopback ports (the RPC port read
//! from the node's log), stopped cleanly (SIGTERM) or killed (a crash), their JSON-RPC; subcommands
//! run to completion ([`run_cairn`]); temporary directories ([`temp_dir`], `tempfile`); the
//! workspace's files ([`repo_path`]); and a Substrate balances transfer signed as a wallet signs it.
use std::{
	fs::File,
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, ExitStatus, Output, Stdio},
	time::{Duration, Instant},
};

use cairn_primitives::starknet::Felt;
use codec::Encode;
use jsonrpsee::{
	core::{
		client::ClientT,
		params::{ArrayParams, ObjectParams},
	},
	http_client::{HttpClient, HttpClientBuilder},
};
use serde_json::{json, Value};
pub use sp_core::bytes::{from_hex, to_hex};
pub use tempfile::TempDir;

/// The binary under test, built by cargo for the integration tests.
pub fn cairn_bin() -> &'static str {
	env!("CARGO_BIN_EXE_cairn")
}

/// A file or directory of the workspace, by its path from the workspace root (`scripts/bench`).
pub fn repo_path(relative: &str) -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
}

/// A port that nothing listened on a moment ago.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A fresh directory under the system's temporary directory (`cairn-test-NAME-…`), removed when
/// dropped.
pub fn temp_dir(name: &str) -> TempDir {
	tempfile::Builder::new()
		.prefix(&format!("cairn-test-{name}-"))
		.tempdir()
		.expect("a temporary directory")
}

/// Run `cairn` with these arguments to completion (for subcommands and failing starts). Output is
/// drained while the process runs, so a large output (a chain spec) cannot block it.
pub fn run_cairn(args: &[&str], timeout: Duration) -> (ExitStatus, String, String) {
	let child = Command::new(cairn_bin())
		.args(args)
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.expect("cairn starts");
	let pid = child.id();
	let (tx, rx) = std::sync::mpsc::channel();
	std::thread::spawn(move || {
		let _ = tx.send(child.wait_with_output());
	});
	match rx.recv_timeout(timeout) {
		Ok(output) => {
			let Output { status, stdout, stderr } = output.unwrap();
			(
				status,
				String::from_utf8_lossy(&stdout).into(),
				String::from_utf8_lossy(&stderr).into(),
			)
		}
		Err(_) => {
			let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
			panic!("`cairn {}` did not finish within {timeout:?}", args.join(" "));
		}
	}
}

/// A running `cairn` node. Killed when dropped; its log is printed if the test failed.
pub struct Node {
	pub name: String,
	child: Option<Child>,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub log: PathBuf,
	_log_dir: TempDir,
	pub client: HttpClient,
}

/// A JSON-RPC client of the node on loopback `port` (60 s per request).
pub fn http_client(port: u16) -> HttpClient {
	HttpClientBuilder::default()
		.request_timeout(Duration::from_secs(60))
		.build(format!("http://127.0.0.1:{port}"))
		.unwrap()
}

impl Node {
	/// Start `cairn` with `args` plus a free p2p port and an RPC port the OS picks (`--rpc-port
	/// 0`: no race with other tests for it), and wait until its RPC answers. Without Prometheus
	/// unless `args` give it a port.
	pub async fn start(name: &str, args: &[&str]) -> Node {
		let p2p_port = free_port();
		let log_dir = temp_dir(&format!("{name}-log"));
		let log = log_dir.path().join("node.log");
		let out = File::create(&log).unwrap();
		let err = out.try_clone().unwrap();
		let child = Command::new(cairn_bin())
			.args(args)
			.args(["--rpc-port", "0", "--port", &p2p_port.to_string()])
			.args(["--no-telemetry", "--no-mdns", "--rpc-cors", "all"])
			.args((!args.contains(&"--prometheus-port")).then_some("--no-prometheus"))
			.stdin(Stdio::null())
			.stdout(out)
			.stderr(err)
			.spawn()
			.expect("cairn starts");
		let mut node = Node {
			name: name.into(),
			child: Some(child),
			rpc_port: 0,
			p2p_port,
			log,
			_log_dir: log_dir,
			client: http_client(0),
		};
		node.wait_for_rpc(Duration::from_secs(180)).await;
		node
	}

	/// The IPv4 RPC port the node logs it serves on (`Running JSON-RPC server: addr=127.0.0.1:N`,
	/// or `0.0.0.0:N` with `--rpc-external`; the tests reach both on loopback).
	fn logged_rpc_port(&self) -> Option<u16> {
		let log = self.log_text();
		let rest = ["127.0.0.1", "0.0.0.0"].iter().find_map(|ip| {
			log.split(&format!("Running JSON-RPC server: addr={ip}:")).nth(1).map(str::to_owned)
		})?;
		rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
	}

	async fn wait_for_rpc(&mut self, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
				panic!(
					"{} exited with {status} before serving RPC:\n{}",
					self.name,
					self.log_text()
				);
			}
			if self.rpc_port == 0 {
				if let Some(port) = self.logged_rpc_port() {
					self.rpc_port = port;
					self.client = http_client(port);
				}
			}
			if self.rpc_port != 0 && self.try_rpc("system_health", ArrayParams::new()).await.is_ok()
			{
				return;
			}
			if Instant::now() > deadline {
				panic!("{} did not serve RPC within {timeout:?}:\n{}", self.name, self.log_text());
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}

	pub fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	pub async fn try_rpc(&self, method: &str, params: ArrayParams) -> Result<Value, String> {
		self.client.request::<Value, _>(method, params).await.map_err(|e| e.to_string())
	}

	/// A JSON-RPC call that must succeed.
	pub async fn rpc(&self, method: &str, params: ArrayParams) -> Value {
		match self.try_rpc(method, params).await {
			Ok(v) => v,
			Err(e) => panic!("{method} failed on {}: {e}\n{}", self.name, self.log_text()),
		}
	}

	/// The receipt of transaction `hash`, once it is in a block (60 s at most).
	pub async fn receipt(&self, hash: Felt) -> Value {
		let hash = json!(hash);
		self.wait_until("the receipt", Duration::from_secs(60), || async {
			self.try_rpc("starknet_getTransactionReceipt", params(vec![hash.clone()])).await.is_ok()
		})
		.await;
		self.rpc("starknet_getTransactionReceipt", params(vec![hash])).await
	}

	/// Best block number.
	pub async fn best_number(&self) -> u64 {
		let header = self.rpc("chain_getHeader", ArrayParams::new()).await;
		parse_hex_u64(&header["number"])
	}

	/// Finalized block (number, hash).
	pub async fn finalized(&self) -> (u64, String) {
		let hash = self.rpc("chain_getFinalizedHead", ArrayParams::new()).await;
		let mut params = ArrayParams::new();
		params.insert(hash.clone()).unwrap();
		let header = self.rpc("chain_getHeader", params).await;
		(parse_hex_u64(&header["number"]), hash.as_str().unwrap().to_string())
	}

	/// Wait until `check` holds, polling; panics with the node's log after `timeout`.
	pub async fn wait_until<F, Fut>(&self, what: &str, timeout: Duration, mut check: F)
	where
		F: FnMut() -> Fut,
		Fut: std::future::Future<Output = bool>,
	{
		let deadline = Instant::now() + timeout;
		while !check().await {
			if Instant::now() > deadline {
				panic!(
					"{}: {what} not reached within {timeout:?}:\n{}",
					self.name,
					self.log_text()
				);
			}
			tokio::time::sleep(Duration::from_millis(100)).await;
		}
	}

	/// Wait until the Starknet nonce of `address` at the latest block is `n` (its first `n`
	/// transactions are in blocks).
	pub async fn wait_for_nonce(&self, address: Felt, n: u64, timeout: Duration) {
		let expected = json!(format!("{n:#x}"));
		let address = json!(super::felt_hex(address));
		self.wait_until(&format!("nonce {n} of {address}"), timeout, || async {
			let nonce = self
				.try_rpc("starknet_getNonce", params(vec![json!("latest"), address.clone()]))
				.await;
			nonce.is_ok_and(|nonce| nonce == expected)
		})
		.await;
	}

	/// Wait until the best block number is at least `n`.
	pub async fn wait_for_best(&self, n: u64, timeout: Duration) {
		let node = self;
		self.wait_until(&format!("best block #{n}"), timeout, move || async move {
			node.best_number().await >= n
		})
		.await
	}

	/// Wait until the finalized block number is at least `n`.
	pub async fn wait_for_finalized(&self, n: u64, timeout: Duration) {
		let node = self;
		self.wait_until(&format!("finalized block #{n}"), timeout, move || async move {
			node.finalized().await.0 >= n
		})
		.await
	}

	/// Stop the node as an operator would (SIGTERM: the node shuts down cleanly and flushes its
	/// database); panics if it has not exited within 60 s.
	pub fn stop(&mut self) {
		if !self.terminate(Duration::from_secs(60)) {
			panic!("{} did not shut down within 60 s of SIGTERM", self.name);
		}
	}

	/// SIGTERM, then SIGKILL after `grace`; whether it exited within `grace`.
	fn terminate(&mut self, grace: Duration) -> bool {
		let Some(mut child) = self.child.take() else { return true };
		let sent = Command::new("kill")
			.args(["-TERM", &child.id().to_string()])
			.status()
			.map(|s| s.success())
			.unwrap_or(false);
		let deadline = Instant::now() + grace;
		while sent && child.try_wait().unwrap().is_none() && Instant::now() < deadline {
			std::thread::sleep(Duration::from_millis(50));
		}
		let exited = child.try_wait().unwrap().is_some();
		if !exited {
			let _ = child.kill();
			let _ = child.wait();
		}
		exited
	}

	/// Stop the node (SIGKILL: what a crash looks like to the database).
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Whether the process is still running.
	pub fn is_running(&mut self) -> bool {
		matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		// A clean shutdown lets `--tmp` nodes remove their temporary database.
		self.terminate(Duration::from_secs(10));
		if std::thread::panicking() {
			eprintln!("----- log of {} -----\n{}", self.name, self.log_text());
		}
	}
}

/// A `0x…` JSON string as a number (Substrate's block numbers).
pub fn parse_hex_u64(v: &Value) -> u64 {
	let s = v.as_str().unwrap_or_else(|| panic!("not a hex string: {v}"));
	u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

/// Positional JSON-RPC parameters.
pub fn params(values: Vec<Value>) -> ArrayParams {
	let mut p = ArrayParams::new();
	for v in values {
		p.insert(v).unwrap();
	}
	p
}

/// Named JSON-RPC parameters.
pub fn named(pairs: &[(&str, Value)]) -> ObjectParams {
	let mut object = ObjectParams::new();
	for (name, value) in pairs {
		object.insert(name, value).unwrap();
	}
	object
}

/// A balances transfer signed by `from`, built against the node's genesis hash and runtime
/// version, as any wallet would build it.
pub async fn signed_transfer(
	node: &Node,
	from: sp_keyring::Sr25519Keyring,
	to: sp_keyring::Sr25519Keyring,
	amount: u128,
	nonce: u32,
) -> String {
	let genesis = node.rpc("chain_getBlockHash", params(vec![0.into()])).await;
	let genesis = sp_core::H256::from_slice(&from_hex(genesis.as_str().unwrap()).unwrap());
	let version = node.rpc("state_getRuntimeVersion", ArrayParams::new()).await;
	let version = |field: &str| version[field].as_u64().unwrap() as u32;
	let call = cairn_runtime::RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: to.to_account_id().into(),
		value: amount,
	});
	let xt = cairn_runtime::signed_extrinsic(
		call,
		from,
		nonce,
		genesis,
		(version("specVersion"), version("transactionVersion")),
	);
	to_hex(&xt.encode(), false)
}

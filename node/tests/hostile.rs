//! Hostile input against real `cairn` nodes:
//! - `free_and_oversized_transactions_are_refused_over_rpc`: an invoke at price 0 (53), under
//!   the block's price (53), with a zero fee through zero amounts (53), with an L2 gas bound
//!   beyond one block (63, naming the capacity), with oversized calldata; each refused, nothing
//!   included, and the account's honest transaction at the same nonce goes through after;
//! - `rpc_work_is_bounded`: a simulation beyond `--rpc-max-simulated-transactions` answers the
//!   limit's error; `getEvents` over more blocks than `--rpc-max-events-blocks` answers a page
//!   and a continuation token where the scan stopped, and following the tokens finds every event;
//! - `privileged_methods_are_unsafe_rpc`: with `--rpc-external` (and with `--rpc-methods safe`)
//!   `engine_createBlock` and `engine_finalizeBlock` answer Substrate's "unsafe" error and make
//!   no block, while the Starknet methods serve;
//! - `live_chains_refuse_development_keys`: a Live spec built from `--chain local` is refused at
//!   start with the reasons, and starts with `--allow-development-keys`;
//! - `fuzzed_json_rpc_bodies_do_not_hurt_the_node`: `scripts/fuzz` (a short run here; the full
//!   run's figures are in the issue note) — every answer well-formed, the node alive after;
//! - `heavy_blocks_are_built_and_imported_within_their_interval`: on 500 ms sealing, endless
//!   loops (the project's own `work` contract) at the largest L2 gas bound admission allows each
//!   take a block of their own, built (the author's log) and re-imported (`cairn import-blocks`
//!   into a fresh database) in under 500 ms.
mod common;

use std::time::Duration;

use cairn_primitives::starknet::{ResourceBounds, ValidResourceBounds};
use common::*;
use jsonrpsee::core::client::{ClientT, Error as ClientError};
use serde_json::{json, Value};

/// The tests that measure time (block build and import times against the sealing interval) run
/// alone: on two cores, a flood test beside them measures the flood. The others share.
static TIMED: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// Query-signed transfers of 1 from `from` to `to` at `nonces` (for estimates and simulations).
fn transfer_queries(from: &Account, to: &Account, nonces: std::ops::Range<u128>) -> Vec<Value> {
	nonces
		.map(|nonce| query_invoke_json(transfer(from, nonce, to.address, 1), from.private_key))
		.collect()
}

/// Submit `tx` (an invoke's JSON) and wait up to `timeout` for its receipt; how long it took.
async fn included(node: &Node, what: &str, tx: Value, timeout: Duration) -> Duration {
	let sent = std::time::Instant::now();
	let hash = node.rpc("starknet_addInvokeTransaction", params(vec![tx])).await;
	let hash = hash["transaction_hash"].clone();
	node.wait_until(what, timeout, || async {
		node.try_rpc("starknet_getTransactionReceipt", params(vec![hash.clone()])).await.is_ok()
	})
	.await;
	sent.elapsed()
}

/// The error of a call that must fail.
async fn refused(node: &Node, method: &str, values: Vec<Value>) -> (i32, String, String) {
	match node.client.request::<Value, _>(method, params(values)).await {
		Ok(value) => panic!("{method} answered {value}"),
		Err(ClientError::Call(error)) => (
			error.code(),
			error.message().to_string(),
			error.data().map(|d| d.get().to_string()).unwrap_or_default(),
		),
		Err(other) => panic!("{method}: transport error {other}"),
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn free_and_oversized_transactions_are_refused_over_rpc() {
	let _shared = TIMED.read().await;
	let node = Node::start("hostile-free", &["--dev", "--tmp"]).await;
	let accounts = printed_accounts(&node.log_text());
	let (alice, bob) = (&accounts[0], &accounts[1]);
	let price = 1_000_000_000; // the development chain's price of every resource, in FRI
	let with = |l1: (u64, u128), l2: (u64, u128), l1_data: (u64, u128)| {
		let bound =
			|(max_amount, max_price_per_unit)| ResourceBounds { max_amount, max_price_per_unit };
		let bounds = ValidResourceBounds::AllResources {
			l1_gas: bound(l1),
			l2_gas: bound(l2),
			l1_data_gas: bound(l1_data),
		};
		invoke_json(&invoke(alice, 0, &[transfer_call(bob.address, 5)], bounds))
	};
	let cases = [
		("every price 0", with((0, 0), (100_000_000, 0), (10_000, 0)), 53),
		(
			"L2 gas a unit under the block's price",
			with((0, price), (100_000_000, price - 1), (10_000, price)),
			53,
		),
		("a fee of 0 through the amounts", with((0, price), (0, price), (0, price)), 53),
		(
			"an L2 gas bound beyond one block",
			with((0, price), (1_000_000_000, price), (10_000, price)),
			63,
		),
	];
	for (what, tx, code) in cases {
		let (got, message, data) = refused(&node, "starknet_addInvokeTransaction", vec![tx]).await;
		assert_eq!(got, code, "{what}: {message} {data}");
		if code == 63 {
			assert!(data.contains("exceeds what one block holds"), "{what}: {data}");
		}
	}
	let mut long = invoke_json(&transfer(alice, 0, bob.address, 5));
	long["calldata"] = json!(vec!["0x1"; 5_001]);
	let (code, _, data) = refused(&node, "starknet_addInvokeTransaction", vec![long]).await;
	assert_eq!(code, 63, "{data}");
	assert!(data.contains("calldata"), "{data}");

	// Nothing was included, and the account's nonce is free for an honest transfer.
	assert_eq!(node.rpc("starknet_blockNumber", params(vec![])).await, 0);
	let honest = transfer(alice, 0, bob.address, 5);
	let hash = node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&honest)])).await;
	node.wait_until("the honest transfer is included", Duration::from_secs(30), || async {
		let receipt = node
			.try_rpc(
				"starknet_getTransactionReceipt",
				params(vec![hash["transaction_hash"].clone()]),
			)
			.await;
		receipt.is_ok_and(|r| r["execution_status"] == "SUCCEEDED")
	})
	.await;
	let receipt = node
		.rpc("starknet_getTransactionReceipt", params(vec![hash["transaction_hash"].clone()]))
		.await;
	assert!(parse_hex_u128(&receipt["actual_fee"]["amount"]) > 0, "it paid: {receipt}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rpc_work_is_bounded() {
	let _shared = TIMED.read().await;
	let node = Node::start(
		"hostile-limits",
		&[
			"--dev",
			"--tmp",
			"--rpc-max-simulated-transactions",
			"3",
			"--rpc-max-events-blocks",
			"2",
		],
	)
	.await;
	let accounts = printed_accounts(&node.log_text());
	let (alice, bob) = (&accounts[0], &accounts[1]);

	// Four transactions in one simulation: over the limit of 3, refused before executing.
	let queries = transfer_queries(alice, bob, 0..4);
	let (code, message, data) = refused(
		&node,
		"starknet_simulateTransactions",
		vec![json!("latest"), json!(queries.clone()), json!([])],
	)
	.await;
	assert_eq!((code, message.as_str()), (-32005, "Limit exceeded"), "{data}");
	assert!(data.contains("--rpc-max-simulated-transactions"), "{data}");
	let (code, _, data) =
		refused(&node, "starknet_estimateFee", vec![json!(queries), json!([]), json!("latest")])
			.await;
	assert_eq!(code, -32005, "{data}");
	// Three are within it.
	let three = transfer_queries(alice, bob, 0..3);
	let simulated = node
		.rpc(
			"starknet_simulateTransactions",
			params(vec![json!("latest"), json!(three), json!([])]),
		)
		.await;
	assert_eq!(simulated.as_array().unwrap().len(), 3);

	// Five blocks with one transfer each (instant sealing), then events over all of them in
	// pages of at most two blocks' scan.
	for nonce in 0..5 {
		let tx = invoke_json(&transfer(alice, nonce, bob.address, 1));
		node.rpc("starknet_addInvokeTransaction", params(vec![tx])).await;
		node.wait_for_best(nonce as u64 + 1, Duration::from_secs(30)).await;
	}
	let mut token = Value::Null;
	let (mut pages, mut found) = (0, Vec::new());
	loop {
		let mut filter = json!({
			"from_block": {"block_number": 0},
			"to_block": "latest",
			"address": felt_hex(strk()),
			"chunk_size": 100,
		});
		if !token.is_null() {
			filter["continuation_token"] = token.clone();
		}
		let page = node.rpc("starknet_getEvents", params(vec![filter])).await;
		pages += 1;
		found.extend(page["events"].as_array().unwrap().iter().map(|e| e["block_number"].clone()));
		token = page["continuation_token"].clone();
		if token.is_null() {
			break;
		}
		assert!(pages < 10, "the pages end");
	}
	// Blocks 0..=5 scanned two at a time: three pages; every transfer's events are found (the
	// transfer and the fee transfer of blocks 1 to 5).
	assert_eq!(pages, 3, "{found:?}");
	assert_eq!(found.len(), 10, "{found:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn privileged_methods_are_unsafe_rpc() {
	let _shared = TIMED.read().await;
	for (name, flags) in [
		("hostile-external", &["--dev", "--tmp", "--rpc-external"][..]),
		("hostile-safe", &["--dev", "--tmp", "--sealing", "manual", "--rpc-methods", "safe"][..]),
	] {
		let node = Node::start(name, flags).await;
		let (code, message, _) =
			refused(&node, "engine_createBlock", vec![json!(true), json!(true), Value::Null]).await;
		assert_eq!(code, -32601, "{name}: {message}");
		assert!(message.contains("unsafe"), "{name}: {message}");
		let genesis = node.rpc("chain_getBlockHash", params(vec![json!(0)])).await;
		let (code, message, _) =
			refused(&node, "engine_finalizeBlock", vec![genesis, Value::Null]).await;
		assert!(code == -32601 && message.contains("unsafe"), "{name}: {code} {message}");
		// Substrate's own unsafe methods are refused the same way; the Starknet RPC serves.
		let (_, message, _) = refused(
			&node,
			"author_insertKey",
			vec![json!("aura"), json!("//Mallory"), json!(format!("0x{}", "00".repeat(32)))],
		)
		.await;
		assert!(message.contains("unsafe"), "{name}: {message}");
		assert_eq!(node.rpc("starknet_blockNumber", params(vec![])).await, 0, "{name}");
	}
	// On the local interface with the default policy, the engine is there for the developer.
	let node = Node::start("hostile-local", &["--dev", "--tmp", "--sealing", "manual"]).await;
	let created =
		node.rpc("engine_createBlock", params(vec![json!(true), json!(true), Value::Null])).await;
	assert!(created["hash"].is_string(), "{created}");
	assert_eq!(node.best_number().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn live_chains_refuse_development_keys() {
	let _shared = TIMED.read().await;
	let (status, spec, stderr) =
		run_cairn(&["build-spec", "--chain", "local"], Duration::from_secs(120));
	assert!(status.success(), "{stderr}");
	let mut spec: Value = serde_json::from_str(&spec).unwrap();
	spec["chainType"] = json!("Live");
	spec["id"] = json!("cairn_live_test");
	let dir = temp_dir("live-spec");
	let file = dir.path().join("live.json");
	std::fs::write(&file, spec.to_string()).unwrap();
	let file = file.to_str().unwrap();

	let port = free_port().to_string();
	let (status, _, stderr) = run_cairn(
		&["--chain", file, "--tmp", "--port", &port, "--rpc-port", "0", "--no-mdns"],
		Duration::from_secs(120),
	);
	assert!(!status.success(), "a live chain on development keys started");
	assert!(stderr.contains("refusing to run a live chain on development secrets"), "{stderr}");
	for reason in [
		"Aura authority",
		"GRANDPA authority",
		"sudo key",
		"Starknet chain id is the development one, CAIRN_DEV",
		"private key is published",
		"--allow-development-keys",
	] {
		assert!(stderr.contains(reason), "missing `{reason}` in: {stderr}");
	}

	// The operator who means it.
	let node =
		Node::start("live-dev-keys", &["--chain", file, "--tmp", "--allow-development-keys"]).await;
	assert!(node.log_text().contains("runs on development secrets"), "{}", node.log_text());
	assert_eq!(node.rpc("starknet_blockNumber", params(vec![])).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn fuzzed_json_rpc_bodies_do_not_hurt_the_node() {
	let _shared = TIMED.read().await;
	let output = std::process::Command::new("python3")
		.arg(repo_path("scripts/fuzz"))
		.args(["--spawn", cairn_bin(), "--count", "3000", "--seed", "13", "--lenient-ids"])
		.output()
		.expect("python3 runs scripts/fuzz");
	let stdout = String::from_utf8_lossy(&output.stdout);
	println!("{stdout}");
	assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
	let summary = stdout.lines().rfind(|l| l.starts_with("fuzz:")).expect("a summary line");
	assert!(summary.contains("0 malformed") && summary.contains("node alive: yes"), "{summary}");
}

/// `CAIRN_FLOOD_SECS` (default 15) and `CAIRN_FLOOD_CLIENTS` (default 8): the CI run is short; the
/// issue note has the figures of a 60 s run.
fn flood_setting(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread")]
async fn rpc_floods_do_not_stall_blocks() {
	let _shared = TIMED.read().await;
	let node = Node::start("hostile-flood", &["--dev", "--tmp", "--sealing", "500"]).await;
	let accounts = printed_accounts(&node.log_text());
	let (alice, bob) = (&accounts[0], &accounts[1]);
	// Material for the flood: a block with ten transfers to trace, events to scan.
	for nonce in 0..10 {
		let tx = invoke_json(&transfer(alice, nonce, bob.address, 1));
		node.rpc("starknet_addInvokeTransaction", params(vec![tx])).await;
	}
	node.wait_for_nonce(alice.address, 10, Duration::from_secs(30)).await;
	let traced_block = node.best_number().await;
	let queries = transfer_queries(alice, bob, 10..13);

	let (secs, clients) =
		(flood_setting("CAIRN_FLOOD_SECS", 15), flood_setting("CAIRN_FLOOD_CLIENTS", 8));
	let started = std::time::Instant::now();
	let deadline = started + Duration::from_secs(secs);
	let first = node.best_number().await;
	let mut workers = Vec::new();
	for worker in 0..clients {
		let client = http_client(node.rpc_port);
		let queries = queries.clone();
		workers.push(tokio::spawn(async move {
			let (mut answered, mut limited) = (0u64, 0u64);
			let mut round = worker;
			while std::time::Instant::now() < deadline {
				let (method, values) = match round % 4 {
					0 => (
						"starknet_simulateTransactions",
						vec![json!("latest"), json!(queries), json!([])],
					),
					1 => (
						"starknet_traceBlockTransactions",
						vec![json!({ "block_number": traced_block })],
					),
					2 => (
						"starknet_getEvents",
						vec![
							json!({ "from_block": {"block_number": 0}, "to_block": "latest", "chunk_size": 1000 }),
						],
					),
					_ => ("starknet_estimateFee", vec![json!(queries), json!([]), json!("latest")]),
				};
				round += 1;
				match client.request::<Value, _>(method, params(values)).await {
					Ok(_) => answered += 1,
					Err(ClientError::Call(e)) if e.code() == -32005 => limited += 1,
					Err(e) => panic!("{method}: {e}"),
				}
			}
			(answered, limited)
		}));
	}
	// Meanwhile a transfer is sent halfway (by another account: the flood simulates alice's
	// next nonces): it is included within 2 s.
	tokio::time::sleep(Duration::from_secs(secs / 2)).await;
	let tx = invoke_json(&transfer(&accounts[2], 0, bob.address, 1));
	let what = "the transfer sent during the flood is included";
	let inclusion = included(&node, what, tx, Duration::from_secs(10)).await;
	let (mut answered, mut limited) = (0, 0);
	for worker in workers {
		let (a, l) = worker.await.unwrap();
		answered += a;
		limited += l;
	}
	let elapsed = started.elapsed().as_secs_f64();
	let blocks = node.best_number().await - first;
	let rate = blocks as f64 / elapsed;
	println!(
		"flood: {clients} clients for {elapsed:.1} s, {answered} answered, {limited} refused by the \
		 concurrency limit; {blocks} blocks ({rate:.2}/s, target 2/s); transfer included in {inclusion:?}"
	);
	assert!(answered > clients, "the flood was served: {answered}");
	assert!(rate >= 0.8 * 2.0, "blocks slowed to {rate:.2}/s under the flood");
	assert!(inclusion < Duration::from_secs(2), "inclusion took {inclusion:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn declares_in_flight_do_not_stall_blocks_or_transfers() {
	let _shared = TIMED.read().await;
	use cairn_primitives::starknet::Felt;
	// `CAIRN_DECLARES` large declares (10 in CI, 50 by hand) from as many accounts at once, each a class
	// of its own: the Argent account (1.7 MB, 30,239 Sierra felts) with its ABI made unique, so
	// each hashes differently and is compiled (the compiled class hash stays the same).
	let count = flood_setting("CAIRN_DECLARES", 10) as usize;
	let accounts_flag = (count + 2).to_string();
	let node = Node::start(
		"hostile-declares",
		&["--dev", "--tmp", "--sealing", "500", "--accounts", &accounts_flag],
	)
	.await;
	let accounts = printed_accounts(&node.log_text());
	let base = test_class("argent_account_0.4.0.sierra");
	let mut base_json: Value = serde_json::from_str(&base.sierra).unwrap();
	let abi = base_json["abi"].as_str().unwrap().to_string();
	let declares: Vec<Value> = accounts[2..2 + count]
		.iter()
		.enumerate()
		.map(|(i, account)| {
			base_json["abi"] = json!(format!("{abi}{}", " ".repeat(i + 1)));
			let sierra = base_json.to_string();
			let class: starknet_api::state::SierraContractClass =
				serde_json::from_str(&sierra).unwrap();
			let (tx, _) =
				declare(account, 0, Felt(class.calculate_class_hash().0), base.compiled_class_hash);
			broadcasted_json(&tx, Some(&sierra))
		})
		.collect();

	let first = node.best_number().await;
	let started = std::time::Instant::now();
	let senders: Vec<_> = declares
		.into_iter()
		.map(|declare| {
			// Declares are admitted one at a time: the last may wait minutes for its turn.
			let client = jsonrpsee::http_client::HttpClientBuilder::default()
				.request_timeout(Duration::from_secs(600))
				.max_request_size(64 << 20)
				.build(format!("http://127.0.0.1:{}", node.rpc_port))
				.unwrap();
			tokio::spawn(async move {
				client
					.request::<Value, _>("starknet_addDeclareTransaction", params(vec![declare]))
					.await
					.map(|answer| answer["transaction_hash"].clone())
			})
		})
		.collect();
	// A transfer sent while they are in flight is included within 2 s.
	tokio::time::sleep(Duration::from_secs(1)).await;
	let (alice, bob) = (&accounts[0], &accounts[1]);
	let tx = invoke_json(&transfer(alice, 0, bob.address, 1));
	let what = "the transfer sent among the declares is included";
	let inclusion = included(&node, what, tx, Duration::from_secs(20)).await;
	let mut hashes = Vec::new();
	for sender in senders {
		hashes.push(sender.await.unwrap().unwrap_or_else(|e| panic!("a declare was refused: {e}")));
	}
	for hash in &hashes {
		node.wait_until("every declare is included", Duration::from_secs(120), || async {
			node.try_rpc("starknet_getTransactionReceipt", params(vec![hash.clone()])).await.is_ok()
		})
		.await;
	}
	let elapsed = started.elapsed().as_secs_f64();
	let blocks = node.best_number().await - first;
	let rate = blocks as f64 / elapsed;
	println!(
		"declares: {count} in flight, all included after {elapsed:.1} s; {blocks} blocks \
		 ({rate:.2}/s, target 2/s); a transfer sent meanwhile included in {inclusion:?}"
	);
	assert!(rate >= 0.8 * 2.0, "blocks slowed to {rate:.2}/s under {count} declares");
	assert!(inclusion < Duration::from_secs(2), "inclusion took {inclusion:?}");
}

/// The build times (ms) the author logs for blocks `numbers` (`Prepared block for proposing at N
/// (X ms)`), once the log holds them all (it may lag the RPC a little).
async fn build_times(node: &Node, numbers: &[u64]) -> Vec<u64> {
	let logged = |log: &str, n: u64| -> Option<u64> {
		let rest = log.split(&format!("Prepared block for proposing at {n} (")).nth(1)?;
		rest.split(' ').next()?.parse().ok()
	};
	node.wait_until("the build log of every heavy block", Duration::from_secs(10), || async {
		let log = node.log_text();
		numbers.iter().all(|n| logged(&log, *n).is_some())
	})
	.await;
	let log = node.log_text();
	numbers.iter().map(|n| logged(&log, *n).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn heavy_blocks_are_built_and_imported_within_their_interval() {
	let _alone = TIMED.write().await;
	use cairn_primitives::starknet::Felt;
	// On 500 ms blocks the node sizes the capacity for 250 ms of execution: 10⁸ L2 gas.
	const CAPACITY: u64 = 100_000_000;
	let base = temp_dir("hostile-heavy-db");
	let base_path = base.path().to_str().unwrap();
	let mut node =
		Node::start("hostile-heavy", &["--dev", "--base-path", base_path, "--sealing", "500"])
			.await;
	let accounts = printed_accounts(&node.log_text());
	let alice = &accounts[0];
	// The capacity call is in the first block; from then on a bound beyond it is refused.
	node.wait_for_best(2, Duration::from_secs(30)).await;
	let greedy = invoke(
		alice,
		0,
		&[transfer_call(accounts[1].address, 1)],
		bounds_with_l2_gas(CAPACITY + 1),
	);
	let (code, _, data) =
		refused(&node, "starknet_addInvokeTransaction", vec![invoke_json(&greedy)]).await;
	assert_eq!(code, 63, "{data}");
	assert!(data.contains(&format!("({CAPACITY})")), "{data}");

	// The loop contract, declared and deployed through the UDC.
	let class = test_contract("work");
	declare_class(&node, alice, 0, &class).await;
	let (_, contract) = deploy_through_udc(
		&node,
		alice,
		1,
		class.class_hash,
		Felt::from(1u128),
		&[],
		bounds_with_l2_gas(CAPACITY),
	)
	.await;

	// Five accounts each invoke an endless loop with the largest bound admission allows, all at
	// once: each runs out of gas (reverted, charged) and takes a block of its own.
	let heavy: Vec<_> = accounts[2..7]
		.iter()
		.map(|account| {
			invoke(
				account,
				0,
				&[Call {
					to: contract,
					entry_point: "spin",
					calldata: vec![Felt::from(u128::MAX)],
				}],
				bounds_with_l2_gas(CAPACITY),
			)
		})
		.collect();
	for tx in &heavy {
		node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(tx)])).await;
	}
	let mut blocks = Vec::new();
	for tx in &heavy {
		let receipt = node.receipt(tx_hash(tx)).await;
		assert_eq!(receipt["execution_status"], "REVERTED", "{receipt}");
		let l2_gas = receipt["execution_resources"]["l2_gas"].as_u64().unwrap();
		assert!(l2_gas > CAPACITY / 2, "the loop used its bound: {l2_gas} L2 gas");
		blocks.push(receipt["block_number"].as_u64().unwrap());
	}
	let mut distinct = blocks.clone();
	distinct.dedup();
	assert_eq!(distinct.len(), heavy.len(), "one heavy transaction per block: {blocks:?}");
	let built = build_times(&node, &blocks).await;
	node.stop();

	// Importing: the chain exported and re-imported into fresh databases (`import-blocks`
	// re-executes every block; `check-block` would not: a block already in the chain with its
	// state is skipped as known). Once up to the last block before the heavy ones, once up to
	// the last heavy one: the difference is what the heavy blocks took to import.
	let (first, last) = (blocks[0], *blocks.last().unwrap());
	let import_ms = |to: u64| {
		let file = base.path().join(format!("to-{to}.bin"));
		let file = file.to_str().unwrap();
		let to = to.to_string();
		let args =
			["export-blocks", "--dev", "--base-path", base_path, "--to", &to, "--binary", file];
		let (status, _, stderr) = run_cairn(&args, Duration::from_secs(120));
		assert!(status.success(), "export-blocks: {stderr}");
		let fresh = temp_dir("hostile-heavy-import");
		let args = [
			"import-blocks",
			"--dev",
			"--base-path",
			fresh.path().to_str().unwrap(),
			"--binary",
			file,
		];
		let started = std::time::Instant::now();
		let (status, _, stderr) = run_cairn(&args, Duration::from_secs(300));
		assert!(status.success(), "import-blocks: {stderr}");
		started.elapsed().as_millis() as u64
	};
	// Each import is a whole process (start, wasm, the index): the least of two runs each, so
	// that the other tests of this binary running beside it (seen: 566 ms a block instead of
	// 184 alone) do not decide the difference.
	let before = import_ms(first - 1).min(import_ms(first - 1));
	let all = import_ms(last).min(import_ms(last));
	let imported = all.saturating_sub(before) / (last - first + 1);
	println!(
		"heavy blocks (one loop at the {CAPACITY} L2 gas bound each) {blocks:?} on 500 ms \
		 sealing: built in {built:?} ms; imported in {imported} ms each (import-blocks of #1..#{last} \
		 {all} ms, of #1..#{} {before} ms): {} ps per L2 gas at import, {} at the fastest build \
		 (the weights count {})",
		first - 1,
		imported * 1_000_000_000 / CAPACITY,
		built.iter().min().unwrap() * 1_000_000_000 / CAPACITY,
		pallet_starknet::weights::REF_TIME_PER_L2_GAS,
	);
	assert!(built.iter().all(|ms| *ms < 500), "a heavy block built in more than 500 ms: {built:?}");
	assert!(imported < 500, "heavy blocks imported in {imported} ms each");
}

//! Sequencer mode: a network made by `cairn new-chain` with generated keys (a Live chain, which
//! the node refuses on development keys), one sequencer authoring signed Aura blocks every
//! 500 ms and finalizing them with GRANDPA, and a full node that syncs from it over
//! loopback p2p, verifies and re-executes each block and serves the Starknet RPC. Transfers
//! submitted to the full node reach the sequencer through Substrate's transaction gossip and are
//! included; the block time holds within 10 % under that load and under the SDKs' flows
//! (starknet-py through the full node, starknet.js through the sequencer); both nodes serve the same blocks,
//! receipts and state updates; the full node killed mid-load and restarted catches up. A third
//! node joins after more blocks than its state pruning keeps (in CI 100 blocks and
//! `--state-pruning 64`; by hand `CAIRN_SEQ_LATE_JOIN=300` with the default 256) and serves every
//! block, receipt, state update, events page, class and storage value as the others do. A fourth
//! node warp-syncs: it serves the chain from its warp point on and answers BLOCK_NOT_FOUND /
//! TXN_HASH_NOT_FOUND before it.
mod common;

use std::time::Duration;

use cairn_executor::signing::Sign;
use cairn_primitives::starknet::{Felt, Transaction};
use common::*;
use jsonrpsee::core::params::ArrayParams;
use serde_json::{json, Value};

/// The block time under test; `CAIRN_SEQ_BLOCK_TIME_MS` measures another by hand (figures in the
/// README's "Sequencer mode").
fn block_time_ms() -> u64 {
	std::env::var("CAIRN_SEQ_BLOCK_TIME_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(500)
}
/// The shortest block time whose capacity holds a declare: its validation may execute
/// `VALIDATE_MAX_L2_GAS` (10⁸ L2 gas, 250 ms at the reference rate), and a block's execution
/// share is half its time. Below it the SDK flows' declares are refused (`ExceedsBlockLimits`),
/// so a run at a shorter block time measures the transfers only.
const SHORTEST_BLOCK_TIME_FOR_DECLARES_MS: u64 = 500;
const CHAIN_ID: &str = "SN_CAIRN_SEQ_TEST";
const SEQUENCER_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000011";
const T: Duration = Duration::from_secs(120);

fn cairn_json(args: &[&str]) -> Value {
	let (status, out, err) = run_cairn(args, T);
	assert!(status.success(), "cairn {args:?}: {err}");
	serde_json::from_str(&out).unwrap_or_else(|e| panic!("cairn {args:?}: {e}: {out}"))
}

/// A transfer from `from` signed for this chain, with its hash.
fn transfer_here(from: &Account, nonce: u128, to: Felt, amount: u128) -> (Value, Felt) {
	let mut tx = Transaction::Invoke(transfer(from, nonce, to, amount));
	let hash = tx.sign(CHAIN_ID, from.private_key).expect("the transfer signs");
	let Transaction::Invoke(tx) = tx else { unreachable!() };
	(invoke_json(&tx), hash)
}

async fn block(node: &Node, number: u64, method: &str) -> Value {
	node.rpc(method, params(vec![json!({ "block_number": number })])).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sequencer_and_a_full_node_serve_the_same_chain() {
	// The operator's keys: Aura (sr25519) and GRANDPA (ed25519) of the sequencer from one phrase,
	// a sudo account, a Stark key for the funded Starknet account.
	let aura = cairn_json(&["key", "generate", "--scheme", "sr25519", "--output-type", "json"]);
	let phrase = aura["secretPhrase"].as_str().unwrap().to_string();
	let grandpa =
		cairn_json(&["key", "inspect", "--scheme", "ed25519", "--output-type", "json", &phrase]);
	let sudo = cairn_json(&["key", "generate", "--scheme", "sr25519", "--output-type", "json"]);
	// Three Starknet accounts: one for the transfers, one for each SDK's flows.
	let private_keys = [0x5e5e_1234_5678_9abc_def1_u128, 0x5e5e_2, 0x5e5e_3].map(Felt::from);
	let public_keys = private_keys.map(|key| felt_hex(public_key(key)));

	let dir = temp_dir("sequencer-spec");
	let spec_file = dir.path().join("spec.json");
	let spec_path = spec_file.to_str().unwrap();
	let authority = format!(
		"{},{}",
		aura["ss58PublicKey"].as_str().unwrap(),
		grandpa["ss58PublicKey"].as_str().unwrap()
	);
	let block_time_ms = block_time_ms();
	let block_time = block_time_ms.to_string();
	let new_chain = [
		"new-chain",
		"--name",
		"Cairn sequencer test",
		"--id",
		"cairn_seq_test",
		"--starknet-chain-id",
		CHAIN_ID,
		"--block-time",
		&block_time,
		"--authority",
		&authority,
		"--sudo",
		sudo["ss58Address"].as_str().unwrap(),
		"--account",
		&public_keys[0],
		"--account",
		&public_keys[1],
		"--account",
		&public_keys[2],
		"--output",
		spec_path,
	];
	let (status, _, err) = run_cairn(&new_chain, T);
	assert!(status.success(), "new-chain: {err}");
	let spec: Value = serde_json::from_str(&std::fs::read_to_string(&spec_file).unwrap()).unwrap();
	assert_eq!(spec["chainType"], "Live");
	let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
	assert_eq!(patch["blockAuthoring"]["slotDuration"], block_time_ms);
	let contracts = patch["starknet"]["state"]["contracts"].as_array().unwrap();
	// The accounts are the last contracts, in the order of the `--account`s.
	let [account, py_account, js_account] = std::array::from_fn(|i| Account {
		address: Felt::from_hex(contracts[contracts.len() - 3 + i]["address"].as_str().unwrap())
			.unwrap(),
		private_key: private_keys[i],
	});

	// Refused: the development chain id, a block time below the minimum, a malformed key.
	for (flag, value, complaint) in [
		("--starknet-chain-id", "CAIRN_DEV", "development chain id"),
		("--block-time", "50", "below the minimum"),
		("--authority", "0x1234,0x5678", "not a 32-byte public key"),
	] {
		let mut args = new_chain.to_vec();
		let at = args.iter().position(|a| *a == flag).unwrap();
		args[at + 1] = value;
		let (status, _, err) = run_cairn(&args, T);
		assert!(!status.success() && err.contains(complaint), "{flag} {value}: {err}");
	}

	// A hand-edited spec with a block time of 0 is refused when loaded, saying why.
	let mut edited = spec.clone();
	edited["genesis"]["runtimeGenesis"]["patch"]["blockAuthoring"]["slotDuration"] = json!(0);
	let edited_file = dir.path().join("zero-block-time.json");
	std::fs::write(&edited_file, edited.to_string()).unwrap();
	let (status, _, err) = run_cairn(&["build-spec", "--chain", edited_file.to_str().unwrap()], T);
	assert!(!status.success() && err.contains("blockAuthoring.slotDuration is 0"), "{err}");

	// The sequencer's keystore holds its two keys.
	let seq_dir = temp_dir("sequencer");
	let seq_base = seq_dir.path().to_str().unwrap().to_string();
	for (scheme, key_type) in [("sr25519", "aura"), ("ed25519", "gran")] {
		let (status, _, err) = run_cairn(
			&[
				"key",
				"insert",
				"--base-path",
				&seq_base,
				"--chain",
				spec_path,
				"--scheme",
				scheme,
				"--suri",
				&phrase,
				"--key-type",
				key_type,
			],
			T,
		);
		assert!(status.success(), "key insert: {err}");
	}
	let sequencer = Node::start(
		"sequencer",
		&[
			"--chain",
			spec_path,
			"--base-path",
			&seq_base,
			"--validator",
			"--force-authoring",
			"--node-key",
			SEQUENCER_NODE_KEY,
		],
	)
	.await;
	let peer_id = sequencer.rpc("system_localPeerId", ArrayParams::new()).await;
	let bootnode =
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", sequencer.p2p_port, peer_id.as_str().unwrap());
	let full_dir = temp_dir("full-node");
	let full_base = full_dir.path().to_str().unwrap().to_string();
	let full_args = ["--chain", spec_path, "--base-path", &full_base, "--bootnodes", &bootnode];
	let mut full = Node::start("full-node", &full_args).await;
	full.wait_for_best(3, T).await;
	full.wait_for_finalized(2, T).await;

	// Block times: Starknet timestamps are seconds, Substrate's are milliseconds.
	let now = |n: u64| {
		let sequencer = &sequencer;
		async move {
			let hash = sequencer.rpc("chain_getBlockHash", params(vec![n.into()])).await;
			let key = to_hex(
				&[sp_core::twox_128(b"Timestamp"), sp_core::twox_128(b"Now")].concat(),
				false,
			);
			let raw = sequencer.rpc("state_getStorage", params(vec![json!(key), hash])).await;
			let bytes = from_hex(raw.as_str().unwrap()).unwrap();
			u64::from_le_bytes(bytes[..8].try_into().unwrap())
		}
	};
	// Load through the full node: transfers gossiped to the sequencer.
	let to = Felt::from(0xb0bu128);
	let first_block = sequencer.best_number().await;
	let mut hashes = Vec::new();
	for nonce in 0..20u128 {
		let (tx, hash) = transfer_here(&account, nonce, to, 1);
		let answer = full.rpc("starknet_addInvokeTransaction", params(vec![tx])).await;
		assert_eq!(answer["transaction_hash"], json!(felt_hex(hash)));
		hashes.push(hash);
		if nonce == 9 {
			// The full node dies mid-load and comes back on its database.
			full.kill();
			full = Node::start("full-node-restarted", &full_args).await;
			sequencer.wait_for_nonce(account.address, 10, T).await;
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	sequencer.wait_for_nonce(account.address, 20, T).await;
	let last_block = sequencer.best_number().await;
	full.wait_for_best(last_block, T).await;
	full.wait_for_finalized(last_block, T).await;

	let mean_block_time = |first: u64, last: u64, load: &'static str| {
		let now = &now;
		async move {
			let (from_ms, to_ms) = (now(first).await, now(last).await);
			let blocks = last - first;
			assert!(blocks >= 10, "only {blocks} blocks under {load}");
			let mean = (to_ms - from_ms) as f64 / blocks as f64;
			println!(
				"block time under {load}: {mean:.0} ms over {blocks} blocks (target {block_time_ms})"
			);
			assert!(
				(mean - block_time_ms as f64).abs() <= block_time_ms as f64 * 0.1,
				"mean block time under {load} {mean:.0} ms, target {block_time_ms} ms"
			);
		}
	};
	mean_block_time(first_block, last_block, "the transfers").await;

	// The SDKs' flows (transfers with estimated fees, a deployed account, a declared and deployed
	// class, simulations and traces) at once, starknet-py through the full node and starknet.js
	// through the sequencer: they succeed and the block time holds.
	let sdk_first_block = sequencer.best_number().await;
	let flows = (block_time_ms >= SHORTEST_BLOCK_TIME_FOR_DECLARES_MS).then(|| {
		[
			(&full, py_account, 0xc0ffee_u128, "starknet_py_flow.py", "oz_account_0.8.0.sierra"),
			(
				&sequencer,
				js_account,
				0xc0ffef,
				"starknet_js_flow.mjs",
				"argent_account_0.4.0.sierra",
			),
		]
		.map(|(node, account, recipient, script, class)| {
			let url = format!("http://127.0.0.1:{}", node.rpc_port);
			tokio::task::spawn_blocking(move || {
				let (class, compiled_class_hash) = sdk_class(class);
				let args = [
					url,
					felt_hex(account.address),
					felt_hex(account.private_key),
					felt_hex(Felt::from(recipient)),
					class.display().to_string(),
					compiled_class_hash,
				];
				let output = if script.ends_with(".py") {
					run_python_script(script, args)
				} else {
					run_js_script(script, args)
				};
				assert_flow_ok(script, output);
			})
		})
	});
	if let Some(flows) = flows {
		for flow in flows {
			flow.await.unwrap();
		}
		let sdk_last_block = sequencer.best_number().await;
		mean_block_time(sdk_first_block, sdk_last_block, "the SDK flows").await;
	} else {
		println!("block time {block_time_ms} ms: too short for declares, SDK flows not run");
	}

	// A full node joining after the chain has more blocks than its state pruning keeps syncs
	// them all, re-executes them, and serves them as the others do. In CI it joins after 100
	// blocks and keeps the state of 64 (`--state-pruning 64`); by hand, `CAIRN_SEQ_LATE_JOIN=300`
	// joins after 300 blocks with the default pruning (256).
	let by_hand = std::env::var("CAIRN_SEQ_LATE_JOIN").ok().and_then(|v| v.parse::<u64>().ok());
	let late_join = by_hand.unwrap_or(100);
	sequencer
		.wait_for_best(late_join, Duration::from_secs(late_join * block_time_ms / 250 + 60))
		.await;
	let late_dir = temp_dir("late-node");
	let late_base = late_dir.path().to_str().unwrap().to_string();
	let started = std::time::Instant::now();
	let mut late_args = vec!["--chain", spec_path, "--base-path", &late_base];
	late_args.extend(["--bootnodes", &bootnode]);
	if by_hand.is_none() {
		late_args.extend(["--state-pruning", "64"]);
	}
	let late = Node::start("late-node", &late_args).await;
	let target = sequencer.best_number().await;
	late.wait_for_best(target, Duration::from_secs(300)).await;
	println!("late node synced {target} blocks in {:.1} s", started.elapsed().as_secs_f64());
	full.wait_for_best(target, T).await;

	// All three serve the same chain: every block with its receipts, every state update, the
	// events of every block, the receipts, classes, storage and balances.
	let nodes = [&sequencer, &full, &late];
	for number in 0..=target {
		for method in ["starknet_getBlockWithReceipts", "starknet_getStateUpdate"] {
			let reference = block(&sequencer, number, method).await;
			for node in &nodes[1..] {
				assert_eq!(
					block(node, number, method).await,
					reference,
					"{method} of block {number} on {}",
					node.name
				);
			}
		}
	}
	let events = json!({
		"from_block": { "block_number": 0 },
		"to_block": { "block_number": target },
		"chunk_size": 1000,
	});
	let reference = sequencer.rpc("starknet_getEvents", params(vec![events.clone()])).await;
	assert!(reference["events"].as_array().unwrap().len() >= 20, "{reference}");
	let at_target = json!({ "block_number": target });
	let balance_slot =
		felt_hex(cairn_executor::dev_genesis::storage_var_address("ERC20_balances", &[to]));
	for node in &nodes[1..] {
		assert_eq!(
			node.rpc("starknet_getEvents", params(vec![events.clone()])).await,
			reference,
			"{}",
			node.name
		);
		for hash in &hashes {
			assert_eq!(node.receipt(*hash).await, sequencer.receipt(*hash).await, "{}", node.name);
		}
		let class_at = params(vec![at_target.clone(), json!(felt_hex(account.address))]);
		assert_eq!(
			node.rpc("starknet_getClassAt", class_at.clone()).await,
			sequencer.rpc("starknet_getClassAt", class_at).await,
			"{}",
			node.name
		);
		let slot = params(vec![json!(felt_hex(strk())), json!(balance_slot), at_target.clone()]);
		assert_eq!(node.rpc("starknet_getStorageAt", slot.clone()).await, "0x14", "{}", node.name);
	}
	for hash in &hashes {
		assert_eq!(sequencer.receipt(*hash).await["execution_status"], "SUCCEEDED");
	}
	let call = json!({
		"contract_address": felt_hex(strk()),
		"entry_point_selector": felt_hex(selector("balance_of")),
		"calldata": [felt_hex(to)],
	});
	for node in nodes {
		let balance = node.rpc("starknet_call", params(vec![call.clone(), json!("latest")])).await;
		assert_eq!(balance, json!(["0x14", "0x0"]), "{}", node.name);
	}

	// A node warp-syncing (`--sync warp`) takes the state at a finalized block without executing
	// the blocks before it: it serves the chain from that block on, and answers the spec's
	// BLOCK_NOT_FOUND and TXN_HASH_NOT_FOUND before it.
	let warp_dir = temp_dir("warp-node");
	let warp_base = warp_dir.path().to_str().unwrap().to_string();
	let warp_args = [
		"--chain",
		spec_path,
		"--base-path",
		&warp_base,
		"--bootnodes",
		&bootnode,
		"--sync",
		"warp",
	];
	let warp = Node::start("warp-node", &warp_args).await;
	let head = sequencer.best_number().await;
	warp.wait_for_best(head, Duration::from_secs(300)).await;
	let served = |number: u64| {
		let warp = &warp;
		async move {
			let id = params(vec![json!({ "block_number": number })]);
			warp.try_rpc("starknet_getBlockWithReceipts", id).await
		}
	};
	let mut warp_point = head;
	while warp_point > 0 && served(warp_point - 1).await.is_ok() {
		warp_point -= 1;
	}
	println!("warp node: warp point #{warp_point} of {head}");
	// The transfers are all in blocks up to `last_block`, long finalized when the node started.
	assert!(warp_point > last_block, "the node did not warp past the transfers: #{warp_point}");
	for number in [1, warp_point - 1] {
		let error = served(number).await.unwrap_err();
		assert!(error.contains("Block not found"), "block {number} on the warp node: {error}");
	}
	for hash in &hashes {
		let tx = params(vec![json!(felt_hex(*hash))]);
		let error = warp.try_rpc("starknet_getTransactionReceipt", tx).await.unwrap_err();
		assert!(error.contains("Transaction hash not found"), "{error}");
	}
	for number in warp_point..=head {
		let method = "starknet_getBlockWithReceipts";
		assert_eq!(block(&warp, number, method).await, block(&sequencer, number, method).await);
	}
	let balance = warp.rpc("starknet_call", params(vec![call, json!("latest")])).await;
	assert_eq!(balance, json!(["0x14", "0x0"]), "the warp node's state");
}

//! `--chain local`: Alice and Bob form a real two-node Aura + GRANDPA network over loopback p2p and
//! finalize together; Bob is killed, restarted on his database, catches up (re-executing what he
//! missed), and finality resumes. Both serve the same Starknet blocks: hashes and state roots.
//! And a partition: both author alone on forks of their own, reconnect, one fork is abandoned,
//! and both serve the canonical chain's Starknet hashes and roots; a WebSocket subscriber to new
//! heads on the abandoned side gets `starknet_subscriptionReorg`, then the canonical heads.
mod common;

use std::time::Duration;

use common::*;
use jsonrpsee::core::params::ArrayParams;

const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";

async fn block_hash(node: &Node, n: u64) -> Option<String> {
	node.rpc("chain_getBlockHash", params(vec![n.into()])).await.as_str().map(String::from)
}

/// Both nodes finalized at least `n` and agree on the hash of block `n`.
async fn wait_common_finality(alice: &Node, bob: &Node, n: u64, timeout: Duration) {
	alice.wait_for_finalized(n, timeout).await;
	bob.wait_for_finalized(n, timeout).await;
	assert_eq!(block_hash(alice, n).await, block_hash(bob, n).await, "forked at #{n}");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_validators_finalize_and_a_restarted_one_catches_up() {
	let dir_a = temp_dir("alice");
	let dir_b = temp_dir("bob");
	let base_a = dir_a.path().to_str().unwrap().to_string();
	let base_b = dir_b.path().to_str().unwrap().to_string();

	// Validators outside `--dev` need a network key: fixed ones give known peer ids. Alice keeps
	// authoring while she has no peers (`--force-authoring`), so Bob misses blocks while down.
	let alice = Node::start(
		"alice",
		&[
			"--chain",
			"local",
			"--alice",
			"--base-path",
			&base_a,
			"--node-key",
			ALICE_NODE_KEY,
			"--force-authoring",
		],
	)
	.await;
	let peer_id = alice.rpc("system_localPeerId", ArrayParams::new()).await;
	assert_eq!(peer_id, ALICE_PEER_ID);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{ALICE_PEER_ID}", alice.p2p_port);
	let bob_args = [
		"--chain",
		"local",
		"--bob",
		"--base-path",
		&base_b,
		"--node-key",
		BOB_NODE_KEY,
		"--bootnodes",
		&bootnode,
	];
	let mut bob = Node::start("bob", &bob_args).await;

	// Six-second slots, two authorities: GRANDPA needs both votes to finalize anything.
	wait_common_finality(&alice, &bob, 2, Duration::from_secs(180)).await;
	let peers = bob.rpc("system_health", ArrayParams::new()).await;
	assert!(peers["peers"].as_u64().unwrap() >= 1, "{peers}");

	// Bob goes down; Alice alone keeps authoring in her slots but cannot finalize.
	bob.kill();
	let finalized_before = alice.finalized().await.0;
	let best_before = alice.best_number().await;
	// Her next slot comes within two slots (12 s).
	alice.wait_for_best(best_before + 1, Duration::from_secs(60)).await;

	// Bob restarts on his database, syncs what he missed, and finality resumes.
	let bob = Node::start("bob-restarted", &bob_args).await;
	assert!(bob.best_number().await >= 2, "bob lost his database");
	let target = alice.best_number().await;
	bob.wait_for_best(target, Duration::from_secs(120)).await;
	assert_eq!(block_hash(&alice, target).await, block_hash(&bob, target).await);
	wait_common_finality(&alice, &bob, finalized_before.max(target), Duration::from_secs(180))
		.await;
	assert_same_starknet_blocks(&alice, &bob, target).await;
}

/// Every Starknet block up to `up_to` is the same on both nodes: hash, root, parent.
async fn assert_same_starknet_blocks(alice: &Node, bob: &Node, up_to: u64) {
	for number in 0..=up_to {
		let id = params(vec![serde_json::json!({ "block_number": number })]);
		let a = alice.rpc("starknet_getBlockWithTxHashes", id.clone()).await;
		let b = bob.rpc("starknet_getBlockWithTxHashes", id.clone()).await;
		assert_ne!(a["new_root"], "0x0", "block {number}");
		assert_eq!(
			(&a["block_hash"], &a["new_root"], &a["parent_hash"]),
			(&b["block_hash"], &b["new_root"], &b["parent_hash"]),
			"block {number}"
		);
		let update = bob.rpc("starknet_getStateUpdate", id).await;
		assert_eq!(update["new_root"], b["new_root"], "block {number}");
	}
}

/// The Starknet block hash each node has at `number`, if it has the block.
async fn starknet_hash(node: &Node, number: u64) -> Option<serde_json::Value> {
	node.try_rpc(
		"starknet_getBlockWithTxHashes",
		params(vec![serde_json::json!({ "block_number": number })]),
	)
	.await
	.ok()
	.map(|block| block["block_hash"].clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_partition_the_abandoned_fork_s_roots_are_gone() {
	let dir_a = temp_dir("fork-alice");
	let dir_b = temp_dir("fork-bob");
	let base_a = dir_a.path().to_str().unwrap().to_string();
	let base_b = dir_b.path().to_str().unwrap().to_string();
	// Partitioned: each authors its own slots on its own chain.
	let alone = |base: &str, who: &'static str, key: &'static str| {
		vec![
			"--chain".to_string(),
			"local".into(),
			who.into(),
			"--base-path".into(),
			base.to_string(),
			"--node-key".into(),
			key.into(),
			"--force-authoring".into(),
		]
	};
	let alice_args = alone(&base_a, "--alice", ALICE_NODE_KEY);
	let alice_args: Vec<&str> = alice_args.iter().map(String::as_str).collect();
	let alice = Node::start("fork-alice", &alice_args).await;
	let bob_alone = alone(&base_b, "--bob", BOB_NODE_KEY);
	let bob_alone: Vec<&str> = bob_alone.iter().map(String::as_str).collect();
	let bob = Node::start("fork-bob", &bob_alone).await;
	// Six-second slots, alternating: two blocks each takes about half a minute.
	alice.wait_for_best(2, Duration::from_secs(120)).await;
	bob.wait_for_best(2, Duration::from_secs(120)).await;
	let height = alice.best_number().await.min(bob.best_number().await);
	let (on_alice, on_bob) =
		(starknet_hash(&alice, height).await, starknet_hash(&bob, height).await);
	assert_ne!(on_alice, on_bob, "the partition made two chains at #{height}");

	// A WebSocket subscriber on each side follows its node's heads from block 1.
	let mut watchers = Vec::new();
	for node in [&alice, &bob] {
		let mut ws = raw_ws(node.rpc_port).await;
		let from_1 = serde_json::json!([{ "block_number": 1 }]);
		ws.call("starknet_subscribeNewHeads", from_1).await.expect("a subscription");
		watchers.push(ws);
	}
	// What each side had before the partition ends.
	let mut forks = Vec::new();
	for node in [&alice, &bob] {
		let mut fork = Vec::new();
		for number in 0..=node.best_number().await {
			fork.push(starknet_hash(node, number).await);
		}
		forks.push(fork);
	}

	// Reconnected (Bob dials Alice): one fork is abandoned, GRANDPA finalizes the other, and both
	// nodes serve its Starknet blocks.
	let alice_address = format!("/ip4/127.0.0.1/tcp/{}/p2p/{ALICE_PEER_ID}", alice.p2p_port);
	bob.rpc("system_addReservedPeer", params(vec![alice_address.into()])).await;
	let target = height + 2;
	wait_common_finality(&alice, &bob, target, Duration::from_secs(240)).await;
	assert_same_starknet_blocks(&alice, &bob, target).await;
	let after = starknet_hash(&bob, height).await;
	assert!(after == on_alice || after == on_bob, "#{height} is one of the two forks' blocks");

	// The side whose fork was abandoned told its subscriber: `starknet_subscriptionReorg` naming
	// the first and last abandoned blocks it had announced, then the canonical heads again from
	// the first of them.
	let mut reorgs = 0;
	for ((node, mut ws), fork) in [&alice, &bob].into_iter().zip(watchers).zip(forks) {
		let mut messages = Vec::new();
		while let Some(message) = ws.notification(Duration::from_secs(2)).await {
			messages.push(message);
		}
		for (i, message) in messages.iter().enumerate() {
			assert!(message["params"]["subscription_id"].is_string(), "{}: {message}", node.name);
			if message["method"] != "starknet_subscriptionReorg" {
				assert_eq!(message["method"], "starknet_subscriptionNewHeads", "{message}");
				continue;
			}
			reorgs += 1;
			let reorg = &message["params"]["result"];
			let first = reorg["starting_block_number"].as_u64().unwrap();
			let last = reorg["ending_block_number"].as_u64().unwrap();
			assert!(1 <= first && first <= last, "{}: {reorg}", node.name);
			// (A block authored after `fork` was read is not in it.)
			for (number, hash) in
				[(first, &reorg["starting_block_hash"]), (last, &reorg["ending_block_hash"])]
			{
				if let Some(Some(known)) = fork.get(number as usize) {
					assert_eq!(hash, known, "{}: #{number} of the abandoned fork", node.name);
				}
			}
			let next = &messages[i + 1]["params"]["result"];
			assert_eq!(next["block_number"], first, "{}: heads resume at {first}", node.name);
			assert_eq!(Some(&next["block_hash"]), starknet_hash(node, first).await.as_ref());
		}
		// The heads a subscriber saw last are the canonical chain's.
		let last_head =
			messages.iter().rev().find(|m| m["method"] == "starknet_subscriptionNewHeads");
		let last_head = &last_head.expect("heads were announced")["params"]["result"];
		let number = last_head["block_number"].as_u64().unwrap();
		assert_eq!(Some(&last_head["block_hash"]), starknet_hash(node, number).await.as_ref());
	}
	assert!(reorgs >= 1, "neither subscriber was told of the abandoned fork");
}

//! `--chain local`: Alice and Bob form a real two-node Aura + GRANDPA network over loopback p2p and
//! finalize together; Bob is killed, restarted on his database, catches up, and finality resumes.
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
}

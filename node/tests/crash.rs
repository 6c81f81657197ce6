//! Nothing acknowledged is lost: real `--dev` nodes on disk, killed with SIGKILL (what a crash
//! looks like to the database and to the pool) and started again on the same base path.
//!
//! - Rounds of one transfer, its receipt served, SIGKILL at once, restart: every receipt ever
//!   served is still there, in the block of the same hash. `CAIRN_CRASH_ROUNDS` sets the number
//!   of rounds (20 by default).
//! - A transfer acknowledged (its hash returned) but in no block yet (manual sealing), SIGKILL,
//!   restart: the pool journal sends it to the pool again, it reads as RECEIVED and the next
//!   block includes it; once finalized it is forgotten (the next start replays nothing). The same
//!   with `--no-pool-journal` loses it (TXN_HASH_NOT_FOUND): the journal is what keeps it.
mod common;

use std::time::Duration;

use cairn_primitives::starknet::Felt;
use common::*;
use serde_json::{json, Value};

/// A transfer sent over the Starknet RPC: its hash, as the node acknowledged it.
async fn submit_transfer(node: &Node, from: &Account, nonce: u128, to: &Account) -> Felt {
	let tx = transfer(from, nonce, to.address, 1_000 + nonce);
	let answer = node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&tx)])).await;
	assert_eq!(answer["transaction_hash"], json!(tx_hash(&tx)));
	tx_hash(&tx)
}

async fn status(node: &Node, hash: Felt) -> Result<Value, String> {
	node.try_rpc("starknet_getTransactionStatus", params(vec![json!(hash)])).await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_served_receipt_survives_kill_9() {
	let rounds: u128 =
		std::env::var("CAIRN_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
	let dir = temp_dir("crash-rounds");
	let base = dir.path().to_str().unwrap().to_string();
	let args = ["--dev", "--base-path", &base];
	let mut served: Vec<(Felt, Value)> = Vec::new();
	for round in 0..rounds {
		let mut node = Node::start(&format!("crash-round-{round}"), &args).await;
		// Whatever was served before the crashes is still there, unchanged.
		for (hash, receipt) in &served {
			let now = node.rpc("starknet_getTransactionReceipt", params(vec![json!(hash)])).await;
			assert_eq!(&now, receipt, "round {round}: the receipt of {hash:?} changed");
			let block = node
				.rpc(
					"starknet_getBlockWithTxHashes",
					params(vec![json!({ "block_number": receipt["block_number"] })]),
				)
				.await;
			assert_eq!(block["block_hash"], receipt["block_hash"], "round {round}");
			assert!(
				block["transactions"].as_array().unwrap().contains(&json!(hash)),
				"round {round}"
			);
		}
		let accounts = printed_accounts(&node.log_text());
		let hash = submit_transfer(&node, &accounts[0], round, &accounts[1]).await;
		let receipt = node.receipt(hash).await;
		assert_eq!(receipt["execution_status"], "SUCCEEDED", "{receipt}");
		served.push((hash, receipt));
		node.kill();
	}
	println!("{rounds} rounds of a transfer, its receipt and SIGKILL: every receipt kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_acknowledged_transaction_survives_kill_9_in_the_pool_journal() {
	let dir = temp_dir("crash-journal");
	let base = dir.path().to_str().unwrap().to_string();
	let args = ["--dev", "--base-path", &base, "--sealing", "manual"];
	let mut node = Node::start("journal", &args).await;
	let accounts = printed_accounts(&node.log_text());
	let hash = submit_transfer(&node, &accounts[0], 0, &accounts[1]).await;
	assert_eq!(status(&node, hash).await.unwrap()["finality_status"], "RECEIVED");
	node.kill();

	let mut node = Node::start("journal-replayed", &args).await;
	node.wait_until("the journal replayed", Duration::from_secs(30), || async {
		node.log_text().contains("Pool journal: 1 of 1 acknowledged transactions back in the pool")
	})
	.await;
	assert_eq!(status(&node, hash).await.unwrap()["finality_status"], "RECEIVED");
	node.rpc("engine_createBlock", params(vec![true.into(), true.into(), Value::Null])).await;
	let receipt = node.receipt(hash).await;
	assert_eq!(receipt["execution_status"], "SUCCEEDED", "{receipt}");
	assert_eq!(receipt["block_number"], 1);
	// Finalized, so forgotten: give the follower a moment to write that, then crash again.
	tokio::time::sleep(Duration::from_secs(1)).await;
	node.kill();
	let mut node = Node::start("journal-settled", &args).await;
	assert_eq!(
		node.rpc("starknet_getTransactionReceipt", params(vec![json!(hash)])).await,
		receipt
	);
	tokio::time::sleep(Duration::from_secs(2)).await;
	assert!(!node.log_text().contains("Pool journal:"), "{}", node.log_text());

	// Without the journal, the same crash loses the acknowledged transaction.
	let accounts = printed_accounts(&node.log_text());
	node.kill();
	let no_journal = [&args[..], &["--no-pool-journal"]].concat();
	let mut node = Node::start("no-journal", &no_journal).await;
	let lost = submit_transfer(&node, &accounts[0], 1, &accounts[1]).await;
	assert_eq!(status(&node, lost).await.unwrap()["finality_status"], "RECEIVED");
	node.kill();
	let node = Node::start("no-journal-restarted", &no_journal).await;
	tokio::time::sleep(Duration::from_secs(2)).await;
	let error = status(&node, lost).await.unwrap_err();
	assert!(error.contains("29") && error.contains("Transaction hash not found"), "{error}");
}

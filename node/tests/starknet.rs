//! Starknet through the Substrate side of a real `cairn --dev` node: an ERC-20 transfer between
//! two printed development accounts, signed as a wallet signs it and submitted as the Starknet
//! pallet's unsigned extrinsic over `author_submitExtrinsic` (not the Starknet RPC), then the
//! pallet's raw storage (balances, the sender's nonce, the block's receipts) read back over
//! `state_getStorage`; a resend and a reused nonce are refused; the state survives a restart on the
//! same database and the chain goes on from it. `block_of_500_transfers` (ignored) is a
//! measurement: `--ignored --nocapture`.
mod common;

use std::time::Duration;

use cairn_executor::dev_genesis::storage_var_address;
use cairn_primitives::starknet::{genesis::well_known, storage, Felt, InvokeTransactionV3};
use cairn_runtime::{RuntimeCall, UncheckedExtrinsic};
use codec::{Decode, Encode};
use common::*;
use serde_json::Value;

async fn submit(node: &Node, tx: InvokeTransactionV3) -> Result<Value, String> {
	let call = RuntimeCall::Starknet(pallet_starknet::Call::invoke { transaction: tx });
	let xt = UncheckedExtrinsic::new_bare(call);
	node.try_rpc("author_submitExtrinsic", params(vec![to_hex(&xt.encode(), false).into()])).await
}

async fn storage_value<T: Decode>(node: &Node, key: &[u8]) -> Option<T> {
	let value = node.rpc("state_getStorage", params(vec![to_hex(key, false).into()])).await;
	let bytes = from_hex(value.as_str()?).unwrap();
	Some(T::decode(&mut &bytes[..]).unwrap())
}

async fn felt_at(node: &Node, key: &[u8]) -> Felt {
	storage_value::<Felt>(node, key).await.unwrap_or_default()
}

async fn strk_balance(node: &Node, owner: Felt) -> u128 {
	let key = storage_var_address("ERC20_balances", &[owner]);
	let low = felt_at(node, &storage::contract_storage_key(&strk(), &key)).await;
	u128::from_be_bytes(low.to_bytes()[16..].try_into().unwrap())
}

async fn nonce(node: &Node, account: Felt) -> Felt {
	felt_at(node, &storage::map_key(storage::NONCES, &account)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn erc20_transfer_between_dev_accounts_survives_a_restart() {
	let base = temp_dir("starknet-transfer");
	let base_path = base.path().to_str().unwrap().to_string();
	let args = ["--dev", "--base-path", base_path.as_str()];
	let mut node = Node::start("starknet-transfer", &args).await;

	let accounts = printed_accounts(&node.log_text());
	assert_eq!(accounts.len(), 10, "a --dev node lists 10 accounts:\n{}", node.log_text());
	let (alice, bob) = (&accounts[0], &accounts[1]);
	let start = well_known::DEV_ACCOUNT_BALANCE;
	assert_eq!(strk_balance(&node, alice.address).await, start);
	assert_eq!(strk_balance(&node, bob.address).await, start);

	// One STRK from #0 to #1: one block, both balances and #0's nonce move.
	let amount = 10u128.pow(18);
	submit(&node, transfer(alice, 0, bob.address, amount)).await.unwrap();
	node.wait_for_best(1, Duration::from_secs(60)).await;
	let receipts: Vec<pallet_starknet::Receipt> =
		storage_value(&node, &pallet_starknet::Receipts::<cairn_runtime::Runtime>::hashed_key())
			.await
			.expect("block 1 has receipts");
	assert_eq!(receipts.len(), 1);
	assert_eq!(receipts[0].revert_error, None);
	let fee = receipts[0].actual_fee;
	assert!(fee > 0);
	assert_eq!(strk_balance(&node, alice.address).await, start - amount - fee);
	assert_eq!(strk_balance(&node, bob.address).await, start + amount);
	assert_eq!(nonce(&node, alice.address).await, Felt::from(1u128));

	// Resending it is refused (banned as just included, or outdated: its nonce is used); a new
	// transaction that reuses nonce 0 is refused as outdated. Neither makes a block.
	let resent = submit(&node, transfer(alice, 0, bob.address, amount)).await.unwrap_err();
	assert!(resent.contains("banned") || resent.contains("outdated"), "{resent}");
	let reused = submit(&node, transfer(alice, 0, bob.address, 7)).await.unwrap_err();
	assert!(reused.contains("outdated"), "{reused}");
	tokio::time::sleep(Duration::from_secs(1)).await;
	assert_eq!(node.best_number().await, 1);

	// Restart on the same database: the state is there, and the chain goes on from it.
	node.stop();
	let node = Node::start("starknet-transfer-restarted", &args).await;
	assert_eq!(node.best_number().await, 1);
	assert_eq!(strk_balance(&node, alice.address).await, start - amount - fee);
	assert_eq!(strk_balance(&node, bob.address).await, start + amount);
	assert_eq!(nonce(&node, alice.address).await, Felt::from(1u128));
	submit(&node, transfer(alice, 1, bob.address, amount)).await.unwrap();
	node.wait_for_best(2, Duration::from_secs(60)).await;
	assert_eq!(nonce(&node, alice.address).await, Felt::from(2u128));
	assert_eq!(strk_balance(&node, bob.address).await, start + 2 * amount);
}

/// A measurement, not a test (run it with `--ignored --nocapture`): 500 ERC-20 transfers from ten
/// development accounts, sealed into one block by `engine_createBlock`; prints how long the
/// block producer took to build that block (its own log line), i.e. executing the 500 transfers
/// through the wasm runtime and the native executor.
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn block_of_500_transfers() {
	let node = Node::start("starknet-500", &["--dev", "--tmp", "--sealing", "manual"]).await;
	let accounts = printed_accounts(&node.log_text());
	let per_account = 50;
	for nonce in 0..per_account {
		for (i, from) in accounts.iter().enumerate() {
			let to = accounts[(i + 1) % accounts.len()].address;
			submit(&node, transfer(from, nonce, to, 1)).await.unwrap();
		}
	}
	let created = std::time::Instant::now();
	node.rpc("engine_createBlock", params(vec![true.into(), true.into()])).await;
	let wall = created.elapsed();
	let receipts: Vec<pallet_starknet::Receipt> =
		storage_value(&node, &pallet_starknet::Receipts::<cairn_runtime::Runtime>::hashed_key())
			.await
			.unwrap();
	assert!(receipts.iter().all(|r| r.revert_error.is_none()));
	let log = node.log_text();
	let proposed = log.lines().find(|l| l.contains("Prepared block for proposing at 1")).unwrap();
	println!("{} transfers in block 1; engine_createBlock took {wall:?}", receipts.len());
	println!("{proposed}");
}

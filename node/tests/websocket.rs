//! The WebSocket API (`starknet_ws_api.json`) on a real `cairn --dev` node's RPC port.
//! starknet.js 10.8's `WebSocketChannel` and starknet-py 0.30's `WebsocketClient` (at `/ws`),
//! unchanged, follow heads (with a backfill from block 1), Transfer events, receipts and new
//! transactions of one sender, and a transfer's status from RECEIVED to ACCEPTED_ON_L2
//! (`scripts/sdk/starknet_js_ws.mjs`, `starknet_py_ws.py`); every notification starknet.js
//! received validates against the spec. Over a plain JSON-RPC WebSocket client: the errors a
//! subscription answers (66, 67, 68, 24, 34, invalid params), a subscription only its own
//! connection can close, and a client that stops reading stalls nobody.
mod common;

use common::*;
use jsonrpsee::{
	core::client::ClientT,
	ws_client::{WsClient, WsClientBuilder},
};
use serde_json::{json, Value};

/// A WebSocket JSON-RPC client of `node`.
async fn ws_client(node: &Node) -> WsClient {
	WsClientBuilder::default()
		.build(format!("ws://127.0.0.1:{}", node.rpc_port))
		.await
		.expect("the node's RPC port takes WebSocket connections")
}

/// The error code `method` answers over `client`, which must be an error.
async fn error_code(client: &WsClient, method: &str, values: Vec<Value>) -> i32 {
	match client.request::<Value, _>(method, params(values)).await {
		Err(jsonrpsee::core::ClientError::Call(error)) => error.code(),
		other => panic!("{method} answered {other:?}, not an error"),
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn starknet_js_websocket_channel_follows_the_chain() {
	assert!(
		sdk_js_has("starknet") && sdk_js_has("ws") && sdk_python().exists(),
		"the Starknet SDKs are not installed under {}: run scripts/setup",
		sdk_dir().display()
	);
	let node = Node::start("ws-starknet-js", &["--dev", "--tmp", "--sealing", "manual"]).await;
	// A few blocks for the backfill.
	for _ in 0..3 {
		node.rpc("engine_createBlock", params(vec![true.into(), true.into(), Value::Null])).await;
	}
	let accounts = printed_accounts(&node.log_text());
	let dir = temp_dir("ws-starknet-js-record");
	let record = dir.path().join("notifications.jsonl");
	let output = tokio::task::spawn_blocking({
		let http = format!("http://127.0.0.1:{}", node.rpc_port);
		let ws = format!("ws://127.0.0.1:{}", node.rpc_port);
		let (address, key) = (felt_hex(accounts[0].address), felt_hex(accounts[0].private_key));
		let (to, record) = (felt_hex(accounts[1].address), record.display().to_string());
		move || run_js_script("starknet_js_ws.mjs", [http, ws, address, key, to, record])
	})
	.await
	.unwrap();
	assert_flow_ok("starknet.js WebSocketChannel", output);
	let recorded = std::fs::read_to_string(&record).unwrap();
	for method in [
		"starknet_subscriptionNewHeads",
		"starknet_subscriptionEvents",
		"starknet_subscriptionTransactionStatus",
		"starknet_subscriptionNewTransactionReceipts",
		"starknet_subscriptionNewTransaction",
	] {
		assert!(recorded.contains(method), "no {method} notification was recorded");
	}
	assert_valid_against_spec(&record);

	// starknet-py's client on the same node, from other accounts.
	let output = tokio::task::spawn_blocking({
		let http = format!("http://127.0.0.1:{}", node.rpc_port);
		let ws = format!("ws://127.0.0.1:{}/ws", node.rpc_port);
		let (address, key) = (felt_hex(accounts[2].address), felt_hex(accounts[2].private_key));
		let to = felt_hex(accounts[3].address);
		move || run_python_script("starknet_py_ws.py", [http, ws, address, key, to])
	})
	.await
	.unwrap();
	assert_flow_ok("starknet-py WebsocketClient", output);
}

#[tokio::test(flavor = "multi_thread")]
async fn subscriptions_answer_the_spec_errors_and_close_per_connection() {
	let node = Node::start("ws-errors", &["--dev", "--tmp", "--sealing", "manual"]).await;
	let (a, b) = (ws_client(&node).await, ws_client(&node).await);

	// starknet_unsubscribe: an unknown id, another connection's id, one's own (once).
	assert_eq!(error_code(&a, "starknet_unsubscribe", vec!["nope".into()]).await, 66);
	let id: String =
		a.request("starknet_subscribeNewHeads", params(vec![])).await.expect("a subscription id");
	assert_eq!(error_code(&b, "starknet_unsubscribe", vec![id.clone().into()]).await, 66);
	let closed: bool =
		a.request("starknet_unsubscribe", params(vec![id.clone().into()])).await.unwrap();
	assert!(closed);
	assert_eq!(error_code(&a, "starknet_unsubscribe", vec![id.into()]).await, 66);

	// Starting blocks: unknown, not a subscription's, in the future.
	let unknown = json!({ "block_hash": "0x123" });
	assert_eq!(error_code(&a, "starknet_subscribeNewHeads", vec![unknown.clone()]).await, 24);
	assert_eq!(
		error_code(&a, "starknet_subscribeEvents", vec![Value::Null, Value::Null, unknown]).await,
		24
	);
	assert_eq!(
		error_code(&a, "starknet_subscribeNewHeads", vec!["pre_confirmed".into()]).await,
		-32602
	);
	assert_eq!(
		error_code(&a, "starknet_subscribeNewHeads", vec!["l1_accepted".into()]).await,
		-32602
	);
	let future = json!({ "block_number": 1000 });
	assert_eq!(error_code(&a, "starknet_subscribeNewHeads", vec![future]).await, 24);

	// Filters beyond the node's limits.
	let addresses: Vec<Value> = (0..1025).map(|i| format!("0x{:x}", i + 1).into()).collect();
	assert_eq!(
		error_code(
			&a,
			"starknet_subscribeNewTransactionReceipts",
			vec![Value::Null, addresses.clone().into()]
		)
		.await,
		67
	);
	assert_eq!(
		error_code(
			&a,
			"starknet_subscribeNewTransactions",
			vec![Value::Null, addresses.clone().into()]
		)
		.await,
		67
	);
	assert_eq!(error_code(&a, "starknet_subscribeEvents", vec![addresses.into()]).await, -32005);
	let keys: Vec<Value> = (0..257).map(|i| json!([format!("0x{:x}", i + 1)])).collect();
	assert_eq!(
		error_code(&a, "starknet_subscribeEvents", vec![Value::Null, keys.into()]).await,
		34
	);
	assert_eq!(
		error_code(&a, "starknet_subscribeNewTransactionReceipts", vec![json!(["ACCEPTED_ON_L1"])])
			.await,
		-32602
	);

	// At most 1,024 blocks back.
	for _ in 0..1026 {
		node.rpc("engine_createBlock", params(vec![true.into(), true.into(), Value::Null])).await;
	}
	assert_eq!(node.best_number().await, 1026);
	assert_eq!(
		error_code(&a, "starknet_subscribeNewHeads", vec![json!({ "block_number": 1 })]).await,
		68
	);
	let _: String = a
		.request("starknet_subscribeNewHeads", params(vec![json!({ "block_number": 2 })]))
		.await
		.expect("1,024 blocks back is allowed");
	let _: String = a
		.request(
			"starknet_subscribeEvents",
			params(vec![Value::Null, Value::Null, json!({ "block_number": 2 })]),
		)
		.await
		.expect("1,024 blocks back is allowed");
	// The node still serves both connections.
	let _: String = b.request("starknet_subscribeNewHeads", params(vec![])).await.unwrap();

	// A client that subscribes to far more than it reads (64 backfills of 1,024 heads, about
	// 80 MB of notifications) and then stops reading holds up neither block production nor
	// other clients.
	let mut slow = raw_ws(node.rpc_port).await;
	for _ in 0..64 {
		let from = json!([{ "block_number": 2 }]);
		slow.call("starknet_subscribeNewHeads", from).await.expect("a subscription");
	}
	for round in 0..20 {
		let started = std::time::Instant::now();
		node.rpc("engine_createBlock", params(vec![true.into(), true.into(), Value::Null])).await;
		let best: u64 = b.request("starknet_blockNumber", params(vec![])).await.unwrap();
		assert_eq!(best, 1027 + round);
		let took = started.elapsed();
		assert!(took < std::time::Duration::from_secs(2), "a block and a read took {took:?}");
	}
	drop(slow);
}

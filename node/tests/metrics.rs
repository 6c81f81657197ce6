//! The Starknet series on Substrate's Prometheus endpoint, scraped over HTTP from a real
//! `cairn --dev` node (manual sealing, so that what the pool holds is known) while transfers
//! arrive, after their block, during a load of 100 transfers sent at once with blocks sealed
//! every 100 ms, and with a WebSocket subscription open and closed.
mod common;

use std::{
	collections::BTreeMap,
	io::{Read, Write},
	time::Duration,
};

use common::*;
use serde_json::{json, Value};

/// The endpoint's samples: series (name and labels, as printed) → value.
fn scrape(port: u16) -> BTreeMap<String, f64> {
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("/metrics answers");
	stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
	write!(stream, "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
	let mut answer = String::new();
	stream.read_to_string(&mut answer).unwrap();
	let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
	assert!(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"), "{head}");
	body.lines()
		.filter(|line| !line.starts_with('#') && !line.is_empty())
		.map(|line| {
			let (series, value) = line.rsplit_once(' ').expect("a sample line");
			(series.to_owned(), value.parse().expect("a sample value"))
		})
		.collect()
}

/// The value of the one series named `name` whose labels include every `labels` pair; 0 when
/// the endpoint has none yet (a counter not yet incremented).
fn value(samples: &BTreeMap<String, f64>, name: &str, labels: &[(&str, &str)]) -> f64 {
	let found: Vec<f64> = samples
		.iter()
		.filter(|(series, _)| {
			let (series_name, rest) = series.split_once('{').unwrap_or((series, ""));
			series_name == name
				&& labels
					.iter()
					.all(|(label, value)| rest.contains(&format!("{label}=\"{value}\"")))
		})
		.map(|(_, value)| *value)
		.collect();
	assert!(found.len() <= 1, "{name} {labels:?} matches {} series", found.len());
	found.first().copied().unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn starknet_series_follow_submissions_blocks_pool_and_subscriptions() {
	let port = free_port();
	let node = Node::start(
		"metrics",
		&["--dev", "--tmp", "--sealing", "manual", "--prometheus-port", &port.to_string()],
	)
	.await;
	let accounts = printed_accounts(&node.log_text());
	let (from, to) = (&accounts[0], &accounts[1]);
	let series = |name: &str| scrape(port).keys().any(|s| s.split('{').next() == Some(name));
	for name in [
		"cairn_starknet_pool_transactions",
		"cairn_starknet_subscriptions_open",
		"cairn_starknet_block_transactions_count",
	] {
		assert!(series(name), "{name} is not on /metrics");
	}

	// A subscription open.
	let mut ws = raw_ws(node.rpc_port).await;
	let subscription = ws.call("starknet_subscribeNewHeads", json!({})).await.unwrap();
	assert_eq!(value(&scrape(port), "cairn_starknet_subscriptions_open", &[]), 1.0);

	// 20 transfers accepted, in the pool (nothing is sealed yet); a replacement that pays no
	// more refused (64), and a version the node does not take (61).
	const N: u128 = 20;
	for nonce in 0..N {
		let tx = transfer(from, nonce, to.address, 1_000);
		node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&tx)])).await;
	}
	node.wait_until("the transfers are ready", Duration::from_secs(30), || async {
		let samples = scrape(port);
		value(&samples, "cairn_starknet_pool_transactions", &[("status", "ready")]) == N as f64
	})
	.await;
	// Another transfer with a nonce the pool holds: a replacement paying no more (64).
	let replacement = transfer(from, 0, to.address, 7);
	let refused = node
		.try_rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&replacement)]))
		.await
		.expect_err("an underpriced replacement is refused");
	assert!(refused.contains("64"), "{refused}");
	let mut old_version = invoke_json(&transfer(from, N, to.address, 7));
	old_version["version"] = json!("0x1");
	node.try_rpc("starknet_addInvokeTransaction", params(vec![old_version]))
		.await
		.expect_err("a V1 invoke is refused");
	let during = scrape(port);
	let accepted =
		value(&during, "cairn_starknet_transactions_accepted_total", &[("type", "INVOKE")]);
	assert_eq!(accepted, N as f64);
	let refused_total = |samples: &BTreeMap<String, f64>, code: &str| {
		value(
			samples,
			"cairn_starknet_transactions_refused_total",
			&[("type", "INVOKE"), ("code", code)],
		)
	};
	assert_eq!(refused_total(&during, "64"), 1.0);
	assert_eq!(refused_total(&during, "61"), 1.0);
	assert_eq!(refused_total(&during, "52"), 0.0);
	// Admission executed each transfer (validation), on the VM.
	let pool_runs = value(
		&during,
		"cairn_starknet_execution_seconds_count",
		&[("mode", "pool"), ("engine", "vm")],
	);
	assert!(pool_runs >= N as f64, "{pool_runs} pool executions");
	// Substrate's own RPC latency series, per Starknet method.
	let rpc_calls = value(
		&during,
		"substrate_rpc_calls_time_count",
		&[("protocol", "http"), ("method", "starknet_addInvokeTransaction")],
	);
	assert!(rpc_calls >= N as f64 + 2.0, "{rpc_calls} starknet_addInvokeTransaction timed");

	// One block takes them all.
	let block = |empty: bool| {
		node.rpc("engine_createBlock", params(vec![empty.into(), true.into(), Value::Null]))
	};
	block(false).await;
	node.wait_for_nonce(from.address, N as u64, Duration::from_secs(60)).await;
	block(true).await;
	node.wait_until("both blocks are counted", Duration::from_secs(30), || async {
		value(&scrape(port), "cairn_starknet_block_transactions_count", &[]) == 2.0
	})
	.await;
	// Now nonce 0 is used: a stale nonce (52).
	let stale = transfer(from, 0, to.address, 9);
	let refused = node
		.try_rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&stale)]))
		.await
		.expect_err("a used nonce is refused");
	assert!(refused.contains("52"), "{refused}");
	let after = scrape(port);
	assert_eq!(refused_total(&after, "52"), 1.0);
	assert_eq!(value(&after, "cairn_starknet_pool_transactions", &[("status", "ready")]), 0.0);
	assert_eq!(value(&after, "cairn_starknet_pool_transactions", &[("status", "future")]), 0.0);
	assert_eq!(value(&after, "cairn_starknet_block_transactions_sum", &[]), N as f64);
	// The full block lands in the 20 bucket, the empty one in the 0 bucket.
	assert_eq!(value(&after, "cairn_starknet_block_transactions_bucket", &[("le", "0")]), 1.0);
	assert_eq!(value(&after, "cairn_starknet_block_transactions_bucket", &[("le", "10")]), 1.0);
	assert_eq!(value(&after, "cairn_starknet_block_transactions_bucket", &[("le", "20")]), 2.0);
	assert_eq!(
		value(
			&after,
			"cairn_starknet_transactions_executed_total",
			&[("execution_status", "SUCCEEDED")]
		),
		N as f64
	);
	// Gas per block: a transfer costs between 10^5 and 10^8 L2 gas; the sum is the receipts'.
	let l2_gas = value(&after, "cairn_starknet_block_gas_sum", &[("resource", "l2_gas")]);
	assert!((1e5 * N as f64..1e8 * N as f64).contains(&l2_gas), "{l2_gas} L2 gas");
	let receipt_gas: f64 = {
		let block = node
			.rpc("starknet_getBlockWithReceipts", params(vec![json!({"block_number": 1})]))
			.await;
		block["transactions"]
			.as_array()
			.unwrap()
			.iter()
			.map(|tx| tx["receipt"]["execution_resources"]["l2_gas"].as_u64().unwrap() as f64)
			.sum()
	};
	assert_eq!(l2_gas, receipt_gas);
	assert_eq!(value(&after, "cairn_starknet_block_gas_count", &[("resource", "l2_gas")]), 2.0);
	// Block building executed each transfer once more, each in well under a second.
	let runs = value(&after, "cairn_starknet_execution_seconds_count", &[("mode", "block")]);
	let seconds = value(&after, "cairn_starknet_execution_seconds_sum", &[("mode", "block")]);
	assert!(runs >= N as f64, "{runs} block executions");
	assert!(seconds > 0.0 && seconds / runs < 1.0, "{seconds} s for {runs} executions");

	// Under load: 100 more transfers from five accounts sent at once while blocks are sealed
	// every 100 ms, the endpoint scraped every 50 ms meanwhile. Every scrape parses, no counter
	// goes back, and scrapes in the middle of the load see transactions waiting in the pool and
	// blocks counted part of the way.
	const SENDERS: usize = 5;
	const EACH: u128 = 20;
	let load = {
		let client = node.client.clone();
		let senders: Vec<Account> = accounts[3..3 + SENDERS].to_vec();
		let to = to.address;
		tokio::spawn(async move {
			let txs: Vec<Value> = senders
				.iter()
				.flat_map(|from| {
					(0..EACH).map(move |nonce| invoke_json(&transfer(from, nonce, to, 1)))
				})
				.collect();
			let sends = txs.into_iter().map(|tx| {
				let client = client.clone();
				async move {
					jsonrpsee::core::client::ClientT::request::<Value, _>(
						&client,
						"starknet_addInvokeTransaction",
						params(vec![tx]),
					)
					.await
					.expect("accepted")
				}
			});
			futures::future::join_all(sends).await;
		})
	};
	let sealing = {
		let client = node.client.clone();
		tokio::spawn(async move {
			loop {
				tokio::time::sleep(Duration::from_millis(100)).await;
				let _ = jsonrpsee::core::client::ClientT::request::<Value, _>(
					&client,
					"engine_createBlock",
					params(vec![false.into(), true.into(), Value::Null]),
				)
				.await;
			}
		})
	};
	let counters = [
		("cairn_starknet_transactions_accepted_total", vec![("type", "INVOKE")]),
		("cairn_starknet_transactions_executed_total", vec![("execution_status", "SUCCEEDED")]),
		("cairn_starknet_block_transactions_count", vec![]),
		("cairn_starknet_block_transactions_sum", vec![]),
		("cairn_starknet_execution_seconds_count", vec![("mode", "block"), ("engine", "vm")]),
	];
	let read = |samples: &BTreeMap<String, f64>| -> Vec<f64> {
		counters.iter().map(|(name, labels)| value(samples, name, labels)).collect()
	};
	let start_executed = N as f64;
	let end_executed = N as f64 + (SENDERS as u128 * EACH) as f64;
	let (mut last, mut scrapes, mut waiting_seen, mut midway_seen) =
		(read(&after), 0, false, false);
	let deadline = std::time::Instant::now() + Duration::from_secs(120);
	loop {
		let samples = scrape(port);
		let now = read(&samples);
		for ((name, _), (before, now)) in counters.iter().zip(last.iter().zip(&now)) {
			assert!(now >= before, "{name} went back from {before} to {now}");
		}
		scrapes += 1;
		let executed = now[1];
		let pool = value(&samples, "cairn_starknet_pool_transactions", &[("status", "ready")])
			+ value(&samples, "cairn_starknet_pool_transactions", &[("status", "future")]);
		waiting_seen |= pool > 0.0;
		midway_seen |= executed > start_executed && executed < end_executed;
		last = now;
		if executed == end_executed {
			break;
		}
		assert!(std::time::Instant::now() < deadline, "the load did not finish: {last:?}");
		tokio::time::sleep(Duration::from_millis(50)).await;
	}
	load.await.unwrap();
	sealing.abort();
	assert!(waiting_seen, "no scrape during the load saw transactions in the pool");
	assert!(midway_seen, "no scrape saw the load part of the way ({scrapes} scrapes)");
	let end = scrape(port);
	assert_eq!(
		value(&end, "cairn_starknet_transactions_accepted_total", &[("type", "INVOKE")]),
		end_executed
	);
	assert_eq!(value(&end, "cairn_starknet_block_transactions_sum", &[]), end_executed);
	let best = node.best_number().await as f64;
	node.wait_until("every block is counted once", Duration::from_secs(10), || async {
		value(&scrape(port), "cairn_starknet_block_transactions_count", &[]) == best
	})
	.await;

	// The subscription closed.
	ws.call("starknet_unsubscribe", json!([subscription])).await.unwrap();
	node.wait_until("the subscription is gone", Duration::from_secs(10), || async {
		value(&scrape(port), "cairn_starknet_subscriptions_open", &[]) == 0.0
	})
	.await;
}

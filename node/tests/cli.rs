//! The command line: unknown flags, bad `--sealing` values, `--sealing` on an Aura chain and
//! unreadable chain specs fail clearly; `--chain dev` without `--dev` is dev-sealed; a
//! `build-spec` file starts a node, whose RPC answers malformed requests with JSON-RPC errors and
//! keeps serving; blocks exported from one database import into another byte for byte (empty
//! blocks: the subcommands on a chain with Starknet transactions are `subcommands.rs`);
//! `purge-chain` removes the database.
mod common;

use std::{
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

use common::*;
use jsonrpsee::core::params::ArrayParams;
use serde_json::Value;

const T: Duration = Duration::from_secs(120);

#[test]
fn unknown_flag_is_an_error() {
	let (status, _, stderr) = run_cairn(&["--dev", "--no-such-flag"], T);
	assert!(!status.success());
	assert!(stderr.contains("--no-such-flag"), "stderr: {stderr}");
}

#[test]
fn bad_sealing_values_are_errors() {
	let (status, _, stderr) = run_cairn(&["--dev", "--tmp", "--sealing", "50"], T);
	assert!(!status.success());
	assert!(stderr.contains("below the minimum of 100 ms"), "stderr: {stderr}");
	let (status, _, stderr) = run_cairn(&["--dev", "--tmp", "--sealing", "sometimes"], T);
	assert!(!status.success());
	assert!(stderr.contains("not a sealing mode"), "stderr: {stderr}");
}

#[test]
fn sealing_is_refused_on_aura_grandpa_chains() {
	let (status, _, stderr) = run_cairn(&["--chain", "local", "--tmp", "--sealing", "manual"], T);
	assert!(!status.success());
	assert!(stderr.contains("--sealing applies to development chains only"), "stderr: {stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_development_chain_without_dev_flag_is_dev_sealed() {
	// `--chain dev` (not `--dev`): still a development chain, sealed instantly by default, with
	// engine_* available.
	let node = Node::start("chain-dev", &["--chain", "dev", "--tmp"]).await;
	node.rpc("engine_createBlock", params(vec![true.into(), true.into(), Value::Null])).await;
	assert_eq!(node.finalized().await.0, 1);
}

#[test]
fn invalid_chain_spec_files_are_errors() {
	let dir = temp_dir("bad-spec");
	let garbage = dir.path().join("garbage.json");
	std::fs::write(&garbage, b"{ this is not json").unwrap();
	let (status, _, stderr) = run_cairn(&["--chain", garbage.to_str().unwrap(), "--tmp"], T);
	assert!(!status.success());
	assert!(stderr.contains("cannot load the chain spec"), "stderr: {stderr}");

	let wrong_shape = dir.path().join("wrong.json");
	std::fs::write(&wrong_shape, br#"{"name": "x", "id": "x"}"#).unwrap();
	let (status, _, stderr) = run_cairn(&["--chain", wrong_shape.to_str().unwrap(), "--tmp"], T);
	assert!(!status.success());
	assert!(stderr.contains("cannot load the chain spec"), "stderr: {stderr}");

	let missing = dir.path().join("missing.json");
	let (status, _, stderr) = run_cairn(&["--chain", missing.to_str().unwrap(), "--tmp"], T);
	assert!(!status.success());
	assert!(stderr.contains("cannot load the chain spec"), "stderr: {stderr}");
}

/// POST a raw body to the node's RPC port and return the JSON answer.
fn raw_post(port: u16, body: &str) -> Value {
	let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
	s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
	write!(
		s,
		"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
		body.len(),
		body
	)
	.unwrap();
	let mut response = String::new();
	s.read_to_string(&mut response).unwrap();
	let body = response.split("\r\n\r\n").nth(1).unwrap_or_else(|| panic!("no body: {response}"));
	serde_json::from_str(body.trim()).unwrap_or_else(|e| panic!("{e}: {response}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn chain_spec_file_round_trips_and_rpc_survives_bad_requests() {
	// build-spec writes a spec that a node can be started from.
	let dir = temp_dir("spec");
	let (status, spec, stderr) = run_cairn(&["build-spec", "--chain", "dev"], T);
	assert!(status.success(), "{stderr}");
	let json: Value = serde_json::from_str(&spec).expect("build-spec prints JSON");
	assert_eq!(json["name"], "Cairn Development");
	assert_eq!(json["properties"]["tokenSymbol"], "CAIRN");
	let file = dir.path().join("dev.json");
	std::fs::write(&file, &spec).unwrap();

	let node = Node::start(
		"from-spec-file",
		&[
			"--chain",
			file.to_str().unwrap(),
			"--tmp",
			"--alice",
			"--sealing",
			"manual",
			// A validator outside `--dev` needs a network key of its own.
			"--node-key",
			"0000000000000000000000000000000000000000000000000000000000000003",
		],
	)
	.await;
	assert_eq!(node.rpc("system_chain", ArrayParams::new()).await, "Cairn Development");
	node.rpc("engine_createBlock", params(vec![true.into(), true.into(), Value::Null])).await;
	assert_eq!(node.best_number().await, 1);

	// Malformed JSON: a parse error, and the node keeps serving.
	let port = node.rpc_port;
	let answer =
		tokio::task::spawn_blocking(move || raw_post(port, r#"{"jsonrpc":"2.0","method":"#))
			.await
			.unwrap();
	assert_eq!(answer["error"]["code"], -32700, "{answer}");
	// Unknown method, wrong params.
	let answer = tokio::task::spawn_blocking(move || {
		raw_post(port, r#"{"jsonrpc":"2.0","id":1,"method":"no_such_method","params":[]}"#)
	})
	.await
	.unwrap();
	assert_eq!(answer["error"]["code"], -32601, "{answer}");
	let answer = tokio::task::spawn_blocking(move || {
		raw_post(
			port,
			r#"{"jsonrpc":"2.0","id":2,"method":"chain_getBlockHash","params":["not a number"]}"#,
		)
	})
	.await
	.unwrap();
	assert_eq!(answer["error"]["code"], -32602, "{answer}");
	let answer = tokio::task::spawn_blocking(move || {
		raw_post(
			port,
			r#"{"jsonrpc":"2.0","id":3,"method":"author_submitExtrinsic","params":["0xdeadbeef"]}"#,
		)
	})
	.await
	.unwrap();
	assert!(answer["error"]["code"].is_i64(), "{answer}");
	assert_eq!(node.best_number().await, 1, "still serving");
}

#[tokio::test(flavor = "multi_thread")]
async fn blocks_export_and_import_between_databases() {
	let a = temp_dir("export-a");
	let b = temp_dir("export-b");
	let base_a = a.path().join("db");
	let base_b = b.path().join("db");
	{
		let mut node = Node::start(
			"exporter",
			&["--dev", "--base-path", base_a.to_str().unwrap(), "--sealing", "manual"],
		)
		.await;
		for _ in 0..3 {
			node.rpc("engine_createBlock", params(vec![true.into(), true.into(), Value::Null]))
				.await;
		}
		assert_eq!(node.best_number().await, 3);
		node.stop();
	}
	let exported = a.path().join("blocks.bin");
	let (status, _, stderr) = run_cairn(
		&[
			"export-blocks",
			"--dev",
			"--base-path",
			base_a.to_str().unwrap(),
			"--binary",
			exported.to_str().unwrap(),
		],
		T,
	);
	assert!(status.success(), "{stderr}");
	let (status, _, stderr) = run_cairn(
		&[
			"import-blocks",
			"--dev",
			"--base-path",
			base_b.to_str().unwrap(),
			"--binary",
			exported.to_str().unwrap(),
		],
		T,
	);
	assert!(status.success(), "{stderr}");
	assert!(stderr.contains("Imported 3 blocks") || stderr.contains("#3"), "{stderr}");

	// The imported chain exports to the same bytes.
	let again = b.path().join("blocks.bin");
	let (status, _, stderr) = run_cairn(
		&[
			"export-blocks",
			"--dev",
			"--base-path",
			base_b.to_str().unwrap(),
			"--binary",
			again.to_str().unwrap(),
		],
		T,
	);
	assert!(status.success(), "{stderr}");
	assert_eq!(std::fs::read(&exported).unwrap(), std::fs::read(&again).unwrap());

	// purge-chain removes the database: nothing is left to export.
	let (status, _, stderr) =
		run_cairn(&["purge-chain", "--dev", "-y", "--base-path", base_b.to_str().unwrap()], T);
	assert!(status.success(), "{stderr}");
	assert!(!base_b.join("chains/cairn_dev/paritydb").exists(), "database still there after purge");
	let (status, _, stderr) = run_cairn(
		&[
			"export-blocks",
			"--dev",
			"--base-path",
			base_b.to_str().unwrap(),
			"--binary",
			again.to_str().unwrap(),
		],
		T,
	);
	assert!(!status.success(), "exported blocks from a purged chain");
	assert!(stderr.contains("Invalid block range"), "{stderr}");
}

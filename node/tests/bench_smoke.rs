//! `scripts/bench --smoke`, so the benchmark never rots: 200 transfers from 8 accounts on a real
//! `cairn --dev` (this build's binaries) on each engine, once more with 1,000 WebSocket
//! subscriptions open on 50 connections (the mix: 500 new heads, 300 events of one
//! account, 150 transaction statuses, 50 receipts of one sender) that must miss nothing, on a sequencer-mode node (a `new-chain`
//! spec, Aura + GRANDPA) and on raw blockifier with both engines, the Cairo VM and Cairo Native,
//! one after the other and with blockifier's concurrent executor (and on starknet-devnet when it
//! is installed), asserting correctness, not speed: the script succeeds, and its table has a row
//! for every system it ran that reports the 200 transfers the system was given, a TPS above zero
//! and its checks passed (`ok` = yes: every transfer succeeded and the balances add up), and the
//! ratios of Cairn to raw blockifier and of native to the VM are printed. A second run sends from
//! accounts of a Sierra 1.9.5 class on the chain run by Cairo Native and on the native ceiling
//! (`--account-class starkware`).
mod common;

use common::*;

/// The transfers `--smoke` gives each system (`scripts/bench`).
const SMOKE_TRANSFERS: u64 = 200;

/// What the script says it gave each system, from its `bench: NAME: N transfers from K accounts`
/// lines, by the name of the system's row.
fn given(stderr: &str) -> Vec<(String, u64)> {
	stderr
		.lines()
		.filter_map(|l| {
			let (name, rest) = l.strip_prefix("bench: ")?.split_once(": ")?;
			let count = rest.strip_suffix(" accounts")?.split_once(" transfers from ")?.0;
			let row = if name.starts_with("starknet-devnet") {
				"devnet".to_string()
			} else {
				name.replace(' ', "-")
			};
			Some((row, count.parse().unwrap_or_else(|e| panic!("{l}: {e}"))))
		})
		.collect()
}

#[test]
fn bench_smoke() {
	let BenchRun { stdout, stderr, success } = run_bench(&["--smoke"], &[]);
	assert!(success, "scripts/bench --smoke failed:\n{stdout}\n{stderr}");
	assert!(stdout.lines().any(|l| l.starts_with("cairn-instant")), "{stdout}");
	assert!(stdout.lines().any(|l| l.starts_with("cairn-subscribed")), "{stdout}");
	assert!(
		stdout.lines().any(|l| l.starts_with("cairn-subscribed: 1000 WebSocket subscriptions")
			&& l.ends_with(" 0 missed")),
		"{stdout}"
	);
	assert!(stdout.lines().any(|l| l.starts_with("raw-blockifier")), "{stdout}");
	assert!(stdout.lines().any(|l| l.starts_with("raw-native")), "{stdout}");
	assert!(stdout.lines().any(|l| l.starts_with("cairn-sequencer")), "{stdout}");
	assert!(stdout.lines().any(|l| l.starts_with("cairn-native")), "{stdout}");
	assert!(stdout.lines().any(|l| l.starts_with("raw-concurrent")), "{stdout}");
	assert!(stdout.lines().any(|l| l.starts_with("raw-native-concurrent")), "{stdout}");

	// A row per system run, saying what it was given, all of it succeeded, at some speed.
	let rows = bench_table(&stdout);
	let given = given(&stderr);
	let systems: Vec<&str> = rows.iter().map(|r| r.cell("system")).collect();
	let started: Vec<&str> = given.iter().map(|(name, _)| name.as_str()).collect();
	assert_eq!(systems, started, "a row for every system the script ran:\n{stdout}\n{stderr}");
	for (system, count) in &given {
		assert_eq!(*count, SMOKE_TRANSFERS, "{system} was given {count} transfers:\n{stderr}");
	}
	for row in &rows {
		assert_eq!(row.number("transfers"), SMOKE_TRANSFERS as f64, "{row:?}\n{stdout}");
		assert!(row.number("TPS") > 0.0, "no throughput: {row:?}\n{stdout}");
		assert_eq!(
			row.cell("ok"),
			"yes",
			"not all transfers succeeded or the balances do not add up: {row:?}\n{stdout}"
		);
	}

	// Cairn's throughput relative to the others, as ratios.
	assert!(
		stdout.lines().any(|l| l.starts_with("cairn-instant / raw-blockifier: ")),
		"no ratio to raw blockifier:\n{stdout}"
	);
	assert!(
		stdout.lines().any(|l| l.starts_with("raw-native / raw-blockifier: ")),
		"no ratio of the engines:\n{stdout}"
	);
	for line in stdout.lines().filter(|l| l.contains(" / ")) {
		let ratio = line.rsplit_once(": ").and_then(|(_, r)| r.strip_suffix('x'));
		let ratio: f64 = ratio.and_then(|r| r.parse().ok()).unwrap_or_else(|| panic!("{line}"));
		assert!(ratio.is_finite() && ratio >= 0.0, "{line}");
	}
}

/// The accounts of StarkWare's example account class (Sierra 1.9.5), deployed by the benchmark
/// before the load, on the chain run by Cairo Native and on the native ceiling: both rows `ok`.
#[test]
fn bench_smoke_with_native_accounts() {
	let BenchRun { stdout, stderr, success } = run_bench(
		&["--smoke", "--systems", "cairn-native,raw-native", "--account-class", "starkware"],
		&[],
	);
	assert!(success, "scripts/bench --smoke --account-class starkware failed:\n{stdout}\n{stderr}");
	let rows = bench_table(&stdout);
	let systems: Vec<&str> = rows.iter().map(|r| r.cell("system")).collect();
	assert_eq!(systems, ["cairn-native", "raw-native"], "{stdout}");
	for row in &rows {
		assert_eq!(row.number("transfers"), SMOKE_TRANSFERS as f64, "{row:?}\n{stdout}");
		assert_eq!(row.cell("ok"), "yes", "{row:?}\n{stdout}");
	}
	assert!(stdout.lines().any(|l| l.starts_with("cairn-native / raw-native: ")), "{stdout}");
}

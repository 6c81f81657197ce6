//! `scripts/bench --smoke`, so the benchmark never rots: 200 transfers from 8 accounts on a real
//! `cairn --dev` (this build's binaries) and on raw blockifier (and on starknet-devnet when it is
//! installed), asserting only correctness — every transfer succeeded and the balances add up.
use std::{path::PathBuf, process::Command};

#[test]
fn bench_smoke() {
	let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/bench");
	let output = Command::new(script)
		.arg("--smoke")
		.env("CAIRN_BIN", env!("CARGO_BIN_EXE_cairn"))
		.env("CAIRN_BENCH_BIN", env!("CARGO_BIN_EXE_cairn-bench"))
		.output()
		.expect("scripts/bench runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	println!("{stdout}");
	assert!(output.status.success(), "scripts/bench --smoke failed:\n{stdout}\n{stderr}");
	assert!(stdout.lines().any(|l| l.starts_with("cairn-instant")), "{stdout}");
	assert!(stdout.lines().any(|l| l.starts_with("raw-blockifier")), "{stdout}");
}

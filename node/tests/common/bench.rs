//! `scripts/bench` run by a test with this build's binaries (`cairn`, `cairn-bench`), and the table
//! it prints, read by column name.
use super::node::repo_path;
use std::process::Command;

/// What `scripts/bench` printed, and whether it succeeded.
pub struct BenchRun {
	pub stdout: String,
	pub stderr: String,
	pub success: bool,
}

/// `scripts/bench args…` with `env`, on this build's binaries; its stdout is echoed for the log.
pub fn run_bench(args: &[&str], env: &[(&str, &str)]) -> BenchRun {
	let output = Command::new(repo_path("scripts/bench"))
		.args(args)
		.env("CAIRN_BIN", env!("CARGO_BIN_EXE_cairn"))
		.env("CAIRN_BENCH_BIN", env!("CARGO_BIN_EXE_cairn-bench"))
		.envs(env.iter().copied())
		.output()
		.expect("scripts/bench runs");
	let run = BenchRun {
		stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
		stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
		success: output.status.success(),
	};
	println!("{}", run.stdout);
	run
}

/// The table's columns, in order (`-` where a system has no figure).
pub const BENCH_COLUMNS: [&str; 9] =
	["system", "transfers", "TPS", "p50 ms", "p99 ms", "blocks", "blocks/s", "peak RSS MiB", "ok"];

/// One row of the table.
#[derive(Debug)]
pub struct BenchRow(Vec<String>);

impl BenchRow {
	/// The cell in `column` (one of [`BENCH_COLUMNS`]).
	pub fn cell(&self, column: &str) -> &str {
		let index = BENCH_COLUMNS
			.iter()
			.position(|c| *c == column)
			.unwrap_or_else(|| panic!("no column {column:?} in the bench table"));
		&self.0[index]
	}

	/// The cell in `column` as a number.
	pub fn number(&self, column: &str) -> f64 {
		let cell = self.cell(column);
		cell.parse().unwrap_or_else(|e| panic!("{column} {cell:?} in {self:?}: {e}"))
	}
}

/// The rows of the table in `stdout`, after checking its header is [`BENCH_COLUMNS`].
pub fn bench_table(stdout: &str) -> Vec<BenchRow> {
	let mut lines = stdout.lines().skip_while(|l| !l.starts_with("system"));
	let header = lines.next().expect("the table's header").split_whitespace().collect::<Vec<_>>();
	assert_eq!(
		header.join(" "),
		BENCH_COLUMNS.join(" "),
		"the table's columns changed: update tests/common/bench.rs"
	);
	lines
		.map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
		.take_while(|cells| cells.len() == BENCH_COLUMNS.len())
		.map(BenchRow)
		.collect()
}

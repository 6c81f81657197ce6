//! The Starknet and Polkadot SDKs `scripts/setup` installs for the tests, found in one place:
//! `$CAIRN_SDK_DIR`, else `~/.cache/cairn/sdk` (a Python virtualenv with starknet-py under `py/`,
//! npm packages — starknet.js, @polkadot/api — under `js/`), and the node.js that runs the
//! latter; the client scripts of `scripts/sdk/`.
use std::{
	ffi::OsStr,
	path::PathBuf,
	process::{Command, Output},
};

use super::node::repo_path;

/// A directory `scripts/setup` fills: `$VAR` when set, else `~/.cache/cairn/NAME`.
pub fn cache_dir(var: &str, name: &str) -> PathBuf {
	std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
			.join(".cache/cairn")
			.join(name)
	})
}

/// The SDK directory: `$CAIRN_SDK_DIR` or `~/.cache/cairn/sdk`.
pub fn sdk_dir() -> PathBuf {
	cache_dir("CAIRN_SDK_DIR", "sdk")
}

/// The SDK virtualenv's python (starknet-py, jsonschema).
pub fn sdk_python() -> PathBuf {
	sdk_dir().join("py/bin/python")
}

/// Where the SDK's npm packages are installed (`node_modules/` inside).
pub fn sdk_js_dir() -> PathBuf {
	sdk_dir().join("js")
}

/// The node.js binary that runs the JS clients (Debian's `nodejs`, which `scripts/setup`
/// installs when missing).
pub fn node_js() -> &'static str {
	"node"
}

/// Whether npm package `package` is installed in the SDK (`starknet`, `@polkadot/api`).
pub fn sdk_js_has(package: &str) -> bool {
	sdk_js_dir().join("node_modules").join(package).exists()
}

/// A script of `scripts/sdk/`.
pub fn sdk_script(name: &str) -> PathBuf {
	repo_path("scripts/sdk").join(name)
}

/// Run `scripts/sdk/NAME` (a Python script) with the SDK's python.
pub fn run_python_script<S: AsRef<OsStr>>(name: &str, args: impl IntoIterator<Item = S>) -> Output {
	Command::new(sdk_python())
		.arg(sdk_script(name))
		.args(args)
		.output()
		.expect("the SDK virtualenv's python runs (scripts/setup)")
}

/// Run `scripts/sdk/NAME` (a JS module) with node.js. node.js resolves packages next to the
/// script: a copy in the SDK's js directory runs, from there.
pub fn run_js_script<S: AsRef<OsStr>>(name: &str, args: impl IntoIterator<Item = S>) -> Output {
	let script = sdk_js_dir().join(name);
	std::fs::copy(sdk_script(name), &script)
		.unwrap_or_else(|e| panic!("copying {name} to {}: {e}", sdk_js_dir().display()));
	Command::new(node_js())
		.arg(&script)
		.args(args)
		.current_dir(sdk_js_dir())
		.output()
		.expect("node runs")
}

/// A published test class as the SDKs take it: its file and its compiled class hash (computed
/// with the node's own compiler, as users take it from theirs).
pub fn sdk_class(file: &str) -> (PathBuf, String) {
	let class = super::starknet::test_class(file);
	(super::starknet::test_class_file(file), super::starknet::felt_hex(class.compiled_class_hash))
}

/// Asserts that an SDK flow script succeeded (exit status and its closing `ok` line).
pub fn assert_flow_ok(client: &str, output: Output) {
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(
		output.status.success() && stdout.lines().any(|l| l == "ok"),
		"{client} failed ({}):\n{stdout}\n{stderr}",
		output.status
	);
}

/// The official spec files' directory: `$CAIRN_STARKNET_SPECS`, else the workspace's copy
/// (`../shared/starknet-specs/v0.10.3/api`).
pub fn spec_dir() -> PathBuf {
	let spec = std::env::var_os("CAIRN_STARKNET_SPECS")
		.map(PathBuf::from)
		.unwrap_or_else(|| repo_path("../shared/starknet-specs/v0.10.3/api"));
	assert!(
		spec.join("starknet_api_openrpc.json").exists(),
		"no Starknet spec files at {} (set CAIRN_STARKNET_SPECS)",
		spec.display()
	);
	spec
}

/// Validates the exchanges and notifications recorded in `file` (JSON lines) against the spec
/// files (`scripts/sdk/validate_responses.py`); panics with the mismatches.
pub fn assert_valid_against_spec(file: &std::path::Path) {
	let spec = spec_dir();
	let output = run_python_script("validate_responses.py", [spec.as_os_str(), file.as_os_str()]);
	let stdout = String::from_utf8_lossy(&output.stdout);
	println!("{stdout}");
	assert!(
		output.status.success(),
		"responses do not match the spec:\n{stdout}\n{}",
		String::from_utf8_lossy(&output.stderr)
	);
}

//! Finds the published Sierra classes the development genesis is built from (see
//! `scripts/setup`, which fetches them from crates.io) and tells the crate where they are.
//! Native builds only: the wasm runtime never sees them.
use std::path::PathBuf;

const FILES: [&str; 4] = ["account.sierra", "erc20_strk.sierra", "erc20_eth.sierra", "udc.sierra"];

fn main() {
	println!("cargo:rerun-if-env-changed=CAIRN_GENESIS_CLASSES");
	if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
		return;
	}
	let dir = std::env::var_os("CAIRN_GENESIS_CLASSES").map(PathBuf::from).unwrap_or_else(|| {
		let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
		home.join(".cache/cairn/genesis-classes")
	});
	for file in FILES {
		let path = dir.join(file);
		if !path.is_file() {
			panic!(
				"{} is missing: the development genesis classes are fetched by `scripts/setup` \
				 (or set CAIRN_GENESIS_CLASSES to a directory holding {FILES:?})",
				path.display()
			);
		}
		println!("cargo:rerun-if-changed={}", path.display());
	}
	println!("cargo:rustc-env=CAIRN_GENESIS_CLASSES={}", dir.display());
}

//! Finds the published Sierra classes the development genesis is built from (`scripts/setup`
//! fetches them from crates.io) and embeds them: `OUT_DIR/genesis_classes.rs` defines
//! `GENESIS_CLASSES`, the four files' contents, or `None` when they are missing. A clone built
//! before `scripts/setup` still builds; only building the development genesis then fails, with a
//! message saying what to do (and this script runs again on the next build, to pick them up).
use std::{fmt::Write, path::PathBuf};

const FILES: [&str; 4] = ["account.sierra", "erc20_strk.sierra", "erc20_eth.sierra", "udc.sierra"];

fn main() {
	println!("cargo:rerun-if-env-changed=CAIRN_GENESIS_CLASSES");
	let dir = std::env::var_os("CAIRN_GENESIS_CLASSES").map(PathBuf::from).unwrap_or_else(|| {
		let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
		home.join(".cache/cairn/genesis-classes")
	});
	let paths: Vec<PathBuf> = FILES.iter().map(|file| dir.join(file)).collect();
	for path in &paths {
		// A missing path counts as changed: cargo runs this script again on every build until
		// the file exists.
		println!("cargo:rerun-if-changed={}", path.display());
	}
	let mut code = format!("/// Where the build looked for the genesis classes.\npub const GENESIS_CLASSES_DIR: &str = {:?};\n", dir.display().to_string());
	code.push_str(
		"/// The genesis classes' Sierra (file name, contents), if the build found them.\n",
	);
	if paths.iter().all(|path| path.is_file()) {
		code.push_str("pub const GENESIS_CLASSES: Option<[(&str, &str); 4]> = Some([\n");
		for (file, path) in FILES.iter().zip(&paths) {
			writeln!(code, "\t({file:?}, include_str!({:?})),", path.display().to_string())
				.expect("writing to a string");
		}
		code.push_str("]);\n");
	} else {
		println!(
			"cargo:warning=the development genesis classes are not in {} (scripts/setup fetches \
			 them): this build cannot make development chain specs",
			dir.display()
		);
		code.push_str("pub const GENESIS_CLASSES: Option<[(&str, &str); 4]> = None;\n");
	}
	let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
	std::fs::write(out.join("genesis_classes.rs"), code).expect("OUT_DIR is writable");
}

//! Cairo Native: a Sierra class compiled through MLIR/LLVM to machine code (cairo-native's
//! `AotContractExecutor`), for blockifier's `V1Native` classes. Built with the `native` feature
//! only. A chain whose engine is `Engine::Native` executes every class of Sierra 1.7.0 or later
//! this way ([`NativeClasses::class`]); the benchmark's in-memory ceiling (`raw`) too.
//!
//! Each class is compiled once per node: the shared library is kept in memory (a bounded LRU map)
//! and on disk, under the node's native cache directory, by (class hash, compiled class hash) —
//! which fully determine it for one compiler version, part of the directory's name. A class
//! being compiled is compiled by one thread; others asking for it wait. A failure to compile is
//! the node's (`ExecError::Internal`), never a silent fall-back to the VM: the engine decides what
//! a block commits to (revert reasons), so a node must not run a class differently from its peers.
use crate::errors::{internal, rejected};
use blockifier::execution::{
	contract_class::{CompiledClassV1, RunnableCompiledClass},
	native::contract_class::NativeCompiledClassV1,
};
use cairn_primitives::starknet::exec::{ExecError, Rejection};
use cairo_lang_starknet_classes::contract_class::ContractClass as CairoClass;
use cairo_native::{executor::AotContractExecutor, OptLevel};
use schnellru::{ByLength, LruMap};
use starknet_types_core::felt::Felt;
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, LazyLock, Mutex,
	},
	time::Instant,
};

/// The optimization level classes are compiled at.
const OPT_LEVEL: OptLevel = OptLevel::Default;

/// The compiler's identity, which names the cache's directory: a compiled class is reused only
/// by the compiler that made it.
pub const COMPILER: &str = "cairo-native-0.9.0-rc.9-llvm19-O2";

/// Most compiled classes kept loaded.
const MAX_LOADED: u32 = 256;

/// Loaded classes by (class hash, compiled class hash).
static LOADED: LazyLock<Mutex<LruMap<(Felt, Felt), RunnableCompiledClass, ByLength>>> =
	LazyLock::new(|| Mutex::new(LruMap::new(ByLength::new(MAX_LOADED))));
/// One lock per class being compiled, so that it is compiled once.
static COMPILING: LazyLock<Mutex<HashMap<(Felt, Felt), Arc<Mutex<()>>>>> =
	LazyLock::new(Default::default);
/// Names temporary files uniquely within the process.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// Where compiled classes are kept on disk (`None`: in memory only, compiled again by every
/// process).
#[derive(Clone, Debug, Default)]
pub struct NativeClasses {
	dir: Option<PathBuf>,
}

impl NativeClasses {
	/// Classes cached under `root` (in the subdirectory of this compiler). Temporary files an
	/// interrupted compilation left there more than an hour ago are removed.
	pub fn on_disk(root: &Path) -> Self {
		let dir = root.join(COMPILER);
		remove_stale_temporaries(&dir);
		NativeClasses { dir: Some(dir) }
	}

	/// Classes kept in memory only.
	pub fn in_memory() -> Self {
		NativeClasses { dir: None }
	}

	/// The cache's directory, if any.
	pub fn dir(&self) -> Option<&Path> {
		self.dir.as_deref()
	}

	/// The native form of the class (`class_hash`, `compiled_class_hash`) whose CASM is `casm`:
	/// loaded, or read from disk, or compiled from its Sierra (`sierra()`, Starknet JSON-RPC's
	/// `CONTRACT_CLASS`) and stored.
	pub fn class(
		&self,
		class_hash: Felt,
		compiled_class_hash: Felt,
		casm: CompiledClassV1,
		sierra: impl FnOnce() -> Result<Vec<u8>, ExecError>,
	) -> Result<RunnableCompiledClass, ExecError> {
		let key = (class_hash, compiled_class_hash);
		if let Some(class) = loaded(&key) {
			return Ok(class);
		}
		let lock =
			COMPILING.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_default().clone();
		let _compiling = lock.lock().unwrap_or_else(|e| e.into_inner());
		let result = self.load_or_compile(key, casm, sierra);
		COMPILING.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
		result
	}

	fn load_or_compile(
		&self,
		key: (Felt, Felt),
		casm: CompiledClassV1,
		sierra: impl FnOnce() -> Result<Vec<u8>, ExecError>,
	) -> Result<RunnableCompiledClass, ExecError> {
		// Another thread may have finished it while this one waited.
		if let Some(class) = loaded(&key) {
			return Ok(class);
		}
		let path = self.dir.as_ref().map(|dir| dir.join(file_name(key)));
		let executor = match path.as_deref().map(load).transpose()?.flatten() {
			Some(executor) => {
				log::info!(
					target: "starknet",
					"⚙️  Cairo Native: class {:#x} loaded, compiled before",
					key.0
				);
				executor
			}
			None => {
				let sierra = sierra()?;
				let sierra = core::str::from_utf8(&sierra)
					.map_err(|e| internal(format!("stored Sierra is not UTF-8: {e}")))?;
				let start = Instant::now();
				let executor = match path {
					Some(path) => compile_into(sierra, &path)?,
					None => compile_executor(sierra, None)?,
				};
				log::info!(
					target: "starknet",
					"⚙️  Cairo Native: class {:#x} compiled in {} ms",
					key.0,
					start.elapsed().as_millis()
				);
				executor
			}
		};
		let class = RunnableCompiledClass::V1Native(NativeCompiledClassV1::new(executor, casm));
		LOADED.lock().unwrap_or_else(|e| e.into_inner()).insert(key, class.clone());
		Ok(class)
	}
}

/// Removes `tmp-*` files older than an hour from `dir` (a compilation killed midway leaves its
/// temporary library, lock or entry-point file; one still running is younger).
impl NativeClasses {
	/// Makes the native form of a declared class ready (loaded, or compiled and stored) before
	/// any transaction needs it, from what the pallet stores of it: its definition (CASM) and
	/// Sierra program. Classes older than Sierra 1.7.0, which never run natively, are skipped.
	/// Whether it was compiled now.
	pub fn warm(
		&self,
		class_hash: Felt,
		compiled_class_hash: Felt,
		definition: &cairn_primitives::starknet::exec::ClassDefinition,
		sierra: Vec<u8>,
	) -> Result<bool, ExecError> {
		if definition.sierra_version < (1, 7, 0)
			|| loaded(&(class_hash, compiled_class_hash)).is_some()
		{
			return Ok(false);
		}
		let RunnableCompiledClass::V1(casm) =
			crate::cache::parse_casm(definition).map_err(internal)?
		else {
			return Ok(false);
		};
		let before =
			self.dir.as_ref().map(|dir| dir.join(file_name((class_hash, compiled_class_hash))));
		let on_disk = before.is_some_and(|path| path.exists());
		self.class(class_hash, compiled_class_hash, casm, || Ok(sierra))?;
		Ok(!on_disk)
	}
}

fn remove_stale_temporaries(dir: &Path) {
	let Ok(entries) = std::fs::read_dir(dir) else { return };
	let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
	for entry in entries.flatten() {
		let stale = entry.file_name().to_string_lossy().starts_with("tmp-")
			&& entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < hour_ago);
		if stale {
			let _ = std::fs::remove_file(entry.path());
		}
	}
}

fn loaded(key: &(Felt, Felt)) -> Option<RunnableCompiledClass> {
	LOADED.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
}

/// `<class hash>-<compiled class hash>.so`.
fn file_name((class_hash, compiled_class_hash): (Felt, Felt)) -> String {
	format!("{class_hash:#066x}-{compiled_class_hash:#066x}.so")
}

/// The class stored at `path`, if it is there (its library and its entry-point file).
fn load(path: &Path) -> Result<Option<AotContractExecutor>, ExecError> {
	if !path.exists() || !path.with_extension("json").exists() {
		return Ok(None);
	}
	match AotContractExecutor::from_path(path) {
		Ok(executor) => Ok(executor),
		Err(e) => {
			// A damaged file is compiled again (and replaced).
			log::warn!(target: "starknet", "Cairo Native: cannot load {}: {e}", path.display());
			Ok(None)
		}
	}
}

/// Compiles into a temporary name beside `path`, then renames the entry-point file and the
/// library into place (in that order: a library on disk always has its entry points). Several
/// processes may compile the same class at once; the last rename wins, with the same content.
fn compile_into(sierra: &str, path: &Path) -> Result<AotContractExecutor, ExecError> {
	let dir = path.parent().ok_or_else(|| internal("the native cache path has no directory"))?;
	if let Err(e) = std::fs::create_dir_all(dir) {
		log::warn!(
			target: "starknet",
			"Cairo Native: cannot create {} ({e}); compiling in memory",
			dir.display()
		);
		return compile_executor(sierra, None);
	}
	let temporary = dir.join(format!(
		"tmp-{}-{}.so",
		std::process::id(),
		TEMPORARY.fetch_add(1, Ordering::Relaxed)
	));
	let executor = compile_executor(sierra, Some(&temporary))?;
	let renamed = std::fs::rename(temporary.with_extension("json"), path.with_extension("json"))
		.and_then(|()| std::fs::rename(&temporary, path));
	if let Err(e) = renamed {
		log::warn!(target: "starknet", "Cairo Native: cannot store {}: {e}", path.display());
		let _ = std::fs::remove_file(&temporary);
		let _ = std::fs::remove_file(temporary.with_extension("json"));
	}
	Ok(executor)
}

/// The class's executor, compiled from `sierra_json` (Starknet JSON-RPC's `CONTRACT_CLASS`)
/// into `output` (a temporary file when `None`).
fn compile_executor(
	sierra_json: &str,
	output: Option<&Path>,
) -> Result<AotContractExecutor, ExecError> {
	let invalid = |e: &dyn core::fmt::Display| rejected(Rejection::InvalidClass, e);
	let class: starknet_api::state::SierraContractClass =
		serde_json::from_str(sierra_json).map_err(|e| invalid(&e))?;
	// cairo-lang's class has the same JSON shape except the ABI, which the compiler ignores.
	let mut value = serde_json::to_value(&class).map_err(|e| invalid(&e))?;
	value["abi"] = serde_json::Value::Null;
	let class: CairoClass = serde_json::from_value(value).map_err(|e| invalid(&e))?;
	let extracted = class.extract_sierra_program(false).map_err(|e| invalid(&e))?;
	let (program, entry_points, version) =
		(&extracted.program, &class.entry_points_by_type, extracted.sierra_version);
	let compiled = match output {
		Some(output) => AotContractExecutor::new_into(
			program,
			entry_points,
			version,
			output.to_path_buf(),
			OPT_LEVEL,
			None,
		)
		.and_then(|executor| {
			executor.ok_or_else(|| {
				cairo_native::error::Error::UnexpectedValue(format!(
					"{} is locked by another compilation",
					output.display()
				))
			})
		}),
		None => AotContractExecutor::new(program, entry_points, version, OPT_LEVEL, None),
	};
	compiled.map_err(|e| internal(format!("Cairo Native could not compile the class: {e}")))
}

/// Compiles `sierra_json` (Starknet JSON-RPC's `CONTRACT_CLASS`) to native code, paired with its
/// CASM class (`casm`, which blockifier keeps for entry-point lookup and hashing); not cached
/// (the benchmark's ceiling compiles its genesis once).
pub fn compile(
	sierra_json: &str,
	casm: CompiledClassV1,
) -> Result<RunnableCompiledClass, ExecError> {
	let executor = compile_executor(sierra_json, None)?;
	Ok(RunnableCompiledClass::V1Native(NativeCompiledClassV1::new(executor, casm)))
}

//! The native Starknet executor plugged into the runtime: the host functions the wasm runtime may
//! import, and the externalities extension that answers the Starknet ones with `cairn-executor`'s
//! blockifier on every runtime call the client makes.
use cairn_primitives::{
	starknet::{
		exec::{
			CallRequest, CompileRequest, CompiledClass, Engine, ExecError, ExecMode, ExecOutcome,
			ExecRequest, TransactionTrace,
		},
		host::{NativeExecutor, StarknetExecutorExt},
		Felt,
	},
	Block, BlockNumber, Hash,
};
use std::{
	path::{Path, PathBuf},
	sync::Arc,
};

/// The host functions the runtime may call: Substrate's, the Starknet executor's (blockifier)
/// and the state commitment's.
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	cairn_primitives::starknet::host::starknet_executor::HostFunctions,
	cairn_commitment::host::starknet_commitment::HostFunctions,
);

/// The hidden subcommand the isolated Sierra compiler runs as (`cairn compile-class`).
pub const COMPILE_SUBCOMMAND: &str = "compile-class";

/// Plugs `cairn-executor`'s blockifier into the runtime's Starknet host functions
/// (`cairn_primitives::starknet::host`): an externalities extension on every runtime call.
/// Declares are compiled at admission by this same binary in a child process
/// (`cairn compile-class`) under CPU-time and memory limits; on a chain whose engine is Cairo
/// Native, classes compiled to machine code are kept in the native cache directory.
pub struct StarknetExecution(Arc<dyn NativeExecutor>);

impl StarknetExecution {
	/// The executor, compiling admitted declares in a child of the running binary and keeping
	/// native classes under `native_cache` ([`default_native_cache`] when `None`); timing every
	/// execution into `registry`'s `cairn_starknet_execution_seconds` when there is one.
	pub fn new(
		native_cache: Option<&Path>,
		registry: Option<&substrate_prometheus_endpoint::Registry>,
	) -> Self {
		let isolation = std::env::current_exe()
			.map_err(|e| log::warn!("Sierra compiler not isolated (no path to this binary: {e})"))
			.ok()
			.map(|exe| cairn_executor::Isolation::new(exe, vec![COMPILE_SUBCOMMAND.into()]));
		#[cfg(feature = "native")]
		let native = match native_cache.map(Path::to_path_buf).or_else(default_native_cache) {
			Some(dir) => cairn_executor::native::NativeClasses::on_disk(&dir),
			None => cairn_executor::native::NativeClasses::in_memory(),
		};
		#[cfg(not(feature = "native"))]
		let _ = native_cache;
		let blockifier = Arc::new(cairn_executor::Blockifier {
			isolation,
			#[cfg(feature = "native")]
			native,
		});
		match registry.map(Timed::register) {
			Some(Ok(seconds)) => StarknetExecution(Arc::new(Timed { inner: blockifier, seconds })),
			Some(Err(e)) => {
				log::warn!("cairn_starknet_execution_seconds not registered: {e}");
				StarknetExecution(blockifier)
			}
			None => StarknetExecution(blockifier),
		}
	}
}

/// An executor timing each transaction it executes: `cairn_starknet_execution_seconds{mode,
/// engine}`, `mode` being why (`block`: building or importing a block, `pool`: admission,
/// `query`: estimates and simulations) and `engine` what ran the classes (`vm`, `native`).
struct Timed {
	inner: Arc<cairn_executor::Blockifier>,
	seconds: substrate_prometheus_endpoint::HistogramVec,
}

impl Timed {
	fn register(
		registry: &substrate_prometheus_endpoint::Registry,
	) -> Result<
		substrate_prometheus_endpoint::HistogramVec,
		substrate_prometheus_endpoint::PrometheusError,
	> {
		use substrate_prometheus_endpoint::{exponential_buckets, HistogramOpts, HistogramVec};
		let opts = HistogramOpts::new(
			"cairn_starknet_execution_seconds",
			"Time to execute one Starknet transaction, by mode and engine",
		)
		.buckets(exponential_buckets(0.000_1, 2.5, 14)?);
		substrate_prometheus_endpoint::register(
			HistogramVec::new(opts, &["mode", "engine"])?,
			registry,
		)
	}

	fn timed<R>(&self, mode: ExecMode, engine: Engine, run: impl FnOnce() -> R) -> R {
		let start = std::time::Instant::now();
		let result = run();
		let mode = match mode {
			ExecMode::Block => "block",
			ExecMode::Pool => "pool",
			ExecMode::Query { .. } => "query",
		};
		let engine = match engine {
			Engine::Vm => "vm",
			Engine::Native => "native",
		};
		self.seconds.with_label_values(&[mode, engine]).observe(start.elapsed().as_secs_f64());
		result
	}
}

impl NativeExecutor for Timed {
	fn execute(
		&self,
		ext: &mut dyn sp_externalities::Externalities,
		request: ExecRequest,
		engine: Engine,
	) -> Result<ExecOutcome, ExecError> {
		self.timed(request.mode, engine, || self.inner.execute(ext, request, engine))
	}

	fn execute_traced(
		&self,
		ext: &mut dyn sp_externalities::Externalities,
		request: ExecRequest,
		engine: Engine,
	) -> Result<(ExecOutcome, TransactionTrace), ExecError> {
		self.inner.execute_traced(ext, request, engine)
	}

	fn call(
		&self,
		ext: &mut dyn sp_externalities::Externalities,
		request: CallRequest,
		engine: Engine,
	) -> Result<Vec<Felt>, ExecError> {
		self.inner.call(ext, request, engine)
	}

	fn compile_class(&self, sierra_json: &[u8]) -> Result<CompiledClass, ExecError> {
		self.inner.compile_class(sierra_json)
	}

	fn compile_class_checked(
		&self,
		sierra_json: &[u8],
		request: CompileRequest,
	) -> Result<CompiledClass, ExecError> {
		self.inner.compile_class_checked(sierra_json, request)
	}
}

/// Where classes compiled by Cairo Native are kept unless `--native-cache-dir` says otherwise:
/// `$XDG_CACHE_HOME/cairn/native-classes`, else `~/.cache/cairn/native-classes` — shared by the
/// chains and runs of one user (a class's machine code depends only on its hashes and the
/// compiler, whose version names a subdirectory), so a `--dev` chain restarted does not compile
/// its classes again.
pub fn default_native_cache() -> Option<PathBuf> {
	let cache = std::env::var_os("XDG_CACHE_HOME")
		.map(PathBuf::from)
		.or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
	Some(cache.join("cairn").join("native-classes"))
}

impl sc_client_api::execution_extensions::ExtensionsFactory<Block> for StarknetExecution {
	fn extensions_for(
		&self,
		_block_hash: Hash,
		_block_number: BlockNumber,
	) -> sp_externalities::Extensions {
		let mut extensions = sp_externalities::Extensions::new();
		extensions.register(StarknetExecutorExt::new(self.0.clone()));
		extensions
	}
}

/// Says at start which engine the chain runs (at the best block) and where native classes are
/// kept, and on a native chain makes its declared classes ready in the background
/// ([`warm_native_classes`]); refuses to start a node built without Cairo Native on a chain that
/// runs it (every one of its Starknet transactions would fail).
pub fn announce_engine(
	client: &Arc<super::FullClient>,
	native_cache: Option<&Path>,
) -> Result<(), super::ServiceError> {
	use cairn_primitives::starknet::{exec::Engine, storage};
	use codec::Decode;
	use sc_client_api::{HeaderBackend, StorageProvider};
	let at = client.info().best_hash;
	let key = sp_core::storage::StorageKey(storage::value_key(storage::CHAIN_ENGINE));
	let engine = client
		.storage(at, &key)
		.map_err(|e| super::ServiceError::Other(format!("reading the chain's engine: {e}")))?
		.map(|data| Engine::decode(&mut &data.0[..]))
		.transpose()
		.map_err(|e| super::ServiceError::Other(format!("the chain's engine: {e}")))?
		.unwrap_or_default();
	match engine {
		Engine::Vm => log::info!("⚙️  Starknet engine: the Cairo VM"),
		Engine::Native if cfg!(feature = "native") => {
			let dir = native_cache.map(Path::to_path_buf).or_else(default_native_cache);
			log::info!(
				"⚙️  Starknet engine: Cairo Native (classes compiled once, kept in {})",
				dir.as_ref().map_or("memory".into(), |dir| dir.display().to_string())
			);
			#[cfg(feature = "native")]
			warm_native_classes(client.clone(), dir);
		}
		Engine::Native => {
			return Err(super::ServiceError::Other(
				"this chain's engine is Cairo Native, and this node was built without it (the \
				 `native` feature of cairn-node): build with the default features"
					.into(),
			))
		}
	}
	Ok(())
}

/// Compiles (or loads from the cache) every class declared at the best block that Cairo Native
/// runs, on a thread of its own, so that the first transactions do not wait for the compilation
/// of the genesis classes (the STRK token alone takes seconds). A transaction that needs a class
/// meanwhile waits for the same compilation (one per class). Classes declared later are compiled
/// at their first execution.
#[cfg(feature = "native")]
fn warm_native_classes(client: Arc<super::FullClient>, dir: Option<PathBuf>) {
	use cairn_primitives::starknet::{exec::ClassDefinition, storage, Felt};
	use codec::Decode;
	use sc_client_api::{HeaderBackend, StorageProvider};
	use sp_core::storage::StorageKey;
	let classes = match &dir {
		Some(dir) => cairn_executor::native::NativeClasses::on_disk(dir),
		None => cairn_executor::native::NativeClasses::in_memory(),
	};
	let warm = move || -> Result<(usize, usize), String> {
		let at = client.info().best_hash;
		let read = |key: Vec<u8>| -> Result<Option<Vec<u8>>, String> {
			Ok(client.storage(at, &StorageKey(key)).map_err(|e| e.to_string())?.map(|d| d.0))
		};
		let prefix = StorageKey(storage::value_key(storage::COMPILED_CLASS_HASHES));
		let keys = client.storage_keys(at, Some(&prefix), None).map_err(|e| e.to_string())?;
		let (mut ready, mut compiled) = (0, 0);
		for key in keys {
			// prefix (32 bytes), then Blake2_128Concat of the class hash: 16 bytes of hash, the
			// SCALE class hash itself.
			let Some(mut encoded) = key.0.get(48..) else { continue };
			let class_hash = Felt::decode(&mut encoded).map_err(|e| e.to_string())?;
			let decode = |bytes: Option<Vec<u8>>, what: &str| {
				bytes.ok_or_else(|| format!("class {class_hash:?} has no {what}"))
			};
			let compiled_class_hash =
				Felt::decode(&mut &decode(read(key.0.clone())?, "compiled class hash")?[..])
					.map_err(|e| e.to_string())?;
			let definition = ClassDefinition::decode(
				&mut &decode(
					read(storage::map_key(storage::CLASS_DEFINITIONS, &class_hash))?,
					"definition",
				)?[..],
			)
			.map_err(|e| e.to_string())?;
			if definition.sierra_version < (1, 7, 0) {
				continue;
			}
			let sierra = Vec::<u8>::decode(
				&mut &decode(
					read(storage::map_key(storage::SIERRA_CLASSES, &class_hash))?,
					"Sierra",
				)?[..],
			)
			.map_err(|e| e.to_string())?;
			let fresh = classes
				.warm(class_hash.0, compiled_class_hash.0, &definition, sierra)
				.map_err(|e| format!("class {class_hash:?}: {e:?}"))?;
			ready += 1;
			compiled += usize::from(fresh);
		}
		Ok((ready, compiled))
	};
	let spawned = std::thread::Builder::new()
		.name("native-warm-up".into())
		// The compiler recurses over large programs; a thread of its own with room for it.
		.stack_size(64 << 20)
		.spawn(move || {
			let start = std::time::Instant::now();
			match warm() {
				Ok((ready, compiled)) => log::info!(
					"⚙️  Cairo Native: {ready} declared classes ready ({compiled} compiled now) in {} ms",
					start.elapsed().as_millis()
				),
				Err(e) => log::warn!("Cairo Native: preparing the declared classes failed: {e}"),
			}
		});
	if let Err(e) = spawned {
		log::warn!("Cairo Native: no thread to prepare the declared classes: {e}");
	}
}

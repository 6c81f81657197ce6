//! Process-wide caches of immutable things. Each is keyed by what fully determines the value, so a
//! cached entry can never be stale: a parsed class by (class hash, compiled class hash), a
//! compiled Sierra class by the hash of its JSON bytes (and, for the checked compile, of the
//! request), a declared class's class info by the hash of its definition, a block context by its
//! encoded DTO, a
//! transaction hash by the hash of (chain id, query flag, encoded transaction). Each is a bounded
//! LRU map (`schnellru`): when full, the least recently used entry makes room.
use crate::context::build_block_context;
use blockifier::{
	execution::contract_class::{CompiledClassV1, RunnableCompiledClass},
	state::{errors::StateError, state_api::StateResult},
};
use cairn_primitives::starknet::exec::{BlockContext, ClassDefinition, CompiledClass, ExecError};
use codec::Encode;
use schnellru::{ByLength, LruMap};
use starknet_api::contract_class::{ClassInfo, SierraVersion};
use starknet_types_core::felt::Felt;
use std::{
	hash::Hash,
	sync::{Arc, LazyLock, Mutex},
};

/// Most parsed classes kept.
const MAX_CLASSES: u32 = 256;
/// Most compiled Sierra classes kept, per host function version (compilation takes hundreds of
/// milliseconds); version 2 keeps refusals too.
const MAX_COMPILED: u32 = 64;
/// Most declared classes' parsed class infos kept (one per declare in flight).
const MAX_CLASS_INFOS: u32 = 64;
/// Most block contexts kept (one per block and chain configuration).
const MAX_CONTEXTS: u32 = 8;
/// Most transaction hashes kept: a transaction is hashed when submitted over RPC, when the pool
/// validates it and when a block executes it; with this cache, once.
const MAX_TX_HASHES: u32 = 65_536;

/// A bounded least-recently-used map behind a lock.
struct Bounded<K, V> {
	map: Mutex<LruMap<K, V, ByLength>>,
}

impl<K: Eq + Hash, V: Clone> Bounded<K, V> {
	fn new(max: u32) -> Self {
		Bounded { map: Mutex::new(LruMap::new(ByLength::new(max))) }
	}

	fn get_or_try<E>(&self, key: K, make: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
		if let Some(value) = self.map.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
			return Ok(value.clone());
		}
		// Made outside the lock: two threads may both make it, both get the same value.
		let value = make()?;
		self.map.lock().unwrap_or_else(|e| e.into_inner()).insert(key, value.clone());
		Ok(value)
	}
}

static CLASSES: LazyLock<Bounded<(Felt, Felt), RunnableCompiledClass>> =
	LazyLock::new(|| Bounded::new(MAX_CLASSES));
static COMPILED: LazyLock<Bounded<[u8; 32], CompiledClass>> =
	LazyLock::new(|| Bounded::new(MAX_COMPILED));
static CHECKED: LazyLock<Bounded<[u8; 32], Result<CompiledClass, ExecError>>> =
	LazyLock::new(|| Bounded::new(MAX_COMPILED));
static REFUSED_AT_ADMISSION: LazyLock<Bounded<[u8; 32], ExecError>> =
	LazyLock::new(|| Bounded::new(MAX_COMPILED));
static CLASS_INFOS: LazyLock<Bounded<[u8; 32], ClassInfo>> =
	LazyLock::new(|| Bounded::new(MAX_CLASS_INFOS));
static CONTEXTS: LazyLock<Bounded<Vec<u8>, Arc<blockifier::context::BlockContext>>> =
	LazyLock::new(|| Bounded::new(MAX_CONTEXTS));
static TX_HASHES: LazyLock<Bounded<[u8; 32], cairn_primitives::starknet::Felt>> =
	LazyLock::new(|| Bounded::new(MAX_TX_HASHES));

/// The runnable class for (class hash, compiled class hash), parsed by `load` on a miss.
pub fn runnable_class(
	class_hash: Felt,
	compiled_class_hash: Felt,
	load: impl FnOnce() -> StateResult<RunnableCompiledClass>,
) -> StateResult<RunnableCompiledClass> {
	CLASSES.get_or_try((class_hash, compiled_class_hash), load)
}

/// A stored class definition, parsed for execution.
pub fn parse_casm(definition: &ClassDefinition) -> StateResult<RunnableCompiledClass> {
	let (major, minor, patch) = definition.sierra_version;
	let casm = core::str::from_utf8(&definition.casm)
		.map_err(|e| StateError::StateReadError(format!("stored CASM is not UTF-8: {e}")))?;
	let class =
		CompiledClassV1::try_from_json_string(casm, SierraVersion::new(major, minor, patch))
			.map_err(StateError::ProgramError)?;
	Ok(RunnableCompiledClass::V1(class))
}

/// The compiled form of a Sierra class, compiled by `compile` on a miss.
pub fn compiled_sierra(
	sierra_json: &[u8],
	compile: impl FnOnce(&[u8]) -> Result<CompiledClass, ExecError>,
) -> Result<CompiledClass, ExecError> {
	COMPILED.get_or_try(sp_core::hashing::blake2_256(sierra_json), || compile(sierra_json))
}

/// What compiling a declared class concluded.
pub enum Verdict {
	/// The class's own verdict (compiled, or refused by the validity limits or the compiler):
	/// the same on every node, so it serves blocks and admission alike.
	Class(Result<CompiledClass, ExecError>),
	/// Refused at admission by this machine's limits on the isolated compiler: never a block's
	/// verdict (another node may import the class), so it serves admission only.
	AdmissionLimit(ExecError),
}

/// The verdict on a declared class (`key`: its bytes, class hash and limits, encoded), made by
/// `make` on a miss; `admission` also sees refusals by the isolated compiler's limits. Both kinds
/// are kept, so a hostile class costs one compile; `make`'s own `Err` (a node-side failure) is
/// not kept.
pub fn checked_compile(
	key: &[u8],
	admission: bool,
	make: impl FnOnce() -> Result<Verdict, ExecError>,
) -> Result<CompiledClass, ExecError> {
	let key = sp_core::hashing::blake2_256(key);
	if admission {
		let refused =
			REFUSED_AT_ADMISSION.map.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
		if let Some(refusal) = refused {
			return Err(refusal);
		}
	}
	let known = CHECKED.map.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
	if let Some(verdict) = known {
		return verdict;
	}
	match make()? {
		Verdict::Class(verdict) => {
			CHECKED.map.lock().unwrap_or_else(|e| e.into_inner()).insert(key, verdict.clone());
			verdict
		}
		Verdict::AdmissionLimit(refusal) => {
			REFUSED_AT_ADMISSION
				.map
				.lock()
				.unwrap_or_else(|e| e.into_inner())
				.insert(key, refusal.clone());
			Err(refusal)
		}
	}
}

/// What blockifier needs of a class being declared, for its definition's SCALE encoding `key`
/// (CASM, Sierra version and lengths: all it depends on), parsed by `parse` on a miss.
pub fn class_info(
	key: &[u8],
	parse: impl FnOnce() -> Result<ClassInfo, ExecError>,
) -> Result<ClassInfo, ExecError> {
	CLASS_INFOS.get_or_try(sp_core::hashing::blake2_256(key), parse)
}

/// The blockifier block context for a context DTO.
pub fn block_context(
	context: &BlockContext,
) -> Result<Arc<blockifier::context::BlockContext>, ExecError> {
	CONTEXTS.get_or_try(context.encode(), || build_block_context(context).map(Arc::new))
}

/// The Starknet hash of a transaction, computed by `compute` on a miss. `key` is everything the
/// hash depends on (chain id, query flag, the transaction's SCALE encoding).
pub fn transaction_hash<E>(
	key: &[u8],
	compute: impl FnOnce() -> Result<cairn_primitives::starknet::Felt, E>,
) -> Result<cairn_primitives::starknet::Felt, E> {
	TX_HASHES.get_or_try(sp_core::hashing::blake2_256(key), compute)
}

//! The Starknet executor's host functions: the runtime (wasm) calls them, the node answers them
//! natively. This crate only declares them: the implementation (blockifier, the Sierra compiler)
//! is `cairn-executor`'s, plugged in as the externalities extension [`StarknetExecutorExt`] the way
//! `sp-keystore` plugs in a keystore. The node registers it on every path that executes the
//! runtime (block building and import, pool validation, runtime API calls, `state_call`, the
//! subcommands), and tests register it on their externalities. Without it the host functions
//! answer [`ExecError::Internal`].
//!
//! # Versioning, and what a node upgrade means for them
//! Every function here is exported as `ext_starknet_executor_<name>_version_<N>`, and a runtime
//! imports exactly the versions it was built against. Old blocks are re-executed (sync, import,
//! traces) with the runtime that authored them, so **a version's semantics are frozen once a
//! node has shipped it**: a node release that changes what execution computes (a new blockifier,
//! new cairo-lang, a changed outcome layout) adds `#[version(N + 1)]` beside the old one and keeps
//! version N computing exactly what it did. A runtime upgrade then moves the chain to the new
//! version at a block boundary. What the runtime passes in (the Starknet version whose versioned
//! constants apply, gas prices, chain id, fee tokens) is runtime policy and changes with a
//! forkless upgrade alone.
//!
//! Versions so far: `execute`, `execute_traced` and `call` version 1 run every class on the
//! Cairo VM; version 2 takes the chain's [`Engine`] (Cairo Native for Sierra ≥ 1.7 classes when
//! the chain says so). `compile_class` version 2 adds the class-hash check and the limits.
//!
//! The host never writes state: it reads pallet storage through the externalities (including the
//! current block's earlier writes) and returns an [`ExecOutcome`] whose state diff the pallet
//! applies. The storage layout stays the pallet's (see [`super::storage`]).
use super::{
	exec::{
		CallRequest, CompileRequest, CompiledClass, Engine, ExecError, ExecOutcome, ExecRequest,
		TransactionTrace,
	},
	Felt,
};
use alloc::vec::Vec;
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndDecode, PassFatPointerAndRead},
	runtime_interface,
};

/// What a native Starknet executor does for the host functions (`cairn-executor` implements it).
/// `ext` is the externalities of the runtime call: the state to execute against (read-only);
/// `engine` what runs the classes' code (version 1 of the host functions: always the VM).
#[cfg(not(substrate_runtime))]
pub trait NativeExecutor: Send + Sync {
	/// [`starknet_executor::execute`].
	fn execute(
		&self,
		ext: &mut dyn sp_externalities::Externalities,
		request: ExecRequest,
		engine: Engine,
	) -> Result<ExecOutcome, ExecError>;

	/// [`starknet_executor::execute_traced`].
	fn execute_traced(
		&self,
		ext: &mut dyn sp_externalities::Externalities,
		request: ExecRequest,
		engine: Engine,
	) -> Result<(ExecOutcome, TransactionTrace), ExecError>;

	/// [`starknet_executor::call`].
	fn call(
		&self,
		ext: &mut dyn sp_externalities::Externalities,
		request: CallRequest,
		engine: Engine,
	) -> Result<Vec<Felt>, ExecError>;

	/// [`starknet_executor::compile_class`], version 1: no limits.
	fn compile_class(&self, sierra_json: &[u8]) -> Result<CompiledClass, ExecError>;

	/// [`starknet_executor::compile_class`], version 2: the class hash checked first, then the
	/// limits, then compiled (in an isolated process when `request.isolated` and the node has
	/// one); refusals are remembered too.
	fn compile_class_checked(
		&self,
		sierra_json: &[u8],
		request: CompileRequest,
	) -> Result<CompiledClass, ExecError>;
}

#[cfg(not(substrate_runtime))]
sp_externalities::decl_extension! {
	/// The native Starknet executor, as an externalities extension: what the host functions run.
	pub struct StarknetExecutorExt(std::sync::Arc<dyn NativeExecutor>);
}

#[cfg(not(substrate_runtime))]
impl StarknetExecutorExt {
	/// The extension over `executor`.
	pub fn new(executor: std::sync::Arc<dyn NativeExecutor>) -> Self {
		StarknetExecutorExt(executor)
	}
}

/// The executor registered on `ext` (cloned out, so `ext` is free to be read by it).
#[cfg(not(substrate_runtime))]
fn executor(
	mut ext: &mut dyn sp_externalities::Externalities,
) -> Result<std::sync::Arc<dyn NativeExecutor>, ExecError> {
	use sp_externalities::ExternalitiesExt;
	ext.extension::<StarknetExecutorExt>().map(|ext| ext.0.clone()).ok_or_else(|| {
		ExecError::Internal(
			b"no Starknet executor is registered on this node's externalities \
			  (StarknetExecutorExt)"
				.to_vec(),
		)
	})
}

/// Starknet execution, natively.
#[runtime_interface]
pub trait StarknetExecutor {
	/// Execute one transaction against the current state (read-only) and return its outcome:
	/// receipt data and the state diff to apply. `Err(Rejected)` means Starknet refuses the
	/// transaction: it must not enter a block.
	fn execute(
		&mut self,
		request: PassFatPointerAndDecode<ExecRequest>,
	) -> AllocateAndReturnByCodec<Result<ExecOutcome, ExecError>> {
		executor(*self)?.execute(*self, request, Engine::Vm)
	}

	/// [`Self::execute`] with the chain's [`Engine`] running the classes' code.
	#[version(2)]
	fn execute(
		&mut self,
		request: PassFatPointerAndDecode<ExecRequest>,
		engine: PassFatPointerAndDecode<Engine>,
	) -> AllocateAndReturnByCodec<Result<ExecOutcome, ExecError>> {
		executor(*self)?.execute(*self, request, engine)
	}

	/// [`Self::execute`], also returning the transaction's call trees (for traces; the outcome
	/// is the same).
	fn execute_traced(
		&mut self,
		request: PassFatPointerAndDecode<ExecRequest>,
	) -> AllocateAndReturnByCodec<Result<(ExecOutcome, TransactionTrace), ExecError>> {
		executor(*self)?.execute_traced(*self, request, Engine::Vm)
	}

	/// [`Self::execute_traced`] with the chain's [`Engine`].
	#[version(2)]
	fn execute_traced(
		&mut self,
		request: PassFatPointerAndDecode<ExecRequest>,
		engine: PassFatPointerAndDecode<Engine>,
	) -> AllocateAndReturnByCodec<Result<(ExecOutcome, TransactionTrace), ExecError>> {
		executor(*self)?.execute_traced(*self, request, engine)
	}

	/// Call a contract's entry point against the current state, read-only; its return data.
	/// `Rejected(ContractNotFound | EntryPointNotFound | ExecutionFailed, reason)` on failure.
	fn call(
		&mut self,
		request: PassFatPointerAndDecode<CallRequest>,
	) -> AllocateAndReturnByCodec<Result<Vec<Felt>, ExecError>> {
		executor(*self)?.call(*self, request, Engine::Vm)
	}

	/// [`Self::call`] with the chain's [`Engine`].
	#[version(2)]
	fn call(
		&mut self,
		request: PassFatPointerAndDecode<CallRequest>,
		engine: PassFatPointerAndDecode<Engine>,
	) -> AllocateAndReturnByCodec<Result<Vec<Felt>, ExecError>> {
		executor(*self)?.call(*self, request, engine)
	}

	/// Compile a Sierra class (JSON, as Starknet JSON-RPC carries it) to CASM, and hash both.
	/// Pure; results are cached by the class's bytes. (It takes the externalities only to find
	/// the executor: the host function's signature, name and version are unchanged.)
	fn compile_class(
		&mut self,
		sierra_json: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<CompiledClass, ExecError>> {
		executor(*self)?.compile_class(sierra_json)
	}

	/// Compile a declared class under `request`'s checks: its class hash (before compiling),
	/// the chain's [`super::exec::ClassLimits`] (sizes, allowed libfuncs; validity limits, the
	/// same on every node) and, at admission (`isolated`), the node's CPU-time and memory limits
	/// on the compiler. `Rejected(ClassHashMismatch | ClassTooLarge | InvalidClass)` otherwise.
	/// Results, refusals included, are cached by (bytes, request).
	#[version(2)]
	fn compile_class(
		&mut self,
		sierra_json: PassFatPointerAndRead<&[u8]>,
		request: PassFatPointerAndDecode<CompileRequest>,
	) -> AllocateAndReturnByCodec<Result<CompiledClass, ExecError>> {
		executor(*self)?.compile_class_checked(sierra_json, request)
	}
}

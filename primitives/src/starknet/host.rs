//! The Starknet executor's host functions: the runtime (wasm) calls them, the node implements them
//! natively with blockifier (module `executor`, native builds only).
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
//! The host never writes state: it reads pallet storage through the externalities (including the
//! current block's earlier writes) and returns an [`ExecOutcome`] whose state diff the pallet
//! applies. The storage layout stays the pallet's (see [`super::storage`]).
use super::{
	exec::{CallRequest, CompiledClass, ExecError, ExecOutcome, ExecRequest, TransactionTrace},
	Felt,
};
use alloc::vec::Vec;
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndDecode, PassFatPointerAndRead},
	runtime_interface,
};

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
		crate::starknet::executor::execute(*self, request)
	}

	/// [`Self::execute`], also returning the transaction's call trees (for traces; the outcome
	/// is the same).
	fn execute_traced(
		&mut self,
		request: PassFatPointerAndDecode<ExecRequest>,
	) -> AllocateAndReturnByCodec<Result<(ExecOutcome, TransactionTrace), ExecError>> {
		crate::starknet::executor::execute_traced(*self, request)
	}

	/// Call a contract's entry point against the current state, read-only; its return data.
	/// `Rejected(ContractNotFound | EntryPointNotFound | ExecutionFailed, reason)` on failure.
	fn call(
		&mut self,
		request: PassFatPointerAndDecode<CallRequest>,
	) -> AllocateAndReturnByCodec<Result<Vec<Felt>, ExecError>> {
		crate::starknet::executor::call(*self, request)
	}

	/// Compile a Sierra class (JSON, as Starknet JSON-RPC carries it) to CASM, and hash both.
	/// Pure; results are cached by the class's bytes.
	fn compile_class(
		sierra_json: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<CompiledClass, ExecError>> {
		crate::starknet::executor::compile_class(sierra_json)
	}
}

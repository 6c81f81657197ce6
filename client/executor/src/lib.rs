//! # cairn-executor
//!
//! Starknet execution on the node, natively: StarkWare's blockifier (over the Cairo VM) and the
//! pinned Sierra compiler, answering the runtime's host functions through the externalities
//! extension [`extension`] returns (the interface is `cairn_primitives::starknet::host`). It owns
//! everything that needs blockifier or `starknet_api`: conversions and hashing ([`convert`]),
//! signing for tools and tests ([`signing`]), the development genesis ([`dev_genesis`]) and the
//! benchmark's in-memory executor ([`raw`]), which can also run classes compiled by Cairo Native
//! (`native`, with the `native` feature).
//!
//! One transaction's path through this crate: [`Blockifier`] (the host functions' entry, panics
//! caught) → `execute` (request → blockifier transaction, executed or validated; outcome) over
//! `state::PalletState` (pallet storage read through the externalities) in a block context from
//! `context`, with blockifier's errors mapped by `errors`; `call`, `trace` and `compile` serve
//! the other host functions, and `cache` keeps what is immutable.
mod admission;
mod cache;
mod call;
mod compile;
mod context;
pub mod convert;
pub mod dev_genesis;
mod errors;
mod execute;
#[cfg(feature = "native")]
pub mod native;
pub mod raw;
pub mod signing;
pub mod stack;
mod state;
mod trace;

pub use compile::{compile_class, compile_class_checked, serve_isolated_compile, Isolation};
pub use convert::{transaction_hash, ConversionError, TransactionExt};

use cairn_primitives::starknet::{
	exec::{
		CallRequest, CompileRequest, CompiledClass, Engine, ExecError, ExecOutcome, ExecRequest,
		TransactionTrace,
	},
	host::{NativeExecutor, StarknetExecutorExt},
	Felt,
};
use sp_externalities::Externalities;
use std::{panic::AssertUnwindSafe, sync::Arc};

/// blockifier behind the host functions: what [`extension`] registers. With an [`Isolation`],
/// declares are compiled at admission in a child process under its limits; with the `native`
/// feature, classes compiled by Cairo Native are kept where `native` says.
#[derive(Clone, Debug, Default)]
pub struct Blockifier {
	pub isolation: Option<Isolation>,
	/// Where Cairo Native keeps compiled classes (in memory only by default).
	#[cfg(feature = "native")]
	pub native: native::NativeClasses,
}

impl Blockifier {
	fn engines(&self, engine: Engine) -> state::Engines<'_> {
		state::Engines {
			engine,
			#[cfg(feature = "native")]
			classes: &self.native,
			_lifetime: core::marker::PhantomData,
		}
	}
}

/// Runs `f`, on the thread's native stack ([`stack`]) when `engine` is native: native code
/// recurses on the machine stack, as deep as a transaction's gas lets Cairo recursion go; the
/// VM's does not.
fn on_stack<R>(engine: Engine, f: impl FnOnce() -> R) -> R {
	match engine {
		Engine::Vm => f(),
		Engine::Native => stack::on_native_stack(f),
	}
}

impl NativeExecutor for Blockifier {
	fn execute(
		&self,
		ext: &mut dyn Externalities,
		request: ExecRequest,
		engine: Engine,
	) -> Result<ExecOutcome, ExecError> {
		let engines = self.engines(engine);
		guarded(|| {
			on_stack(engine, || {
				execute::execute_unguarded(ext, request, false, engines).map(|(outcome, _)| outcome)
			})
		})
	}

	fn execute_traced(
		&self,
		ext: &mut dyn Externalities,
		request: ExecRequest,
		engine: Engine,
	) -> Result<(ExecOutcome, TransactionTrace), ExecError> {
		let engines = self.engines(engine);
		guarded(|| on_stack(engine, || execute::execute_unguarded(ext, request, true, engines)))
	}

	fn call(
		&self,
		ext: &mut dyn Externalities,
		request: CallRequest,
		engine: Engine,
	) -> Result<Vec<Felt>, ExecError> {
		let engines = self.engines(engine);
		guarded(|| on_stack(engine, || call::call_unguarded(ext, request, engines)))
	}

	fn compile_class(&self, sierra_json: &[u8]) -> Result<CompiledClass, ExecError> {
		compile_class(sierra_json)
	}

	fn compile_class_checked(
		&self,
		sierra_json: &[u8],
		request: CompileRequest,
	) -> Result<CompiledClass, ExecError> {
		compile_class_checked(sierra_json, request, self.isolation.as_ref())
	}
}

/// The externalities extension that makes the runtime's Starknet host functions run
/// [`Blockifier`]: the node registers it for every runtime call (its extensions factory), tests
/// on their externalities (`TestExternalities::register_extension`).
pub fn extension() -> StarknetExecutorExt {
	extension_of(Blockifier::default())
}

/// [`extension`] over a configured [`Blockifier`].
pub fn extension_of(executor: Blockifier) -> StarknetExecutorExt {
	StarknetExecutorExt::new(Arc::new(executor))
}

/// Runs `f`, turning a panic into [`ExecError::Internal`] instead of killing the node (Substrate's
/// panic hook aborts the process unless told to unwind).
fn guarded<R>(f: impl FnOnce() -> Result<R, ExecError>) -> Result<R, ExecError> {
	let _unwind = sp_panic_handler::AbortGuard::force_unwind();
	std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
		Err(errors::internal(format!("the executor panicked: {}", panic_message(&*panic))))
	})
}

/// The text of a caught panic's payload.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
	panic
		.downcast_ref::<&str>()
		.map(|s| s.to_string())
		.or_else(|| panic.downcast_ref::<String>().cloned())
		.unwrap_or_else(|| "unknown panic".into())
}

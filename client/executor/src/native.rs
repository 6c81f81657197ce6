//! Cairo Native: a Sierra class compiled through MLIR/LLVM to machine code (cairo-native's
//! `AotContractExecutor`), for blockifier's `V1Native` classes. Built with the `native` feature
//! only; today the benchmark's in-process ceiling (`raw`) uses it, the chain does not (the engine
//! will be a chain-wide setting: pallets/starknet/DESIGN-NOTES.md, "Cairo Native").
use crate::errors::{internal, rejected};
use blockifier::execution::{
	contract_class::{CompiledClassV1, RunnableCompiledClass},
	native::contract_class::NativeCompiledClassV1,
};
use cairn_primitives::starknet::exec::{ExecError, Rejection};
use cairo_lang_starknet_classes::contract_class::ContractClass as CairoClass;
use cairo_native::{executor::AotContractExecutor, OptLevel};

/// The stack a thread executing native code gets: native code recurses on the real stack, so
/// blockifier runs it on threads this large (its `TransactionExecutor` uses 60 MiB).
pub const STACK_BYTES: usize = 60 << 20;

/// Compiles `sierra_json` (Starknet JSON-RPC's `CONTRACT_CLASS`) to native code, paired with its
/// CASM class (`casm`, which blockifier keeps for entry-point lookup and hashing).
pub fn compile(
	sierra_json: &str,
	casm: CompiledClassV1,
) -> Result<RunnableCompiledClass, ExecError> {
	let invalid = |e: &dyn core::fmt::Display| rejected(Rejection::InvalidClass, e);
	let class: starknet_api::state::SierraContractClass =
		serde_json::from_str(sierra_json).map_err(|e| invalid(&e))?;
	// cairo-lang's class has the same JSON shape except the ABI, which the compiler ignores.
	let mut value = serde_json::to_value(&class).map_err(|e| invalid(&e))?;
	value["abi"] = serde_json::Value::Null;
	let cairo_class: CairoClass = serde_json::from_value(value).map_err(|e| invalid(&e))?;
	let extracted = cairo_class.extract_sierra_program(false).map_err(|e| invalid(&e))?;
	let executor = AotContractExecutor::new(
		&extracted.program,
		&cairo_class.entry_points_by_type,
		extracted.sierra_version,
		OptLevel::Default,
		None,
	)
	.map_err(internal)?;
	Ok(RunnableCompiledClass::V1Native(NativeCompiledClassV1::new(executor, casm)))
}

//! Sierra compiled to CASM by the pinned cairo-lang compiler, and both hashed: what a declare
//! carries must match what this node compiles.
use crate::{
	cache,
	errors::{internal, rejected},
	guarded,
};
use cairn_primitives::starknet::{
	exec::{ClassDefinition, CompiledClass, ExecError, Rejection},
	Felt,
};
use starknet_api::contract_class::SierraVersion;

/// Compiles a Sierra class (JSON, as Starknet JSON-RPC carries it) to CASM and hashes both;
/// remembered by the class's bytes.
pub fn compile_class(sierra_json: &[u8]) -> Result<CompiledClass, ExecError> {
	guarded(|| cache::compiled_sierra(sierra_json, compile_unguarded))
}

/// Sierra JSON (Starknet JSON-RPC's `CONTRACT_CLASS`: program as hex felts, ABI as a string) →
/// class hash, CASM and compiled class hash.
fn compile_unguarded(sierra_json: &[u8]) -> Result<CompiledClass, ExecError> {
	use cairo_lang_starknet_classes::{
		casm_contract_class::CasmContractClass, contract_class::ContractClass as CairoClass,
	};
	let invalid = |e: &dyn core::fmt::Display| rejected(Rejection::InvalidClass, e);
	let class: starknet_api::state::SierraContractClass =
		serde_json::from_slice(sierra_json).map_err(|e| invalid(&e))?;
	let class_hash = class.calculate_class_hash();
	let sierra_version =
		SierraVersion::extract_from_program(&class.sierra_program).map_err(|e| invalid(&e))?;
	// cairo-lang's class has the same JSON shape except the ABI, which the compiler ignores.
	let mut value = serde_json::to_value(&class).map_err(|e| invalid(&e))?;
	value["abi"] = serde_json::Value::Null;
	let cairo_class: CairoClass = serde_json::from_value(value).map_err(|e| invalid(&e))?;
	let extracted = cairo_class.extract_sierra_program(false).map_err(|e| invalid(&e))?;
	let casm = CasmContractClass::from_contract_class(cairo_class, extracted, false, usize::MAX)
		.map_err(|e| invalid(&e))?;
	let compiled_class_hash = Felt(casm.compiled_class_hash());
	let casm = serde_json::to_vec(&casm).map_err(internal)?;
	Ok(CompiledClass {
		class_hash: Felt(class_hash.0),
		compiled_class_hash,
		definition: ClassDefinition {
			casm,
			sierra_version: (sierra_version.major, sierra_version.minor, sierra_version.patch),
			sierra_program_length: class.sierra_program.len() as u64,
			abi_length: class.abi.len() as u64,
		},
	})
}

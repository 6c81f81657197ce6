//! Classes: `CONTRACT_CLASS` (Sierra, `starknet_getClass`/`getClassAt`) and
//! `CASM_COMPILED_CONTRACT_CLASS` (`starknet_getCompiledCasm`).
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// `SIERRA_ENTRY_POINT`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SierraEntryPoint {
	/// The entry point's selector.
	pub selector: Felt,
	/// The index of its function in the program.
	pub function_idx: u64,
}

/// A class's entry points, by kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryPointsByType<E> {
	/// Constructors.
	#[serde(rename = "CONSTRUCTOR")]
	pub constructor: Vec<E>,
	/// External entry points.
	#[serde(rename = "EXTERNAL")]
	pub external: Vec<E>,
	/// L1 handlers.
	#[serde(rename = "L1_HANDLER")]
	pub l1_handler: Vec<E>,
}

/// `CONTRACT_CLASS`: a Sierra class as declared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractClass {
	/// The Sierra program.
	pub sierra_program: Vec<Felt>,
	/// The class version (`0.1.0`).
	pub contract_class_version: String,
	/// The entry points.
	pub entry_points_by_type: EntryPointsByType<SierraEntryPoint>,
	/// The ABI, as the declarer supplied it.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub abi: Option<String>,
}

/// `CASM_ENTRY_POINT`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasmEntryPoint {
	/// The offset of its first instruction in the bytecode.
	pub offset: u64,
	/// The entry point's selector.
	pub selector: Felt,
	/// The builtins it uses.
	pub builtins: Vec<String>,
}

/// The segment lengths of the bytecode (each segment is hashed on its own), nested as
/// cairo-lang writes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NestedIntList {
	/// A segment's length.
	Leaf(u64),
	/// A list of segments.
	Node(Vec<NestedIntList>),
}

/// A `HINT` as cairo-lang writes it, with negative immediates written as felts (the spec's
/// `NUM_AS_HEX` has no sign). Kept as JSON: the spec's hint union has dozens of kinds the node
/// only passes on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hint(pub serde_json::Value);

/// The hints at one program counter: `[pc, [HINT, …]]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CasmHints(pub u64, pub Vec<Hint>);

/// `CASM_COMPILED_CONTRACT_CLASS`: the CASM the node compiled a class to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CasmClass {
	/// The entry points.
	pub entry_points_by_type: EntryPointsByType<CasmEntryPoint>,
	/// The bytecode.
	pub bytecode: Vec<Felt>,
	/// `NUM_AS_HEX`: the field prime (not itself a felt).
	pub prime: String,
	/// The compiler's version.
	pub compiler_version: String,
	/// The hints, by program counter.
	pub hints: Vec<CasmHints>,
	/// The bytecode's segment lengths.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub bytecode_segment_lengths: Option<NestedIntList>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn sierra_class_round_trips() {
		let json = json!({
			"sierra_program": ["0x1", "0x2"],
			"contract_class_version": "0.1.0",
			"entry_points_by_type": {
				"CONSTRUCTOR": [{ "selector": "0x28ffe4ff0f226a9107253e17a904099aa4f63a02a5621de0576e5aa71bc5194", "function_idx": 1 }],
				"EXTERNAL": [],
				"L1_HANDLER": [],
			},
			"abi": "[]",
		});
		let class: ContractClass = serde_json::from_value(json.clone()).unwrap();
		assert_eq!(serde_json::to_value(&class).unwrap(), json);
	}

	#[test]
	fn casm_class_round_trips() {
		// cairo-lang's JSON, less `pythonic_hints` (not in the spec: dropped).
		let json = json!({
			"prime": "0x800000000000011000000000000000000000000000000000000000000000001",
			"compiler_version": "2.21.0",
			"bytecode": ["0xa0680017fff8000", "0x7"],
			"bytecode_segment_lengths": [2, [1, 1]],
			"hints": [[0, [{ "TestLessThanOrEqual": {
				"lhs": { "Immediate": "0x0" },
				"rhs": { "Deref": { "register": "FP", "offset": -6 } },
				"dst": { "register": "AP", "offset": 0 },
			} }]]],
			"entry_points_by_type": {
				"EXTERNAL": [{ "selector": "0x1", "offset": 0, "builtins": ["range_check"] }],
				"L1_HANDLER": [],
				"CONSTRUCTOR": [],
			},
		});
		let mut with_pythonic = json.clone();
		with_pythonic["pythonic_hints"] = json!([[0, ["memory[ap + 0] = 0 <= memory[fp + -6]"]]]);
		let casm: CasmClass = serde_json::from_value(with_pythonic).unwrap();
		assert_eq!(serde_json::to_value(&casm).unwrap(), json);
	}
}

//! `FUNCTION_CALL`: `starknet_call`'s request.
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// `FUNCTION_CALL`: an entry point of a contract, with its calldata.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FunctionCall {
	/// The contract.
	pub contract_address: Felt,
	/// The entry point's selector.
	pub entry_point_selector: Felt,
	/// The calldata.
	pub calldata: Vec<Felt>,
}

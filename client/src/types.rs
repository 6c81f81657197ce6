//! The Starknet JSON-RPC shapes Cairn reads and writes, and the spec's errors.
use cairn_primitives::starknet::{
	exec::GasVector, DataAvailabilityMode, Felt, InvokeTransactionV3, ResourceBounds,
	ValidResourceBounds,
};
use jsonrpsee::types::ErrorObjectOwned;
use serde::{Deserialize, Serialize};

/// `BLOCK_ID`: a tag, a block number or a block hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockId {
	/// The newest block.
	Latest,
	/// The block being built (`pre_confirmed`): the next block number, nothing executed in it
	/// yet (Cairn executes transactions when it seals a block); its state is the newest block's.
	PreConfirmed,
	/// `l1_accepted`: Cairn has no L1; its finalized block stands for it.
	L1Accepted,
	Number(u64),
	Hash(Felt),
}

impl<'de> Deserialize<'de> for BlockId {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		#[derive(Deserialize)]
		#[serde(untagged)]
		enum Raw {
			Tag(String),
			Number { block_number: u64 },
			Hash { block_hash: Felt },
		}
		match Raw::deserialize(deserializer)? {
			Raw::Tag(tag) => match tag.as_str() {
				"latest" => Ok(BlockId::Latest),
				"pre_confirmed" => Ok(BlockId::PreConfirmed),
				"l1_accepted" => Ok(BlockId::L1Accepted),
				other => Err(serde::de::Error::custom(format!(
					"unknown block tag `{other}` (expected latest, pre_confirmed or l1_accepted)"
				))),
			},
			Raw::Number { block_number } => Ok(BlockId::Number(block_number)),
			Raw::Hash { block_hash } => Ok(BlockId::Hash(block_hash)),
		}
	}
}

/// `FUNCTION_CALL`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FunctionCall {
	pub contract_address: Felt,
	pub entry_point_selector: Felt,
	pub calldata: Vec<Felt>,
}

/// `starknet_getEvents`' parameter: `EVENT_FILTER` and `RESULT_PAGE_REQUEST` in one object.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsRequest {
	#[serde(default)]
	pub from_block: Option<BlockId>,
	#[serde(default)]
	pub to_block: Option<BlockId>,
	#[serde(default)]
	pub address: Option<Addresses>,
	#[serde(default)]
	pub keys: Option<Vec<Vec<Felt>>>,
	#[serde(default)]
	pub continuation_token: Option<String>,
	pub chunk_size: u64,
}

/// One address or a list of them.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Addresses {
	One(Felt),
	Many(Vec<Felt>),
}

impl Addresses {
	/// Whether `address` is one of them.
	pub fn contains(&self, address: &Felt) -> bool {
		match self {
			Addresses::One(one) => one == address,
			Addresses::Many(many) => many.contains(address),
		}
	}
}

/// `MSG_FROM_L1`.
#[derive(Clone, Debug, Deserialize)]
pub struct MessageFromL1 {
	/// An Ethereum address (`0x` and up to 40 hex digits).
	pub from_address: String,
	pub to_address: Felt,
	pub entry_point_selector: Felt,
	pub payload: Vec<Felt>,
}

/// Answer of `starknet_addInvokeTransaction`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddInvokeResult {
	pub transaction_hash: Felt,
}

/// Answer of `starknet_addDeclareTransaction`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddDeclareResult {
	pub transaction_hash: Felt,
	pub class_hash: Felt,
}

/// Answer of `starknet_addDeployAccountTransaction`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddDeployAccountResult {
	pub transaction_hash: Felt,
	pub contract_address: Felt,
}

/// An unsigned integer written as the spec writes `u64`/`u128`: `0x`-prefixed hex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hex(pub u128);

impl Serialize for Hex {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(&format_args!("{:#x}", self.0))
	}
}

impl<'de> Deserialize<'de> for Hex {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = String::deserialize(deserializer)?;
		let digits = text
			.strip_prefix("0x")
			.ok_or_else(|| serde::de::Error::custom("expected 0x-prefixed hex"))?;
		u128::from_str_radix(digits, 16).map(Hex).map_err(serde::de::Error::custom)
	}
}

/// `FEE_ESTIMATE`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FeeEstimate {
	pub l1_gas_consumed: Hex,
	pub l1_gas_price: Hex,
	pub l2_gas_consumed: Hex,
	pub l2_gas_price: Hex,
	pub l1_data_gas_consumed: Hex,
	pub l1_data_gas_price: Hex,
	pub overall_fee: Hex,
	/// Always `FRI`: only V3 transactions exist.
	pub unit: String,
}

impl FeeEstimate {
	/// The estimate of `gas` at `(l1, l1_data, l2)` prices in `unit`, with the spec's
	/// `overall_fee = Σ consumed × price`.
	pub fn new(gas: GasVector, (l1, l1_data, l2): (u128, u128, u128), unit: &str) -> Self {
		let cost = |amount: u64, price: u128| u128::from(amount).saturating_mul(price);
		let overall_fee = cost(gas.l1_gas, l1)
			.saturating_add(cost(gas.l1_data_gas, l1_data))
			.saturating_add(cost(gas.l2_gas, l2));
		FeeEstimate {
			l1_gas_consumed: Hex(gas.l1_gas.into()),
			l1_gas_price: Hex(l1),
			l2_gas_consumed: Hex(gas.l2_gas.into()),
			l2_gas_price: Hex(l2),
			l1_data_gas_consumed: Hex(gas.l1_data_gas.into()),
			l1_data_gas_price: Hex(l1_data),
			overall_fee: Hex(overall_fee),
			unit: unit.into(),
		}
	}
}

/// The spec's errors (code and message exactly as in the spec files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StarknetError {
	ContractNotFound,
	EntryPointNotFound,
	StorageProofNotSupported,
	BlockNotFound,
	/// CONTRACT_ERROR, with the revert reason.
	ContractError(String),
	ClassHashNotFound,
	TxnHashNotFound,
	InvalidTxnIndex,
	PageSizeTooBig,
	InvalidContinuationToken,
	TooManyKeysInFilter,
	ClassAlreadyDeclared,
	InvalidTransactionNonce(String),
	InsufficientResourcesForValidate,
	InsufficientAccountBalance,
	ValidationFailure(String),
	CompilationFailed(String),
	NonAccount,
	DuplicateTx,
	CompiledClassHashMismatch,
	UnsupportedTxVersion,
	UnexpectedError(String),
	ReplacementTransactionUnderpriced,
	/// TRANSACTION_EXECUTION_ERROR: the `index`-th transaction of a request failed.
	TransactionExecutionError {
		index: usize,
		error: String,
	},
	/// NO_TRACE_AVAILABLE: the transaction is known but not executed yet (`RECEIVED`).
	NoTraceAvailable,
	/// Not a spec error: malformed parameters (JSON-RPC's own -32602).
	InvalidParams(String),
}

impl From<StarknetError> for ErrorObjectOwned {
	fn from(error: StarknetError) -> Self {
		use StarknetError as E;
		if let E::ContractError(reason) = error {
			let data = serde_json::json!({ "revert_error": reason });
			return ErrorObjectOwned::owned(40, "Contract error", Some(data));
		}
		if let E::TransactionExecutionError { index, error } = error {
			let data = serde_json::json!({ "transaction_index": index, "execution_error": error });
			return ErrorObjectOwned::owned(41, "Transaction execution error", Some(data));
		}
		if let E::NoTraceAvailable = error {
			let data = serde_json::json!({ "status": "RECEIVED" });
			return ErrorObjectOwned::owned(10, "No trace available for transaction", Some(data));
		}
		let (code, message, data): (i32, &str, Option<String>) = match error {
			E::TransactionExecutionError { .. } | E::ContractError(_) | E::NoTraceAvailable =>
				unreachable!("handled above"),
			E::StorageProofNotSupported => (
				42,
				"the node doesn't support storage proofs for blocks that are too far in the past",
				None,
			),
			E::EntryPointNotFound => (21, "Requested entry point does not exist in the contract", None),
			E::ContractNotFound => (20, "Contract not found", None),
			E::BlockNotFound => (24, "Block not found", None),
			E::ClassHashNotFound => (28, "Class hash not found", None),
			E::TxnHashNotFound => (29, "Transaction hash not found", None),
			E::InvalidTxnIndex => (27, "Invalid transaction index in a block", None),
			E::PageSizeTooBig => (31, "Requested page size is too big", None),
			E::InvalidContinuationToken =>
				(33, "The supplied continuation token is invalid or unknown", None),
			E::TooManyKeysInFilter => (34, "Too many keys provided in a filter", None),
			E::ClassAlreadyDeclared => (51, "Class already declared", None),
			E::InvalidTransactionNonce(data) => (52, "Invalid transaction nonce", Some(data)),
			E::InsufficientResourcesForValidate => (
				53,
				"The transaction's resources don't cover validation or the minimal transaction fee",
				None,
			),
			E::InsufficientAccountBalance => (
				54,
				"Account balance is smaller than the transaction's maximal fee (calculated as the sum of each resource's limit x max price)",
				None,
			),
			E::ValidationFailure(data) => (55, "Account validation failed", Some(data)),
			E::CompilationFailed(data) => (56, "Compilation failed", Some(data)),
			E::NonAccount => (58, "Sender address is not an account contract", None),
			E::DuplicateTx =>
				(59, "A transaction with the same hash already exists in the mempool", None),
			E::CompiledClassHashMismatch => (
				60,
				"the compiled class hash did not match the one supplied in the transaction",
				None,
			),
			E::UnsupportedTxVersion => (61, "the transaction version is not supported", None),
			E::UnexpectedError(data) => (63, "An unexpected error occurred", Some(data)),
			E::ReplacementTransactionUnderpriced =>
				(64, "Replacement transaction is underpriced", None),
			E::InvalidParams(data) => (-32602, "Invalid params", Some(data)),
		};
		ErrorObjectOwned::owned(code, message, data)
	}
}

/// The spec's `RESOURCE_BOUNDS_MAPPING` of V3 resource bounds.
pub fn resource_bounds_json(bounds: &ValidResourceBounds) -> serde_json::Value {
	let (l1_gas, l2_gas, l1_data_gas) = match *bounds {
		ValidResourceBounds::AllResources { l1_gas, l2_gas, l1_data_gas } => {
			(l1_gas, l2_gas, l1_data_gas)
		}
		ValidResourceBounds::L1Gas(l1_gas) => {
			let zero = ResourceBounds { max_amount: 0, max_price_per_unit: 0 };
			(l1_gas, zero, zero)
		}
	};
	let bounds = |b: ResourceBounds| {
		serde_json::json!({
			"max_amount": format!("{:#x}", b.max_amount),
			"max_price_per_unit": format!("{:#x}", b.max_price_per_unit),
		})
	};
	serde_json::json!({
		"l1_gas": bounds(l1_gas),
		"l1_data_gas": bounds(l1_data_gas),
		"l2_gas": bounds(l2_gas),
	})
}

/// The spec's `DA_MODE`.
pub fn da_mode(mode: DataAvailabilityMode) -> &'static str {
	match mode {
		DataAvailabilityMode::L1 => "L1",
		DataAvailabilityMode::L2 => "L2",
	}
}

/// The spec's `BROADCASTED_INVOKE_TXN` of a V3 invoke: what a wallet sends to
/// `starknet_addInvokeTransaction`.
pub fn invoke_json(tx: &InvokeTransactionV3) -> serde_json::Value {
	serde_json::json!({
		"type": "INVOKE",
		"version": "0x3",
		"sender_address": tx.sender_address,
		"calldata": tx.calldata,
		"signature": tx.signature,
		"nonce": tx.nonce,
		"resource_bounds": resource_bounds_json(&tx.resource_bounds),
		"tip": format!("{:#x}", tx.tip),
		"paymaster_data": tx.paymaster_data,
		"account_deployment_data": tx.account_deployment_data,
		"nonce_data_availability_mode": da_mode(tx.nonce_data_availability_mode),
		"fee_data_availability_mode": da_mode(tx.fee_data_availability_mode),
	})
}

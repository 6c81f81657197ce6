//! The spec's errors: [`StarknetError`], and the JSON-RPC error object each one is (code,
//! message and data exactly as in the spec files).
use jsonrpsee::types::ErrorObjectOwned;

/// The spec's errors (code and message exactly as in the spec files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StarknetError {
	/// 20 CONTRACT_NOT_FOUND.
	ContractNotFound,
	/// 21 ENTRYPOINT_NOT_FOUND.
	EntryPointNotFound,
	/// 42 STORAGE_PROOF_NOT_SUPPORTED.
	StorageProofNotSupported,
	/// 24 BLOCK_NOT_FOUND.
	BlockNotFound,
	/// 40 CONTRACT_ERROR, with the revert reason.
	ContractError(String),
	/// 28 CLASS_HASH_NOT_FOUND.
	ClassHashNotFound,
	/// 29 TXN_HASH_NOT_FOUND.
	TxnHashNotFound,
	/// 27 INVALID_TXN_INDEX.
	InvalidTxnIndex,
	/// 31 PAGE_SIZE_TOO_BIG.
	PageSizeTooBig,
	/// 33 INVALID_CONTINUATION_TOKEN.
	InvalidContinuationToken,
	/// 34 TOO_MANY_KEYS_IN_FILTER.
	TooManyKeysInFilter,
	/// 51 CLASS_ALREADY_DECLARED.
	ClassAlreadyDeclared,
	/// 52 INVALID_TRANSACTION_NONCE, with why.
	InvalidTransactionNonce(String),
	/// 53 INSUFFICIENT_RESOURCES_FOR_VALIDATE.
	InsufficientResourcesForValidate,
	/// 54 INSUFFICIENT_ACCOUNT_BALANCE.
	InsufficientAccountBalance,
	/// 55 VALIDATION_FAILURE, with why.
	ValidationFailure(String),
	/// 56 COMPILATION_FAILED, with why.
	CompilationFailed(String),
	/// 57 CONTRACT_CLASS_SIZE_IS_TOO_LARGE.
	ContractClassSizeIsTooLarge,
	/// 58 NON_ACCOUNT.
	NonAccount,
	/// 59 DUPLICATE_TX.
	DuplicateTx,
	/// 60 COMPILED_CLASS_HASH_MISMATCH.
	CompiledClassHashMismatch,
	/// 61 UNSUPPORTED_TX_VERSION.
	UnsupportedTxVersion,
	/// 63 UNEXPECTED_ERROR, with what happened.
	UnexpectedError(String),
	/// 64 REPLACEMENT_TRANSACTION_UNDERPRICED.
	ReplacementTransactionUnderpriced,
	/// 41 TRANSACTION_EXECUTION_ERROR: the `index`-th transaction of a request failed.
	TransactionExecutionError {
		/// Its position in the request.
		index: usize,
		/// Why it failed.
		error: String,
	},
	/// 10 NO_TRACE_AVAILABLE: the transaction is known but not executed yet (`RECEIVED`).
	NoTraceAvailable,
	/// Not a spec error: malformed parameters (JSON-RPC's own -32602).
	InvalidParams(String),
	/// Not a spec error: the request is beyond one of the node's RPC limits (-32005, "Limit
	/// exceeded", as Ethereum nodes answer), with which and its flag.
	LimitExceeded(String),
	/// 66 (WebSocket API): no open subscription of this connection has the id.
	InvalidSubscriptionId,
	/// 67 (WebSocket API): a sender address filter longer than the node takes.
	TooManyAddressesInFilter,
	/// 68 (WebSocket API): a subscription starting more than 1,024 blocks back.
	TooManyBlocksBack,
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
			E::ContractClassSizeIsTooLarge => (57, "Contract class size is too large", None),
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
			E::LimitExceeded(data) => (-32005, "Limit exceeded", Some(data)),
			E::InvalidSubscriptionId => (66, "Invalid subscription id", None),
			E::TooManyAddressesInFilter =>
				(67, "Too many addresses in filter sender_address filter", None),
			E::TooManyBlocksBack => (68, "Cannot go back more than 1024 blocks", None),
		};
		ErrorObjectOwned::owned(code, message, data)
	}
}

#[cfg(test)]
mod tests {
	use super::StarknetError;
	use jsonrpsee::types::ErrorObjectOwned;
	use serde_json::{json, Value};

	fn object(error: StarknetError) -> Value {
		serde_json::to_value(ErrorObjectOwned::from(error)).unwrap()
	}

	#[test]
	fn codes_messages_and_data() {
		assert_eq!(
			object(StarknetError::BlockNotFound),
			json!({ "code": 24, "message": "Block not found" })
		);
		assert_eq!(
			object(StarknetError::ContractError("boom".into())),
			json!({ "code": 40, "message": "Contract error", "data": { "revert_error": "boom" } })
		);
		assert_eq!(
			object(StarknetError::TransactionExecutionError { index: 2, error: "no".into() }),
			json!({
				"code": 41,
				"message": "Transaction execution error",
				"data": { "transaction_index": 2, "execution_error": "no" },
			})
		);
		assert_eq!(
			object(StarknetError::NoTraceAvailable),
			json!({
				"code": 10,
				"message": "No trace available for transaction",
				"data": { "status": "RECEIVED" },
			})
		);
		assert_eq!(
			object(StarknetError::ValidationFailure("bad signature".into())),
			json!({ "code": 55, "message": "Account validation failed", "data": "bad signature" })
		);
		assert_eq!(
			object(StarknetError::InvalidParams("chunk_size".into())),
			json!({ "code": -32602, "message": "Invalid params", "data": "chunk_size" })
		);
	}
}

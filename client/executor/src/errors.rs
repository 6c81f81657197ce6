//! blockifier's errors as Cairn's: a [`Rejection`] (Starknet refuses the transaction; it never
//! enters a block) or [`ExecError::Internal`] (the node could not execute; never the
//! transaction's fault).
use blockifier::{
	blockifier::stateful_validator::StatefulValidatorError,
	state::errors::StateError,
	transaction::errors::{
		TransactionExecutionError, TransactionFeeError, TransactionPreValidationError,
	},
};
use cairn_primitives::starknet::exec::{ExecError, Rejection};

/// A node-side failure.
pub(crate) fn internal(message: impl core::fmt::Display) -> ExecError {
	ExecError::Internal(message.to_string().into_bytes())
}

/// Starknet refuses the transaction, for `message`.
pub(crate) fn rejected(rejection: Rejection, message: impl core::fmt::Display) -> ExecError {
	ExecError::Rejected(rejection, message.to_string().into_bytes())
}

/// An error of execution in a block (or of a query).
pub(crate) fn reject_execution(error: TransactionExecutionError) -> ExecError {
	use TransactionExecutionError as E;
	let rejection = match &error {
		E::TransactionPreValidationError(e) => return reject_pre_validation(e, &error),
		E::TransactionFeeError(e) => fee_rejection(e),
		E::DeclareTransactionError { .. } => Rejection::ClassAlreadyDeclared,
		E::ValidateTransactionError { .. }
		| E::PanicInValidate { .. }
		| E::InvalidValidateReturnData { .. }
		| E::ValidateCairo0Error(_) => Rejection::ValidationFailure,
		E::StateError(StateError::UndeclaredClassHash(_)) => Rejection::ClassNotDeclared,
		E::StateError(_) => return internal(&error),
		E::ContractConstructorExecutionFailed(_) if is_undeclared(&error) => {
			Rejection::ClassNotDeclared
		}
		E::ContractConstructorExecutionFailed(_) | E::ExecutionError { .. } => {
			Rejection::ExecutionFailed
		}
		E::StarknetApiError(_) | E::InvalidVersion { .. } | E::TryFromIntError(_) => {
			Rejection::Malformed
		}
		E::ContractClassVersionMismatch { .. } | E::ProgramError(_) => Rejection::InvalidClass,
		_ => Rejection::ExecutionFailed,
	};
	rejected(rejection, &error)
}

fn is_undeclared(error: &TransactionExecutionError) -> bool {
	let message = error.to_string();
	message.contains("is not declared") || message.contains("UndeclaredClassHash")
}

fn reject_pre_validation(
	error: &TransactionPreValidationError,
	whole: &dyn core::fmt::Display,
) -> ExecError {
	let rejection = match error {
		TransactionPreValidationError::InvalidNonce { .. } => Rejection::InvalidNonce,
		TransactionPreValidationError::TransactionFeeError(e) => fee_rejection(e),
		TransactionPreValidationError::InvalidProofFacts(_) => Rejection::Malformed,
		TransactionPreValidationError::StateError(StateError::UndeclaredClassHash(_)) => {
			Rejection::ClassNotDeclared
		}
		TransactionPreValidationError::StateError(_) => return internal(whole),
	};
	rejected(rejection, whole)
}

fn fee_rejection(error: &TransactionFeeError) -> Rejection {
	use TransactionFeeError as F;
	match error {
		F::GasBoundsExceedBalance { .. }
		| F::ResourcesBoundsExceedBalance { .. }
		| F::MaxFeeExceedsBalance { .. } => Rejection::InsufficientBalance,
		F::InsufficientResourceBounds { .. } | F::MaxFeeTooLow { .. } | F::MissingL1GasBounds => {
			Rejection::InsufficientResourceBounds
		}
		_ => Rejection::ExecutionFailed,
	}
}

/// An error of pool admission (blockifier's stateful validator).
pub(crate) fn reject_validation(error: StatefulValidatorError) -> ExecError {
	use blockifier::blockifier::transaction_executor::TransactionExecutorError as X;
	match error {
		StatefulValidatorError::TransactionExecutionError(e) => reject_execution(e),
		StatefulValidatorError::TransactionPreValidationError(ref e) => {
			reject_pre_validation(e, &error)
		}
		StatefulValidatorError::TransactionExecutorError(X::TransactionExecutionError(e)) => {
			reject_execution(e)
		}
		StatefulValidatorError::StateError(StateError::UndeclaredClassHash(_)) => {
			rejected(Rejection::ContractNotFound, &error)
		}
		other => internal(&other),
	}
}

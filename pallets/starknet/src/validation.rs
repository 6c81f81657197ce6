//! Admission of Starknet transactions: what the pool asks (`validate_unsigned`: the account's
//! `__validate__` and the checks before execution, tagged by (sender, nonce)) and what block
//! building asks (`pre_dispatch`: the whole execution, whose outcome the dispatch then commits,
//! see [`crate::apply`]). A transaction Starknet refuses is invalid here and never enters a block.
use crate::{pallet::*, Call, Config};
use cairn_primitives::starknet::{
	exec::{
		ClassDefinition, ExecError, ExecMode, ExecOutcome, ExecRequest, Rejection, EXECUTOR_FAILURE,
	},
	host::starknet_executor,
	DeclareTransactionV3, Felt, Transaction,
};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionLongevity, TransactionValidity, TransactionValidityError,
	ValidTransaction,
};

impl<T: Config> Pallet<T> {
	/// `validate_unsigned`: executes `call`'s transaction in pool mode and tags it by
	/// (sender, nonce), requiring the previous nonce when it is ahead of the account's.
	pub(crate) fn validate(call: &Call<T>) -> TransactionValidity {
		let (tx, class) = Self::transaction_of(call)?;
		let outcome = Self::run(&tx, class, ExecMode::Pool)?;
		let sender = match (tx.sender(), outcome.contract_address) {
			(Some(sender), _) | (None, Some(sender)) => sender,
			(None, None) => Felt::ZERO,
		};
		let nonce = tx.nonce();
		let account_nonce = Nonces::<T>::get(sender).unwrap_or_default();
		let mut valid = ValidTransaction::with_tag_prefix("Starknet")
			.priority(tx.tip())
			.and_provides((sender, nonce))
			.longevity(TransactionLongevity::from(64u64))
			.propagate(true);
		if let Some(previous) = nonce.prev().filter(|_| nonce > account_nonce) {
			valid = valid.and_requires((sender, previous));
		}
		valid.build()
	}

	/// `pre_dispatch`: executes `call`'s transaction as the block does and leaves the outcome in
	/// [`Pending`] for the dispatch.
	pub(crate) fn admit_to_block(call: &Call<T>) -> Result<(), TransactionValidityError> {
		let (tx, class) = Self::transaction_of(call)?;
		let outcome = Self::run(&tx, class, ExecMode::Block)?;
		Pending::<T>::put(outcome);
		Ok(())
	}

	/// The Starknet transaction in an unsigned call, and for a declare the compiled class
	/// (checked against the hashes the transaction declares).
	pub(crate) fn transaction_of(
		call: &Call<T>,
	) -> Result<(Transaction, Option<ClassDefinition>), TransactionValidityError> {
		match call {
			Call::invoke { transaction } => Ok((Transaction::Invoke(transaction.clone()), None)),
			Call::deploy_account { transaction } => {
				Ok((Transaction::DeployAccount(transaction.clone()), None))
			}
			Call::declare { transaction, contract_class } => {
				let definition =
					Self::compile(transaction, contract_class).map_err(|e| invalid(e, None))?;
				Ok((Transaction::Declare(transaction.clone()), Some(definition)))
			}
			_ => Err(InvalidTransaction::Call.into()),
		}
	}

	/// Compile a declared class and check the declared hashes against it.
	pub(crate) fn compile(
		transaction: &DeclareTransactionV3,
		contract_class: &[u8],
	) -> Result<ClassDefinition, ExecError> {
		let compiled = starknet_executor::compile_class(contract_class)?;
		if compiled.class_hash != transaction.class_hash {
			return Err(ExecError::Rejected(
				Rejection::ClassHashMismatch,
				alloc::format!(
					"the class hashes to {:?}, the transaction declares {:?}",
					compiled.class_hash,
					transaction.class_hash
				)
				.into_bytes(),
			));
		}
		if compiled.compiled_class_hash != transaction.compiled_class_hash {
			return Err(ExecError::Rejected(
				Rejection::CompiledClassHashMismatch,
				alloc::format!(
					"the class compiles to compiled class hash {:?}, the transaction declares {:?}",
					compiled.compiled_class_hash,
					transaction.compiled_class_hash
				)
				.into_bytes(),
			));
		}
		Ok(compiled.definition)
	}

	/// Execute for the pool or for a block, as a transaction-validity result.
	pub(crate) fn run(
		tx: &Transaction,
		class: Option<ClassDefinition>,
		mode: ExecMode,
	) -> Result<ExecOutcome, TransactionValidityError> {
		let request = ExecRequest {
			context: Self::block_context(),
			mode,
			tx: tx.clone(),
			class,
			paid_fee_on_l1: 0,
		};
		Self::execute(request).map_err(|e| {
			let nonce_is_future =
				tx.nonce() > Nonces::<T>::get(tx.sender().unwrap_or_default()).unwrap_or_default();
			invalid(e, Some(nonce_is_future))
		})
	}
}

/// The pool's view of an execution error: `Stale`/`Future` for a nonce, otherwise the
/// rejection's pool code ([`Rejection::pool_code`]) or [`EXECUTOR_FAILURE`].
pub(crate) fn invalid(error: ExecError, nonce_is_future: Option<bool>) -> TransactionValidityError {
	match error {
		ExecError::Rejected(Rejection::InvalidNonce, _) if nonce_is_future == Some(true) => {
			InvalidTransaction::Future.into()
		}
		ExecError::Rejected(Rejection::InvalidNonce, _) => InvalidTransaction::Stale.into(),
		ExecError::Rejected(rejection, _) => {
			InvalidTransaction::Custom(rejection.pool_code()).into()
		}
		ExecError::Internal(_) => InvalidTransaction::Custom(EXECUTOR_FAILURE).into(),
	}
}

//! Admission of Starknet transactions: what the pool asks (`validate_unsigned`: the account's
//! `__validate__` and the checks before execution, tagged by (sender, nonce)) and what block
//! building asks (`pre_dispatch`: the whole execution, whose outcome the dispatch then commits,
//! see [`crate::apply`]). A transaction Starknet refuses is invalid here and never enters a block.
//!
//! Before anything runs, [`Pallet::precheck`] applies the chain's policy, cheapest first and the
//! same in the pool and in a block (so a block that includes a transaction the pool would refuse
//! does not import): sizes, the fee floor (every resource's price at least the block's), the gas
//! bound against one block's capacity, and for a declare everything that can be checked without
//! the compiler (class size, already declared, sender deployed, nonce, balance). Only then is a
//! class compiled, at admission in the node's isolated compiler. `pre_dispatch` also keeps the
//! block within its capacity ([`crate::capacity`]).
use crate::{
	capacity::executed_l2_gas_bound, pallet::*, weights, BlockTotals, Call, Config, WeightInfo,
};
use cairn_primitives::starknet::{
	exec::{
		CallRequest, ClassDefinition, ClassLimits, CompileRequest, ExecError, ExecMode,
		ExecOutcome, ExecRequest, LibfuncList, Rejection, EXECUTOR_FAILURE,
	},
	host::starknet_executor,
	DeclareTransactionV3, Felt, Transaction,
};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionLongevity, TransactionValidity, TransactionValidityError,
	ValidTransaction,
};

/// Most calldata felts a transaction carries (Starknet's gateway limit).
pub const MAX_CALLDATA_FELTS: usize = 5_000;
/// Most signature felts a transaction carries (Starknet's gateway limit).
pub const MAX_SIGNATURE_FELTS: usize = 4_000;
/// What a declared class may be: Starknet's size limits, and the audited libfuncs (the genesis
/// classes use only those with the pinned compiler: checked by a test).
pub const CLASS_LIMITS: ClassLimits =
	ClassLimits { libfuncs: LibfuncList::Audited, ..ClassLimits::STARKNET };
/// `balanceOf` (the fee token's entry point): `sn_keccak("balanceOf")`.
const BALANCE_OF: Felt =
	Felt::from_hex_const("0x2e4263afad30923c891518314c3c95dbe830a16874e8abc5777a9a20b54c76e");

fn refuse(rejection: Rejection, message: alloc::string::String) -> ExecError {
	ExecError::Rejected(rejection, message.into_bytes())
}

impl<T: Config> Pallet<T> {
	/// `validate_unsigned`: executes `call`'s transaction in pool mode and tags it by
	/// (sender, nonce), requiring the previous nonce when it is ahead of the account's.
	pub(crate) fn validate(call: &Call<T>) -> TransactionValidity {
		let (tx, class) = Self::transaction_of(call, true)?;
		let outcome = Self::run(&tx, class, ExecMode::Pool)?;
		let sender = match (tx.sender(), outcome.contract_address) {
			(Some(sender), _) | (None, Some(sender)) => sender,
			(None, None) => Felt::ZERO,
		};
		let nonce = tx.nonce();
		let account_nonce = Nonces::<T>::get(sender).unwrap_or_default();
		let mut valid = ValidTransaction::with_tag_prefix("Starknet")
			.priority(Self::priority(&tx))
			.and_provides((sender, nonce))
			.longevity(TransactionLongevity::from(64u64))
			.propagate(true);
		if let Some(previous) = nonce.prev().filter(|_| nonce > account_nonce) {
			valid = valid.and_requires((sender, previous));
		}
		valid.build()
	}

	/// The pool's order: by tip, and at equal tips invokes and deploy_accounts before declares.
	/// A declare may take a whole block's L2 gas (its validation may use up to
	/// [`weights::VALIDATE_MAX_L2_GAS`]), so declares queued ahead would otherwise hold back
	/// every small transaction behind them, one block each.
	fn priority(tx: &Transaction) -> u64 {
		let not_declare = u64::from(!matches!(tx, Transaction::Declare(_)));
		tx.tip().saturating_mul(2).saturating_add(not_declare)
	}

	/// `pre_dispatch`: executes `call`'s transaction as the block does and leaves the outcome in
	/// [`Pending`] for the dispatch.
	///
	/// This is also where the block's capacity is enforced ([`crate::capacity`]): the
	/// transaction's L2 gas bound must fit in what the block has left before it executes, and
	/// what it used must fit after; otherwise it waits for the next block
	/// (`ExhaustsResources`), or is refused if it would not fit even an empty one.
	pub(crate) fn admit_to_block(call: &Call<T>) -> Result<(), TransactionValidityError> {
		// The room first, from the bounds alone: a block that is full skips a declare without
		// decoding or looking up its class.
		let capacity = Capacity::<T>::get();
		let totals = Totals::<T>::get();
		let bound = match call {
			Call::invoke { transaction } => Transaction::Invoke(transaction.clone()),
			Call::deploy_account { transaction } => Transaction::DeployAccount(transaction.clone()),
			Call::declare { transaction, .. } => Transaction::Declare(transaction.clone()),
			// The inherent of messages from L1 (only a block's author puts it there: the pool
			// refuses it in `validate`) is checked by its dispatch.
			Call::consume_l1_messages { .. } => return Ok(()),
			_ => return Err(InvalidTransaction::Call.into()),
		};
		let reserved = BlockTotals {
			transaction_count: 1,
			l2_gas: executed_l2_gas_bound(&bound),
			..Default::default()
		};
		if capacity.exceeded_by(&totals.plus(&reserved)).is_some() {
			// A bound beyond an empty block is refused with its reason ([`Self::precheck`]).
			if capacity.exceeded_by(&reserved).is_none() {
				return Err(InvalidTransaction::ExhaustsResources.into());
			}
		}
		let (tx, class) = Self::transaction_of(call, false)?;
		let outcome = Self::run(&tx, class, ExecMode::Block)?;
		let used = BlockTotals::of(&tx, &outcome);
		if capacity.exceeded_by(&used).is_some() {
			return Err(
				InvalidTransaction::Custom(Rejection::ExceedsBlockLimits.pool_code()).into()
			);
		}
		if capacity.exceeded_by(&totals.plus(&used)).is_some() {
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		Pending::<T>::put(outcome);
		Ok(())
	}

	/// The Starknet transaction in an unsigned call, prechecked ([`Self::precheck`]), and for a
	/// declare the compiled class (checked against the hashes the transaction declares);
	/// `admission` compiles in the node's isolated compiler.
	pub(crate) fn transaction_of(
		call: &Call<T>,
		admission: bool,
	) -> Result<(Transaction, Option<ClassDefinition>), TransactionValidityError> {
		let (tx, class) = match call {
			Call::invoke { transaction } => (Transaction::Invoke(transaction.clone()), None),
			Call::deploy_account { transaction } => {
				(Transaction::DeployAccount(transaction.clone()), None)
			}
			Call::declare { transaction, contract_class } => {
				(Transaction::Declare(transaction.clone()), Some(contract_class))
			}
			_ => return Err(InvalidTransaction::Call.into()),
		};
		Self::precheck(&tx, class.map(|class| class.len()))
			.map_err(|e| invalid(e, Some(Self::nonce_is_future(&tx))))?;
		let definition = match (&tx, class) {
			(Transaction::Declare(declare), Some(class)) => {
				Some(Self::compile(declare, class, admission).map_err(|e| invalid(e, None))?)
			}
			_ => None,
		};
		Ok((tx, definition))
	}

	fn nonce_is_future(tx: &Transaction) -> bool {
		tx.nonce() > Nonces::<T>::get(tx.sender().unwrap_or_default()).unwrap_or_default()
	}

	/// The chain's policy on a transaction, before anything executes (see the module doc);
	/// `class_len` is a declare's class size in bytes.
	pub fn precheck(tx: &Transaction, class_len: Option<usize>) -> Result<(), ExecError> {
		use alloc::format;
		let Some(bounds) = tx.resource_bounds() else { return Ok(()) };
		let (calldata, signature) = match tx {
			Transaction::Invoke(tx) => (tx.calldata.len(), tx.signature.len()),
			Transaction::DeployAccount(tx) => (tx.constructor_calldata.len(), tx.signature.len()),
			Transaction::Declare(tx) => (0, tx.signature.len()),
			Transaction::L1Handler(_) => return Ok(()),
		};
		if calldata > MAX_CALLDATA_FELTS || signature > MAX_SIGNATURE_FELTS {
			return Err(refuse(
				Rejection::ExceedsBlockLimits,
				format!(
					"the transaction carries {calldata} calldata and {signature} signature felts; \
					 a transaction carries at most {MAX_CALLDATA_FELTS} and {MAX_SIGNATURE_FELTS}"
				),
			));
		}
		if let Some(class_len) =
			class_len.filter(|len| *len > CLASS_LIMITS.max_class_bytes as usize)
		{
			return Err(refuse(
				Rejection::ClassTooLarge,
				format!(
					"the class is {class_len} bytes; this chain takes at most {}",
					CLASS_LIMITS.max_class_bytes
				),
			));
		}
		// The fee floor: each resource at least the block's price (a chain priced at 0 takes 0),
		// and a fee that is not zero, so that blockifier enforces it (it skips every fee check
		// of a transaction whose maximal fee is 0).
		let prices = ChainConfiguration::<T>::get().gas_prices;
		let floors = [
			("L1 gas", prices.l1_gas_price_fri),
			("L2 gas", prices.l2_gas_price_fri),
			("L1 data gas", prices.l1_data_gas_price_fri),
		];
		for ((name, floor), bound) in floors.iter().zip(bounds.all()) {
			if bound.max_price_per_unit < *floor {
				return Err(refuse(
					Rejection::InsufficientResourceBounds,
					format!(
						"the max price per unit of {name} is {}, below the block's price of {floor} FRI",
						bound.max_price_per_unit
					),
				));
			}
		}
		if bounds.max_fee() == 0 && floors.iter().any(|(_, floor)| *floor > 0) {
			return Err(refuse(
				Rejection::InsufficientResourceBounds,
				"the resource bounds allow a fee of 0: they cannot cover validation".into(),
			));
		}
		let base = match tx {
			Transaction::Declare(_) => {
				T::WeightInfo::declare(class_len.unwrap_or_default() as u32, 0)
			}
			Transaction::DeployAccount(_) => T::WeightInfo::deploy_account(0),
			_ => T::WeightInfo::invoke(0),
		};
		let capacity = weights::l2_gas_capacity::<T>(base).min(Capacity::<T>::get().l2_gas);
		let executed = executed_l2_gas_bound(tx);
		if executed > capacity {
			let message = if executed == bounds.l2_gas() {
				format!("the L2 gas bound of {executed} exceeds what one block holds ({capacity})")
			} else {
				format!(
					"the L2 gas a declare may execute ({executed}, its validation's limit; its \
					 bound is {}) exceeds what one block holds ({capacity})",
					bounds.l2_gas()
				)
			};
			return Err(refuse(Rejection::ExceedsBlockLimits, message));
		}
		let Transaction::Declare(declare) = tx else { return Ok(()) };
		if CompiledClassHashes::<T>::contains_key(declare.class_hash) {
			return Err(refuse(
				Rejection::ClassAlreadyDeclared,
				format!("class {:?} is declared already", declare.class_hash),
			));
		}
		if !ContractClassHashes::<T>::contains_key(declare.sender_address) {
			return Err(refuse(
				Rejection::ContractNotFound,
				format!("the sender {:?} is not a deployed contract", declare.sender_address),
			));
		}
		let account_nonce = Nonces::<T>::get(declare.sender_address).unwrap_or_default();
		if declare.nonce < account_nonce {
			return Err(refuse(
				Rejection::InvalidNonce,
				format!("nonce {:?} is below the account's {account_nonce:?}", declare.nonce),
			));
		}
		let max_fee = bounds.max_fee();
		if let Some(balance) = Self::fee_balance(declare.sender_address) {
			if balance < max_fee {
				return Err(refuse(
					Rejection::InsufficientBalance,
					format!(
						"the balance of {balance} FRI is below the maximal fee of {max_fee} FRI"
					),
				));
			}
		}
		Ok(())
	}

	/// `account`'s STRK balance, capped at `u128::MAX`; `None` when the fee token does not
	/// answer (then blockifier's own check, after compiling, decides).
	fn fee_balance(account: Felt) -> Option<u128> {
		let mut context = Self::block_context();
		let fee_token = context.config.strk_fee_token;
		context.block_number += 1;
		let answer = Self::call_contract(CallRequest {
			context,
			contract_address: fee_token,
			entry_point_selector: BALANCE_OF,
			calldata: alloc::vec![account],
		})
		.ok()?;
		let [low, high] = answer.as_slice() else { return None };
		let low = low.to_u128()?;
		Some(if *high == Felt::ZERO { low } else { u128::MAX })
	}

	/// Compile a declared class (its class hash checked before compiling, under
	/// [`CLASS_LIMITS`]; `admission`: in the node's isolated compiler) and check the declared
	/// compiled class hash against it.
	pub(crate) fn compile(
		transaction: &DeclareTransactionV3,
		contract_class: &[u8],
		admission: bool,
	) -> Result<ClassDefinition, ExecError> {
		let request = CompileRequest {
			class_hash: transaction.class_hash,
			limits: CLASS_LIMITS,
			isolated: admission,
		};
		let compiled = starknet_executor::compile_class(contract_class, request)?;
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
		Self::execute(request).map_err(|e| invalid(e, Some(Self::nonce_is_future(tx))))
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

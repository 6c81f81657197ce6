//! Dispatch of Starknet transactions: the outcome `pre_dispatch` computed (handed over in
//! [`Pending`]) is committed — its state diff, the declared class, the receipt, the events and
//! the block's running totals (the block's Starknet header is [`crate::commitment`]'s).
use crate::{pallet::*, BlockTotals, Config, Receipt};
use alloc::vec::Vec;
use cairn_primitives::starknet::{
	exec::{
		BlockContext, CallRequest, ClassDefinition, ExecError, ExecMode, ExecOutcome, ExecRequest,
		StateDiff, TransactionTrace,
	},
	host::starknet_executor,
	DeclareTransactionV3, Felt, Transaction,
};
use sp_runtime::{traits::UniqueSaturatedInto, DispatchError};

impl<T: Config> Pallet<T> {
	/// The context the next transaction executes in.
	pub fn block_context() -> BlockContext {
		let number: u64 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		BlockContext {
			block_number: number,
			block_timestamp: Self::starknet_timestamp(),
			config: ChainConfiguration::<T>::get(),
		}
	}

	/// Run the executor, with the chain's engine.
	pub fn execute(request: ExecRequest) -> Result<ExecOutcome, ExecError> {
		starknet_executor::execute(request, ChainEngine::<T>::get())
	}

	/// Run the executor for the outcome and the call trees, with the chain's engine.
	pub(crate) fn execute_traced(
		request: ExecRequest,
	) -> Result<(ExecOutcome, TransactionTrace), ExecError> {
		starknet_executor::execute_traced(request, ChainEngine::<T>::get())
	}

	/// Call a contract read-only, with the chain's engine.
	pub(crate) fn call_contract(request: CallRequest) -> Result<Vec<Felt>, ExecError> {
		starknet_executor::call(request, ChainEngine::<T>::get())
	}

	/// Dispatch a Starknet transaction: take the outcome `pre_dispatch` computed (or precheck
	/// and execute now when dispatched without it) and commit it. The L2 gas it consumed.
	pub(crate) fn apply(
		tx: Transaction,
		contract_class: Option<Vec<u8>>,
	) -> Result<u64, DispatchError> {
		let outcome = match Pending::<T>::take() {
			Some(outcome) => outcome,
			None => {
				Self::precheck(&tx, contract_class.as_ref().map(|class| class.len()))
					.map_err(Self::dispatch_error)?;
				let class = match (&tx, &contract_class) {
					(Transaction::Declare(declare), Some(class)) => {
						Some(Self::compile(declare, class, false).map_err(Self::dispatch_error)?)
					}
					_ => None,
				};
				let request = ExecRequest {
					context: Self::block_context(),
					mode: ExecMode::Block,
					tx: tx.clone(),
					class,
					paid_fee_on_l1: 0,
				};
				Self::execute(request).map_err(Self::dispatch_error)?
			}
		};
		let declared = match (&tx, contract_class) {
			(Transaction::Declare(declare), Some(class)) => {
				let definition =
					Self::compile(declare, &class, false).map_err(Self::dispatch_error)?;
				Some((definition, class))
			}
			_ => None,
		};
		let l2_gas = outcome.gas.l2_gas;
		Self::commit(&tx, declared, outcome);
		Ok(l2_gas)
	}

	pub(crate) fn dispatch_error(error: ExecError) -> DispatchError {
		match error {
			ExecError::Rejected(rejection, _) => Error::<T>::from(rejection).into(),
			ExecError::Internal(_) => Error::<T>::ExecutorFailure.into(),
		}
	}

	/// Apply a state diff.
	pub(crate) fn write_state(diff: &StateDiff) {
		for (contract, key, value) in &diff.storage {
			if *value == Felt::ZERO {
				ContractStorage::<T>::remove(contract, key);
			} else {
				ContractStorage::<T>::insert(contract, key, value);
			}
		}
		for (contract, nonce) in &diff.nonces {
			Nonces::<T>::insert(contract, nonce);
		}
		for (contract, class_hash) in &diff.class_hashes {
			ContractClassHashes::<T>::insert(contract, class_hash);
		}
	}

	/// Store a declared class.
	pub(crate) fn write_class(
		declare: &DeclareTransactionV3,
		definition: ClassDefinition,
		sierra: Vec<u8>,
	) {
		CompiledClassHashes::<T>::insert(declare.class_hash, declare.compiled_class_hash);
		ClassDefinitions::<T>::insert(declare.class_hash, definition);
		SierraClasses::<T>::insert(declare.class_hash, sierra);
	}

	/// Write an outcome: its state diff, the declared class, the receipt, the events.
	pub(crate) fn commit(
		tx: &Transaction,
		declared: Option<(ClassDefinition, Vec<u8>)>,
		outcome: ExecOutcome,
	) {
		Self::write_state(&outcome.state_diff);
		let kind = tx.kind();
		if let (Transaction::Declare(declare), Some((definition, sierra))) = (tx, declared) {
			if outcome.revert_error.is_none() {
				Self::write_class(declare, definition, sierra);
				Self::deposit_event(Event::ClassDeclared {
					class_hash: declare.class_hash,
					compiled_class_hash: declare.compiled_class_hash,
				});
			}
		}
		if let (Transaction::DeployAccount(deploy), Some(address), None) =
			(tx, outcome.contract_address, &outcome.revert_error)
		{
			Self::deposit_event(Event::AccountDeployed { address, class_hash: deploy.class_hash });
		}
		Totals::<T>::mutate(|totals| *totals = totals.plus(&BlockTotals::of(tx, &outcome)));
		Self::deposit_event(Event::TransactionExecuted {
			tx_hash: outcome.tx_hash,
			kind,
			reverted: outcome.revert_error.is_some(),
			actual_fee: outcome.actual_fee,
		});
		StateDiffs::<T>::append(&outcome.state_diff);
		Signatures::<T>::append(tx.signature().to_vec());
		Receipts::<T>::append(Receipt {
			tx_hash: outcome.tx_hash,
			kind,
			contract_address: outcome.contract_address,
			actual_fee: outcome.actual_fee,
			fee_unit: outcome.fee_unit,
			gas: outcome.gas,
			revert_error: outcome.revert_error,
			events: outcome.events,
			messages: outcome.messages,
		});
	}
}

//! What the runtime APIs read and run for the node's Starknet RPC: execution as the next block
//! would (estimates, simulations, calls; nothing written), the Starknet transactions of a block's
//! extrinsics, the extrinsic that carries a user's transaction, and re-execution of a past
//! block's transaction for traces.
use crate::{pallet::*, Call, Config};
use alloc::{vec, vec::Vec};
use cairn_primitives::starknet::{
	exec::{
		CallRequest, ExecError, ExecMode, ExecOutcome, ExecRequest, Rejection, TransactionTrace,
	},
	Felt, Transaction,
};

impl<T: Config> Pallet<T> {
	/// Execute `tx` as the block after this one would, writing nothing (for runtime APIs:
	/// the node's Starknet RPC).
	pub fn execute_view(
		tx: Transaction,
		contract_class: Option<Vec<u8>>,
		mode: ExecMode,
	) -> Result<ExecOutcome, ExecError> {
		// Admission's policy too, so that the RPC can tell why the pool refused a transaction.
		if mode == ExecMode::Pool {
			Self::precheck(&tx, contract_class.as_ref().map(|class| class.len()))?;
		}
		Self::execute(Self::view_request(tx, contract_class.as_deref(), mode)?)
	}

	/// The request that executes `tx` as the block after this one would.
	fn view_request(
		tx: Transaction,
		contract_class: Option<&[u8]>,
		mode: ExecMode,
	) -> Result<ExecRequest, ExecError> {
		let class = match (&tx, contract_class) {
			(Transaction::Declare(declare), Some(class)) => {
				Some(Self::compile(declare, class, true)?)
			}
			(Transaction::Declare(_), None) => {
				return Err(ExecError::Rejected(
					Rejection::InvalidClass,
					b"a declare needs its class".to_vec(),
				))
			}
			_ => None,
		};
		let mut context = Self::block_context();
		context.block_number += 1;
		Ok(ExecRequest { context, mode, tx, class, paid_fee_on_l1: 0 })
	}

	/// Call a contract's entry point, read-only, as the block after this one would.
	pub fn call_view(
		contract_address: Felt,
		entry_point_selector: Felt,
		calldata: Vec<Felt>,
	) -> Result<Vec<Felt>, ExecError> {
		let mut context = Self::block_context();
		context.block_number += 1;
		Self::call_contract(CallRequest {
			context,
			contract_address,
			entry_point_selector,
			calldata,
		})
	}

	/// The Starknet transactions among `calls`, in order.
	pub fn transactions_of<'a>(calls: impl IntoIterator<Item = &'a Call<T>>) -> Vec<Transaction> {
		calls
			.into_iter()
			.flat_map(|call| match call {
				Call::invoke { transaction } => vec![Transaction::Invoke(transaction.clone())],
				Call::declare { transaction, .. } => {
					vec![Transaction::Declare(transaction.clone())]
				}
				Call::deploy_account { transaction } => {
					vec![Transaction::DeployAccount(transaction.clone())]
				}
				Call::l1_handler { transaction, .. } => {
					vec![Transaction::L1Handler(transaction.clone())]
				}
				// Those of its messages the block did not reach have no receipt, and are not
				// matched.
				Call::consume_l1_messages { messages } => messages
					.iter()
					.map(|message| Transaction::L1Handler(message.transaction()))
					.collect(),
				_ => Vec::new(),
			})
			.collect()
	}

	/// The call that carries a user's Starknet transaction (`None` for L1 handlers, and for
	/// a declare without its class).
	pub fn call_for(tx: Transaction, contract_class: Option<Vec<u8>>) -> Option<Call<T>> {
		match (tx, contract_class) {
			(Transaction::Invoke(transaction), _) => Some(Call::invoke { transaction }),
			(Transaction::DeployAccount(transaction), _) => {
				Some(Call::deploy_account { transaction })
			}
			(Transaction::Declare(transaction), Some(contract_class)) => {
				Some(Call::declare { transaction, contract_class })
			}
			_ => None,
		}
	}

	/// Execute `txs` one after the other as the block after this one would, each on the
	/// state the previous ones left (for runtime APIs: fee estimation and simulation; the
	/// caller discards the writes). Stops at the first transaction that fails or reverts.
	pub fn simulate(
		txs: Vec<(Transaction, Option<Vec<u8>>)>,
		mode: ExecMode,
	) -> Vec<Result<ExecOutcome, ExecError>> {
		Self::simulate_with(txs, mode, true, |request| Self::execute(request))
	}

	/// [`Self::simulate`] with each transaction's call trees; a reverted transaction does
	/// not stop the sequence (its fee and nonce still apply), a failing one does.
	pub fn simulate_traced(
		txs: Vec<(Transaction, Option<Vec<u8>>)>,
		mode: ExecMode,
	) -> Vec<Result<(ExecOutcome, TransactionTrace), ExecError>> {
		Self::simulate_with(txs, mode, false, Self::execute_traced)
	}

	fn simulate_with<R: AsRef<ExecOutcome>>(
		txs: Vec<(Transaction, Option<Vec<u8>>)>,
		mode: ExecMode,
		stop_at_revert: bool,
		execute: impl Fn(ExecRequest) -> Result<R, ExecError>,
	) -> Vec<Result<R, ExecError>> {
		let mut results = Vec::with_capacity(txs.len());
		for (tx, contract_class) in txs {
			let result = Self::view_request(tx.clone(), contract_class.as_deref(), mode).and_then(
				|request| {
					let class = request.class.clone();
					execute(request).map(|result| (result, class))
				},
			);
			let result = match result {
				Ok((result, class)) => {
					let outcome = result.as_ref();
					Self::write_state(&outcome.state_diff);
					if let (Transaction::Declare(declare), Some(definition), Some(sierra)) =
						(&tx, class, contract_class)
					{
						if outcome.revert_error.is_none() {
							Self::write_class(declare, definition, sierra);
						}
					}
					Ok(result)
				}
				Err(error) => Err(error),
			};
			let stop = match &result {
				Ok(result) => stop_at_revert && result.as_ref().revert_error.is_some(),
				Err(_) => true,
			};
			results.push(result);
			if stop {
				break;
			}
		}
		results
	}

	/// Execute the Starknet transaction `call` carries as its block did — in the block
	/// being built (the caller has initialized it and applied the extrinsics before this
	/// one) — commit it like dispatching it would, and return its outcome and call trees
	/// (`None` for a call that is not a Starknet transaction). For traces of past blocks.
	pub fn trace_call(
		call: &Call<T>,
	) -> Option<Result<(ExecOutcome, TransactionTrace), ExecError>> {
		let (tx, sierra, paid_fee_on_l1) = match call {
			Call::invoke { transaction } => (Transaction::Invoke(transaction.clone()), None, 0),
			Call::declare { transaction, contract_class } => {
				(Transaction::Declare(transaction.clone()), Some(contract_class.clone()), 0)
			}
			Call::deploy_account { transaction } => {
				(Transaction::DeployAccount(transaction.clone()), None, 0)
			}
			Call::l1_handler { transaction, paid_fee_on_l1 } => {
				(Transaction::L1Handler(transaction.clone()), None, *paid_fee_on_l1)
			}
			_ => return None,
		};
		let class = match (&tx, &sierra) {
			(Transaction::Declare(declare), Some(sierra)) => {
				match Self::compile(declare, sierra, false) {
					Ok(definition) => Some(definition),
					Err(error) => return Some(Err(error)),
				}
			}
			_ => None,
		};
		let request = ExecRequest {
			context: Self::block_context(),
			mode: ExecMode::Block,
			tx: tx.clone(),
			class: class.clone(),
			paid_fee_on_l1,
		};
		let result = Self::execute_traced(request);
		if let Ok((outcome, _)) = &result {
			let declared = class.zip(sierra);
			Self::commit(&tx, declared, outcome.clone());
		}
		Some(result)
	}
}

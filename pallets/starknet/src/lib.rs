//! # pallet-starknet
//!
//! Owns the Starknet side of a Cairn chain inside the (upgradable, wasm) runtime:
//! - **state**: contract → class hash, nonces, contract storage, declared classes (Sierra, CASM,
//!   compiled class hash), in the storage items of this pallet, laid out as
//!   [`cairn_primitives::starknet::storage`] says (the native executor reads them from there);
//! - **transactions**: `invoke`, `declare` and `deploy_account` are unsigned extrinsics whose
//!   authority is the Starknet account itself: `ValidateUnsigned` runs the account's
//!   `__validate__` through the executor before the pool accepts them, and tags them by
//!   (sender, nonce) so the pool orders each sender's transactions and drops replays;
//!   `l1_handler` is root-only for now;
//! - **policy**: the chain configuration (chain id, Starknet version and so versioned constants,
//!   gas prices, fee tokens, sequencer address);
//! - **results**: the current block's receipts and a Starknet header per block.
//!
//! Execution itself is not here: the pallet calls the node's native blockifier through the host
//! functions in [`cairn_primitives::starknet::host`] and applies the state diff they return.
//!
//! ## Inclusion
//! A Starknet transaction that Starknet would reject (bad nonce, failing `__validate__`, bounds
//! the account cannot pay, ...) never enters a block: `pre_dispatch` executes the transaction and
//! refuses it there, so the block builder drops it. A transaction that executes but reverts is
//! included, pays its fee and bumps its nonce, as on Starknet. The execution done in
//! `pre_dispatch` is handed to the dispatch through [`Pending`], so each transaction in a block
//! executes once.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use cairn_primitives::starknet::exec::{Receipt, StarknetHeader, TransactionKind};
pub use pallet::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use cairn_primitives::starknet::{
	exec::{
		BlockContext, CallRequest, ChainConfig, ClassDefinition, ExecError, ExecMode, ExecOutcome,
		ExecRequest, Rejection, StateDiff, TransactionTrace,
	},
	genesis::GenesisState,
	host::starknet_executor,
	DeclareTransactionV3, DeployAccountTransactionV3, Felt, InvokeTransactionV3,
	L1HandlerTransaction, Transaction,
};
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Running totals of the block being built.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, TypeInfo)]
pub struct BlockTotals {
	pub transaction_count: u32,
	pub event_count: u32,
}

/// `InvalidTransaction::Custom` codes the pool reports for rejected Starknet transactions: one per
/// [`Rejection`] (its SCALE index + 1), and [`EXECUTOR_FAILURE`] for a node-side failure. An
/// invalid nonce is reported as `Stale` or `Future` instead.
pub fn rejection_code(rejection: Rejection) -> u8 {
	rejection.encode()[0] + 1
}

/// `InvalidTransaction::Custom` code of a transaction the node could not execute at all.
pub const EXECUTOR_FAILURE: u8 = 200;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, Time},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::UniqueSaturatedInto,
		transaction_validity::{
			InvalidTransaction, TransactionLongevity, TransactionSource, TransactionValidity,
			TransactionValidityError, ValidTransaction,
		},
	};

	#[pallet::pallet]
	#[pallet::without_storage_info]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The block's time in Unix milliseconds (Starknet block timestamps are its seconds).
		type Time: Time<Moment = u64>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The chain's Starknet configuration.
	#[pallet::storage]
	pub type ChainConfiguration<T> = StorageValue<_, ChainConfig, ValueQuery>;

	/// Contract storage: (contract, key) → value. Zero values are not stored.
	#[pallet::storage]
	pub type ContractStorage<T> =
		StorageDoubleMap<_, Blake2_128Concat, Felt, Blake2_128Concat, Felt, Felt, OptionQuery>;

	/// Contract nonces. Zero is not stored.
	#[pallet::storage]
	pub type Nonces<T> = StorageMap<_, Blake2_128Concat, Felt, Felt, OptionQuery>;

	/// The class of every deployed contract.
	#[pallet::storage]
	pub type ContractClassHashes<T> = StorageMap<_, Blake2_128Concat, Felt, Felt, OptionQuery>;

	/// Declared classes: class hash → compiled class hash (Blake2s).
	#[pallet::storage]
	pub type CompiledClassHashes<T> = StorageMap<_, Blake2_128Concat, Felt, Felt, OptionQuery>;

	/// Declared classes: class hash → what execution needs (CASM and Sierra facts).
	#[pallet::storage]
	pub type ClassDefinitions<T> =
		StorageMap<_, Blake2_128Concat, Felt, ClassDefinition, OptionQuery>;

	/// Declared classes: class hash → the Sierra class as declared (Starknet JSON-RPC's JSON).
	#[pallet::storage]
	pub type SierraClasses<T> = StorageMap<_, Blake2_128Concat, Felt, Vec<u8>, OptionQuery>;

	/// The receipts of the current block's Starknet transactions, in order. Emptied when the next
	/// block starts.
	#[pallet::storage]
	pub type Receipts<T> = StorageValue<_, Vec<Receipt>, ValueQuery>;

	/// The state diffs of the current block's Starknet transactions, in order (for the node's
	/// Starknet block hash: the state diff commitment). Emptied when the next block starts.
	#[pallet::storage]
	pub type StateDiffs<T> = StorageValue<_, Vec<StateDiff>, ValueQuery>;

	/// Running totals of the current block.
	#[pallet::storage]
	pub type Totals<T> = StorageValue<_, BlockTotals, ValueQuery>;

	/// The Starknet header of every block.
	#[pallet::storage]
	pub type Headers<T> = StorageMap<_, Twox64Concat, u64, StarknetHeader, OptionQuery>;

	/// The outcome `pre_dispatch` computed for the extrinsic being applied; its dispatch takes it.
	#[pallet::storage]
	pub type Pending<T> = StorageValue<_, ExecOutcome, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A Starknet transaction was executed (and, if `reverted`, its effects undone but its fee
		/// charged).
		TransactionExecuted {
			tx_hash: Felt,
			kind: TransactionKind,
			reverted: bool,
			actual_fee: u128,
		},
		/// A class was declared.
		ClassDeclared { class_hash: Felt, compiled_class_hash: Felt },
		/// A contract was deployed by a deploy-account transaction.
		AccountDeployed { address: Felt, class_hash: Felt },
		/// The chain configuration changed.
		ChainConfigurationSet,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The nonce is not the account's next one.
		InvalidNonce,
		/// The resource bounds are too low for the transaction or below the block's prices.
		InsufficientResourceBounds,
		/// The account cannot pay the maximum fee its bounds allow.
		InsufficientBalance,
		/// The account's validation entry point refused the transaction.
		ValidationFailure,
		/// The class is already declared.
		ClassAlreadyDeclared,
		/// The class is not declared.
		ClassNotDeclared,
		/// The declared compiled class hash is not the hash of the CASM this node compiles.
		CompiledClassHashMismatch,
		/// The declared class hash is not the hash of the class sent.
		ClassHashMismatch,
		/// The class is not a valid Sierra class, or does not compile.
		InvalidClass,
		/// The transaction is malformed.
		Malformed,
		/// The sender is not a deployed contract.
		ContractNotFound,
		/// Execution failed in a way that makes the transaction invalid.
		ExecutionFailed,
		/// The node's executor failed (not the transaction's fault).
		ExecutorFailure,
	}

	impl<T> From<Rejection> for Error<T> {
		fn from(rejection: Rejection) -> Self {
			match rejection {
				Rejection::InvalidNonce => Error::InvalidNonce,
				Rejection::InsufficientResourceBounds => Error::InsufficientResourceBounds,
				Rejection::InsufficientBalance => Error::InsufficientBalance,
				Rejection::ValidationFailure => Error::ValidationFailure,
				Rejection::ClassAlreadyDeclared => Error::ClassAlreadyDeclared,
				Rejection::ClassNotDeclared => Error::ClassNotDeclared,
				Rejection::CompiledClassHashMismatch => Error::CompiledClassHashMismatch,
				Rejection::ClassHashMismatch => Error::ClassHashMismatch,
				Rejection::InvalidClass => Error::InvalidClass,
				Rejection::Malformed => Error::Malformed,
				Rejection::ContractNotFound => Error::ContractNotFound,
				Rejection::ExecutionFailed | Rejection::EntryPointNotFound => {
					Error::ExecutionFailed
				}
			}
		}
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The Starknet state the chain starts with; `None` leaves it empty (with the default
		/// configuration).
		pub state: Option<GenesisState>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let Some(state) = &self.state else {
				ChainConfiguration::<T>::put(ChainConfig::default());
				return;
			};
			ChainConfiguration::<T>::put(state.config.clone());
			for class in &state.classes {
				CompiledClassHashes::<T>::insert(class.class_hash, class.compiled_class_hash);
				ClassDefinitions::<T>::insert(
					class.class_hash,
					ClassDefinition {
						casm: class.casm.as_bytes().to_vec(),
						sierra_version: class.sierra_version,
						sierra_program_length: class.sierra_program_length,
						abi_length: class.abi_length,
					},
				);
				SierraClasses::<T>::insert(class.class_hash, class.sierra.as_bytes().to_vec());
			}
			for contract in &state.contracts {
				assert!(
					CompiledClassHashes::<T>::contains_key(contract.class_hash),
					"genesis contract {:?} has undeclared class {:?}",
					contract.address,
					contract.class_hash
				);
				ContractClassHashes::<T>::insert(contract.address, contract.class_hash);
			}
			for (contract, key, value) in &state.storage {
				if *value != Felt::ZERO {
					ContractStorage::<T>::insert(contract, key, value);
				}
			}
			Headers::<T>::insert(0, Pallet::<T>::header(0, 0, BlockTotals::default()));
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Receipts::<T>::kill();
			StateDiffs::<T>::kill();
			Totals::<T>::kill();
			T::DbWeight::get().writes(3)
		}

		fn on_finalize(n: BlockNumberFor<T>) {
			let number: u64 = n.unique_saturated_into();
			let header = Self::header(number, T::Time::now() / 1000, Totals::<T>::get());
			Headers::<T>::insert(number, header);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// A V3 invoke transaction. Unsigned: the account's `__validate__` authorizes it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::invoke())]
		pub fn invoke(origin: OriginFor<T>, transaction: InvokeTransactionV3) -> DispatchResult {
			ensure_none(origin)?;
			Self::apply(Transaction::Invoke(transaction), None)
		}

		/// A V3 declare transaction with its Sierra class (JSON, as Starknet JSON-RPC carries
		/// it). The node compiles it to CASM; the declared compiled class hash must match.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::declare(contract_class.len() as u32))]
		pub fn declare(
			origin: OriginFor<T>,
			transaction: DeclareTransactionV3,
			contract_class: Vec<u8>,
		) -> DispatchResult {
			ensure_none(origin)?;
			Self::apply(Transaction::Declare(transaction), Some(contract_class))
		}

		/// A V3 deploy-account transaction.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deploy_account())]
		pub fn deploy_account(
			origin: OriginFor<T>,
			transaction: DeployAccountTransactionV3,
		) -> DispatchResult {
			ensure_none(origin)?;
			Self::apply(Transaction::DeployAccount(transaction), None)
		}

		/// An L1 handler transaction (a message from L1). Root only until L1 messaging exists.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::l1_handler())]
		pub fn l1_handler(
			origin: OriginFor<T>,
			transaction: L1HandlerTransaction,
			paid_fee_on_l1: u128,
		) -> DispatchResult {
			ensure_root(origin)?;
			let outcome = Self::execute(ExecRequest {
				context: Self::block_context(),
				mode: ExecMode::Block,
				tx: Transaction::L1Handler(transaction.clone()),
				class: None,
				paid_fee_on_l1,
			})
			.map_err(Self::dispatch_error)?;
			Self::commit(&Transaction::L1Handler(transaction), None, outcome);
			Ok(())
		}

		/// Set the chain's Starknet configuration (for example to move to a newer Starknet
		/// version, or change gas prices). Root only.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_chain_configuration())]
		pub fn set_chain_configuration(
			origin: OriginFor<T>,
			config: ChainConfig,
		) -> DispatchResult {
			ensure_root(origin)?;
			ChainConfiguration::<T>::put(config);
			Self::deposit_event(Event::ChainConfigurationSet);
			Ok(())
		}
	}

	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			let (tx, class) = Self::transaction_of(call)?;
			let outcome = Self::run(&tx, class, ExecMode::Pool)?;
			let (sender, nonce) = match (&tx, outcome.contract_address) {
				(Transaction::DeployAccount(_), Some(address)) => (address, tx_nonce(&tx)),
				_ => (tx_sender(&tx), tx_nonce(&tx)),
			};
			let account_nonce = Nonces::<T>::get(sender).unwrap_or_default();
			let mut valid = ValidTransaction::with_tag_prefix("Starknet")
				.priority(tx_tip(&tx))
				.and_provides((sender, nonce))
				.longevity(TransactionLongevity::from(64u64))
				.propagate(true);
			if let Some(previous) = nonce.prev().filter(|_| nonce > account_nonce) {
				valid = valid.and_requires((sender, previous));
			}
			valid.build()
		}

		fn pre_dispatch(call: &Self::Call) -> Result<(), TransactionValidityError> {
			let (tx, class) = Self::transaction_of(call)?;
			let outcome = Self::run(&tx, class, ExecMode::Block)?;
			Pending::<T>::put(outcome);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The context the next transaction executes in.
		pub fn block_context() -> BlockContext {
			let number: u64 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
			BlockContext {
				block_number: number,
				block_timestamp: T::Time::now() / 1000,
				config: ChainConfiguration::<T>::get(),
			}
		}

		/// Run the executor.
		pub fn execute(request: ExecRequest) -> Result<ExecOutcome, ExecError> {
			starknet_executor::execute(request)
		}

		/// Execute `tx` as the block after this one would, writing nothing (for runtime APIs:
		/// the node's Starknet RPC).
		pub fn execute_view(
			tx: Transaction,
			contract_class: Option<Vec<u8>>,
			mode: ExecMode,
		) -> Result<ExecOutcome, ExecError> {
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
					Some(Self::compile(declare, class)?)
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
			starknet_executor::call(CallRequest {
				context,
				contract_address,
				entry_point_selector,
				calldata,
			})
		}

		/// The Starknet transactions among `calls`, in order.
		pub fn transactions_of<'a>(
			calls: impl IntoIterator<Item = &'a Call<T>>,
		) -> Vec<Transaction> {
			calls
				.into_iter()
				.filter_map(|call| match call {
					Call::invoke { transaction } => Some(Transaction::Invoke(transaction.clone())),
					Call::declare { transaction, .. } => {
						Some(Transaction::Declare(transaction.clone()))
					}
					Call::deploy_account { transaction } => {
						Some(Transaction::DeployAccount(transaction.clone()))
					}
					Call::l1_handler { transaction, .. } => {
						Some(Transaction::L1Handler(transaction.clone()))
					}
					_ => None,
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

		fn header(number: u64, timestamp: u64, totals: BlockTotals) -> StarknetHeader {
			let config = ChainConfiguration::<T>::get();
			StarknetHeader {
				block_number: number,
				timestamp,
				sequencer_address: config.sequencer_address,
				gas_prices: config.gas_prices,
				starknet_version: config.starknet_version,
				transaction_count: totals.transaction_count,
				event_count: totals.event_count,
			}
		}

		/// The Starknet transaction in an unsigned call, and for a declare the compiled class
		/// (checked against the hashes the transaction declares).
		fn transaction_of(
			call: &Call<T>,
		) -> Result<(Transaction, Option<ClassDefinition>), TransactionValidityError> {
			match call {
				Call::invoke { transaction } => {
					Ok((Transaction::Invoke(transaction.clone()), None))
				}
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
		fn compile(
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
		fn run(
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
					tx_nonce(tx) > Nonces::<T>::get(tx_sender(tx)).unwrap_or_default();
				invalid(e, Some(nonce_is_future))
			})
		}

		/// Dispatch a Starknet transaction: take the outcome `pre_dispatch` computed (or execute
		/// now when dispatched without it) and commit it.
		fn apply(tx: Transaction, contract_class: Option<Vec<u8>>) -> DispatchResult {
			let outcome = match Pending::<T>::take() {
				Some(outcome) => outcome,
				None => {
					let class = match (&tx, &contract_class) {
						(Transaction::Declare(declare), Some(class)) => {
							Some(Self::compile(declare, class).map_err(Self::dispatch_error)?)
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
						Self::compile(declare, &class).map_err(Self::dispatch_error)?;
					Some((definition, class))
				}
				_ => None,
			};
			Self::commit(&tx, declared, outcome);
			Ok(())
		}

		fn dispatch_error(error: ExecError) -> DispatchError {
			match error {
				ExecError::Rejected(rejection, _) => Error::<T>::from(rejection).into(),
				ExecError::Internal(_) => Error::<T>::ExecutorFailure.into(),
			}
		}

		/// Apply a state diff.
		fn write_state(diff: &StateDiff) {
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
		fn write_class(
			declare: &DeclareTransactionV3,
			definition: ClassDefinition,
			sierra: Vec<u8>,
		) {
			CompiledClassHashes::<T>::insert(declare.class_hash, declare.compiled_class_hash);
			ClassDefinitions::<T>::insert(declare.class_hash, definition);
			SierraClasses::<T>::insert(declare.class_hash, sierra);
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
			Self::simulate_with(txs, mode, false, starknet_executor::execute_traced)
		}

		fn simulate_with<R: AsRef<ExecOutcome>>(
			txs: Vec<(Transaction, Option<Vec<u8>>)>,
			mode: ExecMode,
			stop_at_revert: bool,
			execute: impl Fn(ExecRequest) -> Result<R, ExecError>,
		) -> Vec<Result<R, ExecError>> {
			let mut results = Vec::with_capacity(txs.len());
			for (tx, contract_class) in txs {
				let result = Self::view_request(tx.clone(), contract_class.as_deref(), mode)
					.and_then(|request| {
						let class = request.class.clone();
						execute(request).map(|result| (result, class))
					});
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
					match Self::compile(declare, sierra) {
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
			let result = starknet_executor::execute_traced(request);
			if let Ok((outcome, _)) = &result {
				let declared = class.zip(sierra);
				Self::commit(&tx, declared, outcome.clone());
			}
			Some(result)
		}

		/// Write an outcome: its state diff, the declared class, the receipt, the events.
		fn commit(
			tx: &Transaction,
			declared: Option<(ClassDefinition, Vec<u8>)>,
			outcome: ExecOutcome,
		) {
			Self::write_state(&outcome.state_diff);
			let kind = match tx {
				Transaction::Invoke(_) => TransactionKind::Invoke,
				Transaction::Declare(_) => TransactionKind::Declare,
				Transaction::DeployAccount(_) => TransactionKind::DeployAccount,
				Transaction::L1Handler(_) => TransactionKind::L1Handler,
			};
			if let (Transaction::Declare(declare), Some((definition, sierra))) = (tx, declared) {
				if outcome.revert_error.is_none() {
					CompiledClassHashes::<T>::insert(
						declare.class_hash,
						declare.compiled_class_hash,
					);
					ClassDefinitions::<T>::insert(declare.class_hash, definition);
					SierraClasses::<T>::insert(declare.class_hash, sierra);
					Self::deposit_event(Event::ClassDeclared {
						class_hash: declare.class_hash,
						compiled_class_hash: declare.compiled_class_hash,
					});
				}
			}
			if let (Transaction::DeployAccount(deploy), Some(address), None) =
				(tx, outcome.contract_address, &outcome.revert_error)
			{
				Self::deposit_event(Event::AccountDeployed {
					address,
					class_hash: deploy.class_hash,
				});
			}
			Totals::<T>::mutate(|totals| {
				totals.transaction_count += 1;
				totals.event_count += outcome.events.len() as u32;
			});
			Self::deposit_event(Event::TransactionExecuted {
				tx_hash: outcome.tx_hash,
				kind,
				reverted: outcome.revert_error.is_some(),
				actual_fee: outcome.actual_fee,
			});
			StateDiffs::<T>::append(&outcome.state_diff);
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

	/// The pool's view of an execution error.
	fn invalid(error: ExecError, nonce_is_future: Option<bool>) -> TransactionValidityError {
		match error {
			ExecError::Rejected(Rejection::InvalidNonce, _) if nonce_is_future == Some(true) => {
				InvalidTransaction::Future.into()
			}
			ExecError::Rejected(Rejection::InvalidNonce, _) => InvalidTransaction::Stale.into(),
			ExecError::Rejected(rejection, _) => {
				InvalidTransaction::Custom(rejection_code(rejection)).into()
			}
			ExecError::Internal(_) => InvalidTransaction::Custom(EXECUTOR_FAILURE).into(),
		}
	}

	fn tx_sender(tx: &Transaction) -> Felt {
		match tx {
			Transaction::Invoke(tx) => tx.sender_address,
			Transaction::Declare(tx) => tx.sender_address,
			// Unknown before execution: the pool path uses the executor's address.
			Transaction::DeployAccount(_) => Felt::ZERO,
			Transaction::L1Handler(tx) => tx.contract_address,
		}
	}

	fn tx_nonce(tx: &Transaction) -> Felt {
		match tx {
			Transaction::Invoke(tx) => tx.nonce,
			Transaction::Declare(tx) => tx.nonce,
			Transaction::DeployAccount(tx) => tx.nonce,
			Transaction::L1Handler(tx) => tx.nonce,
		}
	}

	fn tx_tip(tx: &Transaction) -> u64 {
		match tx {
			Transaction::Invoke(tx) => tx.tip,
			Transaction::Declare(tx) => tx.tip,
			Transaction::DeployAccount(tx) => tx.tip,
			Transaction::L1Handler(_) => 0,
		}
	}
}

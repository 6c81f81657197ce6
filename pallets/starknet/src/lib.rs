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
//!   messages from L1 arrive as the inherent `consume_l1_messages` ([`l1`]), each executed as an
//!   `l1_handler` transaction once (the root-only `l1_handler` call stays for tooling);
//! - **policy**: the chain configuration (chain id, Starknet version and so versioned constants,
//!   gas prices, fee tokens, sequencer address) and the engine that runs Cairo code (the VM or
//!   Cairo Native, chain-wide);
//! - **results**: the current block's receipts and a Starknet header per block, with the state
//!   root and Starknet block hash computed at the block's end ([`commitment`]).
//!
//! Execution itself is not here: the pallet calls the node's native blockifier through the host
//! functions in [`cairn_primitives::starknet::host`] and applies the state diff they return.
//!
//! ## Files
//! This file holds the `#[pallet]` sections (config, storage, events, errors, genesis, hooks,
//! calls, `ValidateUnsigned`); [`validation`] answers the pool and `pre_dispatch`, [`apply`]
//! commits outcomes in dispatch, [`view`] serves the runtime APIs (estimates, simulations,
//! calls, traces); [`commitment`] computes each block's state root and Starknet block hash;
//! [`dev`] holds what development tooling changes by root calls (storage, credits, the Starknet
//! clock and the next blocks' gas prices); [`weights`] prices the calls.
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

mod apply;
pub mod capacity;
mod commitment;
pub mod dev;
pub mod l1;
mod validation;
mod view;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use cairn_primitives::starknet::exec::{Engine, Receipt, StarknetHeader, TransactionKind};
pub use capacity::{BlockCapacity, BlockTotals};
pub use dev::{ClockChange, NextBlocks};
pub use pallet::*;
pub use validation::{CLASS_LIMITS, MAX_CALLDATA_FELTS, MAX_SIGNATURE_FELTS};
pub use weights::WeightInfo;

use alloc::vec::Vec;
use cairn_commitment::{NodePath, TrieId, TrieNode};
use cairn_primitives::starknet::{
	exec::{
		ChainConfig, ClassDefinition, ExecMode, ExecOutcome, ExecRequest, Rejection, StateDiff,
	},
	genesis::GenesisState,
	DeclareTransactionV3, DeployAccountTransactionV3, Felt, InvokeTransactionV3,
	L1HandlerTransaction, Transaction,
};

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
		transaction_validity::{TransactionSource, TransactionValidity, TransactionValidityError},
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

	/// The state diffs of the current block, in order: the block's own write (the hash of block
	/// n − 10 into contract `0x1`) first if any, then each Starknet transaction's; at genesis,
	/// the genesis state. Merged, they are the block's state diff (its commitment, its state
	/// update). Emptied when the next block starts.
	#[pallet::storage]
	pub type StateDiffs<T> = StorageValue<_, Vec<StateDiff>, ValueQuery>;

	/// Running totals of the current block (what its Starknet transactions used, see
	/// [`crate::capacity`]).
	#[pallet::storage]
	pub type Totals<T> = StorageValue<_, BlockTotals, ValueQuery>;

	/// What one block's Starknet transactions may use together (see [`crate::capacity`]).
	#[pallet::storage]
	pub type Capacity<T> = StorageValue<_, BlockCapacity, ValueQuery>;

	/// The signatures of the current block's Starknet transactions, in order (for the block
	/// hash's transaction commitment). Emptied when the next block starts.
	#[pallet::storage]
	pub type Signatures<T> = StorageValue<_, Vec<Vec<Felt>>, ValueQuery>;

	/// The Starknet header of every block.
	#[pallet::storage]
	pub type Headers<T> = StorageMap<_, Twox64Concat, u64, StarknetHeader, OptionQuery>;

	/// The state commitment's trie nodes, by trie and position (see [`crate::commitment`]).
	#[pallet::storage]
	pub type TrieNodes<T> =
		StorageDoubleMap<_, Blake2_128Concat, TrieId, Blake2_128Concat, NodePath, TrieNode>;

	/// The root of every non-empty trie of the state commitment.
	#[pallet::storage]
	pub type TrieRoots<T> = StorageMap<_, Blake2_128Concat, TrieId, Felt, OptionQuery>;

	/// What runs the chain's Cairo code (see [`Engine`]): set at genesis or by
	/// [`Pallet::set_engine`], the same for every node.
	#[pallet::storage]
	pub type ChainEngine<T> = StorageValue<_, Engine, ValueQuery>;

	/// Seconds the Starknet clock is ahead of the Substrate one (see [`crate::dev`]).
	#[pallet::storage]
	pub type TimeOffset<T> = StorageValue<_, u64, ValueQuery>;

	/// Changes of the clock and gas prices asked for in a block (its number first), for the
	/// blocks after it (see [`crate::dev`]).
	#[pallet::storage]
	pub type Upcoming<T> = StorageValue<_, (u64, NextBlocks), OptionQuery>;

	/// Every consumed message from L1, by its core-contract nonce: its message hash. A nonce
	/// here is never executed again (see [`crate::l1`]).
	#[pallet::storage]
	pub type L1MessagesConsumed<T> = StorageMap<_, Blake2_128Concat, Felt, [u8; 32], OptionQuery>;

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
		/// The block capacity changed.
		BlockCapacitySet { capacity: BlockCapacity },
		/// The engine changed (from the next transaction on).
		EngineSet { engine: Engine },
		/// Contract storage was written by a root call.
		StorageSet { writes: u32 },
		/// Amounts were credited by a root call (a token minted).
		Credited { contract: Felt, amount: u128 },
		/// The clock or gas prices of the blocks after this one will change.
		NextBlocksSet { change: NextBlocks },
		/// A message from L1 was executed as the `l1_handler` transaction `tx_hash`.
		L1MessageConsumed { nonce: Felt, l1_transaction_hash: [u8; 32], tx_hash: Felt },
		/// A message from L1 was consumed without executing: the executor refused it.
		L1MessageRefused { nonce: Felt, l1_transaction_hash: [u8; 32], error: DispatchError },
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
		/// The declared class exceeds the chain's class size limits.
		ClassTooLarge,
		/// The transaction's gas bound exceeds one block, or its calldata or signature is too
		/// long.
		ExceedsBlockLimits,
		/// The Starknet clock only moves forward: the time asked for is not after the current
		/// block's.
		TimeInThePast,
		/// A credited value is not a u256 (a word above 128 bits).
		NotAU256,
		/// A credited value would exceed 2^256 − 1.
		Overflow,
		/// More writes than one call takes ([`crate::dev::MAX_WRITES`]).
		TooManyWrites,
		/// A message from L1 that was already consumed (its nonce).
		L1MessageAlreadyConsumed,
		/// More messages from L1 than one block takes.
		TooManyL1Messages,
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
				Rejection::ClassTooLarge => Error::ClassTooLarge,
				Rejection::ExceedsBlockLimits => Error::ExceedsBlockLimits,
			}
		}
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The Starknet state the chain starts with; `None` leaves it empty (with the default
		/// configuration).
		pub state: Option<GenesisState>,
		/// What one block holds; `None`: [`BlockCapacity::default`] (6 s blocks).
		pub capacity: Option<BlockCapacity>,
		/// What runs the chain's Cairo code (the VM unless given).
		pub engine: Engine,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(capacity) = self.capacity {
				Capacity::<T>::put(capacity);
			}
			ChainEngine::<T>::put(self.engine);
			let Some(state) = &self.state else {
				ChainConfiguration::<T>::put(ChainConfig::default());
				Pallet::<T>::seal_genesis(None);
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
			Pallet::<T>::seal_genesis(Some(state));
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Receipts::<T>::kill();
			StateDiffs::<T>::kill();
			Signatures::<T>::kill();
			Totals::<T>::kill();
			Self::record_old_block_hash(n.unique_saturated_into());
			Self::start_upcoming();
			T::DbWeight::get().reads_writes(5, 8).saturating_add(commitment::SEAL_WEIGHT)
		}

		fn on_finalize(n: BlockNumberFor<T>) {
			Self::seal_block(n.unique_saturated_into(), Self::starknet_timestamp());
			Self::settle_upcoming();
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// A V3 invoke transaction. Unsigned: the account's `__validate__` authorizes it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::invoke(transaction.resource_bounds.l2_gas()))]
		pub fn invoke(
			origin: OriginFor<T>,
			transaction: InvokeTransactionV3,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			let l2_gas = Self::apply(Transaction::Invoke(transaction), None)?;
			Ok(Some(T::WeightInfo::invoke(l2_gas)).into())
		}

		/// A V3 declare transaction with its Sierra class (JSON, as Starknet JSON-RPC carries
		/// it). The node compiles it to CASM; the declared compiled class hash must match.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::declare(
			contract_class.len() as u32,
			transaction.resource_bounds.l2_gas(),
		))]
		pub fn declare(
			origin: OriginFor<T>,
			transaction: DeclareTransactionV3,
			contract_class: Vec<u8>,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			let class_len = contract_class.len() as u32;
			let l2_gas = Self::apply(Transaction::Declare(transaction), Some(contract_class))?;
			Ok(Some(T::WeightInfo::declare(class_len, l2_gas)).into())
		}

		/// A V3 deploy-account transaction.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deploy_account(transaction.resource_bounds.l2_gas()))]
		pub fn deploy_account(
			origin: OriginFor<T>,
			transaction: DeployAccountTransactionV3,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			let l2_gas = Self::apply(Transaction::DeployAccount(transaction), None)?;
			Ok(Some(T::WeightInfo::deploy_account(l2_gas)).into())
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

		/// Set what one block's Starknet transactions may use together (for example when the
		/// block time changes). Root only; takes effect from the next transaction.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_chain_configuration())]
		pub fn set_block_capacity(origin: OriginFor<T>, capacity: BlockCapacity) -> DispatchResult {
			ensure_root(origin)?;
			Capacity::<T>::put(capacity);
			Self::deposit_event(Event::BlockCapacitySet { capacity });
			Ok(())
		}

		/// Set what runs the chain's Cairo code, from the next transaction on. Root only. Every
		/// node executes with the chain's engine; a node built without Cairo Native cannot
		/// execute a chain set to [`Engine::Native`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_chain_configuration())]
		pub fn set_engine(origin: OriginFor<T>, engine: Engine) -> DispatchResult {
			ensure_root(origin)?;
			ChainEngine::<T>::put(engine);
			Self::deposit_event(Event::EngineSet { engine });
			Ok(())
		}

		/// Write contract storage directly: `(contract, key, value)`, at most
		/// [`dev::MAX_WRITES`]. Root only (development tooling: `dev_setStorageAt`); the writes
		/// enter the block's state diff.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_chain_configuration().saturating_mul(writes.len().max(1) as u64))]
		pub fn set_storage(
			origin: OriginFor<T>,
			writes: Vec<(Felt, Felt, Felt)>,
		) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(writes.len() <= dev::MAX_WRITES as usize, Error::<T>::TooManyWrites);
			let count = writes.len() as u32;
			Self::write_storage(writes);
			Self::deposit_event(Event::StorageSet { writes: count });
			Ok(())
		}

		/// Add `amount` to the u256 values at each of `keys` of `contract` (low word at the key,
		/// high word at the next), at most [`dev::MAX_WRITES`] keys: minting a token is its
		/// balance and total supply credited. Root only (development tooling: `devnet_mint`).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_chain_configuration().saturating_mul(2 * keys.len().max(1) as u64))]
		pub fn credit(
			origin: OriginFor<T>,
			contract: Felt,
			keys: Vec<Felt>,
			amount: u128,
		) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(keys.len() <= dev::MAX_WRITES as usize, Error::<T>::TooManyWrites);
			Self::credit_u256(contract, &keys, amount)?;
			Self::deposit_event(Event::Credited { contract, amount });
			Ok(())
		}

		/// Change the Starknet clock or gas prices from the next block on (see [`crate::dev`]):
		/// time only forward. Root only (development tooling: `devnet_setTime`,
		/// `devnet_increaseTime`, `devnet_setGasPrice`, Katana's timestamp methods).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_chain_configuration())]
		pub fn set_next_blocks(origin: OriginFor<T>, change: NextBlocks) -> DispatchResult {
			ensure_root(origin)?;
			Self::ask_upcoming(change.clone())?;
			Self::deposit_event(Event::NextBlocksSet { change });
			Ok(())
		}

		/// The messages from L1 the block author's L1 follower saw (an inherent: see
		/// [`crate::l1`]), each executed as an `l1_handler` transaction.
		#[pallet::call_index(10)]
		#[pallet::weight((Pallet::<T>::l1_messages_weight(messages.len()), DispatchClass::Mandatory))]
		pub fn consume_l1_messages(
			origin: OriginFor<T>,
			messages: Vec<cairn_primitives::starknet::l1::L1Message>,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			Self::consume(messages)
		}
	}

	#[pallet::inherent]
	impl<T: Config> ProvideInherent for Pallet<T> {
		type Call = Call<T>;
		type Error = cairn_primitives::starknet::l1::L1InherentError;
		const INHERENT_IDENTIFIER: InherentIdentifier =
			cairn_primitives::starknet::l1::INHERENT_IDENTIFIER;

		fn create_inherent(data: &InherentData) -> Option<Self::Call> {
			let offered: Vec<cairn_primitives::starknet::l1::L1Message> =
				data.get_data(&Self::INHERENT_IDENTIFIER).ok().flatten()?;
			let messages = Self::l1_messages_to_include(offered);
			(!messages.is_empty()).then_some(Call::consume_l1_messages { messages })
		}

		/// An importer that follows L1 itself (its inherent data has the messages it saw)
		/// refuses a block with a message it did not see; one without an L1 endpoint trusts the
		/// block's authority (README, "Bridging to L1").
		fn check_inherent(call: &Self::Call, data: &InherentData) -> Result<(), Self::Error> {
			let Call::consume_l1_messages { messages } = call else { return Ok(()) };
			let Ok(Some(seen)) = data.get_data::<Vec<cairn_primitives::starknet::l1::L1Message>>(
				&Self::INHERENT_IDENTIFIER,
			) else {
				return Ok(());
			};
			Self::check_l1_messages(messages, &seen)
		}

		fn is_inherent(call: &Self::Call) -> bool {
			matches!(call, Call::consume_l1_messages { .. })
		}
	}

	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		/// The pool's question (see [`crate::validation`]).
		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			Self::validate(call)
		}

		/// Block building's question: the whole execution, handed to the dispatch.
		fn pre_dispatch(call: &Self::Call) -> Result<(), TransactionValidityError> {
			Self::admit_to_block(call)
		}
	}
}

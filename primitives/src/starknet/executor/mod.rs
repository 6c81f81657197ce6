//! The native side of [`super::host`]: blockifier executing against pallet storage.
//!
//! Compiled only for native builds (`not(substrate_runtime)`). Pieces:
//! - [`state::PalletState`]: blockifier's `StateReader` over the externalities;
//! - [`cache`]: process-wide caches of immutable things (parsed classes, compiled Sierra, block
//!   contexts);
//! - here: request → blockifier transaction, outcome ← execution info, blockifier's errors →
//!   [`Rejection`]s;
//! - [`raw`]: blockifier alone over an in-memory state (the benchmark's ceiling).
mod cache;
pub mod raw;
mod state;

use super::{
	exec::{
		BlockContext, CallKind, CallRequest, ClassDefinition, CompiledClass, EntryPointKind, Event,
		ExecError, ExecMode, ExecOutcome, ExecRequest, FeeUnit, GasVector, Invocation, MessageToL1,
		Rejection, StateDiff, TransactionTrace,
	},
	Felt, Transaction,
};
use blockifier::{
	blockifier::stateful_validator::{StatefulValidator, StatefulValidatorError},
	state::{cached_state::CachedState, cached_state::StateMaps, errors::StateError},
	transaction::{
		account_transaction::{AccountTransaction, ExecutionFlags},
		errors::{TransactionExecutionError, TransactionFeeError, TransactionPreValidationError},
		objects::TransactionExecutionInfo,
		transaction_execution::Transaction as BlockifierTransaction,
		transactions::{enforce_fee, ExecutableTransaction},
	},
};
use sp_externalities::Externalities;
use starknet_api::{
	contract_class::{ClassInfo, ContractClass, SierraVersion},
	core::ChainId,
	executable_transaction as exec_tx,
	transaction::{self as api, fields::Fee, TransactionOptions},
	transaction_hash::get_transaction_hash,
};
use std::panic::AssertUnwindSafe;

pub(crate) use state::PalletState;

/// [`super::host::starknet_executor::execute`], natively.
pub fn execute(
	ext: &mut dyn Externalities,
	request: ExecRequest,
) -> Result<ExecOutcome, ExecError> {
	guarded(|| execute_unguarded(ext, request, false).map(|(outcome, _)| outcome))
}

/// [`super::host::starknet_executor::execute_traced`], natively.
pub fn execute_traced(
	ext: &mut dyn Externalities,
	request: ExecRequest,
) -> Result<(ExecOutcome, TransactionTrace), ExecError> {
	guarded(|| execute_unguarded(ext, request, true))
}

/// [`super::host::starknet_executor::call`], natively.
pub fn call(ext: &mut dyn Externalities, request: CallRequest) -> Result<Vec<Felt>, ExecError> {
	guarded(|| call_unguarded(ext, request))
}

fn call_unguarded(
	ext: &mut dyn Externalities,
	request: CallRequest,
) -> Result<Vec<Felt>, ExecError> {
	use blockifier::{
		context::TransactionContext,
		execution::{
			common_hints::ExecutionMode,
			entry_point::{CallEntryPoint, EntryPointExecutionContext, SierraGasRevertTracker},
		},
		state::state_api::StateReader,
		transaction::objects::{DeprecatedTransactionInfo, TransactionInfo},
	};
	use starknet_api::{
		core::{ContractAddress, EntryPointSelector},
		transaction::fields::Calldata,
	};
	let block_context = cache::block_context(&request.context)?;
	let address = ContractAddress::try_from(request.contract_address.0)
		.map_err(|e| rejected(Rejection::Malformed, e))?;
	let mut state = CachedState::new(PalletState::new(ext));
	let class_hash = state.get_class_hash_at(address).map_err(internal)?;
	if class_hash.0 == starknet_types_core::felt::Felt::ZERO {
		return Err(rejected(Rejection::ContractNotFound, "no contract at this address"));
	}
	let gas = block_context.versioned_constants().sierra_gas_limit(&ExecutionMode::Execute);
	let entry_point = CallEntryPoint {
		calldata: Calldata(std::sync::Arc::new(request.calldata.iter().map(|f| f.0).collect())),
		storage_address: address,
		entry_point_selector: EntryPointSelector(request.entry_point_selector.0),
		initial_gas: gas.0,
		class_hash: Some(class_hash),
		..Default::default()
	};
	let tx_context = TransactionContext {
		block_context: block_context.clone(),
		tx_info: TransactionInfo::Deprecated(DeprecatedTransactionInfo::default()),
	};
	let mut context = EntryPointExecutionContext::new(
		std::sync::Arc::new(tx_context),
		ExecutionMode::Execute,
		false,
		SierraGasRevertTracker::new(gas),
	);
	let mut remaining_gas = gas.0;
	let info = entry_point
		.execute(&mut state, &mut context, &mut remaining_gas)
		.map_err(|e| rejected(Rejection::ExecutionFailed, e))?;
	let retdata: Vec<Felt> = info.execution.retdata.0.iter().copied().map(Felt).collect();
	if info.execution.failed {
		let not_found =
			starknet_types_core::felt::Felt::from_bytes_be_slice(b"ENTRYPOINT_NOT_FOUND");
		if retdata.first().map(|f| f.0) == Some(not_found) {
			return Err(rejected(
				Rejection::EntryPointNotFound,
				"the contract has no such entry point",
			));
		}
		let reason: Vec<String> = retdata
			.iter()
			.map(|felt| {
				let bytes = felt.to_bytes();
				let text: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
				match core::str::from_utf8(&text) {
					Ok(s)
						if !s.is_empty()
							&& s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') =>
					{
						format!("{felt:?} ('{s}')")
					}
					_ => format!("{felt:?}"),
				}
			})
			.collect();
		return Err(rejected(
			Rejection::ExecutionFailed,
			format!("the call failed: {}", reason.join(", ")),
		));
	}
	Ok(retdata)
}

/// The Starknet hash of `tx` on `chain_id` (its query hash when `only_query`), remembered: the
/// RPC that receives a transaction, the pool that validates it and the block that executes it
/// all need it, and hashing a V3 transaction costs several Poseidon permutations.
pub fn transaction_hash(
	tx: &Transaction,
	chain_id: &ChainId,
	only_query: bool,
) -> Result<Felt, crate::starknet::ConversionError> {
	use codec::Encode;
	let key = (chain_id.to_string(), only_query, tx).encode();
	cache::transaction_hash(&key, || tx.hash(chain_id, only_query))
}

/// [`super::host::starknet_executor::compile_class`], natively.
pub fn compile_class(sierra_json: &[u8]) -> Result<CompiledClass, ExecError> {
	guarded(|| cache::compiled_sierra(sierra_json, compile_unguarded))
}

/// Runs `f`, turning a panic into [`ExecError::Internal`] instead of killing the node (Substrate's
/// panic hook aborts the process unless told to unwind).
fn guarded<R>(f: impl FnOnce() -> Result<R, ExecError>) -> Result<R, ExecError> {
	let _unwind = sp_panic_handler::AbortGuard::force_unwind();
	std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
		let message = panic
			.downcast_ref::<&str>()
			.map(|s| s.to_string())
			.or_else(|| panic.downcast_ref::<String>().cloned())
			.unwrap_or_else(|| "unknown panic".into());
		Err(internal(format!("the executor panicked: {message}")))
	})
}

fn internal(message: impl core::fmt::Display) -> ExecError {
	ExecError::Internal(message.to_string().into_bytes())
}

fn rejected(rejection: Rejection, message: impl core::fmt::Display) -> ExecError {
	ExecError::Rejected(rejection, message.to_string().into_bytes())
}

fn execute_unguarded(
	ext: &mut dyn Externalities,
	request: ExecRequest,
	traced: bool,
) -> Result<(ExecOutcome, TransactionTrace), ExecError> {
	let block_context = cache::block_context(&request.context)?;
	let chain_id = block_context.chain_info().chain_id.clone();
	let fee_unit = match request.tx {
		Transaction::L1Handler(_) => FeeUnit::Wei,
		_ => FeeUnit::Fri,
	};
	let mode = request.mode;
	let (tx, contract_address) = to_blockifier(request, &chain_id)?;
	let tx_hash = Felt(BlockifierTransaction::tx_hash(&tx).0);
	let mut state = CachedState::new(PalletState::new(ext));
	match (mode, tx) {
		(ExecMode::Pool, BlockifierTransaction::Account(tx)) => {
			// Pool admission: blockifier's own pre-execution checks and `__validate__`.
			let mut validator = StatefulValidator::create(state, (*block_context).clone());
			validator.perform_validations(tx).map_err(reject_validation)?;
			let info = TransactionExecutionInfo::default();
			let outcome = outcome(tx_hash, contract_address, fee_unit, &info, StateMaps::default());
			Ok((outcome, TransactionTrace::default()))
		}
		(_, tx) => {
			let info = tx.execute(&mut state, &block_context).map_err(reject_execution)?;
			let trace = match traced {
				true => trace(&info, &mut state, block_context.versioned_constants())?,
				false => TransactionTrace::default(),
			};
			let diff = state.to_state_diff().map_err(internal)?.state_maps;
			Ok((outcome(tx_hash, contract_address, fee_unit, &info, diff), trace))
		}
	}
}

/// The call trees of an executed transaction.
fn trace(
	info: &TransactionExecutionInfo,
	state: &mut impl blockifier::state::state_api::StateReader,
	constants: &blockifier::blockifier_versioned_constants::VersionedConstants,
) -> Result<TransactionTrace, ExecError> {
	let mut invocation = |call: &Option<blockifier::execution::call_info::CallInfo>| {
		call.as_ref().map(|call| invocation(call, state, constants)).transpose()
	};
	Ok(TransactionTrace {
		validate: invocation(&info.validate_call_info)?,
		execute: invocation(&info.execute_call_info)?,
		fee_transfer: invocation(&info.fee_transfer_call_info)?,
	})
}

fn invocation(
	call: &blockifier::execution::call_info::CallInfo,
	state: &mut impl blockifier::state::state_api::StateReader,
	constants: &blockifier::blockifier_versioned_constants::VersionedConstants,
) -> Result<Invocation, ExecError> {
	use blockifier::execution::{contract_class::TrackedResource, entry_point::CallType};
	use starknet_api::{
		contract_class::EntryPointType, transaction::fields::GasVectorComputationMode,
	};
	let felts =
		|values: &[starknet_types_core::felt::Felt]| values.iter().copied().map(Felt).collect();
	let entry = &call.call;
	let class_hash = match entry.class_hash {
		Some(class_hash) => class_hash,
		None => state.get_class_hash_at(entry.storage_address).map_err(internal)?,
	};
	let calls = call
		.inner_calls
		.iter()
		.map(|inner| invocation(inner, state, constants))
		.collect::<Result<Vec<_>, _>>()?;
	let (l1_gas, l2_gas) = match call.tracked_resource {
		TrackedResource::SierraGas => (0, call.execution.gas_consumed),
		TrackedResource::CairoSteps => {
			let gas = blockifier::fee::fee_utils::get_extended_vm_resources_cost(
				constants,
				&call.resources,
				0,
				&GasVectorComputationMode::All,
			);
			(gas.l1_gas.0, gas.l2_gas.0)
		}
	};
	let mut events: Vec<_> = call
		.execution
		.events
		.iter()
		.map(|event| {
			let keys = event.event.keys.iter().map(|key| Felt(key.0)).collect();
			(event.order as u64, keys, felts(&event.event.data.0))
		})
		.collect();
	events.sort_by_key(|event| event.0);
	let mut messages: Vec<_> = call
		.execution
		.l2_to_l1_messages
		.iter()
		.map(|message| {
			let to = Felt(message.message.to_address.into());
			(message.order as u64, to, felts(&message.message.payload.0))
		})
		.collect();
	messages.sort_by_key(|message| message.0);
	Ok(Invocation {
		contract_address: Felt(*entry.storage_address.0.key()),
		entry_point_selector: Felt(entry.entry_point_selector.0),
		calldata: felts(&entry.calldata.0),
		caller_address: Felt(*entry.caller_address.0.key()),
		class_hash: Felt(class_hash.0),
		entry_point_kind: match entry.entry_point_type {
			EntryPointType::External => EntryPointKind::External,
			EntryPointType::L1Handler => EntryPointKind::L1Handler,
			EntryPointType::Constructor => EntryPointKind::Constructor,
		},
		call_kind: match entry.call_type {
			CallType::Call => CallKind::Call,
			CallType::Delegate => CallKind::LibraryCall,
		},
		result: felts(&call.execution.retdata.0),
		calls,
		events,
		messages,
		l1_gas,
		l2_gas,
		is_reverted: call.execution.failed,
	})
}

/// The blockifier transaction for a request, and the address a deploy-account deploys to.
fn to_blockifier(
	request: ExecRequest,
	chain_id: &ChainId,
) -> Result<(BlockifierTransaction, Option<Felt>), ExecError> {
	let malformed = |e: &dyn core::fmt::Display| rejected(Rejection::Malformed, e);
	// Invokes, the bulk of the traffic, take their hash from the cache.
	let query = matches!(request.mode, ExecMode::Query { only_query: true, .. });
	let invoke_hash = match &request.tx {
		Transaction::Invoke(_) if !query => Some(
			transaction_hash(&request.tx, chain_id, false)
				.map(|hash| starknet_api::transaction::TransactionHash(hash.0))
				.map_err(|e| malformed(&e))?,
		),
		_ => None,
	};
	let tx: api::Transaction = request.tx.try_into().map_err(|e| malformed(&e))?;
	// A query transaction is signed over its query hash; blockifier must see that hash.
	let query_hash = match request.mode {
		ExecMode::Query { only_query: true, .. } => Some(
			get_transaction_hash(&tx, chain_id, &TransactionOptions { only_query: true })
				.map_err(|e| malformed(&e))?,
		),
		_ => None,
	};
	let (account_tx, address) = match tx {
		api::Transaction::Invoke(tx) => {
			let tx_hash = match (query_hash, invoke_hash) {
				(Some(hash), _) | (None, Some(hash)) => hash,
				(None, None) => {
					exec_tx::InvokeTransaction::create(tx.clone(), chain_id)
						.map_err(|e| malformed(&e))?
						.tx_hash
				}
			};
			let tx = exec_tx::InvokeTransaction { tx, tx_hash };
			(exec_tx::AccountTransaction::Invoke(tx), None)
		}
		api::Transaction::DeployAccount(tx) => {
			let mut tx = exec_tx::DeployAccountTransaction::create(tx, chain_id)
				.map_err(|e| malformed(&e))?;
			tx.tx_hash = query_hash.unwrap_or(tx.tx_hash);
			let address = Felt(*tx.contract_address.0.key());
			(exec_tx::AccountTransaction::DeployAccount(tx), Some(address))
		}
		api::Transaction::Declare(tx) => {
			let class = request
				.class
				.as_ref()
				.ok_or_else(|| rejected(Rejection::InvalidClass, "a declare needs its class"))?;
			let class_info = class_info(class)?;
			let mut tx = exec_tx::DeclareTransaction::create(tx, class_info, chain_id)
				.map_err(|e| malformed(&e))?;
			tx.tx_hash = query_hash.unwrap_or(tx.tx_hash);
			(exec_tx::AccountTransaction::Declare(tx), None)
		}
		api::Transaction::L1Handler(tx) => {
			// A fee estimate assumes the message paid something on L1 (blockifier refuses 0).
			let paid = match request.mode {
				ExecMode::Query { .. } => request.paid_fee_on_l1.max(1),
				_ => request.paid_fee_on_l1,
			};
			let tx = exec_tx::L1HandlerTransaction::create(tx, chain_id, Fee(paid))
				.map_err(|e| malformed(&e))?;
			return Ok((BlockifierTransaction::L1Handler(tx), None));
		}
		_ => return Err(malformed(&"only V3 and L1 handler transactions are executed")),
	};
	let execution_flags = match request.mode {
		ExecMode::Block | ExecMode::Pool => ExecutionFlags {
			only_query: false,
			charge_fee: enforce_fee(&account_tx, false),
			validate: true,
			strict_nonce_check: matches!(request.mode, ExecMode::Block),
		},
		ExecMode::Query { only_query, validate, charge_fee } => ExecutionFlags {
			only_query,
			charge_fee: charge_fee && enforce_fee(&account_tx, only_query),
			validate,
			strict_nonce_check: true,
		},
	};
	Ok((
		BlockifierTransaction::Account(AccountTransaction { tx: account_tx, execution_flags }),
		address,
	))
}

/// What blockifier needs of a class being declared.
fn class_info(class: &ClassDefinition) -> Result<ClassInfo, ExecError> {
	let casm = serde_json::from_slice(&class.casm)
		.map_err(|e| rejected(Rejection::InvalidClass, format!("CASM is not valid: {e}")))?;
	let (major, minor, patch) = class.sierra_version;
	let sierra_version = SierraVersion::new(major, minor, patch);
	ClassInfo::new(
		&ContractClass::V1((casm, sierra_version.clone())),
		class.sierra_program_length as usize,
		class.abi_length as usize,
		sierra_version,
	)
	.map_err(|e| rejected(Rejection::InvalidClass, e))
}

fn outcome(
	tx_hash: Felt,
	contract_address: Option<Felt>,
	fee_unit: FeeUnit,
	info: &TransactionExecutionInfo,
	diff: StateMaps,
) -> ExecOutcome {
	let felt = |f: starknet_types_core::felt::Felt| Felt(f);
	let events = info
		.non_optional_call_infos()
		.flat_map(|call| call.get_sorted_events())
		.map(|event| Event {
			from_address: felt(*event.from_address.0.key()),
			keys: event.content.keys.iter().map(|key| felt(key.0)).collect(),
			data: event.content.data.0.iter().copied().map(felt).collect(),
		})
		.collect();
	let messages = info
		.non_optional_call_infos()
		.flat_map(|call| call.get_sorted_l2_to_l1_messages())
		.map(|message| MessageToL1 {
			from_address: felt(*message.from_address.0.key()),
			to_address: felt(message.to_address.into()),
			payload: message.payload.0.iter().copied().map(felt).collect(),
		})
		.collect();
	let gas = info.receipt.gas;
	ExecOutcome {
		tx_hash,
		contract_address,
		actual_fee: info.receipt.fee.0,
		fee_unit,
		gas: GasVector {
			l1_gas: gas.l1_gas.0,
			l1_data_gas: gas.l1_data_gas.0,
			l2_gas: gas.l2_gas.0,
		},
		revert_error: info.revert_error.as_ref().map(|e| e.to_string().into_bytes()),
		events,
		messages,
		state_diff: state_diff(diff),
	}
}

fn state_diff(maps: StateMaps) -> StateDiff {
	let address = |a: starknet_api::core::ContractAddress| Felt(*a.0.key());
	let mut diff = StateDiff {
		storage: maps
			.storage
			.into_iter()
			.map(|((contract, key), value)| (address(contract), Felt(*key.0.key()), Felt(value)))
			.collect(),
		nonces: maps.nonces.into_iter().map(|(a, n)| (address(a), Felt(n.0))).collect(),
		class_hashes: maps
			.class_hashes
			.into_iter()
			.map(|(a, class_hash)| (address(a), Felt(class_hash.0)))
			.collect(),
		compiled_class_hashes: maps
			.compiled_class_hashes
			.into_iter()
			.map(|(class_hash, compiled)| (Felt(class_hash.0), Felt(compiled.0)))
			.collect(),
	};
	diff.storage.sort();
	diff.nonces.sort();
	diff.class_hashes.sort();
	diff.compiled_class_hashes.sort();
	diff
}

fn reject_execution(error: TransactionExecutionError) -> ExecError {
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

fn reject_validation(error: StatefulValidatorError) -> ExecError {
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

/// Sierra JSON (Starknet JSON-RPC's `CONTRACT_CLASS`: program as hex felts, ABI as a string) →
/// class hash, CASM and compiled class hash.
fn compile_unguarded(sierra_json: &[u8]) -> Result<CompiledClass, ExecError> {
	use cairo_lang_starknet_classes::{
		casm_contract_class::CasmContractClass, contract_class::ContractClass as CairoClass,
	};
	let invalid = |e: &dyn core::fmt::Display| rejected(Rejection::InvalidClass, e);
	let class: starknet_api::state::SierraContractClass =
		serde_json::from_slice(sierra_json).map_err(|e| invalid(&e))?;
	let class_hash = class.calculate_class_hash();
	let sierra_version =
		SierraVersion::extract_from_program(&class.sierra_program).map_err(|e| invalid(&e))?;
	// cairo-lang's class has the same JSON shape except the ABI, which the compiler ignores.
	let mut value = serde_json::to_value(&class).map_err(|e| invalid(&e))?;
	value["abi"] = serde_json::Value::Null;
	let cairo_class: CairoClass = serde_json::from_value(value).map_err(|e| invalid(&e))?;
	let extracted = cairo_class.extract_sierra_program(false).map_err(|e| invalid(&e))?;
	let casm = CasmContractClass::from_contract_class(cairo_class, extracted, false, usize::MAX)
		.map_err(|e| invalid(&e))?;
	let compiled_class_hash = Felt(casm.compiled_class_hash());
	let casm = serde_json::to_vec(&casm).map_err(internal)?;
	Ok(CompiledClass {
		class_hash: Felt(class_hash.0),
		compiled_class_hash,
		definition: ClassDefinition {
			casm,
			sierra_version: (sierra_version.major, sierra_version.minor, sierra_version.patch),
			sierra_program_length: class.sierra_program.len() as u64,
			abi_length: class.abi.len() as u64,
		},
	})
}

/// The Starknet block context for a request's context DTO (see [`cache::block_context`]).
fn build_block_context(
	context: &BlockContext,
) -> Result<blockifier::context::BlockContext, ExecError> {
	use blockifier::{
		blockifier_versioned_constants::VersionedConstants,
		bouncer::BouncerConfig,
		context::{ChainInfo, FeeTokenAddresses},
	};
	use starknet_api::{
		block::{
			BlockInfo, BlockNumber, BlockTimestamp, GasPrice, GasPriceVector, GasPrices,
			NonzeroGasPrice, StarknetVersion,
		},
		core::ContractAddress,
		versioned_constants_logic::VersionedConstantsTrait,
	};
	let config = &context.config;
	let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
	let version = StarknetVersion::try_from(text(&config.starknet_version))
		.map_err(|e| internal(format!("unsupported Starknet version: {e}")))?;
	let constants = VersionedConstants::get(&version).map_err(|e| internal(e))?;
	let address = |felt: Felt| {
		ContractAddress::try_from(felt.0).map_err(|e| internal(format!("bad address: {e}")))
	};
	let price = |p: u128| {
		NonzeroGasPrice::new(GasPrice(p)).map_err(|e| internal(format!("gas price: {e}")))
	};
	let prices = &config.gas_prices;
	let block_info = BlockInfo {
		block_number: BlockNumber(context.block_number),
		block_timestamp: BlockTimestamp(context.block_timestamp),
		starknet_version: version,
		sequencer_address: address(config.sequencer_address)?,
		gas_prices: GasPrices {
			eth_gas_prices: GasPriceVector {
				l1_gas_price: price(prices.l1_gas_price_wei)?,
				l1_data_gas_price: price(prices.l1_data_gas_price_wei)?,
				l2_gas_price: price(prices.l2_gas_price_wei)?,
			},
			strk_gas_prices: GasPriceVector {
				l1_gas_price: price(prices.l1_gas_price_fri)?,
				l1_data_gas_price: price(prices.l1_data_gas_price_fri)?,
				l2_gas_price: price(prices.l2_gas_price_fri)?,
			},
		},
		use_kzg_da: config.use_kzg_da,
	};
	let chain_info = ChainInfo {
		chain_id: ChainId::from(text(&config.chain_id)),
		fee_token_addresses: FeeTokenAddresses {
			strk_fee_token_address: address(config.strk_fee_token)?,
			eth_fee_token_address: address(config.eth_fee_token)?,
		},
		is_l3: false,
	};
	Ok(blockifier::context::BlockContext::new(
		block_info,
		chain_info,
		constants.clone(),
		BouncerConfig::max(),
	))
}

//! One transaction executed by blockifier against pallet storage: the request turned into a
//! blockifier transaction (with the flags its mode asks for), executed or — for pool admission —
//! validated, and its execution info turned into the outcome the pallet applies.
use crate::{
	admission, cache,
	convert::{transaction_hash, TryConvert},
	errors::{internal, reject_execution, rejected},
	state::{Engines, PalletState},
	trace::trace,
};
use blockifier::{
	state::cached_state::{CachedState, StateMaps},
	transaction::{
		account_transaction::{AccountTransaction, ExecutionFlags},
		objects::TransactionExecutionInfo,
		transaction_execution::Transaction as BlockifierTransaction,
		transactions::{enforce_fee, ExecutableTransaction},
	},
};
use cairn_primitives::starknet::{
	exec::{
		ClassDefinition, Event, ExecError, ExecMode, ExecOutcome, ExecRequest, FeeUnit, GasVector,
		MessageToL1, Rejection, StateDiff, TransactionTrace,
	},
	Felt, Transaction,
};
use codec::Encode;
use sp_externalities::Externalities;
use starknet_api::{
	contract_class::{ClassInfo, ContractClass, SierraVersion},
	core::ChainId,
	executable_transaction as exec_tx,
	transaction::{self as api, fields::Fee, TransactionOptions},
	transaction_hash::get_transaction_hash,
};

/// Executes `request` on the state `ext` holds, with the engine `engines` names; with `traced`,
/// also its call trees.
pub(crate) fn execute_unguarded(
	ext: &mut dyn Externalities,
	request: ExecRequest,
	traced: bool,
	engines: Engines<'_>,
) -> Result<(ExecOutcome, TransactionTrace), ExecError> {
	let block_context = cache::block_context(&request.context)?;
	let runner = engines.runner(block_context.versioned_constants())?;
	let chain_id = block_context.chain_info().chain_id.clone();
	let fee_unit = match request.tx {
		Transaction::L1Handler(_) => FeeUnit::Wei,
		_ => FeeUnit::Fri,
	};
	let mode = request.mode;
	let (tx, contract_address) = to_blockifier(request, &chain_id)?;
	let tx_hash = Felt(BlockifierTransaction::tx_hash(&tx).0);
	let mut state = CachedState::new(PalletState::new(ext, runner));
	match (mode, tx) {
		(ExecMode::Pool, BlockifierTransaction::Account(tx)) => {
			// Pool admission: blockifier's own pre-execution checks and `__validate__` (natively
			// for known accounts, see `admission`).
			admission::admit(state, &block_context, tx)?;
			let info = TransactionExecutionInfo::default();
			let outcome = outcome(tx_hash, contract_address, fee_unit, &info, StateMaps::default());
			Ok((outcome, TransactionTrace::default()))
		}
		(_, tx) => {
			// In a block, an invoke of a shape admission has not measured yet is measured on the
			// way (see `admission`).
			let measurement = match (mode, &tx) {
				(ExecMode::Block, BlockifierTransaction::Account(account)) => {
					admission::before_execution(&mut state, &block_context, account)
				}
				_ => None,
			};
			let info = tx.execute(&mut state, &block_context).map_err(reject_execution)?;
			if let BlockifierTransaction::Account(account) = &tx {
				admission::after_execution(measurement, &block_context, account, &info);
			}
			let trace = match traced {
				true => trace(&info, &mut state, block_context.versioned_constants())?,
				false => TransactionTrace::default(),
			};
			let diff = state.to_state_diff().map_err(internal)?.state_maps;
			Ok((outcome(tx_hash, contract_address, fee_unit, &info, diff), trace))
		}
	}
}

/// The blockifier transaction for a request, and the address a deploy-account deploys to.
pub(crate) fn to_blockifier(
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
	let tx: api::Transaction = request.tx.try_convert().map_err(|e| malformed(&e))?;
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

/// What blockifier needs of a class being declared (parsed once per definition: a declare is
/// validated by the pool, perhaps again, then executed in a block, and its CASM can be megabytes).
fn class_info(class: &ClassDefinition) -> Result<ClassInfo, ExecError> {
	crate::cache::class_info(&class.encode(), || parse_class_info(class))
}

fn parse_class_info(class: &ClassDefinition) -> Result<ClassInfo, ExecError> {
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

//! The call trees of an executed transaction (Starknet JSON-RPC's `FUNCTION_INVOCATION`s).
use crate::errors::internal;
use blockifier::transaction::objects::TransactionExecutionInfo;
use cairn_primitives::starknet::{
	exec::{CallKind, EntryPointKind, ExecError, Invocation, TransactionTrace},
	Felt,
};

/// The call trees of an executed transaction.
pub(crate) fn trace(
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

//! A read-only call of a contract's entry point (Starknet JSON-RPC's `starknet_call`).
use crate::{
	cache,
	errors::{internal, rejected},
	state::{Engines, PalletState},
};
use blockifier::state::cached_state::CachedState;
use cairn_primitives::starknet::{
	exec::{CallRequest, ExecError, Rejection},
	Felt,
};
use sp_externalities::Externalities;

/// Calls the entry point `request` names on the state `ext` holds, with the engine `engines`
/// names; its return data.
pub(crate) fn call_unguarded(
	ext: &mut dyn Externalities,
	request: CallRequest,
	engines: Engines<'_>,
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
	let runner = engines.runner(block_context.versioned_constants())?;
	let mut state = CachedState::new(PalletState::new(ext, runner));
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

//! The JSON of Starknet traces (`starknet_trace_api_openrpc.json`): call trees as the executor
//! returns them ([`TransactionTrace`]) turned into the spec's `TRANSACTION_TRACE`.
//!
//! Where traces come from is [`crate::rpc`]'s business: simulations run through the runtime API
//! `simulate_traced`; traces of mined transactions re-execute their block's prefix on the parent
//! state through `trace_extrinsic`.
use cairn_primitives::starknet::exec::{
	CallKind, EntryPointKind, ExecOutcome, Invocation, TransactionKind, TransactionTrace,
};
use serde_json::{json, Value};

/// The spec's `FUNCTION_INVOCATION`.
pub fn invocation_json(invocation: &Invocation) -> Value {
	json!({
		"contract_address": invocation.contract_address,
		"entry_point_selector": invocation.entry_point_selector,
		"calldata": invocation.calldata,
		"caller_address": invocation.caller_address,
		"class_hash": invocation.class_hash,
		"entry_point_type": match invocation.entry_point_kind {
			EntryPointKind::External => "EXTERNAL",
			EntryPointKind::L1Handler => "L1_HANDLER",
			EntryPointKind::Constructor => "CONSTRUCTOR",
		},
		"call_type": match invocation.call_kind {
			CallKind::Call => "CALL",
			CallKind::LibraryCall => "LIBRARY_CALL",
		},
		"result": invocation.result,
		"calls": invocation.calls.iter().map(invocation_json).collect::<Vec<_>>(),
		"events": invocation.events.iter().map(|(order, keys, data)| json!({
			"order": order,
			"keys": keys,
			"data": data,
		})).collect::<Vec<_>>(),
		"messages": invocation.messages.iter().map(|(order, to_address, payload)| json!({
			"order": order,
			"from_address": invocation.contract_address,
			"to_address": to_address,
			"payload": payload,
		})).collect::<Vec<_>>(),
		"execution_resources": { "l1_gas": invocation.l1_gas, "l2_gas": invocation.l2_gas },
		"is_reverted": invocation.is_reverted,
	})
}

/// The spec's `TRANSACTION_TRACE` of a transaction of `kind`; `state_diff` is its `STATE_DIFF`.
pub fn transaction_trace_json(
	kind: TransactionKind,
	outcome: &ExecOutcome,
	trace: &TransactionTrace,
	state_diff: Value,
) -> Value {
	// What the execute phase did: its call tree, or why it reverted.
	let revertible = || match (&outcome.revert_error, &trace.execute) {
		(Some(reason), _) => json!({ "revert_reason": String::from_utf8_lossy(reason) }),
		(None, Some(invocation)) => invocation_json(invocation),
		(None, None) => json!({ "revert_reason": "the transaction executed no call" }),
	};
	let mut json = json!({
		"state_diff": state_diff,
		"execution_resources": {
			"l1_gas": outcome.gas.l1_gas,
			"l1_data_gas": outcome.gas.l1_data_gas,
			"l2_gas": outcome.gas.l2_gas,
		},
	});
	match kind {
		TransactionKind::Invoke => {
			json["type"] = "INVOKE".into();
			json["execute_invocation"] = revertible();
		}
		TransactionKind::Declare => json["type"] = "DECLARE".into(),
		TransactionKind::DeployAccount => {
			json["type"] = "DEPLOY_ACCOUNT".into();
			// A deploy-account whose constructor fails is rejected, never reverted: there is
			// always a constructor call.
			json["constructor_invocation"] =
				trace.execute.as_ref().map(invocation_json).unwrap_or_else(revertible);
		}
		TransactionKind::L1Handler => {
			json["type"] = "L1_HANDLER".into();
			json["function_invocation"] = revertible();
		}
	}
	if let Some(validate) = &trace.validate {
		json["validate_invocation"] = invocation_json(validate);
	}
	if let Some(fee_transfer) = &trace.fee_transfer {
		json["fee_transfer_invocation"] = invocation_json(fee_transfer);
	}
	json
}

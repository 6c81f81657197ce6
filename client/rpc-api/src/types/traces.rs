//! Starknet traces (`starknet_trace_api_openrpc.json`): call trees as the executor returns them
//! ([`exec::TransactionTrace`]) as the spec's `TRANSACTION_TRACE`, and the answers of
//! `starknet_simulateTransactions` and `starknet_traceBlockTransactions`.
//!
//! Where traces come from is `cairn-rpc`'s business: simulations run through the runtime API
//! `simulate_traced`; traces of mined transactions re-execute their block's prefix on the parent
//! state through `trace_extrinsic`.
use super::{ExecutionResources, FeeEstimate, StateDiff};
use cairn_primitives::starknet::{
	exec::{self, CallKind, EntryPointKind, ExecOutcome, Invocation, TransactionKind},
	Felt,
};
use serde::{Deserialize, Serialize};

/// `ENTRY_POINT_TYPE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntryPointType {
	/// An external entry point.
	External,
	/// An L1 handler.
	L1Handler,
	/// A constructor.
	Constructor,
}

impl From<EntryPointKind> for EntryPointType {
	fn from(kind: EntryPointKind) -> Self {
		match kind {
			EntryPointKind::External => EntryPointType::External,
			EntryPointKind::L1Handler => EntryPointType::L1Handler,
			EntryPointKind::Constructor => EntryPointType::Constructor,
		}
	}
}

/// `CALL_TYPE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CallType {
	/// The callee's code on its own storage.
	Call,
	/// A class's code on the caller's storage.
	LibraryCall,
}

impl From<CallKind> for CallType {
	fn from(kind: CallKind) -> Self {
		match kind {
			CallKind::Call => CallType::Call,
			CallKind::LibraryCall => CallType::LibraryCall,
		}
	}
}

/// `ORDERED_EVENT`: an event a call emitted, with its order in the transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderedEvent {
	/// Its order within the transaction.
	pub order: u64,
	/// The keys.
	pub keys: Vec<Felt>,
	/// The data.
	pub data: Vec<Felt>,
}

/// `ORDERED_MESSAGE`: a message to L1 a call sent, with its order in the transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderedMessage {
	/// Its order within the transaction.
	pub order: u64,
	/// The sending contract.
	pub from_address: Felt,
	/// The L1 recipient.
	pub to_address: Felt,
	/// The payload.
	pub payload: Vec<Felt>,
}

/// `INNER_CALL_EXECUTION_RESOURCES`: gas of a call tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InnerCallExecutionResources {
	/// L1 gas.
	pub l1_gas: u64,
	/// L2 gas.
	pub l2_gas: u64,
}

/// `FUNCTION_INVOCATION`: one call of a transaction's call tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionInvocation {
	/// The contract whose storage the call ran on.
	pub contract_address: Felt,
	/// The entry point.
	pub entry_point_selector: Felt,
	/// The calldata.
	pub calldata: Vec<Felt>,
	/// The caller (0 for a transaction's root calls).
	pub caller_address: Felt,
	/// The class whose code ran.
	pub class_hash: Felt,
	/// The entry point's kind.
	pub entry_point_type: EntryPointType,
	/// How the call was made.
	pub call_type: CallType,
	/// The return data.
	pub result: Vec<Felt>,
	/// The calls this one made, in order.
	pub calls: Vec<FunctionInvocation>,
	/// The events this call emitted itself.
	pub events: Vec<OrderedEvent>,
	/// The messages this call sent itself.
	pub messages: Vec<OrderedMessage>,
	/// Gas of the call tree rooted here.
	pub execution_resources: InnerCallExecutionResources,
	/// The call failed (its effects are undone; the caller may have caught it).
	pub is_reverted: bool,
}

impl From<&Invocation> for FunctionInvocation {
	fn from(invocation: &Invocation) -> Self {
		FunctionInvocation {
			contract_address: invocation.contract_address,
			entry_point_selector: invocation.entry_point_selector,
			calldata: invocation.calldata.clone(),
			caller_address: invocation.caller_address,
			class_hash: invocation.class_hash,
			entry_point_type: invocation.entry_point_kind.into(),
			call_type: invocation.call_kind.into(),
			result: invocation.result.clone(),
			calls: invocation.calls.iter().map(FunctionInvocation::from).collect(),
			events: invocation
				.events
				.iter()
				.map(|(order, keys, data)| OrderedEvent {
					order: *order,
					keys: keys.clone(),
					data: data.clone(),
				})
				.collect(),
			messages: invocation
				.messages
				.iter()
				.map(|(order, to_address, payload)| OrderedMessage {
					order: *order,
					from_address: invocation.contract_address,
					to_address: *to_address,
					payload: payload.clone(),
				})
				.collect(),
			execution_resources: InnerCallExecutionResources {
				l1_gas: invocation.l1_gas,
				l2_gas: invocation.l2_gas,
			},
			is_reverted: invocation.is_reverted,
		}
	}
}

/// What a transaction's execute phase did: its call tree, or why it reverted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ExecuteInvocation {
	/// The call tree.
	Invocation(FunctionInvocation),
	/// The transaction reverted.
	Reverted {
		/// Why.
		revert_reason: String,
	},
}

/// `INVOKE_TXN_TRACE`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvokeTxnTrace {
	/// The account's `__validate__`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub validate_invocation: Option<FunctionInvocation>,
	/// The account's `__execute__`, or why it reverted.
	pub execute_invocation: ExecuteInvocation,
	/// The fee transfer.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub fee_transfer_invocation: Option<FunctionInvocation>,
	/// What it changed.
	pub state_diff: StateDiff,
	/// Gas it consumed.
	pub execution_resources: ExecutionResources,
}

/// `DECLARE_TXN_TRACE`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclareTxnTrace {
	/// The account's `__validate_declare__`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub validate_invocation: Option<FunctionInvocation>,
	/// The fee transfer.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub fee_transfer_invocation: Option<FunctionInvocation>,
	/// What it changed.
	pub state_diff: StateDiff,
	/// Gas it consumed.
	pub execution_resources: ExecutionResources,
}

/// `DEPLOY_ACCOUNT_TXN_TRACE`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployAccountTxnTrace {
	/// The account's `__validate_deploy__`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub validate_invocation: Option<FunctionInvocation>,
	/// The account's constructor.
	pub constructor_invocation: ExecuteInvocation,
	/// The fee transfer.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub fee_transfer_invocation: Option<FunctionInvocation>,
	/// What it changed.
	pub state_diff: StateDiff,
	/// Gas it consumed.
	pub execution_resources: ExecutionResources,
}

/// `L1_HANDLER_TXN_TRACE`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct L1HandlerTxnTrace {
	/// The L1 handler, or why it reverted.
	pub function_invocation: ExecuteInvocation,
	/// What it changed.
	pub state_diff: StateDiff,
	/// Gas it consumed.
	pub execution_resources: ExecutionResources,
}

/// `TRANSACTION_TRACE`, told apart by `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum TransactionTrace {
	/// `INVOKE`.
	#[serde(rename = "INVOKE")]
	Invoke(InvokeTxnTrace),
	/// `DECLARE`.
	#[serde(rename = "DECLARE")]
	Declare(DeclareTxnTrace),
	/// `DEPLOY_ACCOUNT`.
	#[serde(rename = "DEPLOY_ACCOUNT")]
	DeployAccount(DeployAccountTxnTrace),
	/// `L1_HANDLER`.
	#[serde(rename = "L1_HANDLER")]
	L1Handler(L1HandlerTxnTrace),
}

impl TransactionTrace {
	/// The trace of a transaction of `kind` that executed to `outcome` with the call trees
	/// `trace`; `state_diff` is its diff as the spec writes it.
	pub fn new(
		kind: TransactionKind,
		outcome: &ExecOutcome,
		trace: &exec::TransactionTrace,
		state_diff: StateDiff,
	) -> Self {
		// What the execute phase did: its call tree, or why it reverted.
		let revertible = || match (&outcome.revert_error, &trace.execute) {
			(Some(reason), _) => ExecuteInvocation::Reverted {
				revert_reason: String::from_utf8_lossy(reason).into_owned(),
			},
			(None, Some(invocation)) => ExecuteInvocation::Invocation(invocation.into()),
			(None, None) => ExecuteInvocation::Reverted {
				revert_reason: "the transaction executed no call".into(),
			},
		};
		let validate_invocation = trace.validate.as_ref().map(FunctionInvocation::from);
		let fee_transfer_invocation = trace.fee_transfer.as_ref().map(FunctionInvocation::from);
		let execution_resources = outcome.gas.into();
		match kind {
			TransactionKind::Invoke => TransactionTrace::Invoke(InvokeTxnTrace {
				validate_invocation,
				execute_invocation: revertible(),
				fee_transfer_invocation,
				state_diff,
				execution_resources,
			}),
			TransactionKind::Declare => TransactionTrace::Declare(DeclareTxnTrace {
				validate_invocation,
				fee_transfer_invocation,
				state_diff,
				execution_resources,
			}),
			TransactionKind::DeployAccount => {
				TransactionTrace::DeployAccount(DeployAccountTxnTrace {
					validate_invocation,
					// A deploy-account whose constructor fails is rejected, never reverted: there is
					// always a constructor call.
					constructor_invocation: match &trace.execute {
						Some(invocation) => ExecuteInvocation::Invocation(invocation.into()),
						None => revertible(),
					},
					fee_transfer_invocation,
					state_diff,
					execution_resources,
				})
			}
			// An L1 handler is neither validated nor charged on L2: it has no such calls.
			TransactionKind::L1Handler => TransactionTrace::L1Handler(L1HandlerTxnTrace {
				function_invocation: revertible(),
				state_diff,
				execution_resources,
			}),
		}
	}
}

/// One transaction of `starknet_simulateTransactions`' answer: its trace and fee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedTransaction {
	/// The trace.
	pub transaction_trace: TransactionTrace,
	/// The fee.
	pub fee_estimation: FeeEstimate,
}

/// One transaction of `starknet_traceBlockTransactions`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockTransactionTrace {
	/// The transaction's hash.
	pub transaction_hash: Felt,
	/// Its trace.
	pub trace_root: TransactionTrace,
}

#[cfg(test)]
mod tests {
	use super::*;
	use cairn_primitives::starknet::exec::{FeeUnit, GasVector};
	use serde_json::json;

	fn invocation(contract: u128) -> Invocation {
		Invocation {
			contract_address: Felt::from(contract),
			entry_point_selector: Felt::from(2u128),
			calldata: vec![Felt::from(3u128)],
			caller_address: Felt::ZERO,
			class_hash: Felt::from(4u128),
			entry_point_kind: EntryPointKind::External,
			call_kind: CallKind::Call,
			result: vec![Felt::from(5u128)],
			calls: vec![],
			events: vec![(0, vec![Felt::from(6u128)], vec![Felt::from(7u128)])],
			messages: vec![(1, Felt::from(8u128), vec![Felt::from(9u128)])],
			l1_gas: 10,
			l2_gas: 11,
			is_reverted: false,
		}
	}

	fn outcome(revert_error: Option<&[u8]>) -> ExecOutcome {
		ExecOutcome {
			tx_hash: Felt::from(0x77u128),
			contract_address: None,
			actual_fee: 1,
			fee_unit: FeeUnit::Fri,
			gas: GasVector { l1_gas: 1, l1_data_gas: 2, l2_gas: 3 },
			revert_error: revert_error.map(<[u8]>::to_vec),
			events: vec![],
			messages: vec![],
			state_diff: Default::default(),
		}
	}

	#[test]
	fn invocation_json() {
		assert_eq!(
			serde_json::to_value(FunctionInvocation::from(&invocation(1))).unwrap(),
			json!({
				"contract_address": "0x1",
				"entry_point_selector": "0x2",
				"calldata": ["0x3"],
				"caller_address": "0x0",
				"class_hash": "0x4",
				"entry_point_type": "EXTERNAL",
				"call_type": "CALL",
				"result": ["0x5"],
				"calls": [],
				"events": [{ "order": 0, "keys": ["0x6"], "data": ["0x7"] }],
				"messages": [{ "order": 1, "from_address": "0x1", "to_address": "0x8", "payload": ["0x9"] }],
				"execution_resources": { "l1_gas": 10, "l2_gas": 11 },
				"is_reverted": false,
			})
		);
	}

	#[test]
	fn invoke_traces() {
		let calls = exec::TransactionTrace {
			validate: Some(invocation(1)),
			execute: Some(invocation(2)),
			fee_transfer: Some(invocation(3)),
		};
		let trace = TransactionTrace::new(
			TransactionKind::Invoke,
			&outcome(None),
			&calls,
			StateDiff::default(),
		);
		let json = serde_json::to_value(&trace).unwrap();
		assert_eq!(json["type"], "INVOKE");
		assert_eq!(json["validate_invocation"]["contract_address"], "0x1");
		assert_eq!(json["execute_invocation"]["contract_address"], "0x2");
		assert_eq!(json["fee_transfer_invocation"]["contract_address"], "0x3");
		assert_eq!(
			json["execution_resources"],
			json!({ "l1_gas": 1, "l1_data_gas": 2, "l2_gas": 3 })
		);
		assert_eq!(serde_json::from_value::<TransactionTrace>(json).unwrap(), trace);

		let reverted = exec::TransactionTrace { execute: None, ..calls };
		let trace = TransactionTrace::new(
			TransactionKind::Invoke,
			&outcome(Some(b"boom")),
			&reverted,
			StateDiff::default(),
		);
		let json = serde_json::to_value(&trace).unwrap();
		assert_eq!(json["execute_invocation"], json!({ "revert_reason": "boom" }));
		assert_eq!(serde_json::from_value::<TransactionTrace>(json).unwrap(), trace);
	}

	#[test]
	fn other_kinds() {
		let calls = exec::TransactionTrace {
			validate: Some(invocation(1)),
			execute: Some(invocation(2)),
			fee_transfer: None,
		};
		let declare = serde_json::to_value(TransactionTrace::new(
			TransactionKind::Declare,
			&outcome(None),
			&calls,
			StateDiff::default(),
		))
		.unwrap();
		assert_eq!(declare["type"], "DECLARE");
		assert!(declare.get("execute_invocation").is_none());
		assert!(declare.get("fee_transfer_invocation").is_none());
		let deploy = serde_json::to_value(TransactionTrace::new(
			TransactionKind::DeployAccount,
			&outcome(None),
			&calls,
			StateDiff::default(),
		))
		.unwrap();
		assert_eq!(deploy["type"], "DEPLOY_ACCOUNT");
		assert_eq!(deploy["constructor_invocation"]["contract_address"], "0x2");
		let l1 = exec::TransactionTrace { execute: Some(invocation(2)), ..Default::default() };
		let handler = serde_json::to_value(TransactionTrace::new(
			TransactionKind::L1Handler,
			&outcome(None),
			&l1,
			StateDiff::default(),
		))
		.unwrap();
		assert_eq!(handler["type"], "L1_HANDLER");
		assert_eq!(handler["function_invocation"]["contract_address"], "0x2");
		assert!(handler.get("validate_invocation").is_none());
	}
}

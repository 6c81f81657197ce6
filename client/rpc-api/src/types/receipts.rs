//! Receipts (`TXN_RECEIPT`, `TXN_RECEIPT_WITH_BLOCK_INFO`) and transaction statuses.
use cairn_primitives::starknet::{
	exec::{self, FeeUnit, GasVector, Receipt, TransactionKind},
	Felt,
};
use serde::{Deserialize, Serialize};

/// `TXN_TYPE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxnType {
	/// `INVOKE`.
	Invoke,
	/// `DECLARE`.
	Declare,
	/// `DEPLOY_ACCOUNT`.
	DeployAccount,
	/// `L1_HANDLER`.
	L1Handler,
}

impl From<TransactionKind> for TxnType {
	fn from(kind: TransactionKind) -> Self {
		match kind {
			TransactionKind::Invoke => TxnType::Invoke,
			TransactionKind::Declare => TxnType::Declare,
			TransactionKind::DeployAccount => TxnType::DeployAccount,
			TransactionKind::L1Handler => TxnType::L1Handler,
		}
	}
}

/// `PRICE_UNIT`: what a fee is paid in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PriceUnit {
	/// ETH's smallest unit.
	Wei,
	/// STRK's smallest unit.
	Fri,
}

impl From<FeeUnit> for PriceUnit {
	fn from(unit: FeeUnit) -> Self {
		match unit {
			FeeUnit::Wei => PriceUnit::Wei,
			FeeUnit::Fri => PriceUnit::Fri,
		}
	}
}

/// `FEE_PAYMENT`: the fee a transaction paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeePayment {
	/// The amount.
	pub amount: Felt,
	/// Its unit.
	pub unit: PriceUnit,
}

/// `TXN_FINALITY_STATUS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxnFinalityStatus {
	/// In the block being built.
	PreConfirmed,
	/// In a block (every Cairn block).
	AcceptedOnL2,
	/// Settled on L1 (Cairn settles nowhere yet).
	AcceptedOnL1,
}

/// `TXN_STATUS`: `TXN_FINALITY_STATUS`, or not in a block yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxnStatus {
	/// Waiting in the pool.
	Received,
	/// Chosen for a block, not executed yet.
	Candidate,
	/// In the block being built.
	PreConfirmed,
	/// In a block.
	AcceptedOnL2,
	/// Settled on L1.
	AcceptedOnL1,
}

/// `TXN_EXECUTION_STATUS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxnExecutionStatus {
	/// Executed; its changes are applied.
	Succeeded,
	/// Reverted: included, fee paid, nonce bumped, its own changes undone.
	Reverted,
}

/// `MSG_TO_L1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsgToL1 {
	/// The L2 contract that sent it.
	pub from_address: Felt,
	/// The L1 recipient.
	pub to_address: Felt,
	/// The payload.
	pub payload: Vec<Felt>,
}

impl From<&exec::MessageToL1> for MsgToL1 {
	fn from(message: &exec::MessageToL1) -> Self {
		MsgToL1 {
			from_address: message.from_address,
			to_address: message.to_address,
			payload: message.payload.clone(),
		}
	}
}

/// `EVENT`: an event and the contract that emitted it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
	/// The emitting contract.
	pub from_address: Felt,
	/// The keys.
	pub keys: Vec<Felt>,
	/// The data.
	pub data: Vec<Felt>,
}

impl From<&exec::Event> for Event {
	fn from(event: &exec::Event) -> Self {
		Event {
			from_address: event.from_address,
			keys: event.keys.clone(),
			data: event.data.clone(),
		}
	}
}

/// `EXECUTION_RESOURCES`: gas consumed, per resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionResources {
	/// L1 gas.
	pub l1_gas: u64,
	/// L1 data (blob) gas.
	pub l1_data_gas: u64,
	/// L2 gas.
	pub l2_gas: u64,
}

impl From<GasVector> for ExecutionResources {
	fn from(gas: GasVector) -> Self {
		ExecutionResources { l1_gas: gas.l1_gas, l1_data_gas: gas.l1_data_gas, l2_gas: gas.l2_gas }
	}
}

/// `TXN_RECEIPT`: what executing a transaction in a block did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnReceipt {
	/// The transaction's kind.
	#[serde(rename = "type")]
	pub ty: TxnType,
	/// The transaction's hash.
	pub transaction_hash: Felt,
	/// The fee it paid.
	pub actual_fee: FeePayment,
	/// Where it is.
	pub finality_status: TxnFinalityStatus,
	/// Messages it sent to L1.
	pub messages_sent: Vec<MsgToL1>,
	/// Events it emitted.
	pub events: Vec<Event>,
	/// Gas it consumed.
	pub execution_resources: ExecutionResources,
	/// Whether it succeeded.
	pub execution_status: TxnExecutionStatus,
	/// Why it reverted (reverted transactions only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub revert_reason: Option<String>,
	/// The account it deployed (deploy-account only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub contract_address: Option<Felt>,
	/// The hash of the message from L1 it executed (L1 handlers only): `0x` and 64 hex digits,
	/// as the core contract keeps it.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub message_hash: Option<String>,
}

impl From<&Receipt> for TxnReceipt {
	/// The receipt of a transaction in a block (`ACCEPTED_ON_L2`).
	fn from(receipt: &Receipt) -> Self {
		let revert_reason = receipt
			.revert_error
			.as_ref()
			.map(|reason| String::from_utf8_lossy(reason).into_owned());
		TxnReceipt {
			ty: receipt.kind.into(),
			transaction_hash: receipt.tx_hash,
			actual_fee: FeePayment {
				amount: Felt::from(receipt.actual_fee),
				unit: receipt.fee_unit.into(),
			},
			finality_status: TxnFinalityStatus::AcceptedOnL2,
			messages_sent: receipt.messages.iter().map(MsgToL1::from).collect(),
			events: receipt.events.iter().map(Event::from).collect(),
			execution_resources: receipt.gas.into(),
			execution_status: if revert_reason.is_some() {
				TxnExecutionStatus::Reverted
			} else {
				TxnExecutionStatus::Succeeded
			},
			revert_reason,
			contract_address: receipt.contract_address,
			message_hash: None,
		}
	}
}

/// `TXN_RECEIPT_WITH_BLOCK_INFO`: a receipt and the block it is in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnReceiptWithBlockInfo {
	/// The receipt.
	#[serde(flatten)]
	pub receipt: TxnReceipt,
	/// The block's Starknet hash.
	pub block_hash: Felt,
	/// The block's number.
	pub block_number: u64,
}

/// `TXN_STATUS_RESULT`: answer of `starknet_getTransactionStatus`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusResult {
	/// Where the transaction is.
	pub finality_status: TxnStatus,
	/// Whether it succeeded (executed transactions only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub execution_status: Option<TxnExecutionStatus>,
	/// Why it reverted (reverted transactions only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub failure_reason: Option<String>,
}

impl TxnStatusResult {
	/// A transaction waiting in the pool.
	pub fn received() -> Self {
		TxnStatusResult {
			finality_status: TxnStatus::Received,
			execution_status: None,
			failure_reason: None,
		}
	}

	/// The status of a transaction in a block, from its receipt.
	pub fn accepted(receipt: &Receipt) -> Self {
		let failure_reason = receipt
			.revert_error
			.as_ref()
			.map(|reason| String::from_utf8_lossy(reason).into_owned());
		TxnStatusResult {
			finality_status: TxnStatus::AcceptedOnL2,
			execution_status: Some(if failure_reason.is_some() {
				TxnExecutionStatus::Reverted
			} else {
				TxnExecutionStatus::Succeeded
			}),
			failure_reason,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn receipt() -> Receipt {
		Receipt {
			tx_hash: Felt::from(0x11u128),
			kind: TransactionKind::DeployAccount,
			contract_address: Some(Felt::from(0x22u128)),
			actual_fee: 0x1234,
			fee_unit: FeeUnit::Fri,
			gas: GasVector { l1_gas: 1, l1_data_gas: 2, l2_gas: 3 },
			revert_error: None,
			events: vec![exec::Event {
				from_address: Felt::from(5u128),
				keys: vec![Felt::from(6u128)],
				data: vec![],
			}],
			messages: vec![exec::MessageToL1 {
				from_address: Felt::from(7u128),
				to_address: Felt::from(8u128),
				payload: vec![Felt::from(9u128)],
			}],
		}
	}

	#[test]
	fn receipt_json() {
		let with_block = TxnReceiptWithBlockInfo {
			receipt: (&receipt()).into(),
			block_hash: Felt::from(0xbbu128),
			block_number: 4,
		};
		assert_eq!(
			serde_json::to_value(&with_block).unwrap(),
			json!({
				"type": "DEPLOY_ACCOUNT",
				"transaction_hash": "0x11",
				"actual_fee": { "amount": "0x1234", "unit": "FRI" },
				"finality_status": "ACCEPTED_ON_L2",
				"messages_sent": [{ "from_address": "0x7", "to_address": "0x8", "payload": ["0x9"] }],
				"events": [{ "from_address": "0x5", "keys": ["0x6"], "data": [] }],
				"execution_resources": { "l1_gas": 1, "l1_data_gas": 2, "l2_gas": 3 },
				"execution_status": "SUCCEEDED",
				"contract_address": "0x22",
				"block_hash": "0xbb",
				"block_number": 4,
			})
		);
		let parsed: TxnReceiptWithBlockInfo =
			serde_json::from_value(serde_json::to_value(&with_block).unwrap()).unwrap();
		assert_eq!(parsed, with_block);
	}

	#[test]
	fn reverted_receipt_and_status() {
		let reverted = Receipt {
			kind: TransactionKind::Invoke,
			contract_address: None,
			revert_error: Some(b"out of gas".to_vec()),
			..receipt()
		};
		let json = serde_json::to_value(TxnReceipt::from(&reverted)).unwrap();
		assert_eq!(json["type"], "INVOKE");
		assert_eq!(json["execution_status"], "REVERTED");
		assert_eq!(json["revert_reason"], "out of gas");
		assert!(json.get("contract_address").is_none());
		assert_eq!(
			serde_json::to_value(TxnStatusResult::accepted(&reverted)).unwrap(),
			json!({
				"finality_status": "ACCEPTED_ON_L2",
				"execution_status": "REVERTED",
				"failure_reason": "out of gas",
			})
		);
		assert_eq!(
			serde_json::to_value(TxnStatusResult::accepted(&receipt())).unwrap(),
			json!({ "finality_status": "ACCEPTED_ON_L2", "execution_status": "SUCCEEDED" })
		);
		assert_eq!(
			serde_json::to_value(TxnStatusResult::received()).unwrap(),
			json!({ "finality_status": "RECEIVED" })
		);
	}
}

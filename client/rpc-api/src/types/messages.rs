//! L1 → L2 messages: `MSG_FROM_L1` (`starknet_estimateMessageFee`'s request) and
//! `starknet_getMessagesStatus`' request and answer.
use super::{TxnExecutionStatus, TxnFinalityStatus};
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// `MSG_FROM_L1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFromL1 {
	/// An Ethereum address (`0x` and up to 40 hex digits).
	pub from_address: String,
	/// The L2 contract.
	pub to_address: Felt,
	/// Its L1 handler.
	pub entry_point_selector: Felt,
	/// The payload.
	pub payload: Vec<Felt>,
}

/// `L1_TXN_HASH`: an L1 transaction's hash, as the client sent it (`0x` and 64 hex digits; any
/// other value names no transaction: `cairn-rpc`'s `l1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct L1TxnHash(pub serde_json::Value);

/// One L2 transaction an L1 transaction's messages caused, in `starknet_getMessagesStatus`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageStatus {
	/// The L1 handler transaction.
	pub transaction_hash: Felt,
	/// Where it is.
	pub finality_status: TxnFinalityStatus,
	/// Whether it succeeded.
	pub execution_status: TxnExecutionStatus,
	/// Why it reverted (reverted transactions only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub failure_reason: Option<String>,
}

//! The WebSocket API's notifications and filters (`starknet_ws_api.json`): what each
//! `starknet_subscription*` notification carries, and the tags a subscription takes.
use super::{EmittedEvent, TxnFinalityStatus, TxnStatus, TxnStatusResult, TxnWithHash};
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// `starknet_subscriptionEvents`'s result: `EMITTED_EVENT` with its transaction's finality.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionEvent {
	/// The event and where it was emitted.
	#[serde(flatten)]
	pub event: EmittedEvent,
	/// The emitting transaction's finality.
	pub finality_status: TxnFinalityStatus,
}

/// `NEW_TXN_STATUS`: `starknet_subscriptionTransactionStatus`'s result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTxnStatus {
	/// The transaction.
	pub transaction_hash: Felt,
	/// Its status now.
	pub status: TxnStatusResult,
}

/// `starknet_subscriptionNewTransaction`'s result: `TXN_WITH_HASH` with its status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTransaction {
	/// The transaction and its hash.
	#[serde(flatten)]
	pub transaction: TxnWithHash,
	/// Where it is (`TXN_STATUS_WITHOUT_L1`).
	pub finality_status: TxnStatus,
}

/// `REORG_DATA`: the blocks a subscription was told of that left the canonical chain, first to
/// last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorgData {
	/// The first orphaned block's Starknet hash.
	pub starting_block_hash: Felt,
	/// Its number.
	pub starting_block_number: u64,
	/// The last orphaned block's Starknet hash.
	pub ending_block_hash: Felt,
	/// Its number.
	pub ending_block_number: u64,
}

/// `SUBSCRIPTION_TAG`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubscriptionTag {
	/// Invoke V3 transactions carry `proof_facts` (an empty list when they have none).
	IncludeProofFacts,
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn shapes() {
		let reorg = ReorgData {
			starting_block_hash: Felt::from(10u128),
			starting_block_number: 5,
			ending_block_hash: Felt::from(11u128),
			ending_block_number: 6,
		};
		assert_eq!(
			serde_json::to_value(&reorg).unwrap(),
			json!({
				"starting_block_hash": "0xa", "starting_block_number": 5,
				"ending_block_hash": "0xb", "ending_block_number": 6,
			})
		);
		assert_eq!(
			serde_json::to_value(NewTxnStatus {
				transaction_hash: Felt::from(1u128),
				status: TxnStatusResult::received(),
			})
			.unwrap(),
			json!({ "transaction_hash": "0x1", "status": { "finality_status": "RECEIVED" } })
		);
		assert_eq!(
			serde_json::from_value::<Vec<SubscriptionTag>>(json!(["INCLUDE_PROOF_FACTS"])).unwrap(),
			vec![SubscriptionTag::IncludeProofFacts]
		);
		assert!(serde_json::from_value::<SubscriptionTag>(json!("PROOF")).is_err());
	}
}

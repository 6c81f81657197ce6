//! `starknet_ws_api.json`: the subscriptions of the WebSocket API, served on the node's RPC port
//! (WebSocket connections only: a subscription needs one).
//!
//! Every subscription is closed by `starknet_unsubscribe`, as the spec has it; jsonrpsee wants one
//! unsubscribe method per subscription, so each is declared with a name of its own
//! (`starknet_unsubscribe<Kind>`), which the node removes from what it serves
//! ([`PRIVATE_UNSUBSCRIBE_METHODS`]).
use crate::types::{Addresses, BlockId, SubscriptionTag, TxnFinalityStatus, TxnStatus};
use cairn_primitives::starknet::Felt;
use jsonrpsee::{core::SubscriptionResult, proc_macros::rpc};

/// The per-subscription unsubscribe methods jsonrpsee registers, which the node does not serve:
/// `starknet_unsubscribe` closes every kind.
pub const PRIVATE_UNSUBSCRIBE_METHODS: [&str; 5] = [
	"starknet_unsubscribeNewHeads",
	"starknet_unsubscribeEvents",
	"starknet_unsubscribeTransactionStatus",
	"starknet_unsubscribeNewTransactionReceipts",
	"starknet_unsubscribeNewTransactions",
];

/// The notification method of a reorganisation, sent on any subscription.
pub const REORG_NOTIFICATION: &str = "starknet_subscriptionReorg";

/// The WebSocket subscriptions of Starknet JSON-RPC 0.10.3.
#[rpc(server, namespace = "starknet")]
pub trait StarknetWsApi {
	/// New block headers, from `block_id` (at most 1,024 blocks back) or from the next block.
	#[subscription(
		name = "subscribeNewHeads" => "subscriptionNewHeads",
		unsubscribe = "unsubscribeNewHeads",
		item = crate::types::BlockHeader
	)]
	async fn subscribe_new_heads(&self, block_id: Option<BlockId>) -> SubscriptionResult;

	/// Events from one or several contracts, with keys, from `block_id` or the next block.
	#[subscription(
		name = "subscribeEvents" => "subscriptionEvents",
		unsubscribe = "unsubscribeEvents",
		item = crate::types::SubscriptionEvent
	)]
	async fn subscribe_events(
		&self,
		from_address: Option<Addresses>,
		keys: Option<Vec<Vec<Felt>>>,
		block_id: Option<BlockId>,
		finality_status: Option<TxnFinalityStatus>,
	) -> SubscriptionResult;

	/// A transaction's status, now and each time it changes.
	#[subscription(
		name = "subscribeTransactionStatus" => "subscriptionTransactionStatus",
		unsubscribe = "unsubscribeTransactionStatus",
		item = crate::types::NewTxnStatus
	)]
	async fn subscribe_transaction_status(&self, transaction_hash: Felt) -> SubscriptionResult;

	/// Receipts of new transactions, of some senders or all.
	#[subscription(
		name = "subscribeNewTransactionReceipts" => "subscriptionNewTransactionReceipts",
		unsubscribe = "unsubscribeNewTransactionReceipts",
		item = crate::types::TxnReceiptWithBlockInfo
	)]
	async fn subscribe_new_transaction_receipts(
		&self,
		finality_status: Option<Vec<TxnFinalityStatus>>,
		sender_address: Option<Vec<Felt>>,
	) -> SubscriptionResult;

	/// New transactions as they reach the given statuses, of some senders or all.
	#[subscription(
		name = "subscribeNewTransactions" => "subscriptionNewTransaction",
		unsubscribe = "unsubscribeNewTransactions",
		item = crate::types::NewTransaction
	)]
	async fn subscribe_new_transactions(
		&self,
		finality_status: Option<Vec<TxnStatus>>,
		sender_address: Option<Vec<Felt>>,
		tags: Option<Vec<SubscriptionTag>>,
	) -> SubscriptionResult;

	/// Closes a subscription of this connection.
	#[method(name = "unsubscribe", with_extensions)]
	fn unsubscribe(&self, subscription_id: String) -> jsonrpsee::core::RpcResult<bool>;
}

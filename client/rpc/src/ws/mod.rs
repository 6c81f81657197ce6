//! The WebSocket API (`starknet_ws_api.json`): subscriptions to new heads, events, a
//! transaction's status, new receipts and new transactions, closed by `starknet_unsubscribe`,
//! with `starknet_subscriptionReorg` when blocks a subscription was told of leave the canonical
//! chain.
//!
//! How a subscription is served: each one is a task of its own that walks the canonical chain
//! block by block from where it starts (`chain`: a cursor that notices reorganisations), reading
//! the blocks from the Starknet index through a small cache every subscription shares, and woken
//! when the best block changes (a `watch` the node's import follower updates). Nothing is pushed
//! to it: a subscriber that reads slowly falls behind on its own and catches up from the index,
//! so none misses a block, and none can hold up block import or another subscriber. One whose
//! client does not take a notification within [`SEND_TIMEOUT`] is closed. New transactions that
//! are only `RECEIVED` (in the pool, not in a block) come from the pool's import notifications
//! (`received`), decoded once for every subscriber and only while one wants them; a
//! transaction-status subscription learns RECEIVED from the node's pool when it opens, and later
//! from the submissions this node acknowledges (decoding every pool transaction to find one hash
//! cost the load 26 % with 150 such subscribers), so one that enters the pool through a peer or
//! `author_submitExtrinsic` after the subscription opened is announced from its block on.
//!
//! Cairn executes transactions when it seals a block, so no transaction is ever `CANDIDATE` or
//! `PRE_CONFIRMED`: subscriptions asking only for those statuses stay silent, and every
//! transaction in a block is `ACCEPTED_ON_L2`.
mod chain;
mod received;
mod streams;

pub(crate) use chain::{Cursor, Hub, Step};

use crate::{Result, Starknet};
use cairn_index::StarknetClient;
use cairn_primitives::starknet::Felt;
use cairn_rpc_api::{
	types::{Addresses, BlockId, SubscriptionTag, TxnFinalityStatus, TxnStatus},
	StarknetError,
};
use jsonrpsee::{
	core::SubscriptionResult, ConnectionId, PendingSubscriptionSink, SubscriptionSink,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::Block as BlockT;
use std::{collections::HashMap, sync::Mutex, time::Duration};
use streams::Kind;
use tokio::sync::oneshot;

/// How far back a subscription may start (the spec's TOO_MANY_BLOCKS_BACK, 68).
pub(crate) const MAX_BLOCKS_BACK: u64 = 1024;
/// Most addresses in a subscription's address filter (`sender_address`: TOO_MANY_ADDRESSES_IN_FILTER,
/// 67; `from_address`: a limit error naming it).
pub(crate) const MAX_ADDRESSES: usize = 1024;
/// Most subscriptions open on the node at once, over every connection (each connection has its
/// own bound too, `--rpc-max-subscriptions-per-connection`): each costs a task and at most about
/// 10 KiB of remembered blocks (`chain`: none below the finalized block), so all of them together
/// stay under 200 MiB even on a chain that stops finalizing.
pub(crate) const MAX_SUBSCRIPTIONS: usize = 16_384;
/// How long a notification may wait for room in its connection's buffer before the subscription
/// is closed: a client that stops reading costs the node one idle task, never a stall.
pub(crate) const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// How long after answering a subscription its first notification may go (see `streams`).
pub(crate) const FIRST_NOTIFICATION_DELAY: Duration = Duration::from_millis(20);

/// The open subscriptions: id → the connection that opened it and how to close it.
#[derive(Default)]
pub(crate) struct Registry {
	open: Mutex<HashMap<String, (ConnectionId, oneshot::Sender<()>)>>,
}

/// A subscription's place in the [`Registry`], given up when its task ends.
pub(crate) struct Registered<'a> {
	registry: &'a Registry,
	id: String,
}

impl Drop for Registered<'_> {
	fn drop(&mut self) {
		self.registry.open.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.id);
	}
}

/// A subscription id as the spec's string.
pub(crate) fn id_text(sink: &SubscriptionSink) -> String {
	match sink.subscription_id() {
		jsonrpsee::types::SubscriptionId::Str(id) => id.into_owned(),
		jsonrpsee::types::SubscriptionId::Num(id) => id.to_string(),
	}
}

impl Registry {
	/// How many subscriptions are open.
	pub(crate) fn open(&self) -> usize {
		self.open.lock().unwrap_or_else(|e| e.into_inner()).len()
	}

	/// Whether another subscription may open.
	pub(crate) fn has_room(&self) -> bool {
		self.open.lock().unwrap_or_else(|e| e.into_inner()).len() < MAX_SUBSCRIPTIONS
	}

	/// Registers the accepted subscription `sink`: the receiver fires when
	/// `starknet_unsubscribe` closes it.
	pub(crate) fn register(
		&self,
		sink: &SubscriptionSink,
	) -> (Registered<'_>, oneshot::Receiver<()>) {
		let (close, closed) = oneshot::channel();
		let id = id_text(sink);
		self.open
			.lock()
			.unwrap_or_else(|e| e.into_inner())
			.insert(id.clone(), (sink.connection_id(), close));
		(Registered { registry: self, id }, closed)
	}

	/// `starknet_unsubscribe` from connection `connection`: INVALID_SUBSCRIPTION_ID unless it
	/// opened an open subscription `id`.
	pub(crate) fn close(&self, connection: Option<ConnectionId>, id: &str) -> Result<bool> {
		let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
		match open.get(id) {
			Some((owner, _)) if Some(*owner) == connection => {}
			_ => return Err(StarknetError::InvalidSubscriptionId),
		}
		let (_, close) = open.remove(id).expect("present: checked above");
		let _ = close.send(());
		Ok(true)
	}
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// `starknet_unsubscribe`.
	pub(crate) fn unsubscribe(
		&self,
		connection: Option<ConnectionId>,
		subscription_id: &str,
	) -> Result<bool> {
		self.ws.registry.close(connection, subscription_id)
	}
}

/// The subscribe methods: their parameters checked against the spec and the node's limits, then
/// served (`streams`).
impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// `starknet_subscribeNewHeads`.
	pub(crate) async fn subscribe_new_heads(
		&self,
		pending: PendingSubscriptionSink,
		block_id: Option<BlockId>,
	) -> SubscriptionResult {
		self.serve(pending, Kind::Heads, self.start_of(block_id)).await
	}

	/// `starknet_subscribeEvents`.
	pub(crate) async fn subscribe_events(
		&self,
		pending: PendingSubscriptionSink,
		from_address: Option<Addresses>,
		keys: Option<Vec<Vec<Felt>>>,
		block_id: Option<BlockId>,
		finality_status: Option<TxnFinalityStatus>,
	) -> SubscriptionResult {
		let keys = keys.unwrap_or_default();
		let start = if keys.iter().map(Vec::len).sum::<usize>() > crate::events::MAX_FILTER_KEYS {
			Err(StarknetError::TooManyKeysInFilter)
		} else if matches!(&from_address, Some(Addresses::Many(many)) if many.len() > MAX_ADDRESSES)
		{
			Err(StarknetError::LimitExceeded(format!(
				"at most {MAX_ADDRESSES} addresses in from_address"
			)))
		} else if finality_status == Some(TxnFinalityStatus::AcceptedOnL1) {
			Err(StarknetError::InvalidParams(
				"finality_status is PRE_CONFIRMED or ACCEPTED_ON_L2".into(),
			))
		} else {
			self.start_of(block_id)
		};
		self.serve(pending, Kind::Events { addresses: from_address, keys }, start).await
	}

	/// `starknet_subscribeTransactionStatus`: from the next block (its status now is sent first).
	pub(crate) async fn subscribe_transaction_status(
		&self,
		pending: PendingSubscriptionSink,
		transaction_hash: Felt,
	) -> SubscriptionResult {
		let start = self.block_number().map(|best| best + 1);
		self.serve(pending, Kind::Status { hash: transaction_hash, last: None }, start).await
	}

	/// Where a subscription to new transactions or receipts starts (the next block), or why it
	/// cannot: too many senders (67), or `ACCEPTED_ON_L1` asked for (-32602).
	fn next_block_for(&self, senders: Option<&[Felt]>, asks_l1: bool) -> Result<u64> {
		if senders.is_some_and(|senders| senders.len() > MAX_ADDRESSES) {
			return Err(StarknetError::TooManyAddressesInFilter);
		}
		if asks_l1 {
			return Err(StarknetError::InvalidParams(
				"finality_status excludes ACCEPTED_ON_L1".into(),
			));
		}
		Ok(self.block_number()? + 1)
	}

	/// `starknet_subscribeNewTransactionReceipts`: from the next block.
	pub(crate) async fn subscribe_new_transaction_receipts(
		&self,
		pending: PendingSubscriptionSink,
		finality_status: Option<Vec<TxnFinalityStatus>>,
		sender_address: Option<Vec<Felt>>,
	) -> SubscriptionResult {
		let statuses = finality_status.unwrap_or_else(|| vec![TxnFinalityStatus::AcceptedOnL2]);
		let asks_l1 = statuses.contains(&TxnFinalityStatus::AcceptedOnL1);
		let start = self.next_block_for(sender_address.as_deref(), asks_l1);
		let accepted = statuses.contains(&TxnFinalityStatus::AcceptedOnL2);
		self.serve(pending, Kind::Receipts { accepted, senders: sender_address }, start).await
	}

	/// `starknet_subscribeNewTransactions`: from the next block, and the pool from now.
	pub(crate) async fn subscribe_new_transactions(
		&self,
		pending: PendingSubscriptionSink,
		finality_status: Option<Vec<TxnStatus>>,
		sender_address: Option<Vec<Felt>>,
		tags: Option<Vec<SubscriptionTag>>,
	) -> SubscriptionResult {
		let statuses = finality_status.unwrap_or_else(|| vec![TxnStatus::AcceptedOnL2]);
		let start = self
			.next_block_for(sender_address.as_deref(), statuses.contains(&TxnStatus::AcceptedOnL1));
		let kind = Kind::Transactions {
			received: statuses.contains(&TxnStatus::Received),
			accepted: statuses.contains(&TxnStatus::AcceptedOnL2),
			senders: sender_address,
			proof_facts: tags.unwrap_or_default().contains(&SubscriptionTag::IncludeProofFacts),
		};
		self.serve(pending, kind, start).await
	}
}

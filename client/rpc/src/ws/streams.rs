//! The five subscriptions: what each delivers of a new canonical block, of a transaction entering
//! the pool and of a reorganisation ([`Kind`]), and the loop that serves them all ([`serve`]).
use super::{
	chain::{Cursor, SharedBlock, Step},
	received::Received,
	SEND_TIMEOUT,
};
use crate::{
	events::{emitted, matches},
	transactions::receipt,
	Starknet,
};
use cairn_index::{IndexedTransaction, StarknetClient};
use cairn_primitives::starknet::Felt;
use cairn_rpc_api::{
	types::{
		Addresses, NewTransaction, NewTxnStatus, SubscriptionEvent, TxnFinalityStatus, TxnStatus,
		TxnStatusResult, TxnWithHash,
	},
	ws::REORG_NOTIFICATION,
	StarknetError,
};
use jsonrpsee::{
	core::SubscriptionResult, types::ErrorObjectOwned, PendingSubscriptionSink,
	SubscriptionMessage, SubscriptionSink,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use serde_json::Value;
use sp_runtime::traits::Block as BlockT;
use tokio::sync::{
	broadcast::{self, error::RecvError},
	oneshot::error::TryRecvError,
};

/// What a subscription delivers, with its filters.
pub(crate) enum Kind {
	/// `starknet_subscribeNewHeads`.
	Heads,
	/// `starknet_subscribeEvents`.
	Events {
		/// Emitting contracts (any when absent).
		addresses: Option<Addresses>,
		/// Per key position, the keys accepted (any when empty).
		keys: Vec<Vec<Felt>>,
	},
	/// `starknet_subscribeNewTransactionReceipts`.
	Receipts {
		/// Whether `ACCEPTED_ON_L2` receipts are wanted (the only finality Cairn's receipts have).
		accepted: bool,
		/// Senders (any when absent).
		senders: Option<Vec<Felt>>,
	},
	/// `starknet_subscribeNewTransactions`.
	Transactions {
		/// `RECEIVED` wanted.
		received: bool,
		/// `ACCEPTED_ON_L2` wanted.
		accepted: bool,
		/// Senders (any when absent).
		senders: Option<Vec<Felt>>,
		/// `INCLUDE_PROOF_FACTS`.
		proof_facts: bool,
	},
	/// `starknet_subscribeTransactionStatus`.
	Status {
		/// The transaction.
		hash: Felt,
		/// The status last sent.
		last: Option<TxnStatus>,
	},
}

/// Whether `sender` passes a sender filter.
fn sender_matches(senders: &Option<Vec<Felt>>, sender: Option<Felt>) -> bool {
	match senders {
		None => true,
		Some(senders) if senders.is_empty() => true,
		Some(senders) => sender.is_some_and(|sender| senders.contains(&sender)),
	}
}

/// The sender of a block's transaction, as sender filters see it (a deploy-account's: the
/// account it deployed).
fn sender_of(tx: &IndexedTransaction) -> Option<Felt> {
	tx.transaction.sender().or(tx.receipt.contract_address)
}

/// `TXN_WITH_HASH` with `finality_status`, with or without `proof_facts` as asked (with the tag,
/// an invoke carries the list even when it is empty; without it, never).
fn new_transaction(tx: TxnWithHash, status: TxnStatus, proof_facts: bool) -> Value {
	let is_invoke = matches!(tx.transaction, cairn_rpc_api::types::Txn::Invoke(_));
	let mut value =
		serde_json::to_value(NewTransaction { transaction: tx, finality_status: status })
			.unwrap_or(Value::Null);
	if let Value::Object(fields) = &mut value {
		if !proof_facts {
			fields.remove("proof_facts");
		} else if is_invoke && !fields.contains_key("proof_facts") {
			fields.insert("proof_facts".into(), Value::Array(Vec::new()));
		}
	}
	value
}

impl Kind {
	/// Whether it needs the transactions entering the pool, decoded.
	fn wants_received(&self) -> bool {
		matches!(self, Kind::Transactions { received: true, .. })
	}

	/// What it delivers of canonical block `block`, as JSON text.
	fn on_block(&mut self, block: &SharedBlock) -> Vec<String> {
		let mut out = Vec::new();
		match self {
			Kind::Heads => out.push(block.header_json().to_owned()),
			Kind::Events { addresses, keys } => {
				for (tx_index, tx) in block.transactions.iter().enumerate() {
					for (event_index, event) in tx.receipt.events.iter().enumerate() {
						if !matches(event, addresses.as_ref(), keys) {
							continue;
						}
						out.push(to_text(&SubscriptionEvent {
							event: emitted(block, tx_index, event_index),
							finality_status: TxnFinalityStatus::AcceptedOnL2,
						}));
					}
				}
			}
			Kind::Receipts { accepted: true, senders } => {
				for (index, tx) in block.transactions.iter().enumerate() {
					if sender_matches(senders, sender_of(tx)) {
						out.push(to_text(&receipt(block, index)));
					}
				}
			}
			Kind::Transactions { accepted: true, senders, proof_facts, .. } => {
				for tx in &block.transactions {
					if sender_matches(senders, sender_of(tx)) {
						let with_hash = TxnWithHash::new(&tx.transaction, tx.receipt.tx_hash);
						let value =
							new_transaction(with_hash, TxnStatus::AcceptedOnL2, *proof_facts);
						out.push(to_text(&value));
					}
				}
			}
			Kind::Status { hash, last } => {
				let found = block.transactions.iter().find(|tx| tx.receipt.tx_hash == *hash);
				if let Some(tx) = found {
					if *last != Some(TxnStatus::AcceptedOnL2) {
						*last = Some(TxnStatus::AcceptedOnL2);
						out.push(to_text(&NewTxnStatus {
							transaction_hash: *hash,
							status: TxnStatusResult::accepted(&tx.receipt),
						}));
					}
				}
			}
			Kind::Receipts { accepted: false, .. } | Kind::Transactions { accepted: false, .. } => {
			}
		}
		out
	}

	/// What it delivers of transaction `tx` entering the pool.
	fn on_received(&mut self, tx: &Received) -> Option<Value> {
		let (hash, tx) = (&tx.0, &tx.1);
		match self {
			Kind::Transactions { received: true, senders, proof_facts, .. }
				if sender_matches(senders, tx.sender()) =>
			{
				Some(new_transaction(
					TxnWithHash::new(tx, *hash),
					TxnStatus::Received,
					*proof_facts,
				))
			}
			_ => None,
		}
	}

	/// What it delivers of transaction `hash` acknowledged by this server.
	fn on_submitted(&mut self, hash: Felt) -> Option<Value> {
		match self {
			Kind::Status { hash: wanted, last } if *wanted == hash && last.is_none() => {
				*last = Some(TxnStatus::Received);
				Some(
					serde_json::to_value(NewTxnStatus {
						transaction_hash: hash,
						status: TxnStatusResult::received(),
					})
					.unwrap_or(Value::Null),
				)
			}
			_ => None,
		}
	}

	/// Blocks it delivered were orphaned: a transaction's status is no longer what was sent.
	fn on_reorg(&mut self) {
		if let Kind::Status { last, .. } = self {
			*last = None;
		}
	}
}

/// An answer as JSON text.
pub(super) fn to_text(value: &impl serde::Serialize) -> String {
	serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// Notification `method` of subscription `sink` with `result` (JSON text), shaped as the spec has
/// it: `params` is `{"subscription_id": …, "result": …}`, where jsonrpsee's own notifications
/// name the id `subscription` (which starknet.js and starknet-py do not read). The message is
/// written as text around `result` — serialised once, and for new heads once per block for every
/// subscriber — and handed over through the only public constructor of a pre-serialised
/// `SubscriptionMessage` jsonrpsee 0.24 has (the conversion from a channel's send error), which
/// the sink sends as it is.
fn notification(sink: &SubscriptionSink, method: &str, result: &str) -> SubscriptionMessage {
	let id = to_text(&super::id_text(sink));
	let method = to_text(&method);
	let json = format!(
		r#"{{"jsonrpc":"2.0","method":{method},"params":{{"subscription_id":{id},"result":{result}}}}}"#
	);
	jsonrpsee::core::server::DisconnectError::from(tokio::sync::mpsc::error::SendError(json)).0
}

/// Sends `message`, or fails when the client has not made room for it in [`SEND_TIMEOUT`] (or is
/// gone).
async fn send(sink: &SubscriptionSink, message: SubscriptionMessage) -> Result<(), String> {
	sink.send_timeout(message, SEND_TIMEOUT).await.map_err(|_| {
		format!(
			"subscription closed: the client did not read its notifications for {} s",
			SEND_TIMEOUT.as_secs()
		)
	})
}

/// The next item of a feed a subscription follows (never, when it follows none).
async fn next_received<T: Clone>(
	feed: &mut Option<broadcast::Receiver<T>>,
) -> Result<T, RecvError> {
	match feed {
		Some(feed) => feed.recv().await,
		None => std::future::pending().await,
	}
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// Serves subscription `pending` of `kind` from block number `start` (or refuses it with the
	/// error `start` is), until it is unsubscribed, its connection closes, or its client stops
	/// reading.
	pub(crate) async fn serve(
		&self,
		pending: PendingSubscriptionSink,
		mut kind: Kind,
		start: Result<u64, StarknetError>,
	) -> SubscriptionResult {
		let start = match start {
			Ok(_) if !self.ws.registry.has_room() => Err(StarknetError::LimitExceeded(format!(
				"at most {} WebSocket subscriptions are open on this node",
				super::MAX_SUBSCRIPTIONS
			))),
			start => start,
		};
		let start = match start {
			Ok(start) => start,
			Err(error) => {
				pending.reject(ErrorObjectOwned::from(error)).await;
				return Ok(());
			}
		};
		let mut feed = kind.wants_received().then(|| self.received_transactions());
		let mut submitted =
			matches!(kind, Kind::Status { .. }).then(|| self.ws.submitted.subscribe());
		// A transaction's status moves on to ACCEPTED_ON_L1 when its block is settled there.
		let mut settled = match (&kind, &self.l1) {
			(Kind::Status { .. }, Some(l1)) => Some(l1.watch_settled()),
			_ => None,
		};
		let sink = pending.accept().await?;
		let (_registered, mut unsubscribed) = self.ws.registry.register(&sink);
		let mut best = self.ws.best.subscribe();
		// A client learns its subscription's id from the answer, and starknet.js drops
		// notifications that reach it before it has registered that id (a few microtasks after
		// the answer): the first notification must not share the answer's TCP segment.
		tokio::time::sleep(super::FIRST_NOTIFICATION_DELAY).await;
		if let Kind::Status { hash, last } = &mut kind {
			match self.transaction_status(*hash).await {
				Ok(status) => {
					*last = Some(status.finality_status);
					let status = NewTxnStatus { transaction_hash: *hash, status };
					send(&sink, notification(&sink, sink.method_name(), &to_text(&status))).await?;
				}
				Err(StarknetError::TxnHashNotFound) => {}
				Err(other) => return Err(format!("{other:?}").into()),
			}
		}
		let mut cursor = Cursor::new(start);
		loop {
			loop {
				// Closed by `starknet_unsubscribe` in the middle of a backfill: not one more.
				if !matches!(unsubscribed.try_recv(), Err(TryRecvError::Empty)) {
					return Ok(());
				}
				match cursor.step(self).await.map_err(|e| format!("{e:?}"))? {
					Step::Wait => break,
					Step::Block(block) => {
						for text in kind.on_block(&block) {
							send(&sink, notification(&sink, sink.method_name(), &text)).await?;
						}
					}
					Step::Reorg(data) => {
						kind.on_reorg();
						send(&sink, notification(&sink, REORG_NOTIFICATION, &to_text(&data)))
							.await?;
					}
				}
			}
			tokio::select! {
				_ = &mut unsubscribed => return Ok(()),
				_ = sink.closed() => return Ok(()),
				changed = best.changed() => if changed.is_err() { return Ok(()) },
				tx = next_received(&mut feed) => match tx {
					Ok(tx) => if let Some(value) = kind.on_received(&tx) {
						send(&sink, notification(&sink, sink.method_name(), &to_text(&value))).await?;
					},
					Err(RecvError::Lagged(missed)) => return Err(format!(
						"subscription closed: it fell {missed} transactions behind the pool"
					).into()),
					Err(RecvError::Closed) => feed = None,
				},
				_ = next_change(&mut settled) => {
					if let Some(value) = self.on_settled(&mut kind).await {
						send(&sink, notification(&sink, sink.method_name(), &to_text(&value))).await?;
					}
				},
				hash = next_received(&mut submitted) => match hash {
					Ok(hash) => if let Some(value) = kind.on_submitted(hash) {
						send(&sink, notification(&sink, sink.method_name(), &to_text(&value))).await?;
					},
					// Missed acknowledgements only cost the RECEIVED step: blocks still tell.
					Err(RecvError::Lagged(_)) => {},
					Err(RecvError::Closed) => submitted = None,
				},
			}
		}
	}

	/// What a status subscription delivers when the settled block changed: `ACCEPTED_ON_L1`
	/// once its transaction's block is settled.
	async fn on_settled(&self, kind: &mut Kind) -> Option<NewTxnStatus> {
		let Kind::Status { hash, last } = kind else { return None };
		if *last != Some(TxnStatus::AcceptedOnL2) {
			return None;
		}
		let status = self.transaction_status(*hash).await.ok()?;
		if status.finality_status != TxnStatus::AcceptedOnL1 {
			return None;
		}
		*last = Some(TxnStatus::AcceptedOnL1);
		Some(NewTxnStatus { transaction_hash: *hash, status })
	}
}

/// The next change of `watch` (never, without one or once its sender is gone).
async fn next_change(watch: &mut Option<tokio::sync::watch::Receiver<u64>>) {
	match watch {
		Some(receiver) => {
			if receiver.changed().await.is_err() {
				*watch = None;
				std::future::pending::<()>().await;
			}
		}
		None => std::future::pending().await,
	}
}

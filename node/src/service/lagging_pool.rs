//! The sequencer pool as block building sees it while the pool's maintenance lags behind the
//! chain: nothing acknowledged is dropped because of the lag.
//!
//! Substrate's single-state pool is maintained block by block, in order, and light revalidation
//! runs inside that maintenance: every 20 blocks it re-validates every ready transaction
//! (blockifier's `__validate__`, ≈ 1.65 ms each) before the pool looks at the next block. Under
//! load (thousands of ready transfers) that takes seconds, so an Aura proposal a few blocks later
//! gets the ready set of a block the pool has not pruned yet: each account's first transaction is
//! one its parent already holds. Block building then fails it with `Stale`, reports it, and the
//! pool used to remove it **with every later transaction of that account**, although those were
//! valid and acknowledged (measured: ≈ 2,200 of 5,000 transfers lost at 1 s blocks).
//!
//! [`LagTolerantPool`] wraps the pool and changes two things, nothing else:
//! - a ready set asked for at a block the pool has not maintained yet skips the transactions of
//!   the blocks in between (they are included; the pool prunes them when it gets there), so their
//!   successors are proposed in their place and the block is full;
//! - a `Stale` or `Future` report from block building removes nothing (what Substrate's fork-aware
//!   pool does too): such a transaction is either included already, and pruned with its block, or
//!   made invalid by another one with its nonce, which pruning removes by tag, and revalidation
//!   sweeps whatever remains. Every other report removes as before.
use std::{
	collections::{HashMap, HashSet},
	pin::Pin,
	sync::{Arc, Mutex, PoisonError},
	time::Duration,
};

use cairn_primitives::{Block, Hash};
use sc_client_api::BlockBackend;
use sc_transaction_pool::TransactionPoolWrapper;
use sc_transaction_pool_api::{
	ChainEvent, ImportNotificationStream, InPoolTransaction, LocalTransactionFor,
	LocalTransactionPool, MaintainedTransactionPool, PoolStatus, ReadyTransactions, TransactionFor,
	TransactionPool, TransactionSource, TransactionStatusStreamFor, TxHash, TxInvalidityReportMap,
};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

use super::FullClient;

type Inner = TransactionPoolWrapper<Block, FullClient>;
type InPool = <Inner as TransactionPool>::InPoolTransaction;
type Ready = Box<dyn ReadyTransactions<Item = Arc<InPool>> + Send>;

/// How many blocks past the pool's last maintained block a ready set skips at most. Beyond it
/// the pool is so far behind that block building's reports are what stops it proposing
/// included transactions (they are no longer fatal to their successors, see the module doc).
const MAX_LAG: usize = 64;

/// The pool block building uses, see the module doc.
pub struct LagTolerantPool {
	inner: Inner,
	client: Arc<FullClient>,
	/// The last best block whose maintenance finished.
	maintained: Mutex<Hash>,
}

impl LagTolerantPool {
	/// `inner`, which was built at the chain's best block `best`.
	pub fn new(inner: Inner, client: Arc<FullClient>, best: Hash) -> Self {
		Self { inner, client, maintained: Mutex::new(best) }
	}

	/// The hashes of the transactions of the blocks after the last maintained one up to `at`
	/// (at most [`MAX_LAG`] blocks, the newest).
	fn included_since_maintained(&self, at: Hash) -> HashSet<Hash> {
		let from = *self.maintained.lock().unwrap_or_else(PoisonError::into_inner);
		if from == at {
			return HashSet::new();
		}
		let route = match sp_blockchain::tree_route(&*self.client, from, at) {
			Ok(route) => route,
			Err(error) => {
				log::debug!(target: "cairn::pool", "no route from {from} to {at}: {error}");
				return HashSet::new();
			}
		};
		let enacted = route.enacted();
		let mut included = HashSet::new();
		for block in &enacted[enacted.len().saturating_sub(MAX_LAG)..] {
			let body = self.client.block_body(block.hash).ok().flatten().unwrap_or_default();
			included.extend(body.iter().map(|xt| self.inner.hash_of(xt)));
		}
		if !included.is_empty() {
			log::debug!(
				target: "cairn::pool",
				"ready set at {at}: the pool is {} block(s) behind, skipping their {} transactions",
				enacted.len(),
				included.len()
			);
		}
		included
	}

	fn skipping_included(&self, at: Hash, ready: Ready) -> Ready {
		let skip = self.included_since_maintained(at);
		if skip.is_empty() {
			ready
		} else {
			Box::new(SkipIncluded { ready, skip })
		}
	}
}

/// A ready set without the transactions in `skip`. Skipping one, rather than reporting it,
/// releases its successors, as the transaction being taken into a block does.
struct SkipIncluded {
	ready: Ready,
	skip: HashSet<Hash>,
}

impl Iterator for SkipIncluded {
	type Item = Arc<InPool>;

	fn next(&mut self) -> Option<Self::Item> {
		loop {
			let tx = self.ready.next()?;
			if !self.skip.contains(tx.hash()) {
				return Some(tx);
			}
		}
	}
}

impl ReadyTransactions for SkipIncluded {
	fn report_invalid(&mut self, tx: &Self::Item) {
		self.ready.report_invalid(tx)
	}
}

/// Whether block building's verdict `error` leaves the transaction in the pool.
fn keeps(error: &Option<TransactionValidityError>) -> bool {
	matches!(
		error,
		Some(TransactionValidityError::Invalid(
			InvalidTransaction::Stale | InvalidTransaction::Future
		))
	)
}

#[async_trait::async_trait]
impl TransactionPool for LagTolerantPool {
	type Block = Block;
	type Hash = <Inner as TransactionPool>::Hash;
	type InPoolTransaction = InPool;
	type Error = <Inner as TransactionPool>::Error;

	async fn submit_at(
		&self,
		at: Hash,
		source: TransactionSource,
		xts: Vec<TransactionFor<Self>>,
	) -> Result<Vec<Result<TxHash<Self>, Self::Error>>, Self::Error> {
		self.inner.submit_at(at, source, xts).await
	}

	async fn submit_one(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<TxHash<Self>, Self::Error> {
		self.inner.submit_one(at, source, xt).await
	}

	async fn submit_and_watch(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<Pin<Box<TransactionStatusStreamFor<Self>>>, Self::Error> {
		self.inner.submit_and_watch(at, source, xt).await
	}

	async fn ready_at(&self, at: Hash) -> Ready {
		let ready = self.inner.ready_at(at).await;
		self.skipping_included(at, ready)
	}

	fn ready(&self) -> Ready {
		self.inner.ready()
	}

	async fn report_invalid(
		&self,
		at: Option<Hash>,
		invalid_tx_errors: TxInvalidityReportMap<TxHash<Self>>,
	) -> Vec<Arc<Self::InPoolTransaction>> {
		let (kept, removed): (Vec<_>, Vec<_>) =
			invalid_tx_errors.into_iter().partition(|(_, error)| keeps(error));
		if !kept.is_empty() {
			log::debug!(
				target: "cairn::pool",
				"{} transaction(s) stale or future at {at:?} kept for pruning and revalidation",
				kept.len()
			);
		}
		if removed.is_empty() {
			return Vec::new();
		}
		self.inner.report_invalid(at, removed.into_iter().collect()).await
	}

	fn futures(&self) -> Vec<Self::InPoolTransaction> {
		self.inner.futures()
	}

	fn status(&self) -> PoolStatus {
		self.inner.status()
	}

	fn import_notification_stream(&self) -> ImportNotificationStream<TxHash<Self>> {
		self.inner.import_notification_stream()
	}

	fn on_broadcasted(&self, propagations: HashMap<TxHash<Self>, Vec<String>>) {
		self.inner.on_broadcasted(propagations)
	}

	fn hash_of(&self, xt: &TransactionFor<Self>) -> TxHash<Self> {
		self.inner.hash_of(xt)
	}

	fn ready_transaction(&self, hash: &TxHash<Self>) -> Option<Arc<Self::InPoolTransaction>> {
		self.inner.ready_transaction(hash)
	}

	async fn ready_at_with_timeout(&self, at: Hash, timeout: Duration) -> Ready {
		let ready = self.inner.ready_at_with_timeout(at, timeout).await;
		self.skipping_included(at, ready)
	}
}

#[async_trait::async_trait]
impl MaintainedTransactionPool for LagTolerantPool {
	async fn maintain(&self, event: ChainEvent<Block>) {
		let best = match &event {
			ChainEvent::NewBestBlock { hash, .. } => Some(*hash),
			ChainEvent::Finalized { .. } => None,
		};
		self.inner.maintain(event).await;
		if let Some(best) = best {
			*self.maintained.lock().unwrap_or_else(PoisonError::into_inner) = best;
		}
	}
}

impl LocalTransactionPool for LagTolerantPool {
	type Block = Block;
	type Hash = <Inner as LocalTransactionPool>::Hash;
	type Error = <Inner as LocalTransactionPool>::Error;

	fn submit_local(
		&self,
		at: Hash,
		xt: LocalTransactionFor<Self>,
	) -> Result<Self::Hash, Self::Error> {
		self.inner.submit_local(at, xt)
	}
}

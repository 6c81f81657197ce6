//! # cairn-rpc
//!
//! The Starknet JSON-RPC 0.10.3 server: [`Starknet`] implements `cairn-rpc-api`'s five traits over
//! the node's client (pallet storage, runtime APIs), its transaction pool and the Starknet index.
//!
//! Reads come straight from pallet-starknet's storage at the requested block (keys from
//! [`cairn_primitives::starknet::storage`]) or from the index (`cairn-index`); execution (calls,
//! estimates, simulations, traces) goes through the runtime API, on tokio's blocking pool; writes
//! become the pallet's unsigned extrinsics (built by the runtime) and go to the transaction pool,
//! whose verdicts map to the spec's errors.
//!
//! One file per concern, each holding the methods of its concern (`server` only delegates to
//! them): `block_id` (block ids → Substrate blocks), `state` (nonces, storage, classes, chain id),
//! `blocks` (blocks and state updates), `transactions` (transactions, receipts, statuses), `events`
//! (event pages and continuation tokens), `execute` (call, fee estimates, simulations), `trace`
//! (re-execution of mined blocks), `submit` (submission, pool verdicts, received
//! transactions), `journal` (acknowledged transactions journaled, followed, replayed), `ws`
//! (the WebSocket subscriptions; the node spawns [`Starknet::follow_chain`] for them) and
//! `metrics` (Prometheus series; [`Starknet::with_metrics`], [`Starknet::record_blocks`]) and `l1`
//! (settlement and messages from L1, when the node follows an L1: [`Starknet::with_l1`]).
mod block_id;
mod blocks;
mod events;
mod execute;
mod journal;
mod l1;
mod limits;
mod metrics;
mod proofs;
mod server;
mod state;
mod submit;
mod trace;
mod transactions;
mod ws;

pub use l1::L1View;
pub use limits::Limits;

use cairn_index::{Index, StarknetClient};
use cairn_primitives::starknet::Felt;
use cairn_rpc_api::StarknetError;
use limits::ExecutionSlots;
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::{TransactionPool, TxHash};
use schnellru::{ByLength, LruMap};
use sp_runtime::traits::Block as BlockT;
use starknet_api::core::ChainId;
use std::{
	marker::PhantomData,
	sync::{Arc, Mutex},
};

/// The server: the node's client (state, runtime APIs), its transaction pool and the Starknet
/// index. A cheap handle: clones share everything (the execution methods move a clone onto the
/// blocking pool).
pub struct Starknet<B: BlockT, C, BE, P: TransactionPool> {
	client: Arc<C>,
	pool: Arc<P>,
	index: Index<B, C, BE>,
	/// Starknet hash → pool hash of the transactions this server submitted, until they are
	/// mined (so that a transaction still in the pool reads as `RECEIVED`); see `submit`.
	received: Arc<Mutex<LruMap<Felt, TxHash<P>, ByLength>>>,
	/// The chain id at the last block asked about (every submission hashes with it; reading it
	/// is a runtime call).
	chain_id: Arc<Mutex<Option<(B::Hash, ChainId)>>>,
	/// The node's bounds on RPC work.
	limits: Limits,
	/// Execution requests running now (at most `limits.max_concurrent_executions`).
	executions: Arc<ExecutionSlots>,
	/// Where acknowledged transactions are kept until settled (`journal`); none: in memory only.
	journal: Option<Arc<cairn_pool_journal::Journal>>,
	/// Declares being admitted (compiled) before they go to the pool: one at a time.
	declares: Arc<tokio::sync::Semaphore>,
	/// What the WebSocket subscriptions share (`ws`).
	ws: Arc<ws::Hub<B>>,
	/// The Prometheus series it updates (`metrics`), if the node has an endpoint.
	metrics: Option<Arc<metrics::Metrics>>,
	/// What the node knows of its L1 (`l1`), if it follows one.
	l1: Option<Arc<dyn L1View>>,
	_marker: PhantomData<(B, BE)>,
}

impl<B: BlockT, C, BE, P: TransactionPool> Clone for Starknet<B, C, BE, P> {
	fn clone(&self) -> Self {
		Starknet {
			client: self.client.clone(),
			pool: self.pool.clone(),
			index: self.index.clone(),
			received: self.received.clone(),
			chain_id: self.chain_id.clone(),
			limits: self.limits,
			executions: self.executions.clone(),
			declares: self.declares.clone(),
			journal: self.journal.clone(),
			ws: self.ws.clone(),
			metrics: self.metrics.clone(),
			l1: self.l1.clone(),
			_marker: PhantomData,
		}
	}
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool,
{
	/// A server over `client`, its Starknet `index` and `pool`, within `limits`, journaling what
	/// it acknowledges in `journal` (see [`Starknet::replay_journal`] for what the journal held at
	/// start).
	pub fn new(
		client: Arc<C>,
		index: Index<B, C, BE>,
		pool: Arc<P>,
		limits: Limits,
		journal: Option<Arc<cairn_pool_journal::Journal>>,
	) -> Self {
		let received = Arc::new(Mutex::new(LruMap::new(ByLength::new(submit::MAX_RECEIVED))));
		let chain_id = Arc::new(Mutex::new(None));
		let executions = Arc::new(ExecutionSlots::new(limits.max_concurrent_executions));
		let ws = Arc::new(ws::Hub::new());
		Starknet {
			client,
			pool,
			index,
			received,
			chain_id,
			limits,
			executions,
			declares: Arc::new(tokio::sync::Semaphore::new(1)),
			journal,
			ws,
			metrics: None,
			l1: None,
			_marker: PhantomData,
		}
	}
}

type Result<T> = std::result::Result<T, StarknetError>;

/// UNEXPECTED_ERROR with `error`'s message.
fn unexpected(error: impl std::fmt::Display) -> StarknetError {
	StarknetError::UnexpectedError(error.to_string())
}

/// Runs `work` on tokio's blocking pool (execution must not hold up the server's async workers).
async fn blocking<T: Send + 'static>(
	work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
	tokio::task::spawn_blocking(work).await.map_err(unexpected)?
}

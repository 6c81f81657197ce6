//! The Starknet side of the node in Prometheus (Substrate's `/metrics` endpoint): submissions
//! accepted and refused (by the spec's error code), the transactions and gas of each canonical
//! block, the pool's size and the WebSocket subscriptions open. The node registers them with
//! [`Starknet::with_metrics`] and spawns [`Starknet::record_blocks`]. (Execution time per
//! transaction is measured where transactions execute, in the node's executor; RPC latency per
//! method is Substrate's `substrate_rpc_calls_time`.)
use crate::{ws::Cursor, ws::Step, Starknet};
use cairn_index::StarknetClient;
use cairn_rpc_api::StarknetError;
use jsonrpsee::types::ErrorObjectOwned;
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use substrate_prometheus_endpoint::{
	exponential_buckets, register, CounterVec, Histogram, HistogramOpts, HistogramVec,
	MetricSource, Opts, PrometheusError, Registry, SourcedGauge, U64,
};

/// The series [`Starknet`] updates.
pub(crate) struct Metrics {
	/// `cairn_starknet_transactions_accepted_total{type}`.
	accepted: CounterVec<U64>,
	/// `cairn_starknet_transactions_refused_total{type, code}`.
	refused: CounterVec<U64>,
	/// `cairn_starknet_transactions_executed_total{execution_status}`: transactions in canonical
	/// blocks.
	executed: CounterVec<U64>,
	/// `cairn_starknet_block_transactions`: Starknet transactions per canonical block.
	block_transactions: Histogram,
	/// `cairn_starknet_block_gas{resource}`: gas per canonical block (`l2_gas`, `l1_gas`,
	/// `l1_data_gas`), the sum of its receipts'.
	block_gas: HistogramVec,
}

impl Metrics {
	fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let counter = |name: &str, help: &str, labels: &[&str]| {
			register(CounterVec::new(Opts::new(name, help), labels)?, registry)
		};
		let histogram = |name: &str, help: &str, buckets: Vec<f64>, labels: &[&str]| {
			register(
				HistogramVec::new(HistogramOpts::new(name, help).buckets(buckets), labels)?,
				registry,
			)
		};
		Ok(Metrics {
			accepted: counter(
				"cairn_starknet_transactions_accepted_total",
				"Starknet transactions the RPC accepted into the pool, by type",
				&["type"],
			)?,
			refused: counter(
				"cairn_starknet_transactions_refused_total",
				"Starknet transactions the RPC refused, by type and the spec's error code",
				&["type", "code"],
			)?,
			executed: counter(
				"cairn_starknet_transactions_executed_total",
				"Starknet transactions in canonical blocks, by execution status",
				&["execution_status"],
			)?,
			block_transactions: register(
				Histogram::with_opts(
					HistogramOpts::new(
						"cairn_starknet_block_transactions",
						"Starknet transactions per canonical block",
					)
					.buckets(
						[0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
							.to_vec(),
					),
				)?,
				registry,
			)?,
			block_gas: histogram(
				"cairn_starknet_block_gas",
				"Gas per canonical block (the sum of its receipts'), by resource",
				exponential_buckets(1e4, 4.0, 14)?,
				&["resource"],
			)?,
		})
	}

	/// A submission of type `kind` (the spec's `INVOKE`, `DECLARE`, `DEPLOY_ACCOUNT`) answered
	/// `outcome`.
	pub(crate) fn submitted<T>(&self, kind: &str, outcome: &Result<T, StarknetError>) {
		match outcome {
			Ok(_) => self.accepted.with_label_values(&[kind]).inc(),
			Err(error) => {
				let code = ErrorObjectOwned::from(error.clone()).code().to_string();
				self.refused.with_label_values(&[kind, &code]).inc()
			}
		}
	}

	fn block(&self, block: &cairn_index::IndexedBlock) {
		let mut gas = [0u64; 3];
		for tx in &block.transactions {
			let status = if tx.receipt.revert_error.is_some() { "REVERTED" } else { "SUCCEEDED" };
			self.executed.with_label_values(&[status]).inc();
			let used = tx.receipt.gas;
			for (total, used) in gas.iter_mut().zip([used.l2_gas, used.l1_gas, used.l1_data_gas]) {
				*total = total.saturating_add(used);
			}
		}
		self.block_transactions.observe(block.transactions.len() as f64);
		for (resource, total) in ["l2_gas", "l1_gas", "l1_data_gas"].into_iter().zip(gas) {
			self.block_gas.with_label_values(&[resource]).observe(total as f64);
		}
	}
}

/// `cairn_starknet_pool_transactions{status}` and `cairn_starknet_subscriptions_open`, read when
/// Prometheus scrapes.
struct Sampled<P, B: BlockT> {
	pool: Arc<P>,
	ws: Arc<crate::ws::Hub<B>>,
	subscriptions: bool,
}

impl<P, B: BlockT> Clone for Sampled<P, B> {
	fn clone(&self) -> Self {
		Sampled { pool: self.pool.clone(), ws: self.ws.clone(), subscriptions: self.subscriptions }
	}
}

impl<P: TransactionPool + 'static, B: BlockT> MetricSource for Sampled<P, B> {
	type N = u64;

	fn collect(&self, mut set: impl FnMut(&[&str], u64)) {
		if self.subscriptions {
			set(&[], self.ws.registry.open() as u64);
		} else {
			let status = self.pool.status();
			set(&["ready"], status.ready as u64);
			set(&["future"], status.future as u64);
		}
	}
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// This server, counting into `registry`.
	pub fn with_metrics(mut self, registry: &Registry) -> Result<Self, PrometheusError> {
		let source = |subscriptions| Sampled::<P, B> {
			pool: self.pool.clone(),
			ws: self.ws.clone(),
			subscriptions,
		};
		register(
			SourcedGauge::new(
				&Opts::new(
					"cairn_starknet_pool_transactions",
					"Transactions in the pool, ready to be included or waiting for a nonce",
				)
				.variable_label("status"),
				source(false),
			)?,
			registry,
		)?;
		register(
			SourcedGauge::new(
				&Opts::new(
					"cairn_starknet_subscriptions_open",
					"Starknet WebSocket subscriptions open",
				),
				source(true),
			)?,
			registry,
		)?;
		self.metrics = Some(Arc::new(Metrics::register(registry)?));
		Ok(self)
	}

	/// Counts the transactions and gas of every canonical block imported after the start, each
	/// once (a block a reorganisation abandons stays counted; its replacement is counted too).
	/// The node spawns it when it has metrics; it ends with the server.
	pub async fn record_blocks(self) {
		let Some(metrics) = self.metrics.clone() else { return };
		let mut best = self.ws.best.subscribe();
		let Ok(start) = self.block_number() else { return };
		let mut cursor = Cursor::new(start + 1);
		loop {
			match cursor.step(&self).await {
				Ok(Step::Block(block)) => metrics.block(&block),
				Ok(Step::Reorg(_)) => {}
				Ok(Step::Wait) | Err(_) => {
					if best.changed().await.is_err() {
						return;
					}
				}
			}
		}
	}
}

//! The transaction pool a Cairn node runs: Cairn's sequencer pool (Substrate's single-state pool,
//! revalidated lightly, tolerant of its own maintenance lagging: [`LagTolerantPool`]) unless
//! `--pool-type` asks for Substrate's pool as configured.
use super::{lagging_pool::LagTolerantPool, FullClient};
use cairn_primitives::Block;
use sc_client_api::UsageProvider;
use sc_service::{Configuration, TaskManager};
use std::{sync::Arc, time::Duration};

/// Which transaction pool the node runs.
pub enum PoolChoice {
	/// Cairn's sequencer pool: Substrate's single-state pool with these limits, revalidated
	/// lightly. Substrate's full revalidation re-runs the runtime's validation (for Starknet:
	/// blockifier's `__validate__`) of every ready transaction after every block, and re-imports
	/// each one with its dependants; under load that doubled the pool's executions
	/// (`scripts/bench`: 4,274 validations for 2,000 transfers). A transaction the state has made
	/// invalid in the meantime is still never included: block building executes every
	/// transaction and drops the ones Starknet refuses (`pre_dispatch`), and the pool forgets
	/// them then. Light revalidation sweeps the pool every 20 blocks or 60 seconds; while it
	/// runs, block building skips what the pool has not pruned yet ([`LagTolerantPool`]).
	Sequencer(sc_transaction_pool::Options),
	/// `--pool-type` was given: Substrate's pool as the command line configures it.
	Configured,
}

impl PoolChoice {
	/// The sequencer pool with the command line's limits (the same ones Substrate derives from
	/// `--pool-limit`, `--pool-kbytes` and `--tx-ban-seconds`).
	pub fn sequencer(count: usize, bytes: usize, ban_seconds: Option<u64>, is_dev: bool) -> Self {
		let ban_time = match (ban_seconds, is_dev) {
			(Some(seconds), _) => Duration::from_secs(seconds),
			(None, true) => Duration::ZERO,
			(None, false) => Duration::from_secs(30 * 60),
		};
		PoolChoice::Sequencer(sc_transaction_pool::Options {
			ready: sc_transaction_pool::PoolLimit { count, total_bytes: bytes },
			future: sc_transaction_pool::PoolLimit { count: count / 10, total_bytes: bytes / 10 },
			reject_future_transactions: false,
			ban_time,
		})
	}
}

/// The pool `choice` describes, over `client`.
pub fn build(
	choice: &PoolChoice,
	config: &Configuration,
	client: &Arc<FullClient>,
	task_manager: &TaskManager,
) -> sc_transaction_pool::TransactionPoolHandle<Block, FullClient> {
	match choice {
		PoolChoice::Sequencer(options) => {
			let spawner = task_manager.spawn_essential_handle();
			let api = Arc::new(sc_transaction_pool::FullChainApi::new(
				client.clone(),
				config.prometheus_registry(),
				&spawner,
			));
			let chain = client.usage_info().chain;
			let basic = sc_transaction_pool::TransactionPoolWrapper(Box::new(
				sc_transaction_pool::BasicPool::with_revalidation_type(
					options.clone(),
					config.role.is_authority().into(),
					api,
					config.prometheus_registry(),
					sc_transaction_pool::RevalidationType::Light,
					spawner,
					chain.best_number,
					chain.best_hash,
					chain.finalized_hash,
				),
			));
			sc_transaction_pool::TransactionPoolWrapper(Box::new(LagTolerantPool::new(
				basic,
				client.clone(),
				chain.best_hash,
			)))
		}
		PoolChoice::Configured => sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	}
}

//! The node service: client and database, import queue, networking, RPC, and block authoring —
//! either development sealing (instant, manual, interval) or Aura + GRANDPA.
use std::{sync::Arc, time::Duration};

use cairn_primitives::{Block, Hash};
use cairn_runtime::apis::RuntimeApi;
use futures::{channel::mpsc, stream::BoxStream, FutureExt, StreamExt};
use sc_client_api::{Backend, BlockBackend, BlockchainEvents, UsageProvider};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_consensus_manual_seal::{
	consensus::aura::AuraConsensusDataProvider, EngineCommand, ManualSealParams,
};
use sc_service::{
	error::Error as ServiceError, ChainType, Configuration, TaskManager, WarpSyncConfig,
};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair};

use crate::cli::Sealing;

/// The host functions the runtime may call: Substrate's, and the Starknet executor's (blockifier).
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	cairn_primitives::starknet::host::starknet_executor::HostFunctions,
);
/// The full client, executing the on-chain wasm runtime.
pub type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLink = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// Blocks between two GRANDPA justifications kept for import and warp sync.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts of the service that the subcommands need too.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(Option<(GrandpaBlockImport, GrandpaLink)>, Option<Telemetry>),
>;

/// How a chain's blocks are authored and finalized. Decided by the chain spec's type, the same way
/// for the running node and for every subcommand that opens its database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consensus {
	/// Development chains: sealed on demand (`--sealing`, instant by default), finalized at once.
	DevSealing(Sealing),
	/// Local and live chains: Aura authoring, GRANDPA finality.
	AuraGrandpa,
}

impl Consensus {
	/// The consensus of the configured chain; `sealing` is the `--sealing` flag, which only a
	/// development chain accepts.
	pub fn of(config: &Configuration, sealing: Option<Sealing>) -> Result<Self, ServiceError> {
		match (config.chain_spec.chain_type(), sealing) {
			(ChainType::Development, sealing) => {
				Ok(Consensus::DevSealing(sealing.unwrap_or(Sealing::Instant)))
			}
			(_, None) => Ok(Consensus::AuraGrandpa),
			(chain_type, Some(_)) => Err(ServiceError::Other(format!(
				"--sealing applies to development chains only: `{}` is a {chain_type:?} chain, \
				 authored by Aura and finalized by GRANDPA",
				config.chain_spec.name()
			))),
		}
	}
}

/// Which transaction pool the node runs.
pub enum PoolChoice {
	/// Cairn's sequencer pool: Substrate's single-state pool with these limits, revalidated
	/// lightly. Substrate's full revalidation re-runs the runtime's validation (for Starknet:
	/// blockifier's `__validate__`) of every ready transaction after every block, and re-imports
	/// each one with its dependants; under load that doubled the pool's executions
	/// (`scripts/bench`: 4,274 validations for 2,000 transfers). A transaction the state has made
	/// invalid in the meantime is still never included: block building executes every
	/// transaction and drops the ones Starknet refuses (`pre_dispatch`), and the pool forgets
	/// them then. Light revalidation sweeps the pool every 20 blocks or 60 seconds.
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

/// Client, database, pool and import queue. With development sealing, blocks carry no Aura
/// signature and have no GRANDPA justifications, so the import queue accepts them as they are.
pub fn new_partial(
	config: &Configuration,
	consensus: Consensus,
	pool: &PoolChoice,
) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::new(match pool {
		PoolChoice::Sequencer(options) => {
			let spawner = task_manager.spawn_essential_handle();
			let api = Arc::new(sc_transaction_pool::FullChainApi::new(
				client.clone(),
				config.prometheus_registry(),
				&spawner,
			));
			let chain = client.usage_info().chain;
			sc_transaction_pool::TransactionPoolWrapper(Box::new(
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
			))
		}
		PoolChoice::Configured => sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	});

	let (import_queue, grandpa) = if let Consensus::DevSealing(_) = consensus {
		let queue = sc_consensus_manual_seal::import_queue(
			Box::new(client.clone()),
			&task_manager.spawn_essential_handle(),
			config.prometheus_registry(),
		);
		(queue, None)
	} else {
		let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
			client.clone(),
			GRANDPA_JUSTIFICATION_PERIOD,
			&client,
			select_chain.clone(),
			telemetry.as_ref().map(|x| x.handle()),
		)?;
		let cidp_client = client.clone();
		let queue =
			sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
				block_import: grandpa_block_import.clone(),
				justification_import: Some(Box::new(grandpa_block_import.clone())),
				client: client.clone(),
				create_inherent_data_providers: move |parent_hash, _| {
					let cidp_client = cidp_client.clone();
					async move {
						let slot_duration = sc_consensus_aura::standalone::slot_duration_at(
							&*cidp_client,
							parent_hash,
						)?;
						Ok(aura_inherent_data(slot_duration))
					}
				},
				spawner: &task_manager.spawn_essential_handle(),
				registry: config.prometheus_registry(),
				check_for_equivocation: Default::default(),
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			})?;
		(queue, Some((grandpa_block_import, grandpa_link)))
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, telemetry),
	})
}

/// The timestamp and Aura slot inherents of a block authored now under Aura.
fn aura_inherent_data(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

/// The timestamp of a dev-sealed block: the wall clock, but never behind its parent. The runtime
/// would move a lagging timestamp forward itself, but the Aura slot of the pre-digest is taken from
/// this value, and the two must agree (after a clock step back, or blocks sealed within one
/// millisecond).
fn dev_sealing_timestamp(client: &FullClient, parent: Hash) -> sp_timestamp::InherentDataProvider {
	use codec::Decode;
	use sc_client_api::StorageProvider;
	// pallet_timestamp's `Now`, under the pallet's name in the runtime (`Timestamp`); if the runtime
	// ever renamed it, this falls back to the wall clock alone.
	let key = [sp_core::twox_128(b"Timestamp"), sp_core::twox_128(b"Now")].concat();
	let parent_time = client
		.storage(parent, &sc_client_api::StorageKey(key))
		.ok()
		.flatten()
		.and_then(|value| u64::decode(&mut &value.0[..]).ok())
		.unwrap_or(0);
	let now = sp_timestamp::Timestamp::current();
	sp_timestamp::InherentDataProvider::new(now.max(sp_timestamp::Timestamp::new(parent_time + 1)))
}

/// The stream of sealing commands for a development sealing mode: `engine_*` RPC calls always,
/// plus one command per pool import (instant) or per tick (interval). Instant sealing also seals
/// again after each new block while the pool still has ready transactions: a block holds what
/// fits its weight and proposal time, and the rest must not wait for the next import.
fn sealing_commands(
	sealing: Sealing,
	rpc_commands: mpsc::Receiver<EngineCommand<Hash>>,
	pool: &Arc<sc_transaction_pool::TransactionPoolHandle<Block, FullClient>>,
	client: &Arc<FullClient>,
) -> BoxStream<'static, EngineCommand<Hash>> {
	let seal = |create_empty| EngineCommand::SealNewBlock {
		create_empty,
		finalize: true,
		parent_hash: None,
		sender: None,
	};
	match sealing {
		Sealing::Manual => rpc_commands.boxed(),
		Sealing::Instant => {
			let imports = pool.import_notification_stream().map(move |_| seal(false));
			let pool = pool.clone();
			let leftovers = client
				.import_notification_stream()
				.filter(move |_| futures::future::ready(pool.status().ready > 0))
				.map(move |_| seal(false));
			futures::stream::select(rpc_commands, futures::stream::select(imports, leftovers))
				.boxed()
		}
		Sealing::Interval(ms) => {
			let mut interval = tokio::time::interval(Duration::from_millis(ms));
			// A block that takes longer than the interval delays the next tick instead of
			// queueing a burst of empty blocks.
			interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
			let ticks = futures::stream::unfold(interval, move |mut interval| async move {
				interval.tick().await;
				Some((seal(true), interval))
			});
			futures::stream::select(rpc_commands, ticks).boxed()
		}
	}
}

/// Build and start the full node.
pub fn new_full<N: sc_network::NetworkBackend<Block, Hash>>(
	config: Configuration,
	consensus: Consensus,
	pool: PoolChoice,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, mut telemetry),
	} = new_partial(&config, consensus, &pool)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<Block, Hash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	// GRANDPA's gossip protocol and warp sync exist only on Aura + GRANDPA chains.
	let mut grandpa_protocol = None;
	let mut warp_sync_config = None;
	if let Some((_, link)) = &grandpa {
		let grandpa_protocol_name = sc_consensus_grandpa::protocol_standard_name(
			&client.block_hash(0).ok().flatten().expect("Genesis block exists; qed"),
			&config.chain_spec,
		);
		let (protocol_config, notification_service) =
			sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
				grandpa_protocol_name.clone(),
				metrics.clone(),
				net_config.peer_store_handle(),
			);
		net_config.add_notification_protocol(protocol_config);
		grandpa_protocol = Some((grandpa_protocol_name, notification_service));
		warp_sync_config = Some(WarpSyncConfig::WithProvider(Arc::new(
			sc_consensus_grandpa::warp_proof::NetworkProvider::new(
				backend.clone(),
				link.shared_authority_set().clone(),
				Vec::default(),
			),
		)));
	}

	let (network, system_rpc_tx, tx_handler_controller, sync_service) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config,
			block_relay: None,
			metrics,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	// Dev sealing: the command stream subscribes to pool imports before RPC starts taking
	// transactions, so none is missed.
	let (engine_tx, engine_rx) = mpsc::channel::<EngineCommand<Hash>>(1024);
	let (engine, commands_stream) = match consensus {
		Consensus::DevSealing(sealing) => (
			Some(engine_tx),
			Some(sealing_commands(sealing, engine_rx, &transaction_pool, &client)),
		),
		Consensus::AuraGrandpa => (None, None),
	};
	// The Starknet index (blocks, transactions, receipts in the node's database) follows imports.
	task_manager.spawn_handle().spawn(
		"starknet-index",
		None,
		cairn_client::index::run(cairn_client::Index::<Block, _, FullBackend>::new(client.clone())),
	);
	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				engine: engine.clone(),
			};
			crate::rpc::create_full::<_, _, FullBackend>(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let proposer_factory = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		prometheus_registry.as_ref(),
		telemetry.as_ref().map(|x| x.handle()),
	);

	if let (Consensus::DevSealing(sealing), Some(commands_stream)) = (consensus, commands_stream) {
		log::info!("🧱 Development sealing: {sealing}");
		let cidp_client = client.clone();
		let authorship = sc_consensus_manual_seal::run_manual_seal(ManualSealParams {
			block_import: client.clone(),
			env: proposer_factory,
			client: client.clone(),
			pool: transaction_pool,
			commands_stream,
			select_chain,
			// Aura pre-digests keep the runtime's Aura slot in step with the block timestamps.
			consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new(client.clone()))),
			create_inherent_data_providers: move |parent, ()| {
				let timestamp = dev_sealing_timestamp(&cidp_client, parent);
				async move { Ok(timestamp) }
			},
		});
		task_manager.spawn_essential_handle().spawn_blocking(
			"manual-seal",
			Some("block-authoring"),
			authorship,
		);
		return Ok(task_manager);
	}

	let (block_import, grandpa_link) =
		grandpa.expect("new_partial sets up GRANDPA for Consensus::AuraGrandpa; qed");
	let (grandpa_protocol_name, grandpa_notification_service) =
		grandpa_protocol.expect("the GRANDPA protocol is registered with GRANDPA; qed");

	if role.is_authority() {
		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					Ok(aura_inherent_data(slot_duration))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};
		let voter = sc_consensus_grandpa::run_grandpa_voter(sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		})?;
		task_manager.spawn_essential_handle().spawn_blocking("grandpa-voter", None, voter);
	}

	Ok(task_manager)
}

//! The node service: client and database, import queue, networking, RPC, and block authoring —
//! either development sealing (instant, manual, interval; [`sealing`]) or Aura + GRANDPA
//! ([`aura_grandpa`]). The native Starknet executor is plugged into every runtime call in
//! [`executor`]; the transaction pool is chosen in [`pool`].
mod aura_grandpa;
mod dev_capacity;
mod dev_import;
mod dev_keys;
pub mod dev_sudo;
pub mod executor;
mod finalize_reserve;
pub(crate) mod l1;
pub mod l1_link;
mod lagging_pool;
pub mod pool;
mod sealing;
pub(crate) mod settlement;

use std::sync::Arc;

use cairn_primitives::{Block, Hash};
use cairn_runtime::apis::RuntimeApi;
use futures::{channel::mpsc, FutureExt};
use sc_client_api::{Backend, BlockBackend, ExecutorProvider};
use sc_consensus_manual_seal::EngineCommand;
use sc_service::{
	error::Error as ServiceError, ChainType, Configuration, TaskManager, WarpSyncConfig,
};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;

pub use executor::HostFunctions;
pub use pool::PoolChoice;

use crate::cli::Sealing;

/// The full client, executing the on-chain wasm runtime.
pub type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
/// The node's database backend.
pub type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLink = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;
/// The Starknet index over the node's client.
pub type StarknetIndex = cairn_index::Index<Block, FullClient, FullBackend>;
/// A block import that indexes every block it imports (`cairn_index::import`).
pub type Indexing<I> = cairn_index::IndexingBlockImport<I, Block, FullClient, FullBackend>;

/// Blocks between two GRANDPA justifications kept for import and warp sync.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts of the service that the subcommands need too.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(Option<(GrandpaBlockImport, GrandpaLink)>, Option<Telemetry>, StarknetIndex),
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

/// Client, database, pool and import queue. With development sealing, blocks carry no Aura
/// signature and have no GRANDPA justifications: the import queue takes the node's own and
/// `import-blocks` files as they are, and refuses every peer's ([`dev_import`]).
pub fn new_partial(
	config: &Configuration,
	consensus: Consensus,
	pool: &PoolChoice,
	native_cache: Option<&std::path::Path>,
) -> Result<Service, ServiceError> {
	new_partial_following(config, consensus, pool, native_cache, None)
}

/// [`new_partial`], with the L1 follower whose view an Aura import checks blocks' messages from
/// L1 against.
fn new_partial_following(
	config: &Configuration,
	consensus: Consensus,
	pool: &PoolChoice,
	native_cache: Option<&std::path::Path>,
	l1: Option<&cairn_l1::Follower>,
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
	// Every runtime call of this client — block building and import, pool validation, runtime
	// API calls, `state_call`, the subcommands — runs with the native Starknet executor.
	client.execution_extensions().set_extensions_factory(executor::StarknetExecution::new(
		native_cache,
		config.prometheus_registry(),
	));

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::new(pool::build(pool, config, &client, &task_manager));
	let index = starknet_index(config, &client, native_cache)?;

	let (import_queue, grandpa) = if let Consensus::DevSealing(_) = consensus {
		let queue = dev_import::import_queue(
			Box::new(Indexing::new(client.clone(), index.clone())),
			&task_manager.spawn_essential_handle(),
			config.prometheus_registry(),
		);
		(queue, None)
	} else {
		let (queue, grandpa) = aura_grandpa::import_queue(
			config,
			&client,
			&select_chain,
			&task_manager,
			telemetry.as_ref(),
			&index,
			l1.cloned(),
		)?;
		(queue, Some(grandpa))
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, telemetry, index),
	})
}

/// The Starknet index of the node's chain, in `<chain data>/starknet/index`, with what it lacks
/// indexed first — re-executing from genesis the blocks whose state is pruned
/// (`cairn_index::replay`) — so that every reader finds the whole chain.
fn starknet_index(
	config: &Configuration,
	client: &Arc<FullClient>,
	native_cache: Option<&std::path::Path>,
) -> Result<StarknetIndex, ServiceError> {
	let path = config.data_path.join("starknet").join("index");
	let db = cairn_index::IndexDb::open(&path).map_err(ServiceError::Other)?;
	let index = StarknetIndex::new(client.clone(), Arc::new(db));
	let spec = config.chain_spec.cloned_box();
	let replayer = cairn_index::Replayer::new(
		sc_service::new_wasm_executor::<HostFunctions>(&config.executor),
		Arc::new(executor::StarknetExecution::new(native_cache, None)),
		Box::new(move || spec.build_storage()),
	);
	if let Err(e) = index.rebuild(&replayer) {
		log::error!(target: "starknet-index", "cannot index the chain: {e}");
	}
	Ok(index)
}

/// What the running node takes from its command line beyond Substrate's configuration.
#[derive(Debug, Clone)]
pub struct Options {
	/// Run a live chain on development secrets (see `dev_keys`).
	pub allow_development_keys: bool,
	/// Bounds on Starknet RPC work.
	pub rpc_limits: cairn_rpc::Limits,
	/// Journal acknowledged Starknet transactions (`cairn-pool-journal`).
	pub pool_journal: bool,
	/// Where Cairo Native keeps compiled classes (`None`: the default, see
	/// [`executor::default_native_cache`]).
	pub native_cache: Option<std::path::PathBuf>,
	/// The L1 to follow.
	pub l1: crate::cli::L1Options,
	/// The built-in spec's funded Starknet accounts and how they were made (what the development
	/// methods list); empty for a spec from a file.
	pub dev_accounts:
		(Option<crate::chain_spec::DevGenesis>, Vec<cairn_executor::dev_genesis::DevAccount>),
}

/// Build and start the full node.
pub fn new_full<N: sc_network::NetworkBackend<Block, Hash>>(
	mut config: Configuration,
	consensus: Consensus,
	pool: PoolChoice,
	options: Options,
) -> Result<TaskManager, ServiceError> {
	let l1 = l1::follower(&config.data_path, &options.l1)?;
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, mut telemetry, index),
	} = new_partial_following(
		&config,
		consensus,
		&pool,
		options.native_cache.as_deref(),
		l1.as_ref(),
	)?;
	dev_keys::refuse_on_live_chains(
		&client,
		&config.chain_spec.chain_type(),
		options.allow_development_keys,
	)?;
	executor::announce_engine(&client, options.native_cache.as_deref())?;

	// Warp sync waits for 3 peers by default; a network in sequencer mode may have one, and one
	// suffices: the warp proof is checked against the genesis GRANDPA authorities, so a peer can
	// withhold it but not forge it.
	config.network.min_peers_to_start_warp_sync.get_or_insert(1);
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
		Consensus::DevSealing(sealing) => {
			let mut commands = sealing::commands(sealing, engine_rx, &transaction_pool, &client);
			// Instant sealing seals when messages from L1 arrive too.
			if let (crate::cli::Sealing::Instant, Some(follower)) = (sealing, &l1) {
				commands = futures::StreamExt::boxed(futures::stream::select(
					commands,
					l1::seal_on_messages(follower),
				));
			}
			(Some(engine_tx), Some(commands))
		}
		Consensus::AuraGrandpa => (None, None),
	};
	// The L1 follower reads the core contract's messages and forgets those finalized blocks
	// consumed.
	if let Some(follower) = &l1 {
		task_manager.spawn_handle().spawn(
			"l1-follower",
			None,
			l1::run(follower.clone(), client.clone()),
		);
	}
	// The Starknet index (blocks, transactions, receipts in a database of its own) follows imports.
	task_manager.spawn_handle().spawn("starknet-index", None, cairn_index::run(index.clone()));
	// The Starknet RPC server, and the transactions it acknowledged before a stop or a crash,
	// sent to the pool again.
	let (journal, replay) = if options.pool_journal {
		let path = config.data_path.join("starknet").join("pool-journal");
		let (journal, entries) =
			std::fs::create_dir_all(path.parent().expect("a file in a directory; qed"))
				.and_then(|()| cairn_pool_journal::Journal::open(&path))
				.map_err(|e| {
					ServiceError::Other(format!("the pool journal {}: {e}", path.display()))
				})?;
		(Some(Arc::new(journal)), entries)
	} else {
		log::warn!(
			"--no-pool-journal: transactions acknowledged but not yet in a block are lost if the \
			 node stops"
		);
		(None, Vec::new())
	};
	let mut starknet = cairn_rpc::Starknet::<Block, _, FullBackend, _>::new(
		client.clone(),
		index.clone(),
		transaction_pool.clone(),
		options.rpc_limits,
		journal,
	);
	// The Starknet series on the Prometheus endpoint (`cairn-rpc`'s `metrics`).
	if let Some(registry) = config.prometheus_registry() {
		starknet = starknet
			.with_metrics(registry)
			.map_err(|e| ServiceError::Other(format!("registering the Starknet metrics: {e}")))?;
		task_manager.spawn_handle().spawn(
			"starknet-metrics",
			None,
			starknet.clone().record_blocks(),
		);
	}
	// The node's L1: the command line's, whose settled state a task reads (and advances with
	// the sequencer's key), or one a development chain loads at run time. The RPC reads the
	// settled state and looks up L1 transactions through it.
	let l1_link = l1_link::L1Link::new();
	starknet = starknet.with_l1(l1_link.clone());
	if let (Some(follower), Some(settler), Some(endpoint)) =
		(&l1, l1::settler(&options.l1)?, &options.l1.l1_endpoint)
	{
		l1_link.attach(endpoint.clone(), follower.clone(), settler).map_err(ServiceError::Other)?;
		task_manager.spawn_handle().spawn(
			"l1-settlement",
			None,
			settlement::run(
				l1_link.clone(),
				client.clone(),
				index.clone(),
				std::time::Duration::from_millis(options.l1.l1_settlement_interval_ms),
			),
		);
	}
	task_manager.spawn_handle().spawn(
		"starknet-pool-journal",
		None,
		starknet.clone().replay_journal(replay),
	);
	// The WebSocket subscriptions wake on each new best block.
	task_manager.spawn_handle().spawn(
		"starknet-subscriptions",
		None,
		starknet.clone().follow_chain(),
	);
	// The development methods (`crate::rpc::dev`), on dev-sealed chains.
	let dev = match (consensus, &engine) {
		(Consensus::DevSealing(sealing), Some(engine)) => {
			let (genesis, accounts) = options.dev_accounts.clone();
			Some(crate::rpc::dev::Dev::new(crate::rpc::dev::DevDeps {
				client: client.clone(),
				pool: transaction_pool.clone(),
				engine: engine.clone(),
				sealing,
				starknet: starknet.clone(),
				accounts,
				genesis,
				spec: config.chain_spec.cloned_box(),
				import: Indexing::new(client.clone(), index.clone()),
				index: index.clone(),
				l1: l1_link.clone(),
				l1_core_artifact: options.l1.l1_core_artifact.clone(),
			}))
		}
		_ => None,
	};
	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				engine: engine.clone(),
				starknet: starknet.clone(),
				dev: dev.clone(),
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
		log::info!(
			"🔒 Development chain: every block is sealed by this node ({sealing:?} sealing); \
			 blocks from peers are refused"
		);
		task_manager.spawn_handle().spawn(
			"dev-capacity",
			None,
			dev_capacity::size_for_sealing(sealing, client.clone(), transaction_pool.clone()),
		);
		sealing::start(
			sealing,
			commands_stream,
			proposer_factory,
			&client,
			transaction_pool,
			select_chain,
			&task_manager,
			index,
			l1_link,
		);
		return Ok(task_manager);
	}

	aura_grandpa::start(aura_grandpa::Authoring {
		grandpa: grandpa.expect("new_partial sets up GRANDPA for Consensus::AuraGrandpa; qed"),
		grandpa_protocol: grandpa_protocol
			.expect("the GRANDPA protocol is registered with GRANDPA; qed"),
		client,
		select_chain,
		proposer_factory,
		keystore: keystore_container.keystore(),
		network,
		sync_service,
		transaction_pool,
		role,
		force_authoring,
		enable_grandpa,
		name,
		prometheus_registry,
		telemetry: telemetry.as_ref().map(|x| x.handle()),
		task_manager: &task_manager,
		index,
		l1,
	})?;
	Ok(task_manager)
}

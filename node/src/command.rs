//! Dispatch of the command line: run the node, or one of the chain maintenance subcommands.
use cairn_primitives::{Block, Hash};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Cairn".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/cairn/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		// Subcommands do not take the node's flags: they see the default accounts.
		chain_spec::load(id, self.run.dev_genesis())
	}
}

/// Most requests one JSON-RPC batch may hold unless `--rpc-max-batch-request-len` says otherwise.
pub const DEFAULT_RPC_MAX_BATCH_LEN: u32 = 1_000;

/// Parse the command line and run what it asks for.
pub fn run() -> sc_cli::Result<()> {
	// Parsed as `SubstrateCli::from_args` does, keeping the matches to ask where `--pool-type`
	// came from.
	let matches = Cli::setup_command(<Cli as clap::CommandFactory>::command()).get_matches();
	let pool_type_given =
		matches.value_source("pool_type") == Some(clap::parser::ValueSource::CommandLine);
	let mut cli =
		<Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
	// The Cairo VM logs every run at info level, and Cairo Native every function it compiles;
	// keep that out of the node's log unless asked for (a user's `--log cairo_vm=info` comes
	// later and wins). The node says itself when a class is compiled.
	let shared = match &mut cli.subcommand {
		None => Some(&mut cli.run.base.shared_params),
		Some(Subcommand::CheckBlock(cmd)) => Some(&mut cmd.shared_params),
		Some(Subcommand::ImportBlocks(cmd)) => Some(&mut cmd.shared_params),
		_ => None,
	};
	if let Some(shared) = shared {
		shared.log.insert(0, "cairo_vm=warn,cairo_native=warn".into());
	}
	// The fork-aware pool (Substrate's default) loses some of a burst of Starknet transactions
	// that chain nonces within one account across blocks (measured with `scripts/bench --smoke`:
	// 10-60 of 200 never included); the single-state pool includes them all. Cairn's sequencer
	// builds one chain, which is what the single-state pool is for: unless `--pool-type` says
	// otherwise, the node runs it with light revalidation (see `service::PoolChoice`).
	let pool = if pool_type_given {
		service::PoolChoice::Configured
	} else {
		let params = &cli.run.base.pool_config;
		service::PoolChoice::sequencer(
			params.pool_limit,
			params.pool_kbytes * 1024,
			params.tx_ban_seconds,
			cli.run.base.shared_params.is_dev(),
		)
	};
	// An unbounded JSON-RPC batch lets one request occupy the node; bound it unless told.
	let rpc = &mut cli.run.base.rpc_params;
	if rpc.rpc_max_batch_request_len.is_none() && !rpc.rpc_disable_batch_requests {
		rpc.rpc_max_batch_request_len = Some(DEFAULT_RPC_MAX_BATCH_LEN);
	}

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::NewChain(cmd)) => cmd.run(),
		#[allow(deprecated)]
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(
						&config,
						service::Consensus::of(&config, None)?,
						&service::PoolChoice::Configured,
						None,
					)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(
					&config,
					service::Consensus::of(&config, None)?,
					&service::PoolChoice::Configured,
					None,
				)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(
					&config,
					service::Consensus::of(&config, None)?,
					&service::PoolChoice::Configured,
					None,
				)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(
						&config,
						service::Consensus::of(&config, None)?,
						&service::PoolChoice::Configured,
						None,
					)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				let database = config.database.path().map(std::path::Path::to_path_buf);
				let starknet = config.data_path.join("starknet");
				cmd.run(config.database)?;
				// What the node keeps beside Substrate's database (the Starknet index and the pool
				// journal) belongs to the chain removed.
				if database.is_some_and(|path| !path.exists()) && starknet.exists() {
					std::fs::remove_dir_all(&starknet)?;
					println!("{} removed.", starknet.display());
				}
				Ok(())
			})
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let consensus = service::Consensus::of(&config, None)?;
				let PartialComponents { client, task_manager, backend, .. } = service::new_partial(
					&config,
					consensus,
					&service::PoolChoice::Configured,
					None,
				)?;
				// GRANDPA keeps its own data to revert; dev-sealed chains have none.
				let aux_revert = (consensus == service::Consensus::AuraGrandpa).then(|| {
					Box::new(|client, _, blocks| {
						sc_consensus_grandpa::revert(client, blocks)?;
						Ok(())
					}) as Box<_>
				});
				Ok((cmd.run(client, backend, aux_revert), task_manager))
			})
		}
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		}
		None => {
			let sealing = cli.run.sealing;
			let accounts = cli.run.dev_genesis();
			let mut options = service::Options {
				allow_development_keys: cli.run.allow_development_keys,
				rpc_limits: cli.run.rpc_limits.limits(),
				pool_journal: !cli.run.no_pool_journal,
				native_cache: cli.run.native_cache_dir.clone(),
				l1: cli.run.l1.clone(),
				dev_accounts: (None, Vec::new()),
			};
			let runner = cli.create_runner(&cli.run.base)?;
			runner.run_node_until_exit(|config| async move {
				let consensus = service::Consensus::of(&config, sealing)?;
				if matches!(config.chain_spec.id(), "cairn_dev" | "cairn_local") {
					options.dev_accounts = (Some(accounts), print_dev_accounts(accounts)?);
				}
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => {
						service::new_full::<sc_network::NetworkWorker<Block, Hash>>(
							config, consensus, pool, options,
						)
					}
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(
							config, consensus, pool, options,
						)
					}
				}
				.map_err(sc_cli::Error::Service)
			})
		}
	}
}

/// List the built-in specs' funded Starknet accounts, the way starknet-devnet and Katana do; and
/// return them.
fn print_dev_accounts(
	accounts: chain_spec::DevGenesis,
) -> sc_cli::Result<Vec<cairn_executor::dev_genesis::DevAccount>> {
	use cairn_primitives::starknet::genesis::well_known;
	let (_, list) = chain_spec::starknet_genesis(accounts).map_err(sc_cli::Error::Input)?;
	let Some(first) = list.first() else { return Ok(list) };
	log::info!(
		"💰 Starknet development accounts (seed {}, class {:?}), each with {} STRK and {} ETH:",
		accounts.seed,
		first.class_hash,
		well_known::DEV_ACCOUNT_BALANCE / 10u128.pow(18),
		well_known::DEV_ACCOUNT_BALANCE / 10u128.pow(18),
	);
	for (index, account) in list.iter().enumerate() {
		log::info!(
			"   #{index} address {:?} private key {:?} public key {:?}",
			account.address,
			account.private_key,
			account.public_key
		);
	}
	log::info!(
		"   fee tokens: STRK {} ETH {}; Universal Deployer {}; chain id {}",
		well_known::STRK,
		well_known::ETH,
		well_known::UDC,
		well_known::DEV_CHAIN_ID
	);
	Ok(list)
}

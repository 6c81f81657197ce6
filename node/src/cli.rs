//! The `cairn` command line: Substrate's usual flags and subcommands, plus `--sealing`.
use std::{fmt, str::FromStr};

/// Fastest interval sealing accepted, in milliseconds.
pub const MIN_SEALING_INTERVAL_MS: u64 = 100;

/// How blocks are authored when the node does not run Aura + GRANDPA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
	/// A block as soon as a transaction enters the pool (the `--dev` default).
	Instant,
	/// A block on each `engine_createBlock` RPC call.
	Manual,
	/// A block every so many milliseconds, empty or not.
	Interval(u64),
}

impl FromStr for Sealing {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		match s {
			"instant" => Ok(Sealing::Instant),
			"manual" => Ok(Sealing::Manual),
			ms => match ms.parse::<u64>() {
				Ok(ms) if ms >= MIN_SEALING_INTERVAL_MS => Ok(Sealing::Interval(ms)),
				Ok(ms) => Err(format!(
					"a sealing interval of {ms} ms is below the minimum of {MIN_SEALING_INTERVAL_MS} ms"
				)),
				Err(_) => Err(format!(
					"`{s}` is not a sealing mode: use `instant`, `manual` or an interval in milliseconds"
				)),
			},
		}
	}
}

impl fmt::Display for Sealing {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Sealing::Instant => f.write_str("instant"),
			Sealing::Manual => f.write_str("manual"),
			Sealing::Interval(ms) => write!(f, "every {ms} ms"),
		}
	}
}

/// Options of the node itself (no subcommand).
#[derive(Debug, clap::Parser)]
pub struct NodeCmd {
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub base: sc_cli::RunCmd,

	/// How a development chain (`--dev`, `--chain dev`, or a spec whose chainType is Development)
	/// seals blocks: `instant` (a block per incoming transaction; the default), `manual` (a block
	/// per `engine_createBlock` call) or an interval in milliseconds (at least 100). Local and live
	/// chains always run Aura + GRANDPA and refuse this flag. With an interval, the node sizes
	/// the chain's Starknet block capacity for it (half the interval of execution, set by a sudo
	/// call in its first block), so that no block takes longer than its interval to build or to
	/// import; instant and manual sealing keep the default capacity.
	#[arg(long, value_name = "instant|manual|MILLISECONDS")]
	pub sealing: Option<Sealing>,

	/// How many funded Starknet accounts the built-in chain specs (`--dev`, `--chain dev|local`)
	/// create. Their addresses and private keys are printed when a development chain starts.
	#[arg(long, value_name = "COUNT", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
	pub accounts: u32,

	/// Seed the built-in specs' Starknet account keys derive from.
	#[arg(long, value_name = "SEED", default_value_t = 0)]
	pub seed: u64,

	/// What runs the Cairo code of the built-in chain specs (`--dev`, `--chain dev|local`): `vm`
	/// (the Cairo VM, the default) or `native` (Cairo Native: each class of Sierra 1.7.0 or later
	/// compiled to machine code once, before its first execution). A chain-wide setting, written
	/// into the genesis (`cairn new-chain --engine` for other chains, the root call
	/// `Starknet.set_engine` later); every node of a chain executes with the chain's engine.
	#[arg(long, value_name = "vm|native", default_value = "vm", value_parser = parse_engine)]
	pub engine: cairn_primitives::starknet::exec::Engine,

	/// Where classes compiled by Cairo Native are kept (chains whose engine is native), by class
	/// and compiled class hash, under a subdirectory named after the compiler. Default:
	/// `$XDG_CACHE_HOME/cairn/native-classes`, else `~/.cache/cairn/native-classes`.
	#[arg(long, value_name = "DIR")]
	pub native_cache_dir: Option<std::path::PathBuf>,

	/// Run a live chain even though its authorities, sudo key, Starknet chain id or funded
	/// Starknet accounts are the published development ones (refused otherwise: anyone holds
	/// those keys).
	#[arg(long)]
	pub allow_development_keys: bool,

	/// Keep acknowledged Starknet transactions in memory only. By default the node journals
	/// every transaction whose hash its Starknet RPC returns (`<base path>/chains/<chain
	/// id>/starknet/pool-journal`, synced to the device before the hash is returned) until it is
	/// finalized or refused, and sends the journal's transactions to the pool again at start, so
	/// that a crash or a power loss loses none of them. Without it, such a transaction still
	/// waiting in the pool is lost when the node stops.
	#[arg(long)]
	pub no_pool_journal: bool,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub rpc_limits: RpcLimits,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub l1: L1Options,
}

/// The L1 the chain is bridged to (README, "Bridging to L1"). Without an endpoint the node
/// reads no L1: it includes no message from L1, and imports the messages in others' blocks on
/// their authors' word.
#[derive(Debug, Clone, clap::Args)]
pub struct L1Options {
	/// The Ethereum JSON-RPC endpoint (http) of the L1 node to follow.
	#[arg(long, value_name = "URL", requires = "l1_core_contract")]
	pub l1_endpoint: Option<String>,

	/// The address of the chain's core contract on L1 (`scripts/l1 deploy`).
	#[arg(long, value_name = "ADDRESS", requires = "l1_endpoint")]
	pub l1_core_contract: Option<String>,

	/// L1 blocks that must follow a message's block before it is included.
	#[arg(long, value_name = "BLOCKS", default_value_t = 1)]
	pub l1_confirmations: u64,

	/// How often the L1 is read, in milliseconds.
	#[arg(long, value_name = "MS", default_value_t = 1000)]
	pub l1_poll_interval_ms: u64,

	/// The first L1 block to read when the node has no L1 checkpoint yet (the core contract's
	/// deployment block).
	#[arg(long, value_name = "BLOCK", default_value_t = 0)]
	pub l1_from_block: u64,

	/// A file holding the sequencer's L1 private key (hex): with it the node settles its
	/// finalized blocks on the core contract. Without it, it only reads the settled state.
	#[arg(long, value_name = "PATH", requires = "l1_endpoint")]
	pub l1_settlement_key_file: Option<std::path::PathBuf>,

	/// How often the settled state is read (and, with a key, advanced), in milliseconds.
	#[arg(long, value_name = "MS", default_value_t = 10_000)]
	pub l1_settlement_interval_ms: u64,

	/// The core contract's compiled artifact, which `devnet_postmanLoad` deploys on a
	/// development chain (default: where `scripts/l1 compile` writes it,
	/// `~/.cache/cairn/l1/CairnCore.json`).
	#[arg(long, value_name = "PATH")]
	pub l1_core_artifact: Option<std::path::PathBuf>,
}

/// Bounds on the work one Starknet RPC request may make the node do.
#[derive(Debug, Clone, clap::Args)]
pub struct RpcLimits {
	/// Most transactions one `starknet_estimateFee` or `starknet_simulateTransactions` executes.
	#[arg(long, value_name = "COUNT", default_value_t = cairn_rpc::Limits::default().max_simulated_transactions)]
	pub rpc_max_simulated_transactions: usize,

	/// Most transactions one trace re-executes (`starknet_traceBlockTransactions`: the block's;
	/// `starknet_traceTransaction`: the block's up to the one traced).
	#[arg(long, value_name = "COUNT", default_value_t = cairn_rpc::Limits::default().max_traced_transactions)]
	pub rpc_max_traced_transactions: usize,

	/// Most blocks one `starknet_getEvents` call scans; a longer range answers a page with a
	/// continuation token where the scan stopped.
	#[arg(long, value_name = "COUNT", default_value_t = cairn_rpc::Limits::default().max_events_blocks, value_parser = clap::value_parser!(u64).range(1..))]
	pub rpc_max_events_blocks: u64,

	/// Most Starknet execution requests (calls, estimates, simulations, traces) run at once;
	/// more wait a few seconds for a free slot, then are refused.
	#[arg(long, value_name = "COUNT", default_value_t = cairn_rpc::Limits::default().max_concurrent_executions as u64, value_parser = clap::value_parser!(u64).range(1..))]
	pub rpc_max_concurrent_executions: u64,

	/// Most leaves (class hashes, contracts and storage keys together) one
	/// `starknet_getStorageProof` proves.
	#[arg(long, value_name = "COUNT", default_value_t = cairn_rpc::Limits::default().max_proof_keys)]
	pub rpc_max_proof_keys: usize,

	/// How many blocks behind the best block `starknet_getStorageProof` still proves; older
	/// blocks answer STORAGE_PROOF_NOT_SUPPORTED (42). Proofs read the block's state, so a node
	/// whose state pruning (`--state-pruning`, 256 blocks by default) keeps fewer answers 42
	/// sooner; an archive node can prove any block up to this depth.
	#[arg(long, value_name = "BLOCKS", default_value_t = cairn_rpc::Limits::default().proof_history)]
	pub rpc_proof_history: u64,
}

impl RpcLimits {
	/// The limits the RPC server applies.
	pub fn limits(&self) -> cairn_rpc::Limits {
		cairn_rpc::Limits {
			max_simulated_transactions: self.rpc_max_simulated_transactions,
			max_traced_transactions: self.rpc_max_traced_transactions,
			max_events_blocks: self.rpc_max_events_blocks,
			max_concurrent_executions: self.rpc_max_concurrent_executions as usize,
			max_proof_keys: self.rpc_max_proof_keys,
			proof_history: self.rpc_proof_history,
		}
	}
}

impl NodeCmd {
	/// The Starknet genesis of the built-in chain specs: their accounts and engine.
	pub fn dev_genesis(&self) -> crate::chain_spec::DevGenesis {
		crate::chain_spec::DevGenesis { seed: self.seed, count: self.accounts, engine: self.engine }
	}
}

/// The `cairn` command line.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[allow(missing_docs)]
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub run: NodeCmd,
}

/// The `cairn` subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Write the chain spec of a new network in sequencer mode: its own authorities, sudo key,
	/// Starknet chain id, funded Starknet accounts and block time.
	NewChain(crate::new_chain::NewChainCmd),

	/// Build a chain specification (deprecated upstream in favour of `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sealing_modes_parse() {
		assert_eq!("instant".parse(), Ok(Sealing::Instant));
		assert_eq!("manual".parse(), Ok(Sealing::Manual));
		assert_eq!("100".parse(), Ok(Sealing::Interval(100)));
		assert_eq!("6000".parse(), Ok(Sealing::Interval(6000)));
		assert!("99".parse::<Sealing>().unwrap_err().contains("minimum of 100 ms"));
		assert!("fast".parse::<Sealing>().unwrap_err().contains("not a sealing mode"));
		assert!("-5".parse::<Sealing>().is_err());
	}
}

/// `--engine`: `vm` or `native`.
pub fn parse_engine(text: &str) -> Result<cairn_primitives::starknet::exec::Engine, String> {
	use cairn_primitives::starknet::exec::Engine;
	match text {
		"vm" => Ok(Engine::Vm),
		"native" => Ok(Engine::Native),
		other => Err(format!("`{other}` is not an engine: `vm` or `native`")),
	}
}

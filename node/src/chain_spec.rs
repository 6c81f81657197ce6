//! The built-in chain specs (`dev`, `local`) and loading one from a JSON file.
//!
//! The built-in specs take the runtime's genesis preset (Substrate side: authorities, balances,
//! sudo) and add the Starknet genesis, which only native code can compute: the node compiles the
//! genesis classes (Sierra → CASM, hashes) and lays out the fee tokens, the Universal Deployer
//! and the funded development accounts (see `cairn_executor::dev_genesis`).
use cairn_executor::dev_genesis::{dev_genesis, DevAccount};
use cairn_primitives::starknet::{
	exec::{ChainConfig, Engine},
	genesis::GenesisState,
};
use cairn_runtime::WASM_BINARY;
use sc_service::ChainType;

/// How the built-in specs' Starknet genesis is made: its funded accounts and its engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevGenesis {
	/// Seed the accounts' keys derive from.
	pub seed: u64,
	/// How many accounts.
	pub count: u32,
	/// What runs the chain's Cairo code.
	pub engine: Engine,
}

impl Default for DevGenesis {
	fn default() -> Self {
		DevGenesis { seed: 0, count: 10, engine: Engine::Vm }
	}
}

/// The Starknet genesis of the built-in specs, and its accounts' keys.
pub fn starknet_genesis(accounts: DevGenesis) -> Result<(GenesisState, Vec<DevAccount>), String> {
	dev_genesis(ChainConfig::default(), accounts.seed, accounts.count)
		.map_err(|e| format!("cannot build the Starknet genesis: {e}"))
}

/// A Cairn chain spec: genesis from one of the runtime's presets, or from a JSON file.
/// Genesis runs the runtime's genesis build, which commits the genesis state (block 0's state
/// root and Starknet hash): the commitment's host functions must be there.
pub type ChainSpec = sc_service::GenericChainSpec<
	sc_chain_spec::NoExtension,
	cairn_commitment::host::starknet_commitment::HostFunctions,
>;

/// The token properties of every Cairn spec (polkadot.js shows them).
pub fn properties() -> sc_chain_spec::Properties {
	let mut p = sc_chain_spec::Properties::new();
	p.insert("tokenSymbol".into(), "CAIRN".into());
	p.insert("tokenDecimals".into(), 12.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
	accounts: DevGenesis,
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the runtime's wasm blob was not built".to_string())?;
	let preset_json = cairn_runtime::genesis_config_presets::get_preset(&preset.into())
		.ok_or_else(|| format!("the runtime has no `{preset}` preset"))?;
	let mut patch: serde_json::Value =
		serde_json::from_slice(&preset_json).map_err(|e| format!("preset `{preset}`: {e}"))?;
	let (starknet, _) = starknet_genesis(accounts)?;
	patch["starknet"] = serde_json::json!({ "state": starknet, "engine": accounts.engine });
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id("cairn")
		.with_genesis_config_patch(patch)
		.with_properties(properties())
		.build())
}

/// `--dev`: one authority (Alice), sudo Alice, well-known dev accounts funded; Starknet fee
/// tokens, Universal Deployer and funded Starknet accounts.
pub fn development_chain_spec(accounts: DevGenesis) -> Result<ChainSpec, String> {
	from_preset(
		"Cairn Development",
		"cairn_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
		accounts,
	)
}

/// `--chain local`: Alice and Bob as Aura/GRANDPA authorities; the same Starknet genesis as
/// `--dev`.
pub fn local_chain_spec(accounts: DevGenesis) -> Result<ChainSpec, String> {
	from_preset(
		"Cairn Local Testnet",
		"cairn_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
		accounts,
	)
}

/// `--chain <id or path>`.
pub fn load(id: &str, accounts: DevGenesis) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development_chain_spec(accounts)?),
		"" | "local" => Box::new(local_chain_spec(accounts)?),
		path => {
			let spec = ChainSpec::from_json_file(std::path::PathBuf::from(path))
				.map_err(|e| format!("cannot load the chain spec `{path}`: {e}"))?;
			check_block_time(&spec).map_err(|e| format!("the chain spec `{path}`: {e}"))?;
			Box::new(spec)
		}
	})
}

/// A hand-edited spec's block time: Aura divides by it, and `new-chain` refuses less than
/// [`crate::new_chain::MIN_BLOCK_TIME_MS`]; 0 would stop genesis building with a runtime panic.
fn check_block_time(spec: &ChainSpec) -> Result<(), String> {
	let json = spec.as_json(false)?;
	let json: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
	let genesis = &json["genesis"]["runtimeGenesis"];
	for section in ["patch", "config"] {
		let value = &genesis[section]["blockAuthoring"]["slotDuration"];
		if value.is_null() {
			continue;
		}
		match value.as_u64() {
			Some(ms) if ms > 0 => {}
			_ => {
				return Err(format!(
					"blockAuthoring.slotDuration is {value}: the block time is a whole number of \
					 milliseconds, at least 1 (cairn new-chain writes at least {} ms)",
					crate::new_chain::MIN_BLOCK_TIME_MS
				))
			}
		}
	}
	Ok(())
}

//! The built-in chain specs (`dev`, `local`) and loading one from a JSON file.
use cairn_runtime::WASM_BINARY;
use sc_service::ChainType;

/// A Cairn chain spec: genesis from one of the runtime's presets, or from a JSON file.
pub type ChainSpec = sc_service::GenericChainSpec;

fn properties() -> sc_chain_spec::Properties {
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
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the runtime's wasm blob was not built".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id("cairn")
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`: one authority (Alice), sudo Alice, well-known dev accounts funded.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Cairn Development",
		"cairn_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: Alice and Bob as Aura/GRANDPA authorities.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Cairn Local Testnet",
		"cairn_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `--chain <id or path>`.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" => Box::new(local_chain_spec()?),
		path => Box::new(
			ChainSpec::from_json_file(std::path::PathBuf::from(path))
				.map_err(|e| format!("cannot load the chain spec `{path}`: {e}"))?,
		),
	})
}

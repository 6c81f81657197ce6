//! The development genesis: STRK and ETH at their well-known addresses, the Universal Deployer
//! and funded OpenZeppelin accounts, as starknet-devnet starts. Built from published Sierra
//! classes (`scripts/setup` fetches them from crates.io; the build embeds them) that this node
//! compiles and hashes itself, so the compiled class hashes are this compiler's.
use cairn_primitives::starknet::{
	exec::ChainConfig,
	genesis::{well_known, GenesisClass, GenesisContract, GenesisState},
	Felt,
};
use starknet_api::{
	abi::abi_utils::get_storage_var_address,
	core::{calculate_contract_address, ClassHash, ContractAddress},
	transaction::fields::{Calldata, ContractAddressSalt},
};
use starknet_types_core::{
	felt::{Felt as CoreFelt, NonZeroFelt},
	hash::Poseidon,
};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/genesis_classes.rs"));

/// The embedded Sierra of genesis class `file`, or an error saying how to get it.
fn genesis_sierra(file: &str) -> Result<&'static str, DevGenesisError> {
	sierra_in(GENESIS_CLASSES, file)
}

fn sierra_in(
	classes: Option<[(&'static str, &'static str); 4]>,
	file: &str,
) -> Result<&'static str, DevGenesisError> {
	let classes = classes.ok_or_else(|| {
		DevGenesisError(format!(
			"the development genesis classes were not found when this node was built (looked in \
			 {GENESIS_CLASSES_DIR}): run scripts/setup, which fetches them, or set \
			 CAIRN_GENESIS_CLASSES to a directory holding account.sierra, erc20_strk.sierra, \
			 erc20_eth.sierra and udc.sierra; then build again"
		))
	})?;
	classes
		.iter()
		.find(|(name, _)| *name == file)
		.map(|(_, sierra)| *sierra)
		.ok_or_else(|| DevGenesisError(format!("no genesis class {file}")))
}

/// The SRC-6 interface id accounts register with SRC-5.
const ISRC6_ID: &str = "0x2ceccef7f994940b3962a6c67e0ba4fcd37df7d131417c604f91e03caecc1cd";

/// A funded development account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevAccount {
	pub address: Felt,
	pub private_key: Felt,
	pub public_key: Felt,
	/// Its class (OpenZeppelin account 1.0.0).
	pub class_hash: Felt,
}

/// Why the development genesis could not be built.
#[derive(Debug)]
pub struct DevGenesisError(pub String);

impl core::fmt::Display for DevGenesisError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(&self.0)
	}
}

impl std::error::Error for DevGenesisError {}

fn err(context: &str, e: impl core::fmt::Display) -> DevGenesisError {
	DevGenesisError(format!("{context}: {e}"))
}

/// A published Sierra artifact (scarb's `.contract_class.json` shape: ABI as JSON) as a
/// genesis class, compiled by this node's compiler: its hashes, its Starknet JSON-RPC form
/// (`sierra`) and its CASM. `name` names it in errors.
pub fn published_class(name: &str, artifact: &str) -> Result<GenesisClass, DevGenesisError> {
	let mut value: serde_json::Value = serde_json::from_str(artifact).map_err(|e| err(name, e))?;
	// Debug info only helps debugging, and the RPC class does not carry it.
	value.as_object_mut().ok_or_else(|| err(name, "not a JSON object"))?.insert(
		"sierra_program_debug_info".into(),
		serde_json::json!({"type_names": [], "libfunc_names": [], "user_func_names": []}),
	);
	let class: starknet_core::types::contract::SierraClass =
		serde_json::from_value(value).map_err(|e| err(name, e))?;
	let flat = class.flatten().map_err(|e| err(name, e))?;
	let expected_hash = flat.class_hash();
	let sierra = serde_json::to_string(&flat).map_err(|e| err(name, e))?;
	let compiled =
		crate::compile_class(sierra.as_bytes()).map_err(|e| err(name, format!("{e:?}")))?;
	if compiled.class_hash.0 != expected_hash {
		return Err(err(name, "starknet-core and starknet_api disagree on the class hash"));
	}
	let definition = compiled.definition;
	Ok(GenesisClass {
		class_hash: compiled.class_hash,
		compiled_class_hash: compiled.compiled_class_hash,
		sierra,
		casm: String::from_utf8(definition.casm).map_err(|e| err(name, e))?,
		sierra_version: definition.sierra_version,
		sierra_program_length: definition.sierra_program_length,
		abi_length: definition.abi_length,
	})
}

fn storage_var(name: &str, args: &[CoreFelt]) -> CoreFelt {
	*get_storage_var_address(name, args).0.key()
}

/// The address of a Cairo storage variable (`sn_keccak(name)`, Pedersen-chained with the map
/// keys), e.g. `ERC20_balances` of an owner: where its low 128 bits live.
pub fn storage_var_address(name: &str, keys: &[Felt]) -> Felt {
	Felt(storage_var(name, &keys.iter().map(|k| k.0).collect::<Vec<_>>()))
}

/// Storage of a Cairo `ByteArray` of at most 31 bytes at `var` (as the Cairo 1 storage
/// layout writes it: the length at the base address, the word in chunk 0).
fn short_byte_array(storage: &mut Vec<(Felt, Felt, Felt)>, contract: Felt, var: &str, text: &str) {
	assert!(text.len() <= 31, "short strings only");
	let base = storage_var(var, &[]);
	let mut state = [base, CoreFelt::ZERO, CoreFelt::from_bytes_be_slice(b"ByteArray")];
	Poseidon::hades_permutation(&mut state);
	// A storage address is taken modulo 2^251 - 256.
	let bound = CoreFelt::from(2u8).pow(251u32) - CoreFelt::from(256u16);
	let chunk = state[0].mod_floor(&NonZeroFelt::try_from(bound).expect("not zero"));
	storage.push((contract, Felt(base), Felt(CoreFelt::from(text.len() as u64))));
	storage.push((contract, Felt(chunk), Felt(CoreFelt::from_bytes_be_slice(text.as_bytes()))));
}

/// A development account's private key: 128 bits derived from the seed and its index.
fn private_key(seed: u64, index: u32) -> CoreFelt {
	let mut input = b"cairn-dev-account".to_vec();
	input.extend_from_slice(&seed.to_le_bytes());
	input.extend_from_slice(&index.to_le_bytes());
	let digest = sp_core::hashing::blake2_256(&input);
	let key = CoreFelt::from_bytes_be_slice(&digest[..16]);
	if key == CoreFelt::ZERO {
		CoreFelt::ONE
	} else {
		key
	}
}

/// Where an account of `class_hash` whose salt and only constructor argument are its
/// `public_key` is deployed (by the genesis, or by its own deploy_account).
pub fn account_address(
	class_hash: Felt,
	public_key: Felt,
) -> Result<Felt, starknet_api::StarknetApiError> {
	let address = calculate_contract_address(
		ContractAddressSalt(public_key.0),
		ClassHash(class_hash.0),
		&Calldata(Arc::new(vec![public_key.0])),
		ContractAddress::default(),
	)?;
	Ok(Felt(*address.0.key()))
}

/// A funded account of a genesis: an OpenZeppelin account holding `public_key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenesisAccount {
	/// Where it is deployed (salt: its public key, constructor: its public key).
	pub address: Felt,
	/// Its Stark public key.
	pub public_key: Felt,
	/// Its class (the genesis account class).
	pub class_hash: Felt,
}

/// A Starknet genesis under `config`: STRK and ETH at the config's fee-token addresses, the
/// Universal Deployer at its well-known address, and one OpenZeppelin account per public key in
/// `public_keys`, funded with [`well_known::DEV_ACCOUNT_BALANCE`] of each token. What
/// `cairn new-chain` lays out for a network with the operator's own keys; the development
/// genesis is this with keys derived from a seed.
pub fn starknet_genesis(
	config: ChainConfig,
	public_keys: &[Felt],
) -> Result<(GenesisState, Vec<GenesisAccount>), DevGenesisError> {
	let felt = |hex: &str| Felt::from_hex(hex).expect("constants are felts");
	let class = |file: &str| published_class(file, genesis_sierra(file)?);
	let account_class = class("account.sierra")?;
	let strk_class = class("erc20_strk.sierra")?;
	let eth_class = class("erc20_eth.sierra")?;
	let udc_class = class("udc.sierra")?;
	let mut contracts = vec![
		GenesisContract { address: config.strk_fee_token, class_hash: strk_class.class_hash },
		GenesisContract { address: config.eth_fee_token, class_hash: eth_class.class_hash },
		GenesisContract { address: felt(well_known::UDC), class_hash: udc_class.class_hash },
	];
	let mut storage = Vec::new();
	for (token, name, symbol) in
		[(config.strk_fee_token, "StarkNet Token", "STRK"), (config.eth_fee_token, "Ether", "ETH")]
	{
		short_byte_array(&mut storage, token, "ERC20_name", name);
		short_byte_array(&mut storage, token, "ERC20_symbol", symbol);
		storage.push((token, Felt(storage_var("ERC20_decimals", &[])), Felt::from(18u128)));
	}
	let mut accounts = Vec::new();
	for public_key in public_keys {
		let address = account_address(account_class.class_hash, *public_key)
			.map_err(|e| err("account address", e))?;
		let public_key = public_key.0;
		if accounts.iter().any(|a: &GenesisAccount| a.address == address) {
			return Err(err(
				"genesis accounts",
				format!("the public key {public_key:#x} is twice"),
			));
		}
		contracts.push(GenesisContract { address, class_hash: account_class.class_hash });
		storage.push((address, Felt(storage_var("Account_public_key", &[])), Felt(public_key)));
		storage.push((
			address,
			Felt(storage_var("SRC5_supported_interfaces", &[felt(ISRC6_ID).0])),
			Felt(CoreFelt::ONE),
		));
		for token in [config.strk_fee_token, config.eth_fee_token] {
			let low = storage_var("ERC20_balances", &[address.0]);
			storage.push((token, Felt(low), Felt::from(well_known::DEV_ACCOUNT_BALANCE)));
		}
		accounts.push(GenesisAccount {
			address,
			public_key: Felt(public_key),
			class_hash: account_class.class_hash,
		});
	}
	let supply = well_known::DEV_ACCOUNT_BALANCE * accounts.len() as u128;
	for token in [config.strk_fee_token, config.eth_fee_token] {
		storage.push((token, Felt(storage_var("ERC20_total_supply", &[])), Felt::from(supply)));
	}
	storage.sort();
	let state = GenesisState {
		config,
		classes: vec![account_class, strk_class, eth_class, udc_class],
		contracts,
		storage,
	};
	Ok((state, accounts))
}

/// The development genesis: [`starknet_genesis`] with `accounts` accounts whose keys derive
/// from `seed`.
pub fn dev_genesis(
	config: ChainConfig,
	seed: u64,
	accounts: u32,
) -> Result<(GenesisState, Vec<DevAccount>), DevGenesisError> {
	let private_keys: Vec<CoreFelt> = (0..accounts).map(|index| private_key(seed, index)).collect();
	let public_keys: Vec<Felt> =
		private_keys.iter().map(|key| Felt(starknet_crypto::get_public_key(key))).collect();
	let (state, funded) = starknet_genesis(config, &public_keys)?;
	let dev_accounts = funded
		.into_iter()
		.zip(private_keys)
		.map(|(account, private_key)| DevAccount {
			address: account.address,
			private_key: Felt(private_key),
			public_key: account.public_key,
			class_hash: account.class_hash,
		})
		.collect();
	Ok((state, dev_accounts))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_build_without_the_classes_says_what_to_do() {
		let error = sierra_in(None, "account.sierra").unwrap_err().to_string();
		assert!(error.contains("run scripts/setup"), "{error}");
		assert!(error.contains(GENESIS_CLASSES_DIR), "{error}");
		let found = sierra_in(Some([("account.sierra", "{}"); 4]), "account.sierra").unwrap();
		assert_eq!(found, "{}");
		assert!(sierra_in(Some([("account.sierra", "{}"); 4]), "udc.sierra").is_err());
	}
}

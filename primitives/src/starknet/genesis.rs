//! The Starknet state a chain starts with, as pallet-starknet's genesis section holds it, and the
//! well-known values of a development chain. The development genesis itself (fee tokens, the
//! Universal Deployer, funded accounts, from published Sierra the node compiles) is built by
//! `cairn-executor`'s `dev_genesis`.
use super::{exec::ChainConfig, Felt};
use alloc::{string::String, vec::Vec};
use serde::{Deserialize, Serialize};

/// A class declared at genesis. The hashes are not recomputed when the genesis is built (the
/// runtime cannot compile Sierra); the node that writes a chain spec computes them.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisClass {
	pub class_hash: Felt,
	/// Blake2s compiled class hash of `casm`.
	pub compiled_class_hash: Felt,
	/// The Sierra class as Starknet JSON-RPC returns it (`CONTRACT_CLASS`), JSON.
	pub sierra: String,
	/// The CASM (cairo-lang's `CasmContractClass`), JSON.
	pub casm: String,
	pub sierra_version: (u64, u64, u64),
	pub sierra_program_length: u64,
	pub abi_length: u64,
}

/// A contract deployed at genesis (its constructor does not run: its storage is given).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisContract {
	pub address: Felt,
	pub class_hash: Felt,
}

/// Everything Starknet at genesis.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisState {
	pub config: ChainConfig,
	pub classes: Vec<GenesisClass>,
	pub contracts: Vec<GenesisContract>,
	/// (contract, key, value).
	pub storage: Vec<(Felt, Felt, Felt)>,
}

/// Well-known addresses and the defaults of a development chain.
pub mod well_known {
	/// STRK fee token (as on Starknet mainnet and Sepolia).
	pub const STRK: &str = "0x04718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d";
	/// ETH fee token.
	pub const ETH: &str = "0x049d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7";
	/// The Universal Deployer (Cairo 1, OpenZeppelin), as on starknet-devnet.
	pub const UDC: &str = "0x02ceed65a4bd731034c01113685c831b01c15d7d432f71afb1cf1634b53a2125";
	/// Where fees go on a development chain (starknet-devnet's sequencer address).
	pub const SEQUENCER: &str = "0x1000";
	/// The development chain's id.
	pub const DEV_CHAIN_ID: &str = "CAIRN_DEV";
	/// The Starknet version whose versioned constants execute: the first with Blake2s compiled
	/// class hashes, which current SDKs compute for it.
	pub const STARKNET_VERSION: &str = "0.14.1";
	/// Fee-token balance of each development account, in both tokens (1,000 STRK / ETH).
	pub const DEV_ACCOUNT_BALANCE: u128 = 1_000_000_000_000_000_000_000;
}

impl Default for ChainConfig {
	/// A development chain's configuration.
	fn default() -> Self {
		let felt = |hex: &str| Felt::from_hex(hex).expect("well-known addresses are felts");
		ChainConfig {
			chain_id: well_known::DEV_CHAIN_ID.as_bytes().to_vec(),
			starknet_version: well_known::STARKNET_VERSION.as_bytes().to_vec(),
			sequencer_address: felt(well_known::SEQUENCER),
			strk_fee_token: felt(well_known::STRK),
			eth_fee_token: felt(well_known::ETH),
			gas_prices: Default::default(),
			use_kzg_da: true,
		}
	}
}

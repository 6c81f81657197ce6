//! `cairn new-chain`: the chain spec of a new network in sequencer mode — its own authorities
//! (one sequencer, or a small set that authors in turn), sudo key, Starknet chain id, funded
//! Starknet accounts and block time, with nothing of the development chains in it.
//!
//! The block time is Aura's slot duration, a genesis value (`block_authoring`): every node reads
//! it from the chain, and it never changes. The Starknet block capacity is sized for it
//! (`BlockCapacity::for_block_time`), so that a block is built and imported within its slot.
use crate::chain_spec::ChainSpec;
use cairn_primitives::{
	starknet::{exec::ChainConfig, genesis::well_known, Felt},
	AccountId,
};
use sc_service::ChainType;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::crypto::{ByteArray, Ss58Codec};
use std::io::Write;

/// Shortest block time accepted, in milliseconds. What Aura and GRANDPA sustain with Starknet
/// blocks in them on a two-core machine is measured in the README ("Sequencer mode").
pub const MIN_BLOCK_TIME_MS: u64 = 100;

/// Write the chain spec of a new Aura + GRANDPA network (sequencer mode).
#[derive(Debug, Clone, clap::Parser)]
pub struct NewChainCmd {
	/// The chain's name, for people (`system_chain`).
	#[arg(long, default_value = "Cairn")]
	pub name: String,

	/// The chain spec id: the name of the chain's directory in each node's base path and of its
	/// p2p protocol, e.g. `my_appchain`.
	#[arg(long)]
	pub id: String,

	/// `live` (a real network: the node refuses development keys in it) or `local`.
	#[arg(long, default_value = "live", value_parser = ["live", "local"])]
	pub chain_type: String,

	/// The Starknet chain id, in ASCII (at most 31 characters), e.g. `SN_MY_APPCHAIN`: what every
	/// transaction's hash and signature commit to, so that none is valid on another chain.
	#[arg(long, value_name = "ASCII")]
	pub starknet_chain_id: String,

	/// Milliseconds between two blocks: Aura's slot duration, which every node reads from the
	/// chain and which never changes afterwards.
	#[arg(long, value_name = "MILLISECONDS", default_value_t = 1000)]
	pub block_time: u64,

	/// An authority (a sequencer): its Aura key (sr25519) and GRANDPA key (ed25519), as SS58
	/// addresses or 0x-prefixed hex public keys, `AURA,GRANDPA` (see `cairn key generate`).
	/// Repeat for a set that authors in turn; GRANDPA finalizes with two thirds of them.
	#[arg(long = "authority", value_name = "AURA,GRANDPA", required = true)]
	pub authorities: Vec<String>,

	/// The account (SS58 or 0x hex) that holds sudo: runtime upgrades and the Starknet
	/// configuration calls.
	#[arg(long, value_name = "ACCOUNT")]
	pub sudo: String,

	/// A Starknet account to deploy and fund at genesis (an OpenZeppelin account holding this
	/// Stark public key, 0x hex), with 1,000 STRK and 1,000 ETH. Repeat for several.
	#[arg(long = "account", value_name = "STARK_PUBLIC_KEY")]
	pub accounts: Vec<String>,

	/// What runs the chain's Cairo code: `vm` (the Cairo VM) or `native` (Cairo Native, for
	/// classes of Sierra 1.7.0 or later). Every node of the chain executes with it; a node built
	/// without Cairo Native cannot run a native chain.
	#[arg(long, value_name = "vm|native", default_value = "vm", value_parser = crate::cli::parse_engine)]
	pub engine: cairn_primitives::starknet::exec::Engine,

	/// A node to record in the spec as a bootnode (a multiaddress ending in `/p2p/<peer id>`).
	#[arg(long = "bootnode", value_name = "MULTIADDR")]
	pub bootnodes: Vec<String>,

	/// Write the raw spec (genesis storage) rather than the genesis patch.
	#[arg(long)]
	pub raw: bool,

	/// Where to write the spec; the standard output if not given.
	#[arg(long, value_name = "FILE")]
	pub output: Option<std::path::PathBuf>,
}

fn public<T: ByteArray>(what: &str, text: &str) -> Result<T, String> {
	let bytes = if text.starts_with("0x") {
		sp_core::bytes::from_hex(text).map_err(|_| format!("{what} `{text}` is not hex"))?
	} else {
		let (key, _) = sp_core::sr25519::Public::from_ss58check_with_version(text)
			.map_err(|e| format!("{what} `{text}` is neither 0x hex nor SS58: {e:?}"))?;
		key.to_raw_vec()
	};
	T::from_slice(&bytes).map_err(|()| format!("{what} `{text}` is not a 32-byte public key"))
}

fn authority(text: &str) -> Result<(AuraId, GrandpaId), String> {
	let (aura, grandpa) = text.split_once(',').ok_or_else(|| {
		format!("--authority `{text}`: give the Aura and the GRANDPA key, `AURA,GRANDPA`")
	})?;
	Ok((public("the Aura key", aura.trim())?, public("the GRANDPA key", grandpa.trim())?))
}

impl NewChainCmd {
	/// The spec this command describes.
	pub fn chain_spec(&self) -> Result<ChainSpec, String> {
		if self.block_time < MIN_BLOCK_TIME_MS {
			return Err(format!(
				"a block time of {} ms is below the minimum of {MIN_BLOCK_TIME_MS} ms",
				self.block_time
			));
		}
		let l2_gas = pallet_starknet::BlockCapacity::for_block_time(self.block_time).l2_gas;
		if l2_gas < pallet_starknet::weights::VALIDATE_MAX_L2_GAS {
			// Transfers and calls fit; a declare's validation may execute more than such a
			// block holds, so the chain could never take a new class.
			eprintln!(
				"warning: a {} ms block holds {l2_gas} L2 gas of execution, less than the {} a \
				 declare may validate with: this chain will refuse every declare (500 ms or more \
				 takes them)",
				self.block_time,
				pallet_starknet::weights::VALIDATE_MAX_L2_GAS
			);
		}
		let chain_id = self.starknet_chain_id.as_bytes();
		if chain_id.is_empty() || chain_id.len() > 31 || !self.starknet_chain_id.is_ascii() {
			return Err(format!(
				"the Starknet chain id `{}` must be 1 to 31 ASCII characters",
				self.starknet_chain_id
			));
		}
		if self.starknet_chain_id == well_known::DEV_CHAIN_ID {
			return Err(format!(
				"{} is the development chain id: transactions signed for any development chain \
				 would be valid on this one",
				well_known::DEV_CHAIN_ID
			));
		}
		let authorities =
			self.authorities.iter().map(|a| authority(a)).collect::<Result<Vec<_>, _>>()?;
		let sudo: AccountId =
			public::<sp_core::sr25519::Public>("the sudo account", &self.sudo)?.into();
		let public_keys = self
			.accounts
			.iter()
			.map(|key| {
				Felt::from_hex(key)
					.ok_or_else(|| format!("--account `{key}` is not a 0x-hex Stark public key"))
			})
			.collect::<Result<Vec<_>, _>>()?;
		let config = ChainConfig { chain_id: chain_id.to_vec(), ..ChainConfig::default() };
		let (starknet, _) = cairn_executor::dev_genesis::starknet_genesis(config, &public_keys)
			.map_err(|e| format!("cannot build the Starknet genesis: {e}"))?;

		let mut patch = cairn_runtime::genesis_config_presets::network_genesis(
			authorities,
			vec![sudo.clone()],
			sudo,
			self.block_time,
		);
		patch["starknet"] = serde_json::json!({
			"state": starknet,
			"capacity": pallet_starknet::BlockCapacity::for_block_time(self.block_time),
			"engine": self.engine,
		});
		let chain_type =
			if self.chain_type == "local" { ChainType::Local } else { ChainType::Live };
		let boot_nodes = self
			.bootnodes
			.iter()
			.map(|b| b.parse().map_err(|e| format!("--bootnode `{b}`: {e}")))
			.collect::<Result<Vec<_>, String>>()?;
		let wasm = cairn_runtime::WASM_BINARY
			.ok_or_else(|| "the runtime's wasm blob was not built".to_string())?;
		Ok(ChainSpec::builder(wasm, None)
			.with_name(&self.name)
			.with_id(&self.id)
			.with_chain_type(chain_type)
			.with_protocol_id(&self.id)
			.with_boot_nodes(boot_nodes)
			.with_genesis_config_patch(patch)
			.with_properties(crate::chain_spec::properties())
			.build())
	}

	/// Write the spec.
	pub fn run(&self) -> sc_cli::Result<()> {
		let spec = self.chain_spec().map_err(sc_cli::Error::Input)?;
		let json = spec.as_json(self.raw).map_err(sc_cli::Error::Input)?;
		match &self.output {
			Some(path) => std::fs::write(path, json)?,
			None => {
				let mut out = std::io::stdout().lock();
				out.write_all(json.as_bytes())?;
				out.write_all(b"\n")?;
			}
		}
		Ok(())
	}
}

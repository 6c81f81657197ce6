//! Genesis presets: `development` (one authority, Alice, for `--dev`) and `local_testnet` (Alice and
//! Bob as Aura/GRANDPA authorities, for a local multi-node network). The node builds its `dev` and
//! `local` chain specs from these; `cairn build-spec` writes them out for editing. New networks
//! with their own keys and block time (`cairn new-chain`) take [`network_genesis`].
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	AccountId, AuraConfig, BalancesConfig, BlockAuthoringConfig, GrandpaConfig,
	RuntimeGenesisConfig, SudoConfig, UNIT,
};

/// What every pre-funded development account holds: 1 << 60 of the smallest unit (about 1.15
/// million UNIT).
pub const ENDOWMENT: u128 = 1u128 << 60;

fn genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	root: AccountId,
	dev_sealing: bool,
	slot_duration: Option<u64>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		block_authoring: BlockAuthoringConfig {
			multiple_blocks_per_slot: dev_sealing,
			slot_duration,
		},
		balances: BalancesConfig {
			balances: endowed.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: AuraConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: GrandpaConfig {
			authorities: authorities
				.iter()
				.map(|(_, grandpa)| (grandpa.clone(), 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// `development`: Alice authors and finalizes alone and holds sudo.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		true,
		None,
	)
}

/// `local_testnet`: Alice and Bob author and finalize together; Alice holds sudo.
pub fn local_config_genesis() -> Value {
	genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		false,
		None,
	)
}

/// The Substrate side of a new Aura + GRANDPA network (`cairn new-chain`, sequencer mode): its
/// authorities author in turn, one block per slot of `slot_duration_ms`, and finalize; `root`
/// holds sudo; each of `endowed` gets [`ENDOWMENT`].
pub fn network_genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	root: AccountId,
	slot_duration_ms: u64,
) -> Value {
	genesis(authorities, endowed, root, false, Some(slot_duration_ms))
}

/// The JSON patch of the named preset, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The presets this runtime knows.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

// Every account above must be able to pay for a transaction.
const _: () = assert!(ENDOWMENT > 1_000 * UNIT);

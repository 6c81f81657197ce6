//! A live chain must not run on development secrets: a Live chain spec whose authorities, sudo
//! key, Starknet chain id or funded Starknet accounts are the published development ones (what
//! `--chain local` carries: Alice, Bob, `CAIRN_DEV`, the keys `--dev` prints) is refused at start,
//! unless `--allow-development-keys` says the operator means it. Anyone holds those keys: blocks
//! could be authored, the runtime replaced through sudo, the accounts emptied, and transactions
//! signed for `CAIRN_DEV` replayed from any development chain.
use super::{FullClient, ServiceError};
use cairn_primitives::{starknet::storage, AccountId};
use sc_client_api::{HeaderBackend, StorageProvider};
use sc_service::ChainType;
use sp_api::ProvideRuntimeApi;
use sp_consensus_aura::AuraApi;
use sp_consensus_grandpa::GrandpaApi;
use sp_core::{crypto::ByteArray, storage::StorageKey};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What of the development chains the chain at its best block uses; empty when nothing.
pub fn development_secrets(client: &FullClient) -> Result<Vec<String>, ServiceError> {
	use cairn_primitives::starknet::runtime_api::StarknetRuntimeApi;
	let at = client.info().best_hash;
	let api = client.runtime_api();
	let error = |e: sp_api::ApiError| ServiceError::Other(format!("reading the chain: {e}"));
	let mut found = Vec::new();
	let dev_sr25519: Vec<[u8; 32]> = Sr25519Keyring::iter().map(|k| k.public().0).collect();
	let dev_ed25519: Vec<[u8; 32]> = Ed25519Keyring::iter().map(|k| k.public().0).collect();
	for authority in api.authorities(at).map_err(error)? {
		if dev_sr25519.iter().any(|key| key.as_slice() == authority.as_slice()) {
			found.push(format!(
				"the Aura authority {} is a development key",
				cairn_primitives::hex(authority.as_slice())
			));
		}
	}
	for (authority, _) in api.grandpa_authorities(at).map_err(error)? {
		if dev_ed25519.iter().any(|key| key.as_slice() == authority.as_slice()) {
			found.push(format!(
				"the GRANDPA authority {} is a development key",
				cairn_primitives::hex(authority.as_slice())
			));
		}
	}
	let sudo_key = [sp_core::twox_128(b"Sudo"), sp_core::twox_128(b"Key")].concat();
	let read = |key: Vec<u8>| {
		client
			.storage(at, &StorageKey(key))
			.map_err(|e| ServiceError::Other(format!("reading the chain: {e}")))
	};
	if let Some(sudo) = read(sudo_key)? {
		if let Ok(account) = <AccountId as codec::Decode>::decode(&mut &sudo.0[..]) {
			if dev_sr25519.iter().any(|key| key.as_slice() == account.as_slice()) {
				found.push(format!("the sudo key {account} is a development key"));
			}
		}
	}
	let config = api.chain_config(at).map_err(error)?;
	let dev_chain_id = cairn_primitives::starknet::genesis::well_known::DEV_CHAIN_ID;
	if config.chain_id == dev_chain_id.as_bytes() {
		found.push(format!("the Starknet chain id is the development one, {dev_chain_id}"));
	}
	let published = crate::chain_spec::DevGenesis::default();
	let (_, accounts) =
		crate::chain_spec::starknet_genesis(published).map_err(ServiceError::Other)?;
	for account in accounts {
		if read(storage::map_key(storage::CONTRACT_CLASS_HASHES, &account.address))?.is_some() {
			found.push(format!(
				"the Starknet account {:?} exists, and its private key is published (seed 0)",
				account.address
			));
		}
	}
	Ok(found)
}

/// Refuse to run a Live chain on development secrets unless `allowed`.
pub fn refuse_on_live_chains(
	client: &FullClient,
	chain_type: &ChainType,
	allowed: bool,
) -> Result<(), ServiceError> {
	if *chain_type != ChainType::Live {
		return Ok(());
	}
	let found = development_secrets(client)?;
	match (found.is_empty(), allowed) {
		(true, _) => Ok(()),
		(false, true) => {
			log::warn!(
				"⚠️  This live chain runs on development secrets (--allow-development-keys): {}",
				found.join("; ")
			);
			Ok(())
		}
		(false, false) => Err(ServiceError::Other(format!(
			"refusing to run a live chain on development secrets, which anyone holds: {}. \
			 Build the chain spec with your own keys and chain id, or pass \
			 --allow-development-keys if this is what you mean",
			found.join("; ")
		))),
	}
}

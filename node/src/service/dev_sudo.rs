//! Root calls the node itself authors on a development chain — the block capacity for its
//! sealing ([`super::dev_capacity`]) and the development RPC methods (`crate::rpc::dev`) — are
//! `sudo` extrinsics signed with the development sudo key (Alice), which anyone holds: they go
//! through the pool and into blocks like any extrinsic, so the chain's history holds them
//! (replayed on import, exported with the blocks). A chain whose sudo key is not Alice's gets
//! none.
use super::FullClient;
use cairn_primitives::{AccountId, Hash};
use cairn_runtime::{Runtime, RuntimeCall};
use codec::{Decode, Encode};
use frame_system_rpc_runtime_api::AccountNonceApi;
use sc_client_api::{HeaderBackend, StorageProvider};
use sp_api::{Core, ProvideRuntimeApi};
use sp_keyring::Sr25519Keyring;
use sp_runtime::OpaqueExtrinsic;

/// The SCALE value at storage `key` of block `at`.
pub fn read<T: Decode>(client: &FullClient, at: Hash, key: Vec<u8>) -> Result<Option<T>, String> {
	let value = client
		.storage(at, &sc_client_api::StorageKey(key))
		.map_err(|e| format!("cannot read the chain state: {e}"))?;
	value
		.map(|value| T::decode(&mut &value.0[..]).map_err(|e| format!("undecodable state: {e}")))
		.transpose()
}

/// Whether the chain's sudo key at the best block is the development one (Alice).
pub fn is_development_sudo(client: &FullClient) -> Result<bool, String> {
	let best = client.info().best_hash;
	let sudo: Option<AccountId> =
		read(client, best, pallet_sudo::Key::<Runtime>::hashed_key().to_vec())?;
	Ok(sudo == Some(Sr25519Keyring::Alice.to_account_id()))
}

/// `sudo(call)` signed by Alice with her next nonce at the best block, and that block.
pub fn sudo_extrinsic(
	client: &FullClient,
	call: RuntimeCall,
) -> Result<(Hash, OpaqueExtrinsic), String> {
	if !is_development_sudo(client)? {
		return Err("the chain's sudo key is not the development one (Alice)".into());
	}
	let best = client.info().best_hash;
	let alice = Sr25519Keyring::Alice;
	let api = client.runtime_api();
	let nonce = api.account_nonce(best, alice.to_account_id()).map_err(|e| e.to_string())?;
	let version = api.version(best).map_err(|e| e.to_string())?;
	let genesis = client.info().genesis_hash;
	let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
	let xt = cairn_runtime::signed_extrinsic(
		call,
		alice,
		nonce,
		genesis,
		(version.spec_version, version.transaction_version),
	);
	let opaque = OpaqueExtrinsic::decode(&mut &xt.encode()[..])
		.map_err(|e| format!("cannot wrap the extrinsic: {e}"))?;
	Ok((best, opaque))
}

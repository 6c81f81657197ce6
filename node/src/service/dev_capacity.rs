//! A development chain's Starknet block capacity follows its sealing. With interval sealing the
//! node sizes it for the interval (`BlockCapacity::for_block_time`: half the interval of
//! execution), so that no block takes longer than its interval to build or to import; with
//! instant or manual sealing it keeps the default capacity.
//!
//! The capacity is chain state, the same on every node, so the node changes it the way any
//! change is made: a `sudo(Starknet::set_block_capacity)` extrinsic signed with the development
//! sudo key (Alice) and put in the pool, which the first block includes. The chain's history
//! holds it (replayed on import, exported with the blocks), and the genesis does not depend on
//! node flags. A development chain whose sudo key is not Alice's is left alone, with a warning.
use super::FullClient;
use crate::cli::Sealing;
use cairn_primitives::{AccountId, Block, Hash};
use cairn_runtime::{Runtime, RuntimeCall};
use codec::{Decode, Encode};
use frame_system_rpc_runtime_api::AccountNonceApi;
use pallet_starknet::BlockCapacity;
use sc_client_api::{HeaderBackend, StorageProvider};
use sc_transaction_pool_api::{TransactionPool, TransactionSource};
use sp_api::{Core, ProvideRuntimeApi};
use sp_keyring::Sr25519Keyring;
use sp_runtime::OpaqueExtrinsic;
use std::sync::Arc;

/// The capacity `sealing` wants.
pub fn capacity_for(sealing: Sealing) -> BlockCapacity {
	match sealing {
		Sealing::Interval(ms) => BlockCapacity::for_block_time(ms),
		Sealing::Instant | Sealing::Manual => BlockCapacity::default(),
	}
}

fn read<T: Decode>(client: &FullClient, at: Hash, key: Vec<u8>) -> Result<Option<T>, String> {
	let value = client
		.storage(at, &sc_client_api::StorageKey(key))
		.map_err(|e| format!("cannot read the chain state: {e}"))?;
	value
		.map(|value| T::decode(&mut &value.0[..]).map_err(|e| format!("undecodable state: {e}")))
		.transpose()
}

/// The sudo extrinsic that sets `capacity`, signed by Alice at the best block; `None` when the
/// chain's capacity is that already or its sudo key is not Alice's (logged).
fn capacity_extrinsic(
	client: &FullClient,
	capacity: BlockCapacity,
) -> Result<Option<(Hash, OpaqueExtrinsic)>, String> {
	let best = client.info().best_hash;
	let current: BlockCapacity =
		read(client, best, pallet_starknet::Capacity::<Runtime>::hashed_key().to_vec())?
			.unwrap_or_default();
	if current == capacity {
		return Ok(None);
	}
	let alice = Sr25519Keyring::Alice;
	let sudo: Option<AccountId> =
		read(client, best, pallet_sudo::Key::<Runtime>::hashed_key().to_vec())?;
	if sudo != Some(alice.to_account_id()) {
		log::warn!(
			"⚠️  The Starknet block capacity ({} L2 gas per block) is not sized for this sealing \
			 ({} L2 gas), and the chain's sudo key is not the development one: set it with \
			 sudo(starknet.setBlockCapacity)",
			current.l2_gas,
			capacity.l2_gas
		);
		return Ok(None);
	}
	let api = client.runtime_api();
	let nonce = api.account_nonce(best, alice.to_account_id()).map_err(|e| e.to_string())?;
	let version = api.version(best).map_err(|e| e.to_string())?;
	let genesis = client.info().genesis_hash;
	let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::Starknet(pallet_starknet::Call::set_block_capacity {
			capacity,
		})),
	});
	let xt = cairn_runtime::signed_extrinsic(
		call,
		alice,
		nonce,
		genesis,
		(version.spec_version, version.transaction_version),
	);
	let opaque = OpaqueExtrinsic::decode(&mut &xt.encode()[..])
		.map_err(|e| format!("cannot wrap the extrinsic: {e}"))?;
	log::info!(
		"📦 Starknet block capacity: {} L2 gas per block for {sealing_kind} (was {}); set by a \
		 sudo call in the next block",
		capacity.l2_gas,
		current.l2_gas,
		sealing_kind =
			if capacity == BlockCapacity::default() { "the default" } else { "this interval" },
	);
	Ok(Some((best, opaque)))
}

/// Put the extrinsic that sizes the chain's capacity for `sealing` in the pool, if one is needed.
pub async fn size_for_sealing(
	sealing: Sealing,
	client: Arc<FullClient>,
	pool: Arc<sc_transaction_pool::TransactionPoolHandle<Block, FullClient>>,
) {
	let submitted = match capacity_extrinsic(&client, capacity_for(sealing)) {
		Ok(Some((best, xt))) => pool
			.submit_one(best, TransactionSource::Local, xt)
			.await
			.map(|_| ())
			.map_err(|e| e.to_string()),
		Ok(None) => Ok(()),
		Err(e) => Err(e),
	};
	if let Err(e) = submitted {
		log::warn!("⚠️  Cannot size the Starknet block capacity for this sealing: {e}");
	}
}

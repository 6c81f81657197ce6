//! A development chain's Starknet block capacity follows its sealing. With interval sealing the
//! node sizes it for the interval (`BlockCapacity::for_block_time`: half the interval of
//! execution), so that no block takes longer than its interval to build or to import; with
//! instant or manual sealing it keeps the default capacity.
//!
//! The capacity is chain state, the same on every node, so the node changes it the way any
//! change is made: a `sudo(Starknet::set_block_capacity)` extrinsic signed with the development
//! sudo key (Alice, [`super::dev_sudo`]) and put in the pool, which the first block includes. The chain's history
//! holds it (replayed on import, exported with the blocks), and the genesis does not depend on
//! node flags. A development chain whose sudo key is not Alice's is left alone, with a warning.
use super::FullClient;
use crate::cli::Sealing;
use cairn_primitives::{Block, Hash};
use cairn_runtime::{Runtime, RuntimeCall};
use pallet_starknet::BlockCapacity;
use sc_client_api::HeaderBackend;
use sc_transaction_pool_api::{TransactionPool, TransactionSource};
use sp_runtime::OpaqueExtrinsic;
use std::sync::Arc;

/// The capacity `sealing` wants.
pub fn capacity_for(sealing: Sealing) -> BlockCapacity {
	match sealing {
		Sealing::Interval(ms) => BlockCapacity::for_block_time(ms),
		Sealing::Instant | Sealing::Manual => BlockCapacity::default(),
	}
}

/// The sudo extrinsic that sets `capacity`, signed by Alice at the best block; `None` when the
/// chain's capacity is that already or its sudo key is not Alice's (logged).
fn capacity_extrinsic(
	client: &FullClient,
	capacity: BlockCapacity,
) -> Result<Option<(Hash, OpaqueExtrinsic)>, String> {
	let best = client.info().best_hash;
	let current: BlockCapacity = super::dev_sudo::read(
		client,
		best,
		pallet_starknet::Capacity::<Runtime>::hashed_key().to_vec(),
	)?
	.unwrap_or_default();
	if current == capacity {
		return Ok(None);
	}
	if !super::dev_sudo::is_development_sudo(client)? {
		log::warn!(
			"⚠️  The Starknet block capacity ({} L2 gas per block) is not sized for this sealing \
			 ({} L2 gas), and the chain's sudo key is not the development one: set it with \
			 sudo(starknet.setBlockCapacity)",
			current.l2_gas,
			capacity.l2_gas
		);
		return Ok(None);
	}
	let (best, opaque) = super::dev_sudo::sudo_extrinsic(
		client,
		RuntimeCall::Starknet(pallet_starknet::Call::set_block_capacity { capacity }),
	)?;
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

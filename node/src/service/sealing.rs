//! Development sealing (instant, manual, interval): the stream of sealing commands and the manual
//! seal authorship task, with Aura pre-digests so the runtime is the same whichever way a chain
//! is authored.
use super::{finalize_reserve::FinalizeReserve, FullClient, FullSelectChain};
use crate::cli::Sealing;
use cairn_primitives::{Block, Hash};
use futures::{channel::mpsc, stream::BoxStream, StreamExt};
use sc_client_api::BlockchainEvents;
use sc_consensus_manual_seal::{
	consensus::aura::AuraConsensusDataProvider, EngineCommand, ManualSealParams,
};
use sc_service::TaskManager;
use sc_transaction_pool_api::TransactionPool;
use std::{sync::Arc, time::Duration};

/// The timestamp of a dev-sealed block: the wall clock, but never behind its parent. The runtime
/// would move a lagging timestamp forward itself, but the Aura slot of the pre-digest is taken from
/// this value, and the two must agree (after a clock step back, or blocks sealed within one
/// millisecond).
fn dev_sealing_timestamp(client: &FullClient, parent: Hash) -> sp_timestamp::InherentDataProvider {
	use codec::Decode;
	use sc_client_api::StorageProvider;
	// pallet_timestamp's `Now`, under the pallet's name in the runtime (`Timestamp`); if the runtime
	// ever renamed it, this falls back to the wall clock alone.
	let key = [sp_core::twox_128(b"Timestamp"), sp_core::twox_128(b"Now")].concat();
	let parent_time = client
		.storage(parent, &sc_client_api::StorageKey(key))
		.ok()
		.flatten()
		.and_then(|value| u64::decode(&mut &value.0[..]).ok())
		.unwrap_or(0);
	let now = sp_timestamp::Timestamp::current();
	sp_timestamp::InherentDataProvider::new(now.max(sp_timestamp::Timestamp::new(parent_time + 1)))
}

/// The stream of sealing commands for a development sealing mode: `engine_*` RPC calls always,
/// plus one command per pool import (instant) or per tick (interval). Instant sealing also seals
/// again after each new block while the pool still has ready transactions: a block holds what
/// fits its weight and proposal time, and the rest must not wait for the next import.
pub fn commands(
	sealing: Sealing,
	rpc_commands: mpsc::Receiver<EngineCommand<Hash>>,
	pool: &Arc<sc_transaction_pool::TransactionPoolHandle<Block, FullClient>>,
	client: &Arc<FullClient>,
) -> BoxStream<'static, EngineCommand<Hash>> {
	let seal = |create_empty| EngineCommand::SealNewBlock {
		create_empty,
		finalize: true,
		parent_hash: None,
		sender: None,
	};
	match sealing {
		Sealing::Manual => rpc_commands.boxed(),
		Sealing::Instant => {
			let imports = pool.import_notification_stream().map(move |_| seal(false));
			let pool = pool.clone();
			// What is left is the ready set at the new block, without what the block included.
			// The pool's own count still holds the block's transactions until its maintenance
			// prunes them, so it would seal an empty proposal after most blocks (seen: 25 of 40
			// at light load, each 3 ms of the authoring thread and a manual-seal ERROR line).
			// The sequencer pool's ready set at a block it has not pruned yet skips that block's
			// transactions (`LagTolerantPool`), so nothing here waits for the maintenance.
			let leftovers = client.import_notification_stream().filter_map(move |notification| {
				let pool = pool.clone();
				async move {
					let mut ready =
						pool.ready_at_with_timeout(notification.hash, Duration::ZERO).await;
					ready.next().is_some().then(|| seal(false))
				}
			});
			futures::stream::select(rpc_commands, futures::stream::select(imports, leftovers))
				.boxed()
		}
		Sealing::Interval(ms) => {
			let mut interval = tokio::time::interval(Duration::from_millis(ms));
			// A block that takes longer than the interval delays the next tick instead of
			// queueing a burst of empty blocks.
			interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
			let ticks = futures::stream::unfold(interval, move |mut interval| async move {
				interval.tick().await;
				Some((seal(true), interval))
			});
			futures::stream::select(rpc_commands, ticks).boxed()
		}
	}
}

/// Starts the manual-seal authorship task: a block per command of `commands`, finalized at once.
pub fn start(
	sealing: Sealing,
	commands_stream: BoxStream<'static, EngineCommand<Hash>>,
	proposer_factory: sc_basic_authorship::ProposerFactory<
		sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
		FullClient,
		sp_consensus::DisableProofRecording,
	>,
	client: &Arc<FullClient>,
	transaction_pool: Arc<sc_transaction_pool::TransactionPoolHandle<Block, FullClient>>,
	select_chain: FullSelectChain,
	task_manager: &TaskManager,
	index: super::StarknetIndex,
	l1: Arc<super::l1_link::L1Link>,
) {
	log::info!("🧱 Development sealing: {sealing}");
	let cidp_client = client.clone();
	// Manual seal offers every proposal 10 s; an interval's proposal gets the interval.
	let env = match sealing {
		Sealing::Interval(ms) => {
			FinalizeReserve::within(proposer_factory, Duration::from_millis(ms))
		}
		Sealing::Instant | Sealing::Manual => FinalizeReserve::new(proposer_factory),
	};
	let authorship = sc_consensus_manual_seal::run_manual_seal(ManualSealParams {
		// The node's own blocks are indexed as they are imported.
		block_import: super::Indexing::new(client.clone(), index),
		env,
		client: client.clone(),
		pool: transaction_pool,
		commands_stream,
		select_chain,
		// Aura pre-digests keep the runtime's Aura slot in step with the block timestamps.
		consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new(client.clone()))),
		create_inherent_data_providers: move |parent, ()| {
			let timestamp = dev_sealing_timestamp(&cidp_client, parent);
			let follower = l1.follower();
			let l1 = super::l1::L1InherentData::authoring(follower.as_ref(), &cidp_client, parent);
			async move { Ok((timestamp, l1)) }
		},
	});
	task_manager.spawn_essential_handle().spawn_blocking(
		"manual-seal",
		Some("block-authoring"),
		authorship,
	);
}

//! Settlement on L1 (README, "Bridging to L1"): every interval the node reads the state the core
//! contract holds as settled, which the Starknet RPC serves as `l1_accepted` and the
//! `ACCEPTED_ON_L1` statuses; with the sequencer's L1 key it then posts the finalized blocks after
//! it — the last one's number, Starknet hash and state root, the hashes of the messages to L1
//! they sent (which L1 contracts can consume from then on) and of the messages from L1 they
//! executed — at most [`MAX_BLOCKS`] blocks at a time.
use super::{FullClient, StarknetIndex};
use cairn_l1::{Follower, Settled, Settler, StateUpdate};
use cairn_primitives::starknet::{
	l1::{l1_handler_message_hash, message_to_l1_hash, L1Message},
	Transaction,
};
use sc_client_api::HeaderBackend;
use std::{
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::Duration,
};

/// The most blocks one settlement covers.
const MAX_BLOCKS: u64 = 256;

/// `u64::MAX`: the settled state was not read yet.
const UNKNOWN: u64 = u64::MAX;

/// What the Starknet RPC knows of the node's L1: the settled block this task last read, and the
/// follower's lookups of L1 transactions.
pub struct NodeL1 {
	follower: Follower,
	settled: AtomicU64,
}

impl NodeL1 {
	/// A view over `follower`, the settled state not read yet.
	pub fn new(follower: Follower) -> Arc<NodeL1> {
		Arc::new(NodeL1 { follower, settled: AtomicU64::new(UNKNOWN) })
	}
}

#[async_trait::async_trait]
impl cairn_rpc::L1View for NodeL1 {
	fn settled(&self) -> Option<u64> {
		Some(self.settled.load(Ordering::Relaxed)).filter(|n| *n != UNKNOWN)
	}

	async fn messages_of(&self, hash: [u8; 32]) -> Result<Option<Vec<L1Message>>, String> {
		self.follower.messages_of(hash).await
	}
}

/// The update that settles the blocks after `settled` up to `to`, from the index.
fn update(
	client: &FullClient,
	index: &StarknetIndex,
	settled: &Settled,
	to: u64,
) -> Result<StateUpdate, String> {
	let block = |number: u64| {
		let hash = client
			.hash(number.try_into().map_err(|_| format!("block {number}"))?)
			.map_err(|e| e.to_string())?
			.ok_or_else(|| format!("no block {number}"))?;
		index.indexed(hash)?.ok_or_else(|| format!("block {number} is not indexed yet"))
	};
	// The contract's state must be this chain's.
	let base = block(settled.block_number)?;
	if base.block_hash != settled.block_hash || base.header.state_root != settled.state_root {
		return Err(format!(
			"the core contract's settled block {} ({:?}, root {:?}) is not this chain's ({:?}, \
			 root {:?})",
			settled.block_number,
			settled.block_hash,
			settled.state_root,
			base.block_hash,
			base.header.state_root
		));
	}
	let mut update = StateUpdate::default();
	for number in settled.block_number + 1..=to {
		let block = block(number)?;
		for tx in &block.transactions {
			for message in &tx.receipt.messages {
				update.messages_to_l1.push(message_to_l1_hash(
					message.from_address,
					message.to_address,
					&message.payload,
				));
			}
			if let (Transaction::L1Handler(l1_handler), None) =
				(&tx.transaction, &tx.receipt.revert_error)
			{
				update.messages_to_l2_consumed.extend(l1_handler_message_hash(l1_handler));
			}
		}
		update.block_number = number;
		update.block_hash = block.block_hash;
		update.state_root = block.header.state_root;
	}
	Ok(update)
}

/// Reads (and with a signing `settler`, advances) the settled state every `interval`.
pub async fn run(
	settler: Settler,
	view: Arc<NodeL1>,
	client: Arc<FullClient>,
	index: StarknetIndex,
	interval: Duration,
) {
	let mut ticks = tokio::time::interval(interval);
	ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
	loop {
		ticks.tick().await;
		let settled = match settler.settled().await {
			Ok(settled) => settled,
			Err(e) => {
				log::warn!("🌉 reading the settled state: {e}");
				continue;
			}
		};
		view.settled.store(settled.block_number, Ordering::Relaxed);
		if settler.address().is_none() {
			continue;
		}
		let finalized: u64 = client.info().finalized_number.into();
		if finalized <= settled.block_number {
			continue;
		}
		let to = finalized.min(settled.block_number + MAX_BLOCKS);
		let update = match update(&client, &index, &settled, to) {
			Ok(update) => update,
			Err(e) => {
				log::warn!("🌉 settling: {e}");
				continue;
			}
		};
		match settler.settle(settled.state_root, &update).await {
			Ok(hash) => {
				view.settled.store(update.block_number, Ordering::Relaxed);
				log::info!(
					"🌉 Settled #{} on L1 ({} message(s) to L1, {} from L1 consumed) in 0x{}",
					update.block_number,
					update.messages_to_l1.len(),
					update.messages_to_l2_consumed.len(),
					hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
				);
			}
			Err(e) => log::warn!("🌉 {e}"),
		}
	}
}

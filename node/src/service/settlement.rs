//! Settlement on L1 (README, "Bridging to L1"): every interval the node reads the state the core
//! contract holds as settled, which the Starknet RPC serves as `l1_accepted` and the
//! `ACCEPTED_ON_L1` statuses; with the sequencer's L1 key it then posts the finalized blocks after
//! it — the last one's number, Starknet hash and state root, the hashes of the messages to L1
//! they sent (which L1 contracts can consume from then on) and of the messages from L1 they
//! executed — at most [`MAX_BLOCKS`] blocks at a time.
use super::{
	l1_link::{Attached, L1Link},
	FullClient, StarknetIndex,
};
use cairn_l1::{Settled, StateUpdate};
use cairn_primitives::starknet::{
	l1::{l1_handler_message_hash, message_to_l1_hash},
	Transaction,
};
use sc_client_api::HeaderBackend;
use std::{sync::Arc, time::Duration};

/// The most blocks one settlement covers.
const MAX_BLOCKS: u64 = 256;

/// Block `number` of the best chain, indexed (waiting for the index to catch up with it).
pub async fn indexed_block(
	client: &FullClient,
	index: &StarknetIndex,
	number: u64,
) -> Result<(cairn_primitives::Hash, cairn_index::IndexedBlock), String> {
	let hash = client
		.hash(number.try_into().map_err(|_| format!("block {number}"))?)
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("no block {number}"))?;
	Ok((hash, index.block(hash).await?))
}

/// The update that settles the blocks after `settled` up to `to`, from the index.
async fn update(
	client: &FullClient,
	index: &StarknetIndex,
	settled: &Settled,
	to: u64,
) -> Result<StateUpdate, String> {
	let block = |number: u64| indexed_block(client, index, number);
	// The contract's state must be this chain's.
	let (_, base) = block(settled.block_number).await?;
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
		let (at, block) = block(number).await?;
		for tx in &block.transactions {
			for message in &tx.receipt.messages {
				update.messages_to_l1.push(message_to_l1_hash(
					message.from_address,
					message.to_address,
					&message.payload,
				));
			}
			// A message from L1 the block consumed (the runtime's record of consumed nonces
			// says): not an `l1_handler` a development root call executed without one
			// (`devnet_postmanSendMessageToL2`), which the contract has no message for.
			if let (Transaction::L1Handler(l1_handler), None) =
				(&tx.transaction, &tx.receipt.revert_error)
			{
				let hash = l1_handler_message_hash(l1_handler);
				if hash.is_some() && super::l1::consumed_hash(client, at, &l1_handler.nonce) == hash
				{
					update.messages_to_l2_consumed.extend(hash);
				}
			}
		}
		update.block_number = number;
		update.block_hash = block.block_hash;
		update.state_root = block.header.state_root;
	}
	Ok(update)
}

/// One settlement step on `l1`: reads the settled state (recorded in `link`) and, with the
/// sequencer's key, posts the finalized blocks after it (at most [`MAX_BLOCKS`]); the update
/// posted, if any.
pub async fn step(
	link: &L1Link,
	l1: &Attached,
	client: &FullClient,
	index: &StarknetIndex,
) -> Result<Option<StateUpdate>, String> {
	let _settling = l1.settling.lock().await;
	let settled =
		l1.settler.settled().await.map_err(|e| format!("reading the settled state: {e}"))?;
	link.set_settled(settled.block_number);
	if l1.settler.address().is_none() {
		return Ok(None);
	}
	let finalized: u64 = client.info().finalized_number.into();
	if finalized <= settled.block_number {
		return Ok(None);
	}
	let to = finalized.min(settled.block_number + MAX_BLOCKS);
	let update = update(client, index, &settled, to).await.map_err(|e| format!("settling: {e}"))?;
	let hash = l1.settler.settle(settled.state_root, &update).await?;
	link.set_settled(update.block_number);
	log::info!(
		"🌉 Settled #{} on L1 ({} message(s) to L1, {} from L1 consumed) in {}",
		update.block_number,
		update.messages_to_l1.len(),
		update.messages_to_l2_consumed.len(),
		cairn_primitives::hex(&hash)
	);
	Ok(Some(update))
}

/// Reads (and with a signing settler, advances) the settled state every `interval`.
pub async fn run(
	link: Arc<L1Link>,
	client: Arc<FullClient>,
	index: StarknetIndex,
	interval: Duration,
) {
	let mut ticks = tokio::time::interval(interval);
	ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
	loop {
		ticks.tick().await;
		let Some(l1) = link.attached() else { continue };
		if let Err(e) = step(&link, &l1, &client, &index).await {
			log::warn!("🌉 {e}");
		}
	}
}

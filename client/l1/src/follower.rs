//! The L1 follower: the core contract's messages to L2, read with `eth_getLogs` up to the L1 head
//! less the confirmation depth, kept until a finalized L2 block has consumed them.
//!
//! **Checkpoint.** A file holds the L1 block below which every message seen was consumed on a
//! finalized L2 block ([`Follower::prune`] moves it). A node (re)starts scanning just above it:
//! a crash between an L1 event and its inclusion loses nothing (the message is read again), and
//! reads a consumed message again at worst, which the runtime then leaves out (it keeps every
//! consumed nonce). The file is replaced atomically (written aside, synced, renamed).
//!
//! **What is refused here.** A message whose addresses, selector or payload words are not felts
//! (an L1 `uint256` can exceed the field), or whose payload is longer than
//! [`MAX_L1_MESSAGE_PAYLOAD`], cannot become an `l1_handler` transaction: it is logged and left
//! out, and its sender can cancel it on L1.
use crate::contract::CairnCore;
use alloy::{
	primitives::{Address, U256},
	providers::{DynProvider, Provider},
	rpc::types::Filter,
	sol_types::SolEvent,
};
use cairn_primitives::starknet::{
	l1::{L1Message, MAX_L1_MESSAGE_PAYLOAD},
	Felt,
};
use std::{
	collections::BTreeMap,
	path::PathBuf,
	sync::{Arc, Mutex},
	time::Duration,
};

/// Where the follower reads and how.
#[derive(Clone, Debug)]
pub struct FollowerConfig {
	/// The L1 node's JSON-RPC endpoint (http).
	pub endpoint: String,
	/// The core contract's address.
	pub core_contract: Address,
	/// How many L1 blocks must follow the one holding a message before it is taken.
	pub confirmations: u64,
	/// How often the L1 is read.
	pub poll_interval: Duration,
	/// The first L1 block to read when there is no checkpoint (the core contract's deployment).
	pub from_block: u64,
	/// The checkpoint file (`None`: kept in memory only, as for an L1 a development chain loads
	/// at run time).
	pub checkpoint: Option<PathBuf>,
}

/// At most this many L1 blocks per `eth_getLogs` request (public endpoints limit ranges).
const MAX_BLOCK_RANGE: u64 = 2_000;

#[derive(Default)]
struct State {
	/// The last L1 block read (inclusive); `None`: nothing read yet.
	scanned_to: Option<u64>,
	/// Messages seen and not yet known consumed on a finalized block, by nonce.
	messages: BTreeMap<Felt, L1Message>,
	/// The L1 block below which every message was consumed (persisted).
	checkpoint: Option<u64>,
}

/// Follows the core contract; cheap to clone (one shared state).
#[derive(Clone)]
pub struct Follower {
	config: Arc<FollowerConfig>,
	/// The L1 node's client, made once.
	provider: DynProvider,
	state: Arc<Mutex<State>>,
	/// Serializes polls (the node's task and importers' catch-ups).
	polling: Arc<tokio::sync::Mutex<()>>,
	/// Bumped whenever new messages are seen.
	seen: tokio::sync::watch::Sender<u64>,
}

impl Follower {
	/// A follower that resumes from `config.checkpoint` if the file exists.
	pub fn new(config: FollowerConfig) -> Result<Follower, String> {
		let checkpoint = match &config.checkpoint {
			None => None,
			Some(path) => match std::fs::read_to_string(path) {
				Ok(text) => Some(
					text.trim()
						.parse::<u64>()
						.map_err(|e| format!("L1 checkpoint {}: {e}", path.display()))?,
				),
				Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
				Err(e) => return Err(format!("L1 checkpoint {}: {e}", path.display())),
			},
		};
		let provider = crate::provider(&config.endpoint)?;
		let state = State {
			scanned_to: checkpoint.or(config.from_block.checked_sub(1)),
			messages: BTreeMap::new(),
			checkpoint,
		};
		Ok(Follower {
			config: Arc::new(config),
			provider,
			state: Arc::new(Mutex::new(state)),
			polling: Arc::new(tokio::sync::Mutex::new(())),
			seen: tokio::sync::watch::channel(0).0,
		})
	}

	/// The messages seen and not yet known consumed, in nonce order.
	pub fn messages(&self) -> Vec<L1Message> {
		self.state.lock().expect("not poisoned").messages.values().cloned().collect()
	}

	/// A receiver that changes whenever new messages are seen.
	pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
		self.seen.subscribe()
	}

	/// Reads the L1 up to its head less the confirmations; the number of new messages.
	pub async fn poll(&self) -> Result<usize, String> {
		let _polling = self.polling.lock().await;
		let provider = &self.provider;
		let head = provider.get_block_number().await.map_err(|e| format!("L1 head: {e}"))?;
		let Some(to) = head.checked_sub(self.config.confirmations) else { return Ok(0) };
		let mut from = match self.state.lock().expect("not poisoned").scanned_to {
			Some(scanned) => scanned + 1,
			None => 0,
		};
		let mut new = 0;
		while from <= to {
			let end = to.min(from + MAX_BLOCK_RANGE - 1);
			let filter = Filter::new()
				.address(self.config.core_contract)
				.event_signature(CairnCore::LogMessageToL2::SIGNATURE_HASH)
				.from_block(from)
				.to_block(end);
			let logs = provider
				.get_logs(&filter)
				.await
				.map_err(|e| format!("L1 logs {from}..={end}: {e}"))?;
			let mut state = self.state.lock().expect("not poisoned");
			for log in logs {
				let (Some(l1_transaction_hash), Some(l1_block_number)) =
					(log.transaction_hash, log.block_number)
				else {
					continue;
				};
				let event = match log.log_decode::<CairnCore::LogMessageToL2>() {
					Ok(decoded) => decoded.inner.data,
					Err(e) => {
						log::warn!("L1 message in {l1_transaction_hash}: undecodable: {e}");
						continue;
					}
				};
				match message(&event, l1_transaction_hash.0, l1_block_number) {
					Ok(message) => {
						if state.messages.insert(message.nonce, message).is_none() {
							new += 1;
						}
					}
					Err(why) => log::warn!(
						"L1 message {} in {l1_transaction_hash} left out: {why}",
						event.nonce
					),
				}
			}
			state.scanned_to = Some(end);
			drop(state);
			from = end + 1;
		}
		if new > 0 {
			self.seen.send_modify(|count| *count += new as u64);
		}
		Ok(new)
	}

	/// The messages to L2 the L1 transaction `hash` sent, in order, once confirmed (`None`: no
	/// such transaction, or not confirmed yet).
	pub async fn messages_of(&self, hash: [u8; 32]) -> Result<Option<Vec<L1Message>>, String> {
		let provider = &self.provider;
		let Some(receipt) = provider
			.get_transaction_receipt(hash.into())
			.await
			.map_err(|e| format!("L1 receipt: {e}"))?
		else {
			return Ok(None);
		};
		let head = provider.get_block_number().await.map_err(|e| format!("L1 head: {e}"))?;
		let Some(block) = receipt.block_number else { return Ok(None) };
		if block.saturating_add(self.config.confirmations) > head {
			return Ok(None);
		}
		let mut messages = Vec::new();
		for log in receipt.inner.logs() {
			if log.address() != self.config.core_contract
				|| log.topic0() != Some(&CairnCore::LogMessageToL2::SIGNATURE_HASH)
			{
				continue;
			}
			let event = log.log_decode::<CairnCore::LogMessageToL2>().map_err(|e| e.to_string())?;
			if let Ok(message) = message(&event.inner.data, hash, block) {
				messages.push(message);
			}
		}
		Ok(Some(messages))
	}

	/// Forgets the messages `consumed` says a finalized block consumed, and moves the
	/// checkpoint up to the L1 block below the oldest message still waiting (or the last block
	/// read if none waits).
	pub fn prune(&self, consumed: impl Fn(&Felt) -> bool) -> Result<(), String> {
		let checkpoint = {
			let mut state = self.state.lock().expect("not poisoned");
			state.messages.retain(|nonce, _| !consumed(nonce));
			let waiting = state.messages.values().map(|m| m.l1_block_number).min();
			let checkpoint = match (waiting, state.scanned_to) {
				(Some(oldest), _) => oldest.checked_sub(1),
				(None, scanned) => scanned,
			};
			if checkpoint <= state.checkpoint {
				return Ok(());
			}
			state.checkpoint = checkpoint;
			checkpoint
		};
		let (Some(checkpoint), Some(path)) = (checkpoint, &self.config.checkpoint) else {
			return Ok(());
		};
		write_atomically(path, checkpoint.to_string().as_bytes())
			.map_err(|e| format!("L1 checkpoint {}: {e}", path.display()))
	}

	/// Polls every `poll_interval` for ever (errors are logged and retried).
	pub async fn run(self) {
		let mut interval = tokio::time::interval(self.config.poll_interval);
		interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		loop {
			interval.tick().await;
			match self.poll().await {
				Ok(0) => {}
				Ok(new) => log::info!("🌉 {new} new message(s) from L1"),
				Err(e) => log::warn!("🌉 reading L1: {e}"),
			}
		}
	}
}

/// The message an event carries, or why it cannot be an `l1_handler` transaction.
fn message(
	event: &CairnCore::LogMessageToL2,
	l1_transaction_hash: [u8; 32],
	l1_block_number: u64,
) -> Result<L1Message, String> {
	if event.payload.len() > MAX_L1_MESSAGE_PAYLOAD {
		return Err(format!("payload of {} words", event.payload.len()));
	}
	let felt = |what: &str, value: &U256| {
		Felt::from_canonical_bytes(&value.to_be_bytes::<32>())
			.ok_or_else(|| format!("{what} {value:#x} is not a felt"))
	};
	let mut from = [0u8; 32];
	from[12..].copy_from_slice(event.fromAddress.as_slice());
	Ok(L1Message {
		l1_transaction_hash,
		l1_block_number,
		from_address: Felt::from_canonical_bytes(&from).expect("160 bits are a felt"),
		to_address: felt("to address", &event.toAddress)?,
		selector: felt("selector", &event.selector)?,
		payload: event
			.payload
			.iter()
			.map(|word| felt("payload word", word))
			.collect::<Result<_, _>>()?,
		nonce: felt("nonce", &event.nonce)?,
		paid_fee_on_l1: u128::try_from(event.fee).map_err(|_| format!("fee {}", event.fee))?,
	})
}

/// Replaces `path` with `data`: written aside, synced, renamed over, the directory synced.
fn write_atomically(path: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
	use std::io::Write;
	let aside = path.with_extension("new");
	let mut file = std::fs::File::create(&aside)?;
	file.write_all(data)?;
	file.sync_all()?;
	std::fs::rename(&aside, path)?;
	if let Some(dir) = path.parent() {
		std::fs::File::open(dir)?.sync_all()?;
	}
	Ok(())
}

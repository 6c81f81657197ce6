//! The node's L1 side (README, "Bridging to L1"): the follower of the core contract
//! (`cairn-l1`), the inherent data it gives each block (authoring: the messages to include;
//! import: the messages this node's own L1 shows, which the block's must be among), instant
//! sealing woken by new messages, and the pruning of messages finalized blocks consumed.
use super::FullClient;
use cairn_l1::{Follower, FollowerConfig};
use cairn_primitives::{
	starknet::{
		l1::{L1Message, INHERENT_IDENTIFIER},
		Felt,
	},
	Hash,
};
use codec::Encode;
use sc_client_api::BlockchainEvents;
use std::{sync::Arc, time::Duration};

/// How long an importer waits for its L1 view to catch up before checking a block.
const IMPORT_CATCH_UP: Duration = Duration::from_secs(3);

/// The follower for `options`, checkpointed in `<chain data>/starknet/l1-checkpoint`; `None`
/// without an L1 endpoint.
pub fn follower(
	data_path: &std::path::Path,
	options: &crate::cli::L1Options,
) -> Result<Option<Follower>, sc_service::Error> {
	let (Some(endpoint), Some(core)) = (&options.l1_endpoint, &options.l1_core_contract) else {
		if options.l1_endpoint.is_some() || options.l1_core_contract.is_some() {
			return Err(sc_service::Error::Other(
				"--l1-endpoint and --l1-core-contract go together".into(),
			));
		}
		return Ok(None);
	};
	let core_contract = core.parse().map_err(|e| {
		sc_service::Error::Other(format!("--l1-core-contract {core}: not an address: {e}"))
	})?;
	let dir = data_path.join("starknet");
	std::fs::create_dir_all(&dir)
		.map_err(|e| sc_service::Error::Other(format!("{}: {e}", dir.display())))?;
	let follower = Follower::new(FollowerConfig {
		endpoint: endpoint.clone(),
		core_contract,
		confirmations: options.l1_confirmations,
		poll_interval: Duration::from_millis(options.l1_poll_interval_ms),
		from_block: options.l1_from_block,
		checkpoint: Some(dir.join("l1-checkpoint")),
	})
	.map_err(sc_service::Error::Other)?;
	log::info!("🌉 Following the L1 core contract {core} at {endpoint}");
	Ok(Some(follower))
}

/// The settler for `options`: signing with the key file's key, else reading only.
pub fn settler(
	options: &crate::cli::L1Options,
) -> Result<Option<cairn_l1::Settler>, sc_service::Error> {
	let (Some(endpoint), Some(core)) = (&options.l1_endpoint, &options.l1_core_contract) else {
		return Ok(None);
	};
	let core = core.parse().map_err(|e| {
		sc_service::Error::Other(format!("--l1-core-contract {core}: not an address: {e}"))
	})?;
	let Some(path) = &options.l1_settlement_key_file else {
		return cairn_l1::Settler::reader(endpoint, core)
			.map(Some)
			.map_err(sc_service::Error::Other);
	};
	let key = std::fs::read_to_string(path)
		.map_err(|e| sc_service::Error::Other(format!("{}: {e}", path.display())))?;
	let settler =
		cairn_l1::Settler::signing(endpoint, core, &key).map_err(sc_service::Error::Other)?;
	log::info!("🌉 Settling on L1 as {}", settler.address().expect("a signing settler"));
	Ok(Some(settler))
}

/// The messages from L1 a block's inherent data carries (nothing without a follower).
pub struct L1InherentData(Option<Vec<L1Message>>);

impl L1InherentData {
	/// For authoring on `parent`: the messages seen so far that `parent`'s state has not
	/// consumed — none at all, when there are none to include (manual sealing counts inherent
	/// data entries to tell an empty block).
	pub fn authoring(follower: Option<&Follower>, client: &FullClient, parent: Hash) -> Self {
		let messages = follower.map(|follower| {
			let mut messages = follower.messages();
			messages.retain(|message| !consumed(client, parent, &message.nonce));
			messages
		});
		L1InherentData(messages.filter(|messages| !messages.is_empty()))
	}

	/// For import: the messages seen once the follower has read the L1 up to now (bounded
	/// by [`IMPORT_CATCH_UP`]; on failure, what it had).
	pub async fn import(follower: Option<&Follower>) -> Self {
		if let Some(follower) = follower {
			match tokio::time::timeout(IMPORT_CATCH_UP, follower.poll()).await {
				Ok(Ok(_)) => {}
				Ok(Err(e)) => log::warn!("🌉 reading L1 before an import: {e}"),
				Err(_) => log::warn!("🌉 reading L1 before an import: timed out"),
			}
		}
		L1InherentData(follower.map(Follower::messages))
	}
}

#[async_trait::async_trait]
impl sp_inherents::InherentDataProvider for L1InherentData {
	async fn provide_inherent_data(
		&self,
		data: &mut sp_inherents::InherentData,
	) -> Result<(), sp_inherents::Error> {
		match &self.0 {
			Some(messages) => data.put_data(INHERENT_IDENTIFIER, messages),
			None => Ok(()),
		}
	}

	async fn try_handle_error(
		&self,
		identifier: &sp_inherents::InherentIdentifier,
		error: &[u8],
	) -> Option<Result<(), sp_inherents::Error>> {
		use codec::Decode;
		if *identifier != INHERENT_IDENTIFIER {
			return None;
		}
		let why = cairn_primitives::starknet::l1::L1InherentError::decode(&mut &error[..])
			.map(|e| format!("{e:?}"))
			.unwrap_or_else(|_| "undecodable".into());
		Some(Err(sp_inherents::Error::Application(
			format!("the block's messages from L1 are not on this node's L1: {why}").into(),
		)))
	}
}

/// Whether the message with `nonce` was consumed in the state at `at`.
pub fn consumed(client: &FullClient, at: Hash, nonce: &Felt) -> bool {
	consumed_hash(client, at, nonce).is_some()
}

/// The hash of the message with `nonce` consumed in the state at `at`, if it was.
pub fn consumed_hash(client: &FullClient, at: Hash, nonce: &Felt) -> Option<[u8; 32]> {
	let encoded = nonce.encode();
	let key = [
		sp_core::twox_128(b"Starknet").as_slice(),
		sp_core::twox_128(b"L1MessagesConsumed").as_slice(),
		sp_core::blake2_128(&encoded).as_slice(),
		&encoded,
	]
	.concat();
	super::dev_sudo::read(client, at, key).ok().flatten()
}

/// Polls the L1 for ever, and prunes the messages each finalized block consumed.
pub async fn run(follower: Follower, client: Arc<FullClient>) {
	let mut finality = client.finality_notification_stream();
	let pruning = {
		let follower = follower.clone();
		async move {
			use futures::StreamExt;
			while let Some(notification) = finality.next().await {
				let at = notification.hash;
				if let Err(e) = follower.prune(|nonce| consumed(&client, at, nonce)) {
					log::warn!("🌉 {e}");
				}
			}
		}
	};
	futures::future::join(follower.run(), pruning).await;
}

/// One sealing command each time the follower sees new messages (instant sealing).
pub fn seal_on_messages(
	follower: &Follower,
) -> futures::stream::BoxStream<
	'static,
	sc_consensus_manual_seal::EngineCommand<cairn_primitives::Hash>,
> {
	use futures::StreamExt;
	let seen = follower.subscribe();
	futures::stream::unfold(seen, |mut seen| async move {
		seen.changed().await.ok()?;
		Some((
			sc_consensus_manual_seal::EngineCommand::SealNewBlock {
				create_empty: true,
				finalize: true,
				parent_hash: None,
				sender: None,
			},
			seen,
		))
	})
	.boxed()
}

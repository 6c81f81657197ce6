//! Aura + GRANDPA, for local and live chains: the import queue that checks Aura seals and GRANDPA
//! justifications, and the authoring and finality tasks.
use super::{
	finalize_reserve::FinalizeReserve, FullClient, FullSelectChain, GrandpaBlockImport,
	GrandpaLink, Indexing, StarknetIndex, GRANDPA_JUSTIFICATION_PERIOD,
};
use cairn_primitives::Block;
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager};
use sc_telemetry::{Telemetry, TelemetryHandle};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair};
use std::{sync::Arc, time::Duration};

/// The timestamp and Aura slot inherents of a block authored now under Aura.
fn aura_inherent_data(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

/// The import queue of an Aura + GRANDPA chain, and GRANDPA's block import and link.
pub fn import_queue(
	config: &Configuration,
	client: &Arc<FullClient>,
	select_chain: &FullSelectChain,
	task_manager: &TaskManager,
	telemetry: Option<&Telemetry>,
	index: &StarknetIndex,
	l1: Option<cairn_l1::Follower>,
) -> Result<
	(sc_consensus::DefaultImportQueue<Block>, (GrandpaBlockImport, GrandpaLink)),
	ServiceError,
> {
	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;
	let cidp_client = client.clone();
	let queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
		// Every block imported (initial sync included) is indexed while its state is there.
		block_import: Indexing::new(grandpa_block_import.clone(), index.clone()),
		justification_import: Some(Box::new(grandpa_block_import.clone())),
		client: client.clone(),
		create_inherent_data_providers: move |parent_hash, _| {
			let cidp_client = cidp_client.clone();
			let l1 = l1.clone();
			async move {
				let slot_duration =
					sc_consensus_aura::standalone::slot_duration_at(&*cidp_client, parent_hash)?;
				let (slot, timestamp) = aura_inherent_data(slot_duration);
				// The block's messages from L1 must be on this node's own L1.
				Ok((slot, timestamp, super::l1::L1InherentData::import(l1.as_ref()).await))
			}
		},
		spawner: &task_manager.spawn_essential_handle(),
		registry: config.prometheus_registry(),
		check_for_equivocation: Default::default(),
		telemetry: telemetry.as_ref().map(|x| x.handle()),
		compatibility_mode: Default::default(),
	})?;
	Ok((queue, (grandpa_block_import, grandpa_link)))
}

/// What Aura authoring and the GRANDPA voter need from the service.
#[allow(missing_docs)]
pub struct Authoring<'a> {
	pub grandpa: (GrandpaBlockImport, GrandpaLink),
	pub grandpa_protocol: (sc_network::ProtocolName, Box<dyn sc_network::NotificationService>),
	pub client: Arc<FullClient>,
	pub select_chain: FullSelectChain,
	pub proposer_factory: sc_basic_authorship::ProposerFactory<
		sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
		FullClient,
		sp_consensus::DisableProofRecording,
	>,
	pub keystore: sp_keystore::KeystorePtr,
	pub network: Arc<dyn sc_network::service::traits::NetworkService>,
	pub sync_service: Arc<sc_network_sync::SyncingService<Block>>,
	pub transaction_pool: Arc<sc_transaction_pool::TransactionPoolHandle<Block, FullClient>>,
	pub role: sc_service::Role,
	pub force_authoring: bool,
	pub enable_grandpa: bool,
	pub name: String,
	pub prometheus_registry: Option<substrate_prometheus_endpoint::Registry>,
	pub telemetry: Option<TelemetryHandle>,
	pub task_manager: &'a TaskManager,
	/// The Starknet index the node's own blocks go to as they are imported.
	pub index: StarknetIndex,
	/// The L1 follower whose messages the node's blocks include.
	pub l1: Option<cairn_l1::Follower>,
}

/// The share of each slot an author spends building its block. Substrate's two thirds leave
/// the next author a third of the slot to import the block before its own slot begins. A lone
/// sequencer has no next author, and full nodes import while it builds the next block, so it
/// builds for [`LONE_SEQUENCER_PORTION`] of the slot, which leaves its own import (tens of ms)
/// the rest. Measured with `scripts/bench` (5,000 transfers, 1 s blocks, with the finalizing
/// reserve of [`super::finalize_reserve`]): 121.9 TPS at nine tenths, 143.5–147.3 at 0.95, with
/// most blocks at their capacity of 176 transfers and none late. The set is read at start: a
/// node whose authority set grows must restart to build for two thirds again.
fn proposal_portion(client: &FullClient) -> Result<SlotProportion, ServiceError> {
	use sp_api::ProvideRuntimeApi;
	use sp_consensus_aura::AuraApi;
	let best = sc_client_api::HeaderBackend::info(client).best_hash;
	let authorities = client
		.runtime_api()
		.authorities(best)
		.map_err(|e| ServiceError::Other(format!("reading the Aura authorities: {e}")))?;
	Ok(if authorities.len() == 1 {
		SlotProportion::new(LONE_SEQUENCER_PORTION)
	} else {
		SlotProportion::new(2f32 / 3f32)
	})
}

/// The share of its slot a lone sequencer builds for ([`proposal_portion`]).
const LONE_SEQUENCER_PORTION: f32 = 0.95;

/// Starts Aura authoring (on an authority) and the GRANDPA voter (unless disabled).
pub fn start(authoring: Authoring<'_>) -> Result<(), ServiceError> {
	let Authoring {
		grandpa: (block_import, grandpa_link),
		grandpa_protocol: (grandpa_protocol_name, grandpa_notification_service),
		client,
		select_chain,
		proposer_factory,
		keystore,
		network,
		sync_service,
		transaction_pool,
		role,
		force_authoring,
		enable_grandpa,
		name,
		prometheus_registry,
		telemetry,
		task_manager,
		index,
		l1,
	} = authoring;
	if role.is_authority() {
		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;
		let l1_client = client.clone();
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client: client.clone(),
				select_chain,
				block_import: Indexing::new(block_import, index),
				proposer_factory: FinalizeReserve::new(proposer_factory),
				create_inherent_data_providers: move |parent, ()| {
					let l1 = super::l1::L1InherentData::authoring(l1.as_ref(), &l1_client, parent);
					async move {
						let (slot, timestamp) = aura_inherent_data(slot_duration);
						Ok((slot, timestamp, l1))
					}
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore.clone(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: proposal_portion(&client)?,
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.clone(),
				compatibility_mode: Default::default(),
			},
		)?;
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		let keystore = if role.is_authority() { Some(keystore) } else { None };
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.clone(),
			protocol_name: grandpa_protocol_name,
		};
		let voter = sc_consensus_grandpa::run_grandpa_voter(sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: sync_service,
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.clone(),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		})?;
		task_manager.spawn_essential_handle().spawn_blocking("grandpa-voter", None, voter);
	}
	Ok(())
}

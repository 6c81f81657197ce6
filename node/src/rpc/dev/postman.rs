//! devnet's postman over the node's L1 link (`service::l1_link`): `postmanLoad` attaches an L1
//! at run time (the core contract deployed from its artifact, settled from the chain's newest
//! finalized block, or an existing one of this chain's); `postmanFlush` reads the L1's new
//! messages to L2, includes them in blocks sealed now and settles the finalized blocks (their
//! messages to L1 become consumable on L1); `postmanSendMessageToL2` executes a message without
//! an L1 (the root `l1_handler` call: the runtime records no L1 nonce for it and settlement
//! claims nothing for it); `postmanConsumeMessageFromL2` consumes a message a block sent to L1
//! without an L1, each message sent once ([`Record`]).
use super::{
	server::{devnet, invalid, Dev},
	Flushed, MessageHash, MessageToL1, MessageToL2, MessagingContract, TransactionHash,
};
use crate::service::{l1, settlement};
use cairn_index::IndexedBlock;
use cairn_l1::{deploy, Follower, FollowerConfig, Settled, Settler};
use cairn_primitives::{
	starknet::{
		l1::{message_to_l1_hash, L1Message, MAX_L1_MESSAGE_PAYLOAD},
		L1HandlerTransaction, Transaction,
	},
	Hash,
};
use cairn_runtime::Runtime;
use jsonrpsee::core::RpcResult;
use sc_client_api::HeaderBackend;
use std::{collections::HashMap, time::Duration};

/// The most blocks one flush seals to include the L1's messages (32 a block).
const MAX_FLUSH_BLOCKS: usize = 16;

/// What the postman remembers of messages to L1.
#[derive(Default)]
pub struct Record {
	/// Flushes reported the messages to L1 of the blocks up to this one.
	flushed_to: u64,
	/// The blocks up to this one are counted in `unconsumed`.
	counted_to: u64,
	/// Messages to L1 sent by succeeded transactions, by hash: how many are not consumed yet
	/// by `postmanConsumeMessageFromL2`.
	unconsumed: HashMap<[u8; 32], u64>,
}

/// A message to L2 sent without an L1 (`postmanSendMessageToL2`).
pub struct Mocked {
	pub to_address: cairn_primitives::starknet::Felt,
	pub selector: cairn_primitives::starknet::Felt,
	pub from_address: cairn_primitives::starknet::Felt,
	pub payload: Vec<cairn_primitives::starknet::Felt>,
	pub paid_fee_on_l1: cairn_primitives::starknet::Felt,
	pub nonce: cairn_primitives::starknet::Felt,
}

/// An Ethereum address as a felt: below 2^160.
fn is_l1_address(address: &cairn_primitives::starknet::Felt) -> bool {
	address.to_bytes()[..12].iter().all(|byte| *byte == 0)
}

/// `0x` and the 40 hex digits of an Ethereum address held in a felt.
fn l1_address(address: &cairn_primitives::starknet::Felt) -> String {
	cairn_primitives::hex(&address.to_bytes()[12..])
}

impl Dev {
	/// Block `number` of the best chain, indexed.
	async fn indexed_block(&self, number: u64) -> Result<(Hash, IndexedBlock), String> {
		settlement::indexed_block(&self.deps().client, &self.deps().index, number).await
	}

	/// The messages to L1 succeeded transactions of blocks `from..=to` sent.
	async fn messages_to_l1(&self, from: u64, to: u64) -> Result<Vec<MessageToL1>, String> {
		let mut messages = Vec::new();
		for number in from..=to {
			let (_, block) = self.indexed_block(number).await?;
			for tx in block.transactions.iter().filter(|tx| tx.receipt.revert_error.is_none()) {
				messages.extend(tx.receipt.messages.iter().map(|message| MessageToL1 {
					from_address: message.from_address,
					to_address: l1_address(&message.to_address),
					payload: message.payload.clone(),
				}));
			}
		}
		Ok(messages)
	}

	/// `devnet_postmanLoad`.
	pub(super) async fn load_l1(
		&self,
		network_url: String,
		address: Option<String>,
		key: Option<String>,
	) -> RpcResult<MessagingContract> {
		let mut record = self.postman_record().lock().await;
		let deps = self.deps();
		if deps.l1.attached().is_some() {
			return Err(devnet(format!(
				"the node already follows an L1 ({}); restart it to load another",
				deps.l1.attached().map(|l1| l1.endpoint.clone()).unwrap_or_default()
			)));
		}
		if address.is_some() && key.is_some() {
			return Err(invalid(
				"give messaging_contract_address or deployer_account_private_key, not both",
			));
		}
		let key = key.unwrap_or_else(|| deploy::ANVIL_FIRST_KEY.to_string());
		let head = deploy::head(&network_url).await.map_err(devnet)?;
		let core = match address {
			Some(address) => {
				let address = address
					.parse()
					.map_err(|e| invalid(format!("messaging_contract_address {address}: {e}")))?;
				deploy::check_code(&network_url, address).await.map_err(devnet)?;
				address
			}
			None => {
				let info = deps.client.info();
				let (_, block) =
					self.indexed_block(info.finalized_number.into()).await.map_err(devnet)?;
				let genesis = Settled {
					block_number: block.number,
					block_hash: block.block_hash,
					state_root: block.header.state_root,
				};
				let path = match &deps.l1_core_artifact {
					Some(path) => path.clone(),
					None => std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
						.join(".cache/cairn/l1/CairnCore.json"),
				};
				let code = deploy::bytecode(&path).map_err(devnet)?;
				deploy::deploy(&network_url, &key, code, genesis).await.map_err(devnet)?
			}
		};
		let settler = Settler::signing(&network_url, core, &key).map_err(devnet)?;
		// The contract must hold this chain's state: settlement builds on it.
		let settled = settler
			.settled()
			.await
			.map_err(|e| devnet(format!("{core:#x} is not a Cairn core contract: {e}")))?;
		let (_, ours) = self.indexed_block(settled.block_number).await.map_err(|_| {
			devnet(format!(
				"the core contract {core:#x} settled block {}, which this chain does not have",
				settled.block_number
			))
		})?;
		if ours.block_hash != settled.block_hash || ours.header.state_root != settled.state_root {
			return Err(devnet(format!(
				"the core contract {core:#x} settled another chain's block {}: load without an \
				 address to deploy one for this chain",
				settled.block_number
			)));
		}
		let follower = Follower::new(FollowerConfig {
			endpoint: network_url.clone(),
			core_contract: core,
			confirmations: 0,
			poll_interval: Duration::from_secs(1),
			from_block: head + 1,
			checkpoint: None,
		})
		.map_err(devnet)?;
		deps.l1.attach(network_url.clone(), follower, settler).map_err(devnet)?;
		deps.l1.set_settled(settled.block_number);
		record.flushed_to = settled.block_number;
		log::info!("🌉 Postman: following the L1 core contract {core:#x} at {network_url}");
		Ok(MessagingContract { messaging_contract_address: format!("{core:#x}") })
	}

	/// `devnet_postmanFlush`.
	pub(super) async fn flush(&self, dry_run: bool) -> RpcResult<Flushed> {
		let mut record = self.postman_record().lock().await;
		let deps = self.deps();
		if dry_run {
			let best: u64 = deps.client.info().best_number.into();
			let messages_to_l1 =
				self.messages_to_l1(record.flushed_to + 1, best).await.map_err(devnet)?;
			return Ok(Flushed {
				messages_to_l1,
				messages_to_l2: Vec::new(),
				generated_l2_transactions: Vec::new(),
				l1_provider: "dry run".into(),
			});
		}
		let l1 = deps
			.l1
			.attached()
			.ok_or_else(|| devnet("no L1 is loaded: call devnet_postmanLoad first"))?;
		// Messages to L2: read now, included in blocks sealed now.
		l1.follower.poll().await.map_err(devnet)?;
		let mut waiting: Vec<L1Message> = l1.follower.messages();
		let mut messages_to_l2 = Vec::new();
		let mut generated_l2_transactions = Vec::new();
		for _ in 0..MAX_FLUSH_BLOCKS {
			let best = deps.client.info().best_hash;
			waiting.retain(|message| !l1::consumed(&deps.client, best, &message.nonce));
			if waiting.is_empty() {
				break;
			}
			let block = self.author().seal(true).await.map_err(devnet)?;
			let indexed = deps.index.block(block).await.map_err(devnet)?;
			let mut included = 0;
			for tx in &indexed.transactions {
				let Transaction::L1Handler(handler) = &tx.transaction else { continue };
				let Some(message) = waiting.iter().find(|m| m.transaction() == *handler) else {
					continue;
				};
				included += 1;
				generated_l2_transactions.push(tx.receipt.tx_hash);
				messages_to_l2.push(MessageToL2 {
					l1_transaction_hash: Some(cairn_primitives::hex(&message.l1_transaction_hash)),
					l2_contract_address: message.to_address,
					entry_point_selector: message.selector,
					l1_contract_address: message.from_address,
					payload: message.payload.clone(),
					paid_fee_on_l1: message.paid_fee_on_l1.into(),
					nonce: message.nonce,
				});
			}
			if included == 0 {
				// Consumed without a transaction (refused by execution, see the runtime's
				// `L1MessageRefused`), or not offered: nothing more to wait for.
				break;
			}
		}
		let best = deps.client.info().best_hash;
		l1.follower.prune(|nonce| l1::consumed(&deps.client, best, nonce)).map_err(devnet)?;
		// Messages to L1: the finalized blocks settled.
		while settlement::step(&deps.l1, &l1, &deps.client, &deps.index)
			.await
			.map_err(devnet)?
			.is_some()
		{}
		let settled = cairn_rpc::L1View::settled(&*deps.l1).unwrap_or(record.flushed_to);
		let messages_to_l1 = if settled > record.flushed_to {
			self.messages_to_l1(record.flushed_to + 1, settled).await.map_err(devnet)?
		} else {
			Vec::new()
		};
		record.flushed_to = record.flushed_to.max(settled);
		Ok(Flushed {
			messages_to_l1,
			messages_to_l2,
			generated_l2_transactions,
			l1_provider: l1.endpoint.clone(),
		})
	}

	/// `devnet_postmanSendMessageToL2`.
	pub(super) async fn send_to_l2(&self, message: Mocked) -> RpcResult<TransactionHash> {
		if !is_l1_address(&message.from_address) {
			return Err(invalid(format!(
				"l1_contract_address {:#x} is not an Ethereum address",
				message.from_address.0
			)));
		}
		if message.payload.len() > MAX_L1_MESSAGE_PAYLOAD {
			return Err(invalid(format!(
				"a payload of {} words is more than {MAX_L1_MESSAGE_PAYLOAD}",
				message.payload.len()
			)));
		}
		let paid_fee_on_l1 = message.paid_fee_on_l1.to_u128().ok_or_else(|| {
			invalid(format!(
				"paid_fee_on_l1 {:#x} is more than 2^128 - 1",
				message.paid_fee_on_l1.0
			))
		})?;
		let mut calldata = Vec::with_capacity(message.payload.len() + 1);
		calldata.push(message.from_address);
		calldata.extend(message.payload);
		let transaction = L1HandlerTransaction {
			version: cairn_primitives::starknet::Felt::ZERO,
			nonce: message.nonce,
			contract_address: message.to_address,
			entry_point_selector: message.selector,
			calldata,
		};
		let call = pallet_starknet::Call::<Runtime>::l1_handler {
			transaction: transaction.clone(),
			paid_fee_on_l1,
		};
		let block = self.author().apply(call).await.map_err(devnet)?;
		let deps = self.deps();
		let indexed = deps.index.block(block).await.map_err(devnet)?;
		let tx = indexed
			.transactions
			.iter()
			.find(|tx| tx.transaction == Transaction::L1Handler(transaction.clone()))
			.ok_or_else(|| devnet(format!("block {block} lacks the l1_handler transaction")))?;
		Ok(TransactionHash { transaction_hash: tx.receipt.tx_hash })
	}

	/// `devnet_postmanConsumeMessageFromL2`.
	pub(super) async fn consume_from_l2(
		&self,
		from_address: cairn_primitives::starknet::Felt,
		to_address: cairn_primitives::starknet::Felt,
		payload: Vec<cairn_primitives::starknet::Felt>,
	) -> RpcResult<MessageHash> {
		if !is_l1_address(&to_address) {
			return Err(invalid(format!(
				"to_address {:#x} is not an Ethereum address",
				to_address.0
			)));
		}
		let mut record = self.postman_record().lock().await;
		let best: u64 = self.deps().client.info().best_number.into();
		for number in record.counted_to + 1..=best {
			let (_, block) = self.indexed_block(number).await.map_err(devnet)?;
			for tx in block.transactions.iter().filter(|tx| tx.receipt.revert_error.is_none()) {
				for message in &tx.receipt.messages {
					let hash = message_to_l1_hash(
						message.from_address,
						message.to_address,
						&message.payload,
					);
					*record.unconsumed.entry(hash).or_default() += 1;
				}
			}
			record.counted_to = number;
		}
		let hash = message_to_l1_hash(from_address, to_address, &payload);
		match record.unconsumed.get_mut(&hash) {
			Some(count) if *count > 0 => {
				*count -= 1;
				Ok(MessageHash { message_hash: cairn_primitives::hex(&hash) })
			}
			_ => Err(devnet(format!(
				"no message to L1 {} was sent that is not consumed yet",
				cairn_primitives::hex(&hash)
			))),
		}
	}
}

//! Messages from L1: what the node's L1 follower (`cairn-l1`) saw in the core contract's
//! `LogMessageToL2` events, handed to the runtime as the inherent [`INHERENT_IDENTIFIER`], which
//! executes each as an `l1_handler` transaction (`pallet-starknet`'s `consume_l1_messages`).
//!
//! The same inherent data, from an importing node's own L1 follower, is what it checks a block's
//! messages against: a message its L1 does not show refuses the block ([`L1InherentError`]).
use super::{Felt, L1HandlerTransaction};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// The inherent's identifier: the messages the node's L1 follower saw, confirmed.
pub const INHERENT_IDENTIFIER: [u8; 8] = *b"cairnl1m";

/// At most this many messages go into one block (the rest wait for the next).
pub const MAX_L1_MESSAGES_PER_BLOCK: usize = 32;

/// At most this many payload words per message (the core contract's own limit).
pub const MAX_L1_MESSAGE_PAYLOAD: usize = 1024;

/// A message to L2, as the core contract's `LogMessageToL2` event carried it, with where on L1
/// it was seen.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct L1Message {
	/// The L1 transaction that sent it.
	pub l1_transaction_hash: [u8; 32],
	/// The L1 block that holds it.
	pub l1_block_number: u64,
	/// The L1 sender (an Ethereum address, as a felt).
	pub from_address: Felt,
	/// The L2 contract.
	pub to_address: Felt,
	/// The `l1_handler` entry point.
	pub selector: Felt,
	pub payload: Vec<Felt>,
	/// The core contract's message nonce: unique per message.
	pub nonce: Felt,
	/// The fee paid on L1 (wei).
	pub paid_fee_on_l1: u128,
}

impl L1Message {
	/// The `l1_handler` transaction it becomes: version 0, the message's nonce, calldata the L1
	/// sender then the payload (Starknet's rules, so its hash is Starknet's).
	pub fn transaction(&self) -> L1HandlerTransaction {
		let mut calldata = Vec::with_capacity(self.payload.len() + 1);
		calldata.push(self.from_address);
		calldata.extend_from_slice(&self.payload);
		L1HandlerTransaction {
			version: Felt::ZERO,
			nonce: self.nonce,
			contract_address: self.to_address,
			entry_point_selector: self.selector,
			calldata,
		}
	}

	/// The message's hash as the core contract keeps it ([`message_hash`]).
	pub fn message_hash(&self) -> [u8; 32] {
		message_hash(self.from_address, self.to_address, self.nonce, self.selector, &self.payload)
	}
}

/// The hash of the message an `l1_handler` transaction carries (its calldata starts with the L1
/// sender), as the core contract keeps it; `None` without calldata.
pub fn l1_handler_message_hash(tx: &L1HandlerTransaction) -> Option<[u8; 32]> {
	let (from, payload) = tx.calldata.split_first()?;
	Some(message_hash(*from, tx.contract_address, tx.nonce, tx.entry_point_selector, payload))
}

/// Starknet's hash of a message to L2: keccak256(from, to, nonce, selector, payload length,
/// payload), each a 32-byte big-endian word.
pub fn message_hash(
	from_address: Felt,
	to_address: Felt,
	nonce: Felt,
	selector: Felt,
	payload: &[Felt],
) -> [u8; 32] {
	keccak_words(&[from_address, to_address, nonce, selector], payload)
}

/// Starknet's hash of a message to L1, as the core contract checks it when the L1 recipient
/// consumes it: keccak256(from (the L2 contract), to (the L1 address), payload length, payload),
/// each a 32-byte big-endian word.
pub fn message_to_l1_hash(from_address: Felt, to_address: Felt, payload: &[Felt]) -> [u8; 32] {
	keccak_words(&[from_address, to_address], payload)
}

/// keccak256 of `head`, the payload's length and the payload, each a 32-byte big-endian word
/// (Solidity's `abi.encodePacked` of `uint256`s).
fn keccak_words(head: &[Felt], payload: &[Felt]) -> [u8; 32] {
	let mut words = Vec::with_capacity(32 * (head.len() + 1 + payload.len()));
	let mut length = [0u8; 32];
	length[24..].copy_from_slice(&(payload.len() as u64).to_be_bytes());
	for word in head {
		words.extend_from_slice(&word.to_bytes());
	}
	words.extend_from_slice(&length);
	for word in payload {
		words.extend_from_slice(&word.to_bytes());
	}
	sp_core::hashing::keccak_256(&words)
}

/// Why an importing node refuses a block's L1 messages.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum L1InherentError {
	/// The importer's L1 shows no such message (nonce given): made up, or from an L1 fork.
	UnknownMessage(Felt),
}

impl frame_support::inherent::IsFatalError for L1InherentError {
	fn is_fatal_error(&self) -> bool {
		true
	}
}

//! Messages from L1 (see [`cairn_primitives::starknet::l1`]): the inherent that carries the
//! messages the block author's L1 follower saw, each executed as an `l1_handler` transaction
//! once and only once ([`L1MessagesConsumed`] keeps every consumed nonce), and the check an
//! importing node makes against its own L1 view.
//!
//! - A message whose `l1_handler` executes (or reverts) is committed like any transaction: its
//!   receipt, its state diff, its fee (which the L1 fee paid for: blockifier refuses a message
//!   whose paid fee does not cover its execution).
//! - A message the executor refuses (unknown contract or entry point, a fee paid on L1 below
//!   its cost) is consumed all the same, with [`Event::L1MessageRefused`]: it is not retried
//!   block after block. On L1 its sender can cancel it.
//! - A block repeats no consumed nonce: the dispatch fails, and with it the block.
//! - A block spends at most [`L1_MESSAGES_L2_GAS`] on messages; the ones after wait for the next
//!   block (the author's `create_inherent` offers them again).
use crate::{pallet::*, weights, weights::WeightInfo, Config};
use alloc::vec::Vec;
use cairn_primitives::starknet::{
	exec::{ExecMode, ExecRequest},
	l1::{L1InherentError, L1Message, MAX_L1_MESSAGES_PER_BLOCK, MAX_L1_MESSAGE_PAYLOAD},
	Transaction,
};
use frame_support::{dispatch::DispatchResultWithPostInfo, weights::Weight};

/// The L2 gas after which a block takes no more messages from L1 (a quarter second at
/// [`weights::REF_TIME_PER_L2_GAS`], an eighth of a block's weight: the inherent is mandatory,
/// and what it declares leaves the rest of the block to users' transactions; the message that
/// crosses the line may overshoot it by its own gas, which its actual weight then counts).
pub const L1_MESSAGES_L2_GAS: u64 = 100_000_000;

impl<T: Config> Pallet<T> {
	/// The messages of `offered` the block can take: not consumed yet, not repeated, within the
	/// payload limit, in nonce order, at most [`MAX_L1_MESSAGES_PER_BLOCK`].
	pub(crate) fn l1_messages_to_include(mut offered: Vec<L1Message>) -> Vec<L1Message> {
		offered.sort_by_key(|message| message.nonce);
		offered.dedup_by_key(|message| message.nonce);
		offered.retain(|message| {
			message.payload.len() <= MAX_L1_MESSAGE_PAYLOAD
				&& !L1MessagesConsumed::<T>::contains_key(message.nonce)
		});
		offered.truncate(MAX_L1_MESSAGES_PER_BLOCK);
		offered
	}

	/// The weight of consuming `count` messages, at most (their L2 gas is bounded by
	/// [`L1_MESSAGES_L2_GAS`] plus the last message's).
	pub(crate) fn l1_messages_weight(count: usize) -> Weight {
		Self::l1_messages_weight_with(count, L1_MESSAGES_L2_GAS)
	}

	/// The weight of `count` messages that used `l2_gas` in all.
	fn l1_messages_weight_with(count: usize, l2_gas: u64) -> Weight {
		T::WeightInfo::l1_handler()
			.saturating_mul(count as u64)
			.saturating_add(weights::l2_gas_weight(l2_gas))
	}

	/// The inherent's dispatch: each message executed as an `l1_handler` transaction, in order,
	/// until the block's message gas is spent.
	pub(crate) fn consume(messages: Vec<L1Message>) -> DispatchResultWithPostInfo {
		frame_support::ensure!(
			messages.len() <= MAX_L1_MESSAGES_PER_BLOCK,
			Error::<T>::TooManyL1Messages
		);
		let mut used_l2_gas = 0u64;
		let mut count = 0usize;
		let mut last_nonce = None;
		for message in messages {
			if used_l2_gas >= L1_MESSAGES_L2_GAS {
				break;
			}
			frame_support::ensure!(
				last_nonce.is_none_or(|last| message.nonce > last)
					&& message.payload.len() <= MAX_L1_MESSAGE_PAYLOAD,
				Error::<T>::Malformed
			);
			frame_support::ensure!(
				!L1MessagesConsumed::<T>::contains_key(message.nonce),
				Error::<T>::L1MessageAlreadyConsumed
			);
			last_nonce = Some(message.nonce);
			L1MessagesConsumed::<T>::insert(message.nonce, message.message_hash());
			count += 1;
			let tx = message.transaction();
			let outcome = Self::execute(ExecRequest {
				context: Self::block_context(),
				mode: ExecMode::Block,
				tx: Transaction::L1Handler(tx.clone()),
				class: None,
				paid_fee_on_l1: message.paid_fee_on_l1,
			});
			match outcome {
				Ok(outcome) => {
					used_l2_gas = used_l2_gas.saturating_add(outcome.gas.l2_gas);
					Self::deposit_event(Event::L1MessageConsumed {
						nonce: message.nonce,
						l1_transaction_hash: message.l1_transaction_hash,
						tx_hash: outcome.tx_hash,
					});
					Self::commit(&Transaction::L1Handler(tx), None, outcome);
				}
				Err(error) => {
					let error = Self::dispatch_error(error);
					Self::deposit_event(Event::L1MessageRefused {
						nonce: message.nonce,
						l1_transaction_hash: message.l1_transaction_hash,
						error,
					});
				}
			}
		}
		Ok(Some(Self::l1_messages_weight_with(count, used_l2_gas)).into())
	}

	/// An importer's check: every message of the block is one its own L1 follower saw
	/// (`seen`, its inherent data), field for field.
	pub(crate) fn check_l1_messages(
		messages: &[L1Message],
		seen: &[L1Message],
	) -> Result<(), L1InherentError> {
		for message in messages {
			if !seen.contains(message) {
				return Err(L1InherentError::UnknownMessage(message.nonce));
			}
		}
		Ok(())
	}
}

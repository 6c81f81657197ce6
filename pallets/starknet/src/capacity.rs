//! What one block's Starknet transactions may use together: Cairn's bouncer.
//!
//! Starknet's sequencer closes a block when blockifier's bouncer (`BouncerConfig`) says it is
//! full: Sierra gas, events, state-diff size, L2→L1 message segment, L1 gas, transaction count.
//! Cairn executes transaction by transaction through the host, so the runtime plays the bouncer
//! with the same dimensions ([`BlockCapacity`], in chain state: a genesis value, changed by root
//! through `set_block_capacity`), counted in [`BlockTotals`]:
//! - **before executing** (`pre_dispatch`), a transaction's L2 gas *bound* must fit in what the
//!   block has left, so building or importing a block never executes more than its capacity;
//! - **after executing**, what it actually used is counted; one that does not fit what is left
//!   waits for the next block (`ExhaustsResources`), one that would not fit even an empty block
//!   is refused (`ExceedsBlockLimits`, as blockifier's `TransactionTooLarge`).
//!
//! Sierra gas is time, so its capacity scales with the block time
//! ([`BlockCapacity::for_block_time`]: half the block time at [`REF_TIME_PER_L2_GAS`], the rest
//! left to importing, hashing and the pool); the other dimensions are sizes, whose limits are the
//! bouncer's defaults per block. Every node computes the same totals from the same block, so a
//! block over its capacity does not import.
use crate::weights::{REF_TIME_PER_L2_GAS, VALIDATE_MAX_L2_GAS};
use cairn_primitives::starknet::{exec::ExecOutcome, Transaction};
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// The most one block's Starknet transactions may use together (the fields of blockifier's
/// `BouncerWeights` that Cairn counts).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BlockCapacity {
	/// L2 (Sierra) gas: execution time.
	pub l2_gas: u64,
	/// L1 gas (L2→L1 messages, data availability in calldata).
	pub l1_gas: u64,
	/// Starknet transactions.
	pub transactions: u32,
	/// Events emitted.
	pub events: u32,
	/// State-diff entries: storage writes, nonces, deployed contracts, declared classes.
	pub state_diff_size: u32,
	/// Felts of the L2→L1 message segment (each message's payload and its 3-felt header).
	pub message_segment_length: u32,
}

/// Share of a block's time its Starknet execution may take, in percent.
pub const EXECUTION_SHARE_PERCENT: u64 = 50;

/// The block time the capacity defaults to when a chain's genesis sets none: Aura's 6 s slot
/// (the Substrate block weight then binds first).
pub const DEFAULT_BLOCK_TIME_MS: u64 = 6_000;

impl BlockCapacity {
	/// The capacity of a block made every `block_time_ms`: L2 gas for
	/// [`EXECUTION_SHARE_PERCENT`] of that time at [`REF_TIME_PER_L2_GAS`]; blockifier's default
	/// bouncer limits for the sizes.
	pub const fn for_block_time(block_time_ms: u64) -> Self {
		let picoseconds = block_time_ms.saturating_mul(1_000_000_000);
		BlockCapacity {
			l2_gas: picoseconds / 100 * EXECUTION_SHARE_PERCENT / REF_TIME_PER_L2_GAS,
			l1_gas: 2_500_000,
			transactions: 600,
			events: 5_000,
			state_diff_size: 4_000,
			message_segment_length: 3_700,
		}
	}

	/// Whether `totals` are within this capacity; if not, the first dimension exceeded.
	pub fn exceeded_by(&self, totals: &BlockTotals) -> Option<&'static str> {
		let checks = [
			(totals.l2_gas > self.l2_gas, "L2 gas"),
			(totals.l1_gas > self.l1_gas, "L1 gas"),
			(totals.transaction_count > self.transactions, "transactions"),
			(totals.event_count > self.events, "events"),
			(totals.state_diff_size > self.state_diff_size, "state-diff size"),
			(totals.message_segment_length > self.message_segment_length, "message segment"),
		];
		checks.into_iter().find(|(exceeded, _)| *exceeded).map(|(_, name)| name)
	}
}

impl Default for BlockCapacity {
	fn default() -> Self {
		BlockCapacity::for_block_time(DEFAULT_BLOCK_TIME_MS)
	}
}

/// Running totals of the block being built: what its Starknet transactions used.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, TypeInfo)]
pub struct BlockTotals {
	pub transaction_count: u32,
	pub event_count: u32,
	pub l2_gas: u64,
	pub l1_gas: u64,
	pub state_diff_size: u32,
	pub message_segment_length: u32,
}

/// The L2 gas `tx` may execute: its bound, and for a declare at most [`VALIDATE_MAX_L2_GAS`] of
/// it (only its validation executes; the rest of a declare's gas prices its class's size, which
/// the Substrate weight and block length bound). Unbounded for an L1 handler.
pub fn executed_l2_gas_bound(tx: &Transaction) -> u64 {
	let Some(bound) = tx.resource_bounds().map(|bounds| bounds.l2_gas()) else {
		return u64::MAX;
	};
	match tx {
		Transaction::Declare(_) => bound.min(VALIDATE_MAX_L2_GAS),
		_ => bound,
	}
}

/// Felts of an L2→L1 message's header in the message segment (from, to, payload length).
const MESSAGE_HEADER_FELTS: u32 = 3;

impl BlockTotals {
	/// What one executed transaction uses. Its L2 gas counts at most its executed bound
	/// ([`executed_l2_gas_bound`]): execution stops there, while the receipt may report a little
	/// more (the fee transfer after a transaction that ran out of gas: 116,864 over a 10⁸ bound
	/// for an endless loop), and a declare's receipt prices its class's size.
	pub fn of(tx: &Transaction, outcome: &ExecOutcome) -> Self {
		let diff = &outcome.state_diff;
		let state_diff_size = diff.storage.len()
			+ diff.nonces.len()
			+ diff.class_hashes.len()
			+ diff.compiled_class_hashes.len();
		let message_segment_length = outcome
			.messages
			.iter()
			.map(|m| m.payload.len() as u32 + MESSAGE_HEADER_FELTS)
			.fold(0u32, u32::saturating_add);
		BlockTotals {
			transaction_count: 1,
			event_count: outcome.events.len() as u32,
			l2_gas: outcome.gas.l2_gas.min(executed_l2_gas_bound(tx)),
			l1_gas: outcome.gas.l1_gas,
			state_diff_size: state_diff_size as u32,
			message_segment_length,
		}
	}

	/// These totals and `other`'s.
	pub fn plus(&self, other: &Self) -> Self {
		BlockTotals {
			transaction_count: self.transaction_count.saturating_add(other.transaction_count),
			event_count: self.event_count.saturating_add(other.event_count),
			l2_gas: self.l2_gas.saturating_add(other.l2_gas),
			l1_gas: self.l1_gas.saturating_add(other.l1_gas),
			state_diff_size: self.state_diff_size.saturating_add(other.state_diff_size),
			message_segment_length: self
				.message_segment_length
				.saturating_add(other.message_segment_length),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn capacity_scales_with_the_block_time() {
		// 500 ms blocks: 250 ms of Sierra gas at 2,500 ps per gas.
		assert_eq!(BlockCapacity::for_block_time(500).l2_gas, 100_000_000);
		assert_eq!(BlockCapacity::for_block_time(1_000).l2_gas, 200_000_000);
		assert_eq!(BlockCapacity::default().l2_gas, 1_200_000_000);
		assert_eq!(BlockCapacity::for_block_time(u64::MAX).l2_gas, u64::MAX / 100 * 50 / 2_500);
	}

	#[test]
	fn the_first_dimension_exceeded_is_named() {
		let capacity = BlockCapacity::for_block_time(500);
		let within =
			BlockTotals { l2_gas: 100_000_000, transaction_count: 600, ..Default::default() };
		assert_eq!(capacity.exceeded_by(&within), None);
		let over = BlockTotals { event_count: 5_001, ..within };
		assert_eq!(capacity.exceeded_by(&over), Some("events"));
		let over = within.plus(&BlockTotals { l2_gas: 1, ..Default::default() });
		assert_eq!(capacity.exceeded_by(&over), Some("L2 gas"));
	}
}

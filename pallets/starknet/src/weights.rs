//! Weights of pallet-starknet's calls, and so how much Starknet work one block holds.
//!
//! A Starknet transaction's weight is a fixed part (hashing, decoding, state writes) plus its
//! **L2 gas bound** × [`REF_TIME_PER_L2_GAS`], and a declare's class size; after dispatch the
//! weight is corrected to the L2 gas the transaction actually used, so a block is filled by what
//! its transactions consumed, not by what they allowed themselves. Substrate's block weight limit
//! then plays the part of blockifier's bouncer for Sierra gas: a transaction whose bound does
//! not fit in what remains waits for the next block, and one whose bound exceeds one block's
//! capacity ([`l2_gas_capacity`]) is refused at admission. A declare is the exception: only its
//! validation executes, so its weight counts at most [`VALIDATE_MAX_L2_GAS`] of its bound (the
//! rest of a declare's gas prices its class's size, which its class length weighs). Execution is paid in the host, so
//! these figures are what bounds the time a block takes to build and to import.
//!
//! The rate is measured with `scripts/bench`'s transfers on the development machine (see
//! [`REF_TIME_PER_L2_GAS`]), with headroom; the weights are the same on every node, as they must
//! be. (They are set by hand from those measurements: the pallet has no frame-benchmarking
//! `benchmarking.rs` yet, since its cost is the host's, not the runtime's.)
use frame_support::{traits::Get, weights::Weight};

/// Weight functions of the calls. `l2_gas` is the transaction's L2 gas bound (before dispatch)
/// or the L2 gas it consumed (after).
pub trait WeightInfo {
	fn invoke(l2_gas: u64) -> Weight;
	fn declare(class_len: u32, l2_gas: u64) -> Weight;
	fn deploy_account(l2_gas: u64) -> Weight;
	fn l1_handler() -> Weight;
	fn set_chain_configuration() -> Weight;
}

const MICROSECOND: u64 = 1_000_000;
const MILLISECOND: u64 = 1_000 * MICROSECOND;

/// Picoseconds of execution per unit of L2 (Sierra) gas, with a margin of about 1.3×: an ERC-20
/// transfer through an account (validation, signature, fee transfer) uses 1,127,232 L2 gas and
/// executes in about 2.2 ms on the development machine (`scripts/bench`'s raw blockifier, 444–458
/// transfers/s on one core), about 1,950 ps per gas. Transfers are the dear end: their gas is
/// mostly syscalls and builtins, while plain Cairo steps (100 gas each, ~15 M steps/s) cost
/// under 1,000 ps per gas.
pub const REF_TIME_PER_L2_GAS: u64 = 2_500;

/// The most Sierra gas `__validate__` may use (blockifier's versioned constants for Starknet
/// 0.14.1: `validate_max_sierra_gas`). A declare executes only `__validate_declare__`: the rest of
/// its L2 gas is the price of the class's size, whose cost here (compiling, storing) its class
/// length already weighs. So a declare's weight counts at most this much of its gas.
pub const VALIDATE_MAX_L2_GAS: u64 = 100_000_000;

/// The weight of `l2_gas` units of L2 gas.
pub fn l2_gas_weight(l2_gas: u64) -> Weight {
	Weight::from_parts(l2_gas.saturating_mul(REF_TIME_PER_L2_GAS), 0)
}

/// The most L2 gas one transaction of fixed weight `base` may bound itself to: what one
/// normal-class extrinsic may weigh, less `base`.
pub fn l2_gas_capacity<T: frame_system::Config>(base: Weight) -> u64 {
	let max = T::BlockWeights::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.max_extrinsic
		.unwrap_or_else(|| T::BlockWeights::get().max_block);
	max.ref_time().saturating_sub(base.ref_time()) / REF_TIME_PER_L2_GAS
}

/// The weights used by the Cairn runtime.
pub struct CairnWeight;

impl WeightInfo for CairnWeight {
	fn invoke(l2_gas: u64) -> Weight {
		Weight::from_parts(500 * MICROSECOND, 64 * 1024).saturating_add(l2_gas_weight(l2_gas))
	}

	/// Compiling Sierra dominates: about a millisecond per 10 KB of class JSON, plus the
	/// validation (at most [`VALIDATE_MAX_L2_GAS`] of its gas).
	fn declare(class_len: u32, l2_gas: u64) -> Weight {
		Weight::from_parts(20 * MILLISECOND + u64::from(class_len) * 100_000, 64 * 1024)
			.saturating_add(Weight::from_parts(0, u64::from(class_len)))
			.saturating_add(l2_gas_weight(l2_gas.min(VALIDATE_MAX_L2_GAS)))
	}

	fn deploy_account(l2_gas: u64) -> Weight {
		Weight::from_parts(MILLISECOND, 64 * 1024).saturating_add(l2_gas_weight(l2_gas))
	}

	fn l1_handler() -> Weight {
		Weight::from_parts(2 * MILLISECOND, 64 * 1024)
	}

	fn set_chain_configuration() -> Weight {
		Weight::from_parts(MILLISECOND / 100, 1024)
	}
}

impl WeightInfo for () {
	fn invoke(l2_gas: u64) -> Weight {
		CairnWeight::invoke(l2_gas)
	}

	fn declare(class_len: u32, l2_gas: u64) -> Weight {
		CairnWeight::declare(class_len, l2_gas)
	}

	fn deploy_account(l2_gas: u64) -> Weight {
		CairnWeight::deploy_account(l2_gas)
	}

	fn l1_handler() -> Weight {
		CairnWeight::l1_handler()
	}

	fn set_chain_configuration() -> Weight {
		CairnWeight::set_chain_configuration()
	}
}

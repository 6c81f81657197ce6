//! What development tooling changes through root calls (the node's `devnet_*` and `dev_*`
//! methods author them, signed by a development chain's sudo key): storage written directly,
//! u256 amounts credited (how a token is minted), and the Starknet clock and gas prices of the
//! blocks to come.
//!
//! Every change is chain history: replayed on import, exported with the blocks, identical on
//! every node. Storage writes enter the block's state diff, so the state commitment and the
//! state update include them. Clock and prices change **from the block after** the one carrying
//! the call, never within a block: every transaction of a block executes with the timestamp and
//! prices its header states.
//!
//! ## The Starknet clock
//! A block's Starknet timestamp is its Substrate timestamp (seconds) plus [`TimeOffset`]. The
//! offset only moves the clock forward: an increase adds to it; a set time `t` (refused unless
//! later than the current block's timestamp) becomes the offset that makes the next block's
//! timestamp exactly `t` — resolved with that block's own Substrate time, which is known once its
//! timestamp inherent ran, before any Starknet transaction — and later blocks keep it.
use crate::{pallet::*, Config};
use alloc::vec::Vec;
use cairn_primitives::starknet::{exec::StateDiff, Felt};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::traits::Time;
use scale_info::TypeInfo;
use sp_runtime::traits::UniqueSaturatedInto;

/// Most storage writes or credited keys in one call.
pub const MAX_WRITES: u32 = 256;

/// A change of the Starknet clock.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum ClockChange {
	/// Move the clock forward by this many seconds.
	Increase(u64),
	/// The next block's timestamp is exactly this (Unix seconds).
	At(u64),
}

/// What the blocks after the current one change: their clock, their gas prices.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct NextBlocks {
	pub clock: Option<ClockChange>,
	pub gas_prices: Option<cairn_primitives::starknet::exec::GasPrices>,
}

impl<T: Config> Pallet<T> {
	fn current_number() -> u64 {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// The current block's Starknet timestamp (Unix seconds).
	pub fn starknet_timestamp() -> u64 {
		let base = T::Time::now() / 1000;
		base.saturating_add(Self::time_offset(base))
	}

	/// The clock's offset in the current block, whose Substrate time is `base` seconds: the
	/// stored one, or a change asked for in an earlier block and due now.
	fn time_offset(base: u64) -> u64 {
		let offset = TimeOffset::<T>::get();
		match Upcoming::<T>::get() {
			Some((asked_in, NextBlocks { clock: Some(change), .. }))
				if asked_in < Self::current_number() =>
			{
				match change {
					ClockChange::Increase(seconds) => offset.saturating_add(seconds),
					ClockChange::At(timestamp) => timestamp.saturating_sub(base),
				}
			}
			_ => offset,
		}
	}

	/// At a block's start: the gas prices asked for in an earlier block take effect.
	pub(crate) fn start_upcoming() {
		if let Some((asked_in, NextBlocks { gas_prices: Some(prices), .. })) = Upcoming::<T>::get()
		{
			if asked_in < Self::current_number() {
				ChainConfiguration::<T>::mutate(|config| config.gas_prices = prices);
			}
		}
	}

	/// At a block's end, once its timestamp is sealed: a clock change due in it is kept for
	/// the blocks after, and the upcoming changes are done.
	pub(crate) fn settle_upcoming() {
		if matches!(Upcoming::<T>::get(), Some((asked_in, _)) if asked_in < Self::current_number())
		{
			TimeOffset::<T>::put(Self::time_offset(T::Time::now() / 1000));
			Upcoming::<T>::kill();
		}
	}

	/// Adds `change` to what the blocks after this one change (a later call of the same block
	/// overrides prices, and adds to or replaces the clock change).
	pub(crate) fn ask_upcoming(change: NextBlocks) -> Result<(), Error<T>> {
		let number = Self::current_number();
		let mut upcoming = match Upcoming::<T>::get() {
			Some((asked_in, upcoming)) if asked_in == number => upcoming,
			// One asked in an earlier block is due in this one, which already runs on it: its
			// prices were applied at the block's start; its clock is kept now (the same offset
			// this block's timestamp has), before this block asks for more.
			Some(_) => {
				TimeOffset::<T>::put(Self::time_offset(T::Time::now() / 1000));
				NextBlocks::default()
			}
			None => NextBlocks::default(),
		};
		let now = Self::starknet_timestamp();
		upcoming.clock = match (upcoming.clock, change.clock) {
			(clock, None) => clock,
			(_, Some(ClockChange::At(timestamp))) if timestamp <= now => {
				return Err(Error::<T>::TimeInThePast)
			}
			(_, Some(ClockChange::At(timestamp))) => Some(ClockChange::At(timestamp)),
			(Some(ClockChange::Increase(a)), Some(ClockChange::Increase(b))) => {
				Some(ClockChange::Increase(a.saturating_add(b)))
			}
			(Some(ClockChange::At(at)), Some(ClockChange::Increase(b))) => {
				Some(ClockChange::At(at.saturating_add(b)))
			}
			(None, increase) => increase,
		};
		if let Some(prices) = change.gas_prices {
			upcoming.gas_prices = Some(prices);
		}
		Upcoming::<T>::put((number, upcoming));
		Ok(())
	}

	/// Writes `(contract, key, value)` into contract storage, recorded in the block's state diff.
	pub(crate) fn write_storage(writes: Vec<(Felt, Felt, Felt)>) {
		for &(contract, key, value) in &writes {
			if value == Felt::ZERO {
				ContractStorage::<T>::remove(contract, key);
			} else {
				ContractStorage::<T>::insert(contract, key, value);
			}
		}
		StateDiffs::<T>::append(StateDiff { storage: writes, ..Default::default() });
	}

	/// Adds `amount` to the u256 stored at each of `keys` of `contract` (low 128 bits at the
	/// key, high 128 bits at the next one): ERC-20 balances and total supply.
	pub(crate) fn credit_u256(contract: Felt, keys: &[Felt], amount: u128) -> Result<(), Error<T>> {
		let word = |key: Felt| -> Result<u128, Error<T>> {
			let value = ContractStorage::<T>::get(contract, key).unwrap_or(Felt::ZERO);
			value.to_u128().ok_or(Error::<T>::NotAU256)
		};
		let mut writes = Vec::with_capacity(keys.len() * 2);
		for &key in keys {
			let high_key = key.next();
			let (low, high) = (word(key)?, word(high_key)?);
			let (low, carry) = low.overflowing_add(amount);
			let high = high.checked_add(u128::from(carry)).ok_or(Error::<T>::Overflow)?;
			writes.push((contract, key, Felt::from(low)));
			writes.push((contract, high_key, Felt::from(high)));
		}
		Self::write_storage(writes);
		Ok(())
	}
}

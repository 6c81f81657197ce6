//! How blocks are authored, as set at genesis: Aura's slot duration (the block time of an Aura +
//! GRANDPA network, sequencer mode included) and whether several blocks may share one slot.
//!
//! - **Slot duration**: a genesis value (`slot_duration`, milliseconds; absent: the 6 s
//!   `SLOT_DURATION`), the same for every node because it is chain state. It never changes
//!   afterwards: no call sets it, and Aura derives every block's slot from the timestamp and this
//!   duration, so changing it on a running chain would move the slot numbers under the blocks
//!   already made (Aura refuses a slot that does not grow).
//! - **Several blocks per slot**: development chains (sealed on demand: instant, manual, every
//!   100 ms) need it; Aura + GRANDPA networks must not allow it, or an authority could fill its
//!   slot with any number of blocks. Set by the genesis preset (`development`: yes, the others:
//!   no); root can change it with `system.setStorage`.
pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// Whether several blocks may share one Aura slot.
	#[pallet::storage]
	pub type MultipleBlocksPerSlot<T> = StorageValue<_, bool, ValueQuery>;

	/// Aura's slot duration in milliseconds, set at genesis; absent on chains made before it
	/// existed, which run [`cairn_primitives::SLOT_DURATION`].
	#[pallet::storage]
	pub type SlotDurationMs<T> = StorageValue<_, u64, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Whether several blocks may share one Aura slot (development sealing).
		pub multiple_blocks_per_slot: bool,
		/// Aura's slot duration, the block time of an Aura + GRANDPA chain, in milliseconds;
		/// `None`: [`cairn_primitives::SLOT_DURATION`] (6 s).
		pub slot_duration: Option<u64>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			MultipleBlocksPerSlot::<T>::put(self.multiple_blocks_per_slot);
			if let Some(ms) = self.slot_duration {
				// Aura divides by it.
				assert!(ms > 0, "the slot duration must be at least 1 ms");
				SlotDurationMs::<T>::put(ms);
			}
		}
	}

	/// `pallet_aura::Config::SlotDuration`, read from storage.
	pub struct SlotDuration<T>(core::marker::PhantomData<T>);

	impl<T: Config> Get<u64> for SlotDuration<T> {
		fn get() -> u64 {
			SlotDurationMs::<T>::get().unwrap_or(cairn_primitives::SLOT_DURATION)
		}
	}

	/// `pallet_aura::Config::AllowMultipleBlocksPerSlot`, read from storage.
	pub struct AllowMultipleBlocksPerSlot<T>(core::marker::PhantomData<T>);

	impl<T: Config> Get<bool> for AllowMultipleBlocksPerSlot<T> {
		fn get() -> bool {
			MultipleBlocksPerSlot::<T>::get()
		}
	}
}

//! Whether several blocks may share one Aura slot. Development chains (sealed on demand: instant,
//! manual, every 100 ms) need it; Aura + GRANDPA networks must not allow it, or an authority could
//! fill its slot with any number of blocks. Set by the genesis preset (`development`: yes,
//! `local_testnet`: no); root can change it with `system.setStorage`.
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

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Whether several blocks may share one Aura slot (development sealing).
		pub multiple_blocks_per_slot: bool,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			MultipleBlocksPerSlot::<T>::put(self.multiple_blocks_per_slot);
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

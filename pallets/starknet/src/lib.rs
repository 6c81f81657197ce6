//! # pallet-starknet
//!
//! Owns the Starknet side of a Cairn chain inside the (upgradable, wasm) runtime: Starknet state
//! (contracts, classes, nonces, storage), the Starknet transactions as extrinsics, the block
//! context, and the call into the native executor (blockifier, through host functions).
//!
//! This is the foundation stage: the pallet is wired into the runtime (it has its index, appears in
//! the metadata, and its genesis section exists in the chain spec) so that the chain's layout and
//! spec format do not change when the execution work fills it in.
#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// Genesis section of the chain spec (empty for now; declared classes, fee tokens and
	/// predeployed accounts go here).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {}
	}
}

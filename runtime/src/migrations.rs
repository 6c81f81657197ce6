//! What an upgrade to this runtime version changes in storage, run once by `Executive` in the
//! first block the new code executes.
//!
//! The `next-version` build (package `cairn-runtime-next`, used by the forkless-upgrade test and
//! as the pattern for a chain's own upgrades) carries one runtime-owned behaviour change: it
//! doubles the Starknet L2 gas price of the chain configuration, which every later Starknet block
//! executes with (visible in block headers and fee estimates over JSON-RPC).
use frame_support::{traits::OnRuntimeUpgrade, weights::Weight};

/// The migrations of this version.
#[cfg(not(feature = "next-version"))]
pub type Migrations = ();

/// The migrations of the next version.
#[cfg(feature = "next-version")]
pub type Migrations = (DoubleL2GasPrice,);

/// Doubles the L2 gas price (FRI and WEI) Starknet blocks execute with.
pub struct DoubleL2GasPrice;

impl OnRuntimeUpgrade for DoubleL2GasPrice {
	fn on_runtime_upgrade() -> Weight {
		pallet_starknet::ChainConfiguration::<crate::Runtime>::mutate(|config| {
			let prices = &mut config.gas_prices;
			prices.l2_gas_price_fri = prices.l2_gas_price_fri.saturating_mul(2);
			prices.l2_gas_price_wei = prices.l2_gas_price_wei.saturating_mul(2);
		});
		<crate::Runtime as frame_system::Config>::DbWeight::get().reads_writes(1, 1)
	}
}

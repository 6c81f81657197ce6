//! Weights of pallet-starknet's calls.
//!
//! Provisional: set by hand from executions measured on the development machine (an ERC-20
//! transfer executes in well under a millisecond in a release build), with headroom, until the
//! benchmarking work measures them. The executor's cost is paid in the host, so these figures are
//! what bounds how many Starknet transactions one block holds: 2 s of normal-class weight per
//! block at 75% fits 750 invokes.
use frame_support::weights::Weight;

/// Weight functions of the calls.
pub trait WeightInfo {
	fn invoke() -> Weight;
	fn declare(class_len: u32) -> Weight;
	fn deploy_account() -> Weight;
	fn l1_handler() -> Weight;
	fn set_chain_configuration() -> Weight;
}

const MILLISECOND: u64 = 1_000_000_000;

/// The weights used by the Cairn runtime.
pub struct CairnWeight;

impl WeightInfo for CairnWeight {
	fn invoke() -> Weight {
		Weight::from_parts(2 * MILLISECOND, 64 * 1024)
	}

	/// Compiling Sierra dominates: about a millisecond per 10 KB of class JSON, plus execution.
	fn declare(class_len: u32) -> Weight {
		Weight::from_parts(20 * MILLISECOND + u64::from(class_len) * 100_000, 64 * 1024)
			.saturating_add(Weight::from_parts(0, u64::from(class_len)))
	}

	fn deploy_account() -> Weight {
		Weight::from_parts(3 * MILLISECOND, 64 * 1024)
	}

	fn l1_handler() -> Weight {
		Weight::from_parts(2 * MILLISECOND, 64 * 1024)
	}

	fn set_chain_configuration() -> Weight {
		Weight::from_parts(MILLISECOND / 100, 1024)
	}
}

impl WeightInfo for () {
	fn invoke() -> Weight {
		CairnWeight::invoke()
	}

	fn declare(class_len: u32) -> Weight {
		CairnWeight::declare(class_len)
	}

	fn deploy_account() -> Weight {
		CairnWeight::deploy_account()
	}

	fn l1_handler() -> Weight {
		CairnWeight::l1_handler()
	}

	fn set_chain_configuration() -> Weight {
		CairnWeight::set_chain_configuration()
	}
}

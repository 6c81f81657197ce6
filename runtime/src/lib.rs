//! # cairn-runtime
//!
//! The Cairn FRAME runtime. It is built to wasm (the blob in `:code`, replaceable by a forkless
//! upgrade) and owns everything that must be agreed on by consensus and be upgradable without a node
//! release: block authoring rules (Aura, GRANDPA), the native token and fees policy, sudo on
//! development chains, and the Starknet state through `pallet-starknet`.
//!
//! Layout: `configs` configures each pallet, `apis` implements the runtime APIs the node calls,
//! `genesis_config_presets` holds the `development` and `local_testnet` genesis presets, and
//! `block_authoring` is the one runtime-local pallet (whether blocks may share an Aura slot),
//! `migrations` what an upgrade to this version changes in storage.
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`/`impl_runtime_apis` expand to code the workspace lints would flag.
#![allow(clippy::all)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;
// The runtime macros name `Vec` unqualified.
use alloc::vec::Vec;

pub mod apis;
pub mod block_authoring;
mod configs;
pub mod genesis_config_presets;
pub mod migrations;

use sp_runtime::{generic, impl_opaque_keys, MultiAddress};
use sp_version::{runtime_version, RuntimeVersion};

pub use cairn_primitives::{
	AccountId, Balance, BlockNumber, Hash, Nonce, Signature, EXISTENTIAL_DEPOSIT, SLOT_DURATION,
	UNIT,
};
pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
#[cfg(feature = "std")]
pub use sp_runtime::BuildStorage;

/// Types the node uses without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use cairn_primitives::{Block, BlockId, Header};
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	impl_opaque_keys! {
		/// The session keys of a validator: Aura for authoring, GRANDPA for finality.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}

/// The runtime's version. `spec_version` must grow with every upgrade that changes behaviour; the
/// node refuses a `:code` whose `spec_name` differs or whose `spec_version` is not higher. The
/// `next-version` build (package `cairn-runtime-next`) is always this version + 1.
#[cfg(not(feature = "next-version"))]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("cairn"),
	impl_name: alloc::borrow::Cow::Borrowed("cairn"),
	authoring_version: 1,
	spec_version: 100,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The next runtime version (see the `next-version` feature).
#[cfg(feature = "next-version")]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("cairn"),
	impl_name: alloc::borrow::Cow::Borrowed("cairn"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The version a native build reports (the node always executes the wasm).
#[cfg(feature = "std")]
pub fn native_version() -> sp_version::NativeVersion {
	sp_version::NativeVersion { runtime_version: VERSION, can_author_with: Default::default() }
}

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(7)]
	pub type BlockAuthoring = crate::block_authoring;
	#[runtime::pallet_index(10)]
	pub type Starknet = pallet_starknet;
}

/// The address format of Substrate extrinsics.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header as the runtime sees it.
pub type Header = cairn_primitives::Header;
/// Block as the runtime sees it.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// The transaction extensions checked on every signed Substrate extrinsic.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);
/// Extrinsic as the runtime decodes it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload signed by a Substrate extrinsic's sender.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// `call` signed by `signer` at `nonce`, immortal and without tip, for the chain whose genesis
/// hash is `genesis` at runtime version `(spec_version, transaction_version)`: the extrinsic a
/// wallet makes. (The node signs its
/// development sudo calls with it, the tests their transfers.)
#[cfg(feature = "std")]
pub fn signed_extrinsic(
	call: RuntimeCall,
	signer: sp_keyring::Sr25519Keyring,
	nonce: Nonce,
	genesis: Hash,
	(spec_version, transaction_version): (u32, u32),
) -> UncheckedExtrinsic {
	use codec::Encode;
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
	);
	let implicit = ((), spec_version, transaction_version, genesis, genesis, (), (), ());
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(call, signer.to_account_id().into(), signature.into(), extension)
}
/// Dispatches extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	migrations::Migrations,
>;

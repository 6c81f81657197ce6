//! A minimal runtime around the pallet for its tests: system, timestamp and Starknet, with the
//! real executor (the host functions run natively in tests, through the extension the node
//! registers too) and a development genesis.
use crate as pallet_starknet;
use cairn_executor::dev_genesis::{dev_genesis, DevAccount};
use cairn_primitives::starknet::{exec::ChainConfig, genesis::GenesisState};
use frame_support::{derive_impl, traits::ConstU64};
use sp_runtime::BuildStorage;
use std::sync::LazyLock;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Starknet: pallet_starknet,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

impl pallet_starknet::Config for Test {
	type Time = Timestamp;
	type WeightInfo = ();
}

/// The development genesis with three accounts, built once per test process (it compiles four
/// classes).
pub static DEV: LazyLock<(GenesisState, Vec<DevAccount>)> = LazyLock::new(|| {
	dev_genesis(ChainConfig::default(), 0, 3).expect("the development genesis builds")
});

/// Unix milliseconds of the first test block.
pub const NOW_MS: u64 = 1_767_225_600_000;

/// Externalities holding `state` at genesis, at block 1.
pub fn new_test_ext(state: GenesisState) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_starknet::GenesisConfig::<Test> { state: Some(state), ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(cairn_executor::extension());
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW_MS);
	});
	ext
}

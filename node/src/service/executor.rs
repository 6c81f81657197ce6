//! The native Starknet executor plugged into the runtime: the host functions the wasm runtime may
//! import, and the externalities extension that answers the Starknet ones with `cairn-executor`'s
//! blockifier on every runtime call the client makes.
use cairn_primitives::{starknet::host::StarknetExecutorExt, Block, BlockNumber, Hash};
use std::sync::Arc;

/// The host functions the runtime may call: Substrate's, the Starknet executor's (blockifier)
/// and the state commitment's.
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	cairn_primitives::starknet::host::starknet_executor::HostFunctions,
	cairn_commitment::host::starknet_commitment::HostFunctions,
);

/// The hidden subcommand the isolated Sierra compiler runs as (`cairn compile-class`).
pub const COMPILE_SUBCOMMAND: &str = "compile-class";

/// Plugs `cairn-executor`'s blockifier into the runtime's Starknet host functions
/// (`cairn_primitives::starknet::host`): an externalities extension on every runtime call.
/// Declares are compiled at admission by this same binary in a child process
/// (`cairn compile-class`) under CPU-time and memory limits.
pub struct StarknetExecution(Arc<cairn_executor::Blockifier>);

impl StarknetExecution {
	/// The executor, compiling admitted declares in a child of the running binary.
	pub fn new() -> Self {
		let isolation = std::env::current_exe()
			.map_err(|e| log::warn!("Sierra compiler not isolated (no path to this binary: {e})"))
			.ok()
			.map(|exe| cairn_executor::Isolation::new(exe, vec![COMPILE_SUBCOMMAND.into()]));
		StarknetExecution(Arc::new(cairn_executor::Blockifier { isolation }))
	}
}

impl sc_client_api::execution_extensions::ExtensionsFactory<Block> for StarknetExecution {
	fn extensions_for(
		&self,
		_block_hash: Hash,
		_block_number: BlockNumber,
	) -> sp_externalities::Extensions {
		let mut extensions = sp_externalities::Extensions::new();
		extensions.register(StarknetExecutorExt::new(self.0.clone()));
		extensions
	}
}

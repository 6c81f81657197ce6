//! The native Starknet executor plugged into the runtime: the host functions the wasm runtime may
//! import, and the externalities extension that answers the Starknet ones with `cairn-executor`'s
//! blockifier on every runtime call the client makes.
use cairn_primitives::{Block, BlockNumber, Hash};

/// The host functions the runtime may call: Substrate's, and the Starknet executor's (blockifier).
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	cairn_primitives::starknet::host::starknet_executor::HostFunctions,
);
/// Plugs `cairn-executor`'s blockifier into the runtime's Starknet host functions
/// (`cairn_primitives::starknet::host`): an externalities extension on every runtime call.
pub struct StarknetExecution;

impl sc_client_api::execution_extensions::ExtensionsFactory<Block> for StarknetExecution {
	fn extensions_for(
		&self,
		_block_hash: Hash,
		_block_number: BlockNumber,
	) -> sp_externalities::Extensions {
		let mut extensions = sp_externalities::Extensions::new();
		extensions.register(cairn_executor::extension());
		extensions
	}
}

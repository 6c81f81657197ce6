//! The core contract for an L1 a development chain loads at run time (`devnet_postmanLoad`):
//! deployed from the artifact `scripts/l1 compile` writes (its creation bytecode; the node carries
//! no compiled contract of its own), settled from the chain's newest finalized block with the
//! deploying account as sequencer — or an existing one, checked to hold code.
use crate::{contract::CairnCore, Settled};
use alloy::{
	contract::RawCallBuilder,
	network::EthereumWallet,
	primitives::{Address, Bytes, U256},
	providers::{Provider, ProviderBuilder},
	signers::local::PrivateKeySigner,
	sol_types::SolConstructor,
};

/// The first account of Anvil's (and Hardhat's) default mnemonic: the deployer and sequencer
/// when none is given, as starknet-devnet's postman assumes. A published test key.
pub const ANVIL_FIRST_KEY: &str =
	"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// The delay before a message to L2 may be cancelled, for a contract deployed here (one day,
/// as devnet's).
pub const CANCELLATION_DELAY_SECONDS: u64 = 24 * 60 * 60;

/// The L1 node's current block number.
pub async fn head(endpoint: &str) -> Result<u64, String> {
	crate::provider(endpoint)?
		.get_block_number()
		.await
		.map_err(|e| format!("the L1 at {endpoint}: {e}"))
}

/// Refuses an address that holds no contract.
pub async fn check_code(endpoint: &str, address: Address) -> Result<(), String> {
	let code = crate::provider(endpoint)?
		.get_code_at(address)
		.await
		.map_err(|e| format!("the L1 at {endpoint}: {e}"))?;
	if code.is_empty() {
		return Err(format!("{address:#x} holds no contract on the L1 at {endpoint}"));
	}
	Ok(())
}

/// The creation bytecode in the artifact at `path` (`{"bytecode": "0x…"}` or hex without `0x`).
pub fn bytecode(path: &std::path::Path) -> Result<Vec<u8>, String> {
	let text = std::fs::read_to_string(path).map_err(|e| {
		format!("the core contract's artifact {}: {e} (run scripts/l1 compile)", path.display())
	})?;
	let artifact: serde_json::Value = serde_json::from_str(&text)
		.map_err(|e| format!("the core contract's artifact {}: {e}", path.display()))?;
	let hex = artifact["bytecode"].as_str().ok_or_else(|| {
		format!("the core contract's artifact {} has no bytecode", path.display())
	})?;
	alloy::hex::decode(hex)
		.map_err(|e| format!("the core contract's artifact {}: bytecode: {e}", path.display()))
}

/// Deploys the core contract with `code` from `key`'s account (the sequencer), settled at
/// `genesis`: its address.
pub async fn deploy(
	endpoint: &str,
	key: &str,
	code: Vec<u8>,
	genesis: Settled,
) -> Result<Address, String> {
	let signer: PrivateKeySigner =
		key.trim().parse().map_err(|e| format!("the deployer's key: {e}"))?;
	let sequencer = signer.address();
	let provider = ProviderBuilder::new()
		.wallet(EthereumWallet::from(signer))
		.connect_http(crate::url(endpoint)?);
	let word = |felt: cairn_primitives::starknet::Felt| U256::from_be_bytes(felt.to_bytes());
	let arguments = CairnCore::constructorCall {
		sequencer_: sequencer,
		blockNumber: U256::from(genesis.block_number),
		blockHash: word(genesis.block_hash),
		root: word(genesis.state_root),
		cancellationDelay: U256::from(CANCELLATION_DELAY_SECONDS),
	}
	.abi_encode();
	let mut input = code;
	input.extend_from_slice(&arguments);
	RawCallBuilder::new_raw_deploy(provider, Bytes::from(input))
		.deploy()
		.await
		.map_err(|e| format!("deploying the core contract on the L1 at {endpoint}: {e}"))
}

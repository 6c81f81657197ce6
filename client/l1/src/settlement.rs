//! Settlement: the sequencer posts the chain's finalized state to the core contract — a block's
//! number, Starknet hash and state root, with the messages to L1 the blocks since the last
//! settlement sent (consumable on L1 from then on) and the messages from L1 they consumed —
//! signed with the sequencer's L1 key. The contract takes it only from that key and only when it
//! follows the last settled state (its old root is the last settled root).
use crate::contract::CairnCore;
use alloy::{
	network::EthereumWallet,
	primitives::{Address, FixedBytes, U256},
	providers::{DynProvider, Provider, ProviderBuilder},
	signers::local::PrivateKeySigner,
};
use cairn_primitives::starknet::Felt;

/// What one settlement posts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateUpdate {
	/// The last block settled.
	pub block_number: u64,
	/// Its Starknet hash.
	pub block_hash: Felt,
	/// The state root after it.
	pub state_root: Felt,
	/// Hashes of the messages to L1 the settled blocks sent, in order.
	pub messages_to_l1: Vec<[u8; 32]>,
	/// Hashes of the messages from L1 the settled blocks consumed, in order.
	pub messages_to_l2_consumed: Vec<[u8; 32]>,
}

/// The state the core contract holds as settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settled {
	pub block_number: u64,
	pub block_hash: Felt,
	pub state_root: Felt,
}

/// Reads the settled state from the core contract, and with the sequencer's key posts state
/// updates to it.
#[derive(Clone)]
pub struct Settler {
	core_contract: Address,
	/// The L1 node's client, made once.
	reader: DynProvider,
	/// With the sequencer's key: its signer and a client that signs with it.
	signer: Option<(PrivateKeySigner, DynProvider)>,
}

fn felt(value: U256) -> Result<Felt, String> {
	Felt::from_canonical_bytes(&value.to_be_bytes::<32>())
		.ok_or_else(|| format!("{value:#x} is not a felt"))
}

fn word(value: Felt) -> U256 {
	U256::from_be_bytes(value.to_bytes())
}

impl Settler {
	/// A settler that only reads the settled state.
	pub fn reader(endpoint: &str, core_contract: Address) -> Result<Settler, String> {
		Ok(Settler { core_contract, reader: crate::provider(endpoint)?, signer: None })
	}

	/// A settler that signs with `key` (a hex private key).
	pub fn signing(endpoint: &str, core_contract: Address, key: &str) -> Result<Settler, String> {
		let signer: PrivateKeySigner =
			key.trim().parse().map_err(|e| format!("the L1 settlement key: {e}"))?;
		let writer = ProviderBuilder::new()
			.wallet(EthereumWallet::from(signer.clone()))
			.connect_http(crate::url(endpoint)?)
			.erased();
		Ok(Settler {
			core_contract,
			reader: crate::provider(endpoint)?,
			signer: Some((signer, writer)),
		})
	}

	/// The settling account's address, if it signs.
	pub fn address(&self) -> Option<Address> {
		self.signer.as_ref().map(|(signer, _)| signer.address())
	}

	/// The core contract's address.
	pub fn core_contract(&self) -> Address {
		self.core_contract
	}

	/// What the contract holds as settled.
	pub async fn settled(&self) -> Result<Settled, String> {
		let core = CairnCore::new(self.core_contract, &self.reader);
		let read = |e: alloy::contract::Error| format!("reading the core contract: {e}");
		let number = core.stateBlockNumber().call().await.map_err(read)?;
		let hash = core.stateBlockHash().call().await.map_err(read)?;
		let root = core.stateRoot().call().await.map_err(read)?;
		Ok(Settled {
			block_number: u64::try_from(number).map_err(|_| format!("block number {number}"))?,
			block_hash: felt(hash)?,
			state_root: felt(root)?,
		})
	}

	/// Posts `update` on top of the settled root `old_root` and waits for its receipt; the L1
	/// transaction's hash. A refusal by the contract is an error with its reason.
	pub async fn settle(&self, old_root: Felt, update: &StateUpdate) -> Result<[u8; 32], String> {
		let (_, writer) = self.signer.as_ref().ok_or("settling needs the sequencer's L1 key")?;
		let core = CairnCore::new(self.core_contract, writer);
		let hashes = |list: &[[u8; 32]]| list.iter().map(|h| FixedBytes(*h)).collect::<Vec<_>>();
		let pending = core
			.updateState(
				U256::from(update.block_number),
				word(update.block_hash),
				word(old_root),
				word(update.state_root),
				hashes(&update.messages_to_l1),
				hashes(&update.messages_to_l2_consumed),
			)
			.send()
			.await
			.map_err(|e| format!("settling block {}: {e}", update.block_number))?;
		let receipt = pending
			.get_receipt()
			.await
			.map_err(|e| format!("settling block {}: {e}", update.block_number))?;
		if !receipt.status() {
			return Err(format!(
				"settling block {}: L1 transaction {} reverted",
				update.block_number, receipt.transaction_hash
			));
		}
		Ok(receipt.transaction_hash.0)
	}
}

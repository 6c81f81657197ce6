//! Blocks: `BLOCK_HEADER` and the three block shapes (with transaction hashes, transactions,
//! or transactions and receipts), each either a block or the `pre_confirmed` block being built.
use super::{TxnReceipt, TxnWithHash};
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// `RESOURCE_PRICE`: the price of one unit of a resource, in FRI and in WEI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcePrice {
	/// In FRI (STRK's smallest unit).
	pub price_in_fri: Felt,
	/// In WEI (ETH's smallest unit).
	pub price_in_wei: Felt,
}

impl ResourcePrice {
	/// The price `fri` in FRI, `wei` in WEI.
	pub fn new(fri: u128, wei: u128) -> Self {
		ResourcePrice { price_in_fri: fri.into(), price_in_wei: wei.into() }
	}
}

/// `L1_DA_MODE`: how L1 data is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum L1DaMode {
	/// As calldata.
	Calldata,
	/// As blobs (EIP-4844).
	Blob,
}

impl L1DaMode {
	/// The mode of a chain that does (`true`) or does not price L1 data as blobs.
	pub fn of(use_kzg_da: bool) -> Self {
		if use_kzg_da {
			L1DaMode::Blob
		} else {
			L1DaMode::Calldata
		}
	}
}

/// `BLOCK_STATUS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BlockStatus {
	/// The block being built.
	PreConfirmed,
	/// In the chain (every Cairn block).
	AcceptedOnL2,
	/// Settled on L1.
	AcceptedOnL1,
}

/// `BLOCK_HEADER`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockHeader {
	/// The Starknet block hash.
	pub block_hash: Felt,
	/// The parent's Starknet block hash.
	pub parent_hash: Felt,
	/// The block number.
	pub block_number: u64,
	/// The global state root after the block: 0 until Cairn keeps a Starknet state commitment.
	pub new_root: Felt,
	/// Unix seconds.
	pub timestamp: u64,
	/// Receives the fees.
	pub sequencer_address: Felt,
	/// The L1 gas price.
	pub l1_gas_price: ResourcePrice,
	/// The L2 gas price.
	pub l2_gas_price: ResourcePrice,
	/// The L1 data gas price.
	pub l1_data_gas_price: ResourcePrice,
	/// How L1 data is priced.
	pub l1_da_mode: L1DaMode,
	/// The Starknet version whose constants executed the block.
	pub starknet_version: String,
	/// Commitment to the events.
	pub event_commitment: Felt,
	/// Commitment to the transactions.
	pub transaction_commitment: Felt,
	/// Commitment to the receipts.
	pub receipt_commitment: Felt,
	/// Commitment to the state diff.
	pub state_diff_commitment: Felt,
	/// Events in the block.
	pub event_count: u64,
	/// Transactions in the block.
	pub transaction_count: u64,
	/// Entries of the state diff.
	pub state_diff_length: u64,
}

/// `PRE_CONFIRMED_BLOCK_HEADER`: the block being built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreConfirmedBlockHeader {
	/// Its number (the newest block's, plus one).
	pub block_number: u64,
	/// Unix seconds.
	pub timestamp: u64,
	/// Receives the fees.
	pub sequencer_address: Felt,
	/// The L1 gas price.
	pub l1_gas_price: ResourcePrice,
	/// The L2 gas price.
	pub l2_gas_price: ResourcePrice,
	/// The L1 data gas price.
	pub l1_data_gas_price: ResourcePrice,
	/// How L1 data is priced.
	pub l1_da_mode: L1DaMode,
	/// The Starknet version whose constants will execute it.
	pub starknet_version: String,
}

/// A block with its status, header and `T`s: `BLOCK_WITH_TX_HASHES` (`T` = [`Felt`]),
/// `BLOCK_WITH_TXS` ([`TxnWithHash`]) or `BLOCK_WITH_RECEIPTS` ([`TransactionAndReceipt`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block<T> {
	/// Always `ACCEPTED_ON_L2`.
	pub status: BlockStatus,
	/// The header.
	#[serde(flatten)]
	pub header: BlockHeader,
	/// The transactions, in order.
	pub transactions: Vec<T>,
}

/// The pre-confirmed block with its `T`s: `PRE_CONFIRMED_BLOCK_WITH_TX_HASHES`,
/// `PRE_CONFIRMED_BLOCK_WITH_TXS` or `PRE_CONFIRMED_BLOCK_WITH_RECEIPTS`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreConfirmedBlock<T> {
	/// The header.
	#[serde(flatten)]
	pub header: PreConfirmedBlockHeader,
	/// The transactions executed in it so far: none on Cairn, which executes when it seals.
	pub transactions: Vec<T>,
}

/// A block or the pre-confirmed block (the answers of `starknet_getBlockWith…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaybePreConfirmedBlock<T> {
	/// A block of the chain.
	Block(Block<T>),
	/// The block being built.
	PreConfirmed(PreConfirmedBlock<T>),
}

/// Answer of `starknet_getBlockWithTxHashes`.
pub type MaybePreConfirmedBlockWithTxHashes = MaybePreConfirmedBlock<Felt>;
/// Answer of `starknet_getBlockWithTxs`.
pub type MaybePreConfirmedBlockWithTxs = MaybePreConfirmedBlock<TxnWithHash>;
/// Answer of `starknet_getBlockWithReceipts`.
pub type MaybePreConfirmedBlockWithReceipts = MaybePreConfirmedBlock<TransactionAndReceipt>;

/// A transaction and its receipt, in `BLOCK_BODY_WITH_RECEIPTS`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionAndReceipt {
	/// The transaction.
	pub transaction: TxnWithHash,
	/// Its receipt (the block is the one around it).
	pub receipt: TxnReceipt,
}

/// Answer of `starknet_blockHashAndNumber`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockHashAndNumber {
	/// The newest block's Starknet hash.
	pub block_hash: Felt,
	/// Its number.
	pub block_number: u64,
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn header() -> BlockHeader {
		BlockHeader {
			block_hash: Felt::from(0xaau128),
			parent_hash: Felt::from(0xa9u128),
			block_number: 3,
			new_root: Felt::ZERO,
			timestamp: 1_700_000_000,
			sequencer_address: Felt::from(0x1000u128),
			l1_gas_price: ResourcePrice::new(1, 2),
			l2_gas_price: ResourcePrice::new(3, 4),
			l1_data_gas_price: ResourcePrice::new(5, 6),
			l1_da_mode: L1DaMode::of(false),
			starknet_version: "0.14.1".into(),
			event_commitment: Felt::from(0xe0u128),
			transaction_commitment: Felt::from(0xe1u128),
			receipt_commitment: Felt::from(0xe2u128),
			state_diff_commitment: Felt::from(0xe3u128),
			event_count: 7,
			transaction_count: 1,
			state_diff_length: 2,
		}
	}

	#[test]
	fn block_with_tx_hashes_json() {
		let block: MaybePreConfirmedBlockWithTxHashes = MaybePreConfirmedBlock::Block(Block {
			status: BlockStatus::AcceptedOnL2,
			header: header(),
			transactions: vec![Felt::from(0x77u128)],
		});
		let json = serde_json::to_value(&block).unwrap();
		assert_eq!(
			json,
			json!({
				"status": "ACCEPTED_ON_L2",
				"block_hash": "0xaa",
				"parent_hash": "0xa9",
				"block_number": 3,
				"new_root": "0x0",
				"timestamp": 1_700_000_000,
				"sequencer_address": "0x1000",
				"l1_gas_price": { "price_in_fri": "0x1", "price_in_wei": "0x2" },
				"l2_gas_price": { "price_in_fri": "0x3", "price_in_wei": "0x4" },
				"l1_data_gas_price": { "price_in_fri": "0x5", "price_in_wei": "0x6" },
				"l1_da_mode": "CALLDATA",
				"starknet_version": "0.14.1",
				"event_commitment": "0xe0",
				"transaction_commitment": "0xe1",
				"receipt_commitment": "0xe2",
				"state_diff_commitment": "0xe3",
				"event_count": 7,
				"transaction_count": 1,
				"state_diff_length": 2,
				"transactions": ["0x77"],
			})
		);
		assert_eq!(
			serde_json::from_value::<MaybePreConfirmedBlockWithTxHashes>(json).unwrap(),
			block
		);
	}

	#[test]
	fn pre_confirmed_block_json() {
		let block: MaybePreConfirmedBlockWithTxs =
			MaybePreConfirmedBlock::PreConfirmed(PreConfirmedBlock {
				header: PreConfirmedBlockHeader {
					block_number: 4,
					timestamp: 1_700_000_001,
					sequencer_address: Felt::from(0x1000u128),
					l1_gas_price: ResourcePrice::new(1, 2),
					l2_gas_price: ResourcePrice::new(3, 4),
					l1_data_gas_price: ResourcePrice::new(5, 6),
					l1_da_mode: L1DaMode::of(true),
					starknet_version: "0.14.1".into(),
				},
				transactions: vec![],
			});
		let json = serde_json::to_value(&block).unwrap();
		assert_eq!(
			json,
			json!({
				"block_number": 4,
				"timestamp": 1_700_000_001,
				"sequencer_address": "0x1000",
				"l1_gas_price": { "price_in_fri": "0x1", "price_in_wei": "0x2" },
				"l2_gas_price": { "price_in_fri": "0x3", "price_in_wei": "0x4" },
				"l1_data_gas_price": { "price_in_fri": "0x5", "price_in_wei": "0x6" },
				"l1_da_mode": "BLOB",
				"starknet_version": "0.14.1",
				"transactions": [],
			})
		);
		assert_eq!(serde_json::from_value::<MaybePreConfirmedBlockWithTxs>(json).unwrap(), block);
	}
}

//! What the index stores in its database ([`crate::store`]), and under which keys: an
//! [`IndexedBlock`] per Substrate block hash, and two lookups, Starknet block hash → Substrate
//! block hash and transaction hash → every [`TransactionLocation`] it was indexed at (a
//! transaction can be in blocks of two Aura forks; lookups answer the canonical one). Values are
//! SCALE-encoded. A change of any of it is a new [`SCHEMA_VERSION`]: a node finding an older one
//! rebuilds its index.
use cairn_primitives::starknet::{
	exec::{Receipt, StarknetHeader, StateDiff},
	Felt, Transaction,
};
use codec::{Decode, Encode};

/// The version of what this module describes. 1: the index's own database (before it, the index
/// lived in Substrate's aux DB, with one location per transaction).
pub const SCHEMA_VERSION: u32 = 1;

/// Key prefix of [`IndexedBlock`]s, by Substrate block hash.
pub const BLOCK: &[u8] = b"cairn/starknet/block/";
/// Key prefix of Substrate block hashes, by Starknet block hash.
pub const BY_HASH: &[u8] = b"cairn/starknet/hash/";
/// Key prefix of lists of [`TransactionLocation`]s, by Starknet transaction hash.
pub const BY_TX: &[u8] = b"cairn/starknet/tx/";

/// The key of `id` under `prefix`.
pub fn key(prefix: &[u8], id: &[u8]) -> Vec<u8> {
	[prefix, id].concat()
}

/// A transaction of an indexed block, with its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct IndexedTransaction {
	/// The transaction as the block carried it.
	pub transaction: Transaction,
	/// What executing it did.
	pub receipt: Receipt,
}

/// The commitments in a Starknet block header.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Commitments {
	/// Commitment to the transactions (hashes and signatures).
	pub transaction_commitment: Felt,
	/// Commitment to the events.
	pub event_commitment: Felt,
	/// Commitment to the receipts.
	pub receipt_commitment: Felt,
	/// Commitment to the block's state diff.
	pub state_diff_commitment: Felt,
	/// Events in the block.
	pub event_count: u64,
	/// Transactions in the block.
	pub transaction_count: u64,
	/// Entries of the block's state diff, as Starknet counts them.
	pub state_diff_length: u64,
}

/// A Starknet block as the index keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct IndexedBlock {
	/// The block number (Starknet block n is Substrate block n).
	pub number: u64,
	/// The Starknet block hash.
	pub block_hash: Felt,
	/// The parent's Starknet block hash (0 for genesis).
	pub parent_hash: Felt,
	/// The Starknet header the pallet wrote.
	pub header: StarknetHeader,
	/// Whether L1 data is priced as blobs.
	pub use_kzg_da: bool,
	/// The header commitments.
	pub commitments: Commitments,
	/// The block's Starknet transactions, in order, with their receipts.
	pub transactions: Vec<IndexedTransaction>,
	/// The block's merged state diff.
	pub state_diff: StateDiff,
}

/// Where a transaction is.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct TransactionLocation<H> {
	/// The Substrate block hash.
	pub block: H,
	/// Its position among the block's Starknet transactions.
	pub index: u32,
}

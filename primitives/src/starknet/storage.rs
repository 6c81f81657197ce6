//! Where pallet-starknet keeps the Starknet state, byte for byte. The pallet declares these items
//! with FRAME; the native executor reads them through the externalities with the keys computed
//! here (FRAME's layout: `twox_128(pallet) ++ twox_128(item) ++ blake2_128(key) ++ key` for a
//! `Blake2_128Concat` map). A test in the pallet checks that both agree.
use super::Felt;
use alloc::vec::Vec;
use codec::Encode;
use sp_core::hashing::{blake2_128, twox_128};

/// The pallet's name in the runtime (`construct_runtime`/`#[runtime]`).
pub const PALLET: &[u8] = b"Starknet";
/// `ContractStorage`: double map (contract, key) → value.
pub const CONTRACT_STORAGE: &[u8] = b"ContractStorage";
/// `Nonces`: contract → nonce.
pub const NONCES: &[u8] = b"Nonces";
/// `ContractClassHashes`: contract → class hash.
pub const CONTRACT_CLASS_HASHES: &[u8] = b"ContractClassHashes";
/// `CompiledClassHashes`: class hash → compiled class hash (Blake2s); present iff declared.
pub const COMPILED_CLASS_HASHES: &[u8] = b"CompiledClassHashes";
/// `ClassDefinitions`: class hash → [`super::exec::ClassDefinition`] (CASM and Sierra facts).
pub const CLASS_DEFINITIONS: &[u8] = b"ClassDefinitions";
/// `SierraClasses`: class hash → the Sierra class as declared (JSON-RPC's JSON).
pub const SIERRA_CLASSES: &[u8] = b"SierraClasses";

/// `Receipts`: the current block's receipts (value).
pub const RECEIPTS: &[u8] = b"Receipts";
/// `StateDiffs`: the current block's per-transaction state diffs (value).
pub const STATE_DIFFS: &[u8] = b"StateDiffs";
/// `Headers`: block number (`Twox64Concat`) → Starknet header.
pub const HEADERS: &[u8] = b"Headers";

/// The storage key of a plain storage value.
pub fn value_key(item: &[u8]) -> Vec<u8> {
	prefix(item)
}

/// The storage key of block `number`'s Starknet header.
pub fn header_key(number: u64) -> Vec<u8> {
	let mut key = prefix(HEADERS);
	let encoded = number.encode();
	key.extend_from_slice(&sp_core::hashing::twox_64(&encoded));
	key.extend_from_slice(&encoded);
	key
}

fn prefix(item: &[u8]) -> Vec<u8> {
	let mut key = Vec::with_capacity(32 + 2 * 48);
	key.extend_from_slice(&twox_128(PALLET));
	key.extend_from_slice(&twox_128(item));
	key
}

fn blake2_128_concat(key: &mut Vec<u8>, felt: &Felt) {
	let encoded = felt.encode();
	key.extend_from_slice(&blake2_128(&encoded));
	key.extend_from_slice(&encoded);
}

/// The storage key of a `Blake2_128Concat` map item keyed by a felt.
pub fn map_key(item: &[u8], felt: &Felt) -> Vec<u8> {
	let mut key = prefix(item);
	blake2_128_concat(&mut key, felt);
	key
}

/// The storage key of a contract's storage cell.
pub fn contract_storage_key(contract: &Felt, cell: &Felt) -> Vec<u8> {
	let mut key = prefix(CONTRACT_STORAGE);
	blake2_128_concat(&mut key, contract);
	blake2_128_concat(&mut key, cell);
	key
}

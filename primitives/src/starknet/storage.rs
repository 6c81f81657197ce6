//! Where pallet-starknet keeps the Starknet state, byte for byte. The pallet declares these items
//! with FRAME; the native executor reads them through the externalities with the keys computed
//! here by FRAME's own key functions (`storage_prefix(pallet, item)` followed by each key's
//! hasher: `Blake2_128Concat` for felts, `Twox64Concat` for block numbers). A test in the pallet
//! checks that both agree.
use super::Felt;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{storage::storage_prefix, Blake2_128Concat, StorageHasher, Twox64Concat};

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
/// `ChainEngine`: what runs the chain's Cairo code ([`super::exec::Engine`], value; absent:
/// the VM).
pub const CHAIN_ENGINE: &[u8] = b"ChainEngine";

/// `Receipts`: the current block's receipts (value).
pub const RECEIPTS: &[u8] = b"Receipts";
/// `StateDiffs`: the current block's per-transaction state diffs (value).
pub const STATE_DIFFS: &[u8] = b"StateDiffs";
/// `Headers`: block number (`Twox64Concat`) → Starknet header.
pub const HEADERS: &[u8] = b"Headers";

/// `TrieNodes`: double map (trie, node position), both `Blake2_128Concat`, → trie node: the
/// state commitment's nodes (`cairn-commitment` defines the key and value types).
pub const TRIE_NODES: &[u8] = b"TrieNodes";
/// `TrieRoots`: trie (`Blake2_128Concat`) → its root hash; absent while the trie is empty.
pub const TRIE_ROOTS: &[u8] = b"TrieRoots";

/// The storage key of a plain storage value.
pub fn value_key(item: &[u8]) -> Vec<u8> {
	storage_prefix(PALLET, item).to_vec()
}

/// The storage key of block `number`'s Starknet header.
pub fn header_key(number: u64) -> Vec<u8> {
	let mut key = value_key(HEADERS);
	key.extend(Twox64Concat::hash(&number.encode()));
	key
}

/// The storage key of a `Blake2_128Concat` map item keyed by a felt.
pub fn map_key(item: &[u8], felt: &Felt) -> Vec<u8> {
	let mut key = value_key(item);
	key.extend(Blake2_128Concat::hash(&felt.encode()));
	key
}

/// The storage key of a `Blake2_128Concat` map item keyed by any SCALE value.
pub fn map_key_of(item: &[u8], key: &impl Encode) -> Vec<u8> {
	let mut full = value_key(item);
	full.extend(Blake2_128Concat::hash(&key.encode()));
	full
}

/// The storage key of a `Blake2_128Concat`/`Blake2_128Concat` double map item.
pub fn double_map_key_of(item: &[u8], first: &impl Encode, second: &impl Encode) -> Vec<u8> {
	let mut full = map_key_of(item, first);
	full.extend(Blake2_128Concat::hash(&second.encode()));
	full
}

/// The storage key of a contract's storage cell.
pub fn contract_storage_key(contract: &Felt, cell: &Felt) -> Vec<u8> {
	let mut key = map_key(CONTRACT_STORAGE, contract);
	key.extend(Blake2_128Concat::hash(&cell.encode()));
	key
}

//! What the runtime and the native executor exchange through the host functions in
//! [`super::host`]: the block context, an execution request, its outcome, and the errors. All of it
//! is SCALE-encoded and `no_std`; sequences are sorted `Vec`s (never hash maps) so an outcome
//! encodes identically on every node.
use super::{Felt, Transaction};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Gas prices of a Starknet block, in WEI (paid in ETH) and FRI (paid in STRK). None may be zero.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GasPrices {
	pub l1_gas_price_wei: u128,
	pub l1_gas_price_fri: u128,
	pub l1_data_gas_price_wei: u128,
	pub l1_data_gas_price_fri: u128,
	pub l2_gas_price_wei: u128,
	pub l2_gas_price_fri: u128,
}

impl Default for GasPrices {
	/// starknet-devnet's defaults: 1 gwei / 1 gfri for every resource.
	fn default() -> Self {
		let price = 1_000_000_000;
		GasPrices {
			l1_gas_price_wei: price,
			l1_gas_price_fri: price,
			l1_data_gas_price_wei: price,
			l1_data_gas_price_fri: price,
			l2_gas_price_wei: price,
			l2_gas_price_fri: price,
		}
	}
}

/// The chain-wide parameters of every Starknet block, chosen by the runtime (genesis, or a root
/// call). Which Starknet version's constants execute a block is the runtime's choice, not the
/// node's: a runtime upgrade can move a chain to a newer version.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChainConfig {
	/// The chain id as its ASCII name (e.g. `SN_SEPOLIA`, `CAIRN_DEV`).
	#[serde(with = "ascii")]
	pub chain_id: Vec<u8>,
	/// The Starknet version whose versioned constants blockifier applies, e.g. `0.14.1`.
	#[serde(with = "ascii")]
	pub starknet_version: Vec<u8>,
	/// Receives the fees.
	pub sequencer_address: Felt,
	/// STRK fee token (V3 transactions pay in it).
	pub strk_fee_token: Felt,
	/// ETH fee token.
	pub eth_fee_token: Felt,
	/// Block gas prices.
	pub gas_prices: GasPrices,
	/// Whether L1 data is priced as blobs (EIP-4844).
	pub use_kzg_da: bool,
}

/// JSON form of ASCII byte strings: a plain string.
mod ascii {
	use alloc::{string::String, vec::Vec};
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(core::str::from_utf8(bytes).map_err(serde::ser::Error::custom)?)
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
		let s = String::deserialize(d)?;
		if !s.is_ascii() || s.is_empty() {
			return Err(serde::de::Error::custom("expected a non-empty ASCII string"));
		}
		Ok(s.into_bytes())
	}
}

/// What runs a chain's Cairo code. A chain-wide setting (genesis, or a root call at a block
/// boundary), never a node's: the two engines compute the same gas, fees and state, but word a
/// revert's reason differently, and receipts (so block hashes) commit to it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
	/// StarkWare's Cairo VM runs each class's CASM.
	#[default]
	#[codec(index = 0)]
	Vm,
	/// Cairo Native: each class with Sierra 1.7.0 or later runs as machine code compiled from
	/// its Sierra (by every node, once, before its first execution); older classes, whose
	/// resources are counted in Cairo steps, run on the VM as blockifier requires.
	#[codec(index = 1)]
	Native,
}

/// The context one Starknet block executes in.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct BlockContext {
	pub block_number: u64,
	/// Unix seconds.
	pub block_timestamp: u64,
	pub config: ChainConfig,
}

/// How to execute.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum ExecMode {
	/// Inside a block: strict nonce, `__validate__`, fees charged when the bounds are non-zero.
	Block,
	/// Admission to the transaction pool: the checks a block would make before execution
	/// (nonce at least the account's, resource bounds against balance and prices, `__validate__`).
	/// Declare and deploy-account run in full, as Starknet's mempool does.
	Pool,
	/// Fee estimation and simulation: executed like in a block, committed nowhere.
	Query {
		/// The transaction is signed with the query version (`version + 2^128`), so it can never
		/// be replayed as a real transaction.
		only_query: bool,
		/// Run the account's validation entry point.
		validate: bool,
		/// Charge the fee (transfer it to the sequencer).
		charge_fee: bool,
	},
}

/// A declared class as execution needs it, for a declare transaction.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ClassDefinition {
	/// CASM as JSON (cairo-lang's `CasmContractClass`).
	pub casm: Vec<u8>,
	pub sierra_version: (u64, u64, u64),
	pub sierra_program_length: u64,
	pub abi_length: u64,
}

/// Which Sierra libfuncs a declared class may use: cairo-lang's allowed-libfunc lists.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum LibfuncList {
	/// `audited`: the libfuncs Starknet's own sequencer accepts.
	Audited,
	/// `all`: every libfunc the compiler knows, experimental ones included.
	All,
}

/// What a declared class may be: validity limits, the same on every node (sizes and a list,
/// never time or memory).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ClassLimits {
	/// The class as sent (Starknet JSON-RPC's JSON), in bytes.
	pub max_class_bytes: u32,
	/// The Sierra program, in felts.
	pub max_sierra_felts: u32,
	/// The compiled CASM bytecode, in felts.
	pub max_casm_felts: u32,
	/// The libfuncs it may use.
	pub libfuncs: LibfuncList,
}

impl ClassLimits {
	/// Starknet's own (its gateway's and compiler's limits): 4,089,446 bytes of class,
	/// 81,920 Sierra felts, 81,920 CASM felts, the audited libfuncs.
	pub const STARKNET: ClassLimits = ClassLimits {
		max_class_bytes: 4_089_446,
		max_sierra_felts: 81_920,
		max_casm_felts: 81_920,
		libfuncs: LibfuncList::Audited,
	};
}

/// How to compile a declared class ([`super::host`]'s `compile_class`, version 2).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CompileRequest {
	/// The class hash the declare names: checked before anything is compiled.
	pub class_hash: Felt,
	pub limits: ClassLimits,
	/// Admission (the pool): the node may compile in an isolated process with CPU-time and
	/// memory limits and refuse the class when it exceeds them. Never set for a block, whose
	/// validity cannot depend on one machine's resources.
	pub isolated: bool,
}

/// One execution request.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ExecRequest {
	pub context: BlockContext,
	pub mode: ExecMode,
	pub tx: Transaction,
	/// The class a declare transaction declares (compiled by [`super::host`]'s `compile_class`).
	pub class: Option<ClassDefinition>,
	/// The fee paid on L1 for an L1 handler transaction, in WEI.
	pub paid_fee_on_l1: u128,
}

/// Amounts of gas.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo,
)]
pub struct GasVector {
	pub l1_gas: u64,
	pub l1_data_gas: u64,
	pub l2_gas: u64,
}

/// The unit a fee is paid in.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum FeeUnit {
	/// ETH's smallest unit.
	Wei,
	/// STRK's smallest unit (V3 transactions).
	Fri,
}

/// An event a contract emitted.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Event {
	pub from_address: Felt,
	pub keys: Vec<Felt>,
	pub data: Vec<Felt>,
}

/// A message sent from L2 to L1.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct MessageToL1 {
	pub from_address: Felt,
	/// An Ethereum address (fits 160 bits).
	pub to_address: Felt,
	pub payload: Vec<Felt>,
}

/// The writes of one transaction, each sorted by key. Nonces are absolute new values.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct StateDiff {
	/// (contract, key, value).
	pub storage: Vec<(Felt, Felt, Felt)>,
	/// (contract, new nonce).
	pub nonces: Vec<(Felt, Felt)>,
	/// (contract, class hash): deployments and class replacements.
	pub class_hashes: Vec<(Felt, Felt)>,
	/// (class hash, compiled class hash): declarations.
	pub compiled_class_hashes: Vec<(Felt, Felt)>,
}

impl StateDiff {
	/// One diff from several applied in order (later writes win), each part sorted by key: a
	/// block's diff from its transactions'.
	pub fn merged(diffs: impl IntoIterator<Item = StateDiff>) -> StateDiff {
		use alloc::collections::BTreeMap;
		let mut storage = BTreeMap::new();
		let mut nonces = BTreeMap::new();
		let mut class_hashes = BTreeMap::new();
		let mut compiled_class_hashes = BTreeMap::new();
		for diff in diffs {
			storage.extend(diff.storage.into_iter().map(|(c, k, v)| ((c, k), v)));
			nonces.extend(diff.nonces);
			class_hashes.extend(diff.class_hashes);
			compiled_class_hashes.extend(diff.compiled_class_hashes);
		}
		StateDiff {
			storage: storage.into_iter().map(|((c, k), v)| (c, k, v)).collect(),
			nonces: nonces.into_iter().collect(),
			class_hashes: class_hashes.into_iter().collect(),
			compiled_class_hashes: compiled_class_hashes.into_iter().collect(),
		}
	}
}

/// What executing a transaction did. A reverted transaction has an outcome too: it is included,
/// pays its fee and bumps its nonce; only its own state changes are undone.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ExecOutcome {
	pub tx_hash: Felt,
	/// The deployed contract (deploy-account).
	pub contract_address: Option<Felt>,
	pub actual_fee: u128,
	pub fee_unit: FeeUnit,
	/// Gas consumed, per resource.
	pub gas: GasVector,
	/// Why the transaction reverted (the Cairo error stack), if it did.
	pub revert_error: Option<Vec<u8>>,
	/// Events in emission order: `__validate__`, `__execute__` (or the constructor), fee transfer.
	pub events: Vec<Event>,
	pub messages: Vec<MessageToL1>,
	pub state_diff: StateDiff,
}

/// Why Starknet refuses a transaction outright (it never enters a block). Each maps to one
/// Starknet JSON-RPC error.
///
/// The one source of truth for the pool's rejection codes: the pallet reports a rejection to the
/// pool as `InvalidTransaction::Custom(`[`Rejection::pool_code`]`)` (its SCALE index + 1, fixed
/// below with `#[codec(index)]`: never renumber, clients and old blocks' pool verdicts rely on
/// them), and the RPC reads it back with [`Rejection::from_pool_code`]. An invalid nonce is
/// reported as `Stale` or `Future` instead, and a node-side failure as [`EXECUTOR_FAILURE`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum Rejection {
	/// The nonce is not the account's next one (below it, or above it inside a block).
	#[codec(index = 0)]
	InvalidNonce,
	/// The resource bounds are below what the transaction needs or below the block's prices.
	#[codec(index = 1)]
	InsufficientResourceBounds,
	/// The account cannot pay the maximum fee its bounds allow.
	#[codec(index = 2)]
	InsufficientBalance,
	/// The account's `__validate__` (or `__validate_declare__`/`__validate_deploy__`) failed.
	#[codec(index = 3)]
	ValidationFailure,
	/// The class is declared already.
	#[codec(index = 4)]
	ClassAlreadyDeclared,
	/// The class is not declared.
	#[codec(index = 5)]
	ClassNotDeclared,
	/// A declare's compiled class hash is not the hash of the CASM this node compiles.
	#[codec(index = 6)]
	CompiledClassHashMismatch,
	/// A declare's class hash is not the hash of the class it carries.
	#[codec(index = 7)]
	ClassHashMismatch,
	/// The class cannot be compiled or is not a valid Sierra class.
	#[codec(index = 8)]
	InvalidClass,
	/// The transaction is malformed (for example an address out of range).
	#[codec(index = 9)]
	Malformed,
	/// The sender is not a deployed contract.
	#[codec(index = 10)]
	ContractNotFound,
	/// Execution failed in a way that makes the transaction invalid (for example a failing
	/// deploy-account constructor), or a call failed.
	#[codec(index = 11)]
	ExecutionFailed,
	/// A call named an entry point the contract does not have.
	#[codec(index = 12)]
	EntryPointNotFound,
	/// A declared class is larger than the chain's class limits allow (JSON bytes, Sierra
	/// program felts or CASM bytecode felts).
	#[codec(index = 13)]
	ClassTooLarge,
	/// The transaction's gas bounds exceed what one block can hold, or its calldata or signature
	/// is longer than a transaction may carry.
	#[codec(index = 14)]
	ExceedsBlockLimits,
}

/// `InvalidTransaction::Custom` code of a transaction the node could not execute at all (an
/// [`ExecError::Internal`]): never the transaction's fault.
pub const EXECUTOR_FAILURE: u8 = 200;

impl Rejection {
	/// Every rejection, in code order.
	pub const ALL: [Rejection; 15] = [
		Rejection::InvalidNonce,
		Rejection::InsufficientResourceBounds,
		Rejection::InsufficientBalance,
		Rejection::ValidationFailure,
		Rejection::ClassAlreadyDeclared,
		Rejection::ClassNotDeclared,
		Rejection::CompiledClassHashMismatch,
		Rejection::ClassHashMismatch,
		Rejection::InvalidClass,
		Rejection::Malformed,
		Rejection::ContractNotFound,
		Rejection::ExecutionFailed,
		Rejection::EntryPointNotFound,
		Rejection::ClassTooLarge,
		Rejection::ExceedsBlockLimits,
	];

	/// The `InvalidTransaction::Custom` code the pool reports for it: its SCALE index + 1.
	pub fn pool_code(self) -> u8 {
		// The SCALE encoding of a fieldless enum is its index, one byte.
		self.encode()[0] + 1
	}

	/// The rejection behind a pool's `InvalidTransaction::Custom` code, if it is one.
	pub fn from_pool_code(code: u8) -> Option<Rejection> {
		Rejection::decode(&mut &[code.checked_sub(1)?][..]).ok()
	}
}

/// An execution that produced no outcome.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum ExecError {
	/// Starknet rejects the transaction; the message is blockifier's.
	Rejected(Rejection, Vec<u8>),
	/// The node could not execute (unsupported Starknet version, unreadable state, a panic in
	/// the executor). Never the transaction's fault; the message says what happened.
	Internal(Vec<u8>),
}

/// A read-only call of a contract's entry point (Starknet JSON-RPC's `starknet_call`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CallRequest {
	pub context: BlockContext,
	pub contract_address: Felt,
	pub entry_point_selector: Felt,
	pub calldata: Vec<Felt>,
}

/// A Sierra class compiled by the node.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CompiledClass {
	/// The Sierra class hash.
	pub class_hash: Felt,
	/// The compiled class hash (Blake2s, Starknet ≥ 0.14.1) of the CASM below.
	pub compiled_class_hash: Felt,
	pub definition: ClassDefinition,
}

/// The kind of a Starknet transaction.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum TransactionKind {
	Invoke,
	Declare,
	DeployAccount,
	L1Handler,
}

/// A transaction's receipt, as the pallet keeps it for the current block.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Receipt {
	pub tx_hash: Felt,
	pub kind: TransactionKind,
	/// The contract a deploy-account deployed.
	pub contract_address: Option<Felt>,
	pub actual_fee: u128,
	pub fee_unit: FeeUnit,
	/// Gas consumed, per resource.
	pub gas: GasVector,
	/// Set iff the transaction reverted.
	pub revert_error: Option<Vec<u8>>,
	pub events: Vec<Event>,
	pub messages: Vec<MessageToL1>,
}

/// The Starknet header of a block (Starknet block n is Substrate block n).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct StarknetHeader {
	pub block_number: u64,
	/// Unix seconds.
	pub timestamp: u64,
	pub sequencer_address: Felt,
	pub gas_prices: GasPrices,
	/// The Starknet version whose constants executed the block.
	pub starknet_version: Vec<u8>,
	pub transaction_count: u32,
	pub event_count: u32,
	/// The Starknet hash of the parent block (zero for block 0).
	pub parent_hash: Felt,
	/// The global state root after the block.
	pub state_root: Felt,
	/// The block's Starknet hash (over all of the above and the commitments).
	pub block_hash: Felt,
	pub commitments: HeaderCommitments,
}

/// The commitments a Starknet block hash covers (Starknet 0.13.2 and later).
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo,
)]
pub struct HeaderCommitments {
	pub transaction_commitment: Felt,
	pub event_commitment: Felt,
	pub receipt_commitment: Felt,
	pub state_diff_commitment: Felt,
	/// The number of entries in the block's state diff.
	pub state_diff_length: u64,
}

/// The kind of entry point an invocation ran.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum EntryPointKind {
	External,
	L1Handler,
	Constructor,
}

/// How an invocation was made: a call runs the callee's code on its own storage; a library
/// call (blockifier's delegate call) runs a class's code on the caller's storage.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum CallKind {
	Call,
	LibraryCall,
}

/// One call of a transaction's call tree (Starknet JSON-RPC's `FUNCTION_INVOCATION`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Invocation {
	/// The contract whose storage the call ran on.
	pub contract_address: Felt,
	pub entry_point_selector: Felt,
	pub calldata: Vec<Felt>,
	/// 0 for a transaction's root calls.
	pub caller_address: Felt,
	/// The class whose code ran.
	pub class_hash: Felt,
	pub entry_point_kind: EntryPointKind,
	pub call_kind: CallKind,
	/// The return data.
	pub result: Vec<Felt>,
	/// The calls this one made, in order.
	pub calls: Vec<Invocation>,
	/// (order within the transaction, keys, data) of the events this call emitted itself.
	pub events: Vec<(u64, Vec<Felt>, Vec<Felt>)>,
	/// (order within the transaction, L1 address, payload) of the messages this call sent itself.
	pub messages: Vec<(u64, Felt, Vec<Felt>)>,
	/// Gas of the call tree rooted here.
	pub l1_gas: u64,
	pub l2_gas: u64,
	/// The call failed (its effects are undone; the caller may have caught it).
	pub is_reverted: bool,
}

/// The call trees of one transaction. Which ones exist depends on the kind: an L1 handler has
/// only `execute`; a declare has no `execute`; a deploy-account's `execute` is its constructor.
/// A reverted transaction has no `execute` (its revert reason is in the outcome).
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct TransactionTrace {
	pub validate: Option<Invocation>,
	pub execute: Option<Invocation>,
	pub fee_transfer: Option<Invocation>,
}

impl AsRef<ExecOutcome> for ExecOutcome {
	fn as_ref(&self) -> &ExecOutcome {
		self
	}
}

impl AsRef<ExecOutcome> for (ExecOutcome, TransactionTrace) {
	fn as_ref(&self) -> &ExecOutcome {
		&self.0
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn pool_codes_are_fixed_and_round_trip() {
		// The codes the README and clients know; a renumbering must fail here.
		let expected = [
			(1, Rejection::InvalidNonce),
			(2, Rejection::InsufficientResourceBounds),
			(3, Rejection::InsufficientBalance),
			(4, Rejection::ValidationFailure),
			(5, Rejection::ClassAlreadyDeclared),
			(6, Rejection::ClassNotDeclared),
			(7, Rejection::CompiledClassHashMismatch),
			(8, Rejection::ClassHashMismatch),
			(9, Rejection::InvalidClass),
			(10, Rejection::Malformed),
			(11, Rejection::ContractNotFound),
			(12, Rejection::ExecutionFailed),
			(13, Rejection::EntryPointNotFound),
			(14, Rejection::ClassTooLarge),
			(15, Rejection::ExceedsBlockLimits),
		];
		assert_eq!(expected.len(), Rejection::ALL.len());
		for (code, rejection) in expected {
			assert_eq!(rejection.pool_code(), code, "{rejection:?}");
			assert_eq!(Rejection::from_pool_code(code), Some(rejection));
		}
		for code in [0, 16, 100, EXECUTOR_FAILURE, u8::MAX] {
			assert_eq!(Rejection::from_pool_code(code), None, "code {code}");
		}
	}
}

#[cfg(test)]
mod merge_tests {
	use crate::starknet::{exec::StateDiff, Felt};

	fn felt(value: u128) -> Felt {
		Felt::from(value)
	}

	#[test]
	fn merge_of_nothing_is_empty() {
		assert_eq!(StateDiff::merged(Vec::new()), StateDiff::default());
		assert_eq!(
			StateDiff::merged(vec![StateDiff::default(), StateDiff::default()]),
			StateDiff::default()
		);
	}

	#[test]
	fn merge_keeps_the_last_write_of_each_key() {
		let first = StateDiff {
			storage: vec![(felt(1), felt(10), felt(100)), (felt(2), felt(10), felt(200))],
			nonces: vec![(felt(1), felt(1))],
			class_hashes: vec![(felt(3), felt(30))],
			compiled_class_hashes: vec![(felt(30), felt(300))],
		};
		let second = StateDiff {
			storage: vec![(felt(1), felt(10), felt(101)), (felt(1), felt(11), felt(110))],
			nonces: vec![(felt(1), felt(2)), (felt(2), felt(1))],
			class_hashes: vec![(felt(3), felt(31))],
			compiled_class_hashes: vec![(felt(31), felt(310))],
		};
		assert_eq!(
			StateDiff::merged(vec![first, second]),
			StateDiff {
				storage: vec![
					(felt(1), felt(10), felt(101)),
					(felt(1), felt(11), felt(110)),
					(felt(2), felt(10), felt(200)),
				],
				nonces: vec![(felt(1), felt(2)), (felt(2), felt(1))],
				class_hashes: vec![(felt(3), felt(31))],
				compiled_class_hashes: vec![(felt(30), felt(300)), (felt(31), felt(310))],
			}
		);
	}

	#[test]
	fn merge_sorts_by_key() {
		// Storage is keyed by (contract, key): a contract's cells come together, keys ascending.
		let diffs = vec![
			StateDiff {
				storage: vec![(felt(9), felt(1), felt(1)), (felt(2), felt(5), felt(1))],
				nonces: vec![(felt(9), felt(1))],
				..Default::default()
			},
			StateDiff {
				storage: vec![(felt(2), felt(3), felt(1)), (felt(9), felt(0), felt(1))],
				nonces: vec![(felt(2), felt(1))],
				..Default::default()
			},
		];
		let merged = StateDiff::merged(diffs);
		let cells: Vec<(Felt, Felt)> = merged.storage.iter().map(|(c, k, _)| (*c, *k)).collect();
		assert_eq!(
			cells,
			vec![(felt(2), felt(3)), (felt(2), felt(5)), (felt(9), felt(0)), (felt(9), felt(1))]
		);
		assert_eq!(merged.nonces, vec![(felt(2), felt(1)), (felt(9), felt(1))]);
	}
}

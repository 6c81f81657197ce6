//! Starknet for the tests, built and signed as a wallet builds and signs it: the development
//! accounts a `--dev` node prints, the one V3 invoke builder ([`invoke`]; [`transfer`] is an
//! ERC-20 transfer through it), signing of any transaction, transaction hashes, the JSON-RPC forms
//! and hex helpers, the one loader of the published test classes `scripts/setup` fetches
//! (`$CAIRN_TEST_CLASSES`, else `~/.cache/cairn/test-classes`) and the one of the project's own
//! test contracts (`$CAIRN_TEST_CONTRACTS`).
use std::path::PathBuf;

pub use cairn_executor::signing::{public_key, selector, Call};
use cairn_executor::{
	dev_genesis::published_class,
	signing::{execute_calldata, sign_hash, Sign},
	TransactionExt,
};
use cairn_primitives::starknet::{
	genesis::{well_known, GenesisClass},
	DataAvailabilityMode, DeclareTransactionV3, Felt, InvokeTransactionV3, ResourceBounds,
	Transaction, ValidResourceBounds,
};
pub use cairn_rpc_api::types::{invoke_json, resource_bounds_json as bounds_json};
use serde_json::{json, Value};

use super::sdk::cache_dir;

/// A development account as the node prints it at start-up.
#[derive(Debug, Clone)]
pub struct Account {
	pub address: Felt,
	pub private_key: Felt,
}

/// The accounts a `--dev` node lists in its log (`#i address 0x… private key 0x… …`).
pub fn printed_accounts(log: &str) -> Vec<Account> {
	log.lines()
		.filter_map(|line| {
			let rest = line.split_once(" address ")?.1;
			let (address, rest) = rest.split_once(" private key ")?;
			let private_key = rest.split_whitespace().next()?;
			Some(Account {
				address: Felt::from_hex(address.trim())?,
				private_key: Felt::from_hex(private_key)?,
			})
		})
		.collect()
}

/// A V3 declare of `class_hash` (compiling to `compiled_class_hash`) from `from` at `nonce`,
/// within [`declare_bounds`], signed for the development chain; with its hash.
pub fn declare(
	from: &Account,
	nonce: u128,
	class_hash: Felt,
	compiled_class_hash: Felt,
) -> (Transaction, Felt) {
	signed(
		Transaction::Declare(DeclareTransactionV3 {
			resource_bounds: declare_bounds(),
			tip: 0,
			signature: vec![],
			nonce: Felt::from(nonce),
			class_hash,
			compiled_class_hash,
			sender_address: from.address,
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
			account_deployment_data: vec![],
		}),
		from.private_key,
	)
}

/// The STRK token (the fee token) of the development genesis.
pub fn strk() -> Felt {
	Felt::from_hex(well_known::STRK).unwrap()
}

/// The development chain's id, as transaction hashes take it.
pub fn dev_chain_id() -> starknet_api::core::ChainId {
	starknet_api::core::ChainId::from(well_known::DEV_CHAIN_ID.to_string())
}

/// Resource bounds at the development chain's prices (2·10⁹ FRI a unit, twice the genesis L2 gas
/// price: enough after `cairn-runtime-next` doubles it), no L1 gas.
fn bounds(l2_gas: u64, l1_data_gas: u64) -> ValidResourceBounds {
	let price = 2_000_000_000;
	ValidResourceBounds::AllResources {
		l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: price },
		l2_gas: ResourceBounds { max_amount: l2_gas, max_price_per_unit: price },
		l1_data_gas: ResourceBounds { max_amount: l1_data_gas, max_price_per_unit: price },
	}
}

/// Bounds that cover an ERC-20 transfer ([`transfer`]'s: it uses about 1.1 × 10⁶ L2 gas), as
/// an SDK's estimate with a margin would; small enough that many share one 200 ms block
/// (4 × 10⁷ L2 gas), since a block must have room for a transaction's whole bound.
pub fn transfer_bounds() -> ValidResourceBounds {
	bounds(10_000_000, 10_000)
}

/// `l2_gas` of L2 gas at the development chain's prices (see [`transfer_bounds`]).
pub fn bounds_with_l2_gas(l2_gas: u64) -> ValidResourceBounds {
	bounds(l2_gas, 100_000)
}

/// Bounds that cover any transaction of these tests (declares, deploy_account, UDC deployments),
/// and fit in one block (the runtime refuses an L2 gas bound beyond a block's capacity).
pub fn generous_bounds() -> ValidResourceBounds {
	bounds(200_000_000, 100_000)
}

/// Bounds that cover a declare: its L2 gas prices its class's size (3 × 10⁸ for the OZ account
/// 0.8.0, 3.9 × 10⁹ for the 1.7 MB Argent account), beyond what an invoke may bound in one
/// block; only its validation executes, so the runtime weighs at most 10⁸ of it.
pub fn declare_bounds() -> ValidResourceBounds {
	bounds(10_000_000_000, 100_000)
}

/// The V3 invoke builder: `calls` through `from`'s `__execute__` (an SRC-6 multicall), at
/// `nonce`, within `resource_bounds`, no tip, L1 data availability, signed for the development
/// chain.
pub fn invoke(
	from: &Account,
	nonce: u128,
	calls: &[Call],
	resource_bounds: ValidResourceBounds,
) -> InvokeTransactionV3 {
	let mut tx = Transaction::Invoke(InvokeTransactionV3 {
		resource_bounds,
		tip: 0,
		signature: vec![],
		nonce: Felt::from(nonce),
		sender_address: from.address,
		calldata: execute_calldata(calls),
		nonce_data_availability_mode: DataAvailabilityMode::L1,
		fee_data_availability_mode: DataAvailabilityMode::L1,
		paymaster_data: vec![],
		account_deployment_data: vec![],
		proof_facts: vec![],
	});
	tx.sign(well_known::DEV_CHAIN_ID, from.private_key).expect("the invoke signs");
	let Transaction::Invoke(tx) = tx else { unreachable!() };
	tx
}

/// The call of STRK's `transfer(to, amount)` (a u256: low, high).
pub fn transfer_call(to: Felt, amount: u128) -> Call {
	Call { to: strk(), entry_point: "transfer", calldata: vec![to, Felt::from(amount), Felt::ZERO] }
}

/// An ERC-20 transfer of `amount` STRK units from `from` to `to`, at `nonce`.
pub fn transfer(from: &Account, nonce: u128, to: Felt, amount: u128) -> InvokeTransactionV3 {
	invoke(from, nonce, &[transfer_call(to, amount)], transfer_bounds())
}

/// `tx` signed with `private_key` for the development chain (a declare, a deploy_account), with
/// its hash.
pub fn signed(mut tx: Transaction, private_key: Felt) -> (Transaction, Felt) {
	let hash = tx.sign(well_known::DEV_CHAIN_ID, private_key).expect("the transaction signs");
	(tx, hash)
}

/// The Starknet hash of an invoke on the development chain.
pub fn tx_hash(tx: &InvokeTransactionV3) -> Felt {
	Transaction::Invoke(tx.clone()).hash(&dev_chain_id(), false).unwrap()
}

/// `tx` re-signed for queries only (fee estimates, simulations): its query-version hash signed.
/// Its JSON must say so: version `0x100000000000000000000000000000003`.
pub fn signed_for_query(mut tx: InvokeTransactionV3, private_key: Felt) -> InvokeTransactionV3 {
	let hash = Transaction::Invoke(tx.clone()).hash(&dev_chain_id(), true).unwrap();
	tx.signature = sign_hash(hash, private_key).expect("the query hash signs");
	tx
}

/// `tx` signed for queries only, as the JSON of a query-version (`0x100…03`) invoke.
pub fn query_invoke_json(tx: InvokeTransactionV3, private_key: Felt) -> Value {
	let mut json = invoke_json(&signed_for_query(tx, private_key));
	json["version"] = json!("0x100000000000000000000000000000003");
	json
}

/// A number as the `0x…` JSON string Starknet JSON-RPC uses.
pub fn hex<T: std::fmt::LowerHex>(value: T) -> Value {
	format!("{value:#x}").into()
}

/// A felt as the `0x…` string clients take on their command line.
pub fn felt_hex(felt: Felt) -> String {
	format!("{felt:?}")
}

/// A `0x…` JSON string as a u128 (balances, fees).
pub fn parse_hex_u128(v: &Value) -> u128 {
	let s = v.as_str().unwrap_or_else(|| panic!("not a hex string: {v}"));
	u128::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

/// The file of a published class `scripts/setup` fetched for tests (`oz_account_0.8.0.sierra`,
/// `argent_account_0.4.0.sierra`; not in the genesis).
pub fn test_class_file(file: &str) -> PathBuf {
	cache_dir("CAIRN_TEST_CLASSES", "test-classes").join(file)
}

/// A published test class, compiled and hashed by this node's compiler (as the node compiles it
/// when it is declared).
pub fn test_class(file: &str) -> GenesisClass {
	let path = test_class_file(file);
	let artifact = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup)", path.display()));
	published_class(file, &artifact).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One of the project's own test contracts (`node/tests/contracts/NAME.cairo`, compiled by
/// `scripts/contracts` into `$CAIRN_TEST_CONTRACTS`, else `~/.cache/cairn/test-contracts`),
/// compiled and hashed by this node's compiler.
pub fn test_contract(name: &str) -> GenesisClass {
	let path = cache_dir("CAIRN_TEST_CONTRACTS", "test-contracts")
		.join(format!("{name}.contract_class.json"));
	let artifact = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup)", path.display()));
	published_class(name, &artifact).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A V3 transaction as `starknet_add*Transaction` takes it (`sierra`: a declare's class, JSON).
pub fn broadcasted_json(tx: &Transaction, sierra: Option<&str>) -> Value {
	match tx {
		Transaction::Invoke(tx) => invoke_json(tx),
		Transaction::Declare(tx) => json!({
			"type": "DECLARE",
			"version": "0x3",
			"sender_address": tx.sender_address,
			"compiled_class_hash": tx.compiled_class_hash,
			"signature": tx.signature,
			"nonce": tx.nonce,
			"contract_class": serde_json::from_str::<Value>(sierra.unwrap()).unwrap(),
			"resource_bounds": bounds_json(&tx.resource_bounds),
			"tip": hex(tx.tip),
			"paymaster_data": [],
			"account_deployment_data": [],
			"nonce_data_availability_mode": "L1",
			"fee_data_availability_mode": "L1",
		}),
		Transaction::DeployAccount(tx) => json!({
			"type": "DEPLOY_ACCOUNT",
			"version": "0x3",
			"signature": tx.signature,
			"nonce": tx.nonce,
			"contract_address_salt": tx.contract_address_salt,
			"constructor_calldata": tx.constructor_calldata,
			"class_hash": tx.class_hash,
			"resource_bounds": bounds_json(&tx.resource_bounds),
			"tip": hex(tx.tip),
			"paymaster_data": [],
			"nonce_data_availability_mode": "L1",
			"fee_data_availability_mode": "L1",
		}),
		Transaction::L1Handler(_) => panic!("L1 handlers are not broadcast"),
	}
}

//! Development methods, served on development chains only (dev sealing) and as **unsafe** RPC
//! (Substrate's `--rpc-methods` rules: refused on an external interface unless
//! `--rpc-methods unsafe`, and everywhere with `--rpc-methods safe`): starknet-devnet's
//! `devnet_*` and Katana's `dev_*`, with their parameter and answer shapes (devnet's by name,
//! Katana's by position or name).
//!
//! Every change of the chain is a root call the node authors (`author`: `sudo` signed with the
//! development key, through the pool into a block), so the chain stays replayable, exportable
//! and the same on every replica. The calls are pallet-starknet's (`pallet_starknet::dev`):
//! storage writes, u256 credits (a mint), and the Starknet clock and gas prices of the blocks
//! after the one carrying the call — the clock only forward (an offset over Substrate's time).
//! `devnet_dump`/`devnet_load` carry the chain itself: its raw spec and its blocks, which a node
//! of the same genesis imports to the same state (`dump`).
//!
//! devnet's postman (`devnet_postman*`, `postman`) bridges the chain to an L1 loaded at run time:
//! the project's core contract deployed (or attached) there, its messages to L2 executed and
//! the chain settled when asked (`postmanFlush`), and messages either way mocked without an L1.
//!
//! This file declares the methods and their types; `server` and `postman` implement them.
mod author;
mod dump;
mod postman;
mod server;

pub use server::{Dev, DevDeps};

use cairn_primitives::starknet::Felt;
use cairn_rpc_api::types::BlockId;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A fee token by its unit, as devnet names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
	/// ETH.
	#[serde(rename = "WEI")]
	Wei,
	/// STRK.
	#[serde(rename = "FRI")]
	Fri,
}

/// `devnet_mint`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct Minted {
	/// The balance after, in decimal.
	pub new_balance: String,
	pub unit: Unit,
	/// Always `null`: the mint is a root call, not a Starknet transaction.
	pub tx_hash: Option<Felt>,
}

/// An amount of a fee token (`devnet_getAccountBalance`).
#[derive(Clone, Debug, Serialize)]
pub struct Balance {
	/// In decimal.
	pub amount: String,
	pub unit: Unit,
}

/// Both fee-token balances of an account.
#[derive(Clone, Debug, Serialize)]
pub struct Balances {
	pub eth: Balance,
	pub strk: Balance,
}

/// A predeployed account, as `devnet_getPredeployedAccounts` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct PredeployedAccount {
	/// In decimal, each fee token.
	pub initial_balance: String,
	pub address: Felt,
	pub public_key: Felt,
	pub private_key: Felt,
	/// With `with_balance` only.
	pub balance: Option<Balances>,
}

/// A predeployed account, as Katana's `dev_predeployedAccounts` lists it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KatanaAccount {
	pub address: Felt,
	pub public_key: Felt,
	pub private_key: Felt,
	pub class_hash: Felt,
	/// The STRK balance, hex.
	pub balance: String,
}

/// A block just created.
#[derive(Clone, Debug, Serialize)]
pub struct NewBlock {
	/// Its Starknet hash.
	pub block_hash: Felt,
}

/// `devnet_setTime`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct TimeSet {
	pub block_timestamp: u64,
	/// The block created with that timestamp (`null` with `generate_block: false`).
	pub block_hash: Option<Felt>,
}

/// `devnet_increaseTime`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct TimeIncreased {
	pub timestamp_increased_by: u64,
	pub block_hash: Felt,
}

/// Gas prices as devnet names them: those of the blocks to come (`devnet_setGasPrice`).
#[derive(Clone, Debug, Serialize)]
pub struct GasPrices {
	pub gas_price_wei: u128,
	pub data_gas_price_wei: u128,
	pub gas_price_fri: u128,
	pub data_gas_price_fri: u128,
	pub l2_gas_price_wei: u128,
	pub l2_gas_price_fri: u128,
}

/// A message to L2, as devnet's postman names its fields.
#[derive(Clone, Debug, Serialize)]
pub struct MessageToL2 {
	/// The L1 transaction that sent it (`null` for a mocked one).
	pub l1_transaction_hash: Option<String>,
	pub l2_contract_address: Felt,
	pub entry_point_selector: Felt,
	/// The L1 sender.
	pub l1_contract_address: Felt,
	pub payload: Vec<Felt>,
	pub paid_fee_on_l1: Felt,
	pub nonce: Felt,
}

/// A message to L1, as devnet's postman names its fields.
#[derive(Clone, Debug, Serialize)]
pub struct MessageToL1 {
	/// The L2 contract that sent it.
	pub from_address: Felt,
	/// The L1 recipient (an Ethereum address).
	pub to_address: String,
	pub payload: Vec<Felt>,
}

/// `devnet_postmanFlush`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct Flushed {
	/// Messages to L1 of the blocks settled by this flush (with `dry_run`: of the blocks since
	/// the last flush, settled or not).
	pub messages_to_l1: Vec<MessageToL1>,
	/// Messages from L1 this flush included in blocks.
	pub messages_to_l2: Vec<MessageToL2>,
	/// The `l1_handler` transactions they became.
	pub generated_l2_transactions: Vec<Felt>,
	/// The L1's endpoint (`dry run` with `dry_run`).
	pub l1_provider: String,
}

/// `devnet_postmanLoad`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct MessagingContract {
	pub messaging_contract_address: String,
}

/// `devnet_postmanSendMessageToL2`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct TransactionHash {
	pub transaction_hash: Felt,
}

/// `devnet_postmanConsumeMessageFromL2`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct MessageHash {
	/// keccak256, `0x` and 64 hex digits.
	pub message_hash: String,
}

/// starknet-devnet's development methods.
#[rpc(server, namespace = "devnet")]
pub trait DevnetApi {
	/// Mint `amount` (a JSON integer) of a fee token (`unit`: `FRI`, the default, for STRK;
	/// `WEI` for ETH) to `address`: its balance and the token's total supply credited.
	#[method(name = "mint", with_extensions)]
	async fn mint(
		&self,
		address: Felt,
		amount: Box<serde_json::value::RawValue>,
		unit: Option<Unit>,
	) -> RpcResult<Minted>;

	/// A fee-token balance (`unit` as for `mint`) at `block_id` (default `latest`).
	#[method(name = "getAccountBalance", with_extensions)]
	async fn get_account_balance(
		&self,
		address: Felt,
		unit: Option<Unit>,
		block_id: Option<BlockId>,
	) -> RpcResult<Balance>;

	/// The chain's predeployed accounts, with their keys (and balances with `with_balance`).
	#[method(name = "getPredeployedAccounts", with_extensions)]
	async fn get_predeployed_accounts(
		&self,
		with_balance: Option<bool>,
	) -> RpcResult<Vec<PredeployedAccount>>;

	/// Seal a block now, even empty.
	#[method(name = "createBlock", with_extensions)]
	async fn create_block(&self) -> RpcResult<NewBlock>;

	/// The Starknet clock at `time` (Unix seconds, after the newest block's) from the next
	/// block, created now unless `generate_block` is false.
	#[method(name = "setTime", with_extensions)]
	async fn set_time(&self, time: u64, generate_block: Option<bool>) -> RpcResult<TimeSet>;

	/// The Starknet clock `time` seconds ahead from the next block on, which is created now.
	#[method(name = "increaseTime", with_extensions)]
	async fn increase_time(&self, time: u64) -> RpcResult<TimeIncreased>;

	/// Gas prices of the blocks to come (those not given keep their value); a block with them
	/// is created now if `generate_block`.
	#[method(name = "setGasPrice", with_extensions)]
	#[allow(clippy::too_many_arguments)]
	async fn set_gas_price(
		&self,
		gas_price_wei: Option<u128>,
		data_gas_price_wei: Option<u128>,
		gas_price_fri: Option<u128>,
		data_gas_price_fri: Option<u128>,
		l2_gas_price_wei: Option<u128>,
		l2_gas_price_fri: Option<u128>,
		generate_block: Option<bool>,
	) -> RpcResult<GasPrices>;

	/// The chain — its raw spec and its blocks — written to `path` on the node's machine
	/// (answer `null`), or answered when no path is given.
	#[method(name = "dump", with_extensions)]
	async fn dump(&self, path: Option<String>) -> RpcResult<Option<Value>>;

	/// The blocks of a dump at `path` imported (the node's chain must be a prefix of the dump's,
	/// from the same genesis: a fresh node of the dump's spec); answer `{}`.
	#[method(name = "load", with_extensions)]
	async fn load(&self, path: String) -> RpcResult<Value>;

	/// The node's development configuration, in devnet's terms.
	#[method(name = "getConfig", with_extensions)]
	async fn get_config(&self) -> RpcResult<Value>;

	/// Bridges the chain to the L1 at `network_url` (http): the core contract at
	/// `messaging_contract_address` (one of this chain's), or one deployed now from
	/// `deployer_account_private_key`'s account (Anvil's first by default), which then also
	/// settles. Refused when the node already follows an L1.
	#[method(name = "postmanLoad", with_extensions)]
	async fn postman_load(
		&self,
		network_url: String,
		messaging_contract_address: Option<String>,
		deployer_account_private_key: Option<String>,
	) -> RpcResult<MessagingContract>;

	/// Reads the L1's new messages to L2 and includes them in a block now, then settles the
	/// finalized blocks on L1, which makes their messages to L1 consumable there. With
	/// `dry_run`, only lists the messages to L1 of the blocks since the last flush.
	#[method(name = "postmanFlush", with_extensions)]
	async fn postman_flush(&self, dry_run: Option<bool>) -> RpcResult<Flushed>;

	/// Executes a message to L2 without an L1, as an `l1_handler` transaction in a block now.
	#[method(name = "postmanSendMessageToL2", with_extensions)]
	#[allow(clippy::too_many_arguments)]
	async fn postman_send_message_to_l2(
		&self,
		l2_contract_address: Felt,
		entry_point_selector: Felt,
		l1_contract_address: Felt,
		payload: Vec<Felt>,
		paid_fee_on_l1: Felt,
		nonce: Felt,
		l1_transaction_hash: Option<String>,
	) -> RpcResult<TransactionHash>;

	/// Consumes a message a block sent to L1, without an L1: each message sent can be consumed
	/// once.
	#[method(name = "postmanConsumeMessageFromL2", with_extensions)]
	async fn postman_consume_message_from_l2(
		&self,
		from_address: Felt,
		to_address: Felt,
		payload: Vec<Felt>,
	) -> RpcResult<MessageHash>;
}

/// Katana's development methods.
#[rpc(server, namespace = "dev")]
pub trait KatanaDevApi {
	/// Seal a block now, even empty.
	#[method(name = "generateBlock", with_extensions)]
	async fn generate_block(&self) -> RpcResult<()>;

	/// The next block's Starknet timestamp (Unix seconds, after the newest block's).
	#[method(name = "setNextBlockTimestamp", with_extensions)]
	async fn set_next_block_timestamp(&self, timestamp: u64) -> RpcResult<()>;

	/// The Starknet clock `timestamp` seconds ahead from the next block on.
	#[method(name = "increaseNextBlockTimestamp", with_extensions)]
	async fn increase_next_block_timestamp(&self, timestamp: u64) -> RpcResult<()>;

	/// A contract storage cell written.
	#[method(name = "setStorageAt", with_extensions)]
	async fn set_storage_at(&self, contract_address: Felt, key: Felt, value: Felt)
		-> RpcResult<()>;

	/// The chain's predeployed accounts.
	#[method(name = "predeployedAccounts", with_extensions)]
	async fn predeployed_accounts(&self) -> RpcResult<Vec<KatanaAccount>>;
}

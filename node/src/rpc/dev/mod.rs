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
//! This file declares the methods and their types; `server` implements them.
mod author;
mod dump;
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

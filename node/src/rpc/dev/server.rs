//! [`DevnetApiServer`] and [`KatanaDevApiServer`] over the node: changes through [`Author`],
//! reads through the Starknet RPC server and the pallet's storage.
use super::{
	author::{Author, Pool},
	dump, postman, Balance, Balances, DevnetApiServer, Flushed, GasPrices, KatanaAccount,
	KatanaDevApiServer, MessageHash, MessagingContract, Minted, NewBlock, PredeployedAccount,
	TimeIncreased, TimeSet, TransactionHash, Unit,
};
use crate::{
	chain_spec::DevGenesis,
	cli::Sealing,
	service::{l1_link::L1Link, FullBackend, FullClient, Indexing, StarknetIndex},
};
use cairn_executor::dev_genesis::{storage_var_address, DevAccount};
use cairn_primitives::{
	starknet::{
		exec::{ChainConfig, StarknetHeader},
		genesis::well_known,
		runtime_api::StarknetRuntimeApi,
		storage, Felt,
	},
	Block, Hash,
};
use cairn_rpc_api::{types::BlockId, StarknetReadApiServer};
use cairn_runtime::Runtime;
use jsonrpsee::{
	core::{async_trait, RpcResult},
	types::ErrorObjectOwned,
	Extensions,
};
use pallet_starknet::{ClockChange, NextBlocks};
use sc_client_api::HeaderBackend;
use serde_json::{json, value::RawValue, Value};
use sp_api::ProvideRuntimeApi;
use std::sync::Arc;

/// The Starknet RPC server of the node.
pub type Starknet = cairn_rpc::Starknet<Block, FullClient, FullBackend, Pool>;

/// What the development methods work with.
pub struct DevDeps {
	pub client: Arc<FullClient>,
	pub pool: Arc<Pool>,
	/// Where blocks are sealed on demand.
	pub engine: futures::channel::mpsc::Sender<sc_consensus_manual_seal::EngineCommand<Hash>>,
	pub sealing: Sealing,
	pub starknet: Starknet,
	/// The built-in spec's funded accounts (empty for a spec from a file) and how they were made.
	pub accounts: Vec<DevAccount>,
	pub genesis: Option<DevGenesis>,
	/// The chain's spec (what a dump carries).
	pub spec: Box<dyn sc_service::ChainSpec>,
	/// The node's block import, indexing (what a load imports through).
	pub import: Indexing<Arc<FullClient>>,
	/// The Starknet index (blocks' transactions and receipts).
	pub index: StarknetIndex,
	/// The node's L1, which `devnet_postmanLoad` attaches.
	pub l1: Arc<L1Link>,
	/// The core contract's artifact `devnet_postmanLoad` deploys (`None`: the default path).
	pub l1_core_artifact: Option<std::path::PathBuf>,
}

/// The development methods' server: a cheap handle.
#[derive(Clone)]
pub struct Dev(Arc<Inner>);

struct Inner {
	deps: DevDeps,
	author: Author,
	/// The postman's record of messages to L1 (one postman call at a time).
	postman: tokio::sync::Mutex<postman::Record>,
}

impl Dev {
	pub fn new(deps: DevDeps) -> Self {
		let author =
			Author::new(deps.client.clone(), deps.pool.clone(), deps.engine.clone(), deps.sealing);
		Dev(Arc::new(Inner { deps, author, postman: Default::default() }))
	}

	pub(super) fn author(&self) -> &Author {
		&self.0.author
	}

	pub(super) fn postman_record(&self) -> &tokio::sync::Mutex<postman::Record> {
		&self.0.postman
	}

	pub(super) fn deps(&self) -> &DevDeps {
		&self.0.deps
	}

	/// The chain configuration at the best block.
	fn config(&self) -> Result<ChainConfig, String> {
		let client = &self.deps().client;
		client.runtime_api().chain_config(client.info().best_hash).map_err(|e| e.to_string())
	}

	/// The Starknet header of Substrate block `block`.
	fn header(&self, block: Hash) -> Result<StarknetHeader, String> {
		let client = &self.deps().client;
		let number = client
			.number(block)
			.map_err(|e| e.to_string())?
			.ok_or_else(|| format!("block {block} is not known"))?;
		crate::service::dev_sudo::read(client, block, storage::header_key(number.into()))?
			.ok_or_else(|| format!("block {block} has no Starknet header"))
	}

	/// The fee token of `unit`.
	fn token(&self, unit: Unit) -> Result<Felt, String> {
		let config = self.config()?;
		Ok(match unit {
			Unit::Fri => config.strk_fee_token,
			Unit::Wei => config.eth_fee_token,
		})
	}

	/// `address`'s balance of `unit` at `block_id`, in decimal.
	fn balance(&self, address: Felt, unit: Unit, block_id: BlockId) -> Result<String, String> {
		let token = self.token(unit)?;
		let low_key = storage_var_address("ERC20_balances", &[address]);
		let read = |key: Felt| {
			self.deps()
				.starknet
				.get_storage_at(token, key, block_id)
				.map_err(|e| e.message().to_string())
				.and_then(|word| word.to_u128().ok_or_else(|| "not a u256 balance".to_string()))
		};
		let (low, high) = (read(low_key)?, read(low_key.next())?);
		Ok(((sp_core::U256::from(high) << 128) | sp_core::U256::from(low)).to_string())
	}

	/// A block sealed now (even empty): its Starknet hash.
	async fn new_block(&self) -> Result<Felt, String> {
		let block = self.0.author.seal(true).await?;
		Ok(self.header(block)?.block_hash)
	}

	/// The newest block's Starknet timestamp.
	fn latest_timestamp(&self) -> Result<u64, String> {
		Ok(self.header(self.0.author.best())?.timestamp)
	}

	/// The clock at `timestamp` from the next block: refused unless after the newest block's.
	async fn clock_at(&self, timestamp: u64) -> Result<(), String> {
		let latest = self.latest_timestamp()?;
		if timestamp <= latest {
			return Err(format!(
				"the Starknet clock only moves forward: {timestamp} is not after the newest \
				 block's timestamp, {latest}"
			));
		}
		self.change(NextBlocks { clock: Some(ClockChange::At(timestamp)), gas_prices: None }).await
	}

	/// The clock `seconds` ahead from the next block on.
	async fn clock_ahead(&self, seconds: u64) -> Result<(), String> {
		self.change(NextBlocks { clock: Some(ClockChange::Increase(seconds)), gas_prices: None })
			.await
	}

	async fn change(&self, change: NextBlocks) -> Result<(), String> {
		self.0.author.apply(pallet_starknet::Call::<Runtime>::set_next_blocks { change }).await?;
		Ok(())
	}

	fn predeployed(&self) -> &[DevAccount] {
		&self.deps().accounts
	}
}

/// Unsafe RPC: refused where Substrate refuses `author_insertKey`.
fn check(ext: &Extensions) -> RpcResult<()> {
	Ok(sc_rpc_api::check_if_safe(ext)?)
}

/// devnet's error for a method that failed: code -1, the reason as the message.
pub(super) fn devnet(reason: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(-1, reason.to_string(), None::<()>)
}

/// Katana's: code 2, the reason as data.
fn katana(reason: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(
		2,
		"An unexpected error occurred",
		Some(json!({ "reason": reason.to_string() })),
	)
}

pub(super) fn invalid(reason: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(-32602, "Invalid params", Some(reason.to_string()))
}

/// A mint amount, read exactly from its JSON text: a non-negative integer — as devnet's clients
/// send big ones, an integer literal of any length (`1000000000000000000001`), or in exponent
/// form when whole (`1e21`) — or a decimal or `0x` string; at most 2^128 − 1.
fn amount(raw: &RawValue) -> Result<u128, String> {
	let text = raw.get().trim();
	let too_big = || format!("amount {text} is more than 2^128 - 1");
	if text.starts_with('"') {
		let text: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
		return match text.strip_prefix("0x") {
			Some(hex) => u128::from_str_radix(hex, 16),
			None => text.parse(),
		}
		.map_err(|e| format!("amount {text:?}: {e}"));
	}
	let not_whole = || format!("amount {text} is not a non-negative whole number");
	let (mantissa, exponent) = match text.split_once(['e', 'E']) {
		Some((mantissa, exponent)) => {
			(mantissa, exponent.trim_start_matches('+').parse::<i32>().map_err(|_| not_whole())?)
		}
		None => (text, 0),
	};
	let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
	let digits = format!("{whole}{fraction}");
	if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
		return Err(not_whole());
	}
	// The value is digits × 10^shift.
	let shift = i64::from(exponent) - fraction.len() as i64;
	let digits = if shift >= 0 {
		if shift > 40 {
			return Err(too_big());
		}
		format!("{digits}{}", "0".repeat(shift as usize))
	} else {
		let cut = digits.len().saturating_sub(shift.unsigned_abs() as usize);
		if digits[cut..].bytes().any(|b| b != b'0') {
			return Err(not_whole());
		}
		digits[..cut].to_string()
	};
	let digits = digits.trim_start_matches('0');
	if digits.is_empty() {
		return Ok(0);
	}
	digits.parse().map_err(|_| too_big())
}

#[async_trait]
impl DevnetApiServer for Dev {
	async fn mint(
		&self,
		ext: &Extensions,
		address: Felt,
		amount: Box<RawValue>,
		unit: Option<Unit>,
	) -> RpcResult<Minted> {
		check(ext)?;
		let amount = self::amount(&amount).map_err(invalid)?;
		let unit = unit.unwrap_or(Unit::Fri);
		let token = self.token(unit).map_err(devnet)?;
		let keys = vec![
			storage_var_address("ERC20_balances", &[address]),
			storage_var_address("ERC20_total_supply", &[]),
		];
		let call = pallet_starknet::Call::<Runtime>::credit { contract: token, keys, amount };
		let block = self.0.author.apply(call).await.map_err(devnet)?;
		let number = self.header(block).map_err(devnet)?.block_number;
		let new_balance = self.balance(address, unit, BlockId::Number(number)).map_err(devnet)?;
		Ok(Minted { new_balance, unit, tx_hash: None })
	}

	async fn get_account_balance(
		&self,
		ext: &Extensions,
		address: Felt,
		unit: Option<Unit>,
		block_id: Option<BlockId>,
	) -> RpcResult<Balance> {
		check(ext)?;
		let unit = unit.unwrap_or(Unit::Fri);
		let amount =
			self.balance(address, unit, block_id.unwrap_or(BlockId::Latest)).map_err(devnet)?;
		Ok(Balance { amount, unit })
	}

	async fn get_predeployed_accounts(
		&self,
		ext: &Extensions,
		with_balance: Option<bool>,
	) -> RpcResult<Vec<PredeployedAccount>> {
		check(ext)?;
		self.predeployed()
			.iter()
			.map(|account| {
				let balance = |unit| {
					self.balance(account.address, unit, BlockId::Latest)
						.map(|amount| Balance { amount, unit })
				};
				let balance = match with_balance.unwrap_or(false) {
					true => Some(Balances { eth: balance(Unit::Wei)?, strk: balance(Unit::Fri)? }),
					false => None,
				};
				Ok(PredeployedAccount {
					initial_balance: well_known::DEV_ACCOUNT_BALANCE.to_string(),
					address: account.address,
					public_key: account.public_key,
					private_key: account.private_key,
					balance,
				})
			})
			.collect::<Result<_, String>>()
			.map_err(devnet)
	}

	async fn create_block(&self, ext: &Extensions) -> RpcResult<NewBlock> {
		check(ext)?;
		Ok(NewBlock { block_hash: self.new_block().await.map_err(devnet)? })
	}

	async fn set_time(
		&self,
		ext: &Extensions,
		time: u64,
		generate_block: Option<bool>,
	) -> RpcResult<TimeSet> {
		check(ext)?;
		self.clock_at(time).await.map_err(devnet)?;
		let block_hash = match generate_block.unwrap_or(true) {
			true => Some(self.new_block().await.map_err(devnet)?),
			false => None,
		};
		Ok(TimeSet { block_timestamp: time, block_hash })
	}

	async fn increase_time(&self, ext: &Extensions, time: u64) -> RpcResult<TimeIncreased> {
		check(ext)?;
		self.clock_ahead(time).await.map_err(devnet)?;
		let block_hash = self.new_block().await.map_err(devnet)?;
		Ok(TimeIncreased { timestamp_increased_by: time, block_hash })
	}

	async fn set_gas_price(
		&self,
		ext: &Extensions,
		gas_price_wei: Option<u128>,
		data_gas_price_wei: Option<u128>,
		gas_price_fri: Option<u128>,
		data_gas_price_fri: Option<u128>,
		l2_gas_price_wei: Option<u128>,
		l2_gas_price_fri: Option<u128>,
		generate_block: Option<bool>,
	) -> RpcResult<GasPrices> {
		check(ext)?;
		let mut prices = self.config().map_err(devnet)?.gas_prices;
		for (price, given) in [
			(&mut prices.l1_gas_price_wei, gas_price_wei),
			(&mut prices.l1_data_gas_price_wei, data_gas_price_wei),
			(&mut prices.l1_gas_price_fri, gas_price_fri),
			(&mut prices.l1_data_gas_price_fri, data_gas_price_fri),
			(&mut prices.l2_gas_price_wei, l2_gas_price_wei),
			(&mut prices.l2_gas_price_fri, l2_gas_price_fri),
		] {
			match given {
				Some(0) => return Err(invalid("gas prices are positive")),
				Some(given) => *price = given,
				None => {}
			}
		}
		self.change(NextBlocks { clock: None, gas_prices: Some(prices) }).await.map_err(devnet)?;
		if generate_block.unwrap_or(false) {
			self.new_block().await.map_err(devnet)?;
		}
		Ok(GasPrices {
			gas_price_wei: prices.l1_gas_price_wei,
			data_gas_price_wei: prices.l1_data_gas_price_wei,
			gas_price_fri: prices.l1_gas_price_fri,
			data_gas_price_fri: prices.l1_data_gas_price_fri,
			l2_gas_price_wei: prices.l2_gas_price_wei,
			l2_gas_price_fri: prices.l2_gas_price_fri,
		})
	}

	async fn dump(&self, ext: &Extensions, path: Option<String>) -> RpcResult<Option<Value>> {
		check(ext)?;
		let this = self.clone();
		tokio::task::spawn_blocking(move || {
			let dumped = dump::dump(&this.deps().client, this.deps().spec.as_ref())?;
			match path {
				None => Ok::<_, String>(Some(dumped)),
				Some(path) => {
					let text = serde_json::to_vec(&dumped).map_err(|e| e.to_string())?;
					std::fs::write(&path, text).map_err(|e| format!("writing {path}: {e}"))?;
					Ok(None)
				}
			}
		})
		.await
		.map_err(devnet)?
		.map_err(devnet)
	}

	async fn load(&self, ext: &Extensions, path: String) -> RpcResult<Value> {
		check(ext)?;
		let text = {
			let path = path.clone();
			tokio::task::spawn_blocking(move || std::fs::read_to_string(&path))
		}
		.await
		.map_err(devnet)?
		.map_err(|e| devnet(format!("reading {path}: {e}")))?;
		let imported =
			dump::load(&self.deps().client, &self.deps().import, &text).await.map_err(devnet)?;
		log::info!("📥 Loaded {imported} blocks from {path}");
		Ok(json!({}))
	}

	async fn get_config(&self, ext: &Extensions) -> RpcResult<Value> {
		check(ext)?;
		let config = self.config().map_err(devnet)?;
		let prices = &config.gas_prices;
		let class_hash =
			|token: Felt| self.deps().starknet.get_class_hash_at(BlockId::Latest, token).ok();
		let block_generation_on = match self.deps().sealing {
			Sealing::Instant => json!("transaction"),
			Sealing::Manual => json!("demand"),
			Sealing::Interval(ms) => json!({ "interval": ms as f64 / 1000.0 }),
		};
		let genesis = self.deps().genesis;
		Ok(json!({
			"seed": genesis.map(|g| g.seed),
			"total_accounts": self.predeployed().len(),
			"account_contract_class_hash": self.predeployed().first().map(|a| a.class_hash),
			"predeployed_accounts_initial_balance": well_known::DEV_ACCOUNT_BALANCE.to_string(),
			"start_time": None::<u64>,
			"gas_price_wei": prices.l1_gas_price_wei,
			"gas_price_fri": prices.l1_gas_price_fri,
			"data_gas_price_wei": prices.l1_data_gas_price_wei,
			"data_gas_price_fri": prices.l1_data_gas_price_fri,
			"l2_gas_price_wei": prices.l2_gas_price_wei,
			"l2_gas_price_fri": prices.l2_gas_price_fri,
			"chain_id": String::from_utf8_lossy(&config.chain_id),
			"dump_on": None::<String>,
			"dump_path": None::<String>,
			"block_generation_on": block_generation_on,
			"lite_mode": false,
			"fork_config": { "url": None::<String>, "block_number": None::<u64> },
			"eth_erc20_class_hash": class_hash(config.eth_fee_token),
			"strk_erc20_class_hash": class_hash(config.strk_fee_token),
			"engine": genesis.map(|g| format!("{:?}", g.engine).to_lowercase()),
		}))
	}

	async fn postman_load(
		&self,
		ext: &Extensions,
		network_url: String,
		messaging_contract_address: Option<String>,
		deployer_account_private_key: Option<String>,
	) -> RpcResult<MessagingContract> {
		check(ext)?;
		self.load_l1(network_url, messaging_contract_address, deployer_account_private_key).await
	}

	async fn postman_flush(&self, ext: &Extensions, dry_run: Option<bool>) -> RpcResult<Flushed> {
		check(ext)?;
		self.flush(dry_run.unwrap_or(false)).await
	}

	async fn postman_send_message_to_l2(
		&self,
		ext: &Extensions,
		l2_contract_address: Felt,
		entry_point_selector: Felt,
		l1_contract_address: Felt,
		payload: Vec<Felt>,
		paid_fee_on_l1: Felt,
		nonce: Felt,
		_l1_transaction_hash: Option<String>,
	) -> RpcResult<TransactionHash> {
		check(ext)?;
		let message = postman::Mocked {
			to_address: l2_contract_address,
			selector: entry_point_selector,
			from_address: l1_contract_address,
			payload,
			paid_fee_on_l1,
			nonce,
		};
		self.send_to_l2(message).await
	}

	async fn postman_consume_message_from_l2(
		&self,
		ext: &Extensions,
		from_address: Felt,
		to_address: Felt,
		payload: Vec<Felt>,
	) -> RpcResult<MessageHash> {
		check(ext)?;
		self.consume_from_l2(from_address, to_address, payload).await
	}
}

#[async_trait]
impl KatanaDevApiServer for Dev {
	async fn generate_block(&self, ext: &Extensions) -> RpcResult<()> {
		check(ext)?;
		self.0.author.seal(true).await.map_err(katana)?;
		Ok(())
	}

	async fn set_next_block_timestamp(&self, ext: &Extensions, timestamp: u64) -> RpcResult<()> {
		check(ext)?;
		self.clock_at(timestamp).await.map_err(katana)
	}

	async fn increase_next_block_timestamp(
		&self,
		ext: &Extensions,
		timestamp: u64,
	) -> RpcResult<()> {
		check(ext)?;
		self.clock_ahead(timestamp).await.map_err(katana)
	}

	async fn set_storage_at(
		&self,
		ext: &Extensions,
		contract_address: Felt,
		key: Felt,
		value: Felt,
	) -> RpcResult<()> {
		check(ext)?;
		let call = pallet_starknet::Call::<Runtime>::set_storage {
			writes: vec![(contract_address, key, value)],
		};
		self.0.author.apply(call).await.map_err(katana)?;
		Ok(())
	}

	async fn predeployed_accounts(&self, ext: &Extensions) -> RpcResult<Vec<KatanaAccount>> {
		check(ext)?;
		self.predeployed()
			.iter()
			.map(|account| {
				let balance = self.balance(account.address, Unit::Fri, BlockId::Latest)?;
				let balance =
					sp_core::U256::from_dec_str(&balance).map_err(|e| format!("{e:?}"))?;
				Ok(KatanaAccount {
					address: account.address,
					public_key: account.public_key,
					private_key: account.private_key,
					class_hash: account.class_hash,
					balance: format!("{balance:#x}"),
				})
			})
			.collect::<Result<_, String>>()
			.map_err(katana)
	}
}

#[cfg(test)]
mod tests {
	use super::amount;

	fn parsed(text: &str) -> Result<u128, String> {
		amount(&serde_json::value::RawValue::from_string(text.to_string()).unwrap())
	}

	#[test]
	fn amounts_are_read_exactly_from_their_json_text() {
		assert_eq!(parsed("1000000000000000000001"), Ok(1_000_000_000_000_000_000_001));
		assert_eq!(parsed("1e21"), Ok(1_000_000_000_000_000_000_000));
		assert_eq!(parsed("1.5e1"), Ok(15));
		assert_eq!(parsed("2.50E+2"), Ok(250));
		assert_eq!(parsed("1000.0"), Ok(1_000));
		assert_eq!(parsed("0"), Ok(0));
		assert_eq!(parsed("\"0x10\""), Ok(16));
		assert_eq!(parsed("\"12\""), Ok(12));
		assert_eq!(parsed(&u128::MAX.to_string()), Ok(u128::MAX));
		for bad in [
			"-1",
			"1.5",
			"1e-1",
			"1e39",
			"340282366920938463463374607431768211456",
			"\"x\"",
			"true",
			"[]",
			"1e99999999999",
		] {
			assert!(parsed(bad).is_err(), "{bad}");
		}
	}
}

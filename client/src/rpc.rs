//! The `starknet_*` methods.
//!
//! Reads come straight from pallet-starknet's storage at the requested block (keys from
//! [`cairn_primitives::starknet::storage`]); writes become the pallet's unsigned extrinsics
//! (built by the runtime) and go to the transaction pool, whose verdicts map to the spec's errors.
//!
//! Block ids: `latest` is the best block; `pre_confirmed` is the block being built on it (Cairn
//! executes transactions when it seals, so it holds none yet: block reads answer the spec's
//! pre-confirmed shapes with no transactions, state reads see the best block's state);
//! `l1_accepted` is the finalized block (Cairn settles nowhere yet), numbers are Substrate block
//! numbers (Starknet block n is Substrate block n), hashes are Starknet block hashes (see
//! [`crate::index`]).
use crate::{
	index::{Index, IndexedBlock},
	trace, StarknetClient,
};
use crate::{
	types::{
		da_mode, invoke_json, resource_bounds_json, AddDeclareResult, AddDeployAccountResult,
		AddInvokeResult, BlockId, EventsRequest, FeeEstimate, FunctionCall, MessageFromL1,
		StarknetError,
	},
	SPEC_VERSION,
};
use cairn_primitives::starknet::{
	exec::{
		ClassDefinition, ExecError, ExecMode, ExecOutcome, FeeUnit, Rejection, StateDiff,
		TransactionKind, TransactionTrace,
	},
	runtime_api::StarknetRuntimeApi,
	storage, Felt, L1HandlerTransaction, Transaction,
};
use codec::Decode;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::{error::Error as PoolError, error::IntoPoolError, TransactionPool};
use sc_transaction_pool_api::{InPoolTransaction, TxHash};
use serde_json::{json, Value};
use sp_runtime::{
	traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto},
	transaction_validity::{InvalidTransaction, TransactionSource},
};
use starknet_api::{
	core::ChainId,
	rpc_transaction::{
		RpcDeclareTransaction, RpcDeployAccountTransaction, RpcInvokeTransaction, RpcTransaction,
	},
	transaction as api,
};
use std::{
	collections::HashMap,
	marker::PhantomData,
	sync::{Arc, Mutex},
};

/// The Starknet JSON-RPC methods Cairn serves.
#[rpc(server, namespace = "starknet")]
pub trait StarknetApi {
	/// The spec version served.
	#[method(name = "specVersion")]
	fn spec_version(&self) -> RpcResult<String>;

	/// The chain id (its ASCII name as a felt).
	#[method(name = "chainId")]
	fn chain_id(&self) -> RpcResult<Felt>;

	/// The newest block's number.
	#[method(name = "blockNumber")]
	fn block_number(&self) -> RpcResult<u64>;

	/// A contract's nonce.
	#[method(name = "getNonce")]
	fn get_nonce(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Felt>;

	/// A contract's storage cell.
	#[method(name = "getStorageAt")]
	fn get_storage_at(
		&self,
		contract_address: Felt,
		key: Felt,
		block_id: BlockId,
	) -> RpcResult<Felt>;

	/// A contract's class hash.
	#[method(name = "getClassHashAt")]
	fn get_class_hash_at(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Felt>;

	/// A declared class (Sierra, as declared).
	#[method(name = "getClass")]
	fn get_class(&self, block_id: BlockId, class_hash: Felt) -> RpcResult<Value>;

	/// A contract's class.
	#[method(name = "getClassAt")]
	fn get_class_at(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Value>;

	/// The newest block's Starknet hash and number.
	#[method(name = "blockHashAndNumber")]
	async fn block_hash_and_number(&self) -> RpcResult<Value>;

	/// A block with its transactions' hashes.
	#[method(name = "getBlockWithTxHashes")]
	async fn get_block_with_tx_hashes(&self, block_id: BlockId) -> RpcResult<Value>;

	/// How many transactions a block has.
	#[method(name = "getBlockTransactionCount")]
	async fn get_block_transaction_count(&self, block_id: BlockId) -> RpcResult<u64>;

	/// A transaction's receipt.
	#[method(name = "getTransactionReceipt")]
	async fn get_transaction_receipt(&self, transaction_hash: Felt) -> RpcResult<Value>;

	/// A transaction's finality and execution status.
	#[method(name = "getTransactionStatus")]
	async fn get_transaction_status(&self, transaction_hash: Felt) -> RpcResult<Value>;

	/// A block with its transactions.
	#[method(name = "getBlockWithTxs")]
	async fn get_block_with_txs(&self, block_id: BlockId) -> RpcResult<Value>;

	/// A block with its transactions and their receipts.
	#[method(name = "getBlockWithReceipts")]
	async fn get_block_with_receipts(&self, block_id: BlockId) -> RpcResult<Value>;

	/// A transaction by its hash.
	#[method(name = "getTransactionByHash")]
	async fn get_transaction_by_hash(&self, transaction_hash: Felt) -> RpcResult<Value>;

	/// A transaction by its block and index.
	#[method(name = "getTransactionByBlockIdAndIndex")]
	async fn get_transaction_by_block_id_and_index(
		&self,
		block_id: BlockId,
		index: u64,
	) -> RpcResult<Value>;

	/// Events matching a filter, a page at a time.
	#[method(name = "getEvents")]
	async fn get_events(&self, filter: EventsRequest) -> RpcResult<Value>;

	/// The state diff a block applied.
	#[method(name = "getStateUpdate")]
	async fn get_state_update(
		&self,
		block_id: BlockId,
		contract_addresses: Option<Vec<Felt>>,
	) -> RpcResult<Value>;

	/// Estimate the fee of an L1 → L2 message's L1 handler.
	#[method(name = "estimateMessageFee")]
	fn estimate_message_fee(&self, message: MessageFromL1, block_id: BlockId) -> RpcResult<Value>;

	/// The L2 transactions an L1 transaction's messages caused: Cairn reads no L1, so none is
	/// ever known (TXN_HASH_NOT_FOUND).
	#[method(name = "getMessagesStatus")]
	fn get_messages_status(&self, transaction_hash: Value) -> RpcResult<Value>;

	/// Whether the node is syncing: a sequencer never is (`false`).
	#[method(name = "syncing")]
	fn syncing(&self) -> RpcResult<bool>;

	/// Merkle proofs of Starknet state: Cairn keeps no Starknet state commitment yet, so every
	/// existing block answers STORAGE_PROOF_NOT_SUPPORTED.
	#[method(name = "getStorageProof")]
	fn get_storage_proof(
		&self,
		block_id: BlockId,
		class_hashes: Option<Vec<Felt>>,
		contract_addresses: Option<Vec<Felt>>,
		contracts_storage_keys: Option<Vec<Value>>,
	) -> RpcResult<Value>;

	/// The CASM this node compiled a declared class to.
	#[method(name = "getCompiledCasm")]
	fn get_compiled_casm(&self, class_hash: Felt) -> RpcResult<Value>;

	/// Call a contract's entry point without a transaction.
	#[method(name = "call")]
	fn call(&self, request: FunctionCall, block_id: BlockId) -> RpcResult<Vec<Felt>>;

	/// Estimate the fees of a sequence of transactions, each on the state the previous left.
	#[method(name = "estimateFee")]
	fn estimate_fee(
		&self,
		request: Vec<Value>,
		simulation_flags: Vec<String>,
		block_id: BlockId,
	) -> RpcResult<Vec<FeeEstimate>>;

	/// Submit a V3 invoke transaction.
	/// Execute transactions on top of a block's state, writing nothing: their traces and fees.
	#[method(name = "simulateTransactions")]
	fn simulate_transactions(
		&self,
		block_id: BlockId,
		transactions: Vec<Value>,
		simulation_flags: Vec<String>,
	) -> RpcResult<Value>;

	/// The execution trace of a mined transaction (its block's prefix is re-executed).
	#[method(name = "traceTransaction")]
	async fn trace_transaction(&self, transaction_hash: Felt) -> RpcResult<Value>;

	/// The execution traces of a block's transactions (the block is re-executed).
	#[method(name = "traceBlockTransactions")]
	async fn trace_block_transactions(
		&self,
		block_id: BlockId,
		trace_flags: Option<Vec<String>>,
	) -> RpcResult<Value>;

	#[method(name = "addInvokeTransaction")]
	async fn add_invoke_transaction(&self, invoke_transaction: Value)
		-> RpcResult<AddInvokeResult>;

	/// Submit a V3 declare transaction.
	#[method(name = "addDeclareTransaction")]
	async fn add_declare_transaction(
		&self,
		declare_transaction: Value,
	) -> RpcResult<AddDeclareResult>;

	/// Submit a V3 deploy-account transaction.
	#[method(name = "addDeployAccountTransaction")]
	async fn add_deploy_account_transaction(
		&self,
		deploy_account_transaction: Value,
	) -> RpcResult<AddDeployAccountResult>;
}

/// The server: the node's client (state, runtime APIs), its backend, its transaction pool and
/// the Starknet index.
pub struct Starknet<B: BlockT, C, BE, P: TransactionPool> {
	client: Arc<C>,
	pool: Arc<P>,
	index: Index<B, C, BE>,
	/// Starknet hash → pool hash of the transactions this server submitted, until they are
	/// mined (so that a transaction still in the pool reads as `RECEIVED`).
	received: Mutex<HashMap<Felt, TxHash<P>>>,
	/// The chain id at the last block asked about (every submission hashes with it; reading it
	/// is a runtime call).
	chain_id: Mutex<Option<(B::Hash, ChainId)>>,
	_marker: PhantomData<(B, BE)>,
}

/// Most submitted transactions [`Starknet`] remembers as received.
const MAX_RECEIVED: usize = 65_536;

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool,
{
	/// A server over `client` and `pool`.
	pub fn new(client: Arc<C>, pool: Arc<P>) -> Self {
		let index = Index::new(client.clone());
		let received = Mutex::new(HashMap::new());
		let chain_id = Mutex::new(None);
		Starknet { client, pool, index, received, chain_id, _marker: PhantomData }
	}
}

type Result<T> = std::result::Result<T, StarknetError>;

/// Most events one `starknet_getEvents` page holds.
const MAX_EVENTS_CHUNK: u64 = 1024;
/// Most keys one `starknet_getEvents` filter holds (over all positions).
const MAX_FILTER_KEYS: usize = 256;

fn unexpected(error: impl std::fmt::Display) -> StarknetError {
	StarknetError::UnexpectedError(error.to_string())
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	fn block(&self, id: BlockId) -> Result<B::Hash> {
		let info = self.client.info();
		match id {
			BlockId::Latest | BlockId::PreConfirmed => Ok(info.best_hash),
			BlockId::L1Accepted => Ok(info.finalized_hash),
			BlockId::Number(number) => {
				let number = number.try_into().map_err(|_| StarknetError::BlockNotFound)?;
				self.client.hash(number).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)
			}
			BlockId::Hash(hash) => self
				.index
				.block_of_starknet_hash(hash)
				.map_err(unexpected)?
				.ok_or(StarknetError::BlockNotFound),
		}
	}

	/// The number of the block a block id names.
	fn number(&self, id: BlockId) -> Result<u64> {
		let hash = self.block(id)?;
		let header =
			self.client.header(hash).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)?;
		Ok((*header.number()).unique_saturated_into())
	}

	/// The indexed Starknet block of a block id.
	async fn indexed(&self, id: BlockId) -> Result<IndexedBlock> {
		let hash = self.block(id)?;
		self.index.block(hash).await.map_err(unexpected)
	}

	/// Where a transaction is: looked up in the index, after indexing up to the best block.
	async fn locate(&self, tx_hash: Felt) -> Result<(IndexedBlock, usize)> {
		let mut location = self.index.transaction(tx_hash).map_err(unexpected)?;
		if location.is_none() {
			self.index.block(self.client.info().best_hash).await.map_err(unexpected)?;
			location = self.index.transaction(tx_hash).map_err(unexpected)?;
		}
		let location = location.ok_or(StarknetError::TxnHashNotFound)?;
		let block = self.index.block(location.block).await.map_err(unexpected)?;
		Ok((block, location.index as usize))
	}

	fn read<T: Decode>(&self, at: B::Hash, key: Vec<u8>) -> Result<Option<T>> {
		let Some(data) =
			self.client.storage(at, &sc_client_api::StorageKey(key)).map_err(unexpected)?
		else {
			return Ok(None);
		};
		T::decode(&mut &data.0[..]).map(Some).map_err(unexpected)
	}

	fn class_hash_at(&self, at: B::Hash, contract: Felt) -> Result<Felt> {
		self.read(at, storage::map_key(storage::CONTRACT_CLASS_HASHES, &contract))?
			.ok_or(StarknetError::ContractNotFound)
	}

	fn class(&self, at: B::Hash, class_hash: Felt) -> Result<Value> {
		let sierra: Vec<u8> = self
			.read(at, storage::map_key(storage::SIERRA_CLASSES, &class_hash))?
			.ok_or(StarknetError::ClassHashNotFound)?;
		serde_json::from_slice(&sierra).map_err(unexpected)
	}

	fn chain_id_at(&self, at: B::Hash) -> Result<ChainId> {
		if let Some((hash, chain_id)) = &*self.chain_id.lock().unwrap_or_else(|e| e.into_inner()) {
			if *hash == at {
				return Ok(chain_id.clone());
			}
		}
		let chain_id = self.read_chain_id(at)?;
		*self.chain_id.lock().unwrap_or_else(|e| e.into_inner()) = Some((at, chain_id.clone()));
		Ok(chain_id)
	}

	fn read_chain_id(&self, at: B::Hash) -> Result<ChainId> {
		let config = self.client.runtime_api().chain_config(at).map_err(unexpected)?;
		Ok(ChainId::from(String::from_utf8_lossy(&config.chain_id).into_owned()))
	}

	/// Hash `tx`, wrap it into the pallet's extrinsic and hand it to the pool.
	async fn submit(&self, tx: Transaction, class: Option<Vec<u8>>) -> Result<Felt> {
		let best = self.client.info().best_hash;
		let chain_id = self.chain_id_at(best)?;
		let hash = cairn_primitives::starknet::executor::transaction_hash(&tx, &chain_id, false)
			.map_err(|e| StarknetError::InvalidParams(e.to_string()))?;
		let xt = self
			.client
			.runtime_api()
			.extrinsic(best, tx.clone(), class.clone())
			.map_err(unexpected)?
			.ok_or_else(|| unexpected("the runtime cannot carry this transaction"))?;
		match self.pool.submit_one(best, TransactionSource::External, xt).await {
			Ok(pool_hash) => {
				let mut received = self.received.lock().unwrap_or_else(|e| e.into_inner());
				if received.len() >= MAX_RECEIVED {
					// One look at the future queue for the whole prune, not one per entry.
					let futures: std::collections::HashSet<_> =
						self.pool.futures().iter().map(|tx| tx.hash().clone()).collect();
					received.retain(|_, pool_hash| {
						futures.contains(pool_hash)
							|| self.pool.ready_transaction(pool_hash).is_some()
					});
				}
				received.insert(hash, pool_hash);
				Ok(hash)
			}
			Err(error) => Err(self.pool_error(error, best, tx, class)),
		}
	}

	/// The spec's error for a pool verdict. The pool keeps only a code; for the errors whose
	/// spec carries a reason, the transaction is executed again (read-only) to recover
	/// blockifier's message.
	fn pool_error(
		&self,
		error: P::Error,
		at: B::Hash,
		tx: Transaction,
		class: Option<Vec<u8>>,
	) -> StarknetError {
		let reason = || match self.client.runtime_api().execute(at, tx, class, ExecMode::Pool) {
			Ok(Err(ExecError::Rejected(_, message))) | Ok(Err(ExecError::Internal(message))) => {
				String::from_utf8_lossy(&message).into_owned()
			}
			Ok(Ok(_)) => "the transaction is valid now".into(),
			Err(e) => e.to_string(),
		};
		let error = match error.into_pool_error() {
			Ok(error) => error,
			Err(error) => return unexpected(format!("{error:?}")),
		};
		match error {
			PoolError::InvalidTransaction(InvalidTransaction::Stale)
			| PoolError::InvalidTransaction(InvalidTransaction::Future) => {
				StarknetError::InvalidTransactionNonce(reason())
			}
			PoolError::InvalidTransaction(InvalidTransaction::Custom(code)) => match code {
				2 => StarknetError::InsufficientResourcesForValidate,
				3 => StarknetError::InsufficientAccountBalance,
				4 => StarknetError::ValidationFailure(reason()),
				5 => StarknetError::ClassAlreadyDeclared,
				6 => StarknetError::ClassHashNotFound,
				7 => StarknetError::CompiledClassHashMismatch,
				9 => StarknetError::CompilationFailed(reason()),
				11 => StarknetError::NonAccount,
				_ => StarknetError::UnexpectedError(reason()),
			},
			PoolError::AlreadyImported(_) | PoolError::TemporarilyBanned => {
				StarknetError::DuplicateTx
			}
			PoolError::TooLowPriority { .. } => StarknetError::ReplacementTransactionUnderpriced,
			other => unexpected(other),
		}
	}

	/// The spec's `PRE_CONFIRMED_BLOCK_*` of the block being built on the best block: its
	/// number, the time now and the chain's prices; no transaction executed in it yet.
	fn pre_confirmed_json(&self) -> Result<Value> {
		let best = self.client.info();
		let config = self.client.runtime_api().chain_config(best.best_hash).map_err(unexpected)?;
		let number: u64 = best.best_number.unique_saturated_into();
		let prices = &config.gas_prices;
		let price = |fri: u128, wei: u128| json!({ "price_in_fri": format!("{fri:#x}"), "price_in_wei": format!("{wei:#x}") });
		let now = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map_err(unexpected)?
			.as_secs();
		Ok(json!({
			"block_number": number + 1,
			"timestamp": now,
			"sequencer_address": config.sequencer_address,
			"l1_gas_price": price(prices.l1_gas_price_fri, prices.l1_gas_price_wei),
			"l2_gas_price": price(prices.l2_gas_price_fri, prices.l2_gas_price_wei),
			"l1_data_gas_price": price(prices.l1_data_gas_price_fri, prices.l1_data_gas_price_wei),
			"l1_da_mode": if config.use_kzg_da { "BLOB" } else { "CALLDATA" },
			"starknet_version": String::from_utf8_lossy(&config.starknet_version),
			"transactions": [],
		}))
	}

	fn in_pool(&self, pool_hash: &TxHash<P>) -> bool {
		self.pool.ready_transaction(pool_hash).is_some()
			|| self.pool.futures().iter().any(|tx| tx.hash() == pool_hash)
	}

	/// Whether `tx_hash` was submitted here and waits in the pool.
	fn is_received(&self, tx_hash: Felt) -> bool {
		let pool_hash =
			self.received.lock().unwrap_or_else(|e| e.into_inner()).get(&tx_hash).cloned();
		pool_hash.is_some_and(|pool_hash| self.in_pool(&pool_hash))
	}

	/// Where a transaction is, or the error for a transaction that is not in a block:
	/// `if_received` when it waits in the pool, TXN_HASH_NOT_FOUND otherwise.
	async fn locate_or(
		&self,
		tx_hash: Felt,
		if_received: StarknetError,
	) -> Result<(IndexedBlock, usize)> {
		match self.locate(tx_hash).await {
			Err(StarknetError::TxnHashNotFound) if self.is_received(tx_hash) => Err(if_received),
			Err(StarknetError::TxnHashNotFound) => Err(StarknetError::TxnHashNotFound),
			Ok(found) => {
				self.received.lock().unwrap_or_else(|e| e.into_inner()).remove(&tx_hash);
				Ok(found)
			}
			Err(other) => Err(other),
		}
	}

	/// The spec's `STATE_DIFF` of `diff` made on top of block `parent`'s state (which tells a
	/// deployment from a class replacement), restricted to the contracts `wanted` accepts.
	fn state_diff_json(
		&self,
		diff: &StateDiff,
		parent: Option<B::Hash>,
		wanted: impl Fn(&Felt) -> bool,
	) -> Value {
		let mut storage_diffs: Vec<(Felt, Vec<Value>)> = Vec::new();
		for (contract, key, value) in diff.storage.iter().filter(|(c, _, _)| wanted(c)) {
			let entry = json!({ "key": key, "value": value });
			match storage_diffs.last_mut() {
				Some((last, entries)) if last == contract => entries.push(entry),
				_ => storage_diffs.push((*contract, vec![entry])),
			}
		}
		let mut deployed = Vec::new();
		let mut replaced = Vec::new();
		for (contract, class_hash) in diff.class_hashes.iter().filter(|(c, _)| wanted(c)) {
			let existed = match parent {
				Some(parent) => self.class_hash_at(parent, *contract).is_ok(),
				None => false,
			};
			if existed {
				replaced.push(json!({ "contract_address": contract, "class_hash": class_hash }));
			} else {
				deployed.push(json!({ "address": contract, "class_hash": class_hash }));
			}
		}
		json!({
			"storage_diffs": storage_diffs
				.into_iter()
				.map(|(address, entries)| json!({ "address": address, "storage_entries": entries }))
				.collect::<Vec<_>>(),
			"deprecated_declared_classes": [],
			"declared_classes": diff.compiled_class_hashes.iter().map(|(class_hash, compiled)| json!({
				"class_hash": class_hash,
				"compiled_class_hash": compiled,
			})).collect::<Vec<_>>(),
			"deployed_contracts": deployed,
			"replaced_classes": replaced,
			"nonces": diff.nonces.iter().filter(|(c, _)| wanted(c)).map(|(contract, nonce)| json!({
				"contract_address": contract,
				"nonce": nonce,
			})).collect::<Vec<_>>(),
		})
	}

	/// Re-execute block `hash` on its parent's state with the runtime that built it, up to its
	/// Starknet transaction `last` (all of them when `None`): the outcomes and call trees of
	/// its Starknet transactions, in order. Nothing is written.
	fn retrace(
		&self,
		hash: B::Hash,
		last: Option<usize>,
	) -> Result<Vec<(ExecOutcome, TransactionTrace)>> {
		use sp_api::{ApiExt, Core};
		use sp_block_builder::BlockBuilder;
		use sp_runtime::{traits::Zero, DigestItem};
		let mut header =
			self.client.header(hash).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)?;
		if header.number().is_zero() {
			return Ok(Vec::new()); // Genesis: its state was written, not executed.
		}
		let body = self
			.client
			.block_body(hash)
			.map_err(unexpected)?
			.ok_or_else(|| unexpected("the block's body is pruned: it cannot be traced"))?;
		let parent = *header.parent_hash();
		let api = self.client.runtime_api();
		let traces = api
			.api_version::<dyn StarknetRuntimeApi<B>>(parent)
			.map_err(unexpected)?
			.is_some_and(|version| version >= 2);
		if !traces {
			return Err(unexpected("the runtime that built this block cannot trace"));
		}
		// The block as its author executed it: the seal is added after execution.
		header.digest_mut().logs.retain(|item| !matches!(item, DigestItem::Seal(..)));
		api.initialize_block(parent, &header).map_err(unexpected)?;
		let mut traces = Vec::new();
		for extrinsic in body {
			match api.trace_extrinsic(parent, extrinsic.clone()).map_err(unexpected)? {
				Some(Ok(traced)) => {
					traces.push(traced);
					if last.is_some_and(|last| traces.len() > last) {
						break;
					}
				}
				Some(Err(error)) => {
					return Err(unexpected(format!(
						"transaction {} of the block does not re-execute: {error:?}",
						traces.len()
					)))
				}
				None => {
					let _ = api.apply_extrinsic(parent, extrinsic).map_err(unexpected)?;
				}
			}
		}
		Ok(traces)
	}
}

/// Broadcasted transactions for a query (estimate, simulate): each with its class for a declare,
/// and whether any carries the query version.
fn broadcasted_queries(values: Vec<Value>) -> Result<(Vec<(Transaction, Option<Vec<u8>>)>, bool)> {
	let mut txs = Vec::with_capacity(values.len());
	let mut only_query = false;
	for value in values {
		let (tx, class, query) = broadcasted_query(value)?;
		only_query |= query;
		txs.push((tx, class));
	}
	Ok((txs, only_query))
}

/// The kind of a transaction.
fn kind_of(tx: &Transaction) -> TransactionKind {
	match tx {
		Transaction::Invoke(_) => TransactionKind::Invoke,
		Transaction::Declare(_) => TransactionKind::Declare,
		Transaction::DeployAccount(_) => TransactionKind::DeployAccount,
		Transaction::L1Handler(_) => TransactionKind::L1Handler,
	}
}

/// A broadcasted V3 transaction of the expected `type`, or the spec's error.
fn broadcasted(value: Value, expected_type: &str) -> Result<RpcTransaction> {
	let ty = value.get("type").and_then(Value::as_str);
	if ty != Some(expected_type) {
		return Err(StarknetError::InvalidParams(format!(
			"expected a transaction of type {expected_type}, got {ty:?}"
		)));
	}
	match value.get("version").and_then(Value::as_str) {
		Some("0x3") => {}
		_ => return Err(StarknetError::UnsupportedTxVersion),
	}
	serde_json::from_value(value).map_err(|e| StarknetError::InvalidParams(e.to_string()))
}

/// `TXN` (with `transaction_hash`) of a transaction.
fn transaction_json(tx: &Transaction, hash: Felt) -> Value {
	let bounds = resource_bounds_json;
	let da = da_mode;
	let mut json = match tx {
		Transaction::Invoke(tx) => {
			let mut json = invoke_json(tx);
			if !tx.proof_facts.is_empty() {
				json["proof_facts"] = json!(tx.proof_facts);
			}
			json
		}
		Transaction::Declare(tx) => json!({
			"type": "DECLARE",
			"version": "0x3",
			"sender_address": tx.sender_address,
			"class_hash": tx.class_hash,
			"compiled_class_hash": tx.compiled_class_hash,
			"signature": tx.signature,
			"nonce": tx.nonce,
			"resource_bounds": bounds(&tx.resource_bounds),
			"tip": format!("{:#x}", tx.tip),
			"paymaster_data": tx.paymaster_data,
			"account_deployment_data": tx.account_deployment_data,
			"nonce_data_availability_mode": da(tx.nonce_data_availability_mode),
			"fee_data_availability_mode": da(tx.fee_data_availability_mode),
		}),
		Transaction::DeployAccount(tx) => json!({
			"type": "DEPLOY_ACCOUNT",
			"version": "0x3",
			"class_hash": tx.class_hash,
			"contract_address_salt": tx.contract_address_salt,
			"constructor_calldata": tx.constructor_calldata,
			"signature": tx.signature,
			"nonce": tx.nonce,
			"resource_bounds": bounds(&tx.resource_bounds),
			"tip": format!("{:#x}", tx.tip),
			"paymaster_data": tx.paymaster_data,
			"nonce_data_availability_mode": da(tx.nonce_data_availability_mode),
			"fee_data_availability_mode": da(tx.fee_data_availability_mode),
		}),
		Transaction::L1Handler(tx) => json!({
			"type": "L1_HANDLER",
			"version": "0x0",
			"nonce": tx.nonce,
			"contract_address": tx.contract_address,
			"entry_point_selector": tx.entry_point_selector,
			"calldata": tx.calldata,
		}),
	};
	json["transaction_hash"] = json!(hash);
	json
}

/// `BLOCK_HEADER` plus `status` of an indexed block.
fn header_json(block: &IndexedBlock) -> Value {
	let header = &block.header;
	let prices = &header.gas_prices;
	let price = |fri: u128, wei: u128| json!({ "price_in_fri": format!("{fri:#x}"), "price_in_wei": format!("{wei:#x}") });
	let commitments = &block.commitments;
	json!({
		"status": "ACCEPTED_ON_L2",
		"block_hash": block.block_hash,
		"parent_hash": block.parent_hash,
		"block_number": block.number,
		// Cairn keeps no Starknet state commitment yet: the global state root is 0.
		"new_root": "0x0",
		"timestamp": header.timestamp,
		"sequencer_address": header.sequencer_address,
		"l1_gas_price": price(prices.l1_gas_price_fri, prices.l1_gas_price_wei),
		"l2_gas_price": price(prices.l2_gas_price_fri, prices.l2_gas_price_wei),
		"l1_data_gas_price": price(prices.l1_data_gas_price_fri, prices.l1_data_gas_price_wei),
		"l1_da_mode": if block.use_kzg_da { "BLOB" } else { "CALLDATA" },
		"starknet_version": String::from_utf8_lossy(&header.starknet_version),
		"event_commitment": commitments.event_commitment,
		"transaction_commitment": commitments.transaction_commitment,
		"receipt_commitment": commitments.receipt_commitment,
		"state_diff_commitment": commitments.state_diff_commitment,
		"event_count": commitments.event_count,
		"transaction_count": commitments.transaction_count,
		"state_diff_length": commitments.state_diff_length,
	})
}

/// `TXN_RECEIPT_WITH_BLOCK_INFO` of the `index`-th transaction of an indexed block.
fn receipt_json(block: &IndexedBlock, index: usize) -> Value {
	let receipt = &block.transactions[index].receipt;
	let kind = match receipt.kind {
		TransactionKind::Invoke => "INVOKE",
		TransactionKind::Declare => "DECLARE",
		TransactionKind::DeployAccount => "DEPLOY_ACCOUNT",
		TransactionKind::L1Handler => "L1_HANDLER",
	};
	let unit = match receipt.fee_unit {
		FeeUnit::Fri => "FRI",
		FeeUnit::Wei => "WEI",
	};
	let mut json = json!({
		"type": kind,
		"transaction_hash": receipt.tx_hash,
		"actual_fee": { "amount": Felt::from(receipt.actual_fee), "unit": unit },
		"finality_status": "ACCEPTED_ON_L2",
		"messages_sent": receipt.messages.iter().map(|m| json!({
			"from_address": m.from_address,
			"to_address": m.to_address,
			"payload": m.payload,
		})).collect::<Vec<_>>(),
		"events": receipt.events.iter().map(|e| json!({
			"from_address": e.from_address,
			"keys": e.keys,
			"data": e.data,
		})).collect::<Vec<_>>(),
		"execution_resources": {
			"l1_gas": receipt.gas.l1_gas,
			"l1_data_gas": receipt.gas.l1_data_gas,
			"l2_gas": receipt.gas.l2_gas,
		},
		"execution_status": if receipt.revert_error.is_some() { "REVERTED" } else { "SUCCEEDED" },
		"block_hash": block.block_hash,
		"block_number": block.number,
	});
	if let Some(reason) = &receipt.revert_error {
		json["revert_reason"] = String::from_utf8_lossy(reason).into();
	}
	if let Some(address) = receipt.contract_address {
		json["contract_address"] = json!(address);
	}
	json
}

/// cairo-lang writes negative hint immediates (`-0x10`); the spec's `NUM_AS_HEX` has no sign, and a
/// Cairo immediate is a field element: write them as such (`p - 0x10`).
fn felt_immediates(value: &mut Value) {
	match value {
		Value::Object(object) => {
			for (key, inner) in object.iter_mut() {
				if key == "Immediate" {
					if let Some(magnitude) = inner.as_str().and_then(|s| s.strip_prefix('-')) {
						if let Some(felt) = Felt::from_hex(magnitude) {
							*inner = json!(Felt(starknet_types_core::felt::Felt::ZERO - felt.0));
						}
					}
				} else {
					felt_immediates(inner);
				}
			}
		}
		Value::Array(items) => items.iter_mut().for_each(felt_immediates),
		_ => {}
	}
}

/// The version field of a V3 transaction signed for queries only (`3 + 2^128`).
const QUERY_VERSION_3: &str = "0x100000000000000000000000000000003";

/// A broadcasted V3 transaction of any type for a query (estimate, simulate): the transaction,
/// its class for a declare, and whether it carries the query version.
fn broadcasted_query(mut value: Value) -> Result<(Transaction, Option<Vec<u8>>, bool)> {
	let only_query = value.get("version").and_then(Value::as_str) == Some(QUERY_VERSION_3);
	if only_query {
		value["version"] = "0x3".into();
	}
	let ty = value.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
	Ok(match broadcasted(value, &ty)? {
		RpcTransaction::Invoke(RpcInvokeTransaction::V3(tx)) => {
			(Transaction::Invoke(api::InvokeTransactionV3::from(tx).into()), None, only_query)
		}
		RpcTransaction::DeployAccount(RpcDeployAccountTransaction::V3(tx)) => (
			Transaction::DeployAccount(api::DeployAccountTransactionV3::from(tx).into()),
			None,
			only_query,
		),
		RpcTransaction::Declare(RpcDeclareTransaction::V3(tx)) => {
			let class = serde_json::to_vec(&tx.contract_class).map_err(unexpected)?;
			let tx = api::DeclareTransactionV3::from(tx);
			(Transaction::Declare(tx.into()), Some(class), only_query)
		}
	})
}

#[jsonrpsee::core::async_trait]
impl<B, C, BE, P> StarknetApiServer for Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	fn spec_version(&self) -> RpcResult<String> {
		Ok(SPEC_VERSION.into())
	}

	fn chain_id(&self) -> RpcResult<Felt> {
		let chain_id = self.chain_id_at(self.client.info().best_hash)?;
		Ok(Felt::from_hex(&chain_id.as_hex()).ok_or_else(|| unexpected("chain id too long"))?)
	}

	fn block_number(&self) -> RpcResult<u64> {
		Ok(self.client.info().best_number.try_into().map_err(|_| unexpected("block number"))?)
	}

	async fn block_hash_and_number(&self) -> RpcResult<Value> {
		let block = self.indexed(BlockId::Latest).await?;
		Ok(json!({ "block_hash": block.block_hash, "block_number": block.number }))
	}

	async fn get_block_with_tx_hashes(&self, block_id: BlockId) -> RpcResult<Value> {
		if block_id == BlockId::PreConfirmed {
			return Ok(self.pre_confirmed_json()?);
		}
		let block = self.indexed(block_id).await?;
		let mut json = header_json(&block);
		json["transactions"] =
			block.transactions.iter().map(|tx| json!(tx.receipt.tx_hash)).collect();
		Ok(json)
	}

	async fn get_block_transaction_count(&self, block_id: BlockId) -> RpcResult<u64> {
		if block_id == BlockId::PreConfirmed {
			return Ok(0);
		}
		Ok(self.indexed(block_id).await?.transactions.len() as u64)
	}

	async fn get_transaction_receipt(&self, transaction_hash: Felt) -> RpcResult<Value> {
		let (block, index) = self.locate(transaction_hash).await?;
		Ok(receipt_json(&block, index))
	}

	async fn get_transaction_status(&self, transaction_hash: Felt) -> RpcResult<Value> {
		let located = self.locate_or(transaction_hash, StarknetError::NoTraceAvailable).await;
		let (block, index) = match located {
			Err(StarknetError::NoTraceAvailable) => {
				return Ok(json!({ "finality_status": "RECEIVED" }))
			}
			other => other?,
		};
		let receipt = &block.transactions[index].receipt;
		Ok(match &receipt.revert_error {
			None => json!({ "finality_status": "ACCEPTED_ON_L2", "execution_status": "SUCCEEDED" }),
			Some(reason) => json!({
				"finality_status": "ACCEPTED_ON_L2",
				"execution_status": "REVERTED",
				"failure_reason": String::from_utf8_lossy(reason),
			}),
		})
	}

	async fn get_block_with_txs(&self, block_id: BlockId) -> RpcResult<Value> {
		if block_id == BlockId::PreConfirmed {
			return Ok(self.pre_confirmed_json()?);
		}
		let block = self.indexed(block_id).await?;
		let mut json = header_json(&block);
		json["transactions"] = block
			.transactions
			.iter()
			.map(|tx| transaction_json(&tx.transaction, tx.receipt.tx_hash))
			.collect();
		Ok(json)
	}

	async fn get_block_with_receipts(&self, block_id: BlockId) -> RpcResult<Value> {
		if block_id == BlockId::PreConfirmed {
			return Ok(self.pre_confirmed_json()?);
		}
		let block = self.indexed(block_id).await?;
		let mut json = header_json(&block);
		json["transactions"] = (0..block.transactions.len())
			.map(|index| {
				let tx = &block.transactions[index];
				let mut receipt = receipt_json(&block, index);
				if let Some(object) = receipt.as_object_mut() {
					object.remove("block_hash");
					object.remove("block_number");
				}
				json!({
					"transaction": transaction_json(&tx.transaction, tx.receipt.tx_hash),
					"receipt": receipt,
				})
			})
			.collect();
		Ok(json)
	}

	async fn get_transaction_by_hash(&self, transaction_hash: Felt) -> RpcResult<Value> {
		let (block, index) = self.locate(transaction_hash).await?;
		let tx = &block.transactions[index];
		Ok(transaction_json(&tx.transaction, tx.receipt.tx_hash))
	}

	async fn get_transaction_by_block_id_and_index(
		&self,
		block_id: BlockId,
		index: u64,
	) -> RpcResult<Value> {
		let block = self.indexed(block_id).await?;
		let tx = usize::try_from(index)
			.ok()
			.and_then(|index| block.transactions.get(index))
			.ok_or(StarknetError::InvalidTxnIndex)?;
		Ok(transaction_json(&tx.transaction, tx.receipt.tx_hash))
	}

	async fn get_events(&self, filter: EventsRequest) -> RpcResult<Value> {
		if filter.chunk_size == 0 {
			return Err(StarknetError::InvalidParams("chunk_size must be at least 1".into()).into());
		}
		if filter.chunk_size > MAX_EVENTS_CHUNK {
			return Err(StarknetError::PageSizeTooBig.into());
		}
		let keys = filter.keys.unwrap_or_default();
		if keys.iter().map(Vec::len).sum::<usize>() > MAX_FILTER_KEYS {
			return Err(StarknetError::TooManyKeysInFilter.into());
		}
		let from = match filter.from_block {
			Some(id) => self.number(id)?,
			None => 0,
		};
		let to = match filter.to_block {
			Some(id) => self.number(id)?,
			None => self.number(BlockId::Latest)?,
		};
		// Continuation token: where the next page starts, "block.transaction.event".
		let (mut block_number, mut first_tx, mut first_event) = match &filter.continuation_token {
			None => (from, 0, 0),
			Some(token) => {
				let parts: Vec<u64> = token
					.split('.')
					.map(str::parse)
					.collect::<std::result::Result<_, _>>()
					.map_err(|_| StarknetError::InvalidContinuationToken)?;
				match parts[..] {
					[block, tx, event] if block >= from && block <= to.max(from) => {
						(block, tx as usize, event as usize)
					}
					_ => return Err(StarknetError::InvalidContinuationToken.into()),
				}
			}
		};
		let mut events = Vec::new();
		while block_number <= to {
			let hash = self.block(BlockId::Number(block_number))?;
			let block = self.index.block(hash).await.map_err(unexpected)?;
			for (tx_index, tx) in block.transactions.iter().enumerate().skip(first_tx) {
				let skip = if tx_index == first_tx { first_event } else { 0 };
				for (event_index, event) in tx.receipt.events.iter().enumerate().skip(skip) {
					let address_matches =
						filter.address.as_ref().is_none_or(|a| a.contains(&event.from_address));
					let keys_match = keys.iter().enumerate().all(|(position, allowed)| {
						allowed.is_empty()
							|| event.keys.get(position).is_some_and(|key| allowed.contains(key))
					});
					if !(address_matches && keys_match) {
						continue;
					}
					if events.len() as u64 == filter.chunk_size {
						return Ok(json!({
							"events": events,
							"continuation_token": format!("{block_number}.{tx_index}.{event_index}"),
						}));
					}
					events.push(json!({
						"from_address": event.from_address,
						"keys": event.keys,
						"data": event.data,
						"block_hash": block.block_hash,
						"block_number": block.number,
						"transaction_hash": tx.receipt.tx_hash,
						"transaction_index": tx_index,
						"event_index": event_index,
					}));
				}
			}
			block_number += 1;
			first_tx = 0;
			first_event = 0;
		}
		Ok(json!({ "events": events }))
	}

	async fn get_state_update(
		&self,
		block_id: BlockId,
		contract_addresses: Option<Vec<Felt>>,
	) -> RpcResult<Value> {
		if block_id == BlockId::PreConfirmed {
			// Nothing executed in the block being built: an empty diff.
			let empty = self.state_diff_json(&StateDiff::default(), None, |_| true);
			return Ok(json!({ "old_root": "0x0", "state_diff": empty }));
		}
		let hash = self.block(block_id)?;
		let block = self.index.block(hash).await.map_err(unexpected)?;
		let header =
			self.client.header(hash).map_err(unexpected)?.ok_or(StarknetError::BlockNotFound)?;
		let parent = (block.number > 0).then(|| *header.parent_hash());
		let wanted =
			|address: &Felt| contract_addresses.as_ref().is_none_or(|a| a.contains(address));
		Ok(json!({
			"block_hash": block.block_hash,
			// No Starknet state commitment yet: both roots are 0.
			"old_root": "0x0",
			"new_root": "0x0",
			"state_diff": self.state_diff_json(&block.state_diff, parent, wanted),
		}))
	}

	fn simulate_transactions(
		&self,
		block_id: BlockId,
		transactions: Vec<Value>,
		simulation_flags: Vec<String>,
	) -> RpcResult<Value> {
		let (mut validate, mut charge_fee) = (true, true);
		for flag in &simulation_flags {
			match flag.as_str() {
				"SKIP_VALIDATE" => validate = false,
				"SKIP_FEE_CHARGE" => charge_fee = false,
				"RETURN_INITIAL_READS" => {
					return Err(StarknetError::InvalidParams(
						"RETURN_INITIAL_READS is not supported yet".into(),
					)
					.into())
				}
				other => {
					return Err(StarknetError::InvalidParams(format!(
						"unknown simulation flag `{other}`"
					))
					.into())
				}
			}
		}
		let at = self.block(block_id)?;
		let (txs, only_query) = broadcasted_queries(transactions)?;
		let kinds: Vec<TransactionKind> = txs.iter().map(|(tx, _)| kind_of(tx)).collect();
		let mode = ExecMode::Query { only_query, validate, charge_fee };
		let api = self.client.runtime_api();
		let prices = api.chain_config(at).map_err(unexpected)?.gas_prices;
		let fri = (prices.l1_gas_price_fri, prices.l1_data_gas_price_fri, prices.l2_gas_price_fri);
		let results = api.simulate_traced(at, txs, mode).map_err(unexpected)?;
		let mut simulated = Vec::with_capacity(results.len());
		for (index, result) in results.into_iter().enumerate() {
			let (outcome, trace) = result.map_err(|error| {
				let (ExecError::Rejected(_, message) | ExecError::Internal(message)) = error;
				StarknetError::TransactionExecutionError {
					index,
					error: String::from_utf8_lossy(&message).into_owned(),
				}
			})?;
			let state_diff = self.state_diff_json(&outcome.state_diff, Some(at), |_| true);
			simulated.push(json!({
				"transaction_trace": trace::transaction_trace_json(kinds[index], &outcome, &trace, state_diff),
				"fee_estimation": FeeEstimate::new(outcome.gas, fri, "FRI"),
			}));
		}
		Ok(Value::Array(simulated))
	}

	async fn trace_transaction(&self, transaction_hash: Felt) -> RpcResult<Value> {
		let (block, index) =
			self.locate_or(transaction_hash, StarknetError::NoTraceAvailable).await?;
		let hash = self.block(BlockId::Number(block.number))?;
		let parent = (block.number > 0)
			.then(|| self.block(BlockId::Number(block.number - 1)))
			.transpose()?;
		let traces = self.retrace(hash, Some(index))?;
		let (outcome, trace) = traces
			.get(index)
			.ok_or_else(|| unexpected("the block re-executed without this transaction"))?;
		let state_diff = self.state_diff_json(&outcome.state_diff, parent, |_| true);
		let kind = block.transactions[index].receipt.kind;
		Ok(trace::transaction_trace_json(kind, outcome, trace, state_diff))
	}

	async fn trace_block_transactions(
		&self,
		block_id: BlockId,
		trace_flags: Option<Vec<String>>,
	) -> RpcResult<Value> {
		for flag in trace_flags.iter().flatten() {
			let error = match flag.as_str() {
				"RETURN_INITIAL_READS" => "RETURN_INITIAL_READS is not supported yet".into(),
				other => format!("unknown trace flag `{other}`"),
			};
			return Err(StarknetError::InvalidParams(error).into());
		}
		if block_id == BlockId::PreConfirmed {
			let error = "the pre_confirmed block has no traces: nothing is executed in it yet";
			return Err(StarknetError::InvalidParams(error.into()).into());
		}
		let hash = self.block(block_id)?;
		let block = self.index.block(hash).await.map_err(unexpected)?;
		let parent = (block.number > 0)
			.then(|| self.block(BlockId::Number(block.number - 1)))
			.transpose()?;
		let traces = self.retrace(hash, None)?;
		if traces.len() != block.transactions.len() {
			return Err(unexpected("the block re-executed to a different transaction count").into());
		}
		Ok(Value::Array(
			traces
				.iter()
				.zip(&block.transactions)
				.map(|((outcome, trace), tx)| {
					let state_diff = self.state_diff_json(&outcome.state_diff, parent, |_| true);
					json!({
						"transaction_hash": tx.receipt.tx_hash,
						"trace_root": trace::transaction_trace_json(tx.receipt.kind, outcome, trace, state_diff),
					})
				})
				.collect(),
		))
	}

	fn estimate_message_fee(&self, message: MessageFromL1, block_id: BlockId) -> RpcResult<Value> {
		let at = self.block(block_id)?;
		self.class_hash_at(at, message.to_address)?;
		let from = Felt::from_hex(&message.from_address)
			.filter(|f| f.to_bytes()[..12].iter().all(|b| *b == 0))
			.ok_or_else(|| {
				StarknetError::InvalidParams("from_address is not an Ethereum address".into())
			})?;
		let mut calldata = vec![from];
		calldata.extend(message.payload);
		let tx = Transaction::L1Handler(L1HandlerTransaction {
			version: Felt::ZERO,
			nonce: Felt::ZERO,
			contract_address: message.to_address,
			entry_point_selector: message.entry_point_selector,
			calldata,
		});
		let mode = ExecMode::Query { only_query: false, validate: false, charge_fee: false };
		let api = self.client.runtime_api();
		let prices = api.chain_config(at).map_err(unexpected)?.gas_prices;
		let result = api.simulate(at, vec![(tx, None)], mode).map_err(unexpected)?;
		let outcome = match result.into_iter().next() {
			Some(Ok(outcome)) if outcome.revert_error.is_none() => outcome,
			Some(Ok(outcome)) => {
				let reason = outcome.revert_error.unwrap_or_default();
				return Err(StarknetError::ContractError(
					String::from_utf8_lossy(&reason).into_owned(),
				)
				.into());
			}
			Some(Err(ExecError::Rejected(_, reason))) | Some(Err(ExecError::Internal(reason))) => {
				return Err(StarknetError::ContractError(
					String::from_utf8_lossy(&reason).into_owned(),
				)
				.into())
			}
			None => return Err(unexpected("no outcome").into()),
		};
		let wei = (prices.l1_gas_price_wei, prices.l1_data_gas_price_wei, prices.l2_gas_price_wei);
		Ok(json!(FeeEstimate::new(outcome.gas, wei, "WEI")))
	}

	fn get_messages_status(&self, _transaction_hash: Value) -> RpcResult<Value> {
		Err(StarknetError::TxnHashNotFound.into())
	}

	fn syncing(&self) -> RpcResult<bool> {
		Ok(false)
	}

	fn get_storage_proof(
		&self,
		block_id: BlockId,
		_class_hashes: Option<Vec<Felt>>,
		_contract_addresses: Option<Vec<Felt>>,
		_contracts_storage_keys: Option<Vec<Value>>,
	) -> RpcResult<Value> {
		self.block(block_id)?;
		Err(StarknetError::StorageProofNotSupported.into())
	}

	fn get_compiled_casm(&self, class_hash: Felt) -> RpcResult<Value> {
		let at = self.client.info().best_hash;
		let definition: ClassDefinition = self
			.read(at, storage::map_key(storage::CLASS_DEFINITIONS, &class_hash))?
			.ok_or(StarknetError::ClassHashNotFound)?;
		let mut casm: Value = serde_json::from_slice(&definition.casm).map_err(unexpected)?;
		// cairo-lang's JSON carries Python hints too; the spec's CASM has no such field.
		if let Some(object) = casm.as_object_mut() {
			object.remove("pythonic_hints");
			if let Some(hints) = object.get_mut("hints") {
				felt_immediates(hints);
			}
		}
		Ok(casm)
	}

	fn call(&self, request: FunctionCall, block_id: BlockId) -> RpcResult<Vec<Felt>> {
		let at = self.block(block_id)?;
		let result = self
			.client
			.runtime_api()
			.call(at, request.contract_address, request.entry_point_selector, request.calldata)
			.map_err(unexpected)?;
		result.map_err(|error| {
			match error {
				ExecError::Rejected(Rejection::ContractNotFound, _) => {
					StarknetError::ContractNotFound
				}
				ExecError::Rejected(Rejection::EntryPointNotFound, _) => {
					StarknetError::EntryPointNotFound
				}
				ExecError::Rejected(_, reason) => {
					StarknetError::ContractError(String::from_utf8_lossy(&reason).into_owned())
				}
				ExecError::Internal(reason) => {
					StarknetError::UnexpectedError(String::from_utf8_lossy(&reason).into_owned())
				}
			}
			.into()
		})
	}

	fn estimate_fee(
		&self,
		request: Vec<Value>,
		simulation_flags: Vec<String>,
		block_id: BlockId,
	) -> RpcResult<Vec<FeeEstimate>> {
		let mut validate = true;
		for flag in &simulation_flags {
			match flag.as_str() {
				"SKIP_VALIDATE" => validate = false,
				other => {
					return Err(StarknetError::InvalidParams(format!(
						"unknown simulation flag `{other}` (estimateFee takes SKIP_VALIDATE)"
					))
					.into())
				}
			}
		}
		let at = self.block(block_id)?;
		let (txs, only_query) = broadcasted_queries(request)?;
		let count = txs.len();
		let mode = ExecMode::Query { only_query, validate, charge_fee: false };
		let api = self.client.runtime_api();
		let prices = api.chain_config(at).map_err(unexpected)?.gas_prices;
		let results = api.simulate(at, txs, mode).map_err(unexpected)?;
		let mut estimates = Vec::with_capacity(count);
		for (index, result) in results.into_iter().enumerate() {
			let outcome = match result {
				Ok(outcome) => match &outcome.revert_error {
					None => outcome,
					Some(reason) => {
						return Err(StarknetError::TransactionExecutionError {
							index,
							error: String::from_utf8_lossy(reason).into_owned(),
						}
						.into())
					}
				},
				Err(ExecError::Rejected(_, message)) | Err(ExecError::Internal(message)) => {
					return Err(StarknetError::TransactionExecutionError {
						index,
						error: String::from_utf8_lossy(&message).into_owned(),
					}
					.into())
				}
			};
			let fri =
				(prices.l1_gas_price_fri, prices.l1_data_gas_price_fri, prices.l2_gas_price_fri);
			estimates.push(FeeEstimate::new(outcome.gas, fri, "FRI"));
		}
		Ok(estimates)
	}

	fn get_nonce(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Felt> {
		let at = self.block(block_id)?;
		self.class_hash_at(at, contract_address)?;
		let nonce = self.read(at, storage::map_key(storage::NONCES, &contract_address))?;
		Ok(nonce.unwrap_or_default())
	}

	fn get_storage_at(
		&self,
		contract_address: Felt,
		key: Felt,
		block_id: BlockId,
	) -> RpcResult<Felt> {
		let at = self.block(block_id)?;
		self.class_hash_at(at, contract_address)?;
		let value = self.read(at, storage::contract_storage_key(&contract_address, &key))?;
		Ok(value.unwrap_or_default())
	}

	fn get_class_hash_at(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Felt> {
		Ok(self.class_hash_at(self.block(block_id)?, contract_address)?)
	}

	fn get_class(&self, block_id: BlockId, class_hash: Felt) -> RpcResult<Value> {
		Ok(self.class(self.block(block_id)?, class_hash)?)
	}

	fn get_class_at(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Value> {
		let at = self.block(block_id)?;
		Ok(self.class(at, self.class_hash_at(at, contract_address)?)?)
	}

	async fn add_invoke_transaction(
		&self,
		invoke_transaction: Value,
	) -> RpcResult<AddInvokeResult> {
		let RpcTransaction::Invoke(RpcInvokeTransaction::V3(tx)) =
			broadcasted(invoke_transaction, "INVOKE")?
		else {
			return Err(StarknetError::UnsupportedTxVersion.into());
		};
		let tx = Transaction::Invoke(api::InvokeTransactionV3::from(tx).into());
		Ok(AddInvokeResult { transaction_hash: self.submit(tx, None).await? })
	}

	async fn add_declare_transaction(
		&self,
		declare_transaction: Value,
	) -> RpcResult<AddDeclareResult> {
		let RpcTransaction::Declare(RpcDeclareTransaction::V3(tx)) =
			broadcasted(declare_transaction, "DECLARE")?
		else {
			return Err(StarknetError::UnsupportedTxVersion.into());
		};
		let class = serde_json::to_vec(&tx.contract_class).map_err(unexpected)?;
		let tx = api::DeclareTransactionV3::from(tx);
		let class_hash = Felt(tx.class_hash.0);
		let transaction_hash = self.submit(Transaction::Declare(tx.into()), Some(class)).await?;
		Ok(AddDeclareResult { transaction_hash, class_hash })
	}

	async fn add_deploy_account_transaction(
		&self,
		deploy_account_transaction: Value,
	) -> RpcResult<AddDeployAccountResult> {
		let RpcTransaction::DeployAccount(RpcDeployAccountTransaction::V3(tx)) =
			broadcasted(deploy_account_transaction, "DEPLOY_ACCOUNT")?
		else {
			return Err(StarknetError::UnsupportedTxVersion.into());
		};
		let tx = api::DeployAccountTransactionV3::from(tx);
		let contract_address = starknet_api::core::calculate_contract_address(
			tx.contract_address_salt,
			tx.class_hash,
			&tx.constructor_calldata,
			Default::default(),
		)
		.map_err(|e| StarknetError::InvalidParams(e.to_string()))?;
		let transaction_hash = self.submit(Transaction::DeployAccount(tx.into()), None).await?;
		Ok(AddDeployAccountResult {
			transaction_hash,
			contract_address: Felt(*contract_address.0.key()),
		})
	}
}

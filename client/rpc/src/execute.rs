//! Execution without a transaction in a block: `starknet_call`, fee estimates (of transactions
//! and of L1 messages) and simulations, run by blockifier through the runtime API on a block's
//! state, writing nothing. The server registers these methods as blocking: they run on tokio's
//! blocking pool.
use crate::{limits::QUEUE_WAIT, submit::broadcasted, unexpected, Result, Starknet};
use cairn_executor::convert::Convert;
use cairn_index::StarknetClient;
use cairn_primitives::starknet::{
	exec::{ExecError, ExecMode, Rejection, TransactionKind},
	runtime_api::StarknetRuntimeApi,
	Felt, L1HandlerTransaction, Quoted, Transaction,
};
use cairn_rpc_api::{
	types::{
		BlockId, BroadcastedTxn, FeeEstimate, FunctionCall, MessageFromL1, PriceUnit,
		SimulatedTransaction, TransactionTrace,
	},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::Block as BlockT;
use starknet_api::{
	rpc_transaction::{
		RpcDeclareTransaction, RpcDeployAccountTransaction, RpcInvokeTransaction, RpcTransaction,
	},
	transaction as api,
};

/// The version field of a V3 transaction signed for queries only (`3 + 2^128`).
const QUERY_VERSION_3: &str = "0x100000000000000000000000000000003";

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// `starknet_call`.
	pub(crate) fn call(&self, request: FunctionCall, block_id: BlockId) -> Result<Vec<Felt>> {
		let _slot = self.executions.acquire(QUEUE_WAIT)?;
		let at = self.block(block_id)?;
		let result = self
			.client
			.runtime_api()
			.call(at, request.contract_address, request.entry_point_selector, request.calldata)
			.map_err(unexpected)?;
		result.map_err(|error| match error {
			ExecError::Rejected(Rejection::ContractNotFound, _) => StarknetError::ContractNotFound,
			ExecError::Rejected(Rejection::EntryPointNotFound, _) => {
				StarknetError::EntryPointNotFound
			}
			ExecError::Rejected(_, reason) => {
				StarknetError::ContractError(String::from_utf8_lossy(&reason).into_owned())
			}
			ExecError::Internal(reason) => {
				StarknetError::UnexpectedError(String::from_utf8_lossy(&reason).into_owned())
			}
		})
	}

	/// `starknet_estimateFee`: each transaction on the state the previous left; a reverted or
	/// rejected one fails the request.
	pub(crate) fn estimate_fee(
		&self,
		request: Vec<BroadcastedTxn>,
		simulation_flags: Vec<String>,
		block_id: BlockId,
	) -> Result<Vec<FeeEstimate>> {
		let mut validate = true;
		for flag in &simulation_flags {
			match flag.as_str() {
				"SKIP_VALIDATE" => validate = false,
				other => {
					return Err(StarknetError::InvalidParams(format!(
						"unknown simulation flag {} (estimateFee takes SKIP_VALIDATE)",
						Quoted(other)
					)))
				}
			}
		}
		self.limits.check_simulated(request.len())?;
		let _slot = self.executions.acquire(QUEUE_WAIT)?;
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
						})
					}
				},
				Err(ExecError::Rejected(_, message)) | Err(ExecError::Internal(message)) => {
					return Err(StarknetError::TransactionExecutionError {
						index,
						error: String::from_utf8_lossy(&message).into_owned(),
					})
				}
			};
			let fri =
				(prices.l1_gas_price_fri, prices.l1_data_gas_price_fri, prices.l2_gas_price_fri);
			estimates.push(FeeEstimate::new(outcome.gas, fri, PriceUnit::Fri));
		}
		Ok(estimates)
	}

	/// `starknet_estimateMessageFee`: the L1 handler executed on the block's state, in WEI.
	pub(crate) fn estimate_message_fee(
		&self,
		message: MessageFromL1,
		block_id: BlockId,
	) -> Result<FeeEstimate> {
		let _slot = self.executions.acquire(QUEUE_WAIT)?;
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
				));
			}
			Some(Err(ExecError::Rejected(_, reason))) | Some(Err(ExecError::Internal(reason))) => {
				return Err(StarknetError::ContractError(
					String::from_utf8_lossy(&reason).into_owned(),
				))
			}
			None => return Err(unexpected("no outcome")),
		};
		let wei = (prices.l1_gas_price_wei, prices.l1_data_gas_price_wei, prices.l2_gas_price_wei);
		Ok(FeeEstimate::new(outcome.gas, wei, PriceUnit::Wei))
	}

	/// `starknet_simulateTransactions`: traces and fees of a sequence, each on the state the
	/// previous left (a reverted one does not stop it; a rejected one fails the request).
	pub(crate) fn simulate_transactions(
		&self,
		block_id: BlockId,
		transactions: Vec<BroadcastedTxn>,
		simulation_flags: Vec<String>,
	) -> Result<Vec<SimulatedTransaction>> {
		let (mut validate, mut charge_fee) = (true, true);
		for flag in &simulation_flags {
			match flag.as_str() {
				"SKIP_VALIDATE" => validate = false,
				"SKIP_FEE_CHARGE" => charge_fee = false,
				"RETURN_INITIAL_READS" => {
					return Err(StarknetError::InvalidParams(
						"RETURN_INITIAL_READS is not supported yet".into(),
					))
				}
				other => {
					return Err(StarknetError::InvalidParams(format!(
						"unknown simulation flag {}",
						Quoted(other)
					)))
				}
			}
		}
		self.limits.check_simulated(transactions.len())?;
		let _slot = self.executions.acquire(QUEUE_WAIT)?;
		let at = self.block(block_id)?;
		let (txs, only_query) = broadcasted_queries(transactions)?;
		let kinds: Vec<TransactionKind> = txs.iter().map(|(tx, _)| tx.kind()).collect();
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
			let state_diff = self.state_diff(&outcome.state_diff, Some(at), |_| true);
			simulated.push(SimulatedTransaction {
				transaction_trace: TransactionTrace::new(
					kinds[index],
					&outcome,
					&trace,
					state_diff,
				),
				fee_estimation: FeeEstimate::new(outcome.gas, fri, PriceUnit::Fri),
			});
		}
		Ok(simulated)
	}
}

/// Broadcasted transactions for a query (estimate, simulate): each with its class for a declare,
/// and whether any carries the query version.
fn broadcasted_queries(
	txs: Vec<BroadcastedTxn>,
) -> Result<(Vec<(Transaction, Option<Vec<u8>>)>, bool)> {
	let mut queries = Vec::with_capacity(txs.len());
	let mut only_query = false;
	for tx in txs {
		let (tx, class, query) = broadcasted_query(tx)?;
		only_query |= query;
		queries.push((tx, class));
	}
	Ok((queries, only_query))
}

/// A broadcasted V3 transaction of any type for a query (estimate, simulate): the transaction,
/// its class for a declare, and whether it carries the query version.
fn broadcasted_query(mut tx: BroadcastedTxn) -> Result<(Transaction, Option<Vec<u8>>, bool)> {
	let only_query = tx.version() == Some(QUERY_VERSION_3);
	if only_query {
		tx.0["version"] = "0x3".into();
	}
	let ty = tx.ty().unwrap_or_default().to_string();
	Ok(match broadcasted(tx, &ty)? {
		RpcTransaction::Invoke(RpcInvokeTransaction::V3(tx)) => {
			(Transaction::Invoke(api::InvokeTransactionV3::from(tx).convert()), None, only_query)
		}
		RpcTransaction::DeployAccount(RpcDeployAccountTransaction::V3(tx)) => (
			Transaction::DeployAccount(api::DeployAccountTransactionV3::from(tx).convert()),
			None,
			only_query,
		),
		RpcTransaction::Declare(RpcDeclareTransaction::V3(tx)) => {
			let class = serde_json::to_vec(&tx.contract_class).map_err(unexpected)?;
			let tx = api::DeclareTransactionV3::from(tx);
			(Transaction::Declare(tx.convert()), Some(class), only_query)
		}
	})
}

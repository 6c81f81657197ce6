//! `starknet_trace_api_openrpc.json`: simulations and traces.
use crate::types::{
	BlockId, BlockTransactionTrace, BroadcastedTxn, SimulatedTransaction, TransactionTrace,
};
use cairn_primitives::starknet::Felt;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};

/// The trace methods of Starknet JSON-RPC 0.10.3. All of them execute: `simulateTransactions`
/// runs on the blocking pool; the traces look their transaction up in the index, then re-execute
/// on the blocking pool.
#[rpc(server, namespace = "starknet")]
pub trait StarknetTraceApi {
	/// Execute transactions on top of a block's state, writing nothing: their traces and fees.
	#[method(name = "simulateTransactions", blocking)]
	fn simulate_transactions(
		&self,
		block_id: BlockId,
		transactions: Vec<BroadcastedTxn>,
		simulation_flags: Vec<String>,
	) -> RpcResult<Vec<SimulatedTransaction>>;

	/// The execution trace of a mined transaction (its block's prefix is re-executed).
	#[method(name = "traceTransaction")]
	async fn trace_transaction(&self, transaction_hash: Felt) -> RpcResult<TransactionTrace>;

	/// The execution traces of a block's transactions (the block is re-executed).
	#[method(name = "traceBlockTransactions")]
	async fn trace_block_transactions(
		&self,
		block_id: BlockId,
		trace_flags: Option<Vec<String>>,
	) -> RpcResult<Vec<BlockTransactionTrace>>;
}

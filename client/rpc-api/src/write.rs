//! `starknet_write_api.json`: submitting transactions.
use crate::types::{AddDeclareResult, AddDeployAccountResult, AddInvokeResult, BroadcastedTxn};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};

/// The write methods of Starknet JSON-RPC 0.10.3: V3 transactions into the node's pool.
#[rpc(server, namespace = "starknet")]
pub trait StarknetWriteApi {
	/// Submit a V3 invoke transaction.
	#[method(name = "addInvokeTransaction")]
	async fn add_invoke_transaction(
		&self,
		invoke_transaction: BroadcastedTxn,
	) -> RpcResult<AddInvokeResult>;

	/// Submit a V3 declare transaction.
	#[method(name = "addDeclareTransaction")]
	async fn add_declare_transaction(
		&self,
		declare_transaction: BroadcastedTxn,
	) -> RpcResult<AddDeclareResult>;

	/// Submit a V3 deploy-account transaction.
	#[method(name = "addDeployAccountTransaction")]
	async fn add_deploy_account_transaction(
		&self,
		deploy_account_transaction: BroadcastedTxn,
	) -> RpcResult<AddDeployAccountResult>;
}

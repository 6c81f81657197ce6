//! `starknet_executables.json`: what the node compiled.
use crate::types::CasmClass;
use cairn_primitives::starknet::Felt;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};

/// The executables method of Starknet JSON-RPC 0.10.3.
#[rpc(server, namespace = "starknet")]
pub trait StarknetExecutablesApi {
	/// The CASM this node compiled a declared class to.
	#[method(name = "getCompiledCasm")]
	fn get_compiled_casm(&self, class_hash: Felt) -> RpcResult<CasmClass>;
}

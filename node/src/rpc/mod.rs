//! The RPC methods the node serves besides Substrate's built-in `system_*`, `chain_*`, `state_*`,
//! `author_*`: account nonces and fee queries, the Starknet JSON-RPC (`starknet_*`, the five
//! traits of `cairn-rpc-api` implemented by `cairn-rpc`, the WebSocket subscriptions among them),
//! and on development chains `engine_*` ([`engine`]) and starknet-devnet's and Katana's
//! development methods ([`dev`]), all unsafe RPC. This file only merges modules.
pub mod dev;
pub mod engine;

use std::sync::Arc;

use cairn_primitives::{AccountId, Balance, Block, Hash, Nonce};
use futures::channel::mpsc;
use jsonrpsee::RpcModule;
use sc_consensus_manual_seal::EngineCommand;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::{Error as BlockChainError, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P: TransactionPool, BE> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// Where `engine_createBlock`/`engine_finalizeBlock` send their commands (dev sealing only).
	pub engine: Option<mpsc::Sender<EngineCommand<Hash>>>,
	/// The Starknet RPC server (built by the service, which replays its pool journal).
	pub starknet: cairn_rpc::Starknet<Block, C, BE, P>,
	/// The development methods (development chains only).
	pub dev: Option<dev::Dev>,
}

/// All of the node's own RPC methods in one module.
pub fn create_full<C, P, BE>(
	FullDeps { client, pool, engine, starknet, dev }: FullDeps<C, P, BE>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	BE: sc_client_api::Backend<Block> + 'static,
	C: cairn_index::StarknetClient<Block, BE>
		+ ProvideRuntimeApi<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	P: TransactionPool<Block = Block> + 'static,
{
	use cairn_rpc_api::{
		ws::PRIVATE_UNSUBSCRIBE_METHODS, StarknetExecutablesApiServer, StarknetReadApiServer,
		StarknetTraceApiServer, StarknetWriteApiServer, StarknetWsApiServer,
	};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	module.merge(StarknetReadApiServer::into_rpc(starknet.clone()))?;
	module.merge(StarknetWriteApiServer::into_rpc(starknet.clone()))?;
	module.merge(StarknetTraceApiServer::into_rpc(starknet.clone()))?;
	module.merge(StarknetExecutablesApiServer::into_rpc(starknet.clone()))?;
	let mut subscriptions = StarknetWsApiServer::into_rpc(starknet);
	for name in PRIVATE_UNSUBSCRIBE_METHODS {
		subscriptions.remove_method(name);
	}
	module.merge(subscriptions)?;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;
	if let Some(engine) = engine {
		use engine::{Engine, EngineApiServer};
		module.merge(Engine::new(engine).into_rpc())?;
	}
	if let Some(dev) = dev {
		use dev::{DevnetApiServer, KatanaDevApiServer};
		module.merge(DevnetApiServer::into_rpc(dev.clone()))?;
		module.merge(KatanaDevApiServer::into_rpc(dev))?;
	}
	Ok(module)
}

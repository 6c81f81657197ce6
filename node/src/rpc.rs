//! The RPC methods the node serves besides Substrate's built-in `system_*`, `chain_*`, `state_*`,
//! `author_*`: account nonces and fee queries, the Starknet JSON-RPC (`starknet_*`, from
//! `cairn-client`), and `engine_*` when blocks are sealed on demand.
use std::sync::Arc;

use cairn_primitives::{AccountId, Balance, Block, Hash, Nonce};
use futures::channel::mpsc;
use jsonrpsee::RpcModule;
use sc_consensus_manual_seal::{
	rpc::{ManualSeal, ManualSealApiServer},
	EngineCommand,
};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// Where `engine_createBlock`/`engine_finalizeBlock` send their commands (dev sealing only).
	pub engine: Option<mpsc::Sender<EngineCommand<Hash>>>,
}

/// All of the node's own RPC methods in one module.
pub fn create_full<C, P, BE>(
	FullDeps { client, pool, engine }: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	BE: sc_client_api::Backend<Block> + 'static,
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ sc_client_api::StorageProvider<Block, BE>
		+ sc_client_api::BlockBackend<Block>
		+ sc_client_api::AuxStore
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ cairn_primitives::starknet::runtime_api::StarknetRuntimeApi<Block>
		+ BlockBuilder<Block>,
	P: TransactionPool<Block = Block> + 'static,
{
	use cairn_client::{Starknet, StarknetApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	module.merge(Starknet::<Block, C, BE, P>::new(client.clone(), pool.clone()).into_rpc())?;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;
	if let Some(engine) = engine {
		module.merge(ManualSeal::new(engine).into_rpc())?;
	}
	Ok(module)
}

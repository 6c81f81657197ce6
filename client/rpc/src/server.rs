//! The five `cairn-rpc-api` server traits for [`Starknet`]: each method is one call into the file
//! of its concern.
use crate::Starknet;
use cairn_index::StarknetClient;
use cairn_primitives::starknet::Felt;
use cairn_rpc_api::{
	types::{
		AddDeclareResult, AddDeployAccountResult, AddInvokeResult, Addresses, BlockHashAndNumber,
		BlockId, BlockTransactionTrace, BroadcastedTxn, CasmClass, ContractClass,
		ContractStorageKeys, EventsChunk, EventsRequest, FeeEstimate, FunctionCall, L1TxnHash,
		MaybePreConfirmedBlockWithReceipts, MaybePreConfirmedBlockWithTxHashes,
		MaybePreConfirmedBlockWithTxs, MaybePreConfirmedStateUpdate, MessageFromL1, MessageStatus,
		SimulatedTransaction, StorageProof, SubscriptionTag, TransactionTrace, TxnFinalityStatus,
		TxnReceiptWithBlockInfo, TxnStatus, TxnStatusResult, TxnWithHash,
	},
	StarknetExecutablesApiServer, StarknetReadApiServer, StarknetTraceApiServer,
	StarknetWriteApiServer, StarknetWsApiServer, SPEC_VERSION,
};
use jsonrpsee::{
	core::{async_trait, RpcResult, SubscriptionResult},
	ConnectionId, Extensions, PendingSubscriptionSink,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::Block as BlockT;

#[async_trait]
impl<B, C, BE, P> StarknetReadApiServer for Starknet<B, C, BE, P>
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
		Ok(Starknet::chain_id(self)?)
	}

	fn block_number(&self) -> RpcResult<u64> {
		Ok(Starknet::block_number(self)?)
	}

	fn get_nonce(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Felt> {
		Ok(self.nonce(block_id, contract_address)?)
	}

	fn get_storage_at(
		&self,
		contract_address: Felt,
		key: Felt,
		block_id: BlockId,
	) -> RpcResult<Felt> {
		Ok(self.storage_at(contract_address, key, block_id)?)
	}

	fn get_class_hash_at(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<Felt> {
		Ok(self.contract_class_hash(block_id, contract_address)?)
	}

	fn get_class(&self, block_id: BlockId, class_hash: Felt) -> RpcResult<ContractClass> {
		Ok(self.declared_class(block_id, class_hash)?)
	}

	fn get_class_at(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<ContractClass> {
		Ok(self.contract_class(block_id, contract_address)?)
	}

	async fn block_hash_and_number(&self) -> RpcResult<BlockHashAndNumber> {
		Ok(Starknet::block_hash_and_number(self).await?)
	}

	async fn get_block_with_tx_hashes(
		&self,
		block_id: BlockId,
	) -> RpcResult<MaybePreConfirmedBlockWithTxHashes> {
		Ok(self.block_with_tx_hashes(block_id).await?)
	}

	async fn get_block_transaction_count(&self, block_id: BlockId) -> RpcResult<u64> {
		Ok(self.block_transaction_count(block_id).await?)
	}

	async fn get_transaction_receipt(
		&self,
		transaction_hash: Felt,
	) -> RpcResult<TxnReceiptWithBlockInfo> {
		Ok(self.transaction_receipt(transaction_hash).await?)
	}

	async fn get_transaction_status(&self, transaction_hash: Felt) -> RpcResult<TxnStatusResult> {
		Ok(self.transaction_status(transaction_hash).await?)
	}

	async fn get_block_with_txs(
		&self,
		block_id: BlockId,
	) -> RpcResult<MaybePreConfirmedBlockWithTxs> {
		Ok(self.block_with_txs(block_id).await?)
	}

	async fn get_block_with_receipts(
		&self,
		block_id: BlockId,
	) -> RpcResult<MaybePreConfirmedBlockWithReceipts> {
		Ok(self.block_with_receipts(block_id).await?)
	}

	async fn get_transaction_by_hash(&self, transaction_hash: Felt) -> RpcResult<TxnWithHash> {
		Ok(self.transaction_by_hash(transaction_hash).await?)
	}

	async fn get_transaction_by_block_id_and_index(
		&self,
		block_id: BlockId,
		index: u64,
	) -> RpcResult<TxnWithHash> {
		Ok(self.transaction_by_block_id_and_index(block_id, index).await?)
	}

	async fn get_events(&self, filter: EventsRequest) -> RpcResult<EventsChunk> {
		Ok(self.events(filter).await?)
	}

	async fn get_state_update(
		&self,
		block_id: BlockId,
		contract_addresses: Option<Vec<Felt>>,
	) -> RpcResult<MaybePreConfirmedStateUpdate> {
		Ok(self.state_update(block_id, contract_addresses).await?)
	}

	fn estimate_message_fee(
		&self,
		message: MessageFromL1,
		block_id: BlockId,
	) -> RpcResult<FeeEstimate> {
		Ok(Starknet::estimate_message_fee(self, message, block_id)?)
	}

	async fn get_messages_status(
		&self,
		transaction_hash: L1TxnHash,
	) -> RpcResult<Vec<MessageStatus>> {
		Ok(self.messages_status(&transaction_hash).await?)
	}

	fn syncing(&self) -> RpcResult<bool> {
		// A sequencer never syncs.
		Ok(false)
	}

	fn get_storage_proof(
		&self,
		block_id: BlockId,
		class_hashes: Option<Vec<Felt>>,
		contract_addresses: Option<Vec<Felt>>,
		contracts_storage_keys: Option<Vec<ContractStorageKeys>>,
	) -> RpcResult<StorageProof> {
		Ok(self.storage_proof(
			block_id,
			class_hashes.unwrap_or_default(),
			contract_addresses.unwrap_or_default(),
			contracts_storage_keys.unwrap_or_default(),
		)?)
	}

	fn call(&self, request: FunctionCall, block_id: BlockId) -> RpcResult<Vec<Felt>> {
		Ok(Starknet::call(self, request, block_id)?)
	}

	fn estimate_fee(
		&self,
		request: Vec<BroadcastedTxn>,
		simulation_flags: Vec<String>,
		block_id: BlockId,
	) -> RpcResult<Vec<FeeEstimate>> {
		Ok(Starknet::estimate_fee(self, request, simulation_flags, block_id)?)
	}
}

#[async_trait]
impl<B, C, BE, P> StarknetWriteApiServer for Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	async fn add_invoke_transaction(
		&self,
		invoke_transaction: BroadcastedTxn,
	) -> RpcResult<AddInvokeResult> {
		Ok(self.add_invoke(invoke_transaction).await?)
	}

	async fn add_declare_transaction(
		&self,
		declare_transaction: BroadcastedTxn,
	) -> RpcResult<AddDeclareResult> {
		Ok(self.add_declare(declare_transaction).await?)
	}

	async fn add_deploy_account_transaction(
		&self,
		deploy_account_transaction: BroadcastedTxn,
	) -> RpcResult<AddDeployAccountResult> {
		Ok(self.add_deploy_account(deploy_account_transaction).await?)
	}
}

#[async_trait]
impl<B, C, BE, P> StarknetTraceApiServer for Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	fn simulate_transactions(
		&self,
		block_id: BlockId,
		transactions: Vec<BroadcastedTxn>,
		simulation_flags: Vec<String>,
	) -> RpcResult<Vec<SimulatedTransaction>> {
		Ok(Starknet::simulate_transactions(self, block_id, transactions, simulation_flags)?)
	}

	async fn trace_transaction(&self, transaction_hash: Felt) -> RpcResult<TransactionTrace> {
		Ok(Starknet::trace_transaction(self, transaction_hash).await?)
	}

	async fn trace_block_transactions(
		&self,
		block_id: BlockId,
		trace_flags: Option<Vec<String>>,
	) -> RpcResult<Vec<BlockTransactionTrace>> {
		Ok(Starknet::trace_block_transactions(self, block_id, trace_flags).await?)
	}
}

impl<B, C, BE, P> StarknetExecutablesApiServer for Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	fn get_compiled_casm(&self, class_hash: Felt) -> RpcResult<CasmClass> {
		Ok(self.compiled_casm(class_hash)?)
	}
}

#[async_trait]
impl<B, C, BE, P> StarknetWsApiServer for Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	async fn subscribe_new_heads(
		&self,
		pending: PendingSubscriptionSink,
		block_id: Option<BlockId>,
	) -> SubscriptionResult {
		Starknet::subscribe_new_heads(self, pending, block_id).await
	}

	async fn subscribe_events(
		&self,
		pending: PendingSubscriptionSink,
		from_address: Option<Addresses>,
		keys: Option<Vec<Vec<Felt>>>,
		block_id: Option<BlockId>,
		finality_status: Option<TxnFinalityStatus>,
	) -> SubscriptionResult {
		Starknet::subscribe_events(self, pending, from_address, keys, block_id, finality_status)
			.await
	}

	async fn subscribe_transaction_status(
		&self,
		pending: PendingSubscriptionSink,
		transaction_hash: Felt,
	) -> SubscriptionResult {
		Starknet::subscribe_transaction_status(self, pending, transaction_hash).await
	}

	async fn subscribe_new_transaction_receipts(
		&self,
		pending: PendingSubscriptionSink,
		finality_status: Option<Vec<TxnFinalityStatus>>,
		sender_address: Option<Vec<Felt>>,
	) -> SubscriptionResult {
		Starknet::subscribe_new_transaction_receipts(self, pending, finality_status, sender_address)
			.await
	}

	async fn subscribe_new_transactions(
		&self,
		pending: PendingSubscriptionSink,
		finality_status: Option<Vec<TxnStatus>>,
		sender_address: Option<Vec<Felt>>,
		tags: Option<Vec<SubscriptionTag>>,
	) -> SubscriptionResult {
		Starknet::subscribe_new_transactions(self, pending, finality_status, sender_address, tags)
			.await
	}

	fn unsubscribe(&self, extensions: &Extensions, subscription_id: String) -> RpcResult<bool> {
		let connection = extensions.get::<ConnectionId>().copied();
		Ok(Starknet::unsubscribe(self, connection, &subscription_id)?)
	}
}

//! `starknet_api_openrpc.json`: the read methods.
use crate::types::{
	BlockHashAndNumber, BlockId, BroadcastedTxn, ContractClass, ContractStorageKeys, EventsChunk,
	EventsRequest, FeeEstimate, FunctionCall, L1TxnHash, MaybePreConfirmedBlockWithReceipts,
	MaybePreConfirmedBlockWithTxHashes, MaybePreConfirmedBlockWithTxs,
	MaybePreConfirmedStateUpdate, MessageFromL1, MessageStatus, StorageProof,
	TxnReceiptWithBlockInfo, TxnStatusResult, TxnWithHash,
};
use cairn_primitives::starknet::Felt;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};

/// The read methods of Starknet JSON-RPC 0.10.3. `call`, `estimateFee` and
/// `estimateMessageFee` execute contracts: they run on the blocking pool, not on the server's
/// async workers.
#[rpc(server, namespace = "starknet")]
pub trait StarknetReadApi {
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
	fn get_class(&self, block_id: BlockId, class_hash: Felt) -> RpcResult<ContractClass>;

	/// A contract's class.
	#[method(name = "getClassAt")]
	fn get_class_at(&self, block_id: BlockId, contract_address: Felt) -> RpcResult<ContractClass>;

	/// The newest block's Starknet hash and number.
	#[method(name = "blockHashAndNumber")]
	async fn block_hash_and_number(&self) -> RpcResult<BlockHashAndNumber>;

	/// A block with its transactions' hashes.
	#[method(name = "getBlockWithTxHashes")]
	async fn get_block_with_tx_hashes(
		&self,
		block_id: BlockId,
	) -> RpcResult<MaybePreConfirmedBlockWithTxHashes>;

	/// How many transactions a block has.
	#[method(name = "getBlockTransactionCount")]
	async fn get_block_transaction_count(&self, block_id: BlockId) -> RpcResult<u64>;

	/// A transaction's receipt.
	#[method(name = "getTransactionReceipt")]
	async fn get_transaction_receipt(
		&self,
		transaction_hash: Felt,
	) -> RpcResult<TxnReceiptWithBlockInfo>;

	/// A transaction's finality and execution status.
	#[method(name = "getTransactionStatus")]
	async fn get_transaction_status(&self, transaction_hash: Felt) -> RpcResult<TxnStatusResult>;

	/// A block with its transactions.
	#[method(name = "getBlockWithTxs")]
	async fn get_block_with_txs(
		&self,
		block_id: BlockId,
	) -> RpcResult<MaybePreConfirmedBlockWithTxs>;

	/// A block with its transactions and their receipts.
	#[method(name = "getBlockWithReceipts")]
	async fn get_block_with_receipts(
		&self,
		block_id: BlockId,
	) -> RpcResult<MaybePreConfirmedBlockWithReceipts>;

	/// A transaction by its hash.
	#[method(name = "getTransactionByHash")]
	async fn get_transaction_by_hash(&self, transaction_hash: Felt) -> RpcResult<TxnWithHash>;

	/// A transaction by its block and index.
	#[method(name = "getTransactionByBlockIdAndIndex")]
	async fn get_transaction_by_block_id_and_index(
		&self,
		block_id: BlockId,
		index: u64,
	) -> RpcResult<TxnWithHash>;

	/// Events matching a filter, a page at a time.
	#[method(name = "getEvents")]
	async fn get_events(&self, filter: EventsRequest) -> RpcResult<EventsChunk>;

	/// The state diff a block applied.
	#[method(name = "getStateUpdate")]
	async fn get_state_update(
		&self,
		block_id: BlockId,
		contract_addresses: Option<Vec<Felt>>,
	) -> RpcResult<MaybePreConfirmedStateUpdate>;

	/// Estimate the fee of an L1 → L2 message's L1 handler (executed: on the blocking pool).
	#[method(name = "estimateMessageFee", blocking)]
	fn estimate_message_fee(
		&self,
		message: MessageFromL1,
		block_id: BlockId,
	) -> RpcResult<FeeEstimate>;

	/// The L2 transactions an L1 transaction's messages caused, those in a block, with their
	/// statuses (a node that follows no L1 knows no L1 transaction: TXN_HASH_NOT_FOUND).
	#[method(name = "getMessagesStatus")]
	async fn get_messages_status(
		&self,
		transaction_hash: L1TxnHash,
	) -> RpcResult<Vec<MessageStatus>>;

	/// Whether the node is syncing: a sequencer never is (`false`).
	#[method(name = "syncing")]
	fn syncing(&self) -> RpcResult<bool>;

	/// Merkle proofs of Starknet state at a recent block: classes, contracts and storage cells,
	/// up to the block's global roots.
	#[method(name = "getStorageProof")]
	fn get_storage_proof(
		&self,
		block_id: BlockId,
		class_hashes: Option<Vec<Felt>>,
		contract_addresses: Option<Vec<Felt>>,
		contracts_storage_keys: Option<Vec<ContractStorageKeys>>,
	) -> RpcResult<StorageProof>;

	/// Call a contract's entry point without a transaction (executed: on the blocking pool).
	#[method(name = "call", blocking)]
	fn call(&self, request: FunctionCall, block_id: BlockId) -> RpcResult<Vec<Felt>>;

	/// Estimate the fees of a sequence of transactions, each on the state the previous left
	/// (executed: on the blocking pool).
	#[method(name = "estimateFee", blocking)]
	fn estimate_fee(
		&self,
		request: Vec<BroadcastedTxn>,
		simulation_flags: Vec<String>,
		block_id: BlockId,
	) -> RpcResult<Vec<FeeEstimate>>;
}

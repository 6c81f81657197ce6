//! Traces of mined transactions: the block is re-executed on its parent's state with the runtime
//! that built it (`initialize_block`, then its extrinsics, only the prefix up to the traced
//! transaction), writing nothing. The transaction is found in the index first; the re-execution
//! runs on tokio's blocking pool.
use crate::{blocking, limits::QUEUE_WAIT, unexpected, Result, Starknet};
use cairn_index::StarknetClient;
use cairn_primitives::starknet::{
	exec::{ExecOutcome, TransactionTrace as CallTrees},
	runtime_api::StarknetRuntimeApi,
	Felt, Quoted,
};
use cairn_rpc_api::{
	types::{BlockId, BlockTransactionTrace, TransactionTrace},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::{Block as BlockT, Header as HeaderT};

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// `starknet_traceTransaction` (NO_TRACE_AVAILABLE for a transaction still in the pool).
	pub(crate) async fn trace_transaction(
		&self,
		transaction_hash: Felt,
	) -> Result<TransactionTrace> {
		let (block, index) =
			self.locate_or(transaction_hash, StarknetError::NoTraceAvailable).await?;
		self.limits.check_traced(index + 1)?;
		let this = self.clone();
		blocking(move || {
			let _slot = this.executions.acquire(QUEUE_WAIT)?;
			let hash = this.block(BlockId::Number(block.number))?;
			let parent = this.parent_of(&block)?;
			let traces = this.retrace(hash, Some(index))?;
			let (outcome, trace) = traces
				.get(index)
				.ok_or_else(|| unexpected("the block re-executed without this transaction"))?;
			let state_diff = this.state_diff(&outcome.state_diff, parent, |_| true);
			let kind = block.transactions[index].receipt.kind;
			Ok(TransactionTrace::new(kind, outcome, trace, state_diff))
		})
		.await
	}

	/// `starknet_traceBlockTransactions`.
	pub(crate) async fn trace_block_transactions(
		&self,
		block_id: BlockId,
		trace_flags: Option<Vec<String>>,
	) -> Result<Vec<BlockTransactionTrace>> {
		if let Some(flag) = trace_flags.iter().flatten().next() {
			let error = match flag.as_str() {
				"RETURN_INITIAL_READS" => "RETURN_INITIAL_READS is not supported yet".into(),
				other => format!("unknown trace flag {}", Quoted(other)),
			};
			return Err(StarknetError::InvalidParams(error));
		}
		if block_id == BlockId::PreConfirmed {
			let error = "the pre_confirmed block has no traces: nothing is executed in it yet";
			return Err(StarknetError::InvalidParams(error.into()));
		}
		let hash = self.block(block_id)?;
		let block = self.indexed_at(hash).await?;
		self.limits.check_traced(block.transactions.len())?;
		let this = self.clone();
		blocking(move || {
			let _slot = this.executions.acquire(QUEUE_WAIT)?;
			let parent = this.parent_of(&block)?;
			let traces = this.retrace(hash, None)?;
			if traces.len() != block.transactions.len() {
				return Err(unexpected("the block re-executed to a different transaction count"));
			}
			Ok(traces
				.iter()
				.zip(&block.transactions)
				.map(|((outcome, trace), tx)| {
					let state_diff = this.state_diff(&outcome.state_diff, parent, |_| true);
					BlockTransactionTrace {
						transaction_hash: tx.receipt.tx_hash,
						trace_root: TransactionTrace::new(
							tx.receipt.kind,
							outcome,
							trace,
							state_diff,
						),
					}
				})
				.collect())
		})
		.await
	}

	/// Re-execute block `hash` on its parent's state with the runtime that built it, up to its
	/// Starknet transaction `last` (all of them when `None`): the outcomes and call trees of
	/// its Starknet transactions, in order. Nothing is written.
	fn retrace(&self, hash: B::Hash, last: Option<usize>) -> Result<Vec<(ExecOutcome, CallTrees)>> {
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

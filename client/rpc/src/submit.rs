//! Submission: a broadcasted V3 transaction is parsed (with `starknet_api`'s RPC types), hashed,
//! wrapped by the runtime into the pallet's unsigned extrinsic and handed to the pool; the pool's
//! verdicts become the spec's errors. Transactions submitted here are remembered as received
//! until they are found in a block, so that one still waiting in the pool reads as `RECEIVED`,
//! and journaled until they are settled (`journal`), so that a crash loses none.
use crate::{unexpected, Result, Starknet};
use cairn_executor::convert::Convert;
use cairn_index::StarknetClient;
use cairn_primitives::starknet::{
	exec::{ExecError, ExecMode, Rejection},
	runtime_api::StarknetRuntimeApi,
	Felt, Transaction,
};
use cairn_rpc_api::{
	types::{AddDeclareResult, AddDeployAccountResult, AddInvokeResult, BroadcastedTxn},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::{
	error::{Error as PoolError, IntoPoolError},
	InPoolTransaction, TransactionPool, TxHash,
};
use sp_runtime::{traits::Block as BlockT, transaction_validity::InvalidTransaction};
use starknet_api::{
	rpc_transaction::{
		RpcDeclareTransaction, RpcDeployAccountTransaction, RpcInvokeTransaction, RpcTransaction,
	},
	transaction as api,
};
use std::collections::HashSet;

/// Most submitted transactions [`Starknet`] remembers as received.
pub(crate) const MAX_RECEIVED: u32 = 65_536;

/// A broadcasted V3 transaction of the expected `type`, or the spec's error.
pub(crate) fn broadcasted(tx: BroadcastedTxn, expected_type: &str) -> Result<RpcTransaction> {
	let ty = tx.ty();
	if ty != Some(expected_type) {
		return Err(StarknetError::InvalidParams(format!(
			"expected a transaction of type {expected_type}, got {ty:?}"
		)));
	}
	match tx.version() {
		Some("0x3") => {}
		_ => return Err(StarknetError::UnsupportedTxVersion),
	}
	serde_json::from_value(tx.0).map_err(|e| StarknetError::InvalidParams(e.to_string()))
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// `starknet_addInvokeTransaction`.
	pub(crate) async fn add_invoke(&self, tx: BroadcastedTxn) -> Result<AddInvokeResult> {
		let outcome = self.invoke(tx).await;
		self.counted("INVOKE", outcome)
	}

	/// `starknet_addDeclareTransaction`.
	pub(crate) async fn add_declare(&self, tx: BroadcastedTxn) -> Result<AddDeclareResult> {
		let outcome = self.declare(tx).await;
		self.counted("DECLARE", outcome)
	}

	/// `starknet_addDeployAccountTransaction`.
	pub(crate) async fn add_deploy_account(
		&self,
		tx: BroadcastedTxn,
	) -> Result<AddDeployAccountResult> {
		let outcome = self.deploy_account(tx).await;
		self.counted("DEPLOY_ACCOUNT", outcome)
	}

	/// `outcome`, a submission of type `kind`, counted in the node's metrics.
	fn counted<T>(&self, kind: &str, outcome: Result<T>) -> Result<T> {
		if let Some(metrics) = &self.metrics {
			metrics.submitted(kind, &outcome);
		}
		outcome
	}

	async fn invoke(&self, tx: BroadcastedTxn) -> Result<AddInvokeResult> {
		let RpcTransaction::Invoke(RpcInvokeTransaction::V3(tx)) = broadcasted(tx, "INVOKE")?
		else {
			return Err(StarknetError::UnsupportedTxVersion);
		};
		let tx = Transaction::Invoke(api::InvokeTransactionV3::from(tx).convert());
		Ok(AddInvokeResult { transaction_hash: self.submit(tx, None).await? })
	}

	async fn declare(&self, tx: BroadcastedTxn) -> Result<AddDeclareResult> {
		// A class is up to megabytes of JSON: read it off the RPC server's async threads, which
		// also run block production's timer and every other request.
		let (tx, class, class_hash) = crate::blocking(move || {
			let RpcTransaction::Declare(RpcDeclareTransaction::V3(tx)) =
				broadcasted(tx, "DECLARE")?
			else {
				return Err(StarknetError::UnsupportedTxVersion);
			};
			let class = serde_json::to_vec(&tx.contract_class).map_err(unexpected)?;
			let tx = api::DeclareTransactionV3::from(tx);
			let class_hash = Felt(tx.class_hash.0);
			Ok((Transaction::Declare(tx.convert()), class, class_hash))
		})
		.await?;
		self.admit_declare(tx.clone(), class.clone()).await?;
		let transaction_hash = self.submit(tx, Some(class)).await?;
		Ok(AddDeclareResult { transaction_hash, class_hash })
	}

	/// Runs a declare's admission — the runtime's checks, then the class compiled in the node's
	/// isolated compiler — one declare at a time, before it goes to the pool. The pool then finds
	/// the compiled class in the executor's cache: the pool's validation threads, which every
	/// transfer waits for too, never spend seconds compiling a class sent here. (The verdict
	/// itself is the pool's, asked next.)
	async fn admit_declare(&self, tx: Transaction, class: Vec<u8>) -> Result<()> {
		let _turn = self.declares.acquire().await.map_err(unexpected)?;
		let this = self.clone();
		crate::blocking(move || {
			let best = this.client.info().best_hash;
			let _ = this.client.runtime_api().execute(best, tx, Some(class), ExecMode::Pool);
			Ok(())
		})
		.await
	}

	async fn deploy_account(&self, tx: BroadcastedTxn) -> Result<AddDeployAccountResult> {
		let RpcTransaction::DeployAccount(RpcDeployAccountTransaction::V3(tx)) =
			broadcasted(tx, "DEPLOY_ACCOUNT")?
		else {
			return Err(StarknetError::UnsupportedTxVersion);
		};
		let tx = api::DeployAccountTransactionV3::from(tx);
		let contract_address = starknet_api::core::calculate_contract_address(
			tx.contract_address_salt,
			tx.class_hash,
			&tx.constructor_calldata,
			Default::default(),
		)
		.map_err(|e| StarknetError::InvalidParams(e.to_string()))?;
		let transaction_hash = self.submit(Transaction::DeployAccount(tx.convert()), None).await?;
		Ok(AddDeployAccountResult {
			transaction_hash,
			contract_address: Felt(*contract_address.0.key()),
		})
	}

	/// Hash `tx`, wrap it into the pallet's extrinsic and hand it to the pool (journaled before
	/// the hash is returned: `journal`).
	async fn submit(&self, tx: Transaction, class: Option<Vec<u8>>) -> Result<Felt> {
		let best = self.client.info().best_hash;
		let (hash, xt) = match class {
			// A declare's extrinsic carries its class into the runtime: off the async threads.
			Some(_) => {
				let (this, tx, class) = (self.clone(), tx.clone(), class.clone());
				crate::blocking(move || this.extrinsic(best, tx, class)).await?
			}
			None => self.extrinsic(best, tx.clone(), None)?,
		};
		let pool_hash = self
			.pool_submit(best, hash, xt, |error| self.pool_error(error, best, tx, class))
			.await?;
		self.remember_received(hash, pool_hash);
		Ok(hash)
	}

	/// `tx`'s Starknet hash and the pallet's extrinsic carrying it, at `best`.
	fn extrinsic(
		&self,
		best: B::Hash,
		tx: Transaction,
		class: Option<Vec<u8>>,
	) -> Result<(Felt, B::Extrinsic)> {
		let chain_id = self.chain_id_at(best)?;
		let hash = cairn_executor::transaction_hash(&tx, &chain_id, false)
			.map_err(|e| StarknetError::InvalidParams(e.to_string()))?;
		let xt = self
			.client
			.runtime_api()
			.extrinsic(best, tx, class)
			.map_err(unexpected)?
			.ok_or_else(|| unexpected("the runtime cannot carry this transaction"))?;
		Ok((hash, xt))
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
			PoolError::InvalidTransaction(InvalidTransaction::Custom(code)) => {
				match Rejection::from_pool_code(code) {
					Some(Rejection::InsufficientResourceBounds) => {
						StarknetError::InsufficientResourcesForValidate
					}
					Some(Rejection::InsufficientBalance) => {
						StarknetError::InsufficientAccountBalance
					}
					Some(Rejection::ValidationFailure) => {
						StarknetError::ValidationFailure(reason())
					}
					Some(Rejection::ClassAlreadyDeclared) => StarknetError::ClassAlreadyDeclared,
					Some(Rejection::ClassNotDeclared) => StarknetError::ClassHashNotFound,
					Some(Rejection::CompiledClassHashMismatch) => {
						StarknetError::CompiledClassHashMismatch
					}
					Some(Rejection::InvalidClass) => StarknetError::CompilationFailed(reason()),
					Some(Rejection::ContractNotFound) => StarknetError::NonAccount,
					Some(Rejection::ClassTooLarge) => StarknetError::ContractClassSizeIsTooLarge,
					Some(
						Rejection::ExceedsBlockLimits
						| Rejection::InvalidNonce
						| Rejection::ClassHashMismatch
						| Rejection::Malformed
						| Rejection::ExecutionFailed
						| Rejection::EntryPointNotFound,
					)
					| None => StarknetError::UnexpectedError(reason()),
				}
			}
			PoolError::AlreadyImported(_) | PoolError::TemporarilyBanned => {
				StarknetError::DuplicateTx
			}
			PoolError::TooLowPriority { .. } => StarknetError::ReplacementTransactionUnderpriced,
			other => unexpected(other),
		}
	}

	/// Remember that Starknet transaction `hash` went into the pool as `pool_hash`. When the map
	/// is full, the transactions that left the pool are forgotten first (one look at the future
	/// queue for the whole prune); only if every one is still in the pool does the least recently
	/// submitted go.
	pub(crate) fn remember_received(&self, hash: Felt, pool_hash: TxHash<P>) {
		// Transaction-status subscribers waiting for it learn it is RECEIVED.
		let _ = self.ws.submitted.send(hash);
		let mut received = self.received.lock().unwrap_or_else(|e| e.into_inner());
		if received.len() >= MAX_RECEIVED as usize {
			let futures: HashSet<_> =
				self.pool.futures().iter().map(|tx| tx.hash().clone()).collect();
			let gone: Vec<Felt> = received
				.iter()
				.filter(|(_, pool_hash)| {
					!futures.contains(*pool_hash)
						&& self.pool.ready_transaction(pool_hash).is_none()
				})
				.map(|(hash, _)| *hash)
				.collect();
			for hash in gone {
				received.remove(&hash);
			}
		}
		received.insert(hash, pool_hash);
	}

	/// Whether `tx_hash` was submitted here and waits in the pool.
	pub(crate) fn is_received(&self, tx_hash: Felt) -> bool {
		let pool_hash =
			self.received.lock().unwrap_or_else(|e| e.into_inner()).peek(&tx_hash).cloned();
		pool_hash.is_some_and(|pool_hash| {
			self.pool.ready_transaction(&pool_hash).is_some()
				|| self.pool.futures().iter().any(|tx| tx.hash() == &pool_hash)
		})
	}

	/// Forget `tx_hash` as received (it is in a block).
	pub(crate) fn forget_received(&self, tx_hash: Felt) {
		self.received.lock().unwrap_or_else(|e| e.into_inner()).remove(&tx_hash);
	}
}

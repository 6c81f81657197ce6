//! Acknowledged transactions survive a crash (`cairn-pool-journal`): a transaction the pool
//! accepted is journaled — on the device — before its hash is returned, followed through the
//! pool's watcher and forgotten once it is finalized or the pool gives it up (invalid, dropped,
//! replaced); at start, the journal's transactions go to the pool again.
use crate::{unexpected, Result, Starknet};
use cairn_index::StarknetClient;
use cairn_pool_journal::Journal;
use cairn_primitives::starknet::Felt;
use codec::{Decode, Encode};
use futures::StreamExt;
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::{
	TransactionPool, TransactionSource, TransactionStatus, TransactionStatusStreamFor, TxHash,
};
use sp_runtime::traits::Block as BlockT;
use std::{pin::Pin, sync::Arc};

/// A journal entry's payload: the Starknet hash, then the SCALE-encoded extrinsic.
fn payload(hash: &Felt, xt: &impl Encode) -> Vec<u8> {
	let mut payload = hash.0.to_bytes_be().to_vec();
	xt.encode_to(&mut payload);
	payload
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// Hands `xt` (Starknet transaction `hash`) to the pool and, with a journal, journals it
	/// before returning: the pool's hash of it, or the pool's verdict as `refused` says it.
	pub(crate) async fn pool_submit(
		&self,
		at: B::Hash,
		hash: Felt,
		xt: B::Extrinsic,
		refused: impl FnOnce(P::Error) -> crate::StarknetError,
	) -> Result<TxHash<P>> {
		let Some(journal) = self.journal.clone() else {
			return self
				.pool
				.submit_one(at, TransactionSource::External, xt)
				.await
				.map_err(refused);
		};
		let pool_hash = self.pool.hash_of(&xt);
		let entry = payload(&hash, &xt);
		let watcher = self
			.pool
			.submit_and_watch(at, TransactionSource::External, xt)
			.await
			.map_err(refused)?;
		let key = pool_hash.encode();
		let written = {
			let (journal, key) = (journal.clone(), key.clone());
			tokio::task::spawn_blocking(move || journal.acknowledge(&key, &entry)).await
		};
		if let Err(error) = written.map_err(std::io::Error::other).and_then(|r| r) {
			log::error!(target: "pool-journal", "journaling {:#x}: {error}", hash.0);
			return Err(unexpected(format!(
				"the transaction is in the pool, but the node could not journal it ({error}): \
				 it may be lost if the node stops before including it"
			)));
		}
		tokio::spawn(follow::<P>(journal, key, watcher));
		Ok(pool_hash)
	}

	/// Sends the journal's `entries` (read at start) to the pool again; those it refuses (already
	/// included, or invalid now) are forgotten.
	pub async fn replay_journal(self, entries: Vec<cairn_pool_journal::Entry>) {
		let Some(journal) = self.journal.clone() else { return };
		let (total, mut replayed) = (entries.len(), 0);
		for (key, payload) in entries {
			let decoded = payload.split_at_checked(32).and_then(|(hash, mut xt)| {
				let hash = Felt(starknet_types_core::felt::Felt::from_bytes_be_slice(hash));
				Some((hash, B::Extrinsic::decode(&mut xt).ok()?))
			});
			let Some((hash, xt)) = decoded else {
				log::warn!(target: "pool-journal", "an entry does not decode: forgotten");
				forget(&journal, &key).await;
				continue;
			};
			let best = self.client.info().best_hash;
			let pool_hash = self.pool.hash_of(&xt);
			match self.pool.submit_and_watch(best, TransactionSource::External, xt).await {
				Ok(watcher) => {
					replayed += 1;
					self.remember_received(hash, pool_hash);
					tokio::spawn(follow::<P>(journal.clone(), key, watcher));
				}
				Err(error) => {
					log::debug!(target: "pool-journal", "{:#x} refused at replay: {error:?}", hash.0);
					forget(&journal, &key).await;
				}
			}
		}
		if total > 0 {
			log::info!(
				target: "pool-journal",
				"🗒️  Pool journal: {replayed} of {total} acknowledged transactions back in the pool \
				 (the others were included already or are refused now)"
			);
		}
	}
}

/// Forgets `key` off the async threads (a removal may compact the file).
async fn forget(journal: &Arc<Journal>, key: &[u8]) {
	let (journal, key) = (journal.clone(), key.to_vec());
	let done = tokio::task::spawn_blocking(move || journal.forget(&key)).await;
	if let Err(error) = done.map_err(std::io::Error::other).and_then(|r| r) {
		log::warn!(target: "pool-journal", "forgetting a settled transaction: {error}");
	}
}

/// Follows one journaled transaction until it is settled: finalized (or in a block GRANDPA
/// has not finalized for too long), or given up by the pool. A watcher that just ends (the node
/// is stopping) leaves it journaled.
async fn follow<P: TransactionPool>(
	journal: Arc<Journal>,
	key: Vec<u8>,
	mut watcher: Pin<Box<TransactionStatusStreamFor<P>>>,
) {
	while let Some(status) = watcher.next().await {
		match status {
			TransactionStatus::Finalized(_)
			| TransactionStatus::FinalityTimeout(_)
			| TransactionStatus::Invalid
			| TransactionStatus::Dropped
			| TransactionStatus::Usurped(_) => {
				forget(&journal, &key).await;
				return;
			}
			TransactionStatus::Future
			| TransactionStatus::Ready
			| TransactionStatus::Broadcast(_)
			| TransactionStatus::InBlock(_)
			| TransactionStatus::Retracted(_) => {}
		}
	}
}

//! Transactions entering the pool, for subscriptions that want `RECEIVED` ones: one task follows
//! the pool's import notifications (started by the first such subscription), decodes each batch of
//! newly ready extrinsics with one runtime call, hashes them and broadcasts them. It does that
//! work only while someone listens. A subscriber that falls more than [`FEED_CAPACITY`]
//! transactions behind is closed rather than silently skipping some.
use crate::Starknet;
use cairn_executor::TransactionExt;
use cairn_index::StarknetClient;
use cairn_primitives::starknet::{runtime_api::StarknetRuntimeApi, Felt, Transaction};
use futures::StreamExt;
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::{InPoolTransaction, TransactionPool};
use sp_runtime::traits::Block as BlockT;
use std::sync::{Arc, OnceLock};
use tokio::sync::broadcast;

/// How many received transactions a subscriber may lag behind.
pub(crate) const FEED_CAPACITY: usize = 16_384;
/// Most pool imports decoded in one runtime call.
const BATCH: usize = 512;

/// A transaction that entered the pool: its Starknet hash and itself.
pub(crate) type Received = Arc<(Felt, Transaction)>;

/// The feed (see the module doc).
#[derive(Default)]
pub(crate) struct ReceivedFeed {
	sender: OnceLock<broadcast::Sender<Received>>,
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// A receiver of the transactions entering the pool from now on.
	pub(super) fn received_transactions(&self) -> broadcast::Receiver<Received> {
		let mut started = false;
		let sender = self.ws.received.sender.get_or_init(|| {
			started = true;
			broadcast::channel(FEED_CAPACITY).0
		});
		let receiver = sender.subscribe();
		if started {
			let (server, sender) = (self.clone(), sender.clone());
			tokio::spawn(async move { server.feed_received(sender).await });
		}
		receiver
	}

	async fn feed_received(self, sender: broadcast::Sender<Received>) {
		let mut imports = self.pool.import_notification_stream().ready_chunks(BATCH);
		while let Some(hashes) = imports.next().await {
			if sender.receiver_count() == 0 {
				continue;
			}
			let extrinsics: Vec<B::Extrinsic> = hashes
				.iter()
				.filter_map(|hash| self.pool.ready_transaction(hash))
				.map(|tx| (**tx.data()).clone())
				.collect();
			if extrinsics.is_empty() {
				continue;
			}
			let server = self.clone();
			let decoded = tokio::task::spawn_blocking(move || {
				let best = server.client.info().best_hash;
				let chain_id = server.chain_id_at(best).ok()?;
				let txs = server.client.runtime_api().transactions(best, extrinsics).ok()?;
				Some(
					txs.into_iter()
						.filter_map(|tx| Some(Arc::new((tx.hash(&chain_id, false).ok()?, tx))))
						.collect::<Vec<_>>(),
				)
			})
			.await;
			match decoded {
				Ok(Some(txs)) => {
					for tx in txs {
						let _ = sender.send(tx);
					}
				}
				_ => {
					log::warn!(target: "starknet-rpc", "cannot decode transactions entering the pool")
				}
			}
		}
	}
}

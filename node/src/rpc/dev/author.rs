//! How a development method changes the chain: a pallet-starknet root call, wrapped in `sudo`
//! and signed with the development key (`service::dev_sudo`), submitted to the pool and waited
//! for until a block includes it — sealed at once under manual sealing, by the import under
//! instant sealing, at the next tick with an interval — then checked to have succeeded (a
//! failed `sudo` call is still included: its `Sudid` event says why). One at a time: each takes
//! the sudo key's next nonce. And blocks sealed on demand.
use crate::{cli::Sealing, service::FullClient};
use cairn_primitives::{Block, Hash};
use cairn_runtime::{Runtime, RuntimeCall, RuntimeEvent};
use futures::{channel::mpsc, SinkExt, StreamExt};
use sc_client_api::HeaderBackend;
use sc_consensus_manual_seal::{rpc::CreatedBlock, EngineCommand};
use sc_transaction_pool_api::{TransactionPool, TransactionSource, TransactionStatus};
use sp_runtime::DispatchError;
use std::{sync::Arc, time::Duration};

/// The transaction pool of the node.
pub type Pool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

/// How long a root call may wait for its block (beyond the sealing interval).
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(60);

/// Authors root calls and blocks on a development chain.
pub struct Author {
	client: Arc<FullClient>,
	pool: Arc<Pool>,
	engine: mpsc::Sender<EngineCommand<Hash>>,
	sealing: Sealing,
	/// One root call at a time (each takes the sudo key's next nonce).
	turn: tokio::sync::Mutex<()>,
}

impl Author {
	pub fn new(
		client: Arc<FullClient>,
		pool: Arc<Pool>,
		engine: mpsc::Sender<EngineCommand<Hash>>,
		sealing: Sealing,
	) -> Self {
		Author { client, pool, engine, sealing, turn: tokio::sync::Mutex::new(()) }
	}

	/// Seals a block now (even empty, if `create_empty`), finalized: its Substrate hash.
	pub async fn seal(&self, create_empty: bool) -> Result<Hash, String> {
		let (sender, created) = futures::channel::oneshot::channel();
		self.engine
			.clone()
			.send(EngineCommand::SealNewBlock {
				create_empty,
				finalize: true,
				parent_hash: None,
				sender: Some(sender),
			})
			.await
			.map_err(|e| format!("the sealing task is gone: {e}"))?;
		let created: CreatedBlock<Hash> = created
			.await
			.map_err(|_| "the sealing task dropped the request".to_string())?
			.map_err(|e| format!("sealing failed: {e}"))?;
		Ok(created.hash)
	}

	/// `call` applied as root in a block: that block's Substrate hash, once imported.
	pub async fn apply(&self, call: pallet_starknet::Call<Runtime>) -> Result<Hash, String> {
		let _turn = self.turn.lock().await;
		let (best, xt) =
			crate::service::dev_sudo::sudo_extrinsic(&self.client, RuntimeCall::Starknet(call))?;
		let mut status = self
			.pool
			.submit_and_watch(best, TransactionSource::Local, xt)
			.await
			.map_err(|e| format!("the pool refused the root call: {e}"))?;
		if self.sealing == Sealing::Manual {
			self.seal(false).await?;
		}
		let timeout = INCLUSION_TIMEOUT
			+ match self.sealing {
				Sealing::Interval(ms) => Duration::from_millis(ms),
				Sealing::Instant | Sealing::Manual => Duration::ZERO,
			};
		let included = tokio::time::timeout(timeout, async {
			while let Some(event) = status.next().await {
				match event {
					TransactionStatus::InBlock((block, index))
					| TransactionStatus::Finalized((block, index)) => return Ok((block, index)),
					TransactionStatus::Invalid
					| TransactionStatus::Dropped
					| TransactionStatus::Usurped(_) => {
						return Err(format!("the root call left the pool unapplied: {event:?}"))
					}
					_ => {}
				}
			}
			Err("the pool stopped following the root call".to_string())
		})
		.await
		.map_err(|_| format!("no block included the root call within {timeout:?}"))??;
		self.check_applied(included.0, included.1 as u32)?;
		Ok(included.0)
	}

	/// The `sudo` extrinsic at `index` of block `block` succeeded: its `Sudid` event says.
	fn check_applied(&self, block: Hash, index: u32) -> Result<(), String> {
		type Events = Vec<frame_system::EventRecord<RuntimeEvent, Hash>>;
		let events: Events = crate::service::dev_sudo::read(
			&self.client,
			block,
			// frame_system's `Events`, under the pallet's name in the runtime (`System`).
			[sp_core::twox_128(b"System"), sp_core::twox_128(b"Events")].concat(),
		)?
		.unwrap_or_default();
		let outcome = events.into_iter().find_map(|record| match record {
			frame_system::EventRecord {
				phase: frame_system::Phase::ApplyExtrinsic(i),
				event: RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }),
				..
			} if i == index => Some(sudo_result),
			_ => None,
		});
		match outcome {
			Some(Ok(())) => Ok(()),
			Some(Err(error)) => Err(format!("the chain refused it: {}", dispatch_error(error))),
			None => Err(format!("block {block} has no outcome for the root call")),
		}
	}

	/// The best block's Substrate hash.
	pub fn best(&self) -> Hash {
		self.client.info().best_hash
	}
}

/// A dispatch error by name (pallet-starknet's by its variant).
fn dispatch_error(error: DispatchError) -> String {
	use codec::Decode;
	if let DispatchError::Module(module) = error {
		if let Ok(error) = pallet_starknet::Error::<Runtime>::decode(&mut &module.error[..]) {
			if usize::from(module.index)
				== <cairn_runtime::Starknet as frame_support::traits::PalletInfoAccess>::index()
			{
				return format!("{error:?}");
			}
		}
	}
	format!("{error:?}")
}

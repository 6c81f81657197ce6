//! The node's link to its L1 (README, "Bridging to L1"): the follower of the core contract and
//! the settler, attached at start from the command line (`--l1-*`) or, on a development chain,
//! at run time by `devnet_postmanLoad` — and the settled block last read. Dev sealing reads the
//! messages to include through it, the Starknet RPC `l1_accepted`, the `ACCEPTED_ON_L1` statuses
//! and `getMessagesStatus` ([`cairn_rpc::L1View`]), the settlement task and the postman settle
//! through it (one settlement at a time).
use cairn_l1::{Follower, Settler};
use cairn_primitives::starknet::l1::L1Message;
use std::sync::{Arc, RwLock};

/// `u64::MAX`: the settled state was not read yet.
const UNKNOWN: u64 = u64::MAX;

/// An L1 the node follows.
pub struct Attached {
	/// Its JSON-RPC endpoint.
	pub endpoint: String,
	pub follower: Follower,
	pub settler: Settler,
	/// One settlement at a time (the settlement task and `devnet_postmanFlush`).
	pub(super) settling: tokio::sync::Mutex<()>,
}

/// The node's L1, if any: a cheap handle shared by its users.
pub struct L1Link {
	attached: RwLock<Option<Arc<Attached>>>,
	/// The last block settled on L1 ([`UNKNOWN`] until read).
	settled: tokio::sync::watch::Sender<u64>,
}

impl L1Link {
	/// A link to no L1 yet.
	pub fn new() -> Arc<L1Link> {
		Arc::new(L1Link {
			attached: RwLock::new(None),
			settled: tokio::sync::watch::channel(UNKNOWN).0,
		})
	}

	/// Follows `follower`'s L1 from now on, settling through `settler`; refused when the node
	/// already follows one.
	pub fn attach(
		&self,
		endpoint: String,
		follower: Follower,
		settler: Settler,
	) -> Result<Arc<Attached>, String> {
		let mut attached = self.attached.write().expect("not poisoned");
		if let Some(current) = &*attached {
			return Err(format!(
				"the node already follows the L1 core contract {:#x} at {}",
				current.settler.core_contract(),
				current.endpoint
			));
		}
		let new = Arc::new(Attached {
			endpoint,
			follower,
			settler,
			settling: tokio::sync::Mutex::new(()),
		});
		*attached = Some(new.clone());
		Ok(new)
	}

	/// The L1 followed, if any.
	pub fn attached(&self) -> Option<Arc<Attached>> {
		self.attached.read().expect("not poisoned").clone()
	}

	/// The follower of the L1 followed, if any.
	pub fn follower(&self) -> Option<Follower> {
		self.attached().map(|attached| attached.follower.clone())
	}

	/// Records `block` as the last one settled on L1.
	pub fn set_settled(&self, block: u64) {
		self.settled.send_if_modified(|settled| std::mem::replace(settled, block) != block);
	}
}

#[async_trait::async_trait]
impl cairn_rpc::L1View for L1Link {
	fn follows(&self) -> bool {
		self.attached().is_some()
	}

	fn settled(&self) -> Option<u64> {
		Some(*self.settled.borrow()).filter(|n| *n != UNKNOWN)
	}

	fn watch_settled(&self) -> tokio::sync::watch::Receiver<u64> {
		self.settled.subscribe()
	}

	async fn messages_of(&self, hash: [u8; 32]) -> Result<Option<Vec<L1Message>>, String> {
		match self.follower() {
			Some(follower) => follower.messages_of(hash).await,
			None => Ok(None),
		}
	}
}

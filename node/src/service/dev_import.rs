//! The import queue of development chains: a development chain is sealed by its own node alone,
//! so blocks from peers (initial sync, announcements) are refused — their authors are not
//! checked by anything, since dev-sealed blocks carry no seal — while the node's own blocks and
//! `import-blocks` files import as they are. Multi-node chains run Aura + GRANDPA.
use sc_consensus::{BasicQueue, BlockImportParams, BoxBlockImport, ForkChoiceStrategy, Verifier};
use sp_consensus::BlockOrigin;
use sp_runtime::traits::{Block as BlockT, Header as _};

/// Why a peer's block is refused, as the sync log reports it.
pub const REFUSED: &str = "this development chain is sealed by this node alone: blocks from \
	peers are refused (multi-node chains run Aura + GRANDPA: --chain local, or a spec of your own)";

struct OwnBlocksOnly;

#[async_trait::async_trait]
impl<B: BlockT> Verifier<B> for OwnBlocksOnly {
	async fn verify(
		&self,
		mut block: BlockImportParams<B>,
	) -> Result<BlockImportParams<B>, String> {
		match block.origin {
			BlockOrigin::NetworkInitialSync
			| BlockOrigin::NetworkBroadcast
			| BlockOrigin::ConsensusBroadcast => {
				log::warn!(
					target: "dev-import",
					"Refused block #{} ({}) from a peer: {REFUSED}",
					block.header.number(),
					block.header.hash()
				);
				Err(REFUSED.into())
			}
			BlockOrigin::Genesis | BlockOrigin::Own | BlockOrigin::File => {
				// As manual seal's own verifier: finality is the sealing's to give.
				block.finalized = false;
				block.fork_choice = Some(ForkChoiceStrategy::LongestChain);
				Ok(block)
			}
		}
	}
}

/// The import queue of a dev-sealed chain.
pub fn import_queue<B: BlockT>(
	block_import: BoxBlockImport<B>,
	spawner: &impl sp_core::traits::SpawnEssentialNamed,
	registry: Option<&substrate_prometheus_endpoint::Registry>,
) -> BasicQueue<B> {
	BasicQueue::new(OwnBlocksOnly, block_import, None, spawner, registry)
}

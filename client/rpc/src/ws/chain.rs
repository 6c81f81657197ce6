//! What every subscription shares ([`Hub`]: the best block's watch, a cache of recent indexed
//! blocks, the registry, the pool feed), the task that follows block imports
//! ([`Starknet::follow_chain`]), and the [`Cursor`] a subscription walks the canonical chain with,
//! which notices when blocks it delivered leave it.
use super::{received::ReceivedFeed, Registry, MAX_BLOCKS_BACK};
use crate::{unexpected, Result, Starknet};
use cairn_index::{IndexedBlock, StarknetClient};
use cairn_primitives::starknet::Felt;
use cairn_rpc_api::{types::ReorgData, StarknetError};
use futures::StreamExt;
use sc_client_api::{backend::Backend, BlockchainEvents};
use sc_transaction_pool_api::TransactionPool;
use schnellru::{ByLength, LruMap};
use sp_runtime::traits::{Block as BlockT, UniqueSaturatedInto};
use std::{
	collections::VecDeque,
	sync::{Arc, Mutex, OnceLock},
};
use tokio::sync::watch;

/// Most delivered blocks a subscription remembers to notice a reorganisation by (finality
/// bounds a reorganisation long before: GRANDPA finalizes within a few blocks).
const REORG_WINDOW: usize = 128;

/// Recent blocks kept decoded for every subscriber (a block is read from the index once, however
/// many subscriptions deliver it).
const CACHED_BLOCKS: u32 = 64;

/// What the subscriptions of one server share.
pub(crate) struct Hub<B: BlockT> {
	/// Signalled on every new best block: subscriptions wait on it (and read the best block from
	/// the client).
	pub(crate) best: watch::Sender<()>,
	/// Recently delivered blocks by Substrate hash.
	blocks: Mutex<LruMap<B::Hash, Arc<SharedBlock>, ByLength>>,
	/// The open subscriptions.
	pub(crate) registry: Registry,
	/// Transactions entering the pool, decoded (started by the first subscriber that wants them).
	pub(super) received: ReceivedFeed,
	/// The hashes of the transactions this server acknowledged (for transaction-status
	/// subscribers: free, where decoding every pool transaction is not).
	pub(crate) submitted: tokio::sync::broadcast::Sender<Felt>,
}

impl<B: BlockT> Hub<B> {
	/// A hub with no subscription yet.
	pub(crate) fn new() -> Self {
		Hub {
			best: watch::channel(()).0,
			blocks: Mutex::new(LruMap::new(ByLength::new(CACHED_BLOCKS))),
			registry: Registry::default(),
			received: ReceivedFeed::default(),
			submitted: tokio::sync::broadcast::channel(super::received::FEED_CAPACITY).0,
		}
	}
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// Follows the client's block imports for the WebSocket subscriptions: wakes them on every new
	/// best block. The node spawns it once; it ends with the client's import stream.
	pub async fn follow_chain(self)
	where
		C: BlockchainEvents<B>,
	{
		let mut imports = self.client.import_notification_stream();
		while let Some(import) = imports.next().await {
			if import.is_new_best {
				self.ws.best.send_replace(());
			}
		}
	}

	/// Indexed block `hash`, from the shared cache or the index.
	async fn cached_block(&self, hash: B::Hash) -> Result<Arc<SharedBlock>> {
		if let Some(block) = self.ws.blocks.lock().unwrap_or_else(|e| e.into_inner()).get(&hash) {
			return Ok(block.clone());
		}
		let block = Arc::new(SharedBlock::new(self.indexed_at(hash).await?));
		self.ws.blocks.lock().unwrap_or_else(|e| e.into_inner()).insert(hash, block.clone());
		Ok(block)
	}

	/// The number a subscription starting at `block_id` starts from (the best block's when
	/// absent): BLOCK_NOT_FOUND for a block the node does not have, TOO_MANY_BLOCKS_BACK for one
	/// more than 1,024 blocks below the best, invalid params for `pre_confirmed` and `l1_accepted`,
	/// which a subscription cannot start at.
	pub(super) fn start_of(&self, block_id: Option<cairn_rpc_api::types::BlockId>) -> Result<u64> {
		use cairn_rpc_api::types::BlockId;
		let best = self.block_number()?;
		let start = match block_id {
			None | Some(BlockId::Latest) => return Ok(best),
			Some(BlockId::PreConfirmed | BlockId::L1Accepted) => {
				return Err(StarknetError::InvalidParams(
					"a subscription starts at a block hash, number or `latest`".into(),
				))
			}
			Some(BlockId::Number(number)) if number > best => {
				return Err(StarknetError::BlockNotFound)
			}
			Some(id) => self.number(id)?,
		};
		if best - start.min(best) > MAX_BLOCKS_BACK {
			return Err(StarknetError::TooManyBlocksBack);
		}
		Ok(start)
	}
}

/// A block as every subscription shares it: read from the index once, and its header serialised
/// once (every `subscribeNewHeads` subscriber sends the same text).
pub(crate) struct SharedBlock {
	block: IndexedBlock,
	header: OnceLock<String>,
}

impl SharedBlock {
	fn new(block: IndexedBlock) -> Self {
		SharedBlock { block, header: OnceLock::new() }
	}

	/// Its `BLOCK_HEADER`, as JSON text.
	pub(crate) fn header_json(&self) -> &str {
		self.header.get_or_init(|| super::streams::to_text(&crate::blocks::header(&self.block)))
	}
}

impl std::ops::Deref for SharedBlock {
	type Target = IndexedBlock;

	fn deref(&self) -> &IndexedBlock {
		&self.block
	}
}

/// What a cursor found next.
pub(crate) enum Step {
	/// The next canonical block.
	Block(Arc<SharedBlock>),
	/// Blocks it delivered left the canonical chain: it goes on from the first of them.
	Reorg(ReorgData),
	/// It is at the best block.
	Wait,
}

/// A subscription's walk over the canonical chain.
pub(crate) struct Cursor<H> {
	/// The next block number to deliver.
	next: u64,
	/// The blocks delivered that a reorganisation could still take back, newest last: those above
	/// the finalized block (and the newest one always), at most [`REORG_WINDOW`]: number,
	/// Substrate hash, Starknet hash. Bounded so that an open subscription costs a few KiB
	/// however long it lives.
	delivered: VecDeque<(u64, H, Felt)>,
}

impl<H: PartialEq + Copy> Cursor<H> {
	/// A cursor whose first block is number `start`.
	pub(crate) fn new(start: u64) -> Self {
		Cursor { next: start, delivered: VecDeque::new() }
	}

	/// The next step.
	pub(crate) async fn step<B, C, BE, P>(&mut self, server: &Starknet<B, C, BE, P>) -> Result<Step>
	where
		B: BlockT<Hash = H>,
		BE: Backend<B> + 'static,
		C: StarknetClient<B, BE>,
		P: TransactionPool<Block = B> + 'static,
	{
		let canonical = |number: u64| -> Result<Option<H>> {
			let number = number.try_into().map_err(|_| unexpected("block number out of range"))?;
			server.client.hash(number).map_err(unexpected)
		};
		let mut orphaned: Option<(Felt, u64, Felt, u64)> = None;
		while let Some(&(number, hash, starknet_hash)) = self.delivered.back() {
			if canonical(number)? == Some(hash) {
				break;
			}
			self.delivered.pop_back();
			let (_, _, ending_hash, ending_number) =
				orphaned.unwrap_or((starknet_hash, number, starknet_hash, number));
			orphaned = Some((starknet_hash, number, ending_hash, ending_number));
		}
		if let Some((
			starting_block_hash,
			starting_block_number,
			ending_block_hash,
			ending_block_number,
		)) = orphaned
		{
			self.next = starting_block_number;
			return Ok(Step::Reorg(ReorgData {
				starting_block_hash,
				starting_block_number,
				ending_block_hash,
				ending_block_number,
			}));
		}
		if self.next > server.block_number()? {
			return Ok(Step::Wait);
		}
		let Some(hash) = canonical(self.next)? else { return Ok(Step::Wait) };
		let block = server.cached_block(hash).await?;
		self.delivered.push_back((self.next, hash, block.block_hash));
		let finalized: u64 = server.client.info().finalized_number.unique_saturated_into();
		while self.delivered.len() > 1
			&& (self.delivered.len() > REORG_WINDOW
				|| self.delivered.front().is_some_and(|(number, ..)| *number <= finalized))
		{
			self.delivered.pop_front();
		}
		self.next += 1;
		Ok(Step::Block(block))
	}
}

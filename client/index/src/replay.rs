//! Rebuilding the index at start ([`Index::rebuild`]), before RPC serves. What was never indexed
//! or was lost — an index directory removed, one of an older schema ([`crate::store`]), blocks a
//! crash took back — is indexed again from what the node still has:
//! - blocks whose state the node holds (the last 256 at the default state pruning) are indexed
//!   from it, as at import;
//! - older blocks, whose state pruning removed, are **re-executed from the chain's genesis in
//!   memory** ([`Replayer`]): bodies are what every full node keeps, and the node's own executor
//!   and Starknet host functions run them as import did. `Core_execute_block` checks each block's
//!   state root, so what is indexed is what the chain committed to. It costs one execution of the
//!   chain so far, and memory for its state history.
//!
//! A warp-synced node has no bodies before its warp point: it serves Starknet blocks from its warp
//! point on, and answers BLOCK_NOT_FOUND and TXN_HASH_NOT_FOUND for what lies before.
use crate::{
	indexer::{build, BlockState},
	Index, Result, StarknetClient,
};
use cairn_primitives::starknet::{exec::ChainConfig, Transaction};
use codec::{Decode, Encode};
use sc_client_api::{backend::Backend, execution_extensions::ExtensionsFactory};
use sp_core::{
	storage::Storage,
	traits::{CallContext, CodeExecutor},
};
use sp_runtime::{
	generic::DigestItem,
	traits::{Block as BlockT, HashingFor, Header as HeaderT, NumberFor, UniqueSaturatedInto},
	StateVersion,
};
use sp_state_machine::{backend::BackendRuntimeCode, Backend as _, OverlayedChanges, StateMachine};
use std::{sync::Arc, time::Instant};

/// A chain state in memory.
type MemoryState<B> = sp_state_machine::InMemoryBackend<HashingFor<B>>;

/// The chain's genesis storage, built when a replay needs it.
pub type GenesisStorage = Box<dyn Fn() -> Result<Storage> + Send + Sync>;

/// Re-executes blocks from genesis in memory: the node's executor, the externalities extensions
/// its client runs blocks with (the Starknet executor) and the chain's genesis storage.
pub struct Replayer<B: BlockT, E> {
	executor: E,
	extensions: Arc<dyn ExtensionsFactory<B>>,
	genesis: GenesisStorage,
}

impl<B: BlockT, E: CodeExecutor + Clone + 'static> Replayer<B, E> {
	/// A replayer running `executor` with `extensions`, from `genesis`.
	pub fn new(
		executor: E,
		extensions: Arc<dyn ExtensionsFactory<B>>,
		genesis: GenesisStorage,
	) -> Self {
		Replayer { executor, extensions, genesis }
	}

	/// Runs runtime `method` on `state` (block `hash`, `number`), keeping its changes in `overlay`.
	fn call(
		&self,
		state: &MemoryState<B>,
		(hash, number): (B::Hash, NumberFor<B>),
		overlay: &mut OverlayedChanges<HashingFor<B>>,
		method: &str,
		data: &[u8],
		context: CallContext,
	) -> Result<Vec<u8>> {
		let code = BackendRuntimeCode::new(state);
		let runtime_code = code.runtime_code().map_err(|e| format!("no runtime code: {e}"))?;
		let mut extensions = self.extensions.extensions_for(hash, number);
		let result = StateMachine::new(
			state,
			overlay,
			&self.executor,
			method,
			data,
			&mut extensions,
			&runtime_code,
			context,
		)
		.execute();
		result.map_err(|e| format!("{method} at block #{number}: {e}"))
	}

	/// The state version the runtime in `state` commits with.
	fn state_version(
		&self,
		state: &MemoryState<B>,
		at: (B::Hash, NumberFor<B>),
	) -> Result<StateVersion> {
		let mut overlay = OverlayedChanges::default();
		let encoded =
			self.call(state, at, &mut overlay, "Core_version", &[], CallContext::Offchain)?;
		let version = sp_version::RuntimeVersion::decode(&mut &encoded[..])
			.map_err(|e| format!("runtime version: {e}"))?;
		Ok(version.state_version())
	}

	/// The genesis state of `genesis` (block `hash`, whose header says `root`).
	fn genesis_state(&self, hash: B::Hash, root: B::Hash) -> Result<MemoryState<B>> {
		let storage = (self.genesis)()?;
		let probe: MemoryState<B> = (storage.clone(), StateVersion::V1).into();
		let version = self.state_version(&probe, (hash, 0u32.into()))?;
		let state: MemoryState<B> = (storage, version).into();
		if *state.root() != root {
			return Err(format!(
				"the chain spec's genesis has state root {:?}, the chain's genesis block {root:?}",
				state.root()
			));
		}
		Ok(state)
	}

	/// Executes block (`hash`, `header`, `body`) on `state`, its parent's, which becomes its own.
	fn execute(
		&self,
		state: &mut MemoryState<B>,
		hash: B::Hash,
		mut header: B::Header,
		body: Vec<B::Extrinsic>,
	) -> Result<()> {
		let number = *header.number();
		let at = (hash, number);
		let version = self.state_version(state, at)?;
		let root = *header.state_root();
		// The runtime executes the header as its author built it: without the seal.
		while matches!(header.digest().logs().last(), Some(DigestItem::Seal(..))) {
			header.digest_mut().pop();
		}
		let block = B::new(header, body).encode();
		let mut overlay = OverlayedChanges::default();
		self.call(state, at, &mut overlay, "Core_execute_block", &block, CallContext::Onchain)?;
		let changes = overlay
			.drain_storage_changes(&*state, version)
			.map_err(|e| format!("block #{number}'s changes: {e}"))?;
		if changes.transaction_storage_root != root {
			return Err(format!(
				"block #{number} re-executed to state root {:?}, its header says {root:?}",
				changes.transaction_storage_root
			));
		}
		state.apply_transaction(changes.transaction_storage_root, changes.transaction);
		Ok(())
	}
}

/// A replayed state right after block (`hash`, `number`).
struct Replayed<'a, B: BlockT, E> {
	replayer: &'a Replayer<B, E>,
	state: &'a MemoryState<B>,
	at: (B::Hash, NumberFor<B>),
}

impl<B: BlockT, E: CodeExecutor + Clone + 'static> Replayed<'_, B, E> {
	fn call<T: Decode>(&self, method: &str, data: &[u8]) -> Result<T> {
		let mut overlay = OverlayedChanges::default();
		let encoded = self.replayer.call(
			self.state,
			self.at,
			&mut overlay,
			method,
			data,
			CallContext::Offchain,
		)?;
		T::decode(&mut &encoded[..]).map_err(|e| format!("{method}: {e}"))
	}
}

impl<B: BlockT, E: CodeExecutor + Clone + 'static> BlockState<B> for Replayed<'_, B, E> {
	fn storage(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>> {
		self.state.storage(&key).map_err(|e| e.to_string())
	}

	fn chain_config(&self) -> Result<ChainConfig> {
		self.call("StarknetRuntimeApi_chain_config", &[])
	}

	fn transactions(&self, extrinsics: Vec<B::Extrinsic>) -> Result<Vec<Transaction>> {
		self.call("StarknetRuntimeApi_transactions", &extrinsics.encode())
	}
}

impl<B, C, BE> Index<B, C, BE>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
{
	/// Indexes the canonical chain up to the best block, re-executing with `replayer` the blocks
	/// whose state is gone (see the module doc). Run at start, before anything reads the index.
	/// A replay that fails is logged, and the blocks it could not index are answered as unknown.
	pub fn rebuild<E: CodeExecutor + Clone + 'static>(
		&self,
		replayer: &Replayer<B, E>,
	) -> Result<()> {
		let best = self.client.info().best_hash;
		// The unindexed top of the chain, lowest first.
		let mut unindexed = Vec::new();
		let mut cursor = best;
		loop {
			if self.indexed(cursor)?.is_some() {
				break;
			}
			let Some(header) = self.client.header(cursor).map_err(|e| e.to_string())? else {
				break;
			};
			let number: u64 = (*header.number()).unique_saturated_into();
			unindexed.push((cursor, number));
			if number == 0 {
				break;
			}
			cursor = *header.parent_hash();
		}
		unindexed.reverse();
		let Some(&(_, first)) = unindexed.first() else { return Ok(()) };
		let pruned = unindexed.iter().take_while(|(hash, number)| !self.has_state(*hash, *number));
		if let Some(&(through, last)) = pruned.last() {
			log::info!(
				target: "starknet-index",
				"indexing blocks #{first}..#{last}, whose state is pruned: re-executing the chain \
				 from genesis"
			);
			let started = Instant::now();
			match self.replay(replayer, through, first) {
				Ok(()) => log::info!(
					target: "starknet-index",
					"indexed blocks #{first}..#{last} in {:.1} s",
					started.elapsed().as_secs_f64()
				),
				Err(e) => log::error!(
					target: "starknet-index",
					"cannot index blocks #{first}..#{last}: {e}; the Starknet RPC answers them as \
					 unknown"
				),
			}
		}
		if unindexed.len() > 1 || first > 0 {
			log::info!(target: "starknet-index", "indexing the chain up to the best block");
		}
		self.catch_up(best).map(drop)
	}

	/// Re-executes the chain from genesis through block `through`, indexing blocks from number
	/// `from` on (those below are indexed).
	fn replay<E: CodeExecutor + Clone + 'static>(
		&self,
		replayer: &Replayer<B, E>,
		through: B::Hash,
		from: u64,
	) -> Result<()> {
		let mut chain = Vec::new();
		let mut cursor = through;
		loop {
			let header = self
				.client
				.header(cursor)
				.map_err(|e| e.to_string())?
				.ok_or_else(|| format!("unknown block {cursor:?}"))?;
			let parent = *header.parent_hash();
			let number: u64 = (*header.number()).unique_saturated_into();
			let genesis = number == 0;
			chain.push((cursor, header));
			if genesis {
				break;
			}
			cursor = parent;
		}
		chain.reverse();
		// `chain[n]` is block n; the block below `from` is indexed (none below genesis).
		let mut parent = match from.checked_sub(1) {
			Some(below) => self.indexed(chain[below as usize].0)?,
			None => None,
		};
		let (genesis_hash, genesis_header) = chain.first().ok_or("no genesis")?;
		let mut state = replayer.genesis_state(*genesis_hash, *genesis_header.state_root())?;
		for (hash, header) in chain {
			let number: u64 = (*header.number()).unique_saturated_into();
			let body = if number == 0 {
				Vec::new()
			} else {
				let body = self.client.block_body(hash).map_err(|e| e.to_string())?;
				let body = body.ok_or_else(|| {
					format!("block #{number} has no body (a warp-synced node keeps none before its warp point)")
				})?;
				replayer.execute(&mut state, hash, header.clone(), body.clone())?;
				body
			};
			if number >= from {
				let view = Replayed { replayer, state: &state, at: (hash, *header.number()) };
				let block = build(&header, &view, || Ok(body), parent.as_ref())?;
				self.write(hash, &block)?;
				parent = Some(block);
			}
		}
		Ok(())
	}
}

//! `devnet_dump` and `devnet_load`: a chain carried as itself — its raw chain spec (the genesis)
//! and its blocks, SCALE-encoded as Substrate's JSON shows them — rather than devnet's replay of
//! requests. Loading imports the blocks, executing each as on any import, into a node of the
//! same genesis whose chain is a prefix of the dump's (a fresh node, typically): the same
//! blocks, hashes, state root and index as the node that dumped them.
use crate::service::{FullClient, Indexing};
use cairn_primitives::{Block, Hash};
use sc_client_api::{BlockBackend, Finalizer, HeaderBackend};
use sc_consensus::{BlockImport, BlockImportParams, ForkChoiceStrategy, ImportResult};
use serde::Deserialize;
use serde_json::{json, Value};
use sp_consensus::BlockOrigin;
use sp_runtime::traits::{Block as BlockT, Header as _};
use std::sync::Arc;

/// What `devnet_dump` writes: the format, the genesis hash, the raw spec, blocks 1 to the best.
const FORMAT: &str = "cairn-dump/1";

/// The parts of a dump that loading needs.
#[derive(Deserialize)]
struct Dump {
	format: String,
	genesis_hash: Hash,
	blocks: Vec<Block>,
}

/// The chain of `client` (raw `spec`, every block of its best chain after genesis).
pub fn dump(client: &FullClient, spec: &dyn sc_service::ChainSpec) -> Result<Value, String> {
	let info = client.info();
	let mut blocks = Vec::with_capacity(info.best_number as usize);
	for number in 1..=info.best_number {
		let missing = || format!("block {number} is not in the database");
		let error = |e: sp_blockchain::Error| format!("reading block {number}: {e}");
		let hash = client.hash(number).map_err(error)?.ok_or_else(missing)?;
		let block = client.block(hash).map_err(error)?.ok_or_else(missing)?;
		blocks.push(serde_json::to_value(&block.block).map_err(|e| e.to_string())?);
	}
	let spec: Value = serde_json::from_str(&spec.as_json(true)?).map_err(|e| e.to_string())?;
	Ok(json!({
		"format": FORMAT,
		"genesis_hash": info.genesis_hash,
		"chain_spec": spec,
		"blocks": blocks,
	}))
}

/// Imports the blocks of dump `text` that `client` lacks, through `import` (which indexes
/// them), and finalizes the last: how many were imported.
pub async fn load(
	client: &Arc<FullClient>,
	import: &Indexing<Arc<FullClient>>,
	text: &str,
) -> Result<usize, String> {
	let dump: Dump = serde_json::from_str(text).map_err(|e| format!("not a Cairn dump: {e}"))?;
	if dump.format != FORMAT {
		return Err(format!("a dump of format `{}`; this node reads `{FORMAT}`", dump.format));
	}
	let genesis = client.info().genesis_hash;
	if dump.genesis_hash != genesis {
		return Err(format!(
			"the dump is of another chain (genesis {}; this node's is {genesis}): start a node of \
			 the dump's chain spec (its `chain_spec`, saved to a file, for --chain), then load",
			dump.genesis_hash
		));
	}
	let mut imported = 0;
	let mut last = None;
	for block in dump.blocks {
		let (header, body) = block.deconstruct();
		let (number, hash) = (*header.number(), header.hash());
		match client.hash(number).map_err(|e| e.to_string())? {
			Some(ours) if ours == hash => continue,
			Some(ours) => {
				return Err(format!(
					"this node's chain differs from the dump's at block {number} ({ours} here, \
					 {hash} in the dump): load into a fresh node"
				))
			}
			None => {}
		}
		let mut params = BlockImportParams::new(BlockOrigin::File, header);
		params.body = Some(body);
		params.fork_choice = Some(ForkChoiceStrategy::LongestChain);
		match import.import_block(params).await {
			Ok(ImportResult::Imported(_)) => imported += 1,
			Ok(ImportResult::AlreadyInChain) => {}
			Ok(other) => {
				return Err(format!("block {number} ({hash}) was not imported: {other:?}"))
			}
			Err(e) => return Err(format!("block {number} ({hash}) failed to import: {e}")),
		}
		last = Some(hash);
	}
	if let Some(last) = last {
		client
			.finalize_block(last, None, true)
			.map_err(|e| format!("finalizing the loaded chain: {e}"))?;
	}
	Ok(imported)
}

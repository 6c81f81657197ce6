//! `engine_createBlock` and `engine_finalizeBlock` (dev sealing), as **unsafe** RPC: they make the
//! node author and finalize blocks, so Substrate's `--rpc-methods` rules apply to them as to
//! `author_insertKey` — refused on an external interface unless `--rpc-methods unsafe`, and with
//! `--rpc-methods safe` everywhere. Answers and parameters are manual seal's; the work is its.
use cairn_primitives::Hash;
use futures::channel::mpsc;
use jsonrpsee::{core::async_trait, proc_macros::rpc, types::ErrorObjectOwned, Extensions};
use sc_consensus_manual_seal::{
	rpc::{CreatedBlock, ManualSeal, ManualSealApiServer},
	EngineCommand,
};
use sp_runtime::EncodedJustification;

/// Block authoring on demand (dev sealing).
#[rpc(server, namespace = "engine")]
pub trait EngineApi {
	/// Seal a block now (`create_empty`: even without transactions; `finalize`: finalize it
	/// too; `parent_hash`: on that parent instead of the best block).
	#[method(name = "createBlock", with_extensions)]
	async fn create_block(
		&self,
		create_empty: bool,
		finalize: bool,
		parent_hash: Option<Hash>,
	) -> Result<CreatedBlock<Hash>, ErrorObjectOwned>;

	/// Finalize a block.
	#[method(name = "finalizeBlock", with_extensions)]
	async fn finalize_block(
		&self,
		hash: Hash,
		justification: Option<EncodedJustification>,
	) -> Result<bool, ErrorObjectOwned>;
}

/// [`EngineApiServer`] over manual seal's command channel.
pub struct Engine(ManualSeal<Hash>);

impl Engine {
	/// Commands go to the sealing task through `commands`.
	pub fn new(commands: mpsc::Sender<EngineCommand<Hash>>) -> Self {
		Engine(ManualSeal::new(commands))
	}
}

#[async_trait]
impl EngineApiServer for Engine {
	async fn create_block(
		&self,
		ext: &Extensions,
		create_empty: bool,
		finalize: bool,
		parent_hash: Option<Hash>,
	) -> Result<CreatedBlock<Hash>, ErrorObjectOwned> {
		sc_rpc_api::check_if_safe(ext)?;
		Ok(self.0.create_block(create_empty, finalize, parent_hash).await?)
	}

	async fn finalize_block(
		&self,
		ext: &Extensions,
		hash: Hash,
		justification: Option<EncodedJustification>,
	) -> Result<bool, ErrorObjectOwned> {
		sc_rpc_api::check_if_safe(ext)?;
		Ok(self.0.finalize_block(hash, justification).await?)
	}
}

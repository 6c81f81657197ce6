//! The runtime API the node's Starknet JSON-RPC calls: what only the runtime knows (its
//! configuration, how a Starknet transaction becomes an extrinsic) and execution against a block's
//! state without writing.
use super::{
	exec::{ChainConfig, ExecError, ExecMode, ExecOutcome, TransactionTrace},
	Felt, Transaction,
};
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// Starknet views of the runtime.
	///
	/// Version 2 added [`Self::simulate_traced`] and [`Self::trace_extrinsic`].
	#[api_version(2)]
	pub trait StarknetRuntimeApi {
		/// The chain's Starknet configuration.
		fn chain_config() -> ChainConfig;

		/// Execute `tx` on top of this block's state, as the next block would (nothing is
		/// written). A declare carries its Sierra class (JSON), which is compiled and checked
		/// against the declared hashes first.
		fn execute(
			tx: Transaction,
			contract_class: Option<Vec<u8>>,
			mode: ExecMode,
		) -> Result<ExecOutcome, ExecError>;

		/// Execute `txs` in order, each on the state the previous ones left, as the next block
		/// would, writing nothing (fee estimation, simulation). Stops after the first one that
		/// fails or reverts.
		fn simulate(
			txs: Vec<(Transaction, Option<Vec<u8>>)>,
			mode: ExecMode,
		) -> Vec<Result<ExecOutcome, ExecError>>;

		/// [`Self::simulate`] with each transaction's call trees. A reverted transaction does
		/// not stop the sequence; a failing one does.
		#[api_version(2)]
		fn simulate_traced(
			txs: Vec<(Transaction, Option<Vec<u8>>)>,
			mode: ExecMode,
		) -> Vec<Result<(ExecOutcome, TransactionTrace), ExecError>>;

		/// Re-execute the Starknet transaction `extrinsic` carries, as its block did, and keep
		/// its effects in this call's overlay: the caller has called `initialize_block` with the
		/// block's header and applied the block's earlier extrinsics (Starknet ones through this
		/// method). Its outcome and call trees; `None` when the extrinsic carries no Starknet
		/// transaction (the caller applies it with `apply_extrinsic`).
		#[api_version(2)]
		fn trace_extrinsic(
			extrinsic: Block::Extrinsic,
		) -> Option<Result<(ExecOutcome, TransactionTrace), ExecError>>;

		/// Call a contract's entry point on top of this block's state, read-only.
		fn call(
			contract_address: Felt,
			entry_point_selector: Felt,
			calldata: Vec<Felt>,
		) -> Result<Vec<Felt>, ExecError>;

		/// The Starknet transactions carried by `extrinsics` (a block's body), in order; others
		/// are skipped.
		fn transactions(extrinsics: Vec<Block::Extrinsic>) -> Vec<Transaction>;

		/// The unsigned extrinsic that carries `tx` (`None` for transactions users cannot send,
		/// such as L1 handlers).
		fn extrinsic(tx: Transaction, contract_class: Option<Vec<u8>>) -> Option<Block::Extrinsic>;
	}
}

//! blockifier alone, for the throughput benchmark's ceiling (`scripts/bench`): a genesis in an
//! in-memory state and a sequence of transactions executed by blockifier in one block, with no
//! Substrate, no storage encoding and no host calls around it; its classes run on the Cairo VM or,
//! in builds with the `native` feature, as Cairo Native machine code ([`Engine`]); one after the
//! other, or by blockifier's concurrent executor ([`Workers`]).
use crate::{
	cache,
	errors::{internal, reject_execution},
	execute::to_blockifier,
};
use blockifier::{
	blockifier::{
		config::{ConcurrencyConfig, TransactionExecutorConfig},
		transaction_executor::TransactionExecutor,
	},
	bouncer::{BouncerConfig, BouncerWeights, BuiltinInstanceLimits},
	execution::contract_class::RunnableCompiledClass,
	state::{
		cached_state::CachedState,
		errors::StateError,
		state_api::{StateReader, StateResult},
	},
	transaction::{
		transaction_execution::Transaction as BlockifierTransaction,
		transactions::ExecutableTransaction,
	},
};
use cairn_primitives::starknet::{
	exec::{BlockContext, ExecError, ExecMode, ExecRequest},
	genesis::GenesisState,
	Felt, Transaction,
};
use starknet_api::{
	core::{ClassHash, CompiledClassHash, ContractAddress, Nonce},
	state::StorageKey,
};
use starknet_types_core::felt::Felt as CoreFelt;
use std::{
	collections::HashMap,
	num::NonZeroU64,
	sync::Arc,
	time::{Duration, Instant},
};

/// What runs the classes' code: the chain's setting (`Native` needs the `native` feature; without
/// it, an error).
pub use cairn_primitives::starknet::exec::Engine;

/// The stack the block executes on: native code recurses on the real stack, and blockifier runs
/// it on threads this large (its `TransactionExecutor` uses 60 MiB).
const EXECUTION_STACK_BYTES: usize = 60 << 20;

/// A Starknet state in hash maps.
#[derive(Clone, Default)]
pub struct MemoryState {
	storage: HashMap<(CoreFelt, CoreFelt), CoreFelt>,
	nonces: HashMap<CoreFelt, CoreFelt>,
	class_hashes: HashMap<CoreFelt, CoreFelt>,
	compiled_class_hashes: HashMap<CoreFelt, CoreFelt>,
	classes: HashMap<CoreFelt, RunnableCompiledClass>,
}

impl MemoryState {
	/// The state `genesis` describes, its classes parsed from their CASM and, for
	/// [`Engine::Native`], compiled from their Sierra (each class's compile time is in `compiled`).
	pub fn from_genesis(
		genesis: &GenesisState,
		engine: Engine,
	) -> Result<(Self, Vec<(Felt, Duration)>), ExecError> {
		let mut compiled = Vec::new();
		let mut state = MemoryState::default();
		for class in &genesis.classes {
			let definition = cairn_primitives::starknet::exec::ClassDefinition {
				casm: class.casm.clone().into_bytes(),
				sierra_version: class.sierra_version,
				sierra_program_length: class.sierra_program_length,
				abi_length: class.abi_length,
			};
			let runnable = cache::parse_casm(&definition).map_err(internal)?;
			// As on a native chain, only classes that track Sierra gas (Sierra 1.7.0 or later)
			// run natively: blockifier runs the others' CASM whatever form they come in.
			let runnable = match engine {
				Engine::Native if class.sierra_version < (1, 7, 0) => runnable,
				Engine::Vm => runnable,
				Engine::Native => {
					let start = Instant::now();
					let native = native(&class.sierra, runnable)?;
					compiled.push((class.class_hash, start.elapsed()));
					native
				}
			};
			state.classes.insert(class.class_hash.0, runnable);
			state.compiled_class_hashes.insert(class.class_hash.0, class.compiled_class_hash.0);
		}
		for contract in &genesis.contracts {
			state.class_hashes.insert(contract.address.0, contract.class_hash.0);
		}
		for (contract, key, value) in &genesis.storage {
			state.storage.insert((contract.0, key.0), value.0);
		}
		Ok((state, compiled))
	}
}

#[cfg(feature = "native")]
fn native(sierra: &str, casm: RunnableCompiledClass) -> Result<RunnableCompiledClass, ExecError> {
	match casm {
		RunnableCompiledClass::V1(casm) => crate::native::compile(sierra, casm),
		_ => Err(internal("a genesis class that is not Cairo 1")),
	}
}

#[cfg(not(feature = "native"))]
fn native(_: &str, _: RunnableCompiledClass) -> Result<RunnableCompiledClass, ExecError> {
	Err(internal("this build has no Cairo Native (build with `--features native`)"))
}

impl StateReader for MemoryState {
	fn get_storage_at(&self, contract: ContractAddress, key: StorageKey) -> StateResult<CoreFelt> {
		Ok(self.storage.get(&(*contract.0.key(), *key.0.key())).copied().unwrap_or_default())
	}

	fn get_nonce_at(&self, contract: ContractAddress) -> StateResult<Nonce> {
		Ok(Nonce(self.nonces.get(contract.0.key()).copied().unwrap_or_default()))
	}

	fn get_class_hash_at(&self, contract: ContractAddress) -> StateResult<ClassHash> {
		Ok(ClassHash(self.class_hashes.get(contract.0.key()).copied().unwrap_or_default()))
	}

	fn get_compiled_class(&self, class_hash: ClassHash) -> StateResult<RunnableCompiledClass> {
		self.classes.get(&class_hash.0).cloned().ok_or(StateError::UndeclaredClassHash(class_hash))
	}

	fn get_compiled_class_hash(&self, class_hash: ClassHash) -> StateResult<CompiledClassHash> {
		Ok(CompiledClassHash(
			self.compiled_class_hashes.get(&class_hash.0).copied().unwrap_or_default(),
		))
	}

	fn get_compiled_class_hash_v2(
		&self,
		class_hash: ClassHash,
		_compiled_class: &RunnableCompiledClass,
	) -> StateResult<CompiledClassHash> {
		self.get_compiled_class_hash(class_hash)
	}
}

/// What executing a block of transactions took.
pub struct RawRun {
	/// Time spent in blockifier's `execute`, all transactions together.
	pub elapsed: Duration,
	/// Whether each transaction reverted.
	pub reverted: Vec<bool>,
	/// The fee each transaction paid.
	pub fees: Vec<u128>,
	/// The L2 gas each transaction used (its receipt's): with `elapsed`, what a unit of gas costs
	/// on this machine, which the pallet's weights (`REF_TIME_PER_L2_GAS`) must cover.
	pub l2_gas: Vec<u64>,
	/// Final STRK-style balance reads: `(contract, key)` → value, for the keys asked.
	pub reads: Vec<Felt>,
}

/// Execute `txs` one after the other in one block on `state`, as a Starknet sequencer does with
/// blockifier (one cached state for the block, full validation and fee charge); then read the
/// storage `reads` names from the resulting state. The transactions are converted before the clock
/// starts; the block runs on a thread with blockifier's stack size.
pub fn execute_block(
	state: MemoryState,
	context: &BlockContext,
	txs: Vec<Transaction>,
	reads: &[(Felt, Felt)],
) -> Result<RawRun, ExecError> {
	execute_block_with(state, context, txs, reads, Workers::Sequential)
}

/// How [`execute_block_with`] spreads a block's transactions over threads.
#[derive(Clone, Copy, Debug)]
pub enum Workers {
	/// One after the other on one thread: what [`execute_block`] does, and what Cairn's block
	/// builder does.
	Sequential,
	/// blockifier's concurrent executor (`TransactionExecutor` with a `ConcurrencyConfig`):
	/// `workers` threads execute a chunk of `chunk` transactions speculatively and commit them in
	/// order, re-executing a transaction whose reads a preceding one changed.
	Concurrent { workers: usize, chunk: usize },
}

/// [`execute_block`], sequentially or with blockifier's concurrent executor (`workers`); the
/// results are the same, in the same order.
pub fn execute_block_with(
	state: MemoryState,
	context: &BlockContext,
	txs: Vec<Transaction>,
	reads: &[(Felt, Felt)],
	workers: Workers,
) -> Result<RawRun, ExecError> {
	let block_context = cache::block_context(context)?;
	let chain_id = block_context.chain_info().chain_id.clone();
	let converted = txs
		.into_iter()
		.map(|tx| {
			let request = ExecRequest {
				context: context.clone(),
				mode: ExecMode::Block,
				tx,
				class: None,
				paid_fee_on_l1: 0,
			};
			to_blockifier(request, &chain_id).map(|(tx, _)| tx)
		})
		.collect::<Result<Vec<_>, _>>()?;
	let (workers, chunk) = match workers {
		Workers::Sequential => return sequential(state, &block_context, converted, reads),
		Workers::Concurrent { workers, chunk } => (workers.max(1), chunk.max(1)),
	};
	let config = TransactionExecutorConfig {
		concurrency_config: ConcurrencyConfig {
			enabled: true,
			n_workers: workers,
			chunk_size: chunk,
		},
		stack_size: EXECUTION_STACK_BYTES,
	};
	let mut executor =
		TransactionExecutor::new(CachedState::new(state), unbounded(&block_context), config);
	let start = Instant::now();
	let outputs = executor.execute_txs(&converted, None);
	let elapsed = start.elapsed();
	if outputs.len() != converted.len() {
		return Err(internal(format!(
			"the concurrent executor stopped after {} of {} transactions",
			outputs.len(),
			converted.len()
		)));
	}
	let (mut reverted, mut fees, mut l2_gas) = (Vec::new(), Vec::new(), Vec::new());
	for output in outputs {
		let (info, _) = output.map_err(|e| internal(format!("a transaction failed: {e}")))?;
		reverted.push(info.revert_error.is_some());
		fees.push(info.receipt.fee.0);
		l2_gas.push(info.receipt.gas.l2_gas.0);
	}
	let state = executor.block_state.take().ok_or_else(|| internal("no block state"))?;
	Ok(RawRun { elapsed, reverted, fees, l2_gas, reads: read(&state, reads)? })
}

/// `context` with a bouncer that never finds the block full: the concurrent executor consults
/// blockifier's bouncer (the sequential path does not), and `BouncerConfig::max()` keeps the
/// default proving-gas budget, which 5,000 transfers exceed. With every instance limit at the
/// maximum, each builtin instance costs 1 proving gas of an unbounded budget.
fn unbounded(context: &blockifier::context::BlockContext) -> blockifier::context::BlockContext {
	let most = NonZeroU64::MAX;
	let limits = BuiltinInstanceLimits {
		pedersen: most,
		range_check: most,
		range_check96: most,
		poseidon: most,
		ecdsa: most,
		ecop: most,
		bitwise: most,
		keccak: most,
		add_mod: most,
		mul_mod: most,
		blake: most,
	};
	blockifier::context::BlockContext::new(
		context.block_info().clone(),
		context.chain_info().clone(),
		context.versioned_constants().clone(),
		BouncerConfig {
			block_max_capacity: BouncerWeights::max(),
			builtin_instance_limits: limits,
		},
	)
}

/// The sequential block of [`execute_block`], on a thread with blockifier's stack size.
fn sequential(
	state: MemoryState,
	block_context: &Arc<blockifier::context::BlockContext>,
	converted: Vec<BlockifierTransaction>,
	reads: &[(Felt, Felt)],
) -> Result<RawRun, ExecError> {
	let block_context = block_context.clone();
	let run = move || {
		let mut state = CachedState::new(state);
		let mut reverted = Vec::with_capacity(converted.len());
		let mut fees = Vec::with_capacity(converted.len());
		let mut l2_gas = Vec::with_capacity(converted.len());
		let start = Instant::now();
		for tx in converted {
			let info = tx.execute(&mut state, &block_context).map_err(reject_execution)?;
			reverted.push(info.revert_error.is_some());
			fees.push(info.receipt.fee.0);
			l2_gas.push(info.receipt.gas.l2_gas.0);
		}
		Ok::<_, ExecError>((state, reverted, fees, l2_gas, start.elapsed()))
	};
	let (state, reverted, fees, l2_gas, elapsed) = std::thread::Builder::new()
		.name("raw-block".into())
		.stack_size(EXECUTION_STACK_BYTES)
		.spawn(run)
		.map_err(internal)?
		.join()
		.map_err(|_| internal("the block's thread panicked"))??;
	Ok(RawRun { elapsed, reverted, fees, l2_gas, reads: read(&state, reads)? })
}

/// The values of the storage `reads` names in `state`.
fn read<S: StateReader>(state: &S, reads: &[(Felt, Felt)]) -> Result<Vec<Felt>, ExecError> {
	reads
		.iter()
		.map(|(contract, key)| {
			let contract = ContractAddress::try_from(contract.0).map_err(internal)?;
			let key = StorageKey::try_from(key.0).map_err(internal)?;
			state.get_storage_at(contract, key).map(Felt).map_err(internal)
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		dev_genesis::{dev_genesis, storage_var_address},
		signing::{execute_calldata, sign_hash, Call},
		TransactionExt,
	};
	use cairn_primitives::starknet::{
		exec::ChainConfig, genesis::well_known, DataAvailabilityMode, InvokeTransactionV3,
		ResourceBounds, ValidResourceBounds,
	};
	use starknet_api::core::ChainId;

	/// 8 accounts, each sending 12 transfers: to the account that sends next (so neighbours
	/// conflict), and every fifth one for more than the sender holds (it reverts, paying a fee).
	fn block(accounts: &[crate::dev_genesis::DevAccount]) -> Vec<Transaction> {
		let strk = Felt::from_hex(well_known::STRK).unwrap();
		let chain_id = ChainId::from(well_known::DEV_CHAIN_ID.to_string());
		let k = accounts.len() as u32;
		(0..12 * k)
			.map(|i| {
				let (from, to) = (&accounts[(i % k) as usize], &accounts[((i + 1) % k) as usize]);
				let amount = if i % 5 == 4 { u128::MAX } else { u128::from(i) + 1 };
				let mut tx = InvokeTransactionV3 {
					resource_bounds: ValidResourceBounds::AllResources {
						l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: 1 << 40 },
						l2_gas: ResourceBounds {
							max_amount: 3_000_000,
							max_price_per_unit: 1 << 40,
						},
						l1_data_gas: ResourceBounds {
							max_amount: 2_000,
							max_price_per_unit: 1 << 40,
						},
					},
					tip: 0,
					signature: vec![],
					nonce: Felt::from(u128::from(i / k)),
					sender_address: from.address,
					calldata: execute_calldata(&[Call {
						to: strk,
						entry_point: "transfer",
						calldata: vec![to.address, Felt::from(amount), Felt::ZERO],
					}]),
					nonce_data_availability_mode: DataAvailabilityMode::L1,
					fee_data_availability_mode: DataAvailabilityMode::L1,
					paymaster_data: vec![],
					account_deployment_data: vec![],
					proof_facts: vec![],
				};
				let hash = Transaction::Invoke(tx.clone()).hash(&chain_id, false).unwrap();
				tx.signature = sign_hash(hash, from.private_key).unwrap();
				Transaction::Invoke(tx)
			})
			.collect()
	}

	#[test]
	fn the_concurrent_executor_computes_what_the_sequential_one_does() {
		let config = ChainConfig::default();
		let (genesis, accounts) = dev_genesis(config.clone(), 0, 8).unwrap();
		let (state, _) = MemoryState::from_genesis(&genesis, Engine::Vm).unwrap();
		let strk = config.strk_fee_token;
		let mut reads: Vec<(Felt, Felt)> = accounts
			.iter()
			.map(|a| (strk, storage_var_address("ERC20_balances", &[a.address])))
			.collect();
		reads.push((strk, storage_var_address("ERC20_balances", &[config.sequencer_address])));
		let context = BlockContext { block_number: 1, block_timestamp: 1_000, config };
		let txs = block(&accounts);
		let sequential =
			execute_block_with(state.clone(), &context, txs.clone(), &reads, Workers::Sequential)
				.unwrap();
		assert_eq!(sequential.reverted.iter().filter(|r| **r).count(), 19, "every fifth reverts");
		for (workers, chunk) in [(2, 64), (2, 7), (3, 1)] {
			let concurrent = execute_block_with(
				state.clone(),
				&context,
				txs.clone(),
				&reads,
				Workers::Concurrent { workers, chunk },
			)
			.unwrap();
			let what = format!("{workers} workers, chunks of {chunk}");
			assert_eq!(concurrent.reverted, sequential.reverted, "{what}");
			assert_eq!(concurrent.fees, sequential.fees, "{what}");
			assert_eq!(concurrent.l2_gas, sequential.l2_gas, "{what}");
			assert_eq!(concurrent.reads, sequential.reads, "{what}");
		}
	}
}

//! `cairn-bench raw`: the workload's transfers executed in-process by blockifier over an in-memory
//! copy of the development genesis (`cairn_executor::raw`): the ceiling of this machine, on the
//! Cairo VM (system `raw-blockifier`) or with Cairo Native (`raw-native`); one after the other,
//! or with `--workers N` by blockifier's concurrent executor (`raw-concurrent`,
//! `raw-native-concurrent`).
use super::*;

pub use cairn_executor::raw::Workers;

pub fn raw(
	k: u32,
	offset: u32,
	count: u32,
	engine: &str,
	account_class: Option<&str>,
	workers: Workers,
) -> Result<(), Error> {
	use cairn_executor::raw::{execute_block_with, Engine, MemoryState};
	let (engine, system) = match (engine, workers) {
		("native", Workers::Sequential) => (Engine::Native, "raw-native"),
		("native", Workers::Concurrent { .. }) => (Engine::Native, "raw-native-concurrent"),
		(_, Workers::Sequential) => (Engine::Vm, "raw-blockifier"),
		(_, Workers::Concurrent { .. }) => (Engine::Vm, "raw-concurrent"),
	};
	let config = ChainConfig::default();
	let (mut genesis, dev) = dev_genesis(config.clone(), 0, k)?;
	let (accounts, balance) = match account_class {
		None => (
			dev.iter()
				.map(|a| Account { address: a.address, private_key: a.private_key })
				.collect::<Vec<_>>(),
			well_known::DEV_ACCOUNT_BALANCE,
		),
		Some(path) => {
			let class = super::accounts::class(path)?;
			let own = super::accounts::accounts(&class, 0, k)?;
			super::accounts::add_to_genesis(&mut genesis, &class, &own);
			(own, super::accounts::FUNDING)
		}
	};
	let prices = [
		config.gas_prices.l1_gas_price_fri,
		config.gas_prices.l1_data_gas_price_fri,
		config.gas_prices.l2_gas_price_fri,
	];
	let zeros = vec![0; accounts.len()];
	let txs: Vec<Transaction> = (0..count)
		.map(|i| transfer(&accounts, &zeros, i, offset, well_known::DEV_CHAIN_ID, prices).0)
		.collect();
	let strk = config.strk_fee_token;
	let reads: Vec<(Felt, Felt)> = accounts
		.iter()
		.map(|a| (strk, storage_var_address("ERC20_balances", &[a.address])))
		.collect();
	let (state, compiled) = MemoryState::from_genesis(&genesis, engine).map_err(exec_error)?;
	let compile_seconds = compiled.iter().fold(0.0, |sum, (_, t)| sum + t.as_secs_f64());
	let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
	let context = BlockContext { block_number: 1, block_timestamp: now, config };
	let run = execute_block_with(state, &context, txs, &reads, workers).map_err(exec_error)?;
	let reverted = run.reverted.iter().filter(|r| **r).count();
	let fees: u128 = run.fees.iter().sum();
	let before = balance * u128::from(k);
	let after: u128 = run.reads.iter().map(low_u128).sum();
	let balanced = before - after == fees;
	let seconds = run.elapsed.as_secs_f64();
	// Picoseconds of execution per unit of L2 gas: the figure the pallet's weights must cover
	// (`REF_TIME_PER_L2_GAS`), on this machine, in this engine.
	let l2_gas: u64 = run.l2_gas.iter().sum();
	let ps_per_l2_gas = (l2_gas > 0).then(|| seconds * 1e12 / l2_gas as f64);
	println!(
		"{}",
		json!({
			"system": system,
			"transfers": count,
			"accounts": k,
			"succeeded": count as usize - reverted,
			"balances_add_up": balanced,
			"seconds": seconds,
			"tps": f64::from(count) / seconds,
			"l2_gas_per_transfer": l2_gas / u64::from(count.max(1)),
			"ps_per_l2_gas": ps_per_l2_gas,
			"classes_compiled": compiled.len(),
			"compile_seconds": compile_seconds,
			"workers": match workers {
				Workers::Sequential => 1,
				Workers::Concurrent { workers, .. } => workers,
			},
		})
	);
	if reverted > 0 || !balanced {
		return Err(format!("{reverted} transfers reverted; balances add up: {balanced}").into());
	}
	Ok(())
}

/// An executor error with its message as text.
fn exec_error(e: cairn_primitives::starknet::exec::ExecError) -> Error {
	use cairn_primitives::starknet::exec::ExecError;
	match e {
		ExecError::Rejected(why, message) => {
			format!("rejected ({why:?}): {}", String::from_utf8_lossy(&message)).into()
		}
		ExecError::Internal(message) => String::from_utf8_lossy(&message).into_owned().into(),
	}
}

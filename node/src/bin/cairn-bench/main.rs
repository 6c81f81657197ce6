//! `cairn-bench`: the Rust half of `scripts/bench`. One workload — K funded accounts each sending
//! STRK transfers (signed V3 invokes, 1 unit to the next account, so balances only lose fees) — run
//! against a system, one JSON line of results on stdout:
//!
//! - `load --url URL`: over Starknet JSON-RPC to a running node (Cairn or starknet-devnet): each
//!   account submits its transfers in nonce order as fast as the node accepts them, all accounts
//!   at once; receipts are found by following new blocks. Throughput from the first submission to
//!   the last receipt, submit→receipt latency, blocks, and the node's peak RSS (`--pid`).
//!   `--rate R` offers R transfers/s instead (open loop: each is sent when due, whatever the
//!   node's answers), for latency at a set share of capacity; `--one-in-flight` sends one at a
//!   time and polls its receipt every millisecond (the light-load latency). `--subscribers N`
//!   keeps N Starknet WebSocket subscriptions open meanwhile and checks they missed nothing.
//! - `keys`: the accounts' public keys, for a `cairn new-chain` spec funding them (the
//!   benchmark's sequencer-mode row).
//! - `raw`: the same signed transfers executed in-process by blockifier on an in-memory copy of
//!   the development genesis (no RPC, no Substrate): the ceiling of this machine.
//!
//! Either way it checks the result: every transfer succeeded and the accounts' STRK balances fell
//! by exactly the fees their receipts report.
use cairn_executor::{
	dev_genesis::{dev_genesis, storage_var_address},
	signing::{execute_calldata, public_key, selector, Call, Sign},
};
use cairn_primitives::starknet::{
	exec::{BlockContext, ChainConfig},
	genesis::well_known,
	DataAvailabilityMode, Felt, InvokeTransactionV3, ResourceBounds, Transaction,
	ValidResourceBounds,
};
use cairn_rpc_api::types::invoke_json;
use clap::Parser;
use jsonrpsee::{
	core::{client::ClientT, params::ArrayParams},
	http_client::{HttpClient, HttpClientBuilder},
};
use serde_json::{json, Value};
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

#[derive(Parser)]
#[command(about = "Load driver and raw-blockifier ceiling of scripts/bench")]
enum Command {
	/// Send the workload to a node over Starknet JSON-RPC.
	Load {
		/// The node's JSON-RPC endpoint.
		#[arg(long)]
		url: String,
		/// Whose accounts: `cairn` (derived from `--seed`, as `cairn --dev --accounts K`) or
		/// `devnet` (starknet-devnet's predeployed accounts, read over its RPC).
		#[arg(long, default_value = "cairn")]
		system: String,
		#[arg(long, default_value_t = 0)]
		seed: u64,
		#[arg(long, default_value_t = 64)]
		accounts: u32,
		#[arg(long, default_value_t = 5000)]
		count: u32,
		/// The node's process id, for its peak RSS.
		#[arg(long)]
		pid: Option<u32>,
		/// Give up after this many seconds.
		#[arg(long, default_value_t = 600)]
		timeout: u64,
		/// Open loop: offer this many transfers per second (transfer `i` due `i / rate` s after
		/// the start) instead of as many as the node accepts.
		#[arg(long, conflicts_with = "one_in_flight")]
		rate: Option<f64>,
		/// Light load: one transfer in flight, its receipt polled every millisecond before the
		/// next is submitted.
		#[arg(long)]
		one_in_flight: bool,
		/// Send from K accounts of this class (a `.contract_class.json` whose constructor takes
		/// the public key) instead of the genesis accounts: declared, funded and deployed first
		/// (see `accounts`).
		#[arg(long, value_name = "FILE")]
		account_class: Option<String>,
		/// Transfer `i` goes to account `(i + D) mod K` (see `transfer`).
		#[arg(long, default_value_t = 1)]
		recipient_offset: u32,
		/// Keep N Starknet WebSocket subscriptions open during the load and check that they
		/// missed nothing (see `subscribers`; Cairn only).
		#[arg(long, value_name = "N")]
		subscribers: Option<u32>,
	},
	/// Print the Stark public keys of the workload's accounts (derived from `--seed`, as
	/// `cairn --dev --accounts K`), one per line: the `--account`s of a `cairn new-chain` spec
	/// that funds the same accounts.
	Keys {
		#[arg(long, default_value_t = 0)]
		seed: u64,
		#[arg(long, default_value_t = 64)]
		accounts: u32,
	},
	/// Execute the workload with blockifier alone.
	Raw {
		#[arg(long, default_value_t = 64)]
		accounts: u32,
		#[arg(long, default_value_t = 5000)]
		count: u32,
		/// `vm` (the Cairo VM) or `native` (Cairo Native: a build with the `native` feature).
		#[arg(long, default_value = "vm", value_parser = ["vm", "native"])]
		engine: String,
		/// Send from K accounts of this class instead of the genesis accounts (laid out in the
		/// genesis; see `accounts`).
		#[arg(long, value_name = "FILE")]
		account_class: Option<String>,
		/// Transfer `i` goes to account `(i + D) mod K` (see `transfer`).
		#[arg(long, default_value_t = 1)]
		recipient_offset: u32,
		/// Execute the block with blockifier's concurrent executor on this many threads (its
		/// `ConcurrencyConfig`) instead of one after the other.
		#[arg(long, value_name = "N")]
		workers: Option<usize>,
		/// With `--workers`: the transactions the concurrent executor takes at a time.
		#[arg(long, default_value_t = 64, requires = "workers")]
		chunk: usize,
	},
}

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Account {
	address: Felt,
	private_key: Felt,
}

/// `--recipient-offset D` for `k` accounts, if a transfer's recipient is another account.
fn recipient_offset_for(k: u32, offset: u32) -> Result<u32, Error> {
	match k {
		0 => Err("--accounts 0: at least one account".into()),
		k if offset % k == 0 => {
			Err(format!("--recipient-offset {offset}: each account would pay itself").into())
		}
		_ => Ok(offset),
	}
}

/// The `index`-th transfer of the workload: from account `index % K` at its nonce
/// `start + index / K`, 1 STRK unit to account `(index + offset) % K`. With `offset` 1 (the
/// default) a transfer's recipient sends the next transfer: consecutive transfers touch the same
/// balance, so none of them may run at the same time; with `K / 2`, transfers that conflict are
/// `K / 2` apart.
fn transfer(
	accounts: &[Account],
	start_nonces: &[u128],
	index: u32,
	offset: u32,
	chain_id: &str,
	prices: [u128; 3],
) -> (Transaction, Felt) {
	let k = accounts.len() as u32;
	let from = &accounts[(index % k) as usize];
	let to = &accounts[((index % k + offset % k) % k) as usize];
	let nonce = start_nonces[(index % k) as usize] + u128::from(index / k);
	let [l1, l1_data, l2] = prices;
	let mut tx = Transaction::Invoke(InvokeTransactionV3 {
		resource_bounds: ValidResourceBounds::AllResources {
			l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: l1 * 2 },
			// A transfer uses 1,127,232 L2 gas; 3 × 10⁶ is the margin an SDK's estimate gets.
			// A block must have room for the whole bound (as Ethereum's gas limit), so a looser
			// bound would pack fewer transfers into a 100 ms block (2 × 10⁷ L2 gas).
			l2_gas: ResourceBounds { max_amount: 3_000_000, max_price_per_unit: l2 * 2 },
			l1_data_gas: ResourceBounds { max_amount: 2_000, max_price_per_unit: l1_data * 2 },
		},
		tip: 0,
		signature: vec![],
		nonce: Felt::from(nonce),
		sender_address: from.address,
		calldata: execute_calldata(&[Call {
			to: Felt::from_hex(well_known::STRK).expect("a felt"),
			entry_point: "transfer",
			calldata: vec![to.address, Felt::from(1u128), Felt::ZERO],
		}]),
		nonce_data_availability_mode: DataAvailabilityMode::L1,
		fee_data_availability_mode: DataAvailabilityMode::L1,
		paymaster_data: vec![],
		account_deployment_data: vec![],
		proof_facts: vec![],
	});
	let hash = tx.sign(chain_id, from.private_key).expect("a V3 invoke hashes");
	(tx, hash)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
	if sorted.is_empty() {
		return 0.0;
	}
	let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
	sorted[index].as_secs_f64() * 1000.0
}

/// The low 128 bits of a felt (an ERC-20 balance's low word).
fn low_u128(felt: &Felt) -> u128 {
	let bytes = felt.to_bytes();
	u128::from_be_bytes(bytes[16..].try_into().expect("16 bytes"))
}

fn hex_u128(value: &Value) -> Result<u128, Error> {
	let text = value.as_str().ok_or_else(|| format!("not a hex string: {value}"))?;
	Ok(u128::from_str_radix(text.trim_start_matches("0x"), 16)?)
}

mod accounts;
mod load;
mod raw;
mod subscribers;

fn main() -> Result<(), Error> {
	match Command::parse() {
		Command::Raw {
			accounts,
			count,
			engine,
			account_class,
			recipient_offset,
			workers,
			chunk,
		} => {
			let workers = match workers {
				Some(0) => return Err("--workers 0: at least one thread".into()),
				Some(workers) => raw::Workers::Concurrent { workers, chunk: chunk.max(1) },
				None => raw::Workers::Sequential,
			};
			let offset = recipient_offset_for(accounts, recipient_offset)?;
			raw::raw(accounts, offset, count, &engine, account_class.as_deref(), workers)
		}
		Command::Keys { seed, accounts } => {
			for account in dev_genesis(ChainConfig::default(), seed, accounts)?.1 {
				println!("{:#x}", account.public_key.0);
			}
			Ok(())
		}
		Command::Load {
			url,
			system,
			seed,
			accounts,
			count,
			pid,
			timeout,
			rate,
			one_in_flight,
			account_class,
			recipient_offset,
			subscribers,
		} => {
			let offset = recipient_offset_for(accounts, recipient_offset)?;
			if subscribers.is_some() && system != "cairn" {
				return Err(
					"--subscribers: Cairn's WebSocket API (devnet's is not measured)".into()
				);
			}
			let offer = match (rate, one_in_flight) {
				(Some(rate), _) if !(rate > 0.0 && rate.is_finite()) => {
					return Err(format!("--rate {rate}: a positive number of transfers/s").into())
				}
				(Some(rate), _) => load::Offer::Rate(rate),
				(None, true) => load::Offer::OneInFlight,
				(None, false) => load::Offer::Saturate,
			};
			tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(load::load(
				url,
				system,
				seed,
				accounts,
				offset,
				count,
				pid,
				timeout,
				offer,
				account_class,
				subscribers,
			))
		}
	}
}

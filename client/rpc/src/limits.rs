//! Bounds on the work one request may make the node do, so that the RPC cannot starve block
//! production: how many transactions one estimate or simulation executes, how many a trace
//! re-executes, how many blocks one `getEvents` call scans, and how many execution requests
//! (calls, estimates, simulations, traces) run at once. The node sets them from its flags
//! (`--rpc-max-*`); beyond one, the answer is a JSON-RPC error naming the limit and its flag.
use crate::Result;
use cairn_rpc_api::StarknetError;
use std::{
	sync::{Condvar, Mutex},
	time::Duration,
};

/// The limits (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
	/// Transactions in one `estimateFee` or `simulateTransactions` request.
	pub max_simulated_transactions: usize,
	/// Transactions one trace re-executes (a block's, up to the one traced).
	pub max_traced_transactions: usize,
	/// Blocks one `getEvents` call scans; a longer range answers a page with a continuation
	/// token where the scan stopped (the spec's own paging, so clients just go on).
	pub max_events_blocks: u64,
	/// Execution requests running at once; more wait up to [`QUEUE_WAIT`], then are refused.
	pub max_concurrent_executions: usize,
	/// Leaves (class hashes, contracts and storage keys together) one `getStorageProof` proves.
	pub max_proof_keys: usize,
	/// How many blocks behind the best one `getStorageProof` still proves (older blocks answer
	/// STORAGE_PROOF_NOT_SUPPORTED; a node whose state is pruned sooner answers it sooner).
	pub proof_history: u64,
}

impl Default for Limits {
	fn default() -> Self {
		Limits {
			max_simulated_transactions: 100,
			max_traced_transactions: 1_000,
			max_events_blocks: 10_000,
			max_concurrent_executions: 4,
			max_proof_keys: 1_000,
			proof_history: 256,
		}
	}
}

/// How long an execution request waits for a free slot before it is refused.
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);

impl Limits {
	/// Refuse `count` transactions in one estimate or simulation beyond the limit.
	pub(crate) fn check_simulated(&self, count: usize) -> Result<()> {
		match count > self.max_simulated_transactions {
			true => Err(exceeded(format!(
				"{count} transactions in one request; this node executes at most {} \
				 (--rpc-max-simulated-transactions)",
				self.max_simulated_transactions
			))),
			false => Ok(()),
		}
	}

	/// Refuse a trace that re-executes `count` transactions beyond the limit.
	pub(crate) fn check_traced(&self, count: usize) -> Result<()> {
		match count > self.max_traced_transactions {
			true => Err(exceeded(format!(
				"the trace re-executes {count} transactions; this node re-executes at most {} \
				 (--rpc-max-traced-transactions)",
				self.max_traced_transactions
			))),
			false => Ok(()),
		}
	}
}

impl Limits {
	/// Refuse a storage proof of `count` leaves beyond the limit.
	pub(crate) fn check_proof_keys(&self, count: usize) -> Result<()> {
		match count > self.max_proof_keys {
			true => Err(exceeded(format!(
				"{count} leaves in one storage proof; this node proves at most {} \
				 (--rpc-max-proof-keys)",
				self.max_proof_keys
			))),
			false => Ok(()),
		}
	}
}

fn exceeded(message: String) -> StarknetError {
	StarknetError::LimitExceeded(message)
}

/// A counting semaphore over execution requests (they run on blocking threads).
#[derive(Debug)]
pub(crate) struct ExecutionSlots {
	max: usize,
	used: Mutex<usize>,
	freed: Condvar,
}

/// A held slot, given back when dropped.
pub(crate) struct Slot<'a>(&'a ExecutionSlots);

impl ExecutionSlots {
	pub(crate) fn new(max: usize) -> Self {
		ExecutionSlots { max: max.max(1), used: Mutex::new(0), freed: Condvar::new() }
	}

	/// A slot, waiting up to `wait` for one (a blocking call: on a blocking thread only).
	pub(crate) fn acquire(&self, wait: Duration) -> Result<Slot<'_>> {
		let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
		let (mut used, timeout) = self
			.freed
			.wait_timeout_while(used, wait, |used| *used >= self.max)
			.unwrap_or_else(|e| e.into_inner());
		if timeout.timed_out() && *used >= self.max {
			return Err(exceeded(format!(
				"{} execution requests are running and none finished within {wait:?} \
				 (--rpc-max-concurrent-executions)",
				self.max
			)));
		}
		*used += 1;
		Ok(Slot(self))
	}
}

impl Drop for Slot<'_> {
	fn drop(&mut self) {
		*self.0.used.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
		self.0.freed.notify_one();
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn slots_are_shared_and_given_back() {
		let slots = ExecutionSlots::new(2);
		let a = slots.acquire(Duration::ZERO).unwrap();
		let _b = slots.acquire(Duration::ZERO).unwrap();
		let refused = slots.acquire(Duration::from_millis(20)).err().unwrap();
		assert!(
			matches!(&refused, StarknetError::LimitExceeded(m) if m.contains("--rpc-max-concurrent-executions")),
			"{refused:?}"
		);
		drop(a);
		assert!(slots.acquire(Duration::ZERO).is_ok());
	}

	#[test]
	fn a_waiting_request_gets_the_freed_slot() {
		let slots = std::sync::Arc::new(ExecutionSlots::new(1));
		let held = slots.acquire(Duration::ZERO).unwrap();
		let waiter = {
			let slots = slots.clone();
			std::thread::spawn(move || slots.acquire(Duration::from_secs(5)).is_ok())
		};
		std::thread::sleep(Duration::from_millis(50));
		drop(held);
		assert!(waiter.join().unwrap());
	}

	#[test]
	fn counts_beyond_the_limits_name_their_flag() {
		let limits = Limits {
			max_simulated_transactions: 2,
			max_traced_transactions: 3,
			..Default::default()
		};
		assert!(limits.check_simulated(2).is_ok());
		assert!(matches!(limits.check_simulated(3),
			Err(StarknetError::LimitExceeded(m)) if m.contains("--rpc-max-simulated-transactions")));
		assert!(limits.check_traced(3).is_ok());
		assert!(matches!(limits.check_traced(4),
			Err(StarknetError::LimitExceeded(m)) if m.contains("--rpc-max-traced-transactions")));
	}
}

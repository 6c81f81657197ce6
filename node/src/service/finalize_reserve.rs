//! Time kept back from an Aura proposal for finalizing the block, so a full block is not
//! discarded for being late, and no more than that.
//!
//! Aura gives the proposer what is left of its share of the slot; Substrate's proposer stops
//! pushing transactions at 90 % of that and then finalizes the block, which for Starknet means the
//! block's commitments (transactions, receipts, events, the state diff and the global state
//! root's tries) as well as Substrate's storage root. With ≈ 100 transfers in a 1 s block that
//! took up to 100 ms, more than the 10 % left, so Aura discarded the block ("block production
//! took too long": 7 of 38 blocks of a 5,000-transfer `scripts/bench` run), lost the slot, and
//! gave the retry of the same block more than a whole slot.
//!
//! [`FinalizeReserve`] measures how long finalizing takes: each proposal that ran into its
//! pushing deadline ended that long after it. It keeps an estimate that follows the slowest
//! recent one (a new maximum at once, else a tenth less per measured proposal) and tells the
//! proposer to stop pushing [`MARGIN`] times that estimate before Aura's deadline.
//!
//! Interval sealing ([`FinalizeReserve::within`]) uses it too, with the proposal bounded by the
//! interval: manual seal gives every proposal 10 s (`MAX_PROPOSAL_DURATION`), and Substrate's
//! proposer derives its waits from that. It waits up to an eighth of it (≈ 1.1 s) for the pool to
//! have caught up with the parent, and once a block is full it keeps trying the pool's other
//! transactions until half of it has passed. At `--sealing 100` under load that made 0.3–0.4
//! blocks a second.
use std::{
	future::Future,
	pin::Pin,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use futures::{future::MapOk, FutureExt, TryFutureExt};
use sp_consensus::{Environment, Proposal, Proposer};
use sp_inherents::InherentData;
use sp_runtime::{traits::Block as BlockT, Digest};

/// What the estimate starts at, before any proposal has been measured: the slowest finalization
/// measured at 1 s blocks.
const INITIAL_ESTIMATE: Duration = Duration::from_millis(100);
/// How many times the estimate is kept back.
const MARGIN: f64 = 1.5;
/// The least kept back.
const MIN_RESERVE: Duration = Duration::from_millis(20);
/// Substrate's proposer pushes for this share of the time it is given (`basic_authorship`).
const PUSHING_SHARE: f64 = 0.9;

/// An [`Environment`] whose proposers keep time back for finalizing, see the module doc.
pub struct FinalizeReserve<E> {
	inner: E,
	/// The finalization estimate, in microseconds.
	estimate: Arc<AtomicU64>,
	/// The most time a proposal is given, whatever its caller offers.
	bound: Option<Duration>,
}

impl<E> FinalizeReserve<E> {
	/// Proposers of `inner`, keeping time back (Aura: the caller's time is the slot's share).
	pub fn new(inner: E) -> Self {
		Self::with(inner, INITIAL_ESTIMATE, None)
	}

	/// Proposers of `inner` that take at most `interval` each (interval sealing), keeping time
	/// back out of it; the first estimate is a tenth of the interval (at most
	/// [`INITIAL_ESTIMATE`]), what Substrate keeps back itself.
	pub fn within(inner: E, interval: Duration) -> Self {
		Self::with(inner, INITIAL_ESTIMATE.min(interval / 10), Some(interval))
	}

	fn with(inner: E, initial: Duration, bound: Option<Duration>) -> Self {
		let estimate = Arc::new(AtomicU64::new(initial.as_micros() as u64));
		Self { inner, estimate, bound }
	}
}

/// A proposer of [`FinalizeReserve`].
pub struct Reserved<P> {
	inner: P,
	estimate: Arc<AtomicU64>,
	bound: Option<Duration>,
}

impl<B: BlockT, E: Environment<B>> Environment<B> for FinalizeReserve<E> {
	type Proposer = Reserved<E::Proposer>;
	type CreateProposer =
		MapOk<E::CreateProposer, Box<dyn FnOnce(E::Proposer) -> Reserved<E::Proposer> + Send>>;
	type Error = E::Error;

	fn init(&mut self, parent_header: &B::Header) -> Self::CreateProposer {
		let (estimate, bound) = (self.estimate.clone(), self.bound);
		self.inner.init(parent_header).map_ok(Box::new(move |inner| Reserved {
			inner,
			estimate,
			bound,
		}))
	}
}

/// The time to give Substrate's proposer out of `max_duration` so that it stops pushing
/// `reserve` before the end: `max_duration - reserve` divided by [`PUSHING_SHARE`], at most
/// `max_duration`.
fn proposer_time(max_duration: Duration, reserve: Duration) -> Duration {
	max_duration.saturating_sub(reserve).div_f64(PUSHING_SHARE).min(max_duration)
}

/// The estimate after a proposal that ended `overrun` after its pushing deadline.
fn next_estimate(estimate: Duration, overrun: Duration) -> Duration {
	overrun.max(estimate.mul_f64(0.9))
}

/// Measures one proposal when it finishes, or when Aura drops it for being late.
struct Measure {
	pushing_deadline: Instant,
	estimate: Duration,
	shared: Arc<AtomicU64>,
	finished: bool,
}

impl Drop for Measure {
	fn drop(&mut self) {
		// Only a proposal that ran into its deadline says how long finalizing takes.
		let overrun = Instant::now().saturating_duration_since(self.pushing_deadline);
		if overrun.is_zero() {
			return;
		}
		let next = if self.finished {
			next_estimate(self.estimate, overrun)
		} else {
			// Dropped unfinished: late, finalizing took longer than `overrun`.
			(self.estimate * 2).max(overrun)
		};
		self.shared.store(next.as_micros() as u64, Ordering::Relaxed);
		log::debug!(
			target: "cairn::authoring",
			"{} {overrun:?} after its pushing deadline; finalizing estimate {next:?}",
			if self.finished { "proposal finished" } else { "proposal dropped" }
		);
	}
}

impl<B: BlockT, P: Proposer<B>> Proposer<B> for Reserved<P> {
	type Error = P::Error;
	type Proposal = Pin<Box<dyn Future<Output = Result<Proposal<B, P::Proof>, P::Error>> + Send>>;
	type ProofRecording = P::ProofRecording;
	type Proof = P::Proof;

	fn propose(
		self,
		inherent_data: InherentData,
		inherent_digests: Digest,
		max_duration: Duration,
		block_size_limit: Option<usize>,
	) -> Self::Proposal {
		let max_duration = self.bound.map_or(max_duration, |bound| bound.min(max_duration));
		let estimate = Duration::from_micros(self.estimate.load(Ordering::Relaxed));
		let reserve = estimate.mul_f64(MARGIN).max(MIN_RESERVE);
		let given = proposer_time(max_duration, reserve);
		let measure = Measure {
			pushing_deadline: Instant::now() + given.mul_f64(PUSHING_SHARE),
			estimate,
			shared: self.estimate,
			finished: false,
		};
		log::trace!(target: "cairn::authoring", "proposing: {given:?} of {max_duration:?}");
		self.inner
			.propose(inherent_data, inherent_digests, given, block_size_limit)
			.inspect(move |_| {
				let mut measure = measure;
				measure.finished = true;
			})
			.boxed()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const MS: fn(u64) -> Duration = Duration::from_millis;

	#[test]
	fn the_proposer_stops_pushing_the_reserve_before_the_end() {
		// Aura's 900 ms of a 1 s slot, 150 ms kept back: pushing ends at 750 ms.
		let given = proposer_time(MS(900), MS(150));
		assert_eq!(given.mul_f64(PUSHING_SHARE).as_millis(), 750);
		// A reserve below Substrate's own 10 % changes nothing; one above the time leaves none.
		assert_eq!(proposer_time(MS(900), MS(20)), MS(900));
		assert_eq!(proposer_time(MS(100), MS(150)), Duration::ZERO);
	}

	#[test]
	fn an_interval_bounds_the_proposal_and_scales_the_first_estimate() {
		let env = FinalizeReserve::within((), MS(100));
		assert_eq!(env.bound, Some(MS(100)));
		let first = Duration::from_micros(env.estimate.load(Ordering::Relaxed));
		assert_eq!(first, MS(10));
		// Manual seal's 10 s become the interval; pushing ends 20 ms (the least reserve) before it.
		let reserve = first.mul_f64(MARGIN).max(MIN_RESERVE);
		let given = proposer_time(MS(10_000).min(MS(100)), reserve);
		assert_eq!(given.mul_f64(PUSHING_SHARE).as_millis(), 80);
		// Long intervals start from the Aura estimate.
		let env = FinalizeReserve::within((), MS(6_000));
		assert_eq!(env.estimate.load(Ordering::Relaxed), INITIAL_ESTIMATE.as_micros() as u64);
	}

	#[test]
	fn the_estimate_follows_the_slowest_recent_finalization() {
		assert_eq!(next_estimate(MS(100), MS(130)), MS(130));
		assert_eq!(next_estimate(MS(100), MS(10)), MS(90));
	}
}

//! Time kept back from an Aura proposal for finalizing the block, so a full block is not
//! discarded for being late.
//!
//! Aura gives the proposer what is left of its share of the slot (two thirds); Substrate's
//! proposer stops pushing transactions at 90 % of that and then finalizes the block, which for
//! Starknet means the block's commitments (transactions, receipts, events, the state diff and
//! the global state root's tries) as well as Substrate's storage root. With ≈ 100 transfers in a
//! 1 s block that took up to 100 ms, more than the 10 % left, so Aura discarded the block
//! ("block production took too long": 7 of 38 blocks of a 5,000-transfer `scripts/bench` run),
//! lost the slot, and gave the retry of the same block more than a whole slot. [`FinalizeReserve`]
//! hands the proposer [`PROPOSING_SHARE`] of its time: it stops pushing at 75 % and has 25 % to
//! finalize in.
use std::time::Duration;

use futures::{future::MapOk, TryFutureExt};
use sp_consensus::{Environment, Proposer};
use sp_inherents::InherentData;
use sp_runtime::{traits::Block as BlockT, Digest};

/// The share of Aura's proposing time the proposer is given (it pushes transactions for 90 % of
/// that, so until 75 % of Aura's time).
pub const PROPOSING_SHARE: f64 = 5.0 / 6.0;

/// An [`Environment`] whose proposers get [`PROPOSING_SHARE`] of the time they are given.
pub struct FinalizeReserve<E>(pub E);

/// A proposer of [`FinalizeReserve`].
pub struct Reserved<P>(P);

impl<B: BlockT, E: Environment<B>> Environment<B> for FinalizeReserve<E> {
	type Proposer = Reserved<E::Proposer>;
	type CreateProposer = MapOk<E::CreateProposer, fn(E::Proposer) -> Reserved<E::Proposer>>;
	type Error = E::Error;

	fn init(&mut self, parent_header: &B::Header) -> Self::CreateProposer {
		self.0.init(parent_header).map_ok(Reserved as fn(E::Proposer) -> Reserved<E::Proposer>)
	}
}

impl<B: BlockT, P: Proposer<B>> Proposer<B> for Reserved<P> {
	type Error = P::Error;
	type Proposal = P::Proposal;
	type ProofRecording = P::ProofRecording;
	type Proof = P::Proof;

	fn propose(
		self,
		inherent_data: InherentData,
		inherent_digests: Digest,
		max_duration: Duration,
		block_size_limit: Option<usize>,
	) -> Self::Proposal {
		self.0.propose(
			inherent_data,
			inherent_digests,
			max_duration.mul_f64(PROPOSING_SHARE),
			block_size_limit,
		)
	}
}

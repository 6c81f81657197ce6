//! `starknet_getEvents`: events matching an address and key filter, read from the index a page at
//! a time; a page that is not the last ends with a continuation token saying where the next one
//! starts (`block.transaction.event`).
use crate::{Result, Starknet};
use cairn_index::{IndexedBlock, StarknetClient};
use cairn_primitives::starknet::{exec::Event, Felt};
use cairn_rpc_api::{
	types::{Addresses, BlockId, EmittedEvent, EventsChunk, EventsRequest},
	StarknetError,
};
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use sp_runtime::traits::Block as BlockT;

/// Most events one page holds.
const MAX_EVENTS_CHUNK: u64 = 1024;
/// Most keys one filter holds (over all positions).
pub(crate) const MAX_FILTER_KEYS: usize = 256;

/// Where a page of events starts: the first event to look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ContinuationToken {
	/// The block number.
	block: u64,
	/// The transaction's position in the block.
	transaction: u64,
	/// The event's position among the transaction's events.
	event: u64,
}

impl ContinuationToken {
	/// The token `text` of a search over blocks `from..=to` (INVALID_CONTINUATION_TOKEN if it is
	/// not one, or points outside them).
	fn parse(text: &str, from: u64, to: u64) -> Result<Self> {
		let parts: Vec<u64> = text
			.split('.')
			.map(str::parse)
			.collect::<std::result::Result<_, _>>()
			.map_err(|_| StarknetError::InvalidContinuationToken)?;
		match parts[..] {
			[block, transaction, event] if block >= from && block <= to.max(from) => {
				Ok(ContinuationToken { block, transaction, event })
			}
			_ => Err(StarknetError::InvalidContinuationToken),
		}
	}
}

impl std::fmt::Display for ContinuationToken {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{}.{}.{}", self.block, self.transaction, self.event)
	}
}

/// Whether `event` passes the filter: emitted by one of `address` (any when `None`) and, at each
/// key position, with one of the keys listed there (any when the list is empty).
pub(crate) fn matches(event: &Event, address: Option<&Addresses>, keys: &[Vec<Felt>]) -> bool {
	let address_matches = address.is_none_or(|a| a.contains(&event.from_address));
	let keys_match = keys.iter().enumerate().all(|(position, allowed)| {
		allowed.is_empty() || event.keys.get(position).is_some_and(|key| allowed.contains(key))
	});
	address_matches && keys_match
}

/// `EMITTED_EVENT`: event `event_index` of transaction `tx_index` of indexed block `block`.
pub(crate) fn emitted(block: &IndexedBlock, tx_index: usize, event_index: usize) -> EmittedEvent {
	let tx = &block.transactions[tx_index];
	let event = &tx.receipt.events[event_index];
	EmittedEvent {
		from_address: event.from_address,
		keys: event.keys.clone(),
		data: event.data.clone(),
		block_hash: block.block_hash,
		block_number: block.number,
		transaction_hash: tx.receipt.tx_hash,
		transaction_index: tx_index as u64,
		event_index: event_index as u64,
	}
}

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// `starknet_getEvents`.
	pub(crate) async fn events(&self, filter: EventsRequest) -> Result<EventsChunk> {
		if filter.chunk_size == 0 {
			return Err(StarknetError::InvalidParams("chunk_size must be at least 1".into()));
		}
		if filter.chunk_size > MAX_EVENTS_CHUNK {
			return Err(StarknetError::PageSizeTooBig);
		}
		let keys = filter.keys.unwrap_or_default();
		if keys.iter().map(Vec::len).sum::<usize>() > MAX_FILTER_KEYS {
			return Err(StarknetError::TooManyKeysInFilter);
		}
		let from = match filter.from_block {
			Some(id) => self.number(id)?,
			None => 0,
		};
		let to = match filter.to_block {
			Some(id) => self.number(id)?,
			None => self.number(BlockId::Latest)?,
		};
		let start = match &filter.continuation_token {
			None => ContinuationToken { block: from, transaction: 0, event: 0 },
			Some(token) => ContinuationToken::parse(token, from, to)?,
		};
		let (mut block_number, mut first_tx, mut first_event) =
			(start.block, start.transaction as usize, start.event as usize);
		let mut events = Vec::new();
		// The scan stops after `max_events_blocks` blocks with a token for the next one.
		let last_scanned = block_number.saturating_add(self.limits.max_events_blocks.max(1) - 1);
		while block_number <= to {
			if block_number > last_scanned {
				let next = ContinuationToken { block: block_number, transaction: 0, event: 0 };
				return Ok(EventsChunk { events, continuation_token: Some(next.to_string()) });
			}
			let hash = self.block(BlockId::Number(block_number))?;
			let block = self.indexed_at(hash).await?;
			for (tx_index, tx) in block.transactions.iter().enumerate().skip(first_tx) {
				let skip = if tx_index == first_tx { first_event } else { 0 };
				for (event_index, event) in tx.receipt.events.iter().enumerate().skip(skip) {
					if !matches(event, filter.address.as_ref(), &keys) {
						continue;
					}
					if events.len() as u64 == filter.chunk_size {
						let next = ContinuationToken {
							block: block_number,
							transaction: tx_index as u64,
							event: event_index as u64,
						};
						return Ok(EventsChunk {
							events,
							continuation_token: Some(next.to_string()),
						});
					}
					events.push(emitted(&block, tx_index, event_index));
				}
			}
			block_number += 1;
			first_tx = 0;
			first_event = 0;
		}
		Ok(EventsChunk { events, continuation_token: None })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn continuation_tokens_round_trip() {
		for token in [
			ContinuationToken { block: 0, transaction: 0, event: 0 },
			ContinuationToken { block: 7, transaction: 3, event: 1023 },
			ContinuationToken { block: 9, transaction: u64::MAX, event: u64::MAX },
		] {
			let text = token.to_string();
			assert_eq!(ContinuationToken::parse(&text, 0, 9), Ok(token), "{text}");
		}
		assert_eq!(ContinuationToken { block: 5, transaction: 2, event: 1 }.to_string(), "5.2.1");
	}

	#[test]
	fn malformed_continuation_tokens() {
		for bad in [
			"", ".", "1", "1.2", "1.2.3.4", "a.b.c", "1..2", "1.2.", "-1.0.0", " 1.0.0", "1.0.0x",
			"0x1.0.0",
		] {
			assert_eq!(
				ContinuationToken::parse(bad, 0, 100),
				Err(StarknetError::InvalidContinuationToken),
				"{bad:?}"
			);
		}
	}

	#[test]
	fn continuation_tokens_outside_the_search() {
		assert_eq!(
			ContinuationToken::parse("4.0.0", 5, 10),
			Err(StarknetError::InvalidContinuationToken)
		);
		assert_eq!(
			ContinuationToken::parse("11.0.0", 5, 10),
			Err(StarknetError::InvalidContinuationToken)
		);
		assert!(ContinuationToken::parse("5.0.0", 5, 10).is_ok());
		assert!(ContinuationToken::parse("10.0.0", 5, 10).is_ok());
		// A search ending before it starts still accepts its first block.
		assert!(ContinuationToken::parse("5.0.0", 5, 3).is_ok());
	}

	#[test]
	fn filters() {
		let felt = |v: u128| Felt::from(v);
		let event = Event { from_address: felt(1), keys: vec![felt(10), felt(20)], data: vec![] };
		assert!(matches(&event, None, &[]));
		assert!(matches(&event, Some(&Addresses::One(felt(1))), &[]));
		assert!(!matches(&event, Some(&Addresses::One(felt(2))), &[]));
		assert!(matches(&event, Some(&Addresses::Many(vec![felt(2), felt(1)])), &[]));
		assert!(matches(&event, None, &[vec![felt(10)]]));
		assert!(matches(&event, None, &[vec![], vec![felt(30), felt(20)]]));
		assert!(!matches(&event, None, &[vec![felt(20)]]));
		assert!(!matches(&event, None, &[vec![], vec![], vec![felt(1)]]), "no third key");
		assert!(matches(&event, None, &[vec![], vec![], vec![]]), "empty lists accept anything");
	}
}

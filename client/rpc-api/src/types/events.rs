//! `starknet_getEvents`: the filter and page request, and the page of events it answers.
use super::BlockId;
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// `starknet_getEvents`' parameter: `EVENT_FILTER` and `RESULT_PAGE_REQUEST` in one object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsRequest {
	/// The first block searched (block 0 when absent).
	#[serde(default)]
	pub from_block: Option<BlockId>,
	/// The last block searched (`latest` when absent).
	#[serde(default)]
	pub to_block: Option<BlockId>,
	/// Only events of this contract or these contracts.
	#[serde(default)]
	pub address: Option<Addresses>,
	/// Per key position, the keys accepted there (an empty list accepts any).
	#[serde(default)]
	pub keys: Option<Vec<Vec<Felt>>>,
	/// Where the page starts: a previous page's `continuation_token`.
	#[serde(default)]
	pub continuation_token: Option<String>,
	/// The most events in the page.
	pub chunk_size: u64,
}

/// One address or a list of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Addresses {
	/// One address.
	One(Felt),
	/// Any of several.
	Many(Vec<Felt>),
}

impl Addresses {
	/// Whether `address` is one of them.
	pub fn contains(&self, address: &Felt) -> bool {
		match self {
			Addresses::One(one) => one == address,
			Addresses::Many(many) => many.contains(address),
		}
	}
}

/// `EMITTED_EVENT`: an event and where it was emitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmittedEvent {
	/// The emitting contract.
	pub from_address: Felt,
	/// The keys.
	pub keys: Vec<Felt>,
	/// The data.
	pub data: Vec<Felt>,
	/// The block's Starknet hash.
	pub block_hash: Felt,
	/// The block's number.
	pub block_number: u64,
	/// The emitting transaction.
	pub transaction_hash: Felt,
	/// The transaction's position in its block.
	pub transaction_index: u64,
	/// The event's position among its transaction's events.
	pub event_index: u64,
}

/// `EVENTS_CHUNK`: answer of `starknet_getEvents`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsChunk {
	/// The page's events.
	pub events: Vec<EmittedEvent>,
	/// Where the next page starts; absent on the last page.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub continuation_token: Option<String>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn request_forms() {
		let request: EventsRequest = serde_json::from_value(json!({
			"from_block": { "block_number": 1 },
			"to_block": "latest",
			"address": "0x5",
			"keys": [[], ["0x1", "0x2"]],
			"chunk_size": 10,
		}))
		.unwrap();
		assert_eq!(request.from_block, Some(BlockId::Number(1)));
		assert_eq!(request.to_block, Some(BlockId::Latest));
		assert!(request.address.as_ref().unwrap().contains(&Felt::from(5u128)));
		assert_eq!(request.continuation_token, None);
		let many: EventsRequest =
			serde_json::from_value(json!({ "address": ["0x5", "0x6"], "chunk_size": 1 })).unwrap();
		assert!(many.address.as_ref().unwrap().contains(&Felt::from(6u128)));
		assert!(!many.address.as_ref().unwrap().contains(&Felt::from(7u128)));
		assert!(serde_json::from_value::<EventsRequest>(json!({ "chunk_size": 1, "extra": 1 }))
			.is_err());
		assert!(serde_json::from_value::<EventsRequest>(json!({})).is_err());
	}

	#[test]
	fn chunk_json() {
		let event = EmittedEvent {
			from_address: Felt::from(1u128),
			keys: vec![Felt::from(2u128)],
			data: vec![Felt::from(3u128)],
			block_hash: Felt::from(4u128),
			block_number: 5,
			transaction_hash: Felt::from(6u128),
			transaction_index: 7,
			event_index: 8,
		};
		let last = EventsChunk { events: vec![event.clone()], continuation_token: None };
		assert_eq!(
			serde_json::to_value(&last).unwrap(),
			json!({ "events": [{
				"from_address": "0x1",
				"keys": ["0x2"],
				"data": ["0x3"],
				"block_hash": "0x4",
				"block_number": 5,
				"transaction_hash": "0x6",
				"transaction_index": 7,
				"event_index": 8,
			}] })
		);
		let more = EventsChunk { events: vec![event], continuation_token: Some("5.7.9".into()) };
		assert_eq!(serde_json::to_value(&more).unwrap()["continuation_token"], "5.7.9");
	}
}

//! `BLOCK_ID`: which block a request reads.
use cairn_primitives::starknet::Felt;
use serde::{Deserialize, Serialize};

/// `BLOCK_ID`: a tag, a block number or a block hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockId {
	/// The newest block.
	Latest,
	/// The block being built (`pre_confirmed`): the next block number, nothing executed in it
	/// yet (Cairn executes transactions when it seals a block); its state is the newest block's.
	PreConfirmed,
	/// `l1_accepted`: Cairn has no L1; its finalized block stands for it.
	L1Accepted,
	/// `{"block_number": n}`.
	Number(u64),
	/// `{"block_hash": h}`: a Starknet block hash.
	Hash(Felt),
}

/// `BLOCK_ID`'s JSON forms.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Raw {
	Tag(String),
	Number { block_number: u64 },
	Hash { block_hash: Felt },
}

impl<'de> Deserialize<'de> for BlockId {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		match Raw::deserialize(deserializer)? {
			Raw::Tag(tag) => match tag.as_str() {
				"latest" => Ok(BlockId::Latest),
				"pre_confirmed" => Ok(BlockId::PreConfirmed),
				"l1_accepted" => Ok(BlockId::L1Accepted),
				other => Err(serde::de::Error::custom(format!(
					"unknown block tag {} (expected latest, pre_confirmed or l1_accepted)",
					cairn_primitives::starknet::Quoted(other)
				))),
			},
			Raw::Number { block_number } => Ok(BlockId::Number(block_number)),
			Raw::Hash { block_hash } => Ok(BlockId::Hash(block_hash)),
		}
	}
}

impl Serialize for BlockId {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		let raw = match *self {
			BlockId::Latest => Raw::Tag("latest".into()),
			BlockId::PreConfirmed => Raw::Tag("pre_confirmed".into()),
			BlockId::L1Accepted => Raw::Tag("l1_accepted".into()),
			BlockId::Number(block_number) => Raw::Number { block_number },
			BlockId::Hash(block_hash) => Raw::Hash { block_hash },
		};
		raw.serialize(serializer)
	}
}

#[cfg(test)]
mod tests {
	use super::BlockId;
	use cairn_primitives::starknet::Felt;
	use serde_json::{json, Value};

	fn parse(value: Value) -> Result<BlockId, serde_json::Error> {
		serde_json::from_value(value)
	}

	#[test]
	fn tags() {
		assert_eq!(parse(json!("latest")).unwrap(), BlockId::Latest);
		assert_eq!(parse(json!("pre_confirmed")).unwrap(), BlockId::PreConfirmed);
		assert_eq!(parse(json!("l1_accepted")).unwrap(), BlockId::L1Accepted);
	}

	#[test]
	fn numbers_and_hashes() {
		assert_eq!(parse(json!({ "block_number": 0 })).unwrap(), BlockId::Number(0));
		assert_eq!(parse(json!({ "block_number": u64::MAX })).unwrap(), BlockId::Number(u64::MAX));
		assert_eq!(
			parse(json!({ "block_hash": "0x1234abcd" })).unwrap(),
			BlockId::Hash(Felt::from(0x1234abcd_u128))
		);
	}

	#[test]
	fn bad_input_is_refused() {
		for bad in [
			json!("pending"),
			json!("Latest"),
			json!(""),
			json!(7),
			json!(null),
			json!([]),
			json!({}),
			json!({ "block_number": -1 }),
			json!({ "block_number": "0x1" }),
			json!({ "block_hash": 5 }),
			json!({ "block_hash": "1234" }),
			json!({ "block_hash": "0x" }),
			// The field prime itself is not a felt.
			json!({ "block_hash": "0x800000000000011000000000000000000000000000000000000000000000001" }),
		] {
			assert!(parse(bad.clone()).is_err(), "{bad} must be refused");
		}
		let unknown = parse(json!("pending")).unwrap_err().to_string();
		assert!(unknown.contains("unknown block tag `pending`"), "{unknown}");
	}

	#[test]
	fn serializes_back_to_the_spec_forms() {
		for id in [
			BlockId::Latest,
			BlockId::PreConfirmed,
			BlockId::L1Accepted,
			BlockId::Number(42),
			BlockId::Hash(Felt::from(0xabc_u128)),
		] {
			let json = serde_json::to_value(id).unwrap();
			assert_eq!(parse(json).unwrap(), id);
		}
		assert_eq!(
			serde_json::to_value(BlockId::Number(42)).unwrap(),
			json!({ "block_number": 42 })
		);
		assert_eq!(
			serde_json::to_value(BlockId::Hash(Felt::from(0xabc_u128))).unwrap(),
			json!({ "block_hash": "0xabc" })
		);
	}
}

//! The journal's file format: a sequence of records, each
//!
//! ```text
//! length: u32 LE   (of the body)
//! crc32:  u32 LE   (of the body)
//! body:   kind u8 (1: acknowledged, 2: forgotten) · key length u8 · key · payload (kind 1 only)
//! ```
//!
//! A crash can leave the last record torn (a short write) or, after a power loss, garbage past
//! the last synced byte: reading stops at the first record whose length runs past the end or
//! whose checksum fails, and everything before it counts.

/// Bytes before a record's body.
pub const HEADER: usize = 8;

/// The largest body read back: larger lengths are garbage (a Starknet declare, the largest
/// transaction, is bounded far below by the pool's limits).
pub const MAX_BODY: usize = 256 << 20;

/// What a record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
	/// The transaction `key` was acknowledged; `payload` is what replaying it needs.
	Acknowledged { key: Vec<u8>, payload: Vec<u8> },
	/// The transaction `key` is settled (finalized or refused): nothing to replay.
	Forgotten { key: Vec<u8> },
}

const ACKNOWLEDGED: u8 = 1;
const FORGOTTEN: u8 = 2;

impl Record {
	/// The record's bytes, header included. Keys are at most 255 bytes.
	pub fn encode(&self) -> Vec<u8> {
		let (kind, key, payload): (u8, &[u8], &[u8]) = match self {
			Record::Acknowledged { key, payload } => (ACKNOWLEDGED, key, payload),
			Record::Forgotten { key } => (FORGOTTEN, key, &[]),
		};
		assert!(key.len() <= u8::MAX as usize, "journal keys are at most 255 bytes");
		let body_len = 2 + key.len() + payload.len();
		let mut bytes = Vec::with_capacity(HEADER + body_len);
		bytes.extend_from_slice(&(body_len as u32).to_le_bytes());
		bytes.extend_from_slice(&[0; 4]);
		bytes.push(kind);
		bytes.push(key.len() as u8);
		bytes.extend_from_slice(key);
		bytes.extend_from_slice(payload);
		let crc = crc32fast::hash(&bytes[HEADER..]);
		bytes[4..HEADER].copy_from_slice(&crc.to_le_bytes());
		bytes
	}

	/// The record at the start of `bytes` and its length, or `None` if there is no whole, intact
	/// record there.
	pub fn decode(bytes: &[u8]) -> Option<(Record, usize)> {
		let length = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
		let crc = u32::from_le_bytes(bytes.get(4..HEADER)?.try_into().ok()?);
		if length > MAX_BODY {
			return None;
		}
		let body = bytes.get(HEADER..HEADER + length)?;
		if crc32fast::hash(body) != crc {
			return None;
		}
		let (&kind, rest) = body.split_first()?;
		let (&key_len, rest) = rest.split_first()?;
		let key = rest.get(..key_len as usize)?.to_vec();
		let payload = &rest[key_len as usize..];
		let record = match kind {
			ACKNOWLEDGED => Record::Acknowledged { key, payload: payload.to_vec() },
			FORGOTTEN if payload.is_empty() => Record::Forgotten { key },
			_ => return None,
		};
		Some((record, HEADER + length))
	}
}

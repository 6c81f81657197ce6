//! Unsigned integers as the spec writes `u64`, `u128` and `NUM_AS_HEX`: `0x`-prefixed hex.
use serde::{Deserialize, Serialize};

/// An unsigned integer written as `0x`-prefixed lowercase hex without leading zeros.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hex(pub u128);

impl From<u64> for Hex {
	fn from(value: u64) -> Self {
		Hex(value.into())
	}
}

impl From<u128> for Hex {
	fn from(value: u128) -> Self {
		Hex(value)
	}
}

impl Serialize for Hex {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(&format_args!("{:#x}", self.0))
	}
}

impl<'de> Deserialize<'de> for Hex {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = String::deserialize(deserializer)?;
		let digits = text
			.strip_prefix("0x")
			.ok_or_else(|| serde::de::Error::custom("expected 0x-prefixed hex"))?;
		u128::from_str_radix(digits, 16).map(Hex).map_err(serde::de::Error::custom)
	}
}

#[cfg(test)]
mod tests {
	use super::Hex;

	#[test]
	fn hex_is_lowercase_without_leading_zeros() {
		assert_eq!(serde_json::to_value(Hex(0)).unwrap(), "0x0");
		assert_eq!(serde_json::to_value(Hex(0xABCDEF)).unwrap(), "0xabcdef");
		assert_eq!(serde_json::to_value(Hex(u128::MAX)).unwrap(), format!("{:#x}", u128::MAX));
		assert_eq!(serde_json::from_value::<Hex>("0x00ff".into()).unwrap(), Hex(255));
		assert!(serde_json::from_value::<Hex>("ff".into()).is_err());
		assert!(serde_json::from_value::<Hex>(serde_json::json!(255)).is_err());
	}
}

//! `FEE_ESTIMATE` (and `MESSAGE_FEE_ESTIMATE`, the same shape in WEI).
use super::{Hex, PriceUnit};
use cairn_primitives::starknet::exec::GasVector;
use serde::{Deserialize, Serialize};

/// `FEE_ESTIMATE`: gas a transaction consumes, the prices and the overall fee.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FeeEstimate {
	/// `u64`: L1 gas consumed.
	pub l1_gas_consumed: Hex,
	/// `u128`: the L1 gas price.
	pub l1_gas_price: Hex,
	/// `u64`: L2 gas consumed.
	pub l2_gas_consumed: Hex,
	/// `u128`: the L2 gas price.
	pub l2_gas_price: Hex,
	/// `u64`: L1 data gas consumed.
	pub l1_data_gas_consumed: Hex,
	/// `u128`: the L1 data gas price.
	pub l1_data_gas_price: Hex,
	/// `u128`: Σ consumed × price.
	pub overall_fee: Hex,
	/// `FRI` for transactions (only V3 ones exist), `WEI` for L1 messages.
	pub unit: PriceUnit,
}

impl FeeEstimate {
	/// The estimate of `gas` at `(l1, l1_data, l2)` prices in `unit`, with the spec's
	/// `overall_fee = Σ consumed × price` (saturating).
	pub fn new(gas: GasVector, (l1, l1_data, l2): (u128, u128, u128), unit: PriceUnit) -> Self {
		let cost = |amount: u64, price: u128| u128::from(amount).saturating_mul(price);
		let overall_fee = cost(gas.l1_gas, l1)
			.saturating_add(cost(gas.l1_data_gas, l1_data))
			.saturating_add(cost(gas.l2_gas, l2));
		FeeEstimate {
			l1_gas_consumed: gas.l1_gas.into(),
			l1_gas_price: Hex(l1),
			l2_gas_consumed: gas.l2_gas.into(),
			l2_gas_price: Hex(l2),
			l1_data_gas_consumed: gas.l1_data_gas.into(),
			l1_data_gas_price: Hex(l1_data),
			overall_fee: Hex(overall_fee),
			unit,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn estimate_json() {
		let gas = GasVector { l1_gas: 1, l1_data_gas: 2, l2_gas: 3 };
		let estimate = FeeEstimate::new(gas, (10, 100, 1000), PriceUnit::Fri);
		assert_eq!(
			serde_json::to_value(&estimate).unwrap(),
			json!({
				"l1_gas_consumed": "0x1",
				"l1_gas_price": "0xa",
				"l2_gas_consumed": "0x3",
				"l2_gas_price": "0x3e8",
				"l1_data_gas_consumed": "0x2",
				"l1_data_gas_price": "0x64",
				"overall_fee": format!("{:#x}", 10 + 200 + 3000),
				"unit": "FRI",
			})
		);
		let huge = FeeEstimate::new(gas, (u128::MAX, 0, 0), PriceUnit::Wei);
		assert_eq!(huge.overall_fee, Hex(u128::MAX), "saturates");
		assert_eq!(serde_json::to_value(&huge).unwrap()["unit"], "WEI");
	}
}

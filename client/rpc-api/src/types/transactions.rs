//! Transactions: `TXN` (with its hash) as blocks and lookups answer them, broadcasted
//! transactions as wallets send them, and the answers of the `starknet_add…Transaction` methods.
use super::Hex;
use cairn_primitives::starknet::{
	self as primitives, DataAvailabilityMode, DeclareTransactionV3, DeployAccountTransactionV3,
	Felt, InvokeTransactionV3, L1HandlerTransaction, Transaction, ValidResourceBounds,
};
use serde::{Deserialize, Serialize};

/// `RESOURCE_BOUNDS`: the most a transaction may use of one resource, and pay per unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceBounds {
	/// `u64`: units of the resource.
	pub max_amount: Hex,
	/// `u128`: price per unit.
	pub max_price_per_unit: Hex,
}

impl From<primitives::ResourceBounds> for ResourceBounds {
	fn from(bounds: primitives::ResourceBounds) -> Self {
		ResourceBounds {
			max_amount: bounds.max_amount.into(),
			max_price_per_unit: bounds.max_price_per_unit.into(),
		}
	}
}

/// `RESOURCE_BOUNDS_MAPPING`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceBoundsMapping {
	/// L1 gas.
	pub l1_gas: ResourceBounds,
	/// L1 data (blob) gas.
	pub l1_data_gas: ResourceBounds,
	/// L2 gas.
	pub l2_gas: ResourceBounds,
}

impl From<&ValidResourceBounds> for ResourceBoundsMapping {
	/// Bounds signed before Starknet 0.13.3 (L1 gas only) have zero L2 and L1 data gas bounds.
	fn from(bounds: &ValidResourceBounds) -> Self {
		let (l1_gas, l2_gas, l1_data_gas) = match *bounds {
			ValidResourceBounds::AllResources { l1_gas, l2_gas, l1_data_gas } => {
				(l1_gas, l2_gas, l1_data_gas)
			}
			ValidResourceBounds::L1Gas(l1_gas) => {
				let zero = primitives::ResourceBounds { max_amount: 0, max_price_per_unit: 0 };
				(l1_gas, zero, zero)
			}
		};
		ResourceBoundsMapping {
			l1_gas: l1_gas.into(),
			l1_data_gas: l1_data_gas.into(),
			l2_gas: l2_gas.into(),
		}
	}
}

/// `DA_MODE`: where a transaction's nonce or fee state lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DaMode {
	/// On L1.
	L1,
	/// On L2.
	L2,
}

impl From<DataAvailabilityMode> for DaMode {
	fn from(mode: DataAvailabilityMode) -> Self {
		match mode {
			DataAvailabilityMode::L1 => DaMode::L1,
			DataAvailabilityMode::L2 => DaMode::L2,
		}
	}
}

/// `INVOKE_TXN_V3` (without its `type`, which [`Txn`] carries).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvokeTxnV3 {
	/// The account sending it.
	pub sender_address: Felt,
	/// The account's `__execute__` calldata.
	pub calldata: Vec<Felt>,
	/// Always `0x3`.
	pub version: Felt,
	/// The account's signature.
	pub signature: Vec<Felt>,
	/// The account's nonce.
	pub nonce: Felt,
	/// The resource bounds.
	pub resource_bounds: ResourceBoundsMapping,
	/// `u64`: the tip.
	pub tip: Hex,
	/// Paymaster data (empty: no paymaster).
	pub paymaster_data: Vec<Felt>,
	/// Account deployment data (empty).
	pub account_deployment_data: Vec<Felt>,
	/// Where the nonce lives.
	pub nonce_data_availability_mode: DaMode,
	/// Where the fee is paid.
	pub fee_data_availability_mode: DaMode,
	/// Proofs of facts the transaction relies on; omitted when there are none.
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub proof_facts: Vec<Felt>,
}

impl From<&InvokeTransactionV3> for InvokeTxnV3 {
	fn from(tx: &InvokeTransactionV3) -> Self {
		InvokeTxnV3 {
			sender_address: tx.sender_address,
			calldata: tx.calldata.clone(),
			version: Felt::from(3u128),
			signature: tx.signature.clone(),
			nonce: tx.nonce,
			resource_bounds: (&tx.resource_bounds).into(),
			tip: tx.tip.into(),
			paymaster_data: tx.paymaster_data.clone(),
			account_deployment_data: tx.account_deployment_data.clone(),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
			proof_facts: tx.proof_facts.clone(),
		}
	}
}

/// `DECLARE_TXN_V3` (without its `type`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclareTxnV3 {
	/// The account declaring.
	pub sender_address: Felt,
	/// The compiled class hash the account signed.
	pub compiled_class_hash: Felt,
	/// Always `0x3`.
	pub version: Felt,
	/// The account's signature.
	pub signature: Vec<Felt>,
	/// The account's nonce.
	pub nonce: Felt,
	/// The declared class's hash.
	pub class_hash: Felt,
	/// The resource bounds.
	pub resource_bounds: ResourceBoundsMapping,
	/// `u64`: the tip.
	pub tip: Hex,
	/// Paymaster data.
	pub paymaster_data: Vec<Felt>,
	/// Account deployment data.
	pub account_deployment_data: Vec<Felt>,
	/// Where the nonce lives.
	pub nonce_data_availability_mode: DaMode,
	/// Where the fee is paid.
	pub fee_data_availability_mode: DaMode,
}

impl From<&DeclareTransactionV3> for DeclareTxnV3 {
	fn from(tx: &DeclareTransactionV3) -> Self {
		DeclareTxnV3 {
			sender_address: tx.sender_address,
			compiled_class_hash: tx.compiled_class_hash,
			version: Felt::from(3u128),
			signature: tx.signature.clone(),
			nonce: tx.nonce,
			class_hash: tx.class_hash,
			resource_bounds: (&tx.resource_bounds).into(),
			tip: tx.tip.into(),
			paymaster_data: tx.paymaster_data.clone(),
			account_deployment_data: tx.account_deployment_data.clone(),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
		}
	}
}

/// `DEPLOY_ACCOUNT_TXN_V3` (without its `type`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployAccountTxnV3 {
	/// The new account's signature.
	pub signature: Vec<Felt>,
	/// The nonce (0).
	pub nonce: Felt,
	/// The salt of the new account's address.
	pub contract_address_salt: Felt,
	/// The account constructor's calldata.
	pub constructor_calldata: Vec<Felt>,
	/// The account's class.
	pub class_hash: Felt,
	/// Always `0x3`.
	pub version: Felt,
	/// The resource bounds.
	pub resource_bounds: ResourceBoundsMapping,
	/// `u64`: the tip.
	pub tip: Hex,
	/// Paymaster data.
	pub paymaster_data: Vec<Felt>,
	/// Where the nonce lives.
	pub nonce_data_availability_mode: DaMode,
	/// Where the fee is paid.
	pub fee_data_availability_mode: DaMode,
}

impl From<&DeployAccountTransactionV3> for DeployAccountTxnV3 {
	fn from(tx: &DeployAccountTransactionV3) -> Self {
		DeployAccountTxnV3 {
			signature: tx.signature.clone(),
			nonce: tx.nonce,
			contract_address_salt: tx.contract_address_salt,
			constructor_calldata: tx.constructor_calldata.clone(),
			class_hash: tx.class_hash,
			version: Felt::from(3u128),
			resource_bounds: (&tx.resource_bounds).into(),
			tip: tx.tip.into(),
			paymaster_data: tx.paymaster_data.clone(),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
		}
	}
}

/// `L1_HANDLER_TXN` (without its `type`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct L1HandlerTxn {
	/// Always `0x0`.
	pub version: Felt,
	/// The L1 message's nonce.
	pub nonce: Felt,
	/// The L2 contract the message is for.
	pub contract_address: Felt,
	/// Its L1 handler.
	pub entry_point_selector: Felt,
	/// The L1 sender, then the payload.
	pub calldata: Vec<Felt>,
}

impl From<&L1HandlerTransaction> for L1HandlerTxn {
	fn from(tx: &L1HandlerTransaction) -> Self {
		L1HandlerTxn {
			version: Felt::ZERO,
			nonce: tx.nonce,
			contract_address: tx.contract_address,
			entry_point_selector: tx.entry_point_selector,
			calldata: tx.calldata.clone(),
		}
	}
}

/// `TXN`: the transaction kinds Cairn executes, told apart by `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Txn {
	/// `INVOKE`.
	#[serde(rename = "INVOKE")]
	Invoke(InvokeTxnV3),
	/// `DECLARE`.
	#[serde(rename = "DECLARE")]
	Declare(DeclareTxnV3),
	/// `DEPLOY_ACCOUNT`.
	#[serde(rename = "DEPLOY_ACCOUNT")]
	DeployAccount(DeployAccountTxnV3),
	/// `L1_HANDLER`.
	#[serde(rename = "L1_HANDLER")]
	L1Handler(L1HandlerTxn),
}

impl From<&Transaction> for Txn {
	fn from(tx: &Transaction) -> Self {
		match tx {
			Transaction::Invoke(tx) => Txn::Invoke(tx.into()),
			Transaction::Declare(tx) => Txn::Declare(tx.into()),
			Transaction::DeployAccount(tx) => Txn::DeployAccount(tx.into()),
			Transaction::L1Handler(tx) => Txn::L1Handler(tx.into()),
		}
	}
}

/// `TXN_WITH_HASH`: a transaction and its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnWithHash {
	/// The transaction.
	#[serde(flatten)]
	pub transaction: Txn,
	/// Its hash.
	pub transaction_hash: Felt,
}

impl TxnWithHash {
	/// `tx` with its hash `hash`.
	pub fn new(tx: &Transaction, hash: Felt) -> Self {
		TxnWithHash { transaction: tx.into(), transaction_hash: hash }
	}
}

/// A broadcasted transaction (`BROADCASTED_TXN`, or one of its kinds), as the client sent it.
///
/// It is parsed only once the method knows what it expects (`cairn-rpc` uses `starknet_api`'s
/// RPC types), so that the answers are the spec's errors — UNSUPPORTED_TX_VERSION for a version
/// other than 3, invalid params for another `type` or a malformed field — not a parse failure of
/// the whole request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BroadcastedTxn(pub serde_json::Value);

impl BroadcastedTxn {
	/// Its `type`, if a string.
	pub fn ty(&self) -> Option<&str> {
		self.0.get("type").and_then(serde_json::Value::as_str)
	}

	/// Its `version`, if a string.
	pub fn version(&self) -> Option<&str> {
		self.0.get("version").and_then(serde_json::Value::as_str)
	}
}

/// Answer of `starknet_addInvokeTransaction`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddInvokeResult {
	/// The transaction's hash.
	pub transaction_hash: Felt,
}

/// Answer of `starknet_addDeclareTransaction`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddDeclareResult {
	/// The transaction's hash.
	pub transaction_hash: Felt,
	/// The declared class's hash.
	pub class_hash: Felt,
}

/// Answer of `starknet_addDeployAccountTransaction`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddDeployAccountResult {
	/// The transaction's hash.
	pub transaction_hash: Felt,
	/// The address of the account it deploys.
	pub contract_address: Felt,
}

/// The spec's `RESOURCE_BOUNDS_MAPPING` of V3 resource bounds, as JSON (for clients and tests
/// building requests).
pub fn resource_bounds_json(bounds: &ValidResourceBounds) -> serde_json::Value {
	json(ResourceBoundsMapping::from(bounds))
}

/// The spec's `BROADCASTED_INVOKE_TXN` of a V3 invoke, as JSON: what a wallet sends to
/// `starknet_addInvokeTransaction` (without `proof_facts`).
pub fn invoke_json(tx: &InvokeTransactionV3) -> serde_json::Value {
	json(Txn::Invoke(InvokeTxnV3 { proof_facts: Vec::new(), ..InvokeTxnV3::from(tx) }))
}

/// The spec's `BROADCASTED_DECLARE_TXN` of a V3 declare, as JSON: a declare's fields with the
/// class itself (`contract_class`: the Sierra class as JSON) where a declared one has its hash.
pub fn declare_json(
	tx: &DeclareTransactionV3,
	contract_class: serde_json::Value,
) -> serde_json::Value {
	let mut value = json(Txn::Declare(DeclareTxnV3::from(tx)));
	if let Some(fields) = value.as_object_mut() {
		fields.remove("class_hash");
		fields.insert("contract_class".into(), contract_class);
	}
	value
}

/// The spec's `BROADCASTED_DEPLOY_ACCOUNT_TXN` of a V3 deploy-account, as JSON.
pub fn deploy_account_json(tx: &DeployAccountTransactionV3) -> serde_json::Value {
	json(Txn::DeployAccount(DeployAccountTxnV3::from(tx)))
}

fn json(value: impl Serialize) -> serde_json::Value {
	// Structs of strings, numbers and arrays: serializing them to a JSON value cannot fail.
	serde_json::to_value(value).expect("plain JSON data serializes")
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn bounds() -> ValidResourceBounds {
		let b = |max_amount, max_price_per_unit| primitives::ResourceBounds {
			max_amount,
			max_price_per_unit,
		};
		ValidResourceBounds::AllResources {
			l1_gas: b(0, 0x10),
			l2_gas: b(0x1_0000, 0x3b9a_ca00),
			l1_data_gas: b(0x80, 0x20),
		}
	}

	fn invoke() -> InvokeTransactionV3 {
		InvokeTransactionV3 {
			resource_bounds: bounds(),
			tip: 0x10,
			signature: vec![Felt::from(1u128), Felt::from(2u128)],
			nonce: Felt::from(7u128),
			sender_address: Felt::from(0xabcu128),
			calldata: vec![Felt::from(0xdu128)],
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L2,
			paymaster_data: vec![],
			account_deployment_data: vec![],
			proof_facts: vec![Felt::from(9u128)],
		}
	}

	#[test]
	fn resource_bounds_mapping_json() {
		assert_eq!(
			resource_bounds_json(&bounds()),
			json!({
				"l1_gas": { "max_amount": "0x0", "max_price_per_unit": "0x10" },
				"l1_data_gas": { "max_amount": "0x80", "max_price_per_unit": "0x20" },
				"l2_gas": { "max_amount": "0x10000", "max_price_per_unit": "0x3b9aca00" },
			})
		);
		let old = ValidResourceBounds::L1Gas(primitives::ResourceBounds {
			max_amount: 5,
			max_price_per_unit: 6,
		});
		let zero = json!({ "max_amount": "0x0", "max_price_per_unit": "0x0" });
		assert_eq!(
			resource_bounds_json(&old),
			json!({
				"l1_gas": { "max_amount": "0x5", "max_price_per_unit": "0x6" },
				"l1_data_gas": zero,
				"l2_gas": zero,
			})
		);
	}

	#[test]
	fn broadcasted_invoke_json() {
		assert_eq!(
			invoke_json(&invoke()),
			json!({
				"type": "INVOKE",
				"version": "0x3",
				"sender_address": "0xabc",
				"calldata": ["0xd"],
				"signature": ["0x1", "0x2"],
				"nonce": "0x7",
				"resource_bounds": resource_bounds_json(&bounds()),
				"tip": "0x10",
				"paymaster_data": [],
				"account_deployment_data": [],
				"nonce_data_availability_mode": "L1",
				"fee_data_availability_mode": "L2",
			})
		);
	}

	#[test]
	fn broadcasted_declare_and_deploy_account_json() {
		let declare = DeclareTransactionV3 {
			resource_bounds: bounds(),
			tip: 0,
			signature: vec![Felt::from(1u128)],
			nonce: Felt::from(2u128),
			class_hash: Felt::from(0xc1u128),
			compiled_class_hash: Felt::from(0xc2u128),
			sender_address: Felt::from(0xabcu128),
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
			account_deployment_data: vec![],
		};
		let class = json!({ "sierra_program": ["0x1"], "abi": "[]" });
		assert_eq!(
			declare_json(&declare, class.clone()),
			json!({
				"type": "DECLARE",
				"version": "0x3",
				"sender_address": "0xabc",
				"compiled_class_hash": "0xc2",
				"signature": ["0x1"],
				"nonce": "0x2",
				"contract_class": class,
				"resource_bounds": resource_bounds_json(&bounds()),
				"tip": "0x0",
				"paymaster_data": [],
				"account_deployment_data": [],
				"nonce_data_availability_mode": "L1",
				"fee_data_availability_mode": "L1",
			})
		);
		let deploy = DeployAccountTransactionV3 {
			resource_bounds: bounds(),
			tip: 0,
			signature: vec![Felt::from(1u128)],
			nonce: Felt::ZERO,
			class_hash: Felt::from(0xc1u128),
			contract_address_salt: Felt::from(0x5u128),
			constructor_calldata: vec![Felt::from(0x6u128)],
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
		};
		assert_eq!(
			deploy_account_json(&deploy),
			json!({
				"type": "DEPLOY_ACCOUNT",
				"version": "0x3",
				"signature": ["0x1"],
				"nonce": "0x0",
				"contract_address_salt": "0x5",
				"constructor_calldata": ["0x6"],
				"class_hash": "0xc1",
				"resource_bounds": resource_bounds_json(&bounds()),
				"tip": "0x0",
				"paymaster_data": [],
				"nonce_data_availability_mode": "L1",
				"fee_data_availability_mode": "L1",
			})
		);
	}

	#[test]
	fn transactions_with_hashes() {
		let hash = Felt::from(0x99u128);
		let mut expected = invoke_json(&invoke());
		expected["proof_facts"] = json!(["0x9"]);
		expected["transaction_hash"] = json!("0x99");
		let tx = Transaction::Invoke(invoke());
		assert_eq!(serde_json::to_value(TxnWithHash::new(&tx, hash)).unwrap(), expected);
		let without_proofs =
			Transaction::Invoke(InvokeTransactionV3 { proof_facts: vec![], ..invoke() });
		let json = serde_json::to_value(TxnWithHash::new(&without_proofs, hash)).unwrap();
		assert!(json.get("proof_facts").is_none(), "empty proof facts are omitted");

		let l1 = Transaction::L1Handler(L1HandlerTransaction {
			version: Felt::ZERO,
			nonce: Felt::from(1u128),
			contract_address: Felt::from(2u128),
			entry_point_selector: Felt::from(3u128),
			calldata: vec![Felt::from(4u128)],
		});
		assert_eq!(
			serde_json::to_value(TxnWithHash::new(&l1, hash)).unwrap(),
			json!({
				"type": "L1_HANDLER",
				"version": "0x0",
				"nonce": "0x1",
				"contract_address": "0x2",
				"entry_point_selector": "0x3",
				"calldata": ["0x4"],
				"transaction_hash": "0x99",
			})
		);
		// And back.
		let parsed: TxnWithHash = serde_json::from_value(expected).unwrap();
		assert_eq!(parsed, TxnWithHash::new(&tx, hash));
	}
}

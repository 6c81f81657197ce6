//! Contracts of the tests on a real node: a class declared by a development account, then an
//! instance deployed through the Universal Deployer, its address read from the UDC's
//! `ContractDeployed` event as a wallet reads it.
use cairn_primitives::starknet::{
	genesis::{well_known, GenesisClass},
	Felt, ValidResourceBounds,
};
use serde_json::{json, Value};

use super::{
	node::{params, Node},
	starknet::{broadcasted_json, declare, invoke, invoke_json, tx_hash, Account, Call},
};

/// Declares `class` from `account` at `nonce`; its receipt must say SUCCEEDED.
pub async fn declare_class(node: &Node, account: &Account, nonce: u128, class: &GenesisClass) {
	let (declare, hash) = declare(account, nonce, class.class_hash, class.compiled_class_hash);
	node.rpc(
		"starknet_addDeclareTransaction",
		params(vec![broadcasted_json(&declare, Some(&class.sierra))]),
	)
	.await;
	let receipt = node.receipt(hash).await;
	assert_eq!(receipt["execution_status"], "SUCCEEDED", "the declaration: {receipt}");
}

/// Deploys `class_hash` through the UDC from `account` at `nonce` (not unique, the given salt and
/// constructor calldata, `bounds`): the deployment's receipt and the new contract's address.
pub async fn deploy_through_udc(
	node: &Node,
	account: &Account,
	nonce: u128,
	class_hash: Felt,
	salt: Felt,
	constructor: &[Felt],
	bounds: ValidResourceBounds,
) -> (Value, Felt) {
	let udc = Felt::from_hex(well_known::UDC).unwrap();
	let mut calldata = vec![class_hash, salt, Felt::ZERO, Felt::from(constructor.len() as u128)];
	calldata.extend_from_slice(constructor);
	let deploy = invoke(
		account,
		nonce,
		&[Call { to: udc, entry_point: "deploy_contract", calldata }],
		bounds,
	);
	node.rpc("starknet_addInvokeTransaction", params(vec![invoke_json(&deploy)])).await;
	let receipt = node.receipt(tx_hash(&deploy)).await;
	assert_eq!(receipt["execution_status"], "SUCCEEDED", "the deployment: {receipt}");
	let event = receipt["events"]
		.as_array()
		.unwrap()
		.iter()
		.find(|e| e["from_address"] == json!(udc))
		.expect("the UDC's ContractDeployed event");
	let address = Felt::from_hex(event["data"][0].as_str().unwrap()).unwrap();
	(receipt, address)
}

//! The chain's engine — the Cairo VM or Cairo Native (`--engine vm|native` for the built-in specs,
//! `new-chain --engine`) — on real `cairn --dev` nodes:
//! - `both_engines_compute_the_same_chain`: one scenario, sent to a node of each engine in
//!   lockstep, with classes of Sierra 1.9.5 that Cairo Native runs (StarkWare's example account
//!   and test contract, from crates.io's cairo-lang-starknet test data): two declares, a
//!   deploy_account of the new account class, a UDC deployment, a multicall (transfer, storage,
//!   a dictionary), reverts (an inner call to a missing entry point, a library call of an
//!   undeclared class, a transfer beyond the balance, a missing entry point), a refused forged
//!   signature, a fee estimate, a simulation, calls and traces. Every receipt (fee, gas,
//!   resources, events, messages, status, revert reason), every block's state diff and state
//!   root, and every answer must be the same on both nodes, but for what the engines word
//!   differently (listed in the test, each one checked as such).
mod common;

use cairn_primitives::starknet::{
	genesis::{well_known, GenesisClass},
	DataAvailabilityMode, DeployAccountTransactionV3, Felt, Transaction,
};
use common::*;
use serde_json::{json, Value};

/// A node of each engine, sent the same requests.
struct Pair {
	vm: Node,
	native: Node,
	/// The answers that differed by the VM's frames only.
	differences: std::sync::Mutex<Vec<String>>,
}

/// `value` without the fields named in `drop` (at any depth).
fn without(value: &Value, drop: &[&str]) -> Value {
	match value {
		Value::Object(map) => Value::Object(
			map.iter()
				.filter(|(key, _)| !drop.contains(&key.as_str()))
				.map(|(key, value)| (key.clone(), without(value, drop)))
				.collect(),
		),
		Value::Array(items) => Value::Array(items.iter().map(|v| without(v, drop)).collect()),
		other => other.clone(),
	}
}

impl Pair {
	async fn start() -> Pair {
		let (vm, native) = tokio::join!(
			Node::start("engine-vm", &["--dev", "--tmp", "--engine", "vm"]),
			Node::start("engine-native", &["--dev", "--tmp", "--engine", "native"]),
		);
		Pair { vm, native, differences: Default::default() }
	}

	/// `method(params)` on both nodes; the answers (results or errors) must be equal, but for the
	/// VM's own frames in revert reasons and error messages ([`comparable`]); the VM's answer.
	async fn same(&self, method: &str, params: Vec<Value>) -> Result<Value, String> {
		let vm = self.vm.try_rpc(method, common::params(params.clone())).await;
		let native = self.native.try_rpc(method, common::params(params)).await;
		let normal = |answer: &Result<Value, String>| match answer {
			Ok(value) => Ok(comparable(value)),
			Err(error) => Err(vm_frames_removed(error)),
		};
		assert_eq!(normal(&vm), normal(&native), "{method}: the VM's answer, then Cairo Native's");
		if vm != native {
			self.differences.lock().unwrap().push(method.to_string());
		}
		vm
	}

	/// Sends a transaction to both nodes and waits for its receipt on each: the receipts must be
	/// the same but for the block hash (the blocks' timestamps differ) and the VM's own frames in
	/// a revert reason ([`vm_frames_removed`]); the receipts, the VM's first.
	async fn mined(&self, method: &str, tx: Value, hash: Felt, status: &str) -> (Value, Value) {
		self.same(method, vec![tx]).await.expect("the transaction is accepted");
		let (vm, native) = tokio::join!(self.vm.receipt(hash), self.native.receipt(hash));
		assert_eq!(vm["execution_status"], status, "{vm}");
		let receipt = |receipt: &Value| comparable(&without(receipt, &["block_hash"]));
		assert_eq!(
			receipt(&vm),
			receipt(&native),
			"the receipt of {hash:?}: the VM's, then Cairo Native's"
		);
		(vm, native)
	}
}

/// `value` with every string's VM frames removed ([`vm_frames_removed`]): revert reasons at any
/// depth (receipts, traces, simulations).
fn comparable(value: &Value) -> Value {
	match value {
		Value::String(text) => Value::String(vm_frames_removed(text)),
		Value::Object(map) => {
			Value::Object(map.iter().map(|(k, v)| (k.clone(), comparable(v))).collect())
		}
		Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
		other => other.clone(),
	}
}

/// A revert reason without what only the Cairo VM reports: the program counter of a failure in
/// a class it ran (`Error at pc=…`), its Cairo traceback and the blank line after it. Cairo
/// Native has no program counter.
fn vm_frames_removed(reason: &str) -> String {
	reason
		.lines()
		.filter(|line| {
			!(line.is_empty()
				|| line.starts_with("Error at pc=")
				|| line.starts_with("Cairo traceback")
				|| line.starts_with("Unknown location (pc="))
		})
		.collect::<Vec<_>>()
		.join("\n")
}

fn class(file: &str) -> GenesisClass {
	test_class(file)
}

fn address_of(class_hash: Felt, salt: Felt, calldata: &[Felt], deployer: Felt) -> Felt {
	Felt(
		*starknet_api::core::calculate_contract_address(
			starknet_api::transaction::fields::ContractAddressSalt(salt.0),
			starknet_api::core::ClassHash(class_hash.0),
			&starknet_api::transaction::fields::Calldata(std::sync::Arc::new(
				calldata.iter().map(|f| f.0).collect(),
			)),
			starknet_api::core::ContractAddress::try_from(deployer.0).unwrap(),
		)
		.unwrap()
		.0
		.key(),
	)
}

#[tokio::test(flavor = "multi_thread")]
async fn both_engines_compute_the_same_chain() {
	let nodes = Pair::start().await;
	assert!(nodes.vm.log_text().contains("Starknet engine: the Cairo VM"));
	assert!(nodes.native.log_text().contains("Starknet engine: Cairo Native"));
	let accounts = printed_accounts(&nodes.vm.log_text());
	assert_eq!(accounts.len(), printed_accounts(&nodes.native.log_text()).len());
	let (alice, bob) = (&accounts[0], &accounts[1]);
	let account_class = class("starkware_account.contract_class.json");
	let test_contract = class("starkware_test_contract.contract_class.json");
	let sierra_version = |class: &GenesisClass| class.sierra_version;
	assert!(sierra_version(&account_class) >= (1, 7, 0), "Cairo Native runs the account");
	assert!(sierra_version(&test_contract) >= (1, 7, 0), "and the test contract");
	let mut hashes = Vec::new();

	// Two declares from a genesis account.
	for (nonce, class) in [(0, &account_class), (1, &test_contract)] {
		let (tx, hash) = declare(alice, nonce, class.class_hash, class.compiled_class_hash);
		let json = broadcasted_json(&tx, Some(&class.sierra));
		nodes.mined("starknet_addDeclareTransaction", json, hash, "SUCCEEDED").await;
		hashes.push(hash);
	}

	// An account of the new class: funded, then deployed by itself.
	let dan_key = Felt::from(0xda0u128);
	let dan_public = public_key(dan_key);
	let dan_address = address_of(account_class.class_hash, dan_public, &[dan_public], Felt::ZERO);
	let fund = invoke(alice, 2, &[transfer_call(dan_address, 10u128.pow(20))], generous_bounds());
	hashes.push(tx_hash(&fund));
	nodes
		.mined("starknet_addInvokeTransaction", invoke_json(&fund), tx_hash(&fund), "SUCCEEDED")
		.await;
	let (deploy, deploy_hash) = signed(
		Transaction::DeployAccount(DeployAccountTransactionV3 {
			resource_bounds: generous_bounds(),
			tip: 0,
			signature: vec![],
			nonce: Felt::ZERO,
			class_hash: account_class.class_hash,
			contract_address_salt: dan_public,
			constructor_calldata: vec![dan_public],
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
		}),
		dan_key,
	);
	let json = broadcasted_json(&deploy, None);
	nodes.mined("starknet_addDeployAccountTransaction", json, deploy_hash, "SUCCEEDED").await;
	hashes.push(deploy_hash);
	let dan = Account { address: dan_address, private_key: dan_key };

	// The test contract, deployed through the UDC by the new account.
	let udc = Felt::from_hex(well_known::UDC).unwrap();
	let salt = Felt::from(5u128);
	let contract = address_of(test_contract.class_hash, salt, &[Felt::from(7u128)], Felt::ZERO);
	let mut nonce = 1;
	let mut send = |calls: Vec<Call>| {
		let tx = invoke(&dan, nonce, &calls, generous_bounds());
		nonce += 1;
		tx
	};
	let call = |entry_point: &'static str, calldata: Vec<Felt>| Call {
		to: contract,
		entry_point,
		calldata,
	};
	let udc_deploy = send(vec![Call {
		to: udc,
		entry_point: "deploy_contract",
		calldata: vec![
			test_contract.class_hash,
			salt,
			Felt::ZERO,
			Felt::from(1u128),
			Felt::from(7u128),
		],
	}]);
	let multicall = send(vec![
		transfer_call(bob.address, 5),
		call("test", vec![Felt::from(1u128), Felt::from(2u128), Felt::from(3u128)]),
		call("segment_arena_builtin", vec![]),
	]);
	let inner_missing = send(vec![call("call_foo", vec![contract, Felt::from(5u128)])]);
	let undeclared_library = send(vec![call("libcall_foo", vec![Felt::from(5u128)])]);
	let beyond_balance = send(vec![transfer_call(bob.address, 10u128.pow(30))]);
	let missing = send(vec![call("no_such_entry_point", vec![])]);
	let mut reasons = Vec::new();
	for (tx, status) in [
		(&udc_deploy, "SUCCEEDED"),
		(&multicall, "SUCCEEDED"),
		(&inner_missing, "REVERTED"),
		(&undeclared_library, "REVERTED"),
		(&beyond_balance, "REVERTED"),
		(&missing, "REVERTED"),
	] {
		let (vm, native) = nodes
			.mined("starknet_addInvokeTransaction", invoke_json(tx), tx_hash(tx), status)
			.await;
		hashes.push(tx_hash(tx));
		if status == "REVERTED" {
			reasons.push((vm["revert_reason"].clone(), native["revert_reason"].clone()));
		}
	}
	assert_eq!(
		nodes.same("starknet_getClassHashAt", vec![json!("latest"), json!(contract)]).await,
		Ok(json!(test_contract.class_hash))
	);

	// Refused at admission: a forged signature (the account validates natively on one node).
	let mut forged = invoke(&dan, 7, &[transfer_call(bob.address, 1)], generous_bounds());
	forged.signature = vec![Felt::from(1u128), Felt::from(2u128)];
	let error = nodes.same("starknet_addInvokeTransaction", vec![invoke_json(&forged)]).await;
	assert!(error.is_err_and(|e| e.contains("55")), "a validation failure");

	// Estimates, simulations, calls and traces.
	let next = invoke(
		&dan,
		7,
		&[
			transfer_call(bob.address, 1),
			call("test", vec![Felt::from(1u128), Felt::from(1u128), Felt::from(1u128)]),
		],
		generous_bounds(),
	);
	let query = query_invoke_json(next.clone(), dan.private_key);
	let estimate = nodes
		.same("starknet_estimateFee", vec![json!([query]), json!([]), json!("latest")])
		.await
		.unwrap();
	assert!(parse_hex_u128(&estimate[0]["overall_fee"]) > 0, "{estimate}");
	nodes
		.same(
			"starknet_simulateTransactions",
			vec![json!("latest"), json!([invoke_json(&next)]), json!([])],
		)
		.await
		.unwrap();
	let balance = json!({
		"contract_address": strk(),
		"entry_point_selector": selector("balanceOf"),
		"calldata": [dan.address],
	});
	nodes.same("starknet_call", vec![balance, json!("latest")]).await.unwrap();
	let ret = json!({
		"contract_address": contract,
		"entry_point_selector": selector("ret_3"),
		"calldata": [],
	});
	assert_eq!(nodes.same("starknet_call", vec![ret, json!("latest")]).await, Ok(json!(["0x3"])));
	for hash in &hashes {
		nodes.same("starknet_traceTransaction", vec![json!(hash)]).await.unwrap();
	}

	// Every block: the same state diff and, below block 10 (from there on the state holds the
	// hash of block n - 10, which covers the block's timestamp), the same state root.
	let latest = nodes.vm.best_number().await;
	assert_eq!(latest, nodes.native.best_number().await, "one block per transaction on both");
	let mut roots = 0;
	for number in 1..=latest {
		let id = json!({ "block_number": number });
		let (vm, native) = (
			nodes.vm.rpc("starknet_getStateUpdate", params(vec![id.clone()])).await,
			nodes.native.rpc("starknet_getStateUpdate", params(vec![id])).await,
		);
		let diff = |update: &Value| {
			let mut diff = update["state_diff"].clone();
			diff["storage_diffs"] = Value::Array(
				diff["storage_diffs"]
					.as_array()
					.unwrap()
					.iter()
					.filter(|d| d["address"] != json!("0x1"))
					.cloned()
					.collect(),
			);
			diff
		};
		assert_eq!(diff(&vm), diff(&native), "the state diff of block {number}");
		if number < 10 {
			assert_eq!(vm["new_root"], native["new_root"], "the state root of block {number}");
			roots += 1;
		}
	}
	assert!(roots >= 9, "{roots} state roots compared");
	// What differs: the VM's frames in some revert reasons (a panic in a class that ran natively
	// reads the same on both).
	let differ = reasons.iter().filter(|(vm, native)| vm != native).count();
	assert!(differ >= 1, "the native node ran the account and the contract natively");
	let native_log = nodes.native.log_text();
	for class in [&account_class, &test_contract] {
		let hash = format!("class {:#x} ", class.class_hash.0);
		assert!(
			native_log.lines().any(|line| line.contains(&hash) && line.contains("Cairo Native")),
			"the native node compiled or loaded {hash}"
		);
	}
	assert!(
		!nodes.vm.log_text().contains("Cairo Native: class"),
		"the VM node runs no native code"
	);
	// The genesis classes Cairo Native runs (the ERC-20s, the UDC) are made ready from the start
	// (on a machine that never compiled them, the two ERC-20s take seconds each).
	nodes
		.native
		.wait_until("the native node's warm-up", std::time::Duration::from_secs(90), || async {
			nodes.native.log_text().contains("declared classes ready")
		})
		.await;
	eprintln!("{differ} of {} revert reasons differ by the VM's frames:", reasons.len());
	for (vm, native) in &reasons {
		eprintln!("VM:     {vm}\nnative: {native}\n");
	}
	eprintln!("answers that differ by them: {:?}", nodes.differences.lock().unwrap());
}

//! Pallet tests with the real executor (blockifier, natively) on the development genesis: each
//! transaction goes through the pool check (`validate_unsigned`), the block check
//! (`pre_dispatch`) and the dispatch, as it would in a block.
use crate::{mock::*, *};
use cairn_executor::{
	dev_genesis::DevAccount,
	signing::{self, execute_calldata, selector, sign_hash},
	TransactionExt,
};
use cairn_primitives::starknet::{
	genesis::{well_known, GenesisState},
	storage, DataAvailabilityMode, ResourceBounds, ValidResourceBounds,
};
use codec::{Decode, Encode};
use frame_support::{
	assert_ok,
	dispatch::GetDispatchInfo,
	traits::{Get, Hooks, UnfilteredDispatchable},
};
use sp_runtime::{
	traits::ValidateUnsigned,
	transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError, ValidTransaction,
	},
};
use starknet_api::{abi::abi_utils::get_storage_var_address, core::ChainId};
use starknet_types_core::felt::Felt as CoreFelt;

fn felt(hex: &str) -> Felt {
	Felt::from_hex(hex).unwrap()
}

fn strk() -> Felt {
	felt(well_known::STRK)
}

fn chain_id() -> ChainId {
	ChainId::from(well_known::DEV_CHAIN_ID.to_string())
}

fn accounts() -> Vec<DevAccount> {
	DEV.1.clone()
}

fn dev_state() -> GenesisState {
	DEV.0.clone()
}

/// Generous V3 bounds at twice the default prices.
fn bounds() -> ValidResourceBounds {
	let price = 2_000_000_000;
	ValidResourceBounds::AllResources {
		l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: price },
		l2_gas: ResourceBounds { max_amount: 100_000_000, max_price_per_unit: price },
		l1_data_gas: ResourceBounds { max_amount: 10_000, max_price_per_unit: price },
	}
}

fn sign(hash: Felt, private_key: Felt) -> Vec<Felt> {
	sign_hash(hash, private_key).unwrap()
}

fn tx_hash(tx: Transaction) -> Felt {
	tx.hash(&chain_id(), false).unwrap()
}

/// `__execute__` calldata of one call.
fn call(to: Felt, entry_point: &'static str, args: &[Felt]) -> Vec<Felt> {
	execute_calldata(&[signing::Call { to, entry_point, calldata: args.to_vec() }])
}

fn invoke(from: &DevAccount, nonce: u128, calldata: Vec<Felt>) -> InvokeTransactionV3 {
	let mut tx = InvokeTransactionV3 {
		resource_bounds: bounds(),
		tip: 0,
		signature: vec![],
		nonce: Felt::from(nonce),
		sender_address: from.address,
		calldata,
		nonce_data_availability_mode: DataAvailabilityMode::L1,
		fee_data_availability_mode: DataAvailabilityMode::L1,
		paymaster_data: vec![],
		account_deployment_data: vec![],
		proof_facts: vec![],
	};
	tx.signature = sign(tx_hash(Transaction::Invoke(tx.clone())), from.private_key);
	tx
}

fn transfer(from: &DevAccount, nonce: u128, to: Felt, amount: u128) -> InvokeTransactionV3 {
	invoke(from, nonce, call(strk(), "transfer", &[to, Felt::from(amount), Felt::ZERO]))
}

fn balance(token: Felt, owner: Felt) -> u128 {
	let key = Felt(*get_storage_var_address("ERC20_balances", &[owner.0]).0.key());
	let low = ContractStorage::<Test>::get(token, key).unwrap_or_default();
	u128::from_be_bytes(low.to_bytes()[16..].try_into().unwrap())
}

fn nonce(account: Felt) -> Felt {
	Nonces::<Test>::get(account).unwrap_or_default()
}

/// What a block producer does with an unsigned Starknet call: pool check, block check, dispatch.
fn submit(call: Call<Test>) -> Result<ValidTransaction, TransactionValidityError> {
	let valid = Starknet::validate_unsigned(TransactionSource::External, &call)?;
	Starknet::pre_dispatch(&call)?;
	// The call is priced by its L2 gas bound (declares by their class's size too), and refunded
	// to the L2 gas it used.
	type Weights = <Test as Config>::WeightInfo;
	let weight = |call: &Call<Test>, l2_gas: Option<u64>| match call {
		Call::invoke { transaction } => {
			Weights::invoke(l2_gas.unwrap_or(transaction.resource_bounds.l2_gas()))
		}
		Call::declare { transaction, contract_class } => Weights::declare(
			contract_class.len() as u32,
			l2_gas.unwrap_or(transaction.resource_bounds.l2_gas()),
		),
		Call::deploy_account { transaction } => {
			Weights::deploy_account(l2_gas.unwrap_or(transaction.resource_bounds.l2_gas()))
		}
		other => panic!("not a user transaction: {other:?}"),
	};
	let expected = weight(&call, None);
	assert_eq!(call.get_dispatch_info().call_weight, expected);
	assert!(expected.ref_time() > 0, "Starknet transactions are not free to include");
	let post = call.clone().dispatch_bypass_filter(RuntimeOrigin::none()).expect("dispatched");
	let refunded = weight(&call, Some(last_receipt().gas.l2_gas));
	assert_eq!(post.actual_weight, Some(refunded), "the weight follows the gas used");
	assert!(refunded.ref_time() <= expected.ref_time());
	Ok(valid)
}

fn custom(rejection: Rejection) -> TransactionValidityError {
	InvalidTransaction::Custom(rejection.pool_code()).into()
}

fn last_receipt() -> Receipt {
	Receipts::<Test>::get().pop().expect("a receipt")
}

#[test]
fn storage_layout_matches_what_the_executor_reads() {
	let (a, b) = (felt("0x123"), felt("0x456"));
	assert_eq!(
		ContractStorage::<Test>::hashed_key_for(a, b),
		storage::contract_storage_key(&a, &b)
	);
	assert_eq!(Nonces::<Test>::hashed_key_for(a), storage::map_key(storage::NONCES, &a));
	assert_eq!(
		ContractClassHashes::<Test>::hashed_key_for(a),
		storage::map_key(storage::CONTRACT_CLASS_HASHES, &a)
	);
	assert_eq!(
		CompiledClassHashes::<Test>::hashed_key_for(a),
		storage::map_key(storage::COMPILED_CLASS_HASHES, &a)
	);
	assert_eq!(
		ClassDefinitions::<Test>::hashed_key_for(a),
		storage::map_key(storage::CLASS_DEFINITIONS, &a)
	);
	assert_eq!(
		SierraClasses::<Test>::hashed_key_for(a),
		storage::map_key(storage::SIERRA_CLASSES, &a)
	);
	assert_eq!(Headers::<Test>::hashed_key_for(7u64), storage::header_key(7));
	assert_eq!(Receipts::<Test>::hashed_key().to_vec(), storage::value_key(storage::RECEIPTS));
	assert_eq!(StateDiffs::<Test>::hashed_key().to_vec(), storage::value_key(storage::STATE_DIFFS));
	assert_eq!(
		ChainEngine::<Test>::hashed_key().to_vec(),
		storage::value_key(storage::CHAIN_ENGINE)
	);
	let trie = cairn_commitment::TrieId::Storage(a);
	let path = cairn_commitment::NodePath::ROOT.child(true);
	assert_eq!(
		TrieNodes::<Test>::hashed_key_for(trie, path),
		cairn_commitment::layout::node_key(&trie, &path)
	);
	assert_eq!(TrieRoots::<Test>::hashed_key_for(trie), cairn_commitment::layout::root_key(&trie));
}

#[test]
fn genesis_has_the_well_known_contracts_and_funded_accounts() {
	new_test_ext(dev_state()).execute_with(|| {
		for contract in [well_known::STRK, well_known::ETH, well_known::UDC] {
			assert!(ContractClassHashes::<Test>::contains_key(felt(contract)), "{contract}");
		}
		for account in accounts() {
			assert_eq!(balance(strk(), account.address), well_known::DEV_ACCOUNT_BALANCE);
			assert_eq!(
				balance(felt(well_known::ETH), account.address),
				well_known::DEV_ACCOUNT_BALANCE
			);
			assert_eq!(ContractClassHashes::<Test>::get(account.address), Some(account.class_hash));
		}
		assert_eq!(Headers::<Test>::get(0).unwrap().block_number, 0);
		// The published classes hash as starknet-devnet (and Starknet) know them.
		for (contract, class_hash) in [
			(
				well_known::STRK,
				"0x02e77ee61d4df3d988ee1f42ea5442e913862cc82c2584d212ecda76666498fc",
			),
			(well_known::ETH, "0x00b45dbc3714180381c5680e41931172d67194d77d504413465390e0bef194ec"),
			(well_known::UDC, "0x01b2df6d8861670d4a8ca4670433b2418d78169c2947f46dc614e69f333745c8"),
		] {
			assert_eq!(ContractClassHashes::<Test>::get(felt(contract)), Some(felt(class_hash)));
		}
		assert_eq!(
			accounts()[0].class_hash,
			felt("0x05b4b537eaa2399e3aa99c4e2e0208ebd6c71bc1467938cd52c798c601e43564")
		);
	});
}

#[test]
fn erc20_transfer_moves_balances_charges_fee_and_bumps_nonce() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		let sequencer = felt(well_known::SEQUENCER);
		let amount = 1_000_000_000_000_000_000; // 1 STRK
		let tx = transfer(alice, 0, bob.address, amount);
		let hash = tx_hash(Transaction::Invoke(tx.clone()));
		let valid = submit(Call::invoke { transaction: tx }).unwrap();
		assert_eq!(valid.provides, vec![("Starknet", (alice.address, Felt::ZERO)).encode()]);
		assert!(valid.requires.is_empty());

		let receipt = last_receipt();
		assert_eq!(receipt.tx_hash, hash);
		assert_eq!(receipt.revert_error, None);
		assert_eq!(receipt.fee_unit, cairn_primitives::starknet::exec::FeeUnit::Fri);
		assert!(receipt.actual_fee > 0);
		assert!(receipt.gas.l2_gas > 0);
		// ERC-20 Transfer events: the transfer itself, then the fee transfer.
		assert_eq!(receipt.events.len(), 2);
		assert_eq!(receipt.events[0].from_address, strk());
		// Transfer(from, to) with both indexed.
		assert_eq!(receipt.events[0].keys, vec![selector("Transfer"), alice.address, bob.address]);
		assert_eq!(receipt.events[0].data, vec![Felt::from(amount), Felt::ZERO]);
		assert_eq!(receipt.events[1].keys[2], sequencer);

		let fee = receipt.actual_fee;
		assert_eq!(balance(strk(), alice.address), well_known::DEV_ACCOUNT_BALANCE - amount - fee);
		assert_eq!(balance(strk(), bob.address), well_known::DEV_ACCOUNT_BALANCE + amount);
		assert_eq!(balance(strk(), sequencer), fee);
		assert_eq!(nonce(alice.address), Felt::from(1u128));
		assert_eq!(Totals::<Test>::get().transaction_count, 1);

		Starknet::on_finalize(1);
		let header = Headers::<Test>::get(1).unwrap();
		assert_eq!((header.transaction_count, header.event_count), (1, 2));
		assert_eq!(header.timestamp, NOW_MS / 1000);
	});
}

#[test]
fn a_sender_s_transactions_chain_by_nonce_tags() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		// Nonce 2 while the account is at 0: the pool keeps it, waiting for nonce 1.
		let future = Call::invoke { transaction: transfer(alice, 2, bob.address, 1) };
		let valid = Starknet::validate_unsigned(TransactionSource::External, &future).unwrap();
		assert_eq!(valid.requires, vec![("Starknet", (alice.address, Felt::from(1u128))).encode()]);
		// ... but a block refuses it for now, as a future transaction.
		assert_eq!(Starknet::pre_dispatch(&future), Err(InvalidTransaction::Future.into()));

		submit(Call::invoke { transaction: transfer(alice, 0, bob.address, 1) }).unwrap();
		submit(Call::invoke { transaction: transfer(alice, 1, bob.address, 1) }).unwrap();
		submit(future).unwrap();
		assert_eq!(nonce(alice.address), Felt::from(3u128));
	});
}

#[test]
fn replayed_nonce_is_stale() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		let tx = transfer(alice, 0, bob.address, 5);
		submit(Call::invoke { transaction: tx.clone() }).unwrap();
		assert_eq!(submit(Call::invoke { transaction: tx }), Err(InvalidTransaction::Stale.into()));
		assert_eq!(nonce(alice.address), Felt::from(1u128));
	});
}

#[test]
fn bad_signature_fails_validation() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		let mut tx = transfer(alice, 0, bob.address, 5);
		tx.signature = sign(tx_hash(Transaction::Invoke(tx.clone())), bob.private_key);
		assert_eq!(
			submit(Call::invoke { transaction: tx }),
			Err(custom(Rejection::ValidationFailure))
		);
		assert_eq!(nonce(alice.address), Felt::ZERO);
		assert!(Receipts::<Test>::get().is_empty());
	});
}

#[test]
fn insufficient_resource_bounds_are_rejected() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		for resource_bounds in [
			// Far too little L2 gas to even validate.
			ValidResourceBounds::AllResources {
				l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: 2_000_000_000 },
				l2_gas: ResourceBounds { max_amount: 10, max_price_per_unit: 2_000_000_000 },
				l1_data_gas: ResourceBounds {
					max_amount: 10_000,
					max_price_per_unit: 2_000_000_000,
				},
			},
			// Enough gas, at a price below the block's.
			ValidResourceBounds::AllResources {
				l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: 2_000_000_000 },
				l2_gas: ResourceBounds { max_amount: 100_000_000, max_price_per_unit: 1 },
				l1_data_gas: ResourceBounds {
					max_amount: 10_000,
					max_price_per_unit: 2_000_000_000,
				},
			},
		] {
			let mut tx = transfer(alice, 0, bob.address, 5);
			tx.resource_bounds = resource_bounds;
			tx.signature = sign(tx_hash(Transaction::Invoke(tx.clone())), alice.private_key);
			assert_eq!(
				submit(Call::invoke { transaction: tx }),
				Err(custom(Rejection::InsufficientResourceBounds))
			);
		}
		assert_eq!(nonce(alice.address), Felt::ZERO);
	});
}

#[test]
fn bounds_beyond_the_balance_are_rejected() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		let mut tx = transfer(alice, 0, bob.address, 5);
		tx.resource_bounds = ValidResourceBounds::AllResources {
			l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: 2_000_000_000 },
			// 10^8 gas at 10^14 FRI: 10^22 FRI, more than the 10^21 the account holds.
			l2_gas: ResourceBounds {
				max_amount: 100_000_000,
				max_price_per_unit: 100_000_000_000_000,
			},
			l1_data_gas: ResourceBounds { max_amount: 10_000, max_price_per_unit: 2_000_000_000 },
		};
		tx.signature = sign(tx_hash(Transaction::Invoke(tx.clone())), alice.private_key);
		assert_eq!(
			submit(Call::invoke { transaction: tx }),
			Err(custom(Rejection::InsufficientBalance))
		);
	});
}

#[test]
fn reverting_call_is_included_charged_and_bumps_the_nonce() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		// More than Alice holds: the ERC-20 panics inside `__execute__`.
		let amount = well_known::DEV_ACCOUNT_BALANCE * 2;
		submit(Call::invoke { transaction: transfer(alice, 0, bob.address, amount) }).unwrap();
		let receipt = last_receipt();
		let reason = String::from_utf8(receipt.revert_error.clone().expect("reverted")).unwrap();
		assert!(
			reason.contains("u256_sub Overflow") || reason.contains("insufficient"),
			"{reason}"
		);
		assert!(receipt.actual_fee > 0);
		assert_eq!(nonce(alice.address), Felt::from(1u128));
		assert_eq!(
			balance(strk(), alice.address),
			well_known::DEV_ACCOUNT_BALANCE - receipt.actual_fee
		);
		assert_eq!(balance(strk(), bob.address), well_known::DEV_ACCOUNT_BALANCE);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Starknet(crate::Event::TransactionExecuted { reverted: true, .. })
		)));
	});
}

/// The development genesis without the Universal Deployer's class, so a test can declare it.
fn state_without_udc() -> (GenesisState, cairn_primitives::starknet::genesis::GenesisClass) {
	let mut state = dev_state();
	let udc = felt(well_known::UDC);
	let udc_class_hash =
		state.contracts.iter().find(|c| c.address == udc).map(|c| c.class_hash).unwrap();
	state.contracts.retain(|c| c.address != udc);
	let index = state.classes.iter().position(|c| c.class_hash == udc_class_hash).unwrap();
	let class = state.classes.remove(index);
	(state, class)
}

fn declare_tx(
	from: &DevAccount,
	nonce: u128,
	class_hash: Felt,
	compiled_class_hash: Felt,
) -> DeclareTransactionV3 {
	let mut tx = DeclareTransactionV3 {
		resource_bounds: bounds(),
		tip: 0,
		signature: vec![],
		nonce: Felt::from(nonce),
		class_hash,
		compiled_class_hash,
		sender_address: from.address,
		nonce_data_availability_mode: DataAvailabilityMode::L1,
		fee_data_availability_mode: DataAvailabilityMode::L1,
		paymaster_data: vec![],
		account_deployment_data: vec![],
	};
	tx.signature = sign(tx_hash(Transaction::Declare(tx.clone())), from.private_key);
	tx
}

#[test]
fn declare_stores_the_class_and_refuses_a_second_declare() {
	let (state, class) = state_without_udc();
	new_test_ext(state).execute_with(|| {
		let alice = &accounts()[0];
		let tx = declare_tx(alice, 0, class.class_hash, class.compiled_class_hash);
		let sierra = class.sierra.as_bytes().to_vec();
		let valid =
			submit(Call::declare { transaction: tx, contract_class: sierra.clone() }).unwrap();
		// At equal tips (0 here) declares queue behind invokes: a declare may fill a block.
		let transfer_priority = Starknet::validate_unsigned(
			TransactionSource::External,
			&Call::invoke { transaction: transfer(&accounts()[1], 0, alice.address, 1) },
		)
		.unwrap()
		.priority;
		assert_eq!((valid.priority, transfer_priority), (0, 1));
		assert_eq!(
			CompiledClassHashes::<Test>::get(class.class_hash),
			Some(class.compiled_class_hash)
		);
		assert_eq!(SierraClasses::<Test>::get(class.class_hash), Some(sierra.clone()));
		assert!(ClassDefinitions::<Test>::contains_key(class.class_hash));
		assert_eq!(last_receipt().kind, TransactionKind::Declare);
		assert_eq!(nonce(alice.address), Felt::from(1u128));

		let again = declare_tx(alice, 1, class.class_hash, class.compiled_class_hash);
		assert_eq!(
			submit(Call::declare { transaction: again, contract_class: sierra }),
			Err(custom(Rejection::ClassAlreadyDeclared))
		);
	});
}

#[test]
fn declare_with_a_wrong_compiled_class_hash_or_class_hash_is_rejected() {
	let (state, class) = state_without_udc();
	new_test_ext(state).execute_with(|| {
		let alice = &accounts()[0];
		let sierra = class.sierra.as_bytes().to_vec();
		let wrong_compiled = declare_tx(alice, 0, class.class_hash, felt("0x1234"));
		assert_eq!(
			submit(Call::declare { transaction: wrong_compiled, contract_class: sierra.clone() }),
			Err(custom(Rejection::CompiledClassHashMismatch))
		);
		let wrong_class = declare_tx(alice, 0, felt("0x1234"), class.compiled_class_hash);
		assert_eq!(
			submit(Call::declare { transaction: wrong_class, contract_class: sierra }),
			Err(custom(Rejection::ClassHashMismatch))
		);
		let garbage = declare_tx(alice, 0, class.class_hash, class.compiled_class_hash);
		assert_eq!(
			submit(Call::declare { transaction: garbage, contract_class: b"{}".to_vec() }),
			Err(custom(Rejection::InvalidClass))
		);
		assert!(!CompiledClassHashes::<Test>::contains_key(class.class_hash));
	});
}

fn deploy_account_tx(private_key: Felt, class_hash: Felt) -> DeployAccountTransactionV3 {
	let public_key = signing::public_key(private_key);
	let mut tx = DeployAccountTransactionV3 {
		resource_bounds: bounds(),
		tip: 0,
		signature: vec![],
		nonce: Felt::ZERO,
		class_hash,
		contract_address_salt: public_key,
		constructor_calldata: vec![public_key],
		nonce_data_availability_mode: DataAvailabilityMode::L1,
		fee_data_availability_mode: DataAvailabilityMode::L1,
		paymaster_data: vec![],
	};
	tx.signature = sign(tx_hash(Transaction::DeployAccount(tx.clone())), private_key);
	tx
}

fn address_of(tx: &DeployAccountTransactionV3) -> Felt {
	let address = starknet_api::core::calculate_contract_address(
		starknet_api::transaction::fields::ContractAddressSalt(tx.contract_address_salt.0),
		starknet_api::core::ClassHash(tx.class_hash.0),
		&starknet_api::transaction::fields::Calldata(std::sync::Arc::new(
			tx.constructor_calldata.iter().map(|f| f.0).collect(),
		)),
		Default::default(),
	)
	.unwrap();
	Felt(*address.0.key())
}

#[test]
fn deploy_account_deploys_a_funded_account() {
	new_test_ext(dev_state()).execute_with(|| {
		let alice = &accounts()[0];
		let private_key = Felt(CoreFelt::from(0xc0ffee_u64));
		let tx = deploy_account_tx(private_key, alice.class_hash);
		let address = address_of(&tx);
		// Not funded yet: it cannot pay.
		assert_eq!(
			submit(Call::deploy_account { transaction: tx.clone() }),
			Err(custom(Rejection::InsufficientBalance))
		);
		submit(Call::invoke { transaction: transfer(alice, 0, address, 10u128.pow(19)) }).unwrap();
		let valid = submit(Call::deploy_account { transaction: tx }).unwrap();
		assert_eq!(valid.provides, vec![("Starknet", (address, Felt::ZERO)).encode()]);
		assert_eq!(ContractClassHashes::<Test>::get(address), Some(alice.class_hash));
		assert_eq!(nonce(address), Felt::from(1u128));
		let receipt = last_receipt();
		assert_eq!(receipt.contract_address, Some(address));
		assert_eq!(balance(strk(), address), 10u128.pow(19) - receipt.actual_fee);
		// The new account can now send.
		let account = DevAccount {
			address,
			private_key,
			public_key: Felt::ZERO,
			class_hash: alice.class_hash,
		};
		submit(Call::invoke { transaction: transfer(&account, 1, alice.address, 1) }).unwrap();
	});
}

#[test]
fn deploy_account_of_an_undeclared_class_is_rejected() {
	new_test_ext(dev_state()).execute_with(|| {
		let alice = &accounts()[0];
		let tx = deploy_account_tx(Felt(CoreFelt::from(7u8)), felt("0xdeadbeef"));
		// Funded, so that the class is what fails.
		let address = address_of(&tx);
		submit(Call::invoke { transaction: transfer(alice, 0, address, 10u128.pow(19)) }).unwrap();
		assert_eq!(
			submit(Call::deploy_account { transaction: tx }),
			Err(custom(Rejection::ClassNotDeclared))
		);
	});
}

#[test]
fn invoke_from_an_undeployed_sender_is_rejected() {
	new_test_ext(dev_state()).execute_with(|| {
		let alice = &accounts()[0];
		let ghost = DevAccount { address: felt("0x5151"), ..alice.clone() };
		let result = submit(Call::invoke { transaction: transfer(&ghost, 0, alice.address, 1) });
		// blockifier checks the bounds against the sender's fee-token balance before it loads the
		// sender's class, and a never-deployed address holds nothing.
		assert_eq!(result, Err(custom(Rejection::InsufficientBalance)));
	});
	// The same address funded (STRK sent to it before any deployment): there is no account
	// contract to run `__validate__`, which fails validation.
	let ghost = felt("0x5151");
	let mut state = dev_state();
	let balance_key = cairn_executor::dev_genesis::storage_var_address("ERC20_balances", &[ghost]);
	state.storage.push((strk(), balance_key, Felt::from(well_known::DEV_ACCOUNT_BALANCE)));
	new_test_ext(state).execute_with(|| {
		let alice = &accounts()[0];
		let ghost = DevAccount { address: ghost, ..alice.clone() };
		assert_eq!(balance(strk(), ghost.address), well_known::DEV_ACCOUNT_BALANCE);
		let result = submit(Call::invoke { transaction: transfer(&ghost, 0, alice.address, 1) });
		assert_eq!(result, Err(custom(Rejection::ValidationFailure)));
	});
}

#[test]
fn l1_handler_is_root_only() {
	new_test_ext(dev_state()).execute_with(|| {
		let call = Call::<Test>::l1_handler {
			transaction: L1HandlerTransaction {
				version: Felt::ZERO,
				nonce: Felt::ZERO,
				contract_address: strk(),
				// The StarkGate ERC-20's one L1 handler.
				entry_point_selector: selector("approve_l1_address"),
				calldata: vec![Felt::from(0x8453u128), accounts()[0].address],
			},
			paid_fee_on_l1: 1,
		};
		assert!(call.clone().dispatch_bypass_filter(RuntimeOrigin::none()).is_err());
		assert_eq!(
			Starknet::validate_unsigned(TransactionSource::External, &call),
			Err(InvalidTransaction::Call.into())
		);
		assert_eq!(Receipts::<Test>::get(), vec![], "refused calls leave no receipt");
		// Root's message is executed and included, paid for on L1 (in WEI).
		assert_ok!(call.dispatch_bypass_filter(RuntimeOrigin::root()));
		let receipt = last_receipt();
		assert_eq!(receipt.kind, TransactionKind::L1Handler);
		assert_eq!(receipt.fee_unit, cairn_primitives::starknet::exec::FeeUnit::Wei);
		assert_eq!(
			receipt.revert_error,
			None,
			"{:?}",
			receipt.revert_error.clone().map(String::from_utf8)
		);
	});
}

#[test]
fn without_the_executor_extension_transactions_are_refused_not_panicked() {
	use cairn_primitives::starknet::{
		exec::{ExecError, EXECUTOR_FAILURE},
		host::StarknetExecutorExt,
	};
	let mut ext = new_test_ext(dev_state());
	assert!(ext.extensions.deregister(core::any::TypeId::of::<StarknetExecutorExt>()));
	ext.execute_with(|| {
		let alice = &accounts()[0];
		let bob = &accounts()[1];
		let call = Call::invoke { transaction: transfer(alice, 0, bob.address, 1) };
		assert_eq!(
			Starknet::validate_unsigned(TransactionSource::External, &call),
			Err(InvalidTransaction::Custom(EXECUTOR_FAILURE).into())
		);
		assert!(matches!(
			cairn_primitives::starknet::host::starknet_executor::compile_class(
				b"{}",
				cairn_primitives::starknet::exec::CompileRequest {
					class_hash: Felt::ZERO,
					limits: crate::validation::CLASS_LIMITS,
					isolated: false,
				}
			),
			Err(ExecError::Internal(message))
				if String::from_utf8_lossy(&message).contains("no Starknet executor")
		));
		assert_eq!(nonce(alice.address), Felt::ZERO);
	});
}

/// `bounds()` with every price (or every amount) set to `zero`'s choice.
fn free_bounds(zero_prices: bool) -> ValidResourceBounds {
	let [l1_gas, l2_gas, l1_data_gas] = bounds().all();
	let free = |mut bound: ResourceBounds| {
		match zero_prices {
			true => bound.max_price_per_unit = 0,
			false => bound.max_amount = 0,
		}
		bound
	};
	ValidResourceBounds::AllResources {
		l1_gas: free(l1_gas),
		l2_gas: free(l2_gas),
		l1_data_gas: free(l1_data_gas),
	}
}

/// Both of block building's questions refuse `call` with `expected`: the pool's and the block's
/// (`pre_dispatch`, which a block import asks too, so a block carrying it does not import).
fn refused_everywhere(call: Call<Test>, expected: TransactionValidityError) {
	assert_eq!(Starknet::validate_unsigned(TransactionSource::External, &call), Err(expected));
	assert_eq!(Starknet::pre_dispatch(&call), Err(expected));
}

#[test]
fn free_transactions_are_refused_in_the_pool_and_in_a_block() {
	let (state, class) = state_without_udc();
	new_test_ext(state).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		let under_floor = |bound: ResourceBounds| ResourceBounds {
			max_price_per_unit: 1_000_000_000 - 1,
			..bound
		};
		let [l1_gas, l2_gas, l1_data_gas] = bounds().all();
		for resource_bounds in [
			free_bounds(true),
			// The fee is zero through the amounts: blockifier would skip every fee check.
			free_bounds(false),
			// One resource a unit under the block's price (1 gFRI), each in turn.
			ValidResourceBounds::AllResources { l1_gas: under_floor(l1_gas), l2_gas, l1_data_gas },
			ValidResourceBounds::AllResources { l1_gas, l2_gas: under_floor(l2_gas), l1_data_gas },
			ValidResourceBounds::AllResources {
				l1_gas,
				l2_gas,
				l1_data_gas: under_floor(l1_data_gas),
			},
			// Bounds on L1 gas alone leave L2 gas unpriced.
			ValidResourceBounds::L1Gas(ResourceBounds {
				max_amount: 1_000_000,
				max_price_per_unit: 2_000_000_000,
			}),
		] {
			let mut tx = transfer(alice, 0, bob.address, 5);
			tx.resource_bounds = resource_bounds;
			tx.signature = sign(tx_hash(Transaction::Invoke(tx.clone())), alice.private_key);
			refused_everywhere(
				Call::invoke { transaction: tx },
				custom(Rejection::InsufficientResourceBounds),
			);

			let mut declare = declare_tx(alice, 0, class.class_hash, class.compiled_class_hash);
			declare.resource_bounds = resource_bounds;
			declare.signature =
				sign(tx_hash(Transaction::Declare(declare.clone())), alice.private_key);
			let contract_class = class.sierra.as_bytes().to_vec();
			refused_everywhere(
				Call::declare { transaction: declare, contract_class },
				custom(Rejection::InsufficientResourceBounds),
			);

			let mut deploy = deploy_account_tx(Felt::from(77u128), alice.class_hash);
			deploy.resource_bounds = resource_bounds;
			deploy.signature =
				sign(tx_hash(Transaction::DeployAccount(deploy.clone())), Felt::from(77u128));
			refused_everywhere(
				Call::deploy_account { transaction: deploy },
				custom(Rejection::InsufficientResourceBounds),
			);
		}
		// Nothing ran: no nonce moved, no class stored.
		assert_eq!(nonce(alice.address), Felt::ZERO);
		assert!(!CompiledClassHashes::<Test>::contains_key(class.class_hash));
		// At the block's prices exactly, the same transfer goes through.
		let at_floor =
			|bound: ResourceBounds| ResourceBounds { max_price_per_unit: 1_000_000_000, ..bound };
		let mut tx = transfer(alice, 0, bob.address, 5);
		tx.resource_bounds = ValidResourceBounds::AllResources {
			l1_gas: at_floor(l1_gas),
			l2_gas: at_floor(l2_gas),
			l1_data_gas: at_floor(l1_data_gas),
		};
		tx.signature = sign(tx_hash(Transaction::Invoke(tx.clone())), alice.private_key);
		submit(Call::invoke { transaction: tx }).unwrap();
		assert!(last_receipt().actual_fee > 0, "and pays its fee");
	});
}

#[test]
fn a_chain_priced_at_zero_takes_price_zero() {
	// The floor is the chain's price: an operator who sets a price of 0 lets price 0 in (the
	// executor still needs a non-zero price for blockifier, so the floor alone is tested here).
	let mut state = dev_state();
	state.config.gas_prices.l1_gas_price_fri = 0;
	state.config.gas_prices.l2_gas_price_fri = 0;
	state.config.gas_prices.l1_data_gas_price_fri = 0;
	new_test_ext(state).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		let mut tx = transfer(alice, 0, bob.address, 5);
		tx.resource_bounds = free_bounds(true);
		assert_eq!(Starknet::precheck(&Transaction::Invoke(tx), None), Ok(()));
	});
}

#[test]
fn gas_bounds_beyond_one_block_and_oversized_calldata_are_refused() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		type Weights = <Test as Config>::WeightInfo;
		let capacity = weights::l2_gas_capacity::<Test>(Weights::invoke(0));
		assert!(capacity > 100_000_000, "a generous transfer fits: {capacity}");
		let with_l2_gas = |max_amount: u64| {
			let [l1_gas, l2_gas, l1_data_gas] = bounds().all();
			let mut tx = transfer(alice, 0, bob.address, 5);
			tx.resource_bounds = ValidResourceBounds::AllResources {
				l1_gas,
				l2_gas: ResourceBounds { max_amount, ..l2_gas },
				l1_data_gas,
			};
			tx.signature = sign(tx_hash(Transaction::Invoke(tx.clone())), alice.private_key);
			Call::invoke { transaction: tx }
		};
		refused_everywhere(with_l2_gas(capacity + 1), custom(Rejection::ExceedsBlockLimits));
		// The whole bound fits one extrinsic's weight.
		let weight = with_l2_gas(capacity).get_dispatch_info().call_weight;
		let max = <<Test as frame_system::Config>::BlockWeights as Get<
			frame_system::limits::BlockWeights,
		>>::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.max_extrinsic
		.unwrap();
		assert!(weight.ref_time() <= max.ref_time(), "{weight:?} within {max:?}");

		let mut long = transfer(alice, 0, bob.address, 5);
		long.calldata.resize(validation::MAX_CALLDATA_FELTS + 1, Felt::ZERO);
		refused_everywhere(
			Call::invoke { transaction: long },
			custom(Rejection::ExceedsBlockLimits),
		);
		let mut signed = transfer(alice, 0, bob.address, 5);
		signed.signature.resize(validation::MAX_SIGNATURE_FELTS + 1, Felt::ZERO);
		refused_everywhere(
			Call::invoke { transaction: signed },
			custom(Rejection::ExceedsBlockLimits),
		);
	});
}

#[test]
fn a_block_holds_its_capacity_and_no_more() {
	new_test_ext(dev_state()).execute_with(|| {
		let [alice, bob, carol, ..] = &accounts()[..] else { panic!() };
		// A 500 ms block: 10^8 L2 gas, exactly the bound of `bounds()`.
		let capacity = BlockCapacity::for_block_time(500);
		assert_eq!(capacity.l2_gas, bounds().l2_gas());
		assert!(Starknet::set_block_capacity(RuntimeOrigin::none(), capacity).is_err());
		assert_ok!(Starknet::set_block_capacity(RuntimeOrigin::root(), capacity));
		assert_eq!(Capacity::<Test>::get(), capacity);

		// The first transfer reserves its whole bound before executing and then counts what it
		// used; the second one's bound no longer fits this block: it waits (the pool still
		// takes it), and fits the next block.
		assert_ok!(submit(Call::invoke { transaction: transfer(alice, 0, bob.address, 1) }));
		let used = Totals::<Test>::get();
		assert_eq!(used.transaction_count, 1);
		assert_eq!(used.l2_gas, last_receipt().gas.l2_gas);
		assert!(used.state_diff_size >= 3, "balances and the nonce: {used:?}");
		let second = Call::invoke { transaction: transfer(carol, 0, bob.address, 1) };
		assert_ok!(Starknet::validate_unsigned(TransactionSource::External, &second));
		assert_eq!(
			Starknet::pre_dispatch(&second),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		assert_eq!(Pending::<Test>::get(), None, "nothing executed for it");
		System::set_block_number(2);
		Starknet::on_initialize(2);
		assert_eq!(Totals::<Test>::get(), BlockTotals::default());
		assert_ok!(submit(second));

		// A bound beyond one block's L2 gas is refused at admission.
		let mut greedy = transfer(alice, 1, bob.address, 1);
		let [l1_gas, l2_gas, l1_data_gas] = greedy.resource_bounds.all();
		greedy.resource_bounds = ValidResourceBounds::AllResources {
			l1_gas,
			l2_gas: ResourceBounds { max_amount: capacity.l2_gas + 1, ..l2_gas },
			l1_data_gas,
		};
		greedy.signature = sign(tx_hash(Transaction::Invoke(greedy.clone())), alice.private_key);
		refused_everywhere(
			Call::invoke { transaction: greedy },
			custom(Rejection::ExceedsBlockLimits),
		);

		// The other dimensions count what execution did: one transaction per block makes the
		// next wait; a transfer's two events exceed a one-event block outright.
		System::set_block_number(3);
		Starknet::on_initialize(3);
		let one_per_block = BlockCapacity { transactions: 1, ..capacity };
		assert_ok!(Starknet::set_block_capacity(RuntimeOrigin::root(), one_per_block));
		assert_ok!(submit(Call::invoke { transaction: transfer(alice, 1, bob.address, 1) }));
		let next = Call::invoke { transaction: transfer(alice, 2, bob.address, 1) };
		assert_eq!(
			Starknet::pre_dispatch(&next),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		System::set_block_number(4);
		Starknet::on_initialize(4);
		let one_event = BlockCapacity { events: 1, ..capacity };
		assert_ok!(Starknet::set_block_capacity(RuntimeOrigin::root(), one_event));
		assert_eq!(Starknet::pre_dispatch(&next), Err(custom(Rejection::ExceedsBlockLimits)));
		assert_eq!(nonce(alice.address), Felt::from(2u128), "the refused ones changed nothing");
	});
}

#[test]
fn declares_are_checked_cheapest_first() {
	let (state, class) = state_without_udc();
	new_test_ext(state).execute_with(|| {
		let alice = &accounts()[0];
		let sierra = class.sierra.as_bytes().to_vec();
		let declare = |nonce: u128, bounds: ValidResourceBounds, from: &DevAccount| {
			let mut tx = declare_tx(from, nonce, class.class_hash, class.compiled_class_hash);
			tx.resource_bounds = bounds;
			tx.signature = sign(tx_hash(Transaction::Declare(tx.clone())), from.private_key);
			tx
		};
		// Too large: refused on its size alone (the bytes are not even JSON).
		let huge = vec![b' '; validation::CLASS_LIMITS.max_class_bytes as usize + 1];
		refused_everywhere(
			Call::declare { transaction: declare(0, bounds(), alice), contract_class: huge },
			custom(Rejection::ClassTooLarge),
		);
		// More than the balance can pay: refused before compiling (the balance is read from
		// the fee token), with the precheck's own message.
		let [l1_gas, l2_gas, l1_data_gas] = bounds().all();
		let rich = ValidResourceBounds::AllResources {
			l1_gas,
			l2_gas: ResourceBounds { max_price_per_unit: 100_000_000_000_000, ..l2_gas },
			l1_data_gas,
		};
		let tx = declare(0, rich, alice);
		match Starknet::precheck(&Transaction::Declare(tx.clone()), Some(sierra.len())) {
			Err(cairn_primitives::starknet::exec::ExecError::Rejected(
				Rejection::InsufficientBalance,
				message,
			)) => {
				assert!(String::from_utf8_lossy(&message).contains("below the maximal fee"))
			}
			other => panic!("{other:?}"),
		}
		refused_everywhere(
			Call::declare { transaction: tx, contract_class: sierra.clone() },
			custom(Rejection::InsufficientBalance),
		);
		// From an address with no contract.
		let ghost = DevAccount { address: felt("0x5151"), ..alice.clone() };
		refused_everywhere(
			Call::declare {
				transaction: declare(0, bounds(), &ghost),
				contract_class: sierra.clone(),
			},
			custom(Rejection::ContractNotFound),
		);
		// A stale nonce.
		submit(Call::invoke { transaction: transfer(alice, 0, alice.address, 1) }).unwrap();
		assert_eq!(
			Starknet::validate_unsigned(
				TransactionSource::External,
				&Call::declare {
					transaction: declare(0, bounds(), alice),
					contract_class: sierra.clone()
				}
			),
			Err(InvalidTransaction::Stale.into())
		);
		// Already declared (a genesis class): refused before compiling.
		let genesis_class = &dev_state().classes[0];
		let mut again =
			declare_tx(alice, 1, genesis_class.class_hash, genesis_class.compiled_class_hash);
		again.signature = sign(tx_hash(Transaction::Declare(again.clone())), alice.private_key);
		refused_everywhere(
			Call::declare { transaction: again, contract_class: b"not even json".to_vec() },
			custom(Rejection::ClassAlreadyDeclared),
		);
	});
}

#[test]
fn genesis_classes_meet_the_class_limits() {
	// The audited libfunc list and Starknet's sizes admit every class the development chain
	// starts with, compiled by the pinned compiler.
	for class in dev_state().classes {
		let request = cairn_primitives::starknet::exec::CompileRequest {
			class_hash: class.class_hash,
			limits: validation::CLASS_LIMITS,
			isolated: false,
		};
		let compiled =
			cairn_executor::compile_class_checked(class.sierra.as_bytes(), request, None)
				.unwrap_or_else(|e| panic!("class {:?}: {e:?}", class.class_hash));
		assert_eq!(compiled.compiled_class_hash, class.compiled_class_hash);
	}
}

#[test]
fn the_balance_of_selector_is_sn_keccak_of_its_name() {
	assert_eq!(
		Felt(starknet_api::abi::abi_utils::selector_from_name("balanceOf").0),
		Felt::from_hex("0x2e4263afad30923c891518314c3c95dbe830a16874e8abc5777a9a20b54c76e")
			.unwrap()
	);
}

#[test]
fn mutated_scale_encoded_starknet_calls_never_panic_the_runtime() {
	// A property over SCALE: take valid encoded calls (invoke, declare, deploy_account), flip,
	// insert, delete and overwrite bytes at random (seeded), and for every mutation that still
	// decodes, ask the pool and the block. Each answer must be a verdict, never a panic.
	let (state, class) = state_without_udc();
	new_test_ext(state).execute_with(|| {
		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		let seeds: Vec<Vec<u8>> = [
			Call::<Test>::invoke { transaction: transfer(alice, 0, bob.address, 5) },
			Call::declare {
				transaction: declare_tx(alice, 0, class.class_hash, class.compiled_class_hash),
				contract_class: class.sierra.as_bytes()[..2_000].to_vec(),
			},
			Call::deploy_account {
				transaction: deploy_account_tx(Felt::from(5u128), alice.class_hash),
			},
		]
		.iter()
		.map(Encode::encode)
		.collect();
		let mut state = 0x9e3779b97f4a7c15u64;
		let mut next = move || {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			state
		};
		let (mut decoded, mut verdicts) = (0, 0);
		for round in 0..3_000 {
			let mut bytes = seeds[round % seeds.len()].clone();
			for _ in 0..1 + next() % 4 {
				let at = (next() as usize) % bytes.len().max(1);
				match next() % 4 {
					0 => bytes[at] ^= 1 << (next() % 8),
					1 => bytes.insert(at, next() as u8),
					2 if bytes.len() > 1 => {
						bytes.remove(at);
					}
					_ => bytes[at] = [0x00, 0xff, 0x7f, 0x80][(next() % 4) as usize],
				}
			}
			let Ok(call) = Call::<Test>::decode(&mut &bytes[..]) else { continue };
			decoded += 1;
			let pool = Starknet::validate_unsigned(TransactionSource::External, &call);
			let block = Starknet::pre_dispatch(&call);
			if pool.is_ok() || block.is_ok() {
				verdicts += 1;
			}
		}
		// Most mutations of a felt or a bound still decode: the property was exercised.
		assert!(decoded > 1_000, "only {decoded} mutations decoded");
		println!("{decoded} decoded mutations, {verdicts} accepted by the pool or the block");
	});
}

/// The whole commitment built afresh from the pallet's Starknet state, in memory.
fn rebuilt_commitment() -> (Felt, cairn_commitment::state::MemoryStore) {
	use std::collections::BTreeMap;
	let mut storage: BTreeMap<Felt, Vec<(Felt, Felt)>> = BTreeMap::new();
	for (contract, key, value) in ContractStorage::<Test>::iter() {
		storage.entry(contract).or_default().push((key, value));
	}
	for cells in storage.values_mut() {
		cells.sort();
	}
	let mut contracts: Vec<Felt> = storage.keys().copied().collect();
	contracts.extend(ContractClassHashes::<Test>::iter_keys());
	contracts.extend(Nonces::<Test>::iter_keys());
	contracts.sort();
	contracts.dedup();
	let mut classes: Vec<(Felt, Felt)> = CompiledClassHashes::<Test>::iter().collect();
	classes.sort();
	let request = cairn_commitment::CommitRequest {
		storage: storage.into_iter().collect(),
		contracts: contracts
			.into_iter()
			.map(|c| {
				(
					c,
					ContractClassHashes::<Test>::get(c).unwrap_or_default(),
					Nonces::<Test>::get(c).unwrap_or_default(),
				)
			})
			.collect(),
		classes,
		starknet_version: ChainConfiguration::<Test>::get().starknet_version,
	};
	let mut store = cairn_commitment::state::MemoryStore::default();
	let commitment = cairn_commitment::state::commit(&store, &request).unwrap();
	store.apply(&commitment);
	(commitment.state_root, store)
}

/// The tries as the pallet keeps them equal the ones built afresh, node for node.
fn assert_commitment_is_the_state_s(number: u64) {
	let header = Headers::<Test>::get(number).unwrap();
	let (root, store) = rebuilt_commitment();
	assert_ne!(root, Felt::ZERO);
	assert_eq!(header.state_root, root, "block {number}");
	let kept: std::collections::BTreeMap<_, _> =
		TrieNodes::<Test>::iter().map(|(trie, path, node)| ((trie, path), node)).collect();
	assert_eq!(kept, store.nodes, "block {number}: the trie nodes");
	let roots: std::collections::BTreeMap<_, _> = TrieRoots::<Test>::iter().collect();
	assert_eq!(roots, store.roots, "block {number}: the trie roots");
}

#[test]
fn each_block_commits_its_state_and_0x1_holds_the_hash_of_block_n_minus_10() {
	new_test_ext(dev_state()).execute_with(|| {
		// Genesis is block 0: its state committed, its hash over that root.
		assert_commitment_is_the_state_s(0);
		let genesis = Headers::<Test>::get(0).unwrap();
		assert_eq!(genesis.parent_hash, Felt::ZERO);
		assert_ne!(genesis.block_hash, Felt::ZERO);

		let [alice, bob, ..] = &accounts()[..] else { panic!() };
		Starknet::on_initialize(1);
		submit(Call::invoke { transaction: transfer(alice, 0, bob.address, 5) }).unwrap();
		Starknet::on_finalize(1);
		assert_commitment_is_the_state_s(1);
		let first = Headers::<Test>::get(1).unwrap();
		assert_eq!(first.parent_hash, genesis.block_hash);
		assert_ne!(first.state_root, genesis.state_root);
		assert_ne!(first.commitments.transaction_commitment, Felt::ZERO);
		assert_eq!(Signatures::<Test>::get().len(), 1);

		for n in 2..=11u64 {
			System::set_block_number(n);
			Starknet::on_initialize(n);
			Starknet::on_finalize(n);
			let header = Headers::<Test>::get(n).unwrap();
			assert_eq!(header.parent_hash, Headers::<Test>::get(n - 1).unwrap().block_hash);
			match n.checked_sub(10) {
				Some(old) => {
					let old_hash = Headers::<Test>::get(old).unwrap().block_hash;
					let cell = ContractStorage::<Test>::get(
						commitment::BLOCK_HASH_CONTRACT,
						Felt::from(old as u128),
					);
					assert_eq!(cell, Some(old_hash), "block {n}");
					// The write is the block's state diff.
					assert_eq!(
						StateDiffs::<Test>::get()[0].storage,
						vec![(commitment::BLOCK_HASH_CONTRACT, Felt::from(old as u128), old_hash)]
					);
					assert_ne!(header.state_root, Headers::<Test>::get(n - 1).unwrap().state_root);
				}
				None => {
					assert!(StateDiffs::<Test>::get().is_empty(), "block {n}");
					// Nothing changed: the same root, a new hash.
					assert_eq!(header.state_root, Headers::<Test>::get(n - 1).unwrap().state_root);
				}
			}
			assert_commitment_is_the_state_s(n);
		}
	});
}

/// Ends block `n` and starts block `n + 1` at Substrate time `ms`, as `Executive` would.
fn next_block(n: u64, ms: u64) {
	Starknet::on_finalize(n);
	System::set_block_number(n + 1);
	Starknet::on_initialize(n + 1);
	pallet_timestamp::Now::<Test>::put(ms);
}

#[test]
fn root_writes_storage_and_credits_u256_words_into_the_state_diff() {
	new_test_ext(dev_state()).execute_with(|| {
		let (contract, key) = (felt("0x1234"), felt("0x77"));
		let write = Call::<Test>::set_storage { writes: vec![(contract, key, felt("0x5"))] };
		assert!(write.clone().dispatch_bypass_filter(RuntimeOrigin::none()).is_err());
		assert_ok!(write.dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_eq!(ContractStorage::<Test>::get(contract, key), Some(felt("0x5")));
		assert_eq!(
			StateDiffs::<Test>::get().last().unwrap().storage,
			vec![(contract, key, felt("0x5"))]
		);
		// Zero removes the cell (zero is never stored).
		let zero = Call::<Test>::set_storage { writes: vec![(contract, key, Felt::ZERO)] };
		assert_ok!(zero.dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_eq!(ContractStorage::<Test>::get(contract, key), None);
		let too_many = Call::<Test>::set_storage {
			writes: vec![(contract, key, Felt::ZERO); dev::MAX_WRITES as usize + 1],
		};
		assert!(too_many.dispatch_bypass_filter(RuntimeOrigin::root()).is_err());

		// A mint: Alice's STRK balance and the total supply credited; the low word carries.
		let alice = accounts()[0].address;
		let balance_key = Felt(*get_storage_var_address("ERC20_balances", &[alice.0]).0.key());
		let before = balance(strk(), alice);
		let credit = |amount: u128| Call::<Test>::credit {
			contract: strk(),
			keys: vec![balance_key],
			amount,
		};
		assert!(credit(1).dispatch_bypass_filter(RuntimeOrigin::signed(1)).is_err());
		assert_ok!(credit(1_000).dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_eq!(balance(strk(), alice), before + 1_000);
		assert_ok!(credit(u128::MAX).dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_eq!(balance(strk(), alice), before + 999, "the low word wrapped");
		assert_eq!(
			ContractStorage::<Test>::get(strk(), balance_key.next()),
			Some(Felt::from(1u128))
		);
		Starknet::on_finalize(1);
		assert_commitment_is_the_state_s(1);
	});
}

#[test]
fn the_starknet_clock_moves_forward_from_the_next_block_exactly_and_prices_follow() {
	new_test_ext(dev_state()).execute_with(|| {
		let now = NOW_MS / 1000;
		assert_eq!(Starknet::starknet_timestamp(), now);
		let set = |change: NextBlocks| Call::<Test>::set_next_blocks { change };
		let at = |t: u64| NextBlocks { clock: Some(ClockChange::At(t)), gas_prices: None };
		// Not into the past, nor the present; not without root.
		assert!(set(at(now)).dispatch_bypass_filter(RuntimeOrigin::root()).is_err());
		assert!(set(at(now + 100)).dispatch_bypass_filter(RuntimeOrigin::none()).is_err());
		assert_ok!(set(at(now + 100)).dispatch_bypass_filter(RuntimeOrigin::root()));
		let mut prices = cairn_primitives::starknet::exec::GasPrices::default();
		prices.l2_gas_price_fri = 7;
		let price_change = NextBlocks { clock: None, gas_prices: Some(prices) };
		assert_ok!(set(price_change).dispatch_bypass_filter(RuntimeOrigin::root()));
		// The block that asked keeps its clock and prices.
		assert_eq!(Starknet::starknet_timestamp(), now);
		assert_eq!(Starknet::block_context().block_timestamp, now);
		assert_ne!(ChainConfiguration::<Test>::get().gas_prices, prices);
		next_block(1, NOW_MS + 3_000);
		assert_eq!(Headers::<Test>::get(1).unwrap().timestamp, now);
		// Block 2 is exactly at the time asked, 3 s of Substrate time later, with the new prices.
		assert_eq!(Starknet::block_context().block_timestamp, now + 100);
		assert_eq!(ChainConfiguration::<Test>::get().gas_prices, prices);
		// Then the clock runs from there.
		next_block(2, NOW_MS + 5_000);
		assert_eq!(Headers::<Test>::get(2).unwrap().timestamp, now + 100);
		assert_eq!(Starknet::starknet_timestamp(), now + 102);
		// An increase: +50 from the next block on, and for good.
		let increase = NextBlocks { clock: Some(ClockChange::Increase(50)), gas_prices: None };
		assert_ok!(set(increase.clone()).dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_ok!(set(increase).dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_eq!(Starknet::starknet_timestamp(), now + 102);
		next_block(3, NOW_MS + 5_000);
		assert_eq!(Starknet::starknet_timestamp(), now + 202, "two increases of 50 add up");
		next_block(4, NOW_MS + 6_000);
		assert_eq!(Headers::<Test>::get(4).unwrap().timestamp, now + 202);
		assert_eq!(Starknet::starknet_timestamp(), now + 203);
		assert_eq!(Upcoming::<Test>::get(), None);
		// A change asked in the block where an earlier one falls due: both hold, and the block
		// keeps one timestamp throughout.
		assert_ok!(set(at(now + 1_000)).dispatch_bypass_filter(RuntimeOrigin::root()));
		next_block(5, NOW_MS + 7_000);
		assert_eq!(Starknet::starknet_timestamp(), now + 1_000);
		assert_ok!(set(NextBlocks { clock: Some(ClockChange::Increase(10)), gas_prices: None })
			.dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_eq!(Starknet::starknet_timestamp(), now + 1_000);
		next_block(6, NOW_MS + 8_000);
		assert_eq!(Headers::<Test>::get(6).unwrap().timestamp, now + 1_000);
		assert_eq!(Starknet::starknet_timestamp(), now + 1_011);
	});
}

mod l1_messages {
	use super::*;
	use cairn_primitives::starknet::l1::{L1InherentError, L1Message, INHERENT_IDENTIFIER};
	use frame_support::{
		assert_noop,
		inherent::{InherentData, ProvideInherent},
	};

	fn message(nonce: u128) -> L1Message {
		L1Message {
			l1_transaction_hash: [nonce as u8; 32],
			l1_block_number: 10 + nonce as u64,
			from_address: felt("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
			// No contract there: the executor refuses the message.
			to_address: felt("0x1234"),
			selector: selector("deposit"),
			payload: vec![felt("0xabc"), Felt::from(5u128)],
			nonce: Felt::from(nonce),
			paid_fee_on_l1: 1_000_000_000_000_000,
		}
	}

	fn data(messages: &[L1Message]) -> InherentData {
		let mut data = InherentData::new();
		data.put_data(INHERENT_IDENTIFIER, &messages.to_vec()).unwrap();
		data
	}

	#[test]
	fn a_message_is_consumed_once_and_a_replay_is_refused() {
		new_test_ext(dev_state()).execute_with(|| {
			assert_ok!(Starknet::consume_l1_messages(RuntimeOrigin::none(), vec![message(0)]));
			// No contract at the address: included, reverted, as on Starknet.
			assert!(
				System::events().iter().any(|r| matches!(
					r.event,
					RuntimeEvent::Starknet(crate::Event::TransactionExecuted {
						kind: TransactionKind::L1Handler,
						reverted: true,
						..
					})
				)),
				"{:?}",
				System::events()
			);
			assert_eq!(
				L1MessagesConsumed::<Test>::get(Felt::ZERO),
				Some(message(0).message_hash())
			);
			assert_noop!(
				Starknet::consume_l1_messages(RuntimeOrigin::none(), vec![message(0)]),
				Error::<Test>::L1MessageAlreadyConsumed
			);
			// Out of nonce order within a block, or from a signed origin: refused.
			assert_noop!(
				Starknet::consume_l1_messages(RuntimeOrigin::none(), vec![message(2), message(1)]),
				Error::<Test>::Malformed
			);
			assert!(Starknet::consume_l1_messages(RuntimeOrigin::root(), vec![message(3)]).is_err());
		});
	}

	#[test]
	fn the_author_offers_only_unconsumed_messages_in_nonce_order() {
		new_test_ext(dev_state()).execute_with(|| {
			assert_ok!(Starknet::consume_l1_messages(RuntimeOrigin::none(), vec![message(1)]));
			let offered = data(&[message(3), message(1), message(2), message(3)]);
			let Some(Call::consume_l1_messages { messages }) = Starknet::create_inherent(&offered)
			else {
				panic!("an inherent with the unconsumed messages")
			};
			assert_eq!(messages, vec![message(2), message(3)]);
			assert!(Starknet::create_inherent(&data(&[message(1)])).is_none());
			assert!(Starknet::create_inherent(&InherentData::new()).is_none());
		});
	}

	#[test]
	fn an_importer_refuses_a_message_its_l1_does_not_show() {
		new_test_ext(dev_state()).execute_with(|| {
			let call = Call::consume_l1_messages { messages: vec![message(0), message(1)] };
			assert_ok!(Starknet::check_inherent(&call, &data(&[message(0), message(1)])));
			assert_eq!(
				Starknet::check_inherent(&call, &data(&[message(0)])),
				Err(L1InherentError::UnknownMessage(Felt::from(1u128)))
			);
			// A payload changed on the way is another message.
			let mut forged = message(0);
			forged.payload[1] = Felt::from(5_000u128);
			let forged_call = Call::consume_l1_messages { messages: vec![forged] };
			assert!(Starknet::check_inherent(&forged_call, &data(&[message(0)])).is_err());
			// A node without an L1 endpoint takes the author's word.
			assert_ok!(Starknet::check_inherent(&call, &InherentData::new()));
			// The pool never takes the inherent from a user.
			assert!(Starknet::validate_unsigned(TransactionSource::External, &call).is_err());
		});
	}
}

//! Pool admission: what blockifier's stateful validator checks (nonce, fee bounds, balance, the
//! account's `__validate__` and its cost), with `__validate__` run on the Cairo VM **once per
//! transaction, in its block**, wherever admission can reach the same verdict without it.
//!
//! An invoke from an account whose class is a [`KnownAccount`] — one whose `__validate__` is
//! exactly "deserialize `Array<Call>`, then a Stark-curve ECDSA check of the transaction hash
//! against a stored public key" — is admitted without the VM when all of these hold:
//! - blockifier's pre-validation stage passes (run as always: nonce, prices, balance);
//! - the calldata deserializes as `Array<Call>` and nothing is left over ([`call_lengths`]);
//! - the signature verifies natively ([`signature_verifies`]), which implies Cairo's
//!   `check_ecdsa_signature` accepts it (the proof is on that function);
//! - the bounds cover at least twice what `__validate__` costs for a transaction of the same
//!   shape (same class, Starknet version, data-availability mode, call lengths and signature
//!   length), so blockifier's post-validation bounds check passes too. The cost is measured when
//!   a block first executes a transaction of that shape on this node ([`before_execution`],
//!   [`after_execution`]); within a shape it varies by a few Cairo steps (the ECDSA check's two
//!   last branches). Until then, transactions of the shape are validated on the VM.
//!
//! Otherwise — an unknown class, a shape not measured yet, a signature the native check does not
//! accept, tight bounds — the VM validates as before. Either way blockifier's stateful validator
//! gives the verdict (with `__validate__` skipped on the native path): its pre-validation checks
//! always run, and the native path only ever says "valid" where the VM would. A block
//! executes every transaction in full (`__validate__` included) whatever admission did, so what a
//! block computes is unchanged. Tested against the VM in `tests` below.
use crate::errors::reject_validation;
use blockifier::{
	blockifier::stateful_validator::StatefulValidator,
	context::BlockContext,
	execution::call_info::CallInfo,
	fee::receipt::TransactionReceipt,
	state::{
		cached_state::{CachedState, StateChanges, TransactionalState},
		state_api::StateReader,
	},
	transaction::{account_transaction::AccountTransaction, objects::TransactionExecutionInfo},
};
use cairn_primitives::starknet::exec::ExecError;
use schnellru::{ByLength, LruMap};
use starknet_api::{
	abi::abi_utils::get_storage_var_address,
	core::ContractAddress,
	executable_transaction::{AccountTransaction as ApiTransaction, InvokeTransaction},
	execution_resources::{GasAmount, GasVector},
	transaction::fields::ValidResourceBounds,
};
use starknet_types_core::{
	curve::{AffinePoint, ProjectivePoint},
	felt::{Felt, NonZeroFelt},
};
use std::sync::{LazyLock, Mutex};

/// How a transaction was admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
	/// `__validate__` ran on the VM (or the transaction is not an invoke: executed in full).
	Vm,
	/// The account's signature was checked natively; `__validate__` runs once, in the block.
	Native,
}

/// An account class whose `__validate__` is one ECDSA check of the transaction hash against a
/// public key in a storage variable, after deserializing `Array<Call>`.
struct KnownAccount {
	class_hash: Felt,
	/// The storage variable holding the public key.
	public_key_var: &'static str,
}

/// The known classes. Each one's `__validate__` was read in its source and is checked against
/// the VM by this module's tests.
const KNOWN_ACCOUNTS: [KnownAccount; 2] = [
	// OpenZeppelin account 1.0.0 (the genesis account; starknet-devnet's): `__validate__` is
	// `assert(is_valid_stark_signature(tx_hash, Account_public_key, signature))`, which is
	// `signature.len() == 2 && check_ecdsa_signature(tx_hash, key, r, s)`.
	KnownAccount {
		class_hash: Felt::from_hex_unchecked(
			"0x05b4b537eaa2399e3aa99c4e2e0208ebd6c71bc1467938cd52c798c601e43564",
		),
		public_key_var: "Account_public_key",
	},
	// StarkWare's example account (cairo-lang-starknet 2.19.6's test data, Sierra 1.9.5; the
	// benchmark's `--account-class starkware`): `__validate__` is
	// `assert(signature.len() == 2)` then `assert(check_ecdsa_signature(tx_hash, public_key, r,
	// s))`.
	KnownAccount {
		class_hash: Felt::from_hex_unchecked(
			"0x05fa82f4d7c613dde8a000fe404cbff9ec94f419cd22fbeae91a3294bbb0ab06",
		),
		public_key_var: "public_key",
	},
];

/// What determines the cost of a known account's `__validate__` (all but a handful of Cairo
/// steps: the two branches of the ECDSA check's last comparison).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Shape {
	class_hash: Felt,
	starknet_version: String,
	use_kzg_da: bool,
	/// The calldata length of each call.
	calls: Vec<u32>,
	signature_len: usize,
}

/// Most shapes remembered.
const MAX_SHAPES: u32 = 4_096;
/// Most public keys' curve points remembered.
const MAX_KEYS: u32 = 65_536;

/// The most each shape's validation was measured to cost on the VM.
static MEASURED: LazyLock<Mutex<LruMap<Shape, GasVector, ByLength>>> =
	LazyLock::new(|| Mutex::new(LruMap::new(ByLength::new(MAX_SHAPES))));
/// Public keys' curve points (the square root that finds one costs more than the rest of a
/// signature check); `None`: not the x coordinate of a point.
static KEY_POINTS: LazyLock<Mutex<LruMap<Felt, Option<AffinePoint>, ByLength>>> =
	LazyLock::new(|| Mutex::new(LruMap::new(ByLength::new(MAX_KEYS))));

/// Admits `tx` to the pool on `state`, as blockifier's stateful validator does; the error is
/// the validator's (see the module doc for when `__validate__` does not run on the VM).
pub(crate) fn admit<S: StateReader>(
	mut state: CachedState<S>,
	block_context: &BlockContext,
	mut tx: AccountTransaction,
) -> Result<Admission, ExecError> {
	let mut admission = Admission::Vm;
	if let ApiTransaction::Invoke(invoke) = &tx.tx {
		if let Some((shape, known)) = shape(&mut state, block_context, invoke) {
			let measured = MEASURED.lock().unwrap_or_else(|e| e.into_inner()).get(&shape).copied();
			if let Some(measured) = measured {
				if covers_twice(&invoke.resource_bounds(), &measured)
					&& signed_by_stored_key(&mut state, invoke, known)
				{
					admission = Admission::Native;
				}
			}
		}
	}
	// The stateful validator: pre-validation (nonce, prices, balance), then `__validate__` and
	// its cost against the bounds — but where the native check stood in for them.
	if admission == Admission::Native {
		tx.execution_flags.validate = false;
	}
	let mut validator = StatefulValidator::create(state, block_context.clone());
	validator.perform_validations(tx).map_err(reject_validation)?;
	Ok(admission)
}

/// What measuring a transaction's validation cost needs from before its execution in a block:
/// its shape, and the state diff its validation alone makes (the nonce).
pub(crate) struct Measurement {
	shape: Shape,
	diff: StateChanges,
}

/// Before a block executes `tx`: for an invoke from a known account whose shape is not measured
/// yet, the diff its validation alone makes, taken on a throw-away state (pre-validation only:
/// the nonce, a balance read). The measurement rides on the block's own execution, so admission
/// never executes more than `__validate__` (were it to execute in full to measure, a sender
/// could make every node execute many variants of one nonce, in new shapes, for one fee).
pub(crate) fn before_execution<S: StateReader>(
	state: &mut CachedState<S>,
	block_context: &BlockContext,
	tx: &AccountTransaction,
) -> Option<Measurement> {
	let ApiTransaction::Invoke(invoke) = &tx.tx else { return None };
	let (shape, _) = shape(state, block_context, invoke)?;
	if MEASURED.lock().unwrap_or_else(|e| e.into_inner()).get(&shape).is_some() {
		return None;
	}
	let tx_context = block_context.to_tx_context(tx);
	let mut scratch = TransactionalState::create_transactional(state);
	tx.perform_pre_validation_stage(&mut scratch, &tx_context).ok()?;
	let diff = scratch.to_state_diff().ok()?;
	scratch.abort();
	Some(Measurement { shape, diff })
}

/// After the block executed `tx` (`info`): records what blockifier's post-validation check would
/// compare with the bounds — the receipt of `__validate__` alone: its gas, the nonce's data, the
/// calldata's and the signature's — for the shape `measurement` names.
pub(crate) fn after_execution(
	measurement: Option<Measurement>,
	block_context: &BlockContext,
	tx: &AccountTransaction,
	info: &TransactionExecutionInfo,
) {
	let Some(Measurement { shape, diff }) = measurement else { return };
	let Some(validate) = &info.validate_call_info else { return };
	let tx_context = block_context.to_tx_context(tx);
	let resources =
		CallInfo::summarize_many(std::iter::once(validate), block_context.versioned_constants());
	let cost =
		TransactionReceipt::from_account_tx(tx, &tx_context, &diff, resources, 0, GasAmount(0)).gas;
	let mut measured = MEASURED.lock().unwrap_or_else(|e| e.into_inner());
	let most = match measured.get(&shape) {
		Some(seen) => max(seen, &cost),
		None => cost,
	};
	measured.insert(shape, most);
}

fn max(a: &GasVector, b: &GasVector) -> GasVector {
	GasVector {
		l1_gas: a.l1_gas.max(b.l1_gas),
		l1_data_gas: a.l1_data_gas.max(b.l1_data_gas),
		l2_gas: a.l2_gas.max(b.l2_gas),
	}
}

/// The shape of an invoke from a known account, or `None` when the native path cannot apply
/// (another class, fields whose costs the shape does not cover, calldata that is not exactly an
/// `Array<Call>`).
fn shape<S: StateReader>(
	state: &mut CachedState<S>,
	block_context: &BlockContext,
	invoke: &InvokeTransaction,
) -> Option<(Shape, &'static KnownAccount)> {
	let class_hash = state.get_class_hash_at(invoke.sender_address()).ok()?.0;
	let known = KNOWN_ACCOUNTS.iter().find(|known| known.class_hash == class_hash)?;
	if !invoke.paymaster_data().0.is_empty()
		|| !invoke.account_deployment_data().0.is_empty()
		|| !invoke.proof_facts().0.is_empty()
	{
		return None;
	}
	let calls = call_lengths(&invoke.calldata().0)?;
	let info = block_context.block_info();
	Some((
		Shape {
			class_hash,
			starknet_version: info.starknet_version.to_string(),
			use_kzg_da: info.use_kzg_da,
			calls,
			signature_len: invoke.signature().0.len(),
		},
		known,
	))
}

/// The calldata length of each call, if `calldata` is exactly a Cairo `Array<Call>` as
/// `__validate__`'s argument deserialization reads it: the number of calls, then per call an
/// address (below 2^251), a selector, a length that fits a `u32` and that many felts; nothing
/// after. `None` otherwise (the VM decides: it may refuse).
pub(crate) fn call_lengths(calldata: &[Felt]) -> Option<Vec<u32>> {
	let (count, mut rest) = calldata.split_first()?;
	let count = u32::try_from(count.to_biguint()).ok()?;
	// Each call takes at least three felts: a count beyond that is not an array of calls.
	if count as usize > rest.len() / 3 {
		return None;
	}
	let mut lengths = Vec::with_capacity(count as usize);
	for _ in 0..count {
		let [to, _selector, length, tail @ ..] = rest else { return None };
		ContractAddress::try_from(*to).ok()?;
		let length = u32::try_from(length.to_biguint()).ok()?;
		rest = tail.get(length as usize..)?;
		lengths.push(length);
	}
	rest.is_empty().then_some(lengths)
}

/// Whether every bound is at least twice the measured cost (only for bounds on all three
/// resources, which blockifier compares per resource).
fn covers_twice(bounds: &ValidResourceBounds, measured: &GasVector) -> bool {
	let ValidResourceBounds::AllResources(bounds) = bounds else { return false };
	let twice = |gas: GasAmount| gas.0.saturating_mul(2);
	bounds.l1_gas.max_amount.0 >= twice(measured.l1_gas)
		&& bounds.l1_data_gas.max_amount.0 >= twice(measured.l1_data_gas)
		&& bounds.l2_gas.max_amount.0 >= twice(measured.l2_gas)
}

/// Whether the invoke's signature is `[r, s]` and verifies against the public key `known`
/// keeps in the sender's storage.
fn signed_by_stored_key<S: StateReader>(
	state: &mut CachedState<S>,
	invoke: &InvokeTransaction,
	known: &KnownAccount,
) -> bool {
	let signature = invoke.signature();
	let [r, s] = signature.0.as_slice() else { return false };
	let key_address = get_storage_var_address(known.public_key_var, &[]);
	let Ok(public_key) = state.get_storage_at(invoke.sender_address(), key_address) else {
		return false;
	};
	signature_verifies(public_key, invoke.tx_hash().0, *r, *s)
}

/// 2^251: Stark-curve ECDSA's bound on the message hash, `r` and `s`.
const BOUND: Felt =
	Felt::from_hex_unchecked("0x800000000000000000000000000000000000000000000000000000000000000");
/// The Stark curve's order.
const ORDER: Felt =
	Felt::from_hex_unchecked("0x800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f");

/// Standard Stark-curve ECDSA verification (as starknet-crypto's `verify`, with the public key's
/// curve point cached and no panic on a point at infinity).
///
/// `true` implies that Cairo's `check_ecdsa_signature(hash, public_key, r, s)` returns `true`:
/// with `w = s⁻¹ mod n`, `x(w·(zG ± rQ)) = r` means `w·(zG ± rQ) = ±R` for the point `R` with
/// `x(R) = r` (which Cairo finds, up to sign), so `zG ± rQ = ±s·R` and `x(zG ± rQ) = x(sR)`, one of
/// the two comparisons Cairo makes; its other conditions (`s ≠ 0`, `s ≠ n`, `r ≠ n`, `Q`, `R`,
/// `sR` and `rQ` not at infinity) follow from `0 < r, s < 2^251 < n` and `Q` being on the curve.
/// It may return `false` where Cairo accepts (e.g. `s ≥ 2^251`): admission then asks the VM.
pub(crate) fn signature_verifies(public_key: Felt, hash: Felt, r: Felt, s: Felt) -> bool {
	if hash >= BOUND || r == Felt::ZERO || r >= BOUND || s == Felt::ZERO || s >= BOUND {
		return false;
	}
	let Some(q) = key_point(public_key) else { return false };
	let order = NonZeroFelt::from_felt_unchecked(ORDER);
	let Some(w) = s.mod_inverse(&order) else { return false };
	let (zw, rw) = (hash.mul_mod(&w, &order), r.mul_mod(&w, &order));
	let generator = AffinePoint::generator();
	let zw_g = &ProjectivePoint::from_affine_unchecked(generator.x(), generator.y()) * zw;
	let rw_q = &ProjectivePoint::from_affine_unchecked(q.x(), q.y()) * rw;
	[&zw_g + &rw_q, &zw_g - &rw_q]
		.iter()
		.filter(|point| !point.is_identity())
		.any(|point| point.to_affine().is_ok_and(|point| point.x() == r))
}

/// The curve point whose x coordinate is `public_key` (either one: ECDSA verification tries
/// both signs of `rQ`), cached.
fn key_point(public_key: Felt) -> Option<AffinePoint> {
	if let Some(point) = KEY_POINTS.lock().unwrap_or_else(|e| e.into_inner()).get(&public_key) {
		return point.clone();
	}
	let point = AffinePoint::new_from_x(&public_key, false);
	KEY_POINTS.lock().unwrap_or_else(|e| e.into_inner()).insert(public_key, point.clone());
	point
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		dev_genesis::{dev_genesis, DevAccount},
		execute::to_blockifier,
		raw::{Engine, MemoryState},
		signing::{execute_calldata, sign_hash, Call},
		TransactionExt,
	};
	use blockifier::transaction::{
		transaction_execution::Transaction as BlockifierTransaction,
		transactions::ExecutableTransaction,
	};
	use cairn_primitives::starknet::{
		exec::{BlockContext as ContextDto, ChainConfig, ExecMode, ExecRequest},
		genesis::well_known,
		DataAvailabilityMode, Felt as CairnFelt, InvokeTransactionV3, ResourceBounds, Transaction,
		ValidResourceBounds as Bounds,
	};
	use starknet_api::core::ChainId;

	struct Chain {
		state: MemoryState,
		accounts: Vec<DevAccount>,
		context: ContextDto,
	}

	fn chain() -> Chain {
		let (genesis, accounts) = dev_genesis(ChainConfig::default(), 0, 4).unwrap();
		let (state, _) = MemoryState::from_genesis(&genesis, Engine::Vm).unwrap();
		let context =
			ContextDto { block_number: 1, block_timestamp: 1_000, config: ChainConfig::default() };
		Chain { state, accounts, context }
	}

	/// A development chain whose accounts are StarkWare's example account (the file
	/// `scripts/setup` fetches into the test classes), funded and holding their public keys.
	fn starkware_chain() -> Chain {
		use crate::dev_genesis::{account_address, published_class, storage_var_address};
		use cairn_primitives::starknet::genesis::GenesisContract;
		let dir = std::env::var_os("CAIRN_TEST_CLASSES")
			.map(std::path::PathBuf::from)
			.unwrap_or_else(|| {
				std::path::PathBuf::from(std::env::var_os("HOME").unwrap())
					.join(".cache/cairn/test-classes")
			});
		let path = dir.join("starkware_account.contract_class.json");
		let artifact = std::fs::read_to_string(&path)
			.unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup)", path.display()));
		let class = published_class("starkware_account", &artifact).unwrap();
		assert_eq!(class.class_hash.0, KNOWN_ACCOUNTS[1].class_hash, "the known class hash");
		let (mut genesis, dev) = dev_genesis(ChainConfig::default(), 0, 4).unwrap();
		let strk = genesis.config.strk_fee_token;
		let mut accounts = Vec::new();
		for index in 0..dev.len() {
			let private_key = CairnFelt::from(0x5eed_u128 + index as u128);
			let public_key = crate::signing::public_key(private_key);
			let address = account_address(class.class_hash, public_key).unwrap();
			genesis.contracts.push(GenesisContract { address, class_hash: class.class_hash });
			genesis.storage.push((address, storage_var_address("public_key", &[]), public_key));
			genesis.storage.push((
				strk,
				storage_var_address("ERC20_balances", &[address]),
				CairnFelt::from(well_known::DEV_ACCOUNT_BALANCE),
			));
			accounts.push(DevAccount {
				address,
				private_key,
				public_key,
				class_hash: class.class_hash,
			});
		}
		genesis.classes.push(class);
		let (state, _) = MemoryState::from_genesis(&genesis, Engine::Vm).unwrap();
		let context =
			ContextDto { block_number: 1, block_timestamp: 1_000, config: ChainConfig::default() };
		Chain { state, accounts, context }
	}

	#[test]
	fn the_starkware_account_takes_the_native_path_and_its_forgeries_the_vm_s_verdict() {
		let chain = starkware_chain();
		let (from, other) = (&chain.accounts[0], &chain.accounts[1]);
		assert!(agreed(&chain, &signed(from, transfer_calldata(1), 100_000_000)).is_ok());
		executed(&chain, &signed(from, transfer_calldata(1), 100_000_000));
		for amount in 2..5 {
			let tx = signed(
				&chain.accounts[amount as usize % 4],
				transfer_calldata(amount),
				100_000_000,
			);
			assert_eq!(agreed(&chain, &tx), Ok(Admission::Native), "transfer of {amount}");
		}
		let mut forged = signed(from, transfer_calldata(9), 100_000_000);
		forged.signature = sign_hash(hash(&forged), other.private_key).unwrap();
		assert!(agreed(&chain, &forged).is_err());
		let mut short = signed(from, transfer_calldata(9), 100_000_000);
		short.signature.truncate(1);
		assert!(agreed(&chain, &short).is_err());
		let mut shifted = signed(from, transfer_calldata(9), 100_000_000);
		shifted.signature[1] = CairnFelt(shifted.signature[1].0 + ORDER);
		// The native check declines s ≥ 2^251; this class's corelib (Cairo 2.19) refuses it too,
		// where OpenZeppelin 1.0.0's (Cairo 2.9) accepts it: the VM's verdict either way.
		let verdict = agreed(&chain, &shifted);
		assert!(!matches!(verdict, Ok(Admission::Native)), "s + n: {verdict:?}");
	}

	fn chain_id() -> ChainId {
		ChainId::from(well_known::DEV_CHAIN_ID.to_string())
	}

	fn bounds(l2_gas: u64) -> Bounds {
		let price = 2_000_000_000;
		Bounds::AllResources {
			l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: price },
			l2_gas: ResourceBounds { max_amount: l2_gas, max_price_per_unit: price },
			l1_data_gas: ResourceBounds { max_amount: 10_000, max_price_per_unit: price },
		}
	}

	fn transfer_calldata(amount: u128) -> Vec<CairnFelt> {
		let strk = CairnFelt::from_hex(well_known::STRK).unwrap();
		execute_calldata(&[Call {
			to: strk,
			entry_point: "transfer",
			calldata: vec![CairnFelt::from(0x1234u128), CairnFelt::from(amount), CairnFelt::ZERO],
		}])
	}

	fn unsigned(from: &DevAccount, calldata: Vec<CairnFelt>, l2_gas: u64) -> InvokeTransactionV3 {
		InvokeTransactionV3 {
			resource_bounds: bounds(l2_gas),
			tip: 0,
			signature: vec![],
			nonce: CairnFelt::ZERO,
			sender_address: from.address,
			calldata,
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
			account_deployment_data: vec![],
			proof_facts: vec![],
		}
	}

	fn hash(tx: &InvokeTransactionV3) -> CairnFelt {
		Transaction::Invoke(tx.clone()).hash(&chain_id(), false).unwrap()
	}

	fn signed(from: &DevAccount, calldata: Vec<CairnFelt>, l2_gas: u64) -> InvokeTransactionV3 {
		let mut tx = unsigned(from, calldata, l2_gas);
		tx.signature = sign_hash(hash(&tx), from.private_key).unwrap();
		tx
	}

	fn account_tx(chain: &Chain, tx: &InvokeTransactionV3) -> AccountTransaction {
		let request = ExecRequest {
			context: chain.context.clone(),
			mode: ExecMode::Pool,
			tx: Transaction::Invoke(tx.clone()),
			class: None,
			paid_fee_on_l1: 0,
		};
		match to_blockifier(request, &chain_id()).unwrap().0 {
			BlockifierTransaction::Account(tx) => tx,
			other => panic!("not an account transaction: {other:?}"),
		}
	}

	/// Admission's verdict, and blockifier's stateful validator's on the same state.
	fn both(
		chain: &Chain,
		tx: &InvokeTransactionV3,
	) -> (Result<Admission, ExecError>, Result<(), ExecError>) {
		let context = crate::cache::block_context(&chain.context).unwrap();
		let ours = admit(CachedState::new(chain.state.clone()), &context, account_tx(chain, tx));
		let mut validator =
			StatefulValidator::create(CachedState::new(chain.state.clone()), (*context).clone());
		let theirs =
			validator.perform_validations(account_tx(chain, tx)).map_err(reject_validation);
		(ours, theirs)
	}

	/// Executes `tx` as a block does, on a throw-away copy of the chain's state, measuring its
	/// shape's validation cost on the way (what makes admission's native path available).
	fn executed(chain: &Chain, tx: &InvokeTransactionV3) {
		let context = crate::cache::block_context(&chain.context).unwrap();
		let request = ExecRequest {
			context: chain.context.clone(),
			mode: ExecMode::Block,
			tx: Transaction::Invoke(tx.clone()),
			class: None,
			paid_fee_on_l1: 0,
		};
		let BlockifierTransaction::Account(tx) = to_blockifier(request, &chain_id()).unwrap().0
		else {
			unreachable!()
		};
		let mut state = CachedState::new(chain.state.clone());
		let measurement = before_execution(&mut state, &context, &tx);
		let info = tx.execute(&mut state, &context).unwrap();
		assert!(info.revert_error.is_none(), "{:?}", info.revert_error);
		after_execution(measurement, &context, &tx, &info);
	}

	/// Admits `tx` and checks the verdict is the stateful validator's; how it was reached.
	fn agreed(chain: &Chain, tx: &InvokeTransactionV3) -> Result<Admission, ExecError> {
		let (ours, theirs) = both(chain, tx);
		assert_eq!(ours.clone().map(|_| ()), theirs, "admission and the stateful validator differ");
		ours
	}

	#[test]
	fn a_measured_shape_with_a_valid_signature_skips_the_vm_and_agrees_with_it() {
		let chain = chain();
		let from = &chain.accounts[0];
		// A block executes one transaction of the shape (here or in another test): measured.
		executed(&chain, &signed(from, transfer_calldata(1), 100_000_000));
		for amount in 2..6 {
			let tx = signed(
				&chain.accounts[amount as usize % 4],
				transfer_calldata(amount),
				100_000_000,
			);
			assert_eq!(agreed(&chain, &tx), Ok(Admission::Native), "transfer of {amount}");
		}
	}

	#[test]
	fn admission_alone_never_measures_a_shape_a_block_does() {
		// Three transfers in one invoke: a shape no other test sends.
		let chain = chain();
		let from = &chain.accounts[3];
		let strk = CairnFelt::from_hex(well_known::STRK).unwrap();
		let calls = |amount: u128| {
			let transfer = |to: u128| Call {
				to: strk,
				entry_point: "transfer",
				calldata: vec![CairnFelt::from(to), CairnFelt::from(amount), CairnFelt::ZERO],
			};
			execute_calldata(&[transfer(0x51), transfer(0x52), transfer(0x53)])
		};
		for amount in 1..4 {
			let tx = signed(from, calls(amount), 100_000_000);
			assert_eq!(agreed(&chain, &tx), Ok(Admission::Vm), "not measured yet: the VM");
		}
		executed(&chain, &signed(from, calls(9), 100_000_000));
		assert_eq!(agreed(&chain, &signed(from, calls(10), 100_000_000)), Ok(Admission::Native));
	}

	#[test]
	fn every_signature_the_native_check_declines_goes_to_the_vm_with_its_verdict() {
		let chain = chain();
		let from = &chain.accounts[1];
		let other = &chain.accounts[2];
		executed(&chain, &signed(from, transfer_calldata(7), 100_000_000));
		let order = CairnFelt(ORDER);
		let cases: Vec<(&str, Box<dyn Fn(&mut InvokeTransactionV3)>)> = vec![
			(
				"signed by another key",
				Box::new(|tx| tx.signature = sign_hash(hash(tx), other.private_key).unwrap()),
			),
			("s = 0", Box::new(|tx| tx.signature[1] = CairnFelt::ZERO)),
			("s = n", Box::new(move |tx| tx.signature[1] = order)),
			("r = 0", Box::new(|tx| tx.signature[0] = CairnFelt::ZERO)),
			("r = n", Box::new(move |tx| tx.signature[0] = order)),
			("r + 1", Box::new(|tx| tx.signature[0] = CairnFelt(tx.signature[0].0 + Felt::ONE))),
			("no signature", Box::new(|tx| tx.signature.clear())),
			("one felt", Box::new(|tx| tx.signature.truncate(1))),
			("three felts", Box::new(|tx| tx.signature.push(CairnFelt::from(1u128)))),
			// Cairo's check reduces s modulo n (s·R), so s + n is valid there: the native check
			// declines it (s ≥ 2^251) and the VM accepts.
			("s + n", Box::new(move |tx| tx.signature[1] = CairnFelt(tx.signature[1].0 + order.0))),
		];
		for (name, mutate) in cases {
			let mut tx = signed(from, transfer_calldata(8), 100_000_000);
			mutate(&mut tx);
			let admitted = agreed(&chain, &tx);
			if admitted.is_ok() {
				assert_eq!(admitted, Ok(Admission::Vm), "{name}: only the VM may accept it");
			}
		}
		// n - s is the same signature to both (ECDSA's malleability): valid either way.
		let mut tx = signed(from, transfer_calldata(8), 100_000_000);
		tx.signature[1] = CairnFelt(order.0 - tx.signature[1].0);
		assert!(agreed(&chain, &tx).is_ok());
		// A valid signature of the shape itself, for contrast.
		assert_eq!(
			agreed(&chain, &signed(from, transfer_calldata(9), 100_000_000)),
			Ok(Admission::Native)
		);
	}

	#[test]
	fn a_signature_whose_sum_is_the_point_at_infinity_is_declined_not_panicked() {
		// With the private key d, r = -z/d (mod n) makes zG + rQ the point at infinity, where an
		// unchecked affine conversion panics. Search a transaction whose r is a valid x.
		let chain = chain();
		let from = &chain.accounts[3];
		let order = NonZeroFelt::from_felt_unchecked(ORDER);
		let d_inverse = from.private_key.0.mod_inverse(&order).unwrap();
		for amount in 100..200u128 {
			let mut tx = unsigned(from, transfer_calldata(amount), 100_000_000);
			let z = hash(&tx).0;
			let r = (ORDER - z.mul_mod(&d_inverse, &order)).mod_floor(&order);
			if r >= BOUND || AffinePoint::new_from_x(&r, false).is_none() {
				continue;
			}
			assert!(!signature_verifies(from.public_key.0, z, r, Felt::from(12345u64)));
			tx.signature = vec![CairnFelt(r), CairnFelt::from(12345u128)];
			assert!(agreed(&chain, &tx).is_err(), "a forged signature is refused");
			return;
		}
		panic!("no transaction of the 100 tried has a usable r");
	}

	#[test]
	fn calldata_that_is_not_exactly_an_array_of_calls_goes_to_the_vm() {
		let chain = chain();
		let from = &chain.accounts[0];
		let good = transfer_calldata(3);
		let big = CairnFelt(BOUND);
		let cases: Vec<(&str, Vec<CairnFelt>)> = vec![
			("one call too many", [vec![CairnFelt::from(2u128)], good[1..].to_vec()].concat()),
			("a call too few", [vec![CairnFelt::ZERO], good[1..].to_vec()].concat()),
			("trailing felt", [good.clone(), vec![CairnFelt::from(1u128)]].concat()),
			("short calldata", good[..good.len() - 1].to_vec()),
			("address ≥ 2^251", [vec![good[0], big], good[2..].to_vec()].concat()),
			("length beyond u32", {
				let mut c = good.clone();
				c[3] = CairnFelt::from(1u128 << 40);
				c
			}),
			("count beyond u32", {
				let mut c = good.clone();
				c[0] = CairnFelt::from(1u128 << 40);
				c
			}),
			("empty", vec![]),
		];
		for (name, calldata) in cases {
			assert_eq!(
				call_lengths(&calldata.iter().map(|f| f.0).collect::<Vec<_>>()),
				None,
				"{name}"
			);
			let tx = signed(from, calldata, 100_000_000);
			let admitted = agreed(&chain, &tx);
			assert!(!matches!(admitted, Ok(Admission::Native)), "{name}: {admitted:?}");
		}
		assert_eq!(call_lengths(&good.iter().map(|f| f.0).collect::<Vec<_>>()), Some(vec![3]));
		assert_eq!(call_lengths(&[Felt::ZERO]), Some(vec![]));
	}

	#[test]
	fn bounds_below_twice_the_measured_cost_go_to_the_vm_with_its_verdict() {
		let chain = chain();
		let from = &chain.accounts[2];
		// Measure the shape.
		executed(&chain, &signed(from, transfer_calldata(4), 100_000_000));
		let measured = {
			let context = crate::cache::block_context(&chain.context).unwrap();
			let tx = account_tx(&chain, &signed(from, transfer_calldata(4), 100_000_000));
			let ApiTransaction::Invoke(invoke) = &tx.tx else { unreachable!() };
			let mut state = CachedState::new(chain.state.clone());
			let (shape, _) = shape(&mut state, &context, invoke).unwrap();
			MEASURED.lock().unwrap().get(&shape).copied().unwrap()
		};
		let validate = measured.l2_gas.0;
		assert!(validate > 0);
		// Just enough for validation, not twice it: the VM decides (and accepts); below it, the
		// VM refuses; at twice it, the native path.
		for (l2_gas, expected) in [
			(validate, Some(Admission::Vm)),
			(2 * validate - 1, Some(Admission::Vm)),
			(validate / 2, None),
			(2 * validate, Some(Admission::Native)),
		] {
			let admitted = agreed(&chain, &signed(from, transfer_calldata(5), l2_gas));
			match expected {
				Some(path) => assert_eq!(admitted, Ok(path), "L2 gas bound {l2_gas}"),
				None => assert!(admitted.is_err(), "L2 gas bound {l2_gas}: {admitted:?}"),
			}
		}
	}

	#[test]
	fn the_native_check_agrees_with_starknet_crypto_on_valid_signatures() {
		for seed in 1..40u64 {
			let private_key = Felt::from(seed * 7_919 + 3);
			let public_key = starknet_crypto::get_public_key(&private_key);
			let hash = Felt::from(seed).pow(5u32) + Felt::from(seed);
			let signature = starknet_core::crypto::ecdsa_sign(&private_key, &hash).unwrap();
			assert!(signature_verifies(public_key, hash, signature.r, signature.s));
			assert!(
				starknet_crypto::verify(&public_key, &hash, &signature.r, &signature.s).unwrap()
			);
			let wrong = hash + Felt::ONE;
			assert!(!signature_verifies(public_key, wrong, signature.r, signature.s));
		}
	}
}

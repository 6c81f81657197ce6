//! Building and signing transactions the way a Starknet wallet does, for the node's tools and
//! tests: OpenZeppelin-style `__execute__` calldata and Stark-curve ECDSA over the transaction
//! hash (RFC 6979 nonces). Native only.
use super::{ConversionError, Felt, Transaction};
use starknet_api::{abi::abi_utils::selector_from_name, core::ChainId};

/// One call of a multicall.
pub struct Call {
	pub to: Felt,
	/// The entry point's name (its selector is computed).
	pub entry_point: &'static str,
	pub calldata: alloc::vec::Vec<Felt>,
}

/// An entry point's selector (`sn_keccak` of its name).
pub fn selector(entry_point: &str) -> Felt {
	Felt(selector_from_name(entry_point).0)
}

/// `__execute__` calldata of an SRC-6 account (Cairo 1 `Array<Call>` serialization).
pub fn execute_calldata(calls: &[Call]) -> alloc::vec::Vec<Felt> {
	let mut calldata = vec![Felt::from(calls.len() as u128)];
	for call in calls {
		calldata.extend([
			call.to,
			selector(call.entry_point),
			Felt::from(call.calldata.len() as u128),
		]);
		calldata.extend_from_slice(&call.calldata);
	}
	calldata
}

/// A Stark-curve ECDSA signature `[r, s]` of `hash`.
pub fn sign_hash(hash: Felt, private_key: Felt) -> alloc::vec::Vec<Felt> {
	let k = starknet_crypto::rfc6979_generate_k(&hash.0, &private_key.0, None);
	let signature = starknet_crypto::sign(&private_key.0, &hash.0, &k)
		.expect("a nonzero hash and key below the curve order sign");
	vec![Felt(signature.r), Felt(signature.s)]
}

/// The public key of a private key.
pub fn public_key(private_key: Felt) -> Felt {
	Felt(starknet_crypto::get_public_key(&private_key.0))
}

impl Transaction {
	/// Sign the transaction for `chain_id` (ASCII, e.g. `CAIRN_DEV`) with `private_key`,
	/// replacing its signature; returns its hash. L1 handler transactions carry no signature.
	pub fn sign(&mut self, chain_id: &str, private_key: Felt) -> Result<Felt, ConversionError> {
		let hash = self.hash(&ChainId::from(chain_id.to_string()), false)?;
		let signature = sign_hash(hash, private_key);
		match self {
			Transaction::Invoke(tx) => tx.signature = signature,
			Transaction::Declare(tx) => tx.signature = signature,
			Transaction::DeployAccount(tx) => tx.signature = signature,
			Transaction::L1Handler(_) => {}
		}
		Ok(hash)
	}
}

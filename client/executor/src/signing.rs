//! Building and signing transactions the way a Starknet wallet does, for the node's tools and
//! tests: OpenZeppelin-style `__execute__` calldata and Stark-curve ECDSA over the transaction
//! hash (RFC 6979 nonces, retried with the next seed as cairo-lang does: starknet-core's
//! `ecdsa_sign`).
use crate::convert::{ConversionError, TransactionExt};
use cairn_primitives::starknet::{Felt, Transaction};
use starknet_api::{abi::abi_utils::selector_from_name, core::ChainId};

/// One call of a multicall.
pub struct Call {
	pub to: Felt,
	/// The entry point's name (its selector is computed).
	pub entry_point: &'static str,
	pub calldata: Vec<Felt>,
}

/// An entry point's selector (`sn_keccak` of its name).
pub fn selector(entry_point: &str) -> Felt {
	Felt(selector_from_name(entry_point).0)
}

/// `__execute__` calldata of an SRC-6 account (Cairo 1 `Array<Call>` serialization).
pub fn execute_calldata(calls: &[Call]) -> Vec<Felt> {
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

/// Why a transaction could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
	/// The transaction cannot be hashed.
	Hash(ConversionError),
	/// The hash is not below 2^251, which Stark-curve ECDSA signs.
	HashOutOfRange(Felt),
}

impl core::fmt::Display for SignError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			SignError::Hash(e) => e.fmt(f),
			SignError::HashOutOfRange(hash) => write!(f, "hash {hash:?} is not below 2^251"),
		}
	}
}

impl std::error::Error for SignError {}

/// A Stark-curve ECDSA signature `[r, s]` of `hash`.
pub fn sign_hash(hash: Felt, private_key: Felt) -> Result<Vec<Felt>, SignError> {
	let signature = starknet_core::crypto::ecdsa_sign(&private_key.0, &hash.0)
		.map_err(|_| SignError::HashOutOfRange(hash))?;
	Ok(vec![Felt(signature.r), Felt(signature.s)])
}

/// The public key of a private key.
pub fn public_key(private_key: Felt) -> Felt {
	Felt(starknet_crypto::get_public_key(&private_key.0))
}

/// Signing a transaction in place.
pub trait Sign {
	/// Sign the transaction for `chain_id` (ASCII, e.g. `CAIRN_DEV`) with `private_key`,
	/// replacing its signature; returns its hash. L1 handler transactions carry no signature.
	fn sign(&mut self, chain_id: &str, private_key: Felt) -> Result<Felt, SignError>;
}

impl Sign for Transaction {
	fn sign(&mut self, chain_id: &str, private_key: Felt) -> Result<Felt, SignError> {
		let hash =
			self.hash(&ChainId::from(chain_id.to_string()), false).map_err(SignError::Hash)?;
		if let Some(signature) = self.signature_mut() {
			*signature = sign_hash(hash, private_key)?;
		}
		Ok(hash)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn signatures_verify_and_are_deterministic() {
		let key = Felt::from(0x1234_5678_9abc_def0u128);
		let hash = Felt::from(0xdead_beefu128);
		let signature = sign_hash(hash, key).unwrap();
		assert_eq!(signature, sign_hash(hash, key).unwrap(), "RFC 6979: deterministic");
		let verified =
			starknet_crypto::verify(&public_key(key).0, &hash.0, &signature[0].0, &signature[1].0)
				.unwrap();
		assert!(verified);
		assert!(!starknet_crypto::verify(
			&public_key(key.next()).0,
			&hash.0,
			&signature[0].0,
			&signature[1].0
		)
		.unwrap());
	}

	#[test]
	fn hashes_beyond_2_251_are_refused_not_panicked() {
		let hash = Felt(starknet_types_core::felt::Felt::from(2u8).pow(251u32));
		assert_eq!(sign_hash(hash, Felt::from(7u128)), Err(SignError::HashOutOfRange(hash)));
	}
}

//! Starknet state at a block, straight from pallet-starknet's storage: nonces, storage cells,
//! class hashes, classes (Sierra as declared, and the CASM the node compiled), the chain id; and
//! state diffs as the spec writes them.
use crate::{unexpected, Result, Starknet};
use cairn_index::StarknetClient;
use cairn_primitives::starknet::{
	exec::{self, ClassDefinition},
	runtime_api::StarknetRuntimeApi,
	storage, Felt,
};
use cairn_rpc_api::{
	types::{BlockId, CasmClass, CasmHints, ContractClass, Hint, StateDiff},
	StarknetError,
};
use codec::Decode;
use sc_client_api::backend::Backend;
use sc_transaction_pool_api::TransactionPool;
use serde_json::{json, Value};
use sp_runtime::traits::Block as BlockT;
use starknet_api::core::ChainId;

impl<B, C, BE, P> Starknet<B, C, BE, P>
where
	B: BlockT,
	BE: Backend<B> + 'static,
	C: StarknetClient<B, BE>,
	P: TransactionPool<Block = B> + 'static,
{
	/// The pallet's storage value under `key` at block `at`, if any.
	pub(crate) fn read<T: Decode>(&self, at: B::Hash, key: Vec<u8>) -> Result<Option<T>> {
		let Some(data) =
			self.client.storage(at, &sc_client_api::StorageKey(key)).map_err(unexpected)?
		else {
			return Ok(None);
		};
		T::decode(&mut &data.0[..]).map(Some).map_err(unexpected)
	}

	/// A deployed contract's class hash at `at` (CONTRACT_NOT_FOUND if not deployed).
	pub(crate) fn class_hash_at(&self, at: B::Hash, contract: Felt) -> Result<Felt> {
		self.read(at, storage::map_key(storage::CONTRACT_CLASS_HASHES, &contract))?
			.ok_or(StarknetError::ContractNotFound)
	}

	fn class(&self, at: B::Hash, class_hash: Felt) -> Result<ContractClass> {
		let sierra: Vec<u8> = self
			.read(at, storage::map_key(storage::SIERRA_CLASSES, &class_hash))?
			.ok_or(StarknetError::ClassHashNotFound)?;
		serde_json::from_slice(&sierra).map_err(unexpected)
	}

	/// The chain id at block `at` (remembered for the last block asked about).
	pub(crate) fn chain_id_at(&self, at: B::Hash) -> Result<ChainId> {
		if let Some((hash, chain_id)) = &*self.chain_id.lock().unwrap_or_else(|e| e.into_inner()) {
			if *hash == at {
				return Ok(chain_id.clone());
			}
		}
		let config = self.client.runtime_api().chain_config(at).map_err(unexpected)?;
		let chain_id = ChainId::from(String::from_utf8_lossy(&config.chain_id).into_owned());
		*self.chain_id.lock().unwrap_or_else(|e| e.into_inner()) = Some((at, chain_id.clone()));
		Ok(chain_id)
	}

	/// The spec's `STATE_DIFF` of `diff` made on top of block `parent`'s state (which tells a
	/// deployment from a class replacement), restricted to the contracts `wanted` accepts.
	pub(crate) fn state_diff(
		&self,
		diff: &exec::StateDiff,
		parent: Option<B::Hash>,
		wanted: impl Fn(&Felt) -> bool,
	) -> StateDiff {
		let existed = |contract: &Felt| match parent {
			Some(parent) => self.class_hash_at(parent, *contract).is_ok(),
			None => false,
		};
		StateDiff::new(diff, existed, wanted)
	}

	/// `starknet_chainId`.
	pub(crate) fn chain_id(&self) -> Result<Felt> {
		let chain_id = self.chain_id_at(self.client.info().best_hash)?;
		Felt::from_hex(&chain_id.as_hex()).ok_or_else(|| unexpected("chain id too long"))
	}

	/// `starknet_getNonce`.
	pub(crate) fn nonce(&self, block_id: BlockId, contract_address: Felt) -> Result<Felt> {
		let at = self.block(block_id)?;
		self.class_hash_at(at, contract_address)?;
		let nonce = self.read(at, storage::map_key(storage::NONCES, &contract_address))?;
		Ok(nonce.unwrap_or_default())
	}

	/// `starknet_getStorageAt`.
	pub(crate) fn storage_at(
		&self,
		contract_address: Felt,
		key: Felt,
		block_id: BlockId,
	) -> Result<Felt> {
		let at = self.block(block_id)?;
		// Starknet's system contracts (0x1: block hashes, 0x2: aliases) have storage and no class.
		if ![Felt::from(1u128), Felt::from(2u128)].contains(&contract_address) {
			self.class_hash_at(at, contract_address)?;
		}
		let value = self.read(at, storage::contract_storage_key(&contract_address, &key))?;
		Ok(value.unwrap_or_default())
	}

	/// `starknet_getClassHashAt`.
	pub(crate) fn contract_class_hash(
		&self,
		block_id: BlockId,
		contract_address: Felt,
	) -> Result<Felt> {
		self.class_hash_at(self.block(block_id)?, contract_address)
	}

	/// `starknet_getClass`.
	pub(crate) fn declared_class(
		&self,
		block_id: BlockId,
		class_hash: Felt,
	) -> Result<ContractClass> {
		self.class(self.block(block_id)?, class_hash)
	}

	/// `starknet_getClassAt`.
	pub(crate) fn contract_class(
		&self,
		block_id: BlockId,
		contract_address: Felt,
	) -> Result<ContractClass> {
		let at = self.block(block_id)?;
		self.class(at, self.class_hash_at(at, contract_address)?)
	}

	/// `starknet_getCompiledCasm`: the CASM as cairo-lang wrote it, less its Python hints (the
	/// spec's CASM has no such field), negative immediates written as felts.
	pub(crate) fn compiled_casm(&self, class_hash: Felt) -> Result<CasmClass> {
		let at = self.client.info().best_hash;
		let definition: ClassDefinition = self
			.read(at, storage::map_key(storage::CLASS_DEFINITIONS, &class_hash))?
			.ok_or(StarknetError::ClassHashNotFound)?;
		let mut casm: CasmClass = serde_json::from_slice(&definition.casm).map_err(unexpected)?;
		for CasmHints(_, hints) in &mut casm.hints {
			for Hint(hint) in hints {
				felt_immediates(hint);
			}
		}
		Ok(casm)
	}
}

/// cairo-lang writes negative hint immediates (`-0x10`); the spec's `NUM_AS_HEX` has no sign, and a
/// Cairo immediate is a field element: write them as such (`p - 0x10`).
fn felt_immediates(value: &mut Value) {
	match value {
		Value::Object(object) => {
			for (key, inner) in object.iter_mut() {
				if key == "Immediate" {
					if let Some(magnitude) = inner.as_str().and_then(|s| s.strip_prefix('-')) {
						if let Some(felt) = Felt::from_hex(magnitude) {
							*inner = json!(Felt(starknet_types_core::felt::Felt::ZERO - felt.0));
						}
					}
				} else {
					felt_immediates(inner);
				}
			}
		}
		Value::Array(items) => items.iter_mut().for_each(felt_immediates),
		_ => {}
	}
}

#[cfg(test)]
mod tests {
	use super::felt_immediates;
	use serde_json::json;

	#[test]
	fn negative_immediates_become_felts() {
		let mut hint = json!({ "TestLessThan": {
			"lhs": { "BinOp": { "op": "Add", "a": { "register": "AP", "offset": 0 }, "b": { "Immediate": "-0x10" } } },
			"rhs": { "Immediate": "0x5" },
			"dst": { "register": "AP", "offset": -1 },
		} });
		felt_immediates(&mut hint);
		assert_eq!(
			hint["TestLessThan"]["lhs"]["BinOp"]["b"]["Immediate"],
			"0x800000000000010fffffffffffffffffffffffffffffffffffffffffffffff1"
		);
		assert_eq!(hint["TestLessThan"]["rhs"]["Immediate"], "0x5", "positive ones stay");
		assert_eq!(hint["TestLessThan"]["dst"]["offset"], -1, "offsets are not immediates");
	}
}

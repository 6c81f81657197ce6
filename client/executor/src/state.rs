//! blockifier's `StateReader` over pallet-starknet's storage, read through the externalities (so
//! it sees the current block's earlier writes). Missing entries read as zero, as on Starknet; a
//! class that is not declared is `UndeclaredClassHash`, which blockifier relies on.
use crate::cache;
use blockifier::{
	execution::contract_class::RunnableCompiledClass,
	state::{
		errors::StateError,
		state_api::{StateReader, StateResult},
	},
};
use cairn_primitives::starknet::{exec::ClassDefinition, storage, Felt};
use codec::Decode;
use core::cell::RefCell;
use sp_externalities::Externalities;
use starknet_api::{
	core::{ClassHash, CompiledClassHash, ContractAddress, Nonce},
	state::StorageKey,
};
use starknet_types_core::felt::Felt as CoreFelt;

/// Pallet storage as blockifier's state. Read-only.
pub struct PalletState<'a> {
	// `StateReader` reads through `&self`, the externalities need `&mut`.
	ext: RefCell<&'a mut dyn Externalities>,
}

impl<'a> PalletState<'a> {
	pub fn new(ext: &'a mut dyn Externalities) -> Self {
		PalletState { ext: RefCell::new(ext) }
	}

	fn read<T: Decode>(&self, key: &[u8]) -> StateResult<Option<T>> {
		let Some(bytes) = self.ext.borrow_mut().storage(key) else { return Ok(None) };
		T::decode(&mut &bytes[..])
			.map(Some)
			.map_err(|e| StateError::StateReadError(format!("corrupt pallet storage: {e}")))
	}

	fn read_felt(&self, key: &[u8]) -> StateResult<CoreFelt> {
		Ok(self.read::<Felt>(key)?.map(|f| f.0).unwrap_or_default())
	}
}

fn felt(f: CoreFelt) -> Felt {
	Felt(f)
}

impl StateReader for PalletState<'_> {
	fn get_storage_at(&self, contract: ContractAddress, key: StorageKey) -> StateResult<CoreFelt> {
		self.read_felt(&storage::contract_storage_key(
			&felt(*contract.0.key()),
			&felt(*key.0.key()),
		))
	}

	fn get_nonce_at(&self, contract: ContractAddress) -> StateResult<Nonce> {
		self.read_felt(&storage::map_key(storage::NONCES, &felt(*contract.0.key()))).map(Nonce)
	}

	fn get_class_hash_at(&self, contract: ContractAddress) -> StateResult<ClassHash> {
		self.read_felt(&storage::map_key(storage::CONTRACT_CLASS_HASHES, &felt(*contract.0.key())))
			.map(ClassHash)
	}

	fn get_compiled_class(&self, class_hash: ClassHash) -> StateResult<RunnableCompiledClass> {
		let key = storage::map_key(storage::COMPILED_CLASS_HASHES, &felt(class_hash.0));
		let Some(compiled_class_hash) = self.read::<Felt>(&key)? else {
			return Err(StateError::UndeclaredClassHash(class_hash));
		};
		// Classes are immutable by (class hash, compiled class hash): parse each once.
		cache::runnable_class(class_hash.0, compiled_class_hash.0, || {
			let key = storage::map_key(storage::CLASS_DEFINITIONS, &felt(class_hash.0));
			let definition: ClassDefinition = self.read(&key)?.ok_or_else(|| {
				StateError::StateReadError(format!("class {:#x} has no definition", class_hash.0))
			})?;
			cache::parse_casm(&definition)
		})
	}

	fn get_compiled_class_hash(&self, class_hash: ClassHash) -> StateResult<CompiledClassHash> {
		self.read_felt(&storage::map_key(storage::COMPILED_CLASS_HASHES, &felt(class_hash.0)))
			.map(CompiledClassHash)
	}

	/// Cairn stores only Blake2s (v2) compiled class hashes, so nothing ever migrates.
	fn get_compiled_class_hash_v2(
		&self,
		class_hash: ClassHash,
		_compiled_class: &RunnableCompiledClass,
	) -> StateResult<CompiledClassHash> {
		self.get_compiled_class_hash(class_hash)
	}
}

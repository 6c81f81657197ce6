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

/// What runs the classes' code: which form of a class [`PalletState`] hands blockifier.
#[derive(Clone)]
pub enum Runner<'a> {
	/// The CASM, on the Cairo VM.
	Vm,
	/// Cairo Native for classes of Sierra `min_sierra_gas` or later (those whose resources are
	/// counted in Sierra gas: blockifier runs the others' CASM on the VM whatever form it gets).
	#[cfg(feature = "native")]
	Native {
		classes: &'a crate::native::NativeClasses,
		min_sierra_gas: starknet_api::contract_class::SierraVersion,
	},
	#[cfg(not(feature = "native"))]
	#[doc(hidden)]
	_Unused(core::marker::PhantomData<&'a ()>),
}

/// The chain's engine and where this node keeps native classes: what a request's [`Runner`] is
/// made of.
#[derive(Clone, Copy)]
pub struct Engines<'a> {
	pub engine: cairn_primitives::starknet::exec::Engine,
	#[cfg(feature = "native")]
	pub classes: &'a crate::native::NativeClasses,
	pub _lifetime: core::marker::PhantomData<&'a ()>,
}

impl<'a> Engines<'a> {
	/// The runner for a block whose versioned constants are `constants`.
	pub fn runner(
		&self,
		constants: &blockifier::blockifier_versioned_constants::VersionedConstants,
	) -> Result<Runner<'a>, cairn_primitives::starknet::exec::ExecError> {
		use cairn_primitives::starknet::exec::Engine;
		let _ = constants;
		match self.engine {
			Engine::Vm => Ok(Runner::Vm),
			#[cfg(feature = "native")]
			Engine::Native => Ok(Runner::Native {
				classes: self.classes,
				min_sierra_gas: constants.min_sierra_version_for_sierra_gas.clone(),
			}),
			#[cfg(not(feature = "native"))]
			Engine::Native => Err(crate::errors::internal(
				"this node was built without Cairo Native (cairn-node's `native` feature) and \
				 cannot execute a chain whose engine is native",
			)),
		}
	}
}

/// Pallet storage as blockifier's state. Read-only.
pub struct PalletState<'a> {
	// `StateReader` reads through `&self`, the externalities need `&mut`.
	ext: RefCell<&'a mut dyn Externalities>,
	runner: Runner<'a>,
}

impl<'a> PalletState<'a> {
	pub fn new(ext: &'a mut dyn Externalities, runner: Runner<'a>) -> Self {
		PalletState { ext: RefCell::new(ext), runner }
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
		let casm = cache::runnable_class(class_hash.0, compiled_class_hash.0, || {
			let key = storage::map_key(storage::CLASS_DEFINITIONS, &felt(class_hash.0));
			let definition: ClassDefinition = self.read(&key)?.ok_or_else(|| {
				StateError::StateReadError(format!("class {:#x} has no definition", class_hash.0))
			})?;
			cache::parse_casm(&definition)
		})?;
		match &self.runner {
			Runner::Vm => Ok(casm),
			#[cfg(feature = "native")]
			Runner::Native { classes, min_sierra_gas } => {
				let RunnableCompiledClass::V1(v1) = &casm else { return Ok(casm) };
				if v1.sierra_version < *min_sierra_gas {
					return Ok(casm);
				}
				let sierra = || {
					let key = storage::map_key(storage::SIERRA_CLASSES, &felt(class_hash.0));
					self.read::<Vec<u8>>(&key)
						.map_err(|e| crate::errors::internal(format!("{e}")))?
						.ok_or_else(|| {
							crate::errors::internal(format!(
								"class {:#x} has no Sierra program",
								class_hash.0
							))
						})
				};
				classes.class(class_hash.0, compiled_class_hash.0, v1.clone(), sierra).map_err(
					|e| match e {
						cairn_primitives::starknet::exec::ExecError::Internal(message)
						| cairn_primitives::starknet::exec::ExecError::Rejected(_, message) => {
							StateError::StateReadError(
								String::from_utf8_lossy(&message).into_owned(),
							)
						}
					},
				)
			}
			#[cfg(not(feature = "native"))]
			Runner::_Unused(_) => Ok(casm),
		}
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

//! Lossless conversion between Cairn's SCALE types and `starknet_api`'s ([`Convert`] where it
//! cannot fail, [`TryConvert`] where it can), and transaction hashing through `starknet_api`.
use std::sync::Arc;

use starknet_api::{
	block::GasPrice,
	core::{ChainId, ClassHash, CompiledClassHash, ContractAddress, EntryPointSelector, Nonce},
	data_availability::DataAvailabilityMode as ApiDaMode,
	execution_resources::GasAmount,
	transaction::{
		self as api,
		fields::{
			AccountDeploymentData, AllResourceBounds, Calldata, ContractAddressSalt, PaymasterData,
			ProofFacts, ResourceBounds as ApiResourceBounds, Tip, TransactionSignature,
			ValidResourceBounds as ApiValidResourceBounds,
		},
		TransactionOptions, TransactionVersion,
	},
	transaction_hash::get_transaction_hash,
};

use cairn_primitives::starknet::{
	DataAvailabilityMode, DeclareTransactionV3, DeployAccountTransactionV3, Felt,
	InvokeTransactionV3, L1HandlerTransaction, ResourceBounds, Transaction, ValidResourceBounds,
};

/// A lossless conversion between a Cairn type and its `starknet_api` counterpart (either way).
pub trait Convert<T> {
	/// The counterpart.
	fn convert(self) -> T;
}

/// A conversion that fails where the target cannot represent the value ([`ConversionError`]).
pub trait TryConvert<T> {
	/// The counterpart, if there is one.
	fn try_convert(self) -> Result<T, ConversionError>;
}

/// A value that has no Cairn (or no `starknet_api`) counterpart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversionError {
	/// A contract address at or above 2^251.
	AddressOutOfRange(Felt),
	/// A transaction kind or version Cairn does not accept (only V3 and L1 handler).
	Unsupported(&'static str),
	/// `starknet_api` refused to hash the transaction.
	Hash(String),
}

impl core::fmt::Display for ConversionError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			ConversionError::AddressOutOfRange(felt) => {
				write!(f, "contract address {felt:?} is not below 2^251")
			}
			ConversionError::Unsupported(what) => write!(f, "unsupported transaction: {what}"),
			ConversionError::Hash(e) => write!(f, "cannot hash the transaction: {e}"),
		}
	}
}

impl std::error::Error for ConversionError {}

fn felts(v: &[Felt]) -> Vec<starknet_types_core::felt::Felt> {
	v.iter().map(|f| f.0).collect()
}

fn ours(v: &[starknet_types_core::felt::Felt]) -> Vec<Felt> {
	v.iter().copied().map(Felt).collect()
}

fn address(felt: Felt) -> Result<ContractAddress, ConversionError> {
	ContractAddress::try_from(felt.0).map_err(|_| ConversionError::AddressOutOfRange(felt))
}

fn felt_of(address: ContractAddress) -> Felt {
	Felt(*address.0.key())
}

impl Convert<ApiResourceBounds> for ResourceBounds {
	fn convert(self) -> ApiResourceBounds {
		let b = self;
		ApiResourceBounds {
			max_amount: GasAmount(b.max_amount),
			max_price_per_unit: GasPrice(b.max_price_per_unit),
		}
	}
}

impl Convert<ResourceBounds> for ApiResourceBounds {
	fn convert(self) -> ResourceBounds {
		let b = self;
		ResourceBounds { max_amount: b.max_amount.0, max_price_per_unit: b.max_price_per_unit.0 }
	}
}

impl Convert<ApiValidResourceBounds> for ValidResourceBounds {
	fn convert(self) -> ApiValidResourceBounds {
		let b = self;
		match b {
			ValidResourceBounds::L1Gas(l1) => ApiValidResourceBounds::L1Gas(l1.convert()),
			ValidResourceBounds::AllResources { l1_gas, l2_gas, l1_data_gas } => {
				ApiValidResourceBounds::AllResources(AllResourceBounds {
					l1_gas: l1_gas.convert(),
					l2_gas: l2_gas.convert(),
					l1_data_gas: l1_data_gas.convert(),
				})
			}
		}
	}
}

impl Convert<ValidResourceBounds> for ApiValidResourceBounds {
	fn convert(self) -> ValidResourceBounds {
		let b = self;
		match b {
			ApiValidResourceBounds::L1Gas(l1) => ValidResourceBounds::L1Gas(l1.convert()),
			ApiValidResourceBounds::AllResources(all) => ValidResourceBounds::AllResources {
				l1_gas: all.l1_gas.convert(),
				l2_gas: all.l2_gas.convert(),
				l1_data_gas: all.l1_data_gas.convert(),
			},
		}
	}
}

impl Convert<ApiDaMode> for DataAvailabilityMode {
	fn convert(self) -> ApiDaMode {
		let m = self;
		match m {
			DataAvailabilityMode::L1 => ApiDaMode::L1,
			DataAvailabilityMode::L2 => ApiDaMode::L2,
		}
	}
}

impl Convert<DataAvailabilityMode> for ApiDaMode {
	fn convert(self) -> DataAvailabilityMode {
		let m = self;
		match m {
			ApiDaMode::L1 => DataAvailabilityMode::L1,
			ApiDaMode::L2 => DataAvailabilityMode::L2,
		}
	}
}

impl TryConvert<api::InvokeTransactionV3> for InvokeTransactionV3 {
	fn try_convert(self) -> Result<api::InvokeTransactionV3, ConversionError> {
		let tx = self;
		Ok(api::InvokeTransactionV3 {
			resource_bounds: tx.resource_bounds.convert(),
			tip: Tip(tx.tip),
			signature: TransactionSignature(Arc::new(felts(&tx.signature))),
			nonce: Nonce(tx.nonce.0),
			sender_address: address(tx.sender_address)?,
			calldata: Calldata(Arc::new(felts(&tx.calldata))),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.convert(),
			fee_data_availability_mode: tx.fee_data_availability_mode.convert(),
			paymaster_data: PaymasterData(felts(&tx.paymaster_data)),
			account_deployment_data: AccountDeploymentData(felts(&tx.account_deployment_data)),
			proof_facts: ProofFacts(Arc::new(felts(&tx.proof_facts))),
		})
	}
}

impl Convert<InvokeTransactionV3> for api::InvokeTransactionV3 {
	fn convert(self) -> InvokeTransactionV3 {
		let tx = self;
		InvokeTransactionV3 {
			resource_bounds: tx.resource_bounds.convert(),
			tip: tx.tip.0,
			signature: ours(&tx.signature.0),
			nonce: Felt(tx.nonce.0),
			sender_address: felt_of(tx.sender_address),
			calldata: ours(&tx.calldata.0),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.convert(),
			fee_data_availability_mode: tx.fee_data_availability_mode.convert(),
			paymaster_data: ours(&tx.paymaster_data.0),
			account_deployment_data: ours(&tx.account_deployment_data.0),
			proof_facts: ours(&tx.proof_facts.0),
		}
	}
}

impl TryConvert<api::DeclareTransactionV3> for DeclareTransactionV3 {
	fn try_convert(self) -> Result<api::DeclareTransactionV3, ConversionError> {
		let tx = self;
		Ok(api::DeclareTransactionV3 {
			resource_bounds: tx.resource_bounds.convert(),
			tip: Tip(tx.tip),
			signature: TransactionSignature(Arc::new(felts(&tx.signature))),
			nonce: Nonce(tx.nonce.0),
			class_hash: ClassHash(tx.class_hash.0),
			compiled_class_hash: CompiledClassHash(tx.compiled_class_hash.0),
			sender_address: address(tx.sender_address)?,
			nonce_data_availability_mode: tx.nonce_data_availability_mode.convert(),
			fee_data_availability_mode: tx.fee_data_availability_mode.convert(),
			paymaster_data: PaymasterData(felts(&tx.paymaster_data)),
			account_deployment_data: AccountDeploymentData(felts(&tx.account_deployment_data)),
		})
	}
}

impl Convert<DeclareTransactionV3> for api::DeclareTransactionV3 {
	fn convert(self) -> DeclareTransactionV3 {
		let tx = self;
		DeclareTransactionV3 {
			resource_bounds: tx.resource_bounds.convert(),
			tip: tx.tip.0,
			signature: ours(&tx.signature.0),
			nonce: Felt(tx.nonce.0),
			class_hash: Felt(tx.class_hash.0),
			compiled_class_hash: Felt(tx.compiled_class_hash.0),
			sender_address: felt_of(tx.sender_address),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.convert(),
			fee_data_availability_mode: tx.fee_data_availability_mode.convert(),
			paymaster_data: ours(&tx.paymaster_data.0),
			account_deployment_data: ours(&tx.account_deployment_data.0),
		}
	}
}

impl Convert<api::DeployAccountTransactionV3> for DeployAccountTransactionV3 {
	fn convert(self) -> api::DeployAccountTransactionV3 {
		let tx = self;
		api::DeployAccountTransactionV3 {
			resource_bounds: tx.resource_bounds.convert(),
			tip: Tip(tx.tip),
			signature: TransactionSignature(Arc::new(felts(&tx.signature))),
			nonce: Nonce(tx.nonce.0),
			class_hash: ClassHash(tx.class_hash.0),
			contract_address_salt: ContractAddressSalt(tx.contract_address_salt.0),
			constructor_calldata: Calldata(Arc::new(felts(&tx.constructor_calldata))),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.convert(),
			fee_data_availability_mode: tx.fee_data_availability_mode.convert(),
			paymaster_data: PaymasterData(felts(&tx.paymaster_data)),
		}
	}
}

impl Convert<DeployAccountTransactionV3> for api::DeployAccountTransactionV3 {
	fn convert(self) -> DeployAccountTransactionV3 {
		let tx = self;
		DeployAccountTransactionV3 {
			resource_bounds: tx.resource_bounds.convert(),
			tip: tx.tip.0,
			signature: ours(&tx.signature.0),
			nonce: Felt(tx.nonce.0),
			class_hash: Felt(tx.class_hash.0),
			contract_address_salt: Felt(tx.contract_address_salt.0),
			constructor_calldata: ours(&tx.constructor_calldata.0),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.convert(),
			fee_data_availability_mode: tx.fee_data_availability_mode.convert(),
			paymaster_data: ours(&tx.paymaster_data.0),
		}
	}
}

impl TryConvert<api::L1HandlerTransaction> for L1HandlerTransaction {
	fn try_convert(self) -> Result<api::L1HandlerTransaction, ConversionError> {
		let tx = self;
		Ok(api::L1HandlerTransaction {
			version: TransactionVersion(tx.version.0),
			nonce: Nonce(tx.nonce.0),
			contract_address: address(tx.contract_address)?,
			entry_point_selector: EntryPointSelector(tx.entry_point_selector.0),
			calldata: Calldata(Arc::new(felts(&tx.calldata))),
		})
	}
}

impl Convert<L1HandlerTransaction> for api::L1HandlerTransaction {
	fn convert(self) -> L1HandlerTransaction {
		let tx = self;
		L1HandlerTransaction {
			version: Felt(tx.version.0),
			nonce: Felt(tx.nonce.0),
			contract_address: felt_of(tx.contract_address),
			entry_point_selector: Felt(tx.entry_point_selector.0),
			calldata: ours(&tx.calldata.0),
		}
	}
}

impl TryConvert<api::Transaction> for Transaction {
	fn try_convert(self) -> Result<api::Transaction, ConversionError> {
		let tx = self;
		Ok(match tx {
			Transaction::Invoke(tx) => {
				api::Transaction::Invoke(api::InvokeTransaction::V3(tx.try_convert()?))
			}
			Transaction::Declare(tx) => {
				api::Transaction::Declare(api::DeclareTransaction::V3(tx.try_convert()?))
			}
			Transaction::DeployAccount(tx) => {
				api::Transaction::DeployAccount(api::DeployAccountTransaction::V3(tx.convert()))
			}
			Transaction::L1Handler(tx) => api::Transaction::L1Handler(tx.try_convert()?),
		})
	}
}

impl TryConvert<Transaction> for api::Transaction {
	fn try_convert(self) -> Result<Transaction, ConversionError> {
		let tx = self;
		Ok(match tx {
			api::Transaction::Invoke(api::InvokeTransaction::V3(tx)) => {
				Transaction::Invoke(tx.convert())
			}
			api::Transaction::Declare(api::DeclareTransaction::V3(tx)) => {
				Transaction::Declare(tx.convert())
			}
			api::Transaction::DeployAccount(api::DeployAccountTransaction::V3(tx)) => {
				Transaction::DeployAccount(tx.convert())
			}
			api::Transaction::L1Handler(tx) => Transaction::L1Handler(tx.convert()),
			api::Transaction::Invoke(_) => {
				return Err(ConversionError::Unsupported("invoke before V3"))
			}
			api::Transaction::Declare(_) => {
				return Err(ConversionError::Unsupported("declare before V3"))
			}
			api::Transaction::DeployAccount(_) => {
				return Err(ConversionError::Unsupported("deploy_account before V3"))
			}
			api::Transaction::Deploy(_) => return Err(ConversionError::Unsupported("deploy")),
		})
	}
}

/// Hashing of Cairn's transactions, through `starknet_api`.
pub trait TransactionExt {
	/// The transaction hash on the chain `chain_id` (e.g. `SN_SEPOLIA` or a custom chain's id), as
	/// `starknet_api` computes it; `only_query` gives the hash of the query version (what
	/// estimate/simulate requests sign).
	fn hash(&self, chain_id: &ChainId, only_query: bool) -> Result<Felt, ConversionError>;
}

impl TransactionExt for Transaction {
	fn hash(&self, chain_id: &ChainId, only_query: bool) -> Result<Felt, ConversionError> {
		let tx: api::Transaction = self.clone().try_convert()?;
		get_transaction_hash(&tx, chain_id, &TransactionOptions { only_query })
			.map(|h| Felt(h.0))
			.map_err(|e| ConversionError::Hash(e.to_string()))
	}
}

/// The Starknet hash of `tx` on `chain_id` (its query hash when `only_query`), remembered: the
/// RPC that receives a transaction, the pool that validates it and the block that executes it
/// all need it, and hashing a V3 transaction costs several Poseidon permutations.
pub fn transaction_hash(
	tx: &Transaction,
	chain_id: &ChainId,
	only_query: bool,
) -> Result<Felt, ConversionError> {
	use codec::Encode;
	let key = (chain_id.to_string(), only_query, tx).encode();
	crate::cache::transaction_hash(&key, || tx.hash(chain_id, only_query))
}

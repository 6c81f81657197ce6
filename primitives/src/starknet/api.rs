//! Lossless conversion between Cairn's SCALE types and `starknet_api`'s, and hashing through
//! `starknet_api`.
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

use super::*;

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

impl From<ResourceBounds> for ApiResourceBounds {
	fn from(b: ResourceBounds) -> Self {
		ApiResourceBounds {
			max_amount: GasAmount(b.max_amount),
			max_price_per_unit: GasPrice(b.max_price_per_unit),
		}
	}
}

impl From<ApiResourceBounds> for ResourceBounds {
	fn from(b: ApiResourceBounds) -> Self {
		ResourceBounds { max_amount: b.max_amount.0, max_price_per_unit: b.max_price_per_unit.0 }
	}
}

impl From<ValidResourceBounds> for ApiValidResourceBounds {
	fn from(b: ValidResourceBounds) -> Self {
		match b {
			ValidResourceBounds::L1Gas(l1) => ApiValidResourceBounds::L1Gas(l1.into()),
			ValidResourceBounds::AllResources { l1_gas, l2_gas, l1_data_gas } => {
				ApiValidResourceBounds::AllResources(AllResourceBounds {
					l1_gas: l1_gas.into(),
					l2_gas: l2_gas.into(),
					l1_data_gas: l1_data_gas.into(),
				})
			}
		}
	}
}

impl From<ApiValidResourceBounds> for ValidResourceBounds {
	fn from(b: ApiValidResourceBounds) -> Self {
		match b {
			ApiValidResourceBounds::L1Gas(l1) => ValidResourceBounds::L1Gas(l1.into()),
			ApiValidResourceBounds::AllResources(all) => ValidResourceBounds::AllResources {
				l1_gas: all.l1_gas.into(),
				l2_gas: all.l2_gas.into(),
				l1_data_gas: all.l1_data_gas.into(),
			},
		}
	}
}

impl From<DataAvailabilityMode> for ApiDaMode {
	fn from(m: DataAvailabilityMode) -> Self {
		match m {
			DataAvailabilityMode::L1 => ApiDaMode::L1,
			DataAvailabilityMode::L2 => ApiDaMode::L2,
		}
	}
}

impl From<ApiDaMode> for DataAvailabilityMode {
	fn from(m: ApiDaMode) -> Self {
		match m {
			ApiDaMode::L1 => DataAvailabilityMode::L1,
			ApiDaMode::L2 => DataAvailabilityMode::L2,
		}
	}
}

impl TryFrom<InvokeTransactionV3> for api::InvokeTransactionV3 {
	type Error = ConversionError;

	fn try_from(tx: InvokeTransactionV3) -> Result<Self, Self::Error> {
		Ok(api::InvokeTransactionV3 {
			resource_bounds: tx.resource_bounds.into(),
			tip: Tip(tx.tip),
			signature: TransactionSignature(Arc::new(felts(&tx.signature))),
			nonce: Nonce(tx.nonce.0),
			sender_address: address(tx.sender_address)?,
			calldata: Calldata(Arc::new(felts(&tx.calldata))),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
			paymaster_data: PaymasterData(felts(&tx.paymaster_data)),
			account_deployment_data: AccountDeploymentData(felts(&tx.account_deployment_data)),
			proof_facts: ProofFacts(Arc::new(felts(&tx.proof_facts))),
		})
	}
}

impl From<api::InvokeTransactionV3> for InvokeTransactionV3 {
	fn from(tx: api::InvokeTransactionV3) -> Self {
		InvokeTransactionV3 {
			resource_bounds: tx.resource_bounds.into(),
			tip: tx.tip.0,
			signature: ours(&tx.signature.0),
			nonce: Felt(tx.nonce.0),
			sender_address: felt_of(tx.sender_address),
			calldata: ours(&tx.calldata.0),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
			paymaster_data: ours(&tx.paymaster_data.0),
			account_deployment_data: ours(&tx.account_deployment_data.0),
			proof_facts: ours(&tx.proof_facts.0),
		}
	}
}

impl TryFrom<DeclareTransactionV3> for api::DeclareTransactionV3 {
	type Error = ConversionError;

	fn try_from(tx: DeclareTransactionV3) -> Result<Self, Self::Error> {
		Ok(api::DeclareTransactionV3 {
			resource_bounds: tx.resource_bounds.into(),
			tip: Tip(tx.tip),
			signature: TransactionSignature(Arc::new(felts(&tx.signature))),
			nonce: Nonce(tx.nonce.0),
			class_hash: ClassHash(tx.class_hash.0),
			compiled_class_hash: CompiledClassHash(tx.compiled_class_hash.0),
			sender_address: address(tx.sender_address)?,
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
			paymaster_data: PaymasterData(felts(&tx.paymaster_data)),
			account_deployment_data: AccountDeploymentData(felts(&tx.account_deployment_data)),
		})
	}
}

impl From<api::DeclareTransactionV3> for DeclareTransactionV3 {
	fn from(tx: api::DeclareTransactionV3) -> Self {
		DeclareTransactionV3 {
			resource_bounds: tx.resource_bounds.into(),
			tip: tx.tip.0,
			signature: ours(&tx.signature.0),
			nonce: Felt(tx.nonce.0),
			class_hash: Felt(tx.class_hash.0),
			compiled_class_hash: Felt(tx.compiled_class_hash.0),
			sender_address: felt_of(tx.sender_address),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
			paymaster_data: ours(&tx.paymaster_data.0),
			account_deployment_data: ours(&tx.account_deployment_data.0),
		}
	}
}

impl From<DeployAccountTransactionV3> for api::DeployAccountTransactionV3 {
	fn from(tx: DeployAccountTransactionV3) -> Self {
		api::DeployAccountTransactionV3 {
			resource_bounds: tx.resource_bounds.into(),
			tip: Tip(tx.tip),
			signature: TransactionSignature(Arc::new(felts(&tx.signature))),
			nonce: Nonce(tx.nonce.0),
			class_hash: ClassHash(tx.class_hash.0),
			contract_address_salt: ContractAddressSalt(tx.contract_address_salt.0),
			constructor_calldata: Calldata(Arc::new(felts(&tx.constructor_calldata))),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
			paymaster_data: PaymasterData(felts(&tx.paymaster_data)),
		}
	}
}

impl From<api::DeployAccountTransactionV3> for DeployAccountTransactionV3 {
	fn from(tx: api::DeployAccountTransactionV3) -> Self {
		DeployAccountTransactionV3 {
			resource_bounds: tx.resource_bounds.into(),
			tip: tx.tip.0,
			signature: ours(&tx.signature.0),
			nonce: Felt(tx.nonce.0),
			class_hash: Felt(tx.class_hash.0),
			contract_address_salt: Felt(tx.contract_address_salt.0),
			constructor_calldata: ours(&tx.constructor_calldata.0),
			nonce_data_availability_mode: tx.nonce_data_availability_mode.into(),
			fee_data_availability_mode: tx.fee_data_availability_mode.into(),
			paymaster_data: ours(&tx.paymaster_data.0),
		}
	}
}

impl TryFrom<L1HandlerTransaction> for api::L1HandlerTransaction {
	type Error = ConversionError;

	fn try_from(tx: L1HandlerTransaction) -> Result<Self, Self::Error> {
		Ok(api::L1HandlerTransaction {
			version: TransactionVersion(tx.version.0),
			nonce: Nonce(tx.nonce.0),
			contract_address: address(tx.contract_address)?,
			entry_point_selector: EntryPointSelector(tx.entry_point_selector.0),
			calldata: Calldata(Arc::new(felts(&tx.calldata))),
		})
	}
}

impl From<api::L1HandlerTransaction> for L1HandlerTransaction {
	fn from(tx: api::L1HandlerTransaction) -> Self {
		L1HandlerTransaction {
			version: Felt(tx.version.0),
			nonce: Felt(tx.nonce.0),
			contract_address: felt_of(tx.contract_address),
			entry_point_selector: Felt(tx.entry_point_selector.0),
			calldata: ours(&tx.calldata.0),
		}
	}
}

impl TryFrom<Transaction> for api::Transaction {
	type Error = ConversionError;

	fn try_from(tx: Transaction) -> Result<Self, Self::Error> {
		Ok(match tx {
			Transaction::Invoke(tx) => {
				api::Transaction::Invoke(api::InvokeTransaction::V3(tx.try_into()?))
			}
			Transaction::Declare(tx) => {
				api::Transaction::Declare(api::DeclareTransaction::V3(tx.try_into()?))
			}
			Transaction::DeployAccount(tx) => {
				api::Transaction::DeployAccount(api::DeployAccountTransaction::V3(tx.into()))
			}
			Transaction::L1Handler(tx) => api::Transaction::L1Handler(tx.try_into()?),
		})
	}
}

impl TryFrom<api::Transaction> for Transaction {
	type Error = ConversionError;

	fn try_from(tx: api::Transaction) -> Result<Self, Self::Error> {
		Ok(match tx {
			api::Transaction::Invoke(api::InvokeTransaction::V3(tx)) => {
				Transaction::Invoke(tx.into())
			}
			api::Transaction::Declare(api::DeclareTransaction::V3(tx)) => {
				Transaction::Declare(tx.into())
			}
			api::Transaction::DeployAccount(api::DeployAccountTransaction::V3(tx)) => {
				Transaction::DeployAccount(tx.into())
			}
			api::Transaction::L1Handler(tx) => Transaction::L1Handler(tx.into()),
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

impl Transaction {
	/// The transaction hash on the chain `chain_id` (e.g. `SN_SEPOLIA` or a custom chain's id), as
	/// `starknet_api` computes it; `only_query` gives the hash of the query version (what
	/// estimate/simulate requests sign).
	pub fn hash(&self, chain_id: &ChainId, only_query: bool) -> Result<Felt, ConversionError> {
		let tx = api::Transaction::try_from(self.clone())?;
		get_transaction_hash(&tx, chain_id, &TransactionOptions { only_query })
			.map(|h| Felt(h.0))
			.map_err(|e| ConversionError::Hash(e.to_string()))
	}
}

//! Starknet block hashes and header commitments, computed by `starknet_api`'s block-hash
//! calculator (the sequencer's own code) from what the index holds. The global state root is 0:
//! Cairn keeps no Starknet state commitment yet (documented in the README). Depends on
//! [`crate::schema`] only.
use crate::schema::{Commitments, IndexedTransaction};
use cairn_primitives::starknet::{
	exec::{StarknetHeader, StateDiff},
	Felt, Transaction,
};
use indexmap::IndexMap;
use starknet_api::{
	block::{BlockHash, BlockNumber, BlockTimestamp, GasPrice, GasPricePerToken, StarknetVersion},
	block_hash::block_hash_calculator::{
		calculate_block_commitments, calculate_block_hash, PartialBlockHashComponents,
		TransactionHashingData, TransactionOutputForHash,
	},
	core::{
		ClassHash, CompiledClassHash, ContractAddress, EthAddress, GlobalRoot, Nonce,
		SequencerContractAddress,
	},
	data_availability::L1DataAvailabilityMode,
	execution_resources::{GasAmount, GasVector},
	state::{StorageKey, ThinStateDiff},
	transaction::{
		fields::{Fee, TransactionSignature},
		Event, EventContent, EventData, EventKey, L2ToL1Payload, MessageToL1,
		RevertedTransactionExecutionStatus, TransactionExecutionStatus, TransactionHash,
	},
};
use starknet_types_core::felt::Felt as CoreFelt;
use std::sync::Arc;

fn address(felt: Felt) -> Result<ContractAddress, String> {
	ContractAddress::try_from(felt.0).map_err(|e| e.to_string())
}

fn signature(tx: &Transaction) -> Vec<CoreFelt> {
	let signature = match tx {
		Transaction::Invoke(tx) => &tx.signature,
		Transaction::Declare(tx) => &tx.signature,
		Transaction::DeployAccount(tx) => &tx.signature,
		Transaction::L1Handler(_) => return Vec::new(),
	};
	signature.iter().map(|f| f.0).collect()
}

fn hashing_data(tx: &IndexedTransaction) -> Result<TransactionHashingData, String> {
	let receipt = &tx.receipt;
	let events = receipt
		.events
		.iter()
		.map(|event| {
			Ok(Event {
				from_address: address(event.from_address)?,
				content: EventContent {
					keys: event.keys.iter().map(|k| EventKey(k.0)).collect(),
					data: EventData(event.data.iter().map(|d| d.0).collect()),
				},
			})
		})
		.collect::<Result<Vec<_>, String>>()?;
	let messages_sent = receipt
		.messages
		.iter()
		.map(|message| {
			Ok(MessageToL1 {
				from_address: address(message.from_address)?,
				to_address: EthAddress::try_from(message.to_address.0)
					.map_err(|e| e.to_string())?,
				payload: L2ToL1Payload(message.payload.iter().map(|p| p.0).collect()),
			})
		})
		.collect::<Result<Vec<_>, String>>()?;
	let execution_status = match &receipt.revert_error {
		None => TransactionExecutionStatus::Succeeded,
		Some(reason) => TransactionExecutionStatus::Reverted(RevertedTransactionExecutionStatus {
			revert_reason: String::from_utf8_lossy(reason).into_owned(),
		}),
	};
	Ok(TransactionHashingData {
		transaction_signature: TransactionSignature(Arc::new(signature(&tx.transaction))),
		transaction_output: TransactionOutputForHash {
			actual_fee: Fee(receipt.actual_fee),
			events,
			execution_status,
			gas_consumed: GasVector {
				l1_gas: GasAmount(receipt.gas.l1_gas),
				l1_data_gas: GasAmount(receipt.gas.l1_data_gas),
				l2_gas: GasAmount(receipt.gas.l2_gas),
			},
			messages_sent,
		},
		transaction_hash: TransactionHash(receipt.tx_hash.0),
	})
}

fn thin_state_diff(diff: &StateDiff) -> Result<ThinStateDiff, String> {
	let mut storage_diffs: IndexMap<ContractAddress, IndexMap<StorageKey, CoreFelt>> =
		IndexMap::new();
	for (contract, key, value) in &diff.storage {
		let key = StorageKey::try_from(key.0).map_err(|e| e.to_string())?;
		storage_diffs.entry(address(*contract)?).or_default().insert(key, value.0);
	}
	Ok(ThinStateDiff {
		deployed_contracts: diff
			.class_hashes
			.iter()
			.map(|(contract, class_hash)| Ok((address(*contract)?, ClassHash(class_hash.0))))
			.collect::<Result<_, String>>()?,
		storage_diffs,
		class_hash_to_compiled_class_hash: diff
			.compiled_class_hashes
			.iter()
			.map(|(class_hash, compiled)| (ClassHash(class_hash.0), CompiledClassHash(compiled.0)))
			.collect(),
		deprecated_declared_classes: Vec::new(),
		nonces: diff
			.nonces
			.iter()
			.map(|(contract, nonce)| Ok((address(*contract)?, Nonce(nonce.0))))
			.collect::<Result<_, String>>()?,
	})
}

/// The Starknet block hash and header commitments of block `number`. Runs within a tokio runtime
/// (the calculator hashes on tokio's blocking pool).
pub async fn compute(
	number: u64,
	header: &StarknetHeader,
	use_kzg_da: bool,
	transactions: &[IndexedTransaction],
	state_diff: &StateDiff,
	parent_hash: Felt,
) -> Result<(Felt, Commitments), String> {
	let data = transactions.iter().map(hashing_data).collect::<Result<Vec<_>, String>>()?;
	let thin = thin_state_diff(state_diff)?;
	let version =
		StarknetVersion::try_from(String::from_utf8_lossy(&header.starknet_version).into_owned())
			.map_err(|e| e.to_string())?;
	let da_mode =
		if use_kzg_da { L1DataAvailabilityMode::Blob } else { L1DataAvailabilityMode::Calldata };
	let state_diff_length = thin.len() as u64;
	let event_count = data.iter().map(|d| d.transaction_output.events.len() as u64).sum();
	let (commitments, _) = calculate_block_commitments(&data, thin, da_mode, &version).await;
	let prices = &header.gas_prices;
	let price = |fri: u128, wei: u128| GasPricePerToken {
		price_in_fri: GasPrice(fri),
		price_in_wei: GasPrice(wei),
	};
	let partial = PartialBlockHashComponents {
		header_commitments: commitments.clone(),
		block_number: BlockNumber(number),
		l1_gas_price: price(prices.l1_gas_price_fri, prices.l1_gas_price_wei),
		l1_data_gas_price: price(prices.l1_data_gas_price_fri, prices.l1_data_gas_price_wei),
		l2_gas_price: price(prices.l2_gas_price_fri, prices.l2_gas_price_wei),
		sequencer: SequencerContractAddress(address(header.sequencer_address)?),
		timestamp: BlockTimestamp(header.timestamp),
		starknet_version: version,
	};
	let hash = calculate_block_hash(&partial, GlobalRoot(CoreFelt::ZERO), BlockHash(parent_hash.0))
		.map_err(|e| e.to_string())?;
	Ok((
		Felt(hash.0),
		Commitments {
			transaction_commitment: Felt(commitments.transaction_commitment.0),
			event_commitment: Felt(commitments.event_commitment.0),
			receipt_commitment: Felt(commitments.receipt_commitment.0),
			state_diff_commitment: Felt(commitments.state_diff_commitment.0 .0),
			event_count,
			transaction_count: transactions.len() as u64,
			state_diff_length,
		},
	))
}

#[cfg(test)]
mod tests {
	use super::*;
	use cairn_primitives::starknet::exec::GasPrices;

	fn felt(value: u128) -> Felt {
		Felt::from(value)
	}

	fn header() -> StarknetHeader {
		StarknetHeader {
			block_number: 1,
			timestamp: 1_700_000_000,
			sequencer_address: felt(0x1000),
			gas_prices: GasPrices::default(),
			starknet_version: b"0.14.1".to_vec(),
			transaction_count: 0,
			event_count: 0,
		}
	}

	#[test]
	fn thin_state_diff_groups_storage_by_contract() {
		let diff = StateDiff {
			storage: vec![
				(felt(1), felt(10), felt(100)),
				(felt(1), felt(11), felt(110)),
				(felt(2), felt(10), felt(200)),
			],
			nonces: vec![(felt(1), felt(3))],
			class_hashes: vec![(felt(2), felt(20))],
			compiled_class_hashes: vec![(felt(20), felt(21))],
		};
		let thin = thin_state_diff(&diff).unwrap();
		assert_eq!(thin.storage_diffs.len(), 2);
		assert_eq!(thin.storage_diffs[&address(felt(1)).unwrap()].len(), 2);
		assert_eq!(thin.deployed_contracts.len(), 1);
		assert_eq!(thin.nonces.len(), 1);
		assert_eq!(thin.class_hash_to_compiled_class_hash.len(), 1);
		assert!(thin.deprecated_declared_classes.is_empty());
	}

	#[test]
	fn thin_state_diff_refuses_addresses_out_of_range() {
		// Contract addresses are below 2^251 - 256; the field prime is above that.
		let too_big =
			Felt::from_hex("0x800000000000011000000000000000000000000000000000000000000000000")
				.unwrap();
		let diff = StateDiff { nonces: vec![(too_big, felt(1))], ..Default::default() };
		assert!(thin_state_diff(&diff).is_err());
	}

	// (`compute` itself needs a tokio runtime: the calculator hashes on tokio's blocking pool.
	// A bad version is refused before that.)
	#[test]
	fn an_unknown_starknet_version_is_an_error() {
		let header = StarknetHeader { starknet_version: b"not a version".to_vec(), ..header() };
		let result = futures::executor::block_on(compute(
			1,
			&header,
			false,
			&[],
			&StateDiff::default(),
			Felt::ZERO,
		));
		assert!(result.is_err());
	}
}

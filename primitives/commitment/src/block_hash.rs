//! Starknet block hashes and the header commitments they cover, computed by `starknet_api`'s
//! block-hash calculator (the sequencer's own code) during block execution, through the host
//! function [`crate::host::starknet_commitment::block_hash`]: a block's hash is consensus, like
//! its state root.
use alloc::vec::Vec;
use cairn_primitives::starknet::{
	exec::{GasPrices, HeaderCommitments, Receipt, StateDiff},
	Felt,
};
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// What a block's hash covers.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct BlockHashRequest {
	pub block_number: u64,
	/// Unix seconds.
	pub timestamp: u64,
	pub sequencer_address: Felt,
	pub gas_prices: GasPrices,
	pub starknet_version: Vec<u8>,
	/// Whether the chain posts its data as blobs (the L1 data-availability mode).
	pub use_kzg_da: bool,
	/// The block's transactions in order: each one's signature and receipt.
	pub transactions: Vec<(Vec<Felt>, Receipt)>,
	/// The block's state diff ([`StateDiff::merged`]).
	pub state_diff: StateDiff,
	pub parent_hash: Felt,
	pub state_root: Felt,
}

/// A block's hash and the commitments under it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct BlockHashOutcome {
	pub block_hash: Felt,
	pub commitments: HeaderCommitments,
}

#[cfg(not(substrate_runtime))]
pub use native::compute;

#[cfg(not(substrate_runtime))]
mod native {
	use super::*;
	use alloc::{
		string::{String, ToString},
		sync::Arc,
	};
	use indexmap::IndexMap;
	use starknet_api::{
		block::{
			BlockHash, BlockNumber, BlockTimestamp, GasPrice, GasPricePerToken, StarknetVersion,
		},
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

	pub(crate) fn address(felt: Felt) -> Result<ContractAddress, String> {
		ContractAddress::try_from(felt.0).map_err(|e| e.to_string())
	}

	fn hashing_data(
		(signature, receipt): &(Vec<Felt>, Receipt),
	) -> Result<TransactionHashingData, String> {
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
			Some(reason) => {
				TransactionExecutionStatus::Reverted(RevertedTransactionExecutionStatus {
					revert_reason: String::from_utf8_lossy(reason).into_owned(),
				})
			}
		};
		Ok(TransactionHashingData {
			transaction_signature: TransactionSignature(Arc::new(
				signature.iter().map(|f| f.0).collect(),
			)),
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

	pub(crate) fn thin_state_diff(diff: &StateDiff) -> Result<ThinStateDiff, String> {
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
				.map(|(class_hash, compiled)| {
					(ClassHash(class_hash.0), CompiledClassHash(compiled.0))
				})
				.collect(),
			deprecated_declared_classes: Vec::new(),
			nonces: diff
				.nonces
				.iter()
				.map(|(contract, nonce)| Ok((address(*contract)?, Nonce(nonce.0))))
				.collect::<Result<_, String>>()?,
		})
	}

	/// The block hash and header commitments of `request`'s block.
	pub fn compute(request: &BlockHashRequest) -> Result<BlockHashOutcome, String> {
		let data =
			request.transactions.iter().map(hashing_data).collect::<Result<Vec<_>, String>>()?;
		let thin = thin_state_diff(&request.state_diff)?;
		let version = StarknetVersion::try_from(
			String::from_utf8_lossy(&request.starknet_version).into_owned(),
		)
		.map_err(|e| e.to_string())?;
		let da_mode = if request.use_kzg_da {
			L1DataAvailabilityMode::Blob
		} else {
			L1DataAvailabilityMode::Calldata
		};
		let state_diff_length = thin.len() as u64;
		let commitments = {
			// The calculator is async (it hashes on tokio's blocking pool); a host function runs
			// wherever the runtime was called from, maybe inside a tokio runtime already, so it
			// gets a runtime of its own on a thread of its own.
			let version = version.clone();
			std::thread::scope(|scope| {
				scope
					.spawn(move || {
						let runtime = tokio::runtime::Builder::new_current_thread()
							.build()
							.map_err(|e| e.to_string())?;
						Ok::<_, String>(
							runtime
								.block_on(calculate_block_commitments(
									&data, thin, da_mode, &version,
								))
								.0,
						)
					})
					.join()
					.map_err(|_| "the block commitments' thread panicked".to_string())?
			})?
		};
		let prices = &request.gas_prices;
		let price = |fri: u128, wei: u128| GasPricePerToken {
			price_in_fri: GasPrice(fri),
			price_in_wei: GasPrice(wei),
		};
		let partial = PartialBlockHashComponents {
			header_commitments: commitments.clone(),
			block_number: BlockNumber(request.block_number),
			l1_gas_price: price(prices.l1_gas_price_fri, prices.l1_gas_price_wei),
			l1_data_gas_price: price(prices.l1_data_gas_price_fri, prices.l1_data_gas_price_wei),
			l2_gas_price: price(prices.l2_gas_price_fri, prices.l2_gas_price_wei),
			sequencer: SequencerContractAddress(address(request.sequencer_address)?),
			timestamp: BlockTimestamp(request.timestamp),
			starknet_version: version,
		};
		let hash = calculate_block_hash(
			&partial,
			GlobalRoot(request.state_root.0),
			BlockHash(request.parent_hash.0),
		)
		.map_err(|e| e.to_string())?;
		Ok(BlockHashOutcome {
			block_hash: Felt(hash.0),
			commitments: HeaderCommitments {
				transaction_commitment: Felt(commitments.transaction_commitment.0),
				event_commitment: Felt(commitments.event_commitment.0),
				receipt_commitment: Felt(commitments.receipt_commitment.0),
				state_diff_commitment: Felt(commitments.state_diff_commitment.0 .0),
				state_diff_length,
			},
		})
	}
}

#[cfg(test)]
mod tests {
	use super::{native::*, *};

	fn felt(value: u128) -> Felt {
		Felt::from(value)
	}

	fn request() -> BlockHashRequest {
		BlockHashRequest {
			block_number: 1,
			timestamp: 1_700_000_000,
			sequencer_address: felt(0x1000),
			gas_prices: GasPrices::default(),
			starknet_version: b"0.14.1".to_vec(),
			use_kzg_da: false,
			transactions: Vec::new(),
			state_diff: StateDiff::default(),
			parent_hash: Felt::ZERO,
			state_root: Felt::ZERO,
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

	#[test]
	fn an_unknown_starknet_version_is_an_error() {
		let request = BlockHashRequest { starknet_version: b"not a version".to_vec(), ..request() };
		assert!(compute(&request).is_err());
	}

	#[test]
	fn the_hash_covers_the_root_and_the_parent() {
		let base = compute(&request()).unwrap();
		let with_root = compute(&BlockHashRequest { state_root: felt(7), ..request() }).unwrap();
		let with_parent = compute(&BlockHashRequest { parent_hash: felt(7), ..request() }).unwrap();
		assert_ne!(base.block_hash, with_root.block_hash);
		assert_ne!(base.block_hash, with_parent.block_hash);
		assert_ne!(with_root.block_hash, with_parent.block_hash);
		assert_eq!(base.commitments, with_root.commitments);
		// It runs inside a tokio runtime too (block import drives the runtime from one).
		let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
		assert_eq!(runtime.block_on(async { compute(&request()) }).unwrap(), base);
	}
}

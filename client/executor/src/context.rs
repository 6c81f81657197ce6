//! The blockifier block context of a block: versioned constants of the chain's Starknet version,
//! gas prices, sequencer, chain id and fee tokens, from the context the runtime passes.
use crate::errors::internal;
use cairn_primitives::starknet::{
	exec::{BlockContext, ExecError},
	Felt,
};
use starknet_api::core::ChainId;

/// The Starknet block context for a request's context DTO (see [`cache::block_context`]).
pub(crate) fn build_block_context(
	context: &BlockContext,
) -> Result<blockifier::context::BlockContext, ExecError> {
	use blockifier::{
		blockifier_versioned_constants::VersionedConstants,
		bouncer::BouncerConfig,
		context::{ChainInfo, FeeTokenAddresses},
	};
	use starknet_api::{
		block::{
			BlockInfo, BlockNumber, BlockTimestamp, GasPrice, GasPriceVector, GasPrices,
			NonzeroGasPrice, StarknetVersion,
		},
		core::ContractAddress,
		versioned_constants_logic::VersionedConstantsTrait,
	};
	let config = &context.config;
	let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
	let version = StarknetVersion::try_from(text(&config.starknet_version))
		.map_err(|e| internal(format!("unsupported Starknet version: {e}")))?;
	let constants = VersionedConstants::get(&version).map_err(|e| internal(e))?;
	let address = |felt: Felt| {
		ContractAddress::try_from(felt.0).map_err(|e| internal(format!("bad address: {e}")))
	};
	let price = |p: u128| {
		NonzeroGasPrice::new(GasPrice(p)).map_err(|e| internal(format!("gas price: {e}")))
	};
	let prices = &config.gas_prices;
	let block_info = BlockInfo {
		block_number: BlockNumber(context.block_number),
		block_timestamp: BlockTimestamp(context.block_timestamp),
		starknet_version: version,
		sequencer_address: address(config.sequencer_address)?,
		gas_prices: GasPrices {
			eth_gas_prices: GasPriceVector {
				l1_gas_price: price(prices.l1_gas_price_wei)?,
				l1_data_gas_price: price(prices.l1_data_gas_price_wei)?,
				l2_gas_price: price(prices.l2_gas_price_wei)?,
			},
			strk_gas_prices: GasPriceVector {
				l1_gas_price: price(prices.l1_gas_price_fri)?,
				l1_data_gas_price: price(prices.l1_data_gas_price_fri)?,
				l2_gas_price: price(prices.l2_gas_price_fri)?,
			},
		},
		use_kzg_da: config.use_kzg_da,
	};
	let chain_info = ChainInfo {
		chain_id: ChainId::from(text(&config.chain_id)),
		fee_token_addresses: FeeTokenAddresses {
			strk_fee_token_address: address(config.strk_fee_token)?,
			eth_fee_token_address: address(config.eth_fee_token)?,
		},
		is_l3: false,
	};
	Ok(blockifier::context::BlockContext::new(
		block_info,
		chain_info,
		constants.clone(),
		// Blockifier's bouncer only acts inside its `TransactionExecutor`, which Cairn does not
		// use: the runtime counts a block's capacity itself (pallet-starknet's `capacity`).
		BouncerConfig::max(),
	))
}

//! The workload's accounts when they are not the genesis's (`--account-class FILE`): K accounts
//! of a published account class whose constructor takes the public key and keeps it in the
//! `public_key` storage variable, as StarkWare's example account does (`scripts/setup` fetches it
//! from crates.io's cairo-lang-starknet test data: Sierra 1.9.5, so Cairo Native runs it, where
//! the genesis's OpenZeppelin account 1.0.0 is Sierra 1.6.0 and runs on the VM whatever the
//! chain's engine). On a node they are declared, funded by the genesis accounts and deployed
//! (deploy_account) before the clock starts; in the raw ceiling, laid out in the genesis.
use super::*;
use cairn_executor::dev_genesis::{account_address, published_class};
use cairn_primitives::starknet::{
	genesis::{GenesisClass, GenesisContract, GenesisState},
	DeclareTransactionV3, DeployAccountTransactionV3,
};
use cairn_rpc_api::types::{declare_json, deploy_account_json};

/// What each account is funded with: 100 STRK (a transfer's fee is about 10⁻³ STRK).
pub const FUNDING: u128 = 100_000_000_000_000_000_000;

/// The class in `path` (a `.contract_class.json`), compiled and hashed by this node's compiler.
pub fn class(path: &str) -> Result<GenesisClass, Error> {
	let artifact = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
	Ok(published_class(path, &artifact).map_err(|e| format!("{path}: {e}"))?)
}

/// The K accounts of `class` for `seed`: private keys derived from both, addresses of the
/// deployment a deploy_account makes (salt: the public key, constructor: the public key).
pub fn accounts(class: &GenesisClass, seed: u64, k: u32) -> Result<Vec<Account>, Error> {
	(0..k)
		.map(|index| {
			let mut input = b"cairn-bench-account".to_vec();
			input.extend_from_slice(&seed.to_le_bytes());
			input.extend_from_slice(&index.to_le_bytes());
			let digest = sp_core::hashing::blake2_256(&input);
			let key = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes")).max(1);
			let private_key = Felt::from(key);
			let address = account_address(class.class_hash, public_key(private_key))
				.map_err(|e| format!("an account's address: {e}"))?;
			Ok(Account { address, private_key })
		})
		.collect()
}

/// `genesis` with `class` declared and `accounts` deployed, each holding [`FUNDING`] STRK.
pub fn add_to_genesis(genesis: &mut GenesisState, class: &GenesisClass, accounts: &[Account]) {
	let strk = genesis.config.strk_fee_token;
	if !genesis.classes.iter().any(|c| c.class_hash == class.class_hash) {
		genesis.classes.push(class.clone());
	}
	for account in accounts {
		genesis
			.contracts
			.push(GenesisContract { address: account.address, class_hash: class.class_hash });
		genesis.storage.push((
			account.address,
			storage_var_address("public_key", &[]),
			public_key(account.private_key),
		));
		genesis.storage.push((
			strk,
			storage_var_address("ERC20_balances", &[account.address]),
			Felt::from(FUNDING),
		));
	}
}

/// Bounds for the set-up's transactions at the node's `prices`: enough for a declare and a
/// deploy_account.
fn bounds(prices: [u128; 3], l2_gas: u64) -> ValidResourceBounds {
	let [l1, l1_data, l2] = prices;
	ValidResourceBounds::AllResources {
		l1_gas: ResourceBounds { max_amount: 0, max_price_per_unit: l1 * 2 },
		l2_gas: ResourceBounds { max_amount: l2_gas, max_price_per_unit: l2 * 2 },
		l1_data_gas: ResourceBounds { max_amount: 100_000, max_price_per_unit: l1_data * 2 },
	}
}

async fn nonce(client: &HttpClient, address: Felt) -> Result<u128, Error> {
	hex_u128(&load::rpc(client, "starknet_getNonce", vec![json!("latest"), json!(address)]).await?)
}

/// Waits (60 s at most) until every transaction of `hashes` has a receipt that says SUCCEEDED.
async fn succeeded(client: &HttpClient, hashes: &[Felt]) -> Result<(), Error> {
	let deadline = Instant::now() + Duration::from_secs(60);
	for hash in hashes {
		loop {
			match load::rpc(client, "starknet_getTransactionReceipt", vec![json!(hash)]).await {
				Ok(receipt) if receipt["block_number"].is_u64() => {
					if receipt["execution_status"] != "SUCCEEDED" {
						return Err(format!("set-up transaction {hash:?}: {receipt}").into());
					}
					break;
				}
				_ if Instant::now() > deadline => {
					return Err(format!("no receipt for set-up transaction {hash:?}").into())
				}
				_ => tokio::time::sleep(Duration::from_millis(20)).await,
			}
		}
	}
	Ok(())
}

/// Makes `accounts` exist on the node: `class` declared by `funders[0]` if it is not yet, then
/// each account not deployed yet funded by the funder of its index and deployed.
pub async fn deploy_on_node(
	client: &HttpClient,
	class: &GenesisClass,
	funders: &[Account],
	accounts: &[Account],
	chain_id: &str,
	prices: [u128; 3],
) -> Result<(), Error> {
	let declared =
		load::rpc(client, "starknet_getClass", vec![json!("latest"), json!(class.class_hash)])
			.await
			.is_ok();
	if !declared {
		let funder = &funders[0];
		let mut tx = Transaction::Declare(DeclareTransactionV3 {
			resource_bounds: bounds(prices, 10_000_000_000),
			tip: 0,
			signature: vec![],
			nonce: Felt::from(nonce(client, funder.address).await?),
			class_hash: class.class_hash,
			compiled_class_hash: class.compiled_class_hash,
			sender_address: funder.address,
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
			account_deployment_data: vec![],
		});
		let hash = tx.sign(chain_id, funder.private_key)?;
		let Transaction::Declare(tx) = tx else { unreachable!() };
		let json = declare_json(&tx, serde_json::from_str::<Value>(&class.sierra)?);
		load::rpc(client, "starknet_addDeclareTransaction", vec![json]).await?;
		succeeded(client, &[hash]).await?;
	}
	let mut missing = Vec::new();
	for (index, account) in accounts.iter().enumerate() {
		let deployed = load::rpc(
			client,
			"starknet_getClassHashAt",
			vec![json!("latest"), json!(account.address)],
		)
		.await
		.is_ok();
		if !deployed {
			missing.push((index, account));
		}
	}
	let strk = Felt::from_hex(well_known::STRK).expect("a felt");
	let mut funded = Vec::new();
	for (index, account) in &missing {
		let funder = &funders[*index % funders.len()];
		let calldata = execute_calldata(&[Call {
			to: strk,
			entry_point: "transfer",
			calldata: vec![account.address, Felt::from(FUNDING), Felt::ZERO],
		}]);
		let mut tx = Transaction::Invoke(InvokeTransactionV3 {
			resource_bounds: bounds(prices, 10_000_000),
			tip: 0,
			signature: vec![],
			nonce: Felt::from(nonce(client, funder.address).await?),
			sender_address: funder.address,
			calldata,
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
			account_deployment_data: vec![],
			proof_facts: vec![],
		});
		funded.push(tx.sign(chain_id, funder.private_key)?);
		let Transaction::Invoke(tx) = tx else { unreachable!() };
		load::rpc(client, "starknet_addInvokeTransaction", vec![invoke_json(&tx)]).await?;
		// A funder of several accounts sends its next transfer once this one is in.
		if missing.len() > funders.len() {
			succeeded(client, &funded[funded.len() - 1..]).await?;
		}
	}
	succeeded(client, &funded).await?;
	let mut deployed = Vec::new();
	for (_, account) in &missing {
		let public = public_key(account.private_key);
		let mut tx = Transaction::DeployAccount(DeployAccountTransactionV3 {
			resource_bounds: bounds(prices, 50_000_000),
			tip: 0,
			signature: vec![],
			nonce: Felt::ZERO,
			class_hash: class.class_hash,
			contract_address_salt: public,
			constructor_calldata: vec![public],
			nonce_data_availability_mode: DataAvailabilityMode::L1,
			fee_data_availability_mode: DataAvailabilityMode::L1,
			paymaster_data: vec![],
		});
		deployed.push(tx.sign(chain_id, account.private_key)?);
		let Transaction::DeployAccount(tx) = tx else { unreachable!() };
		let json = deploy_account_json(&tx);
		load::rpc(client, "starknet_addDeployAccountTransaction", vec![json]).await?;
	}
	succeeded(client, &deployed).await
}

//! `cairn-bench load`: the workload over Starknet JSON-RPC against a running node (Cairn or
//! starknet-devnet): submissions in nonce order per account, receipts found by following blocks,
//! throughput, latency, blocks and the node's peak RSS; balances checked against the fees.
use super::*;

async fn rpc(client: &HttpClient, method: &str, params: Vec<Value>) -> Result<Value, Error> {
	let mut array = ArrayParams::new();
	for param in params {
		array.insert(param)?;
	}
	Ok(client.request::<Value, _>(method, array).await?)
}

/// An account's STRK balance (u256 low + high·2^128, which fits u128 here).
async fn balance(client: &HttpClient, address: Felt) -> Result<u128, Error> {
	let call = json!({
		"contract_address": well_known::STRK,
		"entry_point_selector": selector("balanceOf"),
		"calldata": [address],
	});
	let result = rpc(client, "starknet_call", vec![call, json!("latest")]).await?;
	Ok(hex_u128(&result[0])?)
}

/// Peak resident set of a process, in MiB.
fn peak_rss_mib(pid: u32) -> Option<f64> {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
	let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
	Some(kib / 1024.0)
}

/// What the watcher learnt of a transaction: when its receipt was seen, in which block, whether
/// it succeeded, its fee.
struct Seen {
	at: Instant,
	block: u64,
	succeeded: bool,
	fee: u128,
}

pub async fn load(
	url: String,
	system: String,
	seed: u64,
	k: u32,
	count: u32,
	pid: Option<u32>,
	timeout: u64,
) -> Result<(), Error> {
	let client = HttpClientBuilder::default()
		.request_timeout(Duration::from_secs(120))
		.max_concurrent_requests(4 * k as usize + 16)
		.build(&url)?;
	let accounts: Vec<Account> = match system.as_str() {
		"cairn" => dev_genesis(ChainConfig::default(), seed, k)?
			.1
			.into_iter()
			.map(|a| Account { address: a.address, private_key: a.private_key })
			.collect(),
		"devnet" => {
			let list = rpc(&client, "devnet_getPredeployedAccounts", vec![]).await?;
			let list = list.as_array().ok_or("devnet_getPredeployedAccounts: not a list")?;
			if list.len() < k as usize {
				return Err(format!("devnet has {} accounts, {k} wanted", list.len()).into());
			}
			list.iter()
				.take(k as usize)
				.map(|a| -> Result<Account, Error> {
					let felt = |field: &str| {
						a[field]
							.as_str()
							.and_then(Felt::from_hex)
							.ok_or_else(|| format!("account {field}: {a}"))
					};
					let account =
						Account { address: felt("address")?, private_key: felt("private_key")? };
					if public_key(account.private_key) != felt("public_key")? {
						return Err("devnet account keys do not match".into());
					}
					Ok(account)
				})
				.collect::<Result<_, _>>()?
		}
		other => return Err(format!("unknown system {other} (cairn or devnet)").into()),
	};
	let chain_id = rpc(&client, "starknet_chainId", vec![]).await?;
	let chain_id = Felt::from_hex(chain_id.as_str().ok_or("chainId")?).ok_or("chainId")?;
	let chain_id =
		String::from_utf8(chain_id.to_bytes().iter().copied().skip_while(|b| *b == 0).collect())?;
	let head = rpc(&client, "starknet_getBlockWithTxHashes", vec![json!("latest")]).await?;
	let price = |name: &str| hex_u128(&head[name]["price_in_fri"]);
	let prices = [price("l1_gas_price")?, price("l1_data_gas_price")?, price("l2_gas_price")?];
	let first_block = head["block_number"].as_u64().ok_or("block_number")?;
	let mut start_nonces = Vec::with_capacity(accounts.len());
	let mut balances_before = 0u128;
	for account in &accounts {
		let nonce =
			rpc(&client, "starknet_getNonce", vec![json!("latest"), json!(account.address)])
				.await?;
		start_nonces.push(hex_u128(&nonce)?);
		balances_before += balance(&client, account.address).await?;
	}
	// Everything signed before the clock starts.
	let mut per_account: Vec<Vec<(Value, Felt)>> = (0..k).map(|_| Vec::new()).collect();
	for index in 0..count {
		let (tx, hash) = transfer(&accounts, &start_nonces, index, &chain_id, prices);
		let Transaction::Invoke(tx) = tx else { unreachable!() };
		per_account[(index % k) as usize].push((invoke_json(&tx), hash));
	}

	let submitted: Arc<Mutex<HashMap<Felt, Instant>>> = Arc::new(Mutex::new(HashMap::new()));
	let started = Instant::now();
	let deadline = started + Duration::from_secs(timeout);
	let mut senders = Vec::new();
	for txs in per_account {
		let (client, submitted) = (client.clone(), submitted.clone());
		senders.push(tokio::spawn(async move {
			for (tx, hash) in txs {
				let at = Instant::now();
				if let Err(e) = rpc(&client, "starknet_addInvokeTransaction", vec![tx]).await {
					let error = format!("submitting {hash:?}: {e}");
					eprintln!("cairn-bench: {error}");
					return Err(error);
				}
				submitted.lock().expect("not poisoned").insert(hash, at);
			}
			Ok::<(), String>(())
		}));
	}
	// Follow new blocks until every transfer has a receipt.
	let mut seen: HashMap<Felt, Seen> = HashMap::new();
	let mut next_block = first_block + 1;
	let mut blocks_with_ours = 0u64;
	while seen.len() < count as usize {
		if Instant::now() > deadline {
			return Err(format!("{} of {count} receipts after {timeout} s", seen.len()).into());
		}
		// A refused submission ends its account's sequence: report it now, not at the deadline.
		let (finished, running): (Vec<_>, Vec<_>) =
			senders.into_iter().partition(|sender| sender.is_finished());
		senders = running;
		for sender in finished {
			if let Err(error) = sender.await? {
				return Err(format!("{} of {count} receipts; {error}", seen.len()).into());
			}
		}
		let latest =
			rpc(&client, "starknet_blockNumber", vec![]).await?.as_u64().ok_or("blockNumber")?;
		if latest < next_block {
			tokio::time::sleep(Duration::from_millis(5)).await;
			continue;
		}
		for number in next_block..=latest {
			let block = rpc(
				&client,
				"starknet_getBlockWithReceipts",
				// `response_flags` is optional in 0.10.3, but starknet-devnet 0.10.1 insists on it.
				vec![json!({ "block_number": number }), json!([])],
			)
			.await?;
			let at = Instant::now();
			let mut ours = false;
			for entry in block["transactions"].as_array().ok_or("transactions")? {
				let receipt = &entry["receipt"];
				let Some(hash) = receipt["transaction_hash"].as_str().and_then(Felt::from_hex)
				else {
					continue;
				};
				ours = true;
				seen.insert(
					hash,
					Seen {
						at,
						block: number,
						succeeded: receipt["execution_status"] == "SUCCEEDED",
						fee: hex_u128(&receipt["actual_fee"]["amount"])?,
					},
				);
			}
			blocks_with_ours += u64::from(ours);
		}
		next_block = latest + 1;
	}
	for sender in senders {
		sender.await?.map_err(|e| -> Error { e.into() })?;
	}
	let submitted = submitted.lock().expect("not poisoned").clone();
	let first_submit = submitted.values().min().copied().unwrap_or(started);
	let last_receipt = seen.values().map(|s| s.at).max().unwrap_or(started);
	let seconds = (last_receipt - first_submit).as_secs_f64();
	let mut latencies: Vec<Duration> = seen
		.iter()
		.filter_map(|(hash, s)| submitted.get(hash).map(|at| s.at.saturating_duration_since(*at)))
		.collect();
	latencies.sort();
	let succeeded = seen.values().filter(|s| s.succeeded).count();
	let fees: u128 = seen.values().map(|s| s.fee).sum();
	let mut balances_after = 0u128;
	for account in &accounts {
		balances_after += balance(&client, account.address).await?;
	}
	let balanced = balances_before - balances_after == fees;
	let blocks: std::collections::HashSet<u64> = seen.values().map(|s| s.block).collect();
	println!(
		"{}",
		json!({
			"system": system,
			"url": url,
			"transfers": count,
			"accounts": k,
			"succeeded": succeeded,
			"balances_add_up": balanced,
			"seconds": seconds,
			"tps": f64::from(count) / seconds,
			"latency_ms_p50": percentile(&latencies, 0.5),
			"latency_ms_p99": percentile(&latencies, 0.99),
			"blocks": blocks.len(),
			// With interval sealing, how close the chain kept to its interval (10/s for 100 ms).
			"blocks_per_s": blocks.len() as f64 / seconds,
			"blocks_seen": blocks_with_ours,
			"peak_rss_mib": pid.and_then(peak_rss_mib),
		})
	);
	if succeeded != count as usize || !balanced {
		return Err(format!("{succeeded} of {count} succeeded; balances add up: {balanced}").into());
	}
	Ok(())
}

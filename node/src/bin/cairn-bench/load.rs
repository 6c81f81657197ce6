//! `cairn-bench load`: the workload over Starknet JSON-RPC against a running node (Cairn or
//! starknet-devnet): submissions in nonce order per account, receipts found by following blocks,
//! throughput, latency, blocks and the node's peak RSS; balances checked against the fees.
use super::*;

pub(super) async fn rpc(
	client: &HttpClient,
	method: &str,
	params: Vec<Value>,
) -> Result<Value, Error> {
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

/// How `load` offers its transfers.
#[derive(Clone, Copy, Debug)]
pub enum Offer {
	/// Each account submits its next transfer as soon as the node accepted the last one.
	Saturate,
	/// Open loop: transfer `i` is due `i / rate` seconds after the start (each account sends its
	/// own in order, at its share of the rate), whatever the node's answers.
	Rate(f64),
	/// One transfer in flight: the next is submitted when the last one's receipt is seen, polled
	/// with `starknet_getTransactionReceipt` every millisecond (the light-load latency).
	OneInFlight,
}

/// The accounts, chain and pre-signed workload of a run.
struct Setup {
	client: HttpClient,
	accounts: Vec<Account>,
	first_block: u64,
	balances_before: u128,
	/// Account `a`'s transfers in nonce order, with their hashes.
	per_account: Vec<Vec<(Value, Felt)>>,
}

#[allow(clippy::too_many_arguments)]
pub async fn load(
	url: String,
	system: String,
	seed: u64,
	k: u32,
	offset: u32,
	count: u32,
	pid: Option<u32>,
	timeout: u64,
	offer: Offer,
	account_class: Option<String>,
	subscribers: Option<u32>,
) -> Result<(), Error> {
	let setup = setup(&url, &system, seed, k, offset, count, account_class.as_deref()).await?;
	let subscribers = match subscribers {
		Some(n) => {
			let addresses: Vec<Felt> = setup.accounts.iter().map(|a| a.address).collect();
			let hashes: Vec<Vec<Felt>> = setup
				.per_account
				.iter()
				.map(|txs| txs.iter().map(|(_, hash)| *hash).collect())
				.collect();
			let opened =
				super::subscribers::start(&url, n, setup.first_block, &addresses, &hashes).await?;
			Some(opened)
		}
		None => None,
	};
	let started = Instant::now();
	let deadline = started + Duration::from_secs(timeout);
	let (submitted, seen) = match offer {
		Offer::OneInFlight => one_in_flight(&setup, deadline).await?,
		Offer::Saturate => {
			follow_blocks(&setup, count, deadline, submit_all(&setup, started, None)).await?
		}
		Offer::Rate(rate) => {
			follow_blocks(&setup, count, deadline, submit_all(&setup, started, Some(rate))).await?
		}
	};
	let subscribed = match subscribers {
		Some(subscribers) => {
			let last_block = seen.values().map(|s| s.block).max().unwrap_or(setup.first_block);
			let n = subscribers.subscriptions;
			let (notifications, missed) = subscribers.finish(last_block).await?;
			Some(json!({ "subscriptions": n, "notifications": notifications, "missed": missed }))
		}
		None => None,
	};
	report(&setup, &url, &system, count, pid, offer, started, submitted, seen, subscribed).await
}

async fn setup(
	url: &str,
	system: &str,
	seed: u64,
	k: u32,
	offset: u32,
	count: u32,
	account_class: Option<&str>,
) -> Result<Setup, Error> {
	let client = HttpClientBuilder::default()
		.request_timeout(Duration::from_secs(120))
		.max_concurrent_requests(4 * k as usize + 16)
		.build(url)?;
	let accounts: Vec<Account> = match system {
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
	// Accounts of another class: deployed now, funded by the genesis accounts.
	let accounts = match (account_class, system) {
		(None, _) => accounts,
		(Some(path), "cairn") => {
			let class = super::accounts::class(path)?;
			let own = super::accounts::accounts(&class, seed, k)?;
			super::accounts::deploy_on_node(&client, &class, &accounts, &own, &chain_id, prices)
				.await?;
			own
		}
		(Some(_), other) => return Err(format!("--account-class is for cairn, not {other}").into()),
	};
	let head = rpc(&client, "starknet_getBlockWithTxHashes", vec![json!("latest")]).await?;
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
		let (tx, hash) = transfer(&accounts, &start_nonces, index, offset, &chain_id, prices);
		let Transaction::Invoke(tx) = tx else { unreachable!() };
		per_account[(index % k) as usize].push((invoke_json(&tx), hash));
	}

	Ok(Setup { client, accounts, first_block, balances_before, per_account })
}

type Submitted = HashMap<Felt, Instant>;
type Sender = tokio::task::JoinHandle<Result<(), String>>;

/// One task per account submitting its transfers in nonce order, as fast as the node accepts
/// them or, at `rate`, each when it is due.
fn submit_all(
	setup: &Setup,
	started: Instant,
	rate: Option<f64>,
) -> (Arc<Mutex<Submitted>>, Vec<Sender>) {
	let submitted: Arc<Mutex<Submitted>> = Arc::new(Mutex::new(HashMap::new()));
	let k = setup.per_account.len();
	let mut senders = Vec::new();
	for (a, txs) in setup.per_account.iter().enumerate() {
		let (client, submitted, txs) = (setup.client.clone(), submitted.clone(), txs.clone());
		senders.push(tokio::spawn(async move {
			for (j, (tx, hash)) in txs.into_iter().enumerate() {
				if let Some(rate) = rate {
					// The workload's transfer `j * K + a` is this account's `j`-th.
					let due = started + Duration::from_secs_f64((j * k + a) as f64 / rate);
					tokio::time::sleep_until(due.into()).await;
				}
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
	(submitted, senders)
}

/// Submits the transfers one at a time and polls each one's receipt every millisecond.
async fn one_in_flight(
	setup: &Setup,
	deadline: Instant,
) -> Result<(Submitted, HashMap<Felt, Seen>), Error> {
	let mut submitted = HashMap::new();
	let mut seen = HashMap::new();
	// In the workload's order, account after account: nonces stay in order per account.
	let longest = setup.per_account.iter().map(Vec::len).max().unwrap_or(0);
	for j in 0..longest {
		for txs in &setup.per_account {
			let Some((tx, hash)) = txs.get(j) else { continue };
			let at = Instant::now();
			rpc(&setup.client, "starknet_addInvokeTransaction", vec![tx.clone()])
				.await
				.map_err(|e| format!("submitting {hash:?}: {e}"))?;
			submitted.insert(*hash, at);
			let receipt = loop {
				if Instant::now() > deadline {
					return Err(format!("no receipt for {hash:?} before the deadline").into());
				}
				match rpc(&setup.client, "starknet_getTransactionReceipt", vec![json!(hash)]).await
				{
					// Seen once it is in a block (a pre-confirmed receipt has no block number).
					Ok(receipt) if receipt["block_number"].is_u64() => break receipt,
					Ok(_) | Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
				}
			};
			seen.insert(
				*hash,
				Seen {
					at: Instant::now(),
					block: receipt["block_number"].as_u64().ok_or("block_number")?,
					succeeded: receipt["execution_status"] == "SUCCEEDED",
					fee: hex_u128(&receipt["actual_fee"]["amount"])?,
				},
			);
		}
	}
	Ok((submitted, seen))
}

/// Follows new blocks until every transfer has a receipt.
async fn follow_blocks(
	setup: &Setup,
	count: u32,
	deadline: Instant,
	(submitted, mut senders): (Arc<Mutex<Submitted>>, Vec<Sender>),
) -> Result<(Submitted, HashMap<Felt, Seen>), Error> {
	let client = &setup.client;
	let mut seen: HashMap<Felt, Seen> = HashMap::new();
	let mut next_block = setup.first_block + 1;
	while seen.len() < count as usize {
		if Instant::now() > deadline {
			return Err(format!("{} of {count} receipts before the deadline", seen.len()).into());
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
			rpc(client, "starknet_blockNumber", vec![]).await?.as_u64().ok_or("blockNumber")?;
		if latest < next_block {
			tokio::time::sleep(Duration::from_millis(5)).await;
			continue;
		}
		for number in next_block..=latest {
			let block = rpc(
				client,
				"starknet_getBlockWithReceipts",
				// `response_flags` is optional in 0.10.3, but starknet-devnet 0.10.1 insists on it.
				vec![json!({ "block_number": number }), json!([])],
			)
			.await?;
			let at = Instant::now();
			for entry in block["transactions"].as_array().ok_or("transactions")? {
				let receipt = &entry["receipt"];
				let Some(hash) = receipt["transaction_hash"].as_str().and_then(Felt::from_hex)
				else {
					continue;
				};
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
		}
		next_block = latest + 1;
	}
	for sender in senders {
		sender.await?.map_err(|e| -> Error { e.into() })?;
	}
	let submitted = submitted.lock().expect("not poisoned").clone();
	Ok((submitted, seen))
}

/// The run's JSON line, after checking every transfer succeeded and the balances fell by the fees.
#[allow(clippy::too_many_arguments)]
async fn report(
	setup: &Setup,
	url: &str,
	system: &str,
	count: u32,
	pid: Option<u32>,
	offer: Offer,
	started: Instant,
	submitted: Submitted,
	seen: HashMap<Felt, Seen>,
	subscribed: Option<Value>,
) -> Result<(), Error> {
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
	for account in &setup.accounts {
		balances_after += balance(&setup.client, account.address).await?;
	}
	let balanced = setup.balances_before - balances_after == fees;
	let blocks: std::collections::HashSet<u64> = seen.values().map(|s| s.block).collect();
	println!(
		"{}",
		json!({
			"system": system,
			"url": url,
			"transfers": count,
			"accounts": setup.accounts.len(),
			"offer": match offer {
				Offer::Saturate => json!("saturate"),
				Offer::Rate(rate) => json!(rate),
				Offer::OneInFlight => json!("one-in-flight"),
			},
			"succeeded": succeeded,
			"balances_add_up": balanced,
			"seconds": seconds,
			"tps": f64::from(count) / seconds,
			"latency_ms_p50": percentile(&latencies, 0.5),
			"latency_ms_p99": percentile(&latencies, 0.99),
			"blocks": blocks.len(),
			// With interval sealing, how close the chain kept to its interval (10/s for 100 ms).
			"blocks_per_s": blocks.len() as f64 / seconds,
			"peak_rss_mib": pid.and_then(peak_rss_mib),
			// `--subscribers`: what the WebSocket subscribers got, and missed.
			"subscribers": subscribed,
		})
	);
	if succeeded != count as usize || !balanced {
		return Err(format!("{succeeded} of {count} succeeded; balances add up: {balanced}").into());
	}
	if let Some(missed) = subscribed.as_ref().and_then(|s| s["missed"].as_u64()) {
		if missed > 0 {
			return Err(format!("the WebSocket subscribers missed {missed} notifications").into());
		}
	}
	Ok(())
}

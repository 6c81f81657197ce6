//! `load --subscribers N`: N Starknet WebSocket subscriptions open on the node during the load,
//! over one connection per 20 of them: half to new heads, 30 % to the fee token's Transfer events
//! from one account each (a wallet following its own transfers: keys `[Transfer], [account]`),
//! 15 % to the status of one of the first transfers each, 5 % to the receipts of one sender each. Every
//! notification is read as it comes (a prompt client) and checked once the load is over: every
//! block, every transfer's events, every status reaching ACCEPTED_ON_L2 and every receipt of the
//! sender; what is missing is counted as missed.
use super::*;
use jsonrpsee::{
	client_transport::ws::{Url, WsTransportClientBuilder},
	core::client::{ReceivedMessage, TransportReceiverT, TransportSenderT},
};
use std::collections::{BTreeSet, HashSet};
use tokio::sync::watch;

/// Subscriptions per connection.
const PER_CONNECTION: u32 = 20;
/// How long subscribers may take after the load to have everything.
const CATCH_UP: Duration = Duration::from_secs(60);

/// What one subscription asked for.
#[derive(Clone)]
enum Want {
	Heads,
	Events(Felt),
	Status(Felt),
	Receipts(Felt),
}

/// What one subscription got.
#[derive(Default)]
struct Got {
	heads: BTreeSet<u64>,
	/// Workload transfers' events seen (two each: the transfer and the fee's).
	events: u64,
	accepted: bool,
	receipts: HashSet<Felt>,
}

/// What the load tells the subscribers when it is over.
#[derive(Clone, Copy)]
struct Done {
	last_block: u64,
}

/// The expectations every subscription is checked against.
struct Expect {
	first_block: u64,
	workload: HashSet<Felt>,
	/// Transfers per sender.
	per_sender: HashMap<Felt, usize>,
}

impl Expect {
	fn missing(&self, want: &Want, got: &Got, done: Done) -> u64 {
		match want {
			Want::Heads => (self.first_block + 1..=done.last_block)
				.filter(|n| !got.heads.contains(n))
				.count() as u64,
			// The transfer's event and the fee's, both from the account.
			Want::Events(account) => {
				(2 * self.per_sender[account] as u64).saturating_sub(got.events)
			}
			Want::Status(_) => u64::from(!got.accepted),
			Want::Receipts(sender) => {
				(self.per_sender[sender] as u64).saturating_sub(got.receipts.len() as u64)
			}
		}
	}
}

/// The subscribers of a run.
pub(super) struct Subscribers {
	done: watch::Sender<Option<Done>>,
	connections: Vec<tokio::task::JoinHandle<Result<(u64, u64), String>>>,
	pub subscriptions: u32,
}

/// Opens `n` subscriptions on the node at `url` (its HTTP URL) for the workload `setup` built.
pub(super) async fn start(
	url: &str,
	n: u32,
	first_block: u64,
	accounts: &[Felt],
	per_account: &[Vec<Felt>],
) -> Result<Subscribers, Error> {
	let ws_url = Url::parse(&url.replacen("http", "ws", 1))?;
	let workload: HashSet<Felt> = per_account.iter().flatten().copied().collect();
	let per_sender = accounts.iter().zip(per_account).map(|(a, txs)| (*a, txs.len())).collect();
	let expect = Arc::new(Expect { first_block, workload, per_sender });
	// The workload in order: transfer `j * K + a` is account `a`'s `j`-th.
	let k = per_account.len();
	let in_order: Vec<Felt> =
		(0..expect.workload.len()).filter_map(|i| per_account[i % k].get(i / k).copied()).collect();
	let wants: Vec<Want> = (0..n)
		.map(|i| match i {
			i if i < n / 2 => Want::Heads,
			i if i < n / 2 + n * 3 / 10 => Want::Events(accounts[i as usize % accounts.len()]),
			i if i < n / 2 + n * 3 / 10 + n * 15 / 100 => {
				Want::Status(in_order[i as usize % in_order.len()])
			}
			i => Want::Receipts(accounts[i as usize % accounts.len()]),
		})
		.collect();
	let (done, watch_done) = watch::channel(None);
	let mut connections = Vec::new();
	for chunk in wants.chunks(PER_CONNECTION as usize) {
		let (sender, receiver) = WsTransportClientBuilder::default()
			.build(ws_url.clone())
			.await
			.map_err(|e| format!("WebSocket {ws_url}: {e}"))?;
		let mut connection = Connection { sender, receiver, next_id: 0, ids: HashMap::new() };
		let mut gots = Vec::new();
		for want in chunk {
			let (method, params) = match want {
				Want::Heads => ("starknet_subscribeNewHeads", json!([])),
				Want::Events(account) => {
					let keys = json!([[selector("Transfer")], [account]]);
					("starknet_subscribeEvents", json!([well_known::STRK, keys]))
				}
				Want::Status(hash) => ("starknet_subscribeTransactionStatus", json!([hash])),
				Want::Receipts(sender) => {
					("starknet_subscribeNewTransactionReceipts", json!([null, [sender]]))
				}
			};
			let id = connection.subscribe(method, params, &mut gots, &expect).await?;
			connection.ids.insert(id, gots.len());
			gots.push((want.clone(), Got::default()));
		}
		let (expect, mut watch_done) = (expect.clone(), watch_done.clone());
		connections.push(tokio::spawn(async move {
			connection.follow(gots, &expect, &mut watch_done).await
		}));
	}
	Ok(Subscribers { done, connections, subscriptions: n })
}

impl Subscribers {
	/// After the load (its last block `last_block`): (notifications, missed) over all of them.
	pub(super) async fn finish(self, last_block: u64) -> Result<(u64, u64), Error> {
		self.done.send_replace(Some(Done { last_block }));
		let (mut notifications, mut missed) = (0, 0);
		for connection in self.connections {
			let (n, m) = connection.await??;
			notifications += n;
			missed += m;
		}
		Ok((notifications, missed))
	}
}

struct Connection<S, R> {
	sender: S,
	receiver: R,
	next_id: u64,
	/// Subscription id → its index.
	ids: HashMap<String, usize>,
}

/// The next message of a connection.
async fn receive(receiver: &mut impl TransportReceiverT) -> Result<Value, String> {
	loop {
		match receiver.receive().await.map_err(|e| format!("WebSocket: {e:?}"))? {
			ReceivedMessage::Text(text) => {
				return serde_json::from_str(&text).map_err(|e| e.to_string())
			}
			ReceivedMessage::Bytes(bytes) => {
				return serde_json::from_slice(&bytes).map_err(|e| e.to_string())
			}
			ReceivedMessage::Pong => continue,
		}
	}
}

/// Counts notification `message` for its subscription (`ids`: subscription id → index).
fn tally(
	ids: &HashMap<String, usize>,
	message: &Value,
	gots: &mut [(Want, Got)],
	expect: &Expect,
) -> Result<(), String> {
	let params = &message["params"];
	let id = params["subscription_id"]
		.as_str()
		.ok_or_else(|| format!("not a notification: {message}"))?;
	let index = *ids.get(id).ok_or_else(|| format!("unknown subscription {id}"))?;
	let (_, got) = &mut gots[index];
	let result = &params["result"];
	let felt = |value: &Value| value.as_str().and_then(Felt::from_hex);
	match message["method"].as_str() {
		Some("starknet_subscriptionNewHeads") => {
			_ = got.heads.insert(result["block_number"].as_u64().ok_or("block_number")?)
		}
		Some("starknet_subscriptionEvents") => {
			if felt(&result["transaction_hash"]).is_some_and(|h| expect.workload.contains(&h)) {
				got.events += 1;
			}
		}
		Some("starknet_subscriptionTransactionStatus") => {
			if result["status"]["finality_status"] == "ACCEPTED_ON_L2" {
				got.accepted = true;
			}
		}
		Some("starknet_subscriptionNewTransactionReceipts") => {
			if let Some(hash) = felt(&result["transaction_hash"]) {
				got.receipts.insert(hash);
			}
		}
		other => return Err(format!("unexpected notification {other:?}: {message}")),
	}
	Ok(())
}

impl<S: TransportSenderT, R: TransportReceiverT> Connection<S, R> {
	/// Subscribes, tallying any notification of earlier subscriptions that comes meanwhile.
	async fn subscribe(
		&mut self,
		method: &str,
		params: Value,
		gots: &mut [(Want, Got)],
		expect: &Expect,
	) -> Result<String, String> {
		self.next_id += 1;
		let id = self.next_id;
		let request = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
		self.sender.send(request.to_string()).await.map_err(|e| format!("WebSocket: {e:?}"))?;
		loop {
			let message = receive(&mut self.receiver).await?;
			if message["id"] == json!(id) {
				return message["result"]
					.as_str()
					.map(String::from)
					.ok_or_else(|| format!("{method}: {message}"));
			}
			tally(&self.ids, &message, gots, expect)?;
		}
	}

	/// Reads notifications until the load is over and every subscription has what it should,
	/// or [`CATCH_UP`] later: (notifications, missed).
	async fn follow(
		self,
		mut gots: Vec<(Want, Got)>,
		expect: &Expect,
		done: &mut watch::Receiver<Option<Done>>,
	) -> Result<(u64, u64), String>
	where
		R: Send + 'static,
	{
		// A frame half read must never be dropped (the transport is not cancel-safe): one task
		// reads, the loop below waits on its channel.
		let Connection { mut receiver, ids, .. } = self;
		let (forward, mut messages) = tokio::sync::mpsc::unbounded_channel();
		tokio::spawn(async move {
			while let Ok(message) = receive(&mut receiver).await {
				if forward.send(message).is_err() {
					break;
				}
			}
		});
		let mut notifications = 0u64;
		let mut deadline: Option<tokio::time::Instant> = None;
		loop {
			if let Some(finished) = *done.borrow() {
				let missed: u64 =
					gots.iter().map(|(want, got)| expect.missing(want, got, finished)).sum();
				let late = deadline.get_or_insert_with(|| tokio::time::Instant::now() + CATCH_UP);
				if missed == 0 || tokio::time::Instant::now() >= *late {
					return Ok((notifications, missed));
				}
			}
			let wait = deadline.unwrap_or_else(|| tokio::time::Instant::now() + CATCH_UP);
			tokio::select! {
				message = messages.recv() => {
					let message = message.ok_or("the WebSocket connection closed")?;
					notifications += 1;
					tally(&ids, &message, &mut gots, expect)?;
				}
				_ = done.changed() => {}
				_ = tokio::time::sleep_until(wait) => {}
			}
		}
	}
}

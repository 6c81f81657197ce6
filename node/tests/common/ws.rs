//! A raw WebSocket JSON-RPC connection to a node, for the Starknet WebSocket API: requests answered
//! by id, notifications kept in arrival order. The API's notifications carry
//! `params: {subscription_id, result}`; jsonrpsee's own client expects `subscription` and would
//! drop them.
use std::{collections::VecDeque, time::Duration};

use jsonrpsee::{
	client_transport::ws::{Url, WsTransportClientBuilder},
	core::client::{ReceivedMessage, TransportReceiverT, TransportSenderT},
};
use serde_json::{json, Value};

/// One connection.
pub struct RawWs<S> {
	sender: S,
	/// What a reader task received (the transport is not cancel-safe: a frame half read must
	/// never be dropped, so one task reads and waits are on this channel).
	messages: tokio::sync::mpsc::UnboundedReceiver<Value>,
	next_id: u64,
	/// Notifications received and not taken yet.
	pub notifications: VecDeque<Value>,
}

/// A connection to the node whose RPC port is `port`.
pub async fn raw_ws(port: u16) -> RawWs<impl TransportSenderT + Send> {
	let url = Url::parse(&format!("ws://127.0.0.1:{port}")).unwrap();
	let (sender, mut receiver) = WsTransportClientBuilder::default().build(url).await.unwrap();
	let (forward, messages) = tokio::sync::mpsc::unbounded_channel();
	tokio::spawn(async move {
		loop {
			let message: Value = match receiver.receive().await {
				Ok(ReceivedMessage::Text(text)) => serde_json::from_str(&text).unwrap(),
				Ok(ReceivedMessage::Bytes(bytes)) => serde_json::from_slice(&bytes).unwrap(),
				Ok(ReceivedMessage::Pong) => continue,
				Err(_) => return,
			};
			if forward.send(message).is_err() {
				return;
			}
		}
	});
	RawWs { sender, messages, next_id: 0, notifications: VecDeque::new() }
}

impl<S: TransportSenderT + Send> RawWs<S> {
	async fn receive(&mut self) -> Value {
		self.messages.recv().await.expect("the WebSocket connection is open")
	}

	/// `method` with `params`: its result, or its error object.
	pub async fn call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
		self.next_id += 1;
		let id = self.next_id;
		let request = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
		self.sender.send(request.to_string()).await.map_err(|e| panic!("send: {e:?}")).unwrap();
		loop {
			let message = self.receive().await;
			if message.get("id") == Some(&json!(id)) {
				return match message.get("error") {
					Some(error) => Err(error.clone()),
					None => Ok(message["result"].clone()),
				};
			}
			self.notifications.push_back(message);
		}
	}

	/// The next notification (`{method, params}`), waiting at most `timeout`.
	pub async fn notification(&mut self, timeout: Duration) -> Option<Value> {
		if let Some(message) = self.notifications.pop_front() {
			return Some(message);
		}
		tokio::time::timeout(timeout, self.receive()).await.ok()
	}
}

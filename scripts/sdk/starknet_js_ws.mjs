// starknet.js's WebSocketChannel, unchanged client code, against a Cairn node that seals blocks on
// request (`--sealing manual`): subscriptions to new heads (from block 1), STRK Transfer events,
// receipts and new transactions of one sender, and a transfer's status from RECEIVED to
// ACCEPTED_ON_L2; a subscription filtered on another sender stays silent; each is closed with
// starknet_unsubscribe, and closing one twice is refused. Every notification the socket received
// is written to RECORD (one JSON object a line: method and params) for the spec check.
// Usage: node starknet_js_ws.mjs HTTP_URL WS_URL ADDRESS KEY TO RECORD
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

// Node 20 has no global WebSocket, and starknet.js compares ready states with the global one's
// constants when it loads: the `ws` package stands in for it, set before starknet.js is loaded.
globalThis.WebSocket ??= WebSocket;
const { RpcProvider, Account, CallData, WebSocketChannel, cairo, hash, json } = await import('starknet');

const STRK = '0x04718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d';
const [httpUrl, wsUrl, address, privateKey, to, record] = process.argv.slice(2);
if (!record) throw new Error('usage: HTTP_URL WS_URL ADDRESS KEY TO RECORD');

const check = (condition, what) => {
  if (!condition) {
    throw new Error(`check failed: ${typeof what === 'string' ? what : json.stringify(what)}`);
  }
};
const same = (a, b) => BigInt(a) === BigInt(b);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (what, condition, ms = 20000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${json.stringify(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.length])))}, heads ${got.heads.map((h) => h.block_number)}, best ${best}`);
    await sleep(20);
  }
};
const seal = async () => {
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'engine_createBlock', params: [true, true, null] }),
  });
  const body = await response.json();
  check(body.result, body);
};

const provider = await RpcProvider.create({ nodeUrl: httpUrl });
const account = new Account({ provider, address, signer: privateKey });
const best = await provider.getBlockNumber();

const channel = new WebSocketChannel({ nodeUrl: wsUrl, websocket: WebSocket, autoReconnect: false });
await channel.waitForConnection();
const notifications = [];
channel.websocket.addEventListener('message', (event) => {
  const message = JSON.parse(event.data);
  if (message.method) notifications.push({ method: message.method, params: message.params });
});

const got = { heads: [], events: [], receipts: [], txs: [], statuses: [], others: [] };
// From block 1 (starknet.js reads a block identifier 0 as none given).
const heads = await channel.subscribeNewHeads({ blockIdentifier: 1 });
heads.on((header) => got.heads.push(header));
const transferKey = hash.getSelectorFromName('Transfer');
const events = await channel.subscribeEvents({ fromAddress: STRK, keys: [[transferKey]] });
events.on((event) => got.events.push(event));
const receipts = await channel.subscribeNewTransactionReceipts({ senderAddress: [address] });
receipts.on((receipt) => got.receipts.push(receipt));
const txs = await channel.subscribeNewTransactions({
  finalityStatus: ['RECEIVED', 'ACCEPTED_ON_L2'],
  senderAddress: [address],
});
txs.on((tx) => got.txs.push(tx));
const others = await channel.subscribeNewTransactionReceipts({ senderAddress: [to] });
others.on((receipt) => got.others.push(receipt));

// The backfill: every block from 1 to the best, in order.
await until('the backfilled heads', () => got.heads.length === best);
got.heads.forEach((header, n) => check(header.block_number === n + 1, header));

const { transaction_hash: txHash } = await account.execute({
  contractAddress: STRK,
  entrypoint: 'transfer',
  calldata: CallData.compile({ recipient: to, amount: cairo.uint256(1000n) }),
});
const status = await channel.subscribeTransactionStatus({ transactionHash: txHash });
status.on((update) => got.statuses.push(update));
await until('RECEIVED', () => got.statuses.some((s) => s.status.finality_status === 'RECEIVED'));
await until('the RECEIVED transaction', () => got.txs.length === 1);
check(got.txs[0].finality_status === 'RECEIVED' && same(got.txs[0].transaction_hash, txHash), got.txs);
check(got.receipts.length === 0 && got.events.length === 0, 'nothing executed before the block');

await seal();
await until('ACCEPTED_ON_L2', () => got.statuses.some((s) => s.status.finality_status === 'ACCEPTED_ON_L2'));
const accepted = got.statuses.find((s) => s.status.finality_status === 'ACCEPTED_ON_L2');
check(accepted.status.execution_status === 'SUCCEEDED' && same(accepted.transaction_hash, txHash), accepted);
await until('the receipt', () => got.receipts.length === 1);
check(same(got.receipts[0].transaction_hash, txHash) && got.receipts[0].block_number === best + 1, got.receipts);
await until('the accepted transaction', () => got.txs.length === 2);
check(got.txs[1].finality_status === 'ACCEPTED_ON_L2' && same(got.txs[1].transaction_hash, txHash), got.txs);
await until('the new head', () => got.heads.length === best + 1);
check(got.heads[best].block_number === best + 1, got.heads);
// The transfer and the fee's transfer, both from the account.
await until('the Transfer events', () => got.events.length === 2);
for (const event of got.events) {
  check(same(event.transaction_hash, txHash) && same(event.keys[0], transferKey), event);
  // OpenZeppelin's ERC-20 keys a Transfer by its selector, sender and recipient.
  check(same(event.keys[1], address) && event.finality_status === 'ACCEPTED_ON_L2', event);
}
check(same(got.events[0].keys[2], to) && same(got.events[0].data[0], 1000), got.events[0]);
await sleep(300);
check(got.others.length === 0, `a subscription filtered on another sender got ${json.stringify(got.others)}`);

for (const subscription of [heads, events, receipts, txs, others, status]) {
  check((await subscription.unsubscribe()) === true, `unsubscribe ${subscription.id}`);
}
let refused;
try {
  await channel.sendReceive('starknet_unsubscribe', { subscription_id: heads.id });
} catch (error) {
  refused = error;
}
check(refused && String(refused).includes('66'), `a second unsubscribe answered ${refused}`);
channel.disconnect();
writeFileSync(record, notifications.map((n) => JSON.stringify(n)).join('\n') + '\n');
console.log(`starknet.js WebSocketChannel: ${notifications.length} notifications`);
console.log('ok');

// starknet-devnet's own JavaScript client (npm `starknet-devnet`, its Postman), unchanged, against
// a Cairn `--dev` node whose bridge contract has sent one message to L1 (payload [0xabc, 1] to
// RECIPIENT): a dry flush lists it, it is consumed without an L1 once, a message to L2 is mocked,
// and an L1 (Anvil at ANVIL_URL) is loaded, the core contract deployed there.
// Usage: node devnet_postman.mjs URL ANVIL_URL BRIDGE RECIPIENT L1_SENDER
import { DevnetProvider } from 'starknet-devnet';
import { RpcProvider, hash, json } from 'starknet';

const [url, anvilUrl, bridge, recipient, l1Sender] = process.argv.slice(2);
if (!l1Sender) throw new Error('usage: URL ANVIL_URL BRIDGE RECIPIENT L1_SENDER');
const check = (condition, what) => {
  if (!condition) throw new Error(`check failed: ${typeof what === 'string' ? what : json.stringify(what)}`);
};
const devnet = new DevnetProvider({ url });
const starknet = new RpcProvider({ nodeUrl: url });

const dry = await devnet.postman.flush({ dryRun: true });
check(dry.l1_provider === 'dry run' && dry.messages_to_l1.length === 1, dry);
check(BigInt(dry.messages_to_l1[0].to_address) === BigInt(recipient), dry);

const consumed = await devnet.postman.consumeMessageFromL2(bridge, recipient, [0xabc, 1]);
check(/^0x[0-9a-f]{64}$/.test(consumed.message_hash), consumed);
const twice = await devnet.postman.consumeMessageFromL2(bridge, recipient, [0xabc, 1]).then(() => null, (e) => e);
const why = twice === null ? '' : `${twice.message} ${JSON.stringify(twice)}`;
check(why.includes('not consumed yet'), `a second consume is refused: ${why}`);

const sent = await devnet.postman.sendMessageToL2(bridge, hash.getSelectorFromName('deposit'), l1Sender, [0xabc, 1], 7, 1);
const receipt = await starknet.getTransactionReceipt(sent.transaction_hash);
check(receipt.type === 'L1_HANDLER' && receipt.execution_status === 'SUCCEEDED', receipt);

const loaded = await devnet.postman.loadL1MessagingContract(anvilUrl);
check(/^0x[0-9a-f]{40}$/.test(loaded.messaging_contract_address), loaded);
console.log(`devnet postman ok: consumed ${consumed.message_hash}, mocked ${sent.transaction_hash}, core ${loaded.messaging_contract_address}`);
console.log('ok');

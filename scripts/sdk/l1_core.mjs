// The core contract's rules on a real Anvil, with ethers: messages to L2 (nonce, fee, hash, limits),
// settlement by the sequencer only and only from the last settled root, messages to L1 consumable
// once settled and only once, cancellation after its delay only, and no settlement of a cancelled
// message. Prints `ok` last.
// Usage: node l1_core.mjs L1_URL ARTIFACT
import fs from 'node:fs';
import { ethers } from 'ethers';

const [url, artifactPath] = process.argv.slice(2);
if (!artifactPath) throw new Error('usage: L1_URL ARTIFACT');
const artifact = JSON.parse(fs.readFileSync(artifactPath, 'utf8'));
const l1 = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, polling: true, pollingInterval: 100, cacheTimeout: -1 });
// Anvil's first three dev accounts: deployer/sequencer, a user, a stranger.
const keys = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
];
const [sequencer, user, stranger] = keys.map((k) => new ethers.Wallet(k, l1));
const check = (condition, what) => {
  if (!condition) throw new Error(`check failed: ${what}`);
};
const refused = async (promise, reason) => {
  try {
    const tx = await promise;
    await tx.wait();
  } catch (e) {
    const text = `${e.shortMessage ?? ''} ${e.reason ?? ''} ${e.message ?? ''}`;
    check(text.includes(reason), `refused with ${reason}, got: ${text}`);
    return;
  }
  throw new Error(`accepted, but should be refused with ${reason}`);
};

const DELAY = 3600;
const factory = new ethers.ContractFactory(artifact.abi, artifact.bytecode, sequencer);
const deployed = await factory.deploy(await sequencer.getAddress(), 0, 0x1234, 0xaaa, DELAY);
await deployed.waitForDeployment();
const address = await deployed.getAddress();
const asSequencer = new ethers.Contract(address, artifact.abi, sequencer);
const asUser = new ethers.Contract(address, artifact.abi, user);
const asStranger = new ethers.Contract(address, artifact.abi, stranger);
const userAddress = await user.getAddress();

// Messages to L2: nonce counts up, the fee and payload are in the event, the hash is Starknet's.
const L2_BRIDGE = 0x1111n;
const SELECTOR = BigInt(ethers.id('deposit')) & ((1n << 250n) - 1n);
const sent = [];
for (const amount of [5n, 7n]) {
  const receipt = await (await asUser.sendMessageToL2(L2_BRIDGE, SELECTOR, [0xabcn, amount], { value: 1000n })).wait();
  const log = receipt.logs.map((l) => asUser.interface.parseLog(l)).find((l) => l?.name === 'LogMessageToL2');
  check(log.args.fee === 1000n && log.args.payload[1] === amount, `LogMessageToL2 carries fee and payload: ${log.args}`);
  const expected = ethers.solidityPackedKeccak256(
    ['uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256[]'],
    [BigInt(userAddress), L2_BRIDGE, log.args.nonce, SELECTOR, 2n, [0xabcn, amount]],
  );
  check((await asUser.l1ToL2Messages(expected)) === 1001n, 'the message is pending with fee + 1');
  sent.push({ nonce: log.args.nonce, amount, hash: expected });
}
check(sent[0].nonce === 0n && sent[1].nonce === 1n, 'nonces 0 and 1');
await refused(asUser.sendMessageToL2(L2_BRIDGE, SELECTOR, [], { value: 0n }), 'L1_MSG_FEE_MUST_BE_GREATER_THAN_0');
await refused(asUser.sendMessageToL2(L2_BRIDGE, SELECTOR, new Array(1025).fill(1n), { value: 1n }), 'MAX_PAYLOAD_LENGTH_EXCEEDED');

// Settlement: another key, a wrong previous root, a block that does not move forward: refused.
const toL1Payload = [0xabcn, 3n];
const toL1Hash = ethers.solidityPackedKeccak256(
  ['uint256', 'uint256', 'uint256', 'uint256[]'],
  [L2_BRIDGE, BigInt(userAddress), 2n, toL1Payload],
);
await refused(asStranger.updateState(1, 0x1, 0xaaa, 0xbbb, [toL1Hash], []), 'ONLY_SEQUENCER');
await refused(asSequencer.updateState(1, 0x1, 0xbad, 0xbbb, [toL1Hash], []), 'INVALID_PREVIOUS_ROOT');
await refused(asSequencer.updateState(0, 0x1, 0xaaa, 0xbbb, [toL1Hash], []), 'INVALID_BLOCK_NUMBER');
// Before settlement the message to L1 cannot be consumed.
await refused(asUser.consumeMessageFromL2(L2_BRIDGE, toL1Payload), 'INVALID_MESSAGE_TO_CONSUME');
// The sequencer settles blocks 1..=2 from the root it deployed with: the first message to L2 consumed.
await (await asSequencer.updateState(2, 0x2, 0xaaa, 0xbbb, [toL1Hash], [sent[0].hash])).wait();
check((await asUser.stateRoot()) === 0xbbbn && (await asUser.stateBlockNumber()) === 2n, 'settled state recorded');
check((await asUser.l1ToL2Messages(sent[0].hash)) === 0n, 'the consumed message to L2 is no longer pending');
// A replay of the same settlement is out of order.
await refused(asSequencer.updateState(2, 0x2, 0xaaa, 0xbbb, [toL1Hash], []), 'INVALID_PREVIOUS_ROOT');
// Consumed once, then never again; nobody else can consume it.
await refused(asStranger.consumeMessageFromL2(L2_BRIDGE, toL1Payload), 'INVALID_MESSAGE_TO_CONSUME');
await (await asUser.consumeMessageFromL2(L2_BRIDGE, toL1Payload)).wait();
await refused(asUser.consumeMessageFromL2(L2_BRIDGE, toL1Payload), 'INVALID_MESSAGE_TO_CONSUME');

// Cancellation: a consumed message cannot be cancelled; the second one can, after the delay only;
// a settlement reporting it consumed afterwards is refused.
await refused(asUser.startL1ToL2MessageCancellation(L2_BRIDGE, SELECTOR, [0xabcn, 5n], 0), 'NO_MESSAGE_TO_CANCEL');
await refused(asStranger.startL1ToL2MessageCancellation(L2_BRIDGE, SELECTOR, [0xabcn, 7n], 1), 'NO_MESSAGE_TO_CANCEL');
await (await asUser.startL1ToL2MessageCancellation(L2_BRIDGE, SELECTOR, [0xabcn, 7n], 1)).wait();
await refused(asUser.cancelL1ToL2Message(L2_BRIDGE, SELECTOR, [0xabcn, 7n], 1), 'MESSAGE_CANCELLATION_NOT_ALLOWED_YET');
await l1.send('evm_increaseTime', [DELAY]);
await l1.send('evm_mine', []);
await (await asUser.cancelL1ToL2Message(L2_BRIDGE, SELECTOR, [0xabcn, 7n], 1)).wait();
check((await asUser.l1ToL2Messages(sent[1].hash)) === 0n, 'the cancelled message is gone');
await refused(asSequencer.updateState(3, 0x3, 0xbbb, 0xccc, [], [sent[1].hash]), 'INVALID_MESSAGE_TO_CONSUME');

// Only the owner moves the sequencer role.
await refused(asStranger.setSequencer(await stranger.getAddress()), 'ONLY_OWNER');
console.log('ok');

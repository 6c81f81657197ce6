// Cairn's L1 tools behind scripts/l1: compiles the core contract with solc-js, deploys it and sends
// messages to L2 with ethers. Run by scripts/l1 (from a copy in the SDK's js directory, where
// node.js finds the packages).
//   node l1.mjs compile SOURCE OUT
//   node l1.mjs deploy --artifact F --l1 URL --node URL [--key K] [--sequencer A] [--cancellation-delay S]
//   node l1.mjs send --artifact F --l1 URL --core A --to F --selector F [--payload F,F] [--fee W] [--key K]
//   node l1.mjs consume --artifact F --l1 URL --core A --from F [--payload F,F] [--key K]
//   node l1.mjs state --artifact F --l1 URL --core A [--message-hash H]
import fs from 'node:fs';
import path from 'node:path';

// Anvil's first dev account (public, well known; never a real key).
const ANVIL_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

const [command, ...rest] = process.argv.slice(2);
const options = {};
for (let i = 0; command !== 'compile' && i < rest.length; i += 2) {
  if (!rest[i].startsWith('--') || rest[i + 1] === undefined) throw new Error(`bad argument ${rest[i]}`);
  options[rest[i].slice(2)] = rest[i + 1];
}
const need = (name) => {
  if (options[name] === undefined) throw new Error(`--${name} is required`);
  return options[name];
};

if (command === 'compile') {
  const { default: solc } = await import('solc');
  const [source, out] = rest;
  const input = {
    language: 'Solidity',
    sources: { [path.basename(source)]: { content: fs.readFileSync(source, 'utf8') } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  for (const e of output.errors ?? []) console.error(e.formattedMessage);
  if (errors.length) process.exit(1);
  const contract = output.contracts[path.basename(source)].CairnCore;
  fs.writeFileSync(
    out,
    JSON.stringify({ compiler: `solc-js ${solc.version()}`, abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }, null, 1),
  );
  process.exit(0);
}

const { ethers } = await import('ethers');
const artifact = JSON.parse(fs.readFileSync(need('artifact'), 'utf8'));
const l1 = new ethers.JsonRpcProvider(need('l1'), undefined, { staticNetwork: true, polling: true, pollingInterval: 100, cacheTimeout: -1 });
const wallet = new ethers.Wallet(options.key ?? ANVIL_KEY, l1);

if (command === 'deploy') {
  // The state the contract starts from: the node's latest block.
  const rpc = async (method, params) => {
    const response = await fetch(need('node'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = await response.json();
    if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  };
  const block = await rpc('starknet_getBlockWithTxHashes', { block_id: 'latest' });
  const sequencer = options.sequencer ?? (await wallet.getAddress());
  const factory = new ethers.ContractFactory(artifact.abi, artifact.bytecode, wallet);
  const core = await factory.deploy(
    sequencer,
    block.block_number,
    block.block_hash,
    block.new_root,
    BigInt(options['cancellation-delay'] ?? 5 * 24 * 3600),
  );
  await core.waitForDeployment();
  console.log(await core.getAddress());
} else if (command === 'send') {
  const core = new ethers.Contract(need('core'), artifact.abi, wallet);
  const payload = options.payload ? options.payload.split(',').filter((p) => p !== '') : [];
  const tx = await core.sendMessageToL2(need('to'), need('selector'), payload, { value: BigInt(options.fee ?? 1_000_000_000_000_000n) });
  const receipt = await tx.wait();
  const log = receipt.logs.map((l) => core.interface.parseLog(l)).find((l) => l?.name === 'LogMessageToL2');
  const hash = await core.l1ToL2MessageHash(log.args.fromAddress, log.args.toAddress, log.args.selector, Array.from(log.args.payload), log.args.nonce);
  console.log(JSON.stringify({ l1_transaction_hash: receipt.hash, message_hash: hash, nonce: log.args.nonce.toString() }));
} else if (command === 'consume') {
  // Consumes a settled message from L2 contract --from to the key's account; prints the hash.
  const core = new ethers.Contract(need('core'), artifact.abi, wallet);
  const payload = options.payload ? options.payload.split(',').filter((p) => p !== '') : [];
  const receipt = await (await core.consumeMessageFromL2(need('from'), payload)).wait();
  const log = receipt.logs.map((l) => core.interface.parseLog(l)).find((l) => l?.name === 'ConsumedMessageToL1');
  console.log(JSON.stringify({ l1_transaction_hash: receipt.hash, consumed: log !== undefined }));
} else if (command === 'state') {
  // The settled state, and the pending fee + 1 of message --message-hash (0: none pending).
  const core = new ethers.Contract(need('core'), artifact.abi, l1);
  const state = {
    block_number: (await core.stateBlockNumber()).toString(),
    block_hash: ethers.toBeHex(await core.stateBlockHash()),
    state_root: ethers.toBeHex(await core.stateRoot()),
  };
  if (options['message-hash']) state.pending = (await core.l1ToL2Messages(options['message-hash'])).toString();
  console.log(JSON.stringify(state));
} else {
  throw new Error(`unknown command ${command}`);
}

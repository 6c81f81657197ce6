// Forkless runtime upgrade of a running Cairn chain with @polkadot/api (no type definitions of its
// own: everything decodes from the node's metadata). Submits sudo.sudo(system.setCode(WASM))
// signed by the sudo key, follows it to its block, reads the outcome from its events and waits
// for the first block executed by the new runtime.
// Usage: node upgrade.mjs WASM_FILE [--url ws://127.0.0.1:9944] [--suri //Alice]
// (normally through scripts/upgrade, which finds @polkadot/api). Output ends with
//   upgraded: spec_version A -> B in N blocks
//   ok
// and exit code 0; a runtime the chain refuses prints `refused: pallet.Error` and exits 2; any
// other failure exits 1.
import { readFileSync } from 'node:fs';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { TypeRegistry, Metadata } from '@polkadot/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';

const TIMEOUT_MS = 180_000;
// With instant sealing a block is only made for a transaction: if none comes this long after the
// upgrade, a remark makes one.
const IDLE_MS = 3_000;

// A refusal by the chain: `name` is `pallet.Error`, `detail` what else is known.
class Refused extends Error {
  constructor(name, detail) {
    super(name);
    this.detail = detail;
  }
}

const usage = 'usage: upgrade WASM_FILE [--url ws://127.0.0.1:9944] [--suri //Alice]';
const parseArgs = (argv) => {
  const options = { url: 'ws://127.0.0.1:9944', suri: '//Alice' };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--(url|suri)(?:=(.*))?$/.exec(arg);
    if (match) {
      const value = match[2] ?? argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      options[match[1]] = value;
    } else if (arg === '-h' || arg === '--help') {
      console.log(usage);
      process.exit(0);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}\n${usage}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new Error(usage);
  options.wasm = positional[0];
  options.url = options.url.replace(/^http(s?):\/\//, 'ws$1://');
  return options;
};

const started = Date.now();
const say = (...args) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// `pallet.Error` for a DispatchError, from the metadata of `registry`.
const describe = (registry, dispatchError) => {
  if (dispatchError.isModule) {
    const { section, name, docs } = registry.findMetaError(dispatchError.asModule);
    return { name: `${section}.${name}`, docs: docs.map((d) => d.trim()).join(' ') };
  }
  if (dispatchError.isToken) return { name: `Token.${dispatchError.asToken.type}`, docs: '' };
  if (dispatchError.isArithmetic) return { name: `Arithmetic.${dispatchError.asArithmetic.type}`, docs: '' };
  return { name: dispatchError.type, docs: dispatchError.toString() };
};

// Signs and submits `tx`, resolving with the hash of the block that includes it once the pool
// reports it in a block. (Development sealing finalizes every block at once: the pool may then
// report Finalized without InBlock first, so either counts.) The extrinsic's events are read
// separately, by `extrinsicEvents`: signAndSend's own event lookup decodes them with whatever
// metadata polkadot.js holds at that moment, which a runtime upgrade swaps underneath it.
const submit = async (api, tx, signer, label) => {
  await tx.signAsync(signer);
  const hash = tx.hash.toHex();
  return new Promise((resolve, reject) => {
    let unsubscribe;
    let done = false;
    const finish = (error, value) => {
      if (done) return;
      done = true;
      if (unsubscribe) unsubscribe();
      if (error) reject(error);
      else resolve(value);
    };
    api.rpc.author
      .submitAndWatchExtrinsic(tx, (status) => {
        const block = status.isInBlock ? status.asInBlock : status.isFinalized ? status.asFinalized : null;
        say(`${label}: ${status.type}${block ? ` ${block.toHex()}` : ''}`);
        if (block) finish(null, { blockHash: block.toHex(), hash });
        else if (status.isInvalid || status.isDropped || status.isUsurped) finish(new Error(`${label}: ${status.type}`));
      })
      .then((u) => {
        unsubscribe = u;
        if (done) u();
      }, finish);
  });
};

// A private registry with the metadata of the runtime that executed block `blockHash` (the code
// in its parent's state), so that what the block wrote decodes with the types that wrote it.
const registries = new Map();
const registryFor = async (api, blockHash) => {
  const header = await api.rpc.chain.getHeader.raw(blockHash);
  const version = await api.rpc.state.getRuntimeVersion.raw(header.parentHash);
  const key = `${version.specName}/${version.specVersion}`;
  if (!registries.has(key)) {
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, await api.rpc.state.getMetadata.raw(header.parentHash));
    registry.setMetadata(metadata);
    registries.set(key, registry);
  }
  return registries.get(key);
};

// A plain storage value of block `blockHash`, decoded with that block's own registry (null when
// there is none; an optional item's value is its inner type).
const storageAt = async (api, blockHash, pallet, item) => {
  const registry = await registryFor(api, blockHash);
  const entry = registry.metadata.pallets
    .find((p) => p.name.eq(pallet))
    ?.storage.unwrap()
    .items.find((i) => i.name.eq(item));
  if (!entry) throw new Error(`no storage item ${pallet}::${item}`);
  const key = u8aToHex(u8aConcat(xxhashAsU8a(pallet, 128), xxhashAsU8a(item, 128)));
  const raw = await api.rpc.state.getStorage.raw(key, blockHash);
  const type = registry.createLookupType(entry.type.asPlain);
  return { registry, value: raw === null ? null : registry.createType(type, raw) };
};

// The events of extrinsic `hash` in block `blockHash`, and the registry they decode with.
const extrinsicEvents = async (api, blockHash, hash) => {
  const { block } = await api.rpc.chain.getBlock.raw(blockHash);
  const index = block.extrinsics.findIndex((ex) => blake2AsHex(ex, 256) === hash);
  if (index < 0) throw new Error(`extrinsic ${hash} is not in block ${blockHash}`);
  const { registry, value } = await storageAt(api, blockHash, 'System', 'Events');
  const events = (value ?? [])
    .filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.eqn(index))
    .map(({ event }) => event);
  return { registry, events };
};

const upgrade = async (api, options) => {
  await cryptoWaitReady();
  const signer = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 }).addFromUri(options.suri);
  const code = readFileSync(options.wasm);
  const before = await api.rpc.state.getRuntimeVersion();
  const chain = await api.rpc.system.chain();
  say(`chain ${chain} at ${options.url}: runtime ${before.specName}, spec_version ${before.specVersion.toNumber()}`);
  say(`code ${options.wasm}: ${code.length} bytes`);

  const sudoKey = (await api.query.sudo.key()).unwrapOr(null);
  if (!sudoKey || !sudoKey.eq(signer.address)) {
    throw new Refused('sudo.RequireSudo', `${signer.address} (${options.suri}) is not the sudo key ${sudoKey ?? '(none)'}`);
  }

  const setCode = api.tx.system.setCode(u8aToHex(code));
  const submitted = (await api.rpc.chain.getHeader()).number.toNumber();
  let included;
  try {
    say('submitting sudo.sudo(system.setCode)');
    included = await submit(api, api.tx.sudo.sudo(setCode), signer, 'sudo(setCode)');
  } catch (error) {
    // sudo's weight is setCode's, a whole block's worth, which a chain whose limits leave no room
    // for it refuses; sudoUncheckedWeight declares no weight instead.
    if (!/exhaust|ExhaustsResources/i.test(error.message)) throw error;
    say(`sudo(setCode) refused by the pool (${error.message}): submitting sudo.sudoUncheckedWeight(system.setCode, 0)`);
    const unchecked = api.tx.sudo.sudoUncheckedWeight(setCode, { refTime: 0, proofSize: 0 });
    included = await submit(api, unchecked, signer, 'sudoUncheckedWeight(setCode)');
  }
  const { blockHash, hash } = included;
  const codeBlock = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  const { registry, events } = await extrinsicEvents(api, blockHash, hash);
  const named = (section, method) => events.find((e) => e.section === section && e.method === method);
  say(`included in block #${codeBlock}; events: ${events.map((e) => `${e.section}.${e.method}`).join(', ')}`);
  const failed = named('system', 'ExtrinsicFailed');
  if (failed) {
    const { name, docs } = describe(registry, failed.data.dispatchError ?? failed.data[0]);
    throw new Refused(name, docs);
  }
  const sudid = named('sudo', 'Sudid');
  if (!sudid) throw new Error('no sudo.Sudid event for the extrinsic');
  const sudoResult = sudid.data.sudoResult ?? sudid.data[0];
  if (sudoResult.isErr) {
    const { name, docs } = describe(registry, sudoResult.asErr);
    throw new Refused(name, docs);
  }
  if (!named('system', 'CodeUpdated')) throw new Error('sudo succeeded but no system.CodeUpdated event');
  say('system.CodeUpdated');

  // The new code is in the state of block #codeBlock; blocks from the next one execute it. Find the
  // first block whose parent state reports a new version, making blocks with remarks when none
  // come by themselves.
  const versionAt = async (number) => api.rpc.state.getRuntimeVersion(await api.rpc.chain.getBlockHash(number));
  const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  let after;
  let firstBlock;
  let remarks = 0;
  for (let number = codeBlock + 1; firstBlock === undefined; ) {
    const waitingSince = Date.now();
    while ((await best()) < number) {
      if (Date.now() - waitingSince > IDLE_MS) {
        await makeBlock(api, signer, ++remarks);
        break;
      }
      await sleep(200);
    }
    if ((await best()) < number) continue;
    const version = await versionAt(number - 1);
    if (!version.specVersion.eq(before.specVersion) || !version.specName.eq(before.specName)) {
      after = version;
      firstBlock = number;
    } else {
      number++;
    }
  }
  const atFirst = await versionAt(firstBlock);
  const { value: lastUpgrade } = await storageAt(api, (await api.rpc.chain.getBlockHash(firstBlock)).toHex(), 'System', 'LastRuntimeUpgrade');
  say(
    `block #${firstBlock} is the first executed by spec_version ${after.specVersion.toNumber()}` +
      ` (reports ${atFirst.specName}/${atFirst.specVersion.toNumber()};` +
      ` system.lastRuntimeUpgrade ${lastUpgrade ? lastUpgrade.specVersion.toNumber() : 'none'})`,
  );
  console.log(
    `upgraded: spec_version ${before.specVersion.toNumber()} -> ${after.specVersion.toNumber()} in ${firstBlock - submitted} blocks`,
  );
};

// A block for the new runtime to execute: a remark from the same signer, once polkadot.js has
// followed the chain to the new runtime version (a transaction must name it to be valid).
const makeBlock = async (api, signer, n) => {
  const want = await api.rpc.state.getRuntimeVersion();
  const until = Date.now() + 15_000;
  while (!api.runtimeVersion.specVersion.eq(want.specVersion) && Date.now() < until) await sleep(200);
  say(`no new block for ${IDLE_MS / 1000} s: sending system.remark (${n})`);
  const { blockHash, hash } = await submit(api, api.tx.system.remark(`cairn upgrade ${n}`), signer, 'remark');
  const { registry, events } = await extrinsicEvents(api, blockHash, hash);
  const failed = events.find((e) => e.section === 'system' && e.method === 'ExtrinsicFailed');
  if (failed) throw new Error(`remark failed: ${describe(registry, failed.data.dispatchError ?? failed.data[0]).name}`);
};

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const timer = setTimeout(() => {
  console.error(`error: timed out after ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS);
let api;
try {
  api = await ApiPromise.create({ provider: new WsProvider(options.url), noInitWarn: true, throwOnConnect: true });
  await upgrade(api, options);
  console.log('ok');
} catch (error) {
  if (error instanceof Refused) {
    if (error.detail) say(`${error.message}: ${error.detail}`);
    console.log(`refused: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`error: ${error.message ?? error}`);
    process.exitCode = 1;
  }
}
clearTimeout(timer);
if (api) await api.disconnect().catch(() => {});
// Whatever a library leaves open must not keep the process alive.
setTimeout(() => process.exit(), 1000).unref();

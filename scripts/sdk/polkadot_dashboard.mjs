// What a Substrate dashboard (polkadot.js apps) does against a running Cairn node, with
// @polkadot/api 16.5.6 and no type definitions of its own: everything decodes from the node's
// metadata. Reads the chain and runtime versions; decodes every pallet's storage (plain values,
// maps and double maps, all entries), every constant, the runtime APIs that take no arguments and
// the recent blocks with their events; shows pallet-starknet's storage (nonces, contract classes,
// declared classes, Starknet headers, chain configuration); follows new and finalized heads and
// the system events; sends a balances transfer from Alice to Bob and checks Bob's balance.
// Usage: node polkadot_dashboard.mjs ws://127.0.0.1:PORT
// Prints progress lines and `ok` as its last line on success; exits non-zero on failure.
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const TIMEOUT_MS = 90_000;
const AMOUNT = 12345n;
const RECENT_BLOCKS = 20;
const url = process.argv[2];
if (!url) {
  console.error('usage: node polkadot_dashboard.mjs ws://HOST:PORT');
  process.exit(1);
}

const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(1);
const say = (...args) => console.log(`[${secs()}s]`, ...args);
const short = (value, max = 240) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
};
const check = (condition, what) => {
  if (!condition) throw new Error(`check failed: ${what}`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async (condition, ms, what) => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

// polkadot.js reports decoding trouble through console.warn/console.error (its logger), not by
// throwing: collect every such line, and fail on the ones about types or decoding.
const logged = [];
for (const level of ['warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    logged.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    original(...args);
  };
}
const DECODING_TROUBLE = /unable to (decode|create|construct|map|find|retrieve)|unknown (types|signed extension)|doesn't match input|no types for|cannot (decode|construct)/i;

const timer = setTimeout(() => {
  console.error(`error: timed out after ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS);

let api;
try {
  await cryptoWaitReady();
  api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
  const [chain, nodeName, nodeVersion] = await Promise.all([
    api.rpc.system.chain(),
    api.rpc.system.name(),
    api.rpc.system.version(),
  ]);
  const version = api.runtimeVersion;
  const metadata = api.runtimeMetadata;
  const pallets = metadata.asLatest.pallets;
  say(`chain ${chain} (node ${nodeName} ${nodeVersion})`);
  say(
    `runtime ${version.specName}/${version.specVersion.toNumber()} impl ${version.implName}/${version.implVersion.toNumber()}` +
      ` transaction_version ${version.transactionVersion.toNumber()}, metadata v${metadata.version},` +
      ` ${pallets.length} pallets, ${api.registry.lookup.types.length} types`,
  );

  // Every type of the metadata's registry must resolve to a definition polkadot.js understands.
  let typeTrouble = 0;
  for (const { id } of api.registry.lookup.types) {
    try {
      api.registry.lookup.getTypeDef(id);
      api.registry.createType(api.registry.createLookupType(id));
    } catch (error) {
      typeTrouble++;
      console.error(`type ${id} (${api.registry.lookup.getSiType(id).path.join('::')}): ${error.message}`);
    }
  }
  check(typeTrouble === 0, `${typeTrouble} metadata types do not resolve`);

  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');

  // Heads, finalized heads and system events, as a dashboard follows them.
  const startNumber = (await api.rpc.chain.getHeader()).number.toNumber();
  const newHeads = [];
  const finalizedHeads = [];
  const unsubscribers = [];
  unsubscribers.push(
    await api.rpc.chain.subscribeNewHeads((header) => {
      const number = header.number.toNumber();
      if (number > startNumber && !newHeads.includes(number)) newHeads.push(number);
      if (newHeads.length <= 3) say(`new head #${number} ${header.hash.toHex()}`);
    }),
  );
  unsubscribers.push(
    await api.rpc.chain.subscribeFinalizedHeads((header) => {
      finalizedHeads.push(header.number.toNumber());
      if (finalizedHeads.length <= 3) say(`finalized head #${header.number.toNumber()}`);
    }),
  );
  const transfersSeen = [];
  const starknetEvents = [];
  unsubscribers.push(
    await api.query.system.events((records) => {
      for (const { event, phase } of records) {
        const name = `${event.section}.${event.method}`;
        if (event.section === 'starknet') {
          starknetEvents.push(name);
          say(`event ${name} (${phase.toString()}) ${short(event.data.toHuman())}`);
        } else if (name === 'balances.Transfer') {
          const [from, to, amount] = event.data;
          transfersSeen.push({ from: from.toString(), to: to.toString(), amount: amount.toBigInt() });
          say(`event ${name} ${from} -> ${to}: ${amount.toBigInt()}`);
        }
      }
    }),
  );

  // A balances transfer from Alice to Bob, signed and followed to its block.
  const free = async (at, who) => (await at.query.system.account(who)).data.free.toBigInt();
  const transfer = (label) =>
    new Promise((resolve, reject) => {
      let unsubscribe;
      let done = false;
      const finish = (error, value) => {
        if (done) return;
        done = true;
        if (unsubscribe) unsubscribe();
        if (error) reject(error);
        else resolve(value);
      };
      api.tx.balances
        .transferKeepAlive(bob.address, AMOUNT)
        .signAndSend(alice, ({ status, events, dispatchError }) => {
          const block = status.isInBlock ? status.asInBlock : status.isFinalized ? status.asFinalized : null;
          say(`${label}: ${status.type}${block ? ` ${block.toHex()}` : ''}`);
          if (dispatchError) {
            const reason = dispatchError.isModule
              ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
              : dispatchError.toString();
            finish(new Error(`${label} failed: ${reason}`));
          } else if (block) {
            // In a block; with development sealing, which finalizes every block at once, the
            // pool may report Finalized without InBlock first.
            finish(null, { blockHash: block, events: events.map(({ event }) => `${event.section}.${event.method}`) });
          } else if (status.isDropped || status.isInvalid || status.isUsurped) {
            finish(new Error(`${label}: ${status.type}`));
          }
        })
        .then((u) => {
          unsubscribe = u;
          if (done) u();
        }, finish);
    });
  const checkTransfer = async (label) => {
    const { blockHash, events } = await transfer(label);
    say(`${label} events: ${events.join(', ')}`);
    check(events.includes('balances.Transfer') && events.includes('system.ExtrinsicSuccess'), `${label} events ${events}`);
    const header = await api.rpc.chain.getHeader(blockHash);
    const [before, after] = await Promise.all([
      api.at(header.parentHash).then((at) => free(at, bob.address)),
      api.at(blockHash).then((at) => free(at, bob.address)),
    ]);
    say(`${label}: Bob's free balance ${before} -> ${after} in block #${header.number.toNumber()}`);
    check(after - before === AMOUNT, `Bob received ${after - before}, not ${AMOUNT}`);
    return header.number.toNumber();
  };

  const aliceNonce = await api.rpc.system.accountNextIndex(alice.address);
  say(`Alice ${alice.address} (nonce ${aliceNonce}), Bob ${bob.address}`);
  const includedIn = await checkTransfer('transfer');
  await waitFor(
    () => transfersSeen.some((t) => t.from === alice.address && t.to === bob.address && t.amount === AMOUNT),
    10_000,
    'balances.Transfer in the system events subscription',
  );
  // Interval sealing makes blocks on its own; instant sealing only for transactions: a second
  // transfer then makes the second new block.
  try {
    await waitFor(() => newHeads.length >= 2, 3_000, 'two new heads');
  } catch {
    say(`${newHeads.length} new head(s) so far: sending a second transfer`);
    await checkTransfer('second transfer');
  }
  await waitFor(() => newHeads.length >= 2, 20_000, 'two new heads');
  await waitFor(() => finalizedHeads.some((n) => n >= includedIn), 20_000, `a finalized head at #${includedIn} or later`);
  say(`heads: ${newHeads.length} new (${newHeads.join(', ')}), finalized up to #${Math.max(...finalizedHeads)}`);

  // Every pallet's storage, every entry.
  let storageTotal = 0;
  const decodeEntry = (value) => value.toJSON();
  for (const pallet of pallets) {
    if (pallet.storage.isNone) continue;
    const section = pallet.name.toString().replace(/^./, (c) => c.toLowerCase());
    const query = api.query[section];
    check(query, `api.query.${section} (pallet ${pallet.name})`);
    const counts = [];
    for (const item of pallet.storage.unwrap().items) {
      const method = item.name.toString().replace(/^./, (c) => c.toLowerCase());
      const fn = query[method];
      check(fn, `api.query.${section}.${method} (${pallet.name}::${item.name})`);
      try {
        if (item.type.isPlain) {
          decodeEntry(await fn());
          counts.push(`${method}=1`);
          storageTotal++;
        } else {
          const entries = await fn.entries();
          for (const [key, value] of entries) {
            key.args.map((arg) => arg.toJSON());
            decodeEntry(value);
          }
          counts.push(`${method}=${entries.length}`);
          storageTotal += entries.length;
        }
      } catch (error) {
        throw new Error(`decoding ${pallet.name}::${item.name}: ${error.message}`);
      }
    }
    say(`storage ${pallet.name}: ${counts.join(' ')}`);
  }
  say(`storage: ${storageTotal} values and entries decoded`);

  // pallet-starknet, by the storage names its metadata gives.
  const starknetPallet = pallets.find((p) => p.name.toString() === 'Starknet');
  check(starknetPallet && starknetPallet.storage.isSome, 'pallet Starknet with storage in the metadata');
  const starknetItems = starknetPallet.storage.unwrap().items.map((i) => i.name.toString());
  say(`starknet storage items: ${starknetItems.join(', ')}`);
  say(`api.query.starknet: ${Object.keys(api.query.starknet).join(', ')}`);
  const pick = (pattern, what) => {
    const name = starknetItems.find((n) => pattern.test(n));
    check(name, `a starknet storage item for ${what} (${pattern}) among ${starknetItems.join(', ')}`);
    return api.query.starknet[name.replace(/^./, (c) => c.toLowerCase())];
  };
  const hex = (felt) => felt.toHex();
  const nonces = await pick(/^Nonces?$/, 'nonces').entries();
  say(`starknet nonces: ${nonces.length}${nonces.length ? `, e.g. ${hex(nonces[0][0].args[0])} -> ${nonces[0][1].unwrap().toHex()}` : ''}`);
  const contracts = await pick(/^ContractClassHash/, 'contract class hashes').entries();
  check(contracts.length > 0, 'deployed contracts in the genesis state');
  say(`starknet contracts: ${contracts.length}`);
  for (const [key, value] of contracts.slice(0, 8)) say(`  contract ${hex(key.args[0])} -> class ${value.unwrap().toHex()}`);
  const declared = await pick(/^CompiledClassHash/, 'declared classes').entries();
  check(declared.length > 0, 'declared classes in the genesis state');
  say(`starknet declared classes: ${declared.length}`);
  for (const [key, value] of declared.slice(0, 8)) say(`  class ${hex(key.args[0])} compiled ${value.unwrap().toHex()}`);
  const definitions = await pick(/^ClassDefinition/, 'class definitions').keys();
  check(definitions.length === declared.length, `${definitions.length} class definitions for ${declared.length} declared classes`);
  const headers = await pick(/^Headers?$/, 'Starknet block headers').entries();
  check(headers.length > 0, 'Starknet headers');
  const [latestKey, latestHeader] = headers.reduce((a, b) => (b[0].args[0].toBigInt() > a[0].args[0].toBigInt() ? b : a));
  say(`starknet headers: ${headers.length}; latest (block ${latestKey.args[0].toString()}): ${JSON.stringify(latestHeader.unwrap().toHuman())}`);
  const config = await pick(/Config/, 'chain configuration')();
  say(`starknet chain configuration: ${JSON.stringify(config.toHuman())}`);
  check(config.toHuman().chainId, 'a chain id in the chain configuration');

  // Constants.
  let constants = 0;
  const constantSummary = [];
  for (const section of Object.keys(api.consts)) {
    const names = Object.keys(api.consts[section]);
    for (const name of names) {
      try {
        api.consts[section][name].toJSON();
      } catch (error) {
        throw new Error(`decoding constant ${section}.${name}: ${error.message}`);
      }
    }
    constants += names.length;
    constantSummary.push(`${section}=${names.length}`);
  }
  say(`constants: ${constants} decoded (${constantSummary.join(' ')})`);
  say(`constants e.g. balances.existentialDeposit ${api.consts.balances.existentialDeposit}, system.blockHashCount ${api.consts.system.blockHashCount}`);

  // Runtime APIs from the metadata: every method without arguments, plus a few simple ones.
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase());
  const SKIP = new Set(['BlockBuilder.finalize_block']); // needs an initialised block
  const withArguments = {
    'AccountNonceApi.account_nonce': [alice.address],
    'Metadata.metadata_at_version': [15],
    'TransactionPaymentApi.query_length_to_fee': [100],
    'TransactionPaymentCallApi.query_length_to_fee': [100],
    'StarknetRuntimeApi.transactions': [[]],
  };
  const apiNames = [];
  let calls = 0;
  for (const runtimeApi of metadata.asLatest.apis) {
    const apiName = runtimeApi.name.toString();
    apiNames.push(`${apiName}(${runtimeApi.methods.length})`);
    for (const method of runtimeApi.methods) {
      const full = `${apiName}.${method.name}`;
      const args = method.inputs.length === 0 ? [] : withArguments[full];
      if (!args || SKIP.has(full)) continue;
      const fn = api.call[camel(apiName)]?.[camel(method.name.toString())];
      check(fn, `api.call for ${full}`);
      let result;
      try {
        result = await fn(...args);
      } catch (error) {
        throw new Error(`runtime API ${full}: ${error.message}`);
      }
      const json = result.toJSON();
      say(`runtime API ${full} -> ${short(json, full.startsWith('Metadata.metadata') ? 40 : 200)}`);
      calls++;
    }
  }
  say(`runtime APIs: ${apiNames.join(', ')}; ${calls} calls decoded`);

  // Recent blocks, their extrinsics and their events, as the explorer lists them.
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  let extrinsics = 0;
  let events = 0;
  for (let number = Math.max(0, best - RECENT_BLOCKS + 1); number <= best; number++) {
    const hash = await api.rpc.chain.getBlockHash(number);
    const [{ block }, at] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash)]);
    const records = await at.query.system.events();
    // Each extrinsic must re-encode to the node's bytes: a type whose metadata does not match its
    // encoding would decode into something else.
    const raw = await api.rpc.chain.getBlock.raw(hash);
    block.extrinsics.forEach((ex, i) => {
      ex.method.toJSON();
      check(ex.toHex() === raw.block.extrinsics[i], `extrinsic ${number}-${i} (${ex.method.section}.${ex.method.method}) re-encodes to the node's bytes`);
    });
    const calls = block.extrinsics.map((ex) => `${ex.method.section}.${ex.method.method}${ex.isSigned ? ` by ${ex.signer}` : ''}`);
    extrinsics += calls.length;
    events += records.length;
    const names = records.map(({ event }) => {
      event.data.toJSON();
      return `${event.section}.${event.method}`;
    });
    const starknet = names.filter((name) => name.startsWith('starknet.'));
    starknetEvents.push(...starknet);
    if (calls.some((c) => !c.startsWith('timestamp.'))) {
      say(`block #${number}: ${calls.join(', ')}; ${records.length} events${starknet.length ? ` (${starknet.join(', ')})` : ''}`);
    }
  }
  say(`blocks: ${Math.min(RECENT_BLOCKS, best + 1)} recent blocks, ${extrinsics} extrinsics, ${events} events decoded`);
  if (starknetEvents.length) say(`starknet events decoded: ${[...new Set(starknetEvents)].join(', ')}`);

  for (const unsubscribe of unsubscribers) unsubscribe();
  const trouble = logged.filter((line) => DECODING_TROUBLE.test(line));
  check(trouble.length === 0, `polkadot.js reported decoding trouble:\n${trouble.join('\n')}`);
  if (logged.length) say(`polkadot.js logged ${logged.length} other line(s) (above)`);
  await api.disconnect();
  clearTimeout(timer);
  say(`done in ${secs()} s`);
  console.log('ok');
} catch (error) {
  console.error(`error: ${error.stack ?? error}`);
  clearTimeout(timer);
  if (api) await api.disconnect().catch(() => {});
  process.exitCode = 1;
}
// Whatever a library leaves open must not keep the process alive.
setTimeout(() => process.exit(), 1000).unref();

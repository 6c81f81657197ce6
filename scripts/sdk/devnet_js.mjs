// starknet-devnet's own JavaScript client (npm `starknet-devnet`, its DevnetProvider), unchanged,
// against a Cairn `--dev` node, with starknet.js reading the effects over the Starknet RPC:
// predeployed accounts, an exact mint of a big amount (sent as devnet's client sends it, a bare
// integer literal), a block on demand, the clock set and increased, gas prices, the config, and a
// dump written to DUMP_PATH (the Rust test loads it into a fresh node).
// Usage: node devnet_js.mjs URL DUMP_PATH
import { DevnetProvider } from 'starknet-devnet';
import { RpcProvider, json } from 'starknet';

const STRK = '0x04718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d';
const [url, dumpPath] = process.argv.slice(2);
if (!dumpPath) throw new Error('usage: URL DUMP_PATH');

const check = (condition, what) => {
  if (!condition) throw new Error(`check failed: ${typeof what === 'string' ? what : json.stringify(what)}`);
};
const devnet = new DevnetProvider({ url });
const starknet = new RpcProvider({ nodeUrl: url });
const balanceOf = async (token, owner) => {
  const [low, high] = await starknet.callContract({ contractAddress: token, entrypoint: 'balance_of', calldata: [owner] });
  return BigInt(low) + (BigInt(high) << 128n);
};

const accounts = await devnet.getPredeployedAccounts({ withBalance: true });
check(accounts.length === 10, `10 predeployed accounts, not ${accounts.length}`);
check(BigInt(accounts[0].balance.strk.amount) === BigInt(accounts[0].initial_balance), accounts[0]);
check(accounts[0].balance.eth.unit === 'WEI' && accounts[0].balance.strk.unit === 'FRI', accounts[0]);

// A mint that needs all 70 bits of it.
const holder = '0xabc123';
const amount = 1000000000000000000001n;
const minted = await devnet.mint(holder, amount);
check(minted.new_balance === amount && minted.unit === 'FRI', minted);
check((await balanceOf(STRK, holder)) === amount, 'balance_of after the mint');
const wei = await devnet.mint(holder, 7n, 'WEI');
check(wei.new_balance === 7n && wei.unit === 'WEI', wei);

const created = await devnet.createBlock();
const latest = await starknet.getBlockLatestAccepted();
check(BigInt(created.block_hash) === BigInt(latest.block_hash), { created, latest });

// The clock: set (with a block), then increased.
const before = (await starknet.getBlock('latest')).timestamp;
const target = before + 86400;
const set = await devnet.setTime(target, { generateBlock: true });
check(set.block_timestamp === target && set.block_hash, set);
const block = await starknet.getBlock('latest');
check(block.timestamp === target && BigInt(block.block_hash) === BigInt(set.block_hash), { set, block });
const increased = await devnet.increaseTime(1000);
check(increased.timestamp_increased_by === 1000, increased);
const after = (await starknet.getBlock('latest')).timestamp;
check(after >= target + 1000 && after < target + 1060, { target, after });
let refused = false;
try {
  await devnet.setTime(before);
} catch (error) {
  refused = error.code === -1 && /only moves forward/.test(error.message);
}
check(refused, 'setTime into the past is refused with -1');

// Gas prices in the next block, created now.
const prices = await devnet.setGasPrice({ l2GasPrice: 3000000000n }, true);
check(prices.l2_gas_price === 3000000000n && prices.l1_gas_price === 1000000000n, prices);
const priced = await starknet.getBlock('latest');
check(BigInt(priced.l2_gas_price.price_in_fri) === 3000000000n, priced.l2_gas_price);

const config = await devnet.getConfig();
check(config.chain_id === 'CAIRN_DEV' && config.total_accounts === 10, config);
check(config.l2_gas_price_fri === 3000000000, config);

check((await devnet.dump(dumpPath)) === null, 'dump to a path answers null');
console.log(`devnet-js flow ok: minted ${minted.new_balance} FRI, clock at ${after}, dumped to ${dumpPath}`);
console.log('ok');

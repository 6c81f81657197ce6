// starknet.js's ordinary account flow against a running Cairn node, unchanged client code:
// read the chain, call a view, send an ERC-20 transfer with an estimated fee, wait for its
// receipt, read its events and the block. Usage: node starknet_js_flow.mjs URL ADDRESS KEY TO
import { RpcProvider, Account, CallData, cairo, hash, num } from 'starknet';

const STRK = '0x04718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d';
const [url, address, privateKey, to] = process.argv.slice(2);

const provider = await RpcProvider.create({ nodeUrl: url });
console.log('spec', await provider.getSpecVersion());
console.log('chain', await provider.getChainId());
const account = new Account({ provider, address, signer: privateKey });

const balanceOf = async (who) => {
  const [low, high] = await provider.callContract({
    contractAddress: STRK,
    entrypoint: 'balanceOf',
    calldata: CallData.compile([who]),
  });
  return BigInt(low) + (BigInt(high) << 128n);
};

const before = await balanceOf(to);
const transfer = {
  contractAddress: STRK,
  entrypoint: 'transfer',
  calldata: CallData.compile({ recipient: to, amount: cairo.uint256(12345) }),
};
const estimate = await account.estimateInvokeFee(transfer);
console.log('estimate', estimate.overall_fee.toString());
const { transaction_hash } = await account.execute(transfer);
console.log('sent', transaction_hash);
const receipt = await provider.waitForTransaction(transaction_hash, { retryInterval: 200 });
if (!receipt.isSuccess()) throw new Error(`transfer failed: ${JSON.stringify(receipt)}`);
const after = await balanceOf(to);
if (after - before !== 12345n) throw new Error(`balance moved by ${after - before}`);
console.log('balance moved', (after - before).toString());

const transferKey = num.toHex(hash.starknetKeccak('Transfer'));
const events = await provider.getEvents({
  address: STRK,
  keys: [[transferKey]],
  from_block: { block_number: receipt.value.block_number },
  to_block: 'latest',
  chunk_size: 10,
});
console.log('events', events.events.length);
const block = await provider.getBlockWithTxHashes('latest');
console.log('block', block.block_number, block.transactions.length);
console.log('ok');

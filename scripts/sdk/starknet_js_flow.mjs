// starknet.js's ordinary account flow against a running Cairn node, unchanged client code:
// read the chain, call a view, send an ERC-20 transfer with an estimated fee, wait for its
// receipt, read its events and the block; deploy a new account (fund its address, estimate and
// send its deploy_account transaction); declare Argent's account 0.4.0 and deploy it through the
// Universal Deployer; invoke from the new account; then simulate and trace transactions.
// Usage: node starknet_js_flow.mjs URL ADDRESS KEY TO SIERRA COMPILED_CLASS_HASH
// (SIERRA: the Argent account 0.4.0 Sierra class; COMPILED_CLASS_HASH: its compiled class hash as
// the node computes it, which the flow does not compute itself.)
import { readFileSync } from 'node:fs';
import {
  RpcProvider,
  Account,
  CallData,
  CairoCustomEnum,
  CairoOption,
  CairoOptionVariant,
  Contract,
  Deployer,
  TransactionType,
  cairo,
  ec,
  hash,
  json,
  num,
  shortString,
  stark,
} from 'starknet';

const STRK = '0x04718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d';
const UDC = '0x02ceed65a4bd731034c01113685c831b01c15d7d432f71afb1cf1634b53a2125';
const FUNDING = 10n ** 19n; // 10 STRK for the new account's fees and its transfer
const [url, address, privateKey, to, sierraPath, compiledClassHash] = process.argv.slice(2);
if (!compiledClassHash) throw new Error('usage: URL ADDRESS KEY TO SIERRA COMPILED_CLASS_HASH');

const check = (condition, what) => {
  if (!condition) {
    throw new Error(`check failed: ${typeof what === 'string' ? what : json.stringify(what)}`);
  }
};
const same = (a, b) => BigInt(a) === BigInt(b);
const wait = { retryInterval: 200 };

const provider = await RpcProvider.create({ nodeUrl: url });
console.log('spec', await provider.getSpecVersion());
console.log('chain', await provider.getChainId(), 'block', await provider.getBlockNumber());
// The Universal Deployer, given explicitly (starknet.js's default is the same address).
const deployer = new Deployer(UDC, 'deploy_contract');
const account = new Account({ provider, address, signer: privateKey, deployer });

const balanceOf = async (who) => {
  const [low, high] = await provider.callContract({
    contractAddress: STRK,
    entrypoint: 'balanceOf',
    calldata: CallData.compile([who]),
  });
  return BigInt(low) + (BigInt(high) << 128n);
};
const transfer = (recipient, amount) => ({
  contractAddress: STRK,
  entrypoint: 'transfer',
  calldata: CallData.compile({ recipient, amount: cairo.uint256(amount) }),
});
const succeeded = async (transactionHash, type) => {
  const receipt = await provider.waitForTransaction(transactionHash, wait);
  if (!receipt.isSuccess()) {
    throw new Error(`${transactionHash} failed: ${json.stringify(receipt)}`);
  }
  check(receipt.value.type === type, receipt.value);
  return receipt.value;
};

// An ERC-20 transfer with an estimated fee, its receipt, events and block.
let before = await balanceOf(to);
const estimate = await account.estimateInvokeFee(transfer(to, 12345n));
console.log('estimate', estimate.overall_fee.toString());
const { transaction_hash } = await account.execute(transfer(to, 12345n));
console.log('sent', transaction_hash);
const receipt = await succeeded(transaction_hash, TransactionType.INVOKE);
const moved = (await balanceOf(to)) - before;
check(moved === 12345n, `balance moved by ${moved}`);
console.log('balance moved', moved.toString());
const transferKey = num.toHex(hash.starknetKeccak('Transfer'));
const events = await provider.getEvents({
  address: STRK,
  keys: [[transferKey]],
  from_block: { block_number: receipt.block_number },
  to_block: { block_number: receipt.block_number },
  chunk_size: 100,
});
// The transfer and the fee (other senders' transactions may share the block).
const ours = events.events.filter((e) => same(e.transaction_hash, transaction_hash));
check(ours.length === 2, events);
console.log('events', ours.length);
const block = await provider.getBlockWithTxHashes(receipt.block_number);
check(block.transactions.some((t) => same(t, transaction_hash)), block);
console.log('block', block.block_number, block.transactions.length);

// A new account of the genesis account class: compute its address, fund it, deploy it.
const accountClass = await provider.getClassHashAt(address);
const newKey = stark.randomAddress();
const newPublicKey = ec.starkCurve.getStarkKey(newKey);
const constructorCalldata = CallData.compile({ publicKey: newPublicKey });
const newAddress = hash.calculateContractAddressFromHash(
  newPublicKey,
  accountClass,
  constructorCalldata,
  0,
);
const fund = await account.execute(transfer(newAddress, FUNDING));
await succeeded(fund.transaction_hash, TransactionType.INVOKE);
check((await balanceOf(newAddress)) === FUNDING, 'funding');
console.log('funded', newAddress);
const newAccount = new Account({ provider, address: newAddress, signer: newKey });
const deployPayload = {
  classHash: accountClass,
  constructorCalldata,
  addressSalt: newPublicKey,
  contractAddress: newAddress,
};
const deployEstimate = await newAccount.estimateAccountDeployFee(deployPayload);
check(deployEstimate.overall_fee > 0n && deployEstimate.overall_fee < FUNDING, deployEstimate);
console.log('deploy_account estimate', deployEstimate.overall_fee.toString());
const deployment = await newAccount.deployAccount(deployPayload, {
  resourceBounds: deployEstimate.resourceBounds,
});
check(same(deployment.contract_address, newAddress), deployment);
const deploymentReceipt = await succeeded(
  deployment.transaction_hash,
  TransactionType.DEPLOY_ACCOUNT,
);
check(same(deploymentReceipt.contract_address, newAddress), deploymentReceipt);
check(same(await newAccount.getNonce(), 1), 'nonce after deploy_account');
check(same(await provider.getClassHashAt(newAddress), accountClass), 'deployed class');
const deploymentFee = BigInt(deploymentReceipt.actual_fee.amount);
console.log('deployed account', newAddress, 'fee', deploymentFee.toString());

// Declare Argent's account 0.4.0 and deploy it through the Universal Deployer.
const sierra = json.parse(readFileSync(sierraPath, 'utf8'));
// The class hash is computed once here, rather than twice inside declare (estimate and send).
const classHash = hash.computeContractClassHash(sierra);
const declared = await account.declare({ contract: sierra, classHash, compiledClassHash });
check(same(declared.class_hash, classHash), declared);
const declareReceipt = await succeeded(declared.transaction_hash, TransactionType.DECLARE);
const declaredClass = await provider.getClassByHash(declared.class_hash);
check(declaredClass.sierra_program.length === sierra.sierra_program.length, 'declared class');
console.log('declared', declared.class_hash, 'in block', declareReceipt.block_number);
const owner = ec.starkCurve.getStarkKey(stark.randomAddress());
const udcDeployment = await account.deployContract(
  {
    classHash: declared.class_hash,
    abi: sierra.abi,
    constructorCalldata: {
      owner: new CairoCustomEnum({ Starknet: { pubkey: owner } }),
      guardian: new CairoOption(CairoOptionVariant.None),
    },
  },
  wait,
);
// Signer::Starknet(StarknetSigner { pubkey }) is variant 0; Option::None is variant 1.
check(udcDeployment.calldata.length === 3, udcDeployment);
check(same(udcDeployment.calldata[0], 0) && same(udcDeployment.calldata[1], owner), udcDeployment);
check(same(udcDeployment.calldata[2], 1), udcDeployment);
check(same(udcDeployment.deployer, address), udcDeployment);
check(same(udcDeployment.classHash, declared.class_hash), udcDeployment);
await succeeded(udcDeployment.transaction_hash, TransactionType.INVOKE);
check(same(await provider.getClassHashAt(udcDeployment.address), declared.class_hash), 'UDC class');
const argent = new Contract({
  abi: sierra.abi,
  address: udcDeployment.address,
  providerOrAccount: provider,
});
check(same(await argent.get_owner(), owner), 'owner');
const name = shortString.decodeShortString(num.toHex(await argent.get_name()));
check(name === 'ArgentAccount', name);
console.log('deployed through the UDC', udcDeployment.address);

// Invoke from the new account.
before = await balanceOf(to);
const invoke = await newAccount.execute(transfer(to, 777n));
const invokeReceipt = await succeeded(invoke.transaction_hash, TransactionType.INVOKE);
check((await balanceOf(to)) - before === 777n, "new account's transfer");
check(same(await newAccount.getNonce(), 2), 'nonce after invoke');
const spent = deploymentFee + BigInt(invokeReceipt.actual_fee.amount) + 777n;
check((await balanceOf(newAddress)) === FUNDING - spent, "new account's balance");
console.log('invoked', invoke.transaction_hash, 'in block', invokeReceipt.block_number);

// Simulation and traces.
console.log('simulate');
const simulation = await newAccount.simulateTransaction(
  [{ type: TransactionType.INVOKE, payload: transfer(to, 555n) }],
  { skipValidate: true },
);
check(simulation.simulated_transactions.length === 1, simulation);
const [simulated] = simulation.simulated_transactions;
let trace = simulated.transaction_trace;
check(trace.type === 'INVOKE' && !('revert_reason' in trace.execute_invocation), trace);
check(same(trace.execute_invocation.contract_address, newAddress), trace);
const simulatedCalls = trace.execute_invocation.calls;
check(simulatedCalls.length === 1 && same(simulatedCalls[0].contract_address, STRK), trace);
check(trace.validate_invocation === undefined, trace);
check(BigInt(simulated.overall_fee) > 0n, simulated);
check(same(await newAccount.getNonce(), 2), 'simulation changed the nonce');
console.log('simulated fee', simulated.overall_fee.toString());

console.log('trace');
trace = await provider.getTransactionTrace(invoke.transaction_hash);
check(trace.type === 'INVOKE' && !('revert_reason' in trace.execute_invocation), trace);
const [call] = trace.execute_invocation.calls;
check(trace.execute_invocation.calls.length === 1 && same(call.contract_address, STRK), trace);
check(same(call.entry_point_selector, hash.getSelectorFromName('transfer')), trace);
check(call.calldata.length === 3 && same(call.calldata[0], to), trace);
check(same(call.calldata[1], 777) && same(call.calldata[2], 0), trace);
check(trace.validate_invocation !== undefined, trace);
check(trace.fee_transfer_invocation !== undefined, trace);
check(same(trace.fee_transfer_invocation.contract_address, STRK), trace);
trace = await provider.getTransactionTrace(deployment.transaction_hash);
check(trace.type === 'DEPLOY_ACCOUNT', trace);
check(same(trace.constructor_invocation.contract_address, newAddress), trace);
trace = await provider.getTransactionTrace(declared.transaction_hash);
check(trace.type === 'DECLARE' && trace.validate_invocation !== undefined, trace);
// The block's traces are its transactions in order (the other SDK's flow may share it).
const traces = await provider.getBlockTransactionsTraces(invokeReceipt.block_number);
const invokeBlock = await provider.getBlockWithTxHashes(invokeReceipt.block_number);
check(traces.length === invokeBlock.transactions.length, [traces, invokeBlock]);
check(traces.every((t, i) => same(t.transaction_hash, invokeBlock.transactions[i])), traces);
const ourTraces = traces.filter((t) => same(t.transaction_hash, invoke.transaction_hash));
check(ourTraces.length === 1 && ourTraces[0].trace_root.type === 'INVOKE', traces);
console.log('traced');
console.log('ok');

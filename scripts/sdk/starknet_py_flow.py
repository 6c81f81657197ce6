"""starknet-py's ordinary account flow against a running Cairn node, unchanged client code: read
the chain, call a view, send an ERC-20 transfer with an estimated fee, wait for its receipt, read
its events and the block; deploy a new account (fund its address, estimate and send its
deploy_account transaction); declare OpenZeppelin's account 0.8.0 and deploy it through the
Universal Deployer; invoke from the new account; then simulate and trace transactions.
Usage: python starknet_py_flow.py URL ADDRESS KEY TO SIERRA COMPILED_CLASS_HASH
(SIERRA: the OpenZeppelin account 0.8.0 Sierra class; COMPILED_CLASS_HASH: its compiled class
hash as the node computes it, which the flow does not compute itself.)"""
import asyncio
import sys

from starknet_py.contract import Contract
from starknet_py.hash.address import compute_address
from starknet_py.hash.selector import get_selector_from_name
from starknet_py.net.account.account import Account
from starknet_py.net.client_models import (
    Call,
    DeclareTransactionTrace,
    DeployAccountTransactionTrace,
    FunctionInvocation,
    InvokeTransactionTrace,
    ResourceBoundsMapping,
    TransactionExecutionStatus,
    TransactionType,
)
from starknet_py.net.full_node_client import FullNodeClient
from starknet_py.net.models.transaction import DeployAccountV3
from starknet_py.net.signer.key_pair import KeyPair

STRK = 0x04718F5A0FC34CC1AF16A1CDEE98FFB20C31F5CD61D6AB07201858F4287C938D
UDC = 0x02CEED65A4BD731034C01113685C831B01C15D7D432F71AFB1CF1634B53A2125
FUNDING = 10**19  # 10 STRK for the new account's fees and its transfer


def check(condition: bool, what: object) -> None:
    if not condition:
        raise AssertionError(what)


async def main(url: str, address: str, key: str, to: str, sierra: str, compiled_class_hash: str):
    client = FullNodeClient(node_url=url)
    print("spec", await client.spec_version())
    chain = await client.get_chain_id()
    print("chain", chain, "block", await client.get_block_number())
    account = Account(
        client=client,
        address=int(address, 16),
        key_pair=KeyPair.from_private_key(int(key, 16)),
        chain=int(chain, 16),
    )
    recipient = int(to, 16)

    async def balance_of(who: int) -> int:
        low, high = await client.call_contract(
            Call(to_addr=STRK, selector=get_selector_from_name("balanceOf"), calldata=[who])
        )
        return low + (high << 128)

    def transfer(who: int, amount: int) -> Call:
        return Call(
            to_addr=STRK,
            selector=get_selector_from_name("transfer"),
            calldata=[who, amount % 2**128, amount >> 128],
        )

    async def succeeded(tx_hash: int, kind: TransactionType):
        receipt = await client.wait_for_tx(tx_hash, check_interval=0.2)
        check(receipt.execution_status == TransactionExecutionStatus.SUCCEEDED, receipt)
        check(receipt.type == kind, receipt)
        return receipt

    # An ERC-20 transfer with an estimated fee, its receipt, events and block.
    before = await balance_of(recipient)
    tx = await account.execute_v3(calls=transfer(recipient, 12345), auto_estimate=True)
    print("sent", hex(tx.transaction_hash))
    receipt = await succeeded(tx.transaction_hash, TransactionType.INVOKE)
    print("receipt", receipt.finality_status, receipt.block_number, receipt.actual_fee)
    moved = await balance_of(recipient) - before
    check(moved == 12345, moved)
    events = await client.get_events(
        address=STRK,
        keys=[[get_selector_from_name("Transfer")]],
        from_block_number=receipt.block_number,
        to_block_number=receipt.block_number,
        chunk_size=100,
    )
    # The transfer and the fee (other senders' transactions may share the block).
    ours = [e for e in events.events if e.transaction_hash == tx.transaction_hash]
    check(len(ours) == 2, events)
    block = await client.get_block(block_number=receipt.block_number)
    check(tx.transaction_hash in [t.hash for t in block.transactions], block)

    # A new account of the genesis account class: compute its address, fund it, deploy it.
    account_class = await client.get_class_hash_at(account.address)
    key_pair = KeyPair.generate()
    new_address = compute_address(
        class_hash=account_class,
        constructor_calldata=[key_pair.public_key],
        salt=key_pair.public_key,
    )
    fund = await account.execute_v3(calls=transfer(new_address, FUNDING), auto_estimate=True)
    await succeeded(fund.transaction_hash, TransactionType.INVOKE)
    check(await balance_of(new_address) == FUNDING, "funding")
    print("funded", hex(new_address))
    new_account = Account(
        client=client, address=new_address, key_pair=key_pair, chain=int(chain, 16)
    )
    estimate = await new_account.estimate_fee(
        DeployAccountV3(
            class_hash=account_class,
            contract_address_salt=key_pair.public_key,
            constructor_calldata=[key_pair.public_key],
            version=3,
            resource_bounds=ResourceBoundsMapping.init_with_zeros(),
            signature=[],
            nonce=0,
            tip=0,
        )
    )
    check(0 < estimate.overall_fee < FUNDING, estimate)
    print("deploy_account estimate", estimate.overall_fee)
    deployment = await Account.deploy_account_v3(
        address=new_address,
        class_hash=account_class,
        salt=key_pair.public_key,
        key_pair=key_pair,
        client=client,
        resource_bounds=estimate.to_resource_bounds(),
    )
    await deployment.wait_for_acceptance(check_interval=0.2)
    deploy_account_receipt = await succeeded(deployment.hash, TransactionType.DEPLOY_ACCOUNT)
    check(deploy_account_receipt.contract_address == new_address, deploy_account_receipt)
    new_account = deployment.account
    check(await new_account.get_nonce() == 1, "nonce after deploy_account")
    check(await client.get_class_hash_at(new_address) == account_class, "deployed class")
    print("deployed account", hex(new_address), "fee", deploy_account_receipt.actual_fee.amount)

    # Declare OpenZeppelin's account 0.8.0 and deploy it through the Universal Deployer.
    with open(sierra, encoding="utf-8") as f:
        sierra_class = f.read()
    declare = await Contract.declare_v3(
        account,
        compiled_contract=sierra_class,
        compiled_class_hash=int(compiled_class_hash, 16),
        auto_estimate=True,
    )
    await declare.wait_for_acceptance(check_interval=0.2)
    declare_receipt = await succeeded(declare.hash, TransactionType.DECLARE)
    declared = await client.get_class_by_hash(declare.class_hash)
    sent_class = declare.declare_transaction.contract_class
    check(declared.sierra_program == sent_class.sierra_program, "declared class")
    print("declared", hex(declare.class_hash), "in block", declare_receipt.block_number)
    owner = KeyPair.generate()
    deploy = await declare.deploy_v3(
        deployer_address=UDC,
        constructor_args={"public_key": owner.public_key},
        auto_estimate=True,
    )
    await deploy.wait_for_acceptance(check_interval=0.2)
    deploy_receipt = await succeeded(deploy.hash, TransactionType.INVOKE)
    deployed = deploy.deployed_contract
    check(await client.get_class_hash_at(deployed.address) == declare.class_hash, "UDC class")
    udc_events = [e for e in deploy_receipt.events if e.from_address == UDC]
    check(len(udc_events) == 1 and udc_events[0].data[0] == deployed.address, deploy_receipt)
    (public_key,) = await deployed.functions["get_public_key"].call()
    check(public_key == owner.public_key, public_key)
    print("deployed through the UDC", hex(deployed.address))

    # Invoke from the new account.
    before = await balance_of(recipient)
    invoke = await new_account.execute_v3(calls=transfer(recipient, 777), auto_estimate=True)
    invoke_receipt = await succeeded(invoke.transaction_hash, TransactionType.INVOKE)
    check(await balance_of(recipient) - before == 777, "new account's transfer")
    check(await new_account.get_nonce() == 2, "nonce after invoke")
    fees = deploy_account_receipt.actual_fee.amount + invoke_receipt.actual_fee.amount
    check(await balance_of(new_address) == FUNDING - fees - 777, "new account's balance")
    print("invoked", hex(invoke.transaction_hash), "in block", invoke_receipt.block_number)

    # Simulation and traces.
    print("simulate")
    to_simulate = await new_account.sign_invoke_v3(
        calls=transfer(recipient, 555), auto_estimate=True
    )
    (simulated,) = await client.simulate_transactions([to_simulate], skip_validate=True)
    trace = simulated.transaction_trace
    check(isinstance(trace, InvokeTransactionTrace), trace)
    check(isinstance(trace.execute_invocation, FunctionInvocation), trace)
    check(trace.execute_invocation.contract_address == new_address, trace)
    check([c.contract_address for c in trace.execute_invocation.calls] == [STRK], trace)
    check(trace.validate_invocation is None, trace)
    check(simulated.fee_estimation.overall_fee > 0, simulated)
    check(await new_account.get_nonce() == 2, "simulation changed the nonce")
    print("simulated fee", simulated.fee_estimation.overall_fee)

    print("trace")
    trace = await client.trace_transaction(invoke.transaction_hash)
    check(isinstance(trace, InvokeTransactionTrace), trace)
    check(isinstance(trace.execute_invocation, FunctionInvocation), trace)
    call = trace.execute_invocation.calls
    check(len(call) == 1 and call[0].contract_address == STRK, trace)
    check(call[0].entry_point_selector == get_selector_from_name("transfer"), trace)
    check(call[0].calldata == [recipient, 777, 0], trace)
    check(trace.validate_invocation is not None, trace)
    check(trace.fee_transfer_invocation is not None, trace)
    check(trace.fee_transfer_invocation.contract_address == STRK, trace)
    trace = await client.trace_transaction(deployment.hash)
    check(isinstance(trace, DeployAccountTransactionTrace), trace)
    check(trace.constructor_invocation.contract_address == new_address, trace)
    trace = await client.trace_transaction(declare.hash)
    check(isinstance(trace, DeclareTransactionTrace), trace)
    check(trace.validate_invocation is not None, trace)
    # The block's traces are its transactions in order (the other SDK's flow may share it).
    traces = await client.trace_block_transactions(block_number=invoke_receipt.block_number)
    invoke_block = await client.get_block(block_number=invoke_receipt.block_number)
    check([t.transaction_hash for t in traces] == [t.hash for t in invoke_block.transactions], traces)
    ours = [t for t in traces if t.transaction_hash == invoke.transaction_hash]
    check(len(ours) == 1 and isinstance(ours[0].trace_root, InvokeTransactionTrace), traces)
    print("traced")
    print("ok")


asyncio.run(main(*sys.argv[1:]))

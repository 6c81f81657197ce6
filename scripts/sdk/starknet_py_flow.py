"""starknet-py's ordinary account flow against a running Cairn node, unchanged client code: read
the chain, call a view, send an ERC-20 transfer with an estimated fee, wait for its receipt, read
its events and the block. Usage: python starknet_py_flow.py URL ADDRESS KEY TO"""
import asyncio
import sys

from starknet_py.hash.selector import get_selector_from_name
from starknet_py.net.account.account import Account
from starknet_py.net.client_models import Call, TransactionExecutionStatus
from starknet_py.net.full_node_client import FullNodeClient
from starknet_py.net.signer.key_pair import KeyPair

STRK = 0x04718F5A0FC34CC1AF16A1CDEE98FFB20C31F5CD61D6AB07201858F4287C938D


async def main(url: str, address: str, key: str, to: str) -> None:
    client = FullNodeClient(node_url=url)
    chain = await client.get_chain_id()
    print("chain", chain, "block", await client.get_block_number())
    account = Account(
        client=client,
        address=int(address, 16),
        key_pair=KeyPair.from_private_key(int(key, 16)),
        chain=int(chain, 16),
    )

    async def balance_of(who: int) -> int:
        low, high = await client.call_contract(
            Call(to_addr=STRK, selector=get_selector_from_name("balanceOf"), calldata=[who])
        )
        return low + (high << 128)

    before = await balance_of(int(to, 16))
    transfer = Call(
        to_addr=STRK,
        selector=get_selector_from_name("transfer"),
        calldata=[int(to, 16), 12345, 0],
    )
    tx = await account.execute_v3(calls=transfer, auto_estimate=True)
    print("sent", hex(tx.transaction_hash))
    receipt = await client.wait_for_tx(tx.transaction_hash, check_interval=0.2)
    assert receipt.execution_status == TransactionExecutionStatus.SUCCEEDED, receipt
    print("receipt", receipt.finality_status, receipt.block_number, receipt.actual_fee)
    moved = await balance_of(int(to, 16)) - before
    assert moved == 12345, moved
    events = await client.get_events(
        address=STRK,
        keys=[[get_selector_from_name("Transfer")]],
        from_block_number=receipt.block_number,
        to_block_number="latest",
        chunk_size=10,
    )
    assert len(events.events) == 2, events
    block = await client.get_block(block_number=receipt.block_number)
    assert tx.transaction_hash in [t.hash for t in block.transactions], block
    print("ok")


asyncio.run(main(*sys.argv[1:]))

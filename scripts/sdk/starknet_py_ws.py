"""starknet-py's WebsocketClient, unchanged client code, against a Cairn node that seals blocks on
request (`--sealing manual`): subscriptions to new heads (from block 1), STRK Transfer events,
receipts and new transactions of one sender, and a transfer's status from RECEIVED to
ACCEPTED_ON_L2, each parsed by starknet-py's own schemas; a subscription filtered on another
sender stays silent; each is closed with starknet_unsubscribe.
Usage: python starknet_py_ws.py HTTP_URL WS_URL ADDRESS KEY TO"""
import asyncio
import json
import sys
import time
import urllib.request

from starknet_py.hash.selector import get_selector_from_name
from starknet_py.net.account.account import Account
from starknet_py.net.client_models import (
    Call,
    TransactionExecutionStatus,
    TransactionStatus,
    TransactionStatusWithoutL1,
)
from starknet_py.net.full_node_client import FullNodeClient
from starknet_py.net.signer.key_pair import KeyPair
from starknet_py.net.websockets.websocket_client import WebsocketClient

STRK = 0x04718F5A0FC34CC1AF16A1CDEE98FFB20C31F5CD61D6AB07201858F4287C938D


def check(condition: bool, what: object) -> None:
    if not condition:
        raise AssertionError(what)


async def until(what: str, condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def seal(url: str) -> None:
    body = json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "engine_createBlock", "params": [True, True, None]}
    ).encode()
    request = urllib.request.Request(url, body, {"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    check("result" in answer, answer)


async def main(http: str, ws_url: str, address: str, key: str, to: str) -> None:
    client = FullNodeClient(node_url=http)
    chain = await client.get_chain_id()
    sender, recipient = int(address, 16), int(to, 16)
    account = Account(
        client=client,
        address=sender,
        key_pair=KeyPair.from_private_key(int(key, 16)),
        chain=int(chain, 16),
    )
    best = await client.get_block_number()

    ws = WebsocketClient(ws_url)
    await ws.connect()
    got = {name: [] for name in ["heads", "events", "receipts", "txs", "statuses", "others"]}
    transfer_key = get_selector_from_name("Transfer")
    ids = [
        await ws.subscribe_new_heads(lambda n: got["heads"].append(n.result), block_number=1),
        await ws.subscribe_events(
            lambda n: got["events"].append(n.result), from_address=STRK, keys=[[transfer_key]]
        ),
        await ws.subscribe_new_transaction_receipts(
            lambda n: got["receipts"].append(n.result), sender_address=[sender]
        ),
        await ws.subscribe_new_transactions(
            lambda n: got["txs"].append(n.result),
            sender_address=[sender],
            finality_status=[
                TransactionStatusWithoutL1.RECEIVED,
                TransactionStatusWithoutL1.ACCEPTED_ON_L2,
            ],
        ),
        await ws.subscribe_new_transaction_receipts(
            lambda n: got["others"].append(n.result), sender_address=[recipient]
        ),
    ]
    await until("the backfilled heads", lambda: len(got["heads"]) == best)
    check([h.block_number for h in got["heads"]] == list(range(1, best + 1)), got["heads"])

    sent = await account.execute_v3(
        calls=[
            Call(
                to_addr=STRK,
                selector=get_selector_from_name("transfer"),
                calldata=[recipient, 1000, 0],
            )
        ],
        auto_estimate=True,
    )
    tx_hash = sent.transaction_hash
    ids.append(
        await ws.subscribe_transaction_status(
            lambda n: got["statuses"].append(n.result), transaction_hash=tx_hash
        )
    )
    statuses = lambda: [s.status.finality_status for s in got["statuses"]]
    await until("RECEIVED", lambda: TransactionStatus.RECEIVED in statuses())
    await until("the RECEIVED transaction", lambda: len(got["txs"]) == 1)
    check(got["txs"][0].finality_status == TransactionStatusWithoutL1.RECEIVED, got["txs"])
    check(got["txs"][0].transaction.hash == tx_hash, got["txs"])

    await asyncio.get_running_loop().run_in_executor(None, seal, http)
    await until("ACCEPTED_ON_L2", lambda: TransactionStatus.ACCEPTED_ON_L2 in statuses())
    accepted = next(
        s for s in got["statuses"] if s.status.finality_status == TransactionStatus.ACCEPTED_ON_L2
    )
    check(accepted.transaction_hash == tx_hash, accepted)
    check(accepted.status.execution_status == TransactionExecutionStatus.SUCCEEDED, accepted)
    await until("the receipt", lambda: len(got["receipts"]) == 1)
    check(got["receipts"][0].transaction_hash == tx_hash, got["receipts"])
    check(got["receipts"][0].block_number == best + 1, got["receipts"])
    await until("the accepted transaction", lambda: len(got["txs"]) == 2)
    check(got["txs"][1].finality_status == TransactionStatusWithoutL1.ACCEPTED_ON_L2, got["txs"])
    await until("the new head", lambda: len(got["heads"]) == best + 1)
    # (The subscription started at the newest block, whose transfer was another client's.)
    mine = lambda: [e for e in got["events"] if e.transaction_hash == tx_hash]
    await until("the Transfer events", lambda: len(mine()) == 2)
    for event in mine():
        check(event.keys[0] == transfer_key and event.keys[1] == sender, event)
    check(mine()[0].keys[2] == recipient, mine()[0])
    await asyncio.sleep(0.3)
    check(not got["others"], f"a subscription filtered on another sender got {got['others']}")

    for subscription_id in ids:
        check(await ws.unsubscribe(subscription_id), f"unsubscribe {subscription_id}")
    await ws.disconnect()
    print("starknet-py WebsocketClient:", {name: len(items) for name, items in got.items()})
    print("ok")


asyncio.run(main(*sys.argv[1:]))

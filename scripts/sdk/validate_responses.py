"""Validate recorded Starknet JSON-RPC exchanges against the official OpenRPC spec files.

Usage: python validate_responses.py SPEC_API_DIR EXCHANGES.jsonl

Each line of EXCHANGES.jsonl is {"method": ..., "result": ...} or {"method": ..., "error": {code,
message, data?}}, or a WebSocket notification {"method": ..., "params": {"subscription_id": ...,
"result": ...}}, whose result must validate against the notification's `result` parameter. A result must validate against the method's result schema (JSON Schema draft 7,
`$ref`s resolved across the spec files); an error must be one the spec defines (code and message
exactly), with its `data` validating against the error's schema when it has one. Prints a summary
and exits non-zero on the first mismatch of each exchange (all mismatches are listed)."""
import json
import pathlib
import sys

from jsonschema import Draft7Validator, validators
from jsonschema._keywords import anyOf
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

BASE = "https://cairn.invalid/spec/api/"

# Two quirks of the spec files, worked around rather than failing every node:
# - `oneOf` alternatives overlap (a confirmed block also satisfies the pre-confirmed block schema,
#   which does not forbid extra fields), so `oneOf` is checked as `anyOf`;
# - some schemas write `"required": "name"` instead of a list (CONTRACT_ERROR's data);
# - `CellRef.offset` has `"minimum": 0`, while every compiler's CASM addresses cells below fp and
#   ap (`[fp - 6]`): negative offsets are allowed here.
SpecValidator = validators.extend(Draft7Validator, {"oneOf": anyOf})


def normalize(node):
    if isinstance(node, dict):
        if isinstance(node.get("required"), str):
            node["required"] = [node["required"]]
        for value in node.values():
            normalize(value)
    elif isinstance(node, list):
        for value in node:
            normalize(value)
    return node
FILES = [
    "starknet_api_openrpc.json",
    "starknet_write_api.json",
    "starknet_trace_api_openrpc.json",
    "starknet_executables.json",
    "starknet_ws_api.json",
]


def main(spec_dir: str, exchanges: str) -> int:
    docs = {
        name: normalize(json.loads((pathlib.Path(spec_dir) / name).read_text())) for name in FILES
    }
    cell_ref = docs["starknet_executables.json"]["components"]["schemas"]["CellRef"]
    cell_ref["properties"]["offset"].pop("minimum", None)
    resources = []
    for name, doc in docs.items():
        resource = Resource.from_contents(doc, default_specification=DRAFT7)
        # The write/trace/executables files refer to "./api/starknet_api_openrpc.json#…".
        resources += [(BASE + name, resource), (BASE + "api/" + name, resource)]
    registry = Registry().with_resources(resources)

    methods = {}
    for name, doc in docs.items():
        for index, method in enumerate(doc["methods"]):
            methods[method["name"]] = (name, index, method)

    def resolve_error(name, ref):
        target, _, pointer = ref.partition("#")
        doc_name = name if not target else target.split("/")[-1]
        node = docs[doc_name]
        for part in pointer.strip("/").split("/"):
            node = node[part]
        return doc_name, node

    failures, validated, methods_seen = [], 0, set()
    for line_number, line in enumerate(pathlib.Path(exchanges).read_text().splitlines(), 1):
        exchange = json.loads(line)
        method = exchange["method"]
        if method not in methods:
            failures.append(f"line {line_number}: {method} is not a spec method")
            continue
        name, index, spec = methods[method]
        methods_seen.add(method)
        if "params" in exchange:
            params = exchange["params"]
            if not isinstance(params.get("subscription_id"), str) or set(params) != {"subscription_id", "result"}:
                failures.append(f"line {line_number}: {method} params are not {{subscription_id, result}}: {list(params)}")
                continue
            position = next(i for i, p in enumerate(spec["params"]) if p["name"] == "result")
            schema = {"$ref": f"{BASE}{name}#/methods/{index}/params/{position}/schema"}
            errors = list(SpecValidator(schema, registry=registry).iter_errors(params["result"]))
            if errors:
                failures.append(f"line {line_number}: {method} notification: {errors[0].message[:300]}")
            validated += 1
            continue
        if "result" in exchange:
            schema = {"$ref": f"{BASE}{name}#/methods/{index}/result/schema"}
            errors = list(SpecValidator(schema, registry=registry).iter_errors(exchange["result"]))
            if errors:
                best = max(errors, key=lambda e: len(list(e.absolute_path)))
                deepest = best
                while deepest.context:
                    deepest = max(deepest.context, key=lambda e: len(list(e.absolute_path)))
                failures.append(
                    f"line {line_number}: {method} result: {deepest.message[:300]} at {list(deepest.absolute_path)}"
                )
        else:
            error = exchange["error"]
            if error["code"] == -32602:
                validated += 1
                continue  # JSON-RPC's own "Invalid params", not a spec error
            allowed = [resolve_error(name, e["$ref"]) for e in spec.get("errors", [])]
            match = [(d, e) for d, e in allowed if e["code"] == error["code"]]
            if not match:
                failures.append(f"line {line_number}: {method} may not answer error {error['code']}")
                continue
            doc_name, definition = match[0]
            if definition["message"] != error["message"]:
                failures.append(f"line {line_number}: {method} error {error['code']} message differs")
            if "data" in definition:
                data_schema = definition["data"]
                if isinstance(data_schema, str):
                    # The write API names the data's JSON type ("string") instead of a schema.
                    data_schema = {"type": data_schema}
                else:
                    key = next(k for k, v in docs[doc_name]["components"]["errors"].items() if v is definition)
                    data_schema = {"$ref": f"{BASE}{doc_name}#/components/errors/{key}/data"}
                errors = list(SpecValidator(data_schema, registry=registry).iter_errors(error.get("data")))
                if errors:
                    failures.append(f"line {line_number}: {method} error data: {errors[0].message}")
        validated += 1
    print(f"validated {validated} responses of {len(methods_seen)} methods; {len(failures)} mismatches")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


sys.exit(main(*sys.argv[1:]))

"""Drives the Python client against a live server for tests/clients.test.ts.

Modes (argv[1]):
  flow    create a checkpoint, print {"created": id}, wait, print {"decision": …, "mismatch": …}
  hashes  read a JSON list from stdin, print the payload_sha256 of each item
  verify  read {"body", "signature", "secret"} from stdin, print the verified body or {"error": …}
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))

from gatehouse import Gatehouse, PayloadMismatchError, payload_sha256, verify_webhook  # noqa: E402


def emit(value):
    print(json.dumps(value), flush=True)


def flow():
    client = Gatehouse(os.environ["GATEHOUSE_URL"], token=os.environ["GATEHOUSE_TOKEN"])
    content = {"ticket": 77, "reply": "Sorry about the delay — here is a 10 € voucher.", "amount": 10.0}
    pending = client.create_checkpoint(
        title="Reply to ticket 77",
        content=content,
        source="python:support",
        schema={"type": "object", "required": ["reply"], "properties": {"reply": {"type": "string"}}},
        idempotency_key="ticket-77",
    )
    again = client.create_checkpoint(title="Reply to ticket 77", content=content, source="python:support",
                                     schema={"type": "object", "required": ["reply"],
                                             "properties": {"reply": {"type": "string"}}},
                                     idempotency_key="ticket-77")
    emit({"created": pending.id, "replayed": again.id == pending.id, "sent": pending.payload_sha256})
    decision = pending.decision(timeout=30)
    try:
        client.wait_for_decision(pending.id, timeout=5, expected_payload_sha256=payload_sha256("something else"))
        mismatch = "accepted"
    except PayloadMismatchError:
        mismatch = "refused"
    emit({"decision": decision, "mismatch": mismatch})


def hashes():
    emit([payload_sha256(item) for item in json.load(sys.stdin)])


def verify():
    given = json.load(sys.stdin)
    try:
        emit({"body": verify_webhook(given["body"].encode("utf-8"), given["signature"], given["secret"])})
    except ValueError as err:
        emit({"error": str(err)})


{"flow": flow, "hashes": hashes, "verify": verify}[sys.argv[1]]()

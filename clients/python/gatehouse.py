"""Gatehouse inbox client (SPEC §9), Python 3.8+ standard library only.

    from gatehouse import Gatehouse

    gatehouse = Gatehouse("http://localhost:3000", token="gh_...")
    pending = gatehouse.create_checkpoint(title="Refund #1042", content={"amount": 129.5})
    decision = pending.decision()   # waits; refuses a decision about other content

Webhooks: ``verify_webhook(raw_body, headers["Gatehouse-Signature"], signing_secret)``.
"""

import hashlib
import hmac
import json
import math
import time
import urllib.error
import urllib.request
import uuid

__all__ = [
    "Gatehouse",
    "GatehouseError",
    "PayloadMismatchError",
    "PendingCheckpoint",
    "canonical_json",
    "payload_sha256",
    "verify_webhook",
]


class GatehouseError(Exception):
    """An error answer from Gatehouse (status, code, message, details) or no answer (status 0)."""

    def __init__(self, status, code, message, details=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details


class PayloadMismatchError(Exception):
    """The decision is about other content than this client sent: never act on it."""

    def __init__(self, expected, received):
        super().__init__(
            "The decision is for content with SHA-256 %s, not the %s this client sent" % (received, expected)
        )
        self.expected = expected
        self.received = received


def _number(value):
    """A number as ECMAScript writes it (RFC 8785 §3.2.2.3)."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        # JSON numbers are doubles: a bigger int is written as the double it becomes
        return str(value) if abs(value) <= 2**53 else _number(float(value))
    if math.isnan(value) or math.isinf(value):
        raise ValueError("NaN and Infinity are not JSON")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that round-trip, as ECMAScript does; only the layout differs
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction.rstrip("0")).lstrip("0") or "0"
    # the decimal point sits after `point` digits: value = 0.digits × 10^point
    point = len(whole.lstrip("0")) if whole.strip("0") else -(len(fraction) - len(fraction.lstrip("0")))
    point += int(exponent or 0)
    k = len(digits)
    if k <= point <= 21:
        return sign + digits + "0" * (point - k)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    e = point - 1
    exp = ("+" if e >= 0 else "-") + str(abs(e))
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + exp


def canonical_json(value):
    """RFC 8785 canonical JSON: keys sorted by UTF-16 code units, no whitespace. What Gatehouse hashes."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value.keys(), key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_json(value[k]) for k in keys) + "}"
    raise TypeError("not JSON: %r" % (value,))


def payload_sha256(content):
    """Hex SHA-256 of content as Gatehouse hashes it: text as UTF-8, a dict as canonical JSON."""
    text = content if isinstance(content, str) else canonical_json(content)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify_webhook(raw_body, signature_header, signing_secret, tolerance_seconds=300, now=None):
    """Checks ``Gatehouse-Signature: t=<unix>,v1=<hex>`` over the raw body bytes and returns the parsed body.

    Raises ValueError when the signature is missing, wrong, or older than ``tolerance_seconds``.
    """
    if isinstance(raw_body, str):
        raw_body = raw_body.encode("utf-8")
    timestamp, signatures = None, []
    for part in (signature_header or "").split(","):
        key, _, val = part.strip().partition("=")
        if key == "t" and val.isdigit():
            timestamp = int(val)
        elif key == "v1" and val:
            signatures.append(val)
    if timestamp is None or not signatures:
        raise ValueError("Gatehouse-Signature is missing or malformed")
    if abs((now if now is not None else time.time()) - timestamp) > tolerance_seconds:
        raise ValueError("Gatehouse-Signature is too old (or from the future): a replay?")
    expected = hmac.new(signing_secret.encode("utf-8"), b"%d." % timestamp + raw_body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise ValueError("Gatehouse-Signature does not match the body")
    return json.loads(raw_body.decode("utf-8"))


class PendingCheckpoint:
    """A checkpoint this client created, with the hash of what it sent."""

    def __init__(self, client, checkpoint, payload_sha256):
        self.client = client
        self.checkpoint = checkpoint
        self.id = checkpoint["id"]
        self.payload_sha256 = payload_sha256

    def decision(self, timeout=None):
        """Waits for the decision (see Gatehouse.wait_for_decision)."""
        return self.client.wait_for_decision(self.id, timeout=timeout, expected_payload_sha256=self.payload_sha256)


class Gatehouse:
    def __init__(self, base_url, token):
        self.base_url = base_url.rstrip("/")
        self.token = token

    def create_checkpoint(self, title, content, idempotency_key=None, **fields):
        """Creates an inbox checkpoint; fields are SPEC §9's (source, metadata, schema, allow,
        timeoutSeconds, onTimeout, callbackUrl, assignee, contentType). A failure without an
        answer, or a 5xx, is retried with the same Idempotency-Key, so it is created once."""
        body = dict(fields, title=title, content=content)
        key = idempotency_key or str(uuid.uuid4())
        answer = self._with_retries(lambda: self._request("POST", "/api/checkpoints", body, {"Idempotency-Key": key}))
        return PendingCheckpoint(self, answer["checkpoint"], payload_sha256(content))

    def get_checkpoint(self, checkpoint_id):
        return self._request("GET", "/api/checkpoints/%s" % _quote(checkpoint_id))["checkpoint"]

    def poll_decision(self, checkpoint_id, wait_seconds=30):
        """One long-poll: {id, status, decision}; decision is None after ``wait_seconds`` (0–60)."""
        path = "/api/checkpoints/%s/decision?wait=%d" % (_quote(checkpoint_id), wait_seconds)
        return self._request("GET", path, timeout=wait_seconds + 30)

    def wait_for_decision(self, checkpoint_id, timeout=None, expected_payload_sha256=None):
        """Long-polls until the checkpoint is decided (or expires: action "timeout") and returns the decision.

        With ``expected_payload_sha256`` a decision about other content raises PayloadMismatchError.
        Raises GatehouseError "wait_timeout" after ``timeout`` seconds, "closed" if it was closed unanswered.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = 30 if deadline is None else math.ceil(deadline - time.monotonic())
            if left <= 0:
                raise GatehouseError(0, "wait_timeout", "No decision on %s in the time allowed" % checkpoint_id)
            answer = self._with_retries(lambda: self.poll_decision(checkpoint_id, min(30, left)))
            decision = answer.get("decision")
            if decision:
                if expected_payload_sha256 and decision["payloadSha256"] != expected_payload_sha256:
                    raise PayloadMismatchError(expected_payload_sha256, decision["payloadSha256"])
                return decision
            if answer["status"] != "pending":
                raise GatehouseError(409, "closed", "Checkpoint %s was closed without a decision" % checkpoint_id)

    def _request(self, method, path, body=None, headers=None, timeout=60):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            try:
                error = json.loads(err.read().decode("utf-8")).get("error", {})
            except ValueError:
                error = {}
            raise GatehouseError(
                err.code,
                error.get("code", "http_error"),
                error.get("message", "%s %s answered %d" % (method, path, err.code)),
                error.get("details"),
            ) from None

    @staticmethod
    def _with_retries(attempt):
        """Retries what may be transient (no answer, 429, 5xx) up to 5 times, backing off from 0.5 s."""
        tries = 0
        while True:
            tries += 1
            try:
                return attempt()
            except GatehouseError as err:
                if (err.status != 429 and err.status < 500) or tries >= 5:
                    raise
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if tries >= 5:
                    raise
            time.sleep(0.5 * 2 ** (tries - 1))


def _quote(text):
    return urllib.request.quote(text, safe="")

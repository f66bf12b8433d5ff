"""The live stack's echo receiver: verifies and logs every webhook the senders POST.

    python webhook_receiver.py PORT

``POST /medusa`` and ``POST /payload`` are checked with ``MEDUSA_WEBHOOK_SECRET`` /
``PAYLOAD_WEBHOOK_SECRET`` (Standard Webhooks, ``whsec_`` or raw, comma-separated) and appended
to ``WEBHOOK_LOG`` as JSON lines (headers, body, whether the signature is valid).

Relay: when the file ``RELAY_FILE`` holds a URL base (e.g. ``http://127.0.0.1:8765/webhooks``),
each delivery is also forwarded unchanged to ``<base>/<source>`` and the sender gets that
answer, so a test can put its own receiver behind the running stack. Stdlib only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LOG = Path(os.environ.get("WEBHOOK_LOG", "/tmp/live-stack/webhooks.jsonl"))
RELAY = Path(os.environ.get("RELAY_FILE", "/tmp/live-stack/relay-target"))
SECRETS = {
    "medusa": os.environ.get("MEDUSA_WEBHOOK_SECRET", ""),
    "payload": os.environ.get("PAYLOAD_WEBHOOK_SECRET", ""),
}


def key_of(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_") :])
    return secret.encode()


def valid(source: str, headers: dict[str, str], body: bytes) -> bool:
    wid, ts, sigs = (headers.get(h, "") for h in ("webhook-id", "webhook-timestamp", "webhook-signature"))
    signed = f"{wid}.{ts}.".encode() + body
    given = {s.split(",", 1)[1] for s in sigs.split() if s.startswith("v1,")}
    for secret in filter(None, (s.strip() for s in SECRETS[source].split(","))):
        mac = base64.b64encode(hmac.new(key_of(secret), signed, hashlib.sha256).digest()).decode()
        if any(hmac.compare_digest(mac, g) for g in given):
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        source = self.path.strip("/").split("/")[-1]
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if source not in SECRETS:
            self.send_response(404)
            self.end_headers()
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = body.decode("utf-8", "replace")
        record = {"source": source, "headers": headers, "body": parsed,
                  "signature_valid": valid(source, headers, body)}
        with LOG.open("a") as log:
            log.write(json.dumps(record) + "\n")
        status = self.relay(source, headers, body) if RELAY.exists() else 204
        self.send_response(status)
        self.end_headers()

    def relay(self, source: str, headers: dict[str, str], body: bytes) -> int:
        base = RELAY.read_text().strip().rstrip("/")
        if not base:
            return 204
        keep = {k: v for k, v in headers.items() if k.startswith("webhook-") or k == "content-type"}
        request = urllib.request.Request(f"{base}/{source}", data=body, headers=keep, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError:
            return 502  # the sender retries

    def log_message(self, format: str, *args: object) -> None:
        return


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9999
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()

"""Nightly reconciliation: repair drift between Medusa and Payload, exit non-zero on errors.

    python examples/reconcile_cron.py                 # against the in-memory fakes (demo)
    MEDUSA_BACKEND_URL=... MEDUSA_API_KEY=sk_... PAYLOAD_CMS_URL=... PAYLOAD_API_KEY=... \\
        python examples/reconcile_cron.py [--dry-run] [--json report.json]

Crontab: ``15 3 * * * cd /srv/shop && .venv/bin/python examples/reconcile_cron.py``
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from medusa_payload import MedusaClient, PayloadClient
from medusa_payload.sync import reconcile
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo


@contextlib.contextmanager
def clients() -> Iterator[tuple[MedusaClient, PayloadClient]]:
    """Real clients when the environment names the servers, else seeded fakes."""
    if os.environ.get("MEDUSA_BACKEND_URL") and os.environ.get("PAYLOAD_CMS_URL"):
        with MedusaClient.from_env() as medusa, PayloadClient.from_env() as payload:
            yield medusa, payload
        return
    fake_medusa, fake_payload = FakeMedusa(), FakePayload()
    seed_demo(fake_medusa, fake_payload)
    with (
        MedusaClient(
            fake_medusa.base_url, api_key=fake_medusa.secret_key, transport=fake_medusa.transport
        ) as medusa,
        PayloadClient(
            fake_payload.base_url, api_key=fake_payload.api_key, transport=fake_payload.transport
        ) as payload,
    ):
        yield medusa, payload


def main() -> int:
    """Reconcile once; print the summary; 0 = fine, 1 = some repairs failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    parser.add_argument("--json", type=Path, help="also write the full report here")
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with clients() as (medusa, payload):
        report = reconcile(medusa, payload, dry_run=args.dry_run, page_size=args.page_size)
    print(report.summary())
    for item in report.items:
        if item.error:
            state = f"FAILED: {item.error}"
        elif item.note:
            state = f"left alone: {item.note}"
        else:
            state = "fixed" if item.applied else "found (dry run)"
        print(
            f"  {item.status:<9} {item.kind:<8} {item.product_id or item.key or ''} "
            f"{item.content_id or ''} {','.join(item.fields)} -> {state}"
        )
    if args.json:
        args.json.write_text(report.to_json())
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())

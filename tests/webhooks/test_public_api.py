"""The public surface of `medusa_payload.webhooks`: the exact ``__all__`` and a docstring on
every public name."""

from __future__ import annotations

import inspect

import medusa_payload.webhooks as webhooks
from medusa_payload.errors import MedusaPayloadError

EXPECTED = {
    # DESIGN.md
    "sign",
    "verify",
    "WebhookReceiver",
    "Receipt",
    # signing helpers
    "sign_headers",
    "generate_secret",
    "VerifiedWebhook",
    # errors
    "WebhookError",
    "WebhookVerificationError",
    "WebhookPayloadError",
    # events and routing
    "MEDUSA_EVENTS",
    "PAYLOAD_COLLECTIONS",
    "MedusaEvent",
    "PayloadEvent",
    "WebhookEvent",
    "parse_event",
    "parse_medusa_event",
    "parse_payload_event",
    "route_event",
    "JobRoute",
    "Ignore",
    "dedup_key",
    # replay
    "ReplayStore",
    "InMemoryReplayStore",
    "RedisReplayStore",
    # audit
    "AuditSink",
    "LoggingAuditSink",
    "PayloadAuditSink",
    "SupportsCreate",
    "WebhookRecord",
    "SyncJobRecord",
    # apps
    "create_asgi_app",
    "create_wsgi_app",
    "WebhookASGIApp",
    "WebhookWSGIApp",
}


def test_all_is_exactly_the_public_surface() -> None:
    assert set(webhooks.__all__) == EXPECTED
    assert len(webhooks.__all__) == len(EXPECTED)
    for name in webhooks.__all__:
        assert hasattr(webhooks, name), name


def test_every_public_name_and_method_has_a_docstring() -> None:
    for name in webhooks.__all__:
        obj = getattr(webhooks, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member):
                    continue
                assert inspect.getdoc(member), f"{name}.{attr}"


def test_errors_join_the_sdk_tree() -> None:
    assert issubclass(webhooks.WebhookVerificationError, MedusaPayloadError)
    assert issubclass(webhooks.WebhookPayloadError, webhooks.WebhookError)


def test_importing_the_package_does_not_import_redis() -> None:
    import subprocess
    import sys

    code = "import sys, medusa_payload.webhooks; print('redis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

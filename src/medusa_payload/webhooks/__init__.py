"""Webhooks in: Standard Webhooks signatures, typed events, the receiver and its HTTP apps.

```python
from medusa_payload.webhooks import WebhookReceiver, create_asgi_app

medusa = WebhookReceiver(queue, "whsec_...", source="medusa")
receipt = await medusa.ahandle(body, headers)      # or medusa.handle(...) in sync code
app = create_asgi_app(medusa, payload_receiver, stats_token="...")
```

The wire format is ``docs/webhook-contract.md``; the guide is ``docs/webhooks.md``.
"""

from ._asgi import WebhookASGIApp, create_asgi_app
from ._audit import (
    AuditSink,
    LoggingAuditSink,
    PayloadAuditSink,
    SupportsCreate,
    SyncJobRecord,
    WebhookRecord,
)
from ._errors import WebhookError, WebhookPayloadError, WebhookVerificationError
from ._events import (
    MEDUSA_EVENTS,
    PAYLOAD_COLLECTIONS,
    MedusaEvent,
    PayloadEvent,
    WebhookEvent,
    parse_event,
    parse_medusa_event,
    parse_payload_event,
)
from ._receipt import Receipt
from ._receiver import WebhookReceiver
from ._replay import InMemoryReplayStore, RedisReplayStore, ReplayStore
from ._routing import Ignore, JobRoute, dedup_key, route_event
from ._signing import VerifiedWebhook, generate_secret, sign, sign_headers, verify
from ._wsgi import WebhookWSGIApp, create_wsgi_app

__all__ = [
    "MEDUSA_EVENTS",
    "PAYLOAD_COLLECTIONS",
    "AuditSink",
    "Ignore",
    "InMemoryReplayStore",
    "JobRoute",
    "LoggingAuditSink",
    "MedusaEvent",
    "PayloadAuditSink",
    "PayloadEvent",
    "Receipt",
    "RedisReplayStore",
    "ReplayStore",
    "SupportsCreate",
    "SyncJobRecord",
    "VerifiedWebhook",
    "WebhookASGIApp",
    "WebhookError",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookReceiver",
    "WebhookRecord",
    "WebhookVerificationError",
    "WebhookWSGIApp",
    "create_asgi_app",
    "create_wsgi_app",
    "dedup_key",
    "generate_secret",
    "parse_event",
    "parse_medusa_event",
    "parse_payload_event",
    "route_event",
    "sign",
    "sign_headers",
    "verify",
]

"""Errors of the webhook package (defined in `medusa_payload.errors`, the one tree).

`WebhookReceiver` never lets these escape: it turns them into a `Receipt` with the same status
and reason. `verify` and the ``parse_*`` functions raise them for callers that use the steps
on their own. A reason never contains a secret or the body.
"""

from medusa_payload.errors import WebhookError, WebhookPayloadError, WebhookVerificationError

__all__ = ["WebhookError", "WebhookPayloadError", "WebhookVerificationError"]

"""medusa_payload: a typed Python SDK for Medusa v2 commerce beside Payload CMS v3.

```python
from medusa_payload import MedusaClient, PayloadClient, Where

with MedusaClient.from_env() as medusa, PayloadClient.from_env() as payload:
    product = medusa.store.products.retrieve_by_handle("live-tee")
    content = payload.find("product-content", where=Where.equals("medusaProductId", product.id))
```

Sub-packages: `medusa_payload.medusa`, `.payload`, `.unified`, `.sync`, `.queue`, `.webhooks`,
`.testing`; every exception class of `medusa_payload.errors` is re-exported here.
"""

from ._config import RetryConfig, Settings
from ._core._raw import RawResponse
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DeadlineExceededError,
    InternalServerError,
    InvalidArgumentError,
    InvalidPathSegmentError,
    LeaseLost,
    MedusaPayloadError,
    MissingCredentialsError,
    NotFoundError,
    PartialFailureError,
    PermissionDeniedError,
    QueueError,
    RateLimitError,
    ResponseTooLargeError,
    UnprocessableEntityError,
    Unrecoverable,
    WebhookError,
    WebhookPayloadError,
    WebhookVerificationError,
)
from .medusa import AsyncMedusaClient, MedusaClient
from .payload import AsyncPayloadClient, PayloadClient, Where
from .unified import AsyncUnifiedClient, TenantRoute, UnifiedClient


def _log_from_env() -> None:
    """``MEDUSA_PAYLOAD_LOG=debug|info`` switches logging on without code (read via Settings)."""
    import warnings

    try:
        level = Settings.log_from_env()
    except ConfigurationError as exc:
        warnings.warn(str(exc), stacklevel=2)
        return
    if level is not None:
        from .observability import configure_logging

        configure_logging(level)


_log_from_env()

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncMedusaClient",
    "AsyncPayloadClient",
    "AsyncUnifiedClient",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DeadlineExceededError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidPathSegmentError",
    "LeaseLost",
    "MedusaClient",
    "MedusaPayloadError",
    "MissingCredentialsError",
    "NotFoundError",
    "PartialFailureError",
    "PayloadClient",
    "PermissionDeniedError",
    "QueueError",
    "RateLimitError",
    "RawResponse",
    "ResponseTooLargeError",
    "RetryConfig",
    "Settings",
    "TenantRoute",
    "UnifiedClient",
    "UnprocessableEntityError",
    "Unrecoverable",
    "WebhookError",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "Where",
    "__version__",
]

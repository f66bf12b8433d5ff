"""medusa_payload: a typed Python SDK for Medusa v2 commerce beside Payload CMS v3.

```python
from medusa_payload import MedusaClient, PayloadClient, Where

with MedusaClient.from_env() as medusa, PayloadClient.from_env() as payload:
    product = medusa.store.products.retrieve_by_handle("t-shirt")
    content = payload.find("product-content", where=Where.equals("medusaProductId", product.id))
```

Sub-packages: `medusa_payload.medusa`, `.payload`, `.unified`, `.sync`, `.queue`, `.webhooks`,
`.testing`; every exception is in `medusa_payload.errors` (the common ones are re-exported here).
"""

from ._config import RetryConfig, Settings
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    MedusaPayloadError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from .medusa import AsyncMedusaClient, MedusaClient
from .payload import AsyncPayloadClient, PayloadClient, Where
from .unified import AsyncUnifiedClient, UnifiedClient


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
    "APIStatusError",
    "APITimeoutError",
    "AsyncMedusaClient",
    "AsyncPayloadClient",
    "AsyncUnifiedClient",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "MedusaClient",
    "MedusaPayloadError",
    "NotFoundError",
    "PayloadClient",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryConfig",
    "Settings",
    "UnifiedClient",
    "Where",
    "__version__",
]

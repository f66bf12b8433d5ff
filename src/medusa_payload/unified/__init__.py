"""Merged reads for storefronts: `UnifiedClient` / `AsyncUnifiedClient` and their models.

```python
from medusa_payload.unified import UnifiedClient

with UnifiedClient.from_env() as shop:
    product = shop.get_product("t-shirt", region_id="reg_...")   # Medusa + Payload, cached
```
"""

from ._async.client import AsyncUnifiedClient, AsyncUnifiedProductPage
from ._bus import Bus, BusMessageError, InMemoryBus, Publisher
from ._cache import CacheConfig, CacheStats
from ._changes import Invalidation
from ._redis_bus import RedisBus
from ._revalidate import HttpRevalidator, RevalidationError
from ._sync.client import UnifiedClient, UnifiedProductPage
from ._tenants import TenantRoute
from .models import ContentStatus, Page, StoreBranding, UnifiedProduct

__all__ = [
    "AsyncUnifiedClient",
    "AsyncUnifiedProductPage",
    "Bus",
    "BusMessageError",
    "CacheConfig",
    "CacheStats",
    "ContentStatus",
    "HttpRevalidator",
    "InMemoryBus",
    "Invalidation",
    "Page",
    "Publisher",
    "RedisBus",
    "RevalidationError",
    "StoreBranding",
    "TenantRoute",
    "UnifiedClient",
    "UnifiedProduct",
    "UnifiedProductPage",
]

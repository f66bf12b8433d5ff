"""Merged reads for storefronts: `UnifiedClient` / `AsyncUnifiedClient` and their models.

```python
from medusa_payload.unified import UnifiedClient

with UnifiedClient.from_env() as shop:
    product = shop.get_product("live-tee", region_id="reg_...")   # Medusa + Payload, cached
```

A CMS page is a `CmsPage` (its old name ``Page`` still works for one release, with a
`DeprecationWarning`: it read as `medusa_payload.pagination.Page`, a page of results).
"""

from .._compat import renamed as _renamed
from ._async.client import AsyncUnifiedClient, AsyncUnifiedProductPage
from ._bus import Bus, BusMessageError, InMemoryBus, Publisher
from ._cache import CacheConfig, CacheStats
from ._cart_models import UnifiedCart, UnifiedLineItem
from ._changes import Invalidation
from ._redis_bus import RedisBus
from ._revalidate import HttpRevalidator, RevalidationError
from ._shared import RedisSharedCache
from ._sync.client import UnifiedClient, UnifiedProductPage
from ._tenants import TenantRoute
from .models import CmsPage, ContentStatus, StoreBranding, UnifiedProduct

__all__ = [
    "AsyncUnifiedClient",
    "AsyncUnifiedProductPage",
    "Bus",
    "BusMessageError",
    "CacheConfig",
    "CacheStats",
    "CmsPage",
    "ContentStatus",
    "HttpRevalidator",
    "InMemoryBus",
    "Invalidation",
    "Publisher",
    "RedisBus",
    "RedisSharedCache",
    "RevalidationError",
    "StoreBranding",
    "TenantRoute",
    "UnifiedCart",
    "UnifiedClient",
    "UnifiedLineItem",
    "UnifiedProduct",
    "UnifiedProductPage",
]


def __getattr__(name: str) -> object:
    """``Page``: the old name of `CmsPage` (kept one release, with a DeprecationWarning)."""
    return _renamed(__name__, name, {"Page": ("CmsPage", CmsPage)})

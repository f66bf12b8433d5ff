"""Merged reads for storefronts: `UnifiedClient` / `AsyncUnifiedClient` and their models.

```python
from medusa_payload.unified import UnifiedClient

with UnifiedClient.from_env() as shop:
    product = shop.get_product("live-tee", region_id="reg_...")   # Medusa + Payload, cached
```
"""

from ._async.client import AsyncUnifiedClient, AsyncUnifiedProductPage
from ._cache import CacheConfig, CacheStats
from ._sync.client import UnifiedClient, UnifiedProductPage
from .models import ContentStatus, Page, StoreBranding, UnifiedProduct

__all__ = [
    "AsyncUnifiedClient",
    "AsyncUnifiedProductPage",
    "CacheConfig",
    "CacheStats",
    "ContentStatus",
    "Page",
    "StoreBranding",
    "UnifiedClient",
    "UnifiedProduct",
    "UnifiedProductPage",
]

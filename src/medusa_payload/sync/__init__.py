"""The two-way sync engine: pure plans, appliers, reconciliation, worker handlers.

```python
from medusa_payload.sync import plan_product_to_content, sync_product_to_payload, reconcile

result = sync_product_to_payload("prod_1", medusa=medusa, payload=payload)   # SyncResult
report = reconcile(medusa, payload, dry_run=True)                            # ReconcileReport
worker = Worker(queue, job_handlers(medusa, payload))
```

The rule: Medusa owns handle, title, plain description, variants, prices, images, status;
Payload owns richDescription, features, specs, seo, pages and store branding. Every step is
plan then apply, so a second run, or our own write coming back as an event, plans nothing.
"""

from ._api import (
    make_engine,
    reconcile,
    sync_content_to_medusa,
    sync_order_audit,
    sync_page_to_medusa,
    sync_product_deleted,
    sync_product_to_payload,
    sync_store_to_medusa,
    sync_tenant_to_payload,
    sync_vendor_to_payload,
)
from ._async.engine import AsyncSyncEngine
from ._async.watch import AsyncWatcher
from ._config import BrandingTarget, SyncConfig
from ._handlers import job_handlers
from ._model import DocPatch, MetadataOwner, MetadataPatch, SyncResult
from ._report import ReconcileItem, ReconcileReport
from ._sync.engine import SyncEngine
from ._sync.watch import Watcher
from ._watch_api import watch
from ._watch_plan import WatchJob, WatchReport
from ._watch_state import FileWatchState, MemoryWatchState, WatchState, WatchStateStore
from .plans import (
    CONTENT_KEYS,
    TenantRecord,
    VendorRecord,
    apply_doc_patch,
    apply_metadata_patch,
    canonical_hash,
    content_metadata,
    plan_content_to_metadata,
    plan_order_audit,
    plan_page_to_metadata,
    plan_product_deleted,
    plan_product_to_content,
    plan_store_to_metadata,
    plan_tenant_to_payload,
    plan_vendor_to_payload,
)

__all__ = [
    "CONTENT_KEYS",
    "AsyncSyncEngine",
    "AsyncWatcher",
    "BrandingTarget",
    "DocPatch",
    "FileWatchState",
    "MemoryWatchState",
    "MetadataOwner",
    "MetadataPatch",
    "ReconcileItem",
    "ReconcileReport",
    "SyncConfig",
    "SyncEngine",
    "SyncResult",
    "TenantRecord",
    "VendorRecord",
    "WatchJob",
    "WatchReport",
    "WatchState",
    "WatchStateStore",
    "Watcher",
    "apply_doc_patch",
    "apply_metadata_patch",
    "canonical_hash",
    "content_metadata",
    "job_handlers",
    "make_engine",
    "plan_content_to_metadata",
    "plan_order_audit",
    "plan_page_to_metadata",
    "plan_product_deleted",
    "plan_product_to_content",
    "plan_store_to_metadata",
    "plan_tenant_to_payload",
    "plan_vendor_to_payload",
    "reconcile",
    "sync_content_to_medusa",
    "sync_order_audit",
    "sync_page_to_medusa",
    "sync_product_deleted",
    "sync_product_to_payload",
    "sync_store_to_medusa",
    "sync_tenant_to_payload",
    "sync_vendor_to_payload",
    "watch",
]

"""`AsyncSyncEngine`: fetch current state, plan, apply, for every pair of the sync model.

The blocking `SyncEngine` is generated from this file by ``scripts/gen_sync.py``. Every method
reports progress 10 -> 30 -> 50 -> 90 -> 100 (fetched source, fetched target, planned,
applied, done), as the system this replaces did.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal

from ..._core._http import api_request, encode_path
from ...errors import BadRequestError, NotFoundError, Unrecoverable
from ...medusa._async.client import AsyncMedusaClient
from ...medusa.models import Product
from ...observability import _instruments, _spans
from ...payload._async.client import AsyncPayloadClient
from ...payload.models import CmsPage, Document, ProductContent, Store
from ...payload.where import Where
from .._classify import released_handle
from .._config import DEFAULT_CONFIG, SyncConfig
from .._job_table import job_call
from .._locales import localized_entries
from .._matching import pick_content
from .._model import Action, DocPatch, MetadataOwner, MetadataPatch, SyncResult
from .._report import ReconcileReport
from ..plans import (
    TenantRecord,
    VendorRecord,
    plan_content_to_metadata,
    plan_order_audit,
    plan_page_to_metadata,
    plan_product_deleted,
    plan_product_to_content,
    plan_store_to_metadata,
    plan_tenant_to_payload,
    plan_vendor_to_payload,
)
from .reconcile import reconcile as _reconcile

__all__ = ["AsyncSyncEngine"]

logger = logging.getLogger("medusa_payload.sync")

Progress = Callable[[int], object] | None
Record = Mapping[str, object]
"""A vendor or tenant record as the webhook or a source gives it (JSON object)."""
RecordSource = Callable[[str], Awaitable[Record | None] | Record | None]
"""Fetches a record by id; ``None`` when there is none. `AsyncSyncEngine` also takes an async
function; `SyncEngine` takes a plain one."""
PRODUCT_FIELDS = "id,handle,title,description,status,metadata"


def _report(on_progress: Progress, percent: int) -> None:
    if on_progress is not None:
        on_progress(percent)


class AsyncSyncEngine:
    """The appliers of the sync model, bound to a pair of clients.

    ```python
    engine = AsyncSyncEngine(medusa, payload)
    result = await engine.product_to_payload("prod_1")   # SyncResult(action="created", ...)
    report = await engine.reconcile(dry_run=True)          # ReconcileReport
    ```

    The class carries the flavour: `AsyncSyncEngine` takes the async clients and its methods
    are awaited; `SyncEngine` takes the blocking clients. The module functions
    (``sync_product_to_payload(...)``, ``reconcile(...)``) are shorthands for one call.

    Args:
        medusa: an admin-capable Medusa client (secret key or token).
        payload: a Payload client whose user may write the collections (the sync user).
        config: collections, metadata keys, branding target (`SyncConfig`).
        vendor_source: fetches a vendor record by id, for shops whose Medusa has a vendor
            module. Default: the record in the job data, else ``GET /admin/vendors/{id}``.
        tenant_source: the same for tenants (default ``GET /admin/tenants/{id}``).
    """

    def __init__(
        self,
        medusa: AsyncMedusaClient,
        payload: AsyncPayloadClient,
        *,
        config: SyncConfig = DEFAULT_CONFIG,
        vendor_source: RecordSource | None = None,
        tenant_source: RecordSource | None = None,
    ) -> None:
        self.medusa = medusa
        self.payload = payload
        self.config = config
        self.vendor_source = vendor_source
        self.tenant_source = tenant_source
        self._store_record_id: str | None = None

    # ---------------------------------------------------------------- jobs, reconciliation
    async def run_job(
        self, name: str, data: Mapping[str, object], *, on_progress: Progress = None
    ) -> SyncResult:
        """Run the applier of sync job ``name`` (see `medusa_payload._jobs`) with its data.

        Raises:
            Unrecoverable: the job data lacks a required id.
            KeyError: ``name`` is not a sync job.
        """
        method, args, kwargs = job_call(name, data)
        with _spans.ACTIVE.span("sync.job", {"sync.job": method}):
            run = getattr(self, method)
            result: SyncResult = await run(*args, on_progress=on_progress, **kwargs)
        _instruments.ACTIVE.sync_result(result.job, result.action)
        return result

    async def reconcile(
        self,
        *,
        dry_run: bool = False,
        scope: Sequence[str] = ("products", "stores", "pages"),
        page_size: int = 100,
        on_progress: Progress = None,
    ) -> ReconcileReport:
        """Walk both sides, classify every pair, repair what differs (unless ``dry_run``).

        Args:
            dry_run: classify and report only; write nothing.
            scope: ``"products"`` (products <-> product-content), ``"stores"`` and ``"pages"``
                (branding and page index in the owner's metadata).
            page_size: items per request on both sides.
            on_progress: called with 0-100.

        Returns:
            A `ReconcileReport` (``report.to_json()``, ``report.summary()``).
        """
        return await _reconcile(
            self, dry_run=dry_run, scope=scope, page_size=page_size, on_progress=on_progress
        )

    # ---------------------------------------------------------------- products -> content
    async def product_to_payload(
        self, product_id: str, *, on_progress: Progress = None
    ) -> SyncResult:
        """Upsert the product's content doc (Medusa-owned fields only; new docs are drafts)."""
        job = "product_to_payload"
        _report(on_progress, 10)
        try:
            product = await self.medusa.admin.products.retrieve(product_id, fields=PRODUCT_FIELDS)
        except NotFoundError:
            _report(on_progress, 100)
            return SyncResult(job, product_id, "skipped", reason="product not found (deleted?)")
        _report(on_progress, 30)
        content = await self._content_for(product)
        _report(on_progress, 50)
        patch = plan_product_to_content(product, content, config=self.config)
        _report(on_progress, 90)
        result = await self._apply_doc(job, product_id, patch)
        _report(on_progress, 100)
        return result

    async def product_deleted(self, product_id: str, *, on_progress: Progress = None) -> SyncResult:
        """Archive the content of a deleted product (never delete editors' copy)."""
        job = "product_deleted"
        _report(on_progress, 10)
        page = await self.payload.find(
            self.config.content_collection,
            where=Where.equals("medusaProductId", product_id),
            limit=1,
            model=ProductContent,
        )
        _report(on_progress, 50)
        patch = plan_product_deleted(page.items[0] if page.items else None, config=self.config)
        _report(on_progress, 90)
        result = await self._apply_doc(job, product_id, patch, action="archived")
        _report(on_progress, 100)
        return result

    async def _content_for(self, product: Product) -> ProductContent | None:
        where = Where.equals("medusaProductId", product.id)
        if product.handle:
            where = where | Where.equals("handle", product.handle)
        page = await self.payload.find(
            self.config.content_collection, where=where, limit=10, model=ProductContent
        )
        content, conflict = pick_content(page.items, product)
        if conflict is None:
            return content
        holder = next(d for d in page.items if d.handle == product.handle)
        if not holder.archived:
            raise Unrecoverable(conflict)
        # Content of a deleted product holds the handle: it gives it up (as reconcile does),
        # keeping editors' copy, and the product gets its own doc.
        released = released_handle(holder)
        collection = self.config.content_collection
        await self.payload.update_by_id(collection, holder.id, {"handle": released})
        logger.info(
            "handle %r of archived content %s released for product %s (now %r)",
            product.handle,
            holder.id,
            product.id,
            released,
        )
        return None

    # ---------------------------------------------------------------- content -> product metadata
    async def content_to_medusa(
        self,
        content_id: int | str,
        *,
        medusa_product_id: str | None = None,
        on_progress: Progress = None,
    ) -> SyncResult:
        """Published content -> its product's metadata; unpublished or deleted -> removed.

        ``medusa_product_id`` names the product when the content doc is already gone (a
        delete event carries it)."""
        job = "content_to_medusa"
        source = str(content_id)
        _report(on_progress, 10)
        content: ProductContent | None
        try:
            content = await self.payload.find_by_id(
                self.config.content_collection, content_id, model=ProductContent
            )
        except NotFoundError:
            content = None
        product_id = (content.medusa_product_id if content else None) or medusa_product_id
        if not product_id and content is not None and content.handle:
            found = await self.medusa.admin.products.list(
                handle=content.handle, fields="id", limit=1
            )
            product_id = found.items[0].id if found.items else None
        if not product_id:
            _report(on_progress, 100)
            return SyncResult(job, source, "skipped", reason="no Medusa product for this content")
        _report(on_progress, 30)
        try:
            product = await self.medusa.admin.products.retrieve(product_id, fields="id,metadata")
        except NotFoundError:
            _report(on_progress, 100)
            return SyncResult(job, source, "skipped", reason=f"product {product_id} not found")
        _report(on_progress, 50)
        localized = await self._localized(content) if content is not None else None
        patch = plan_content_to_metadata(content, product.id, product.metadata, localized)
        _report(on_progress, 90)
        result = await self._apply_metadata(job, source, patch)
        _report(on_progress, 100)
        return result

    async def _localized(self, content: ProductContent) -> dict[str, dict[str, Any]] | None:
        """The doc's per-locale metadata entries (one ``locale=all`` read; ``None`` without
        ``config.locales``)."""
        default = self.config.source_locale
        if default is None:
            return None
        doc = await self.payload.find_by_id(
            self.config.content_collection, content.id, locale="all", depth=0
        )
        return localized_entries(doc.model_dump(by_alias=True), self.config.locales, default)

    # ---------------------------------------------------------------- stores, pages -> owner
    async def store_to_medusa(
        self, store_id: int | str, *, on_progress: Progress = None
    ) -> SyncResult:
        """A Payload store's branding -> metadata of its owner (sales channel or store record)."""
        job = "store_to_medusa"
        _report(on_progress, 10)
        try:
            store = await self.payload.find_by_id(
                self.config.stores_collection, store_id, model=Store
            )
        except NotFoundError:
            _report(on_progress, 100)
            return SyncResult(job, str(store_id), "skipped", reason="store not found (deleted?)")
        _report(on_progress, 30)
        owner = await self._owner_of(store)
        current = await self._owner_metadata(owner)
        _report(on_progress, 50)
        patch = plan_store_to_metadata(
            store, owner, current.get(self.config.cms_key), config=self.config
        )
        _report(on_progress, 90)
        result = await self._apply_metadata(job, str(store_id), patch)
        _report(on_progress, 100)
        return result

    async def page_to_medusa(
        self, page_id: int | str, *, on_progress: Progress = None
    ) -> SyncResult:
        """A published page -> an index entry in its owner's metadata; unpublished -> removed."""
        job = "page_to_medusa"
        _report(on_progress, 10)
        try:
            page = await self.payload.find_by_id(
                self.config.pages_collection, page_id, depth=1, model=CmsPage
            )
        except NotFoundError:
            _report(on_progress, 100)
            return SyncResult(job, str(page_id), "skipped", reason="page not found (deleted?)")
        _report(on_progress, 30)
        store = page.store if isinstance(page.store, Store) else None
        owner = await self._owner_of(store)
        current = await self._owner_metadata(owner)
        _report(on_progress, 50)
        patch = plan_page_to_metadata(
            page, owner, current.get(self.config.cms_key), config=self.config
        )
        _report(on_progress, 90)
        result = await self._apply_metadata(job, str(page_id), patch)
        _report(on_progress, 100)
        return result

    async def _owner_of(self, store: Store | None) -> MetadataOwner:
        target = self.config.branding_target
        channel = store.sales_channel_id if store is not None else None
        if channel and target in ("auto", "sales_channel"):
            return MetadataOwner("sales_channel", channel)
        if target == "sales_channel":
            raise Unrecoverable(
                "branding_target='sales_channel' but the store names no salesChannelId"
            )
        if self._store_record_id is None:
            stores = await self.medusa.admin.stores.list(fields="id")
            if not stores.items:
                raise Unrecoverable("Medusa has no store record to hold CMS metadata")
            self._store_record_id = stores.items[0].id
        return MetadataOwner("store", self._store_record_id)

    async def _owner_metadata(self, owner: MetadataOwner) -> Mapping[str, Any]:
        if owner.kind == "sales_channel":
            channel = await self.medusa.admin.sales_channels.retrieve(
                owner.id, fields="id,metadata"
            )
            return channel.metadata or {}
        if owner.kind == "store":
            record = await self.medusa.admin.stores.retrieve(owner.id, fields="id,metadata")
            return record.metadata or {}
        product = await self.medusa.admin.products.retrieve(owner.id, fields="id,metadata")
        return product.metadata or {}

    # ---------------------------------------------------------------- vendors, tenants, orders
    async def vendor_to_payload(
        self,
        vendor_id: str,
        *,
        record: Record | None = None,
        on_progress: Progress = None,
    ) -> SyncResult:
        """Upsert the ``vendors`` doc from the vendor record (job data or ``vendor_source``)."""

        def plan(data: Mapping[str, object], doc: Mapping[str, object] | None) -> DocPatch | None:
            vendor = VendorRecord.from_mapping(data)
            return plan_vendor_to_payload(vendor, doc, config=self.config)

        return await self._record_to_payload("vendor", vendor_id, record, plan, on_progress)

    async def tenant_to_payload(
        self,
        tenant_id: str,
        *,
        record: Record | None = None,
        on_progress: Progress = None,
    ) -> SyncResult:
        """Upsert the ``tenants`` doc from the tenant record (job data or ``tenant_source``)."""

        def plan(data: Mapping[str, object], doc: Mapping[str, object] | None) -> DocPatch | None:
            tenant = TenantRecord.from_mapping(data)
            return plan_tenant_to_payload(tenant, doc, config=self.config)

        return await self._record_to_payload("tenant", tenant_id, record, plan, on_progress)

    async def _record_to_payload(
        self,
        kind: Literal["vendor", "tenant"],
        record_id: str,
        given: Record | None,
        plan: Callable[[Mapping[str, object], Mapping[str, object] | None], DocPatch | None],
        on_progress: Progress,
    ) -> SyncResult:
        """Fetch the record, find its doc by ``medusa<Kind>Id``, plan, apply."""
        _report(on_progress, 10)
        source = self.vendor_source if kind == "vendor" else self.tenant_source
        data = await self._record(kind, record_id, given, source)
        _report(on_progress, 30)
        collection = (
            self.config.vendors_collection if kind == "vendor" else self.config.tenants_collection
        )
        doc = await self._doc_by(collection, f"medusa{kind.title()}Id", record_id)
        _report(on_progress, 50)
        patch = plan(data, doc)
        _report(on_progress, 90)
        result = await self._apply_doc(f"{kind}_to_payload", record_id, patch)
        _report(on_progress, 100)
        return result

    async def order_audit(
        self, order_id: str, event: str, *, on_progress: Progress = None
    ) -> SyncResult:
        """Append the ``order-audit`` record of (order, event), once."""
        job = "order_audit"
        _report(on_progress, 10)
        order = await self.medusa.admin.orders.retrieve(
            order_id, fields="id,display_id,status,email,currency_code,total,*items"
        )
        _report(on_progress, 30)
        existing = await self._doc_by(
            self.config.order_audit_collection, "key", f"{order_id}:{event}"
        )
        _report(on_progress, 50)
        patch = plan_order_audit(order, event, existing, config=self.config)
        _report(on_progress, 90)
        try:
            result = await self._apply_doc(job, order_id, patch, action="appended")
        except BadRequestError as exc:
            if not any(f.path == "key" for f in exc.field_errors):
                raise
            # A concurrent run appended it first: the record exists, which is the goal.
            result = SyncResult(job, order_id, "no_change", reason="appended concurrently")
        _report(on_progress, 100)
        return result

    async def _record(
        self,
        kind: str,
        record_id: str,
        given: Record | None,
        source: RecordSource | None,
    ) -> Mapping[str, Any]:
        if given is not None and set(given) - {"id"}:
            return {**given, "id": record_id}
        if source is not None:
            found = source(record_id)
            if inspect.isawaitable(found):
                found = await found
            if not isinstance(found, Mapping):
                raise Unrecoverable(f"{kind} {record_id} not found by its source")
            return {**found, "id": record_id}
        path = encode_path(f"/admin/{kind}s/{{}}", record_id)
        try:
            response = await self.medusa.send_request(api_request("GET", path, {}))
        except NotFoundError:
            raise Unrecoverable(
                f"no {kind} {record_id}: Medusa has no {kind} route; pass {kind}_source= or "
                f"send the {kind} record in the webhook data"
            ) from None
        found = response.require(kind)
        return {**found, "id": record_id}

    async def _doc_by(self, collection: str, field: str, value: str) -> dict[str, Any] | None:
        page = await self.payload.find(
            collection, where=Where.equals(field, value), limit=1, model=Document
        )
        if not page.items:
            return None
        return page.items[0].model_dump(by_alias=True, exclude={"draft_status"})

    # ---------------------------------------------------------------- applying
    async def _apply_doc(
        self, job: str, source_id: str, patch: DocPatch | None, *, action: Action | None = None
    ) -> SyncResult:
        if patch is None:
            return SyncResult(job, source_id, "no_change")
        with _spans.ACTIVE.span("sync.apply", {"sync.job": job}):
            return await self._write_doc(job, source_id, patch, action)

    async def _write_doc(
        self, job: str, source_id: str, patch: DocPatch, action: Action | None
    ) -> SyncResult:
        fields = tuple(sorted(patch.data))
        if patch.creates:
            doc = await self.payload.create(patch.collection, patch.data, depth=0)
            return SyncResult(
                job,
                source_id,
                action or "created",
                f"{patch.collection}/{doc.id}",
                fields,
            )
        assert patch.doc_id is not None
        # depth=0: only the id of the answer is used, so Payload need not populate relations
        await self.payload.update_by_id(patch.collection, patch.doc_id, patch.data, depth=0)
        return SyncResult(
            job,
            source_id,
            action or "updated",
            f"{patch.collection}/{patch.doc_id}",
            fields,
        )

    async def _apply_metadata(
        self, job: str, source_id: str, patch: MetadataPatch | None
    ) -> SyncResult:
        if patch is None:
            return SyncResult(job, source_id, "no_change")
        owner = patch.owner
        admin = self.medusa.admin
        with _spans.ACTIVE.span("sync.apply", {"sync.job": job}):
            if owner.kind == "product":
                # fields=id: the answer is not used, so Medusa need not load the whole product
                await admin.products.update_metadata(
                    owner.id, patch.set, delete=patch.delete, fields="id"
                )
            elif owner.kind == "sales_channel":
                resource = admin.sales_channels
                await resource.update_metadata(owner.id, patch.set, delete=patch.delete)
            else:
                await admin.stores.update_metadata(owner.id, patch.set, delete=patch.delete)
        action: Action = "metadata_set" if patch.set else "metadata_removed"
        keys = tuple(sorted(patch.set)) + tuple(sorted(patch.delete))
        return SyncResult(job, source_id, action, f"{owner.kind}/{owner.id}", keys)

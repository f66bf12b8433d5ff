"""`reconcile`: walk both sides page by page, classify every pair, apply the same plans.

Memory stays bounded: Medusa products are streamed first and only ``id -> (handle, hashes)``
is kept; then content docs are streamed and compared one page at a time. Reads are
``ceil(products / page_size) + ceil(docs / page_size)`` plus one batched read per page that
holds drift in Medusa-owned fields and one per page of products with no content; writes happen
only for what differs. The blocking twin is generated from this file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ...errors import APIError, MedusaPayloadError
from ...medusa.models import Product
from ...payload.models import CmsPage, ProductContent, Store
from ...payload.where import Where
from .._classify import Mark, Verdict, classify
from .._locales import localized_entries
from .._model import DocPatch, MetadataOwner, MetadataPatch
from .._report import ReconcileItem, ReconcileReport
from ..plans import (
    apply_metadata_patch,
    is_live,
    page_key,
    plan_page_to_metadata,
    plan_product_to_content,
    plan_store_to_metadata,
)

if TYPE_CHECKING:
    from .engine import AsyncSyncEngine

__all__ = ["reconcile"]

PRODUCT_FIELDS = "id,handle,title,description,metadata"
Scope = Sequence[str]


async def reconcile(
    engine: AsyncSyncEngine,
    *,
    dry_run: bool = False,
    scope: Scope = ("products", "stores", "pages"),
    page_size: int = 100,
    on_progress: Callable[[int], object] | None = None,
) -> ReconcileReport:
    """Compare Medusa and Payload through ``engine`` and repair what differs (unless
    ``dry_run``): `AsyncSyncEngine.reconcile` documents the arguments."""
    started = time.perf_counter()
    report = ReconcileReport(dry_run=dry_run)
    progress = on_progress or (lambda _: None)
    progress(0)
    if "products" in scope:
        await _products(engine, report, page_size, progress)
    progress(80)
    if "stores" in scope or "pages" in scope:
        await _branding(engine, report, page_size, scope)
    report.seconds = time.perf_counter() - started
    progress(100)
    return report


# ---------------------------------------------------------------- products <-> content
async def _products(
    engine: AsyncSyncEngine,
    report: ReconcileReport,
    page_size: int,
    progress: Callable[[int], object],
) -> None:
    medusa, payload, config = engine.medusa, engine.payload, engine.config
    marks: dict[str, Mark] = {}
    by_handle: dict[str, str] = {}
    page = await medusa.admin.products.list(limit=page_size, fields=PRODUCT_FIELDS, order="id")
    while True:
        report.reads += 1
        for product in page.items:
            marks[product.id] = Mark.of(product)
            if product.handle:
                by_handle[product.handle] = product.id
        if page.count:
            progress(min(40, 40 * len(marks) // page.count))
        next_page = await page.next_page()
        if next_page is None:
            break
        page = next_page
    report.products = len(marks)

    docs = await payload.find(
        config.content_collection, limit=page_size, sort="id", model=ProductContent
    )
    while True:
        report.reads += 1
        report.contents += len(docs.items)
        stale: dict[str, ProductContent] = {}
        localized = await _localized_page(engine, report, docs.items)
        for doc in docs.items:
            verdict = classify(
                doc, marks, by_handle, config=config, localized=localized.get(str(doc.id))
            )
            if verdict.product_id is not None and verdict.status in ("in_sync", "drifted"):
                marks[verdict.product_id].seen = True
            if verdict.owned_stale and verdict.product_id is not None:
                stale[verdict.product_id] = doc
            await _pair(engine, report, doc, verdict)
        if stale:
            report.reads += 1
            fetched = await medusa.admin.products.list(
                id=list(stale), fields=PRODUCT_FIELDS, limit=len(stale)
            )
            for product in fetched.items:
                await _repair_owned(engine, report, product, stale[product.id])
        if docs.count:
            progress(40 + min(30, 30 * report.contents // docs.count))
        next_docs = await docs.next_page()
        if next_docs is None:
            break
        docs = next_docs

    unseen = [pid for pid, mark in marks.items() if not mark.seen]
    for chunk in _chunks(unseen, page_size):
        report.reads += 1
        fetched = await medusa.admin.products.list(
            id=chunk, fields=PRODUCT_FIELDS, limit=len(chunk)
        )
        for product in fetched.items:
            patch = plan_product_to_content(product, None, config=config)
            item = ReconcileItem("product", "missing", product_id=product.id, fields=_fields(patch))
            await _write(engine, report, item, patch)
    progress(80)


async def _localized_page(
    engine: AsyncSyncEngine, report: ReconcileReport, docs: Sequence[ProductContent]
) -> dict[str, dict[str, Any]]:
    """Per-locale metadata entries of a page of docs (one ``locale=all`` read; none without
    ``config.locales``): every configured locale is reconciled, drift named per locale key."""
    config = engine.config
    default = config.source_locale
    if default is None or not docs:
        return {}
    report.reads += 1
    found = await engine.payload.find(
        config.content_collection,
        where=Where.in_("id", [d.id for d in docs]),
        locale="all",
        depth=0,
        pagination=False,
    )
    return {
        str(doc.id): localized_entries(doc.model_dump(by_alias=True), config.locales, default)
        for doc in found.items
    }


async def _pair(
    engine: AsyncSyncEngine, report: ReconcileReport, doc: ProductContent, verdict: Verdict
) -> None:
    """Report the pair of ``doc`` and write what `classify` decided (owned fields come later,
    in one batch per page: `_repair_owned`)."""
    if verdict.status == "in_sync":
        report.in_sync += 1
        return
    if verdict.status == "ignored" or (verdict.status == "drifted" and verdict.patch is None):
        return
    fields = ["content"] if verdict.owned_stale else []
    item = ReconcileItem(
        "product",
        verdict.status,
        product_id=verdict.product_id,
        content_id=str(doc.id),
        fields=[*fields, *_fields(verdict.patch)],
        note=verdict.note,
    )
    if verdict.status in ("unpaired", "conflict"):
        report.add(item)
        return
    await _write(engine, report, item, verdict.patch)


async def _repair_owned(
    engine: AsyncSyncEngine, report: ReconcileReport, product: Product, doc: ProductContent
) -> None:
    patch = plan_product_to_content(product, doc, config=engine.config)
    if patch is None:
        return
    item = ReconcileItem(
        "product", "drifted", product_id=product.id, content_id=str(doc.id), fields=_fields(patch)
    )
    already = next(
        (i for i in report.items if i.product_id == product.id and i.status == "drifted"), None
    )
    if already is not None:  # its metadata drift was counted already: one item per pair
        already.fields = sorted({*already.fields, *item.fields} - {"content"})
        await _write(engine, report, already, patch, count=False)
        return
    await _write(engine, report, item, patch)


# ---------------------------------------------------------------- stores, pages -> owners
async def _branding(
    engine: AsyncSyncEngine, report: ReconcileReport, page_size: int, scope: Scope
) -> None:
    config = engine.config
    owners: dict[MetadataOwner, dict[str, Any]] = {}
    seen: dict[MetadataOwner, dict[str, set[str]]] = {}

    async def cms_of(owner: MetadataOwner) -> dict[str, Any]:
        if owner not in owners:
            report.reads += 1
            owners[owner] = dict(await engine._owner_metadata(owner))
        cms = owners[owner].get(config.cms_key)
        return dict(cms) if isinstance(cms, Mapping) else {}

    async def reconcile_entry(
        kind: str, key: str, owner: MetadataOwner, patch: MetadataPatch | None
    ) -> None:
        seen.setdefault(owner, {}).setdefault(kind, set()).add(key)
        if patch is None:
            report.in_sync += 1
            return
        item = ReconcileItem(kind, "drifted", key=key, fields=[f"{config.cms_key}.{kind}s.{key}"])
        if await _write(engine, report, item, patch):
            owners[owner] = apply_metadata_patch(owners[owner], patch)

    if "stores" in scope:
        stores = await engine.payload.find(config.stores_collection, limit=page_size, model=Store)
        async for store in stores:
            owner = await engine._owner_of(store)
            patch = plan_store_to_metadata(store, owner, await cms_of(owner), config=config)
            await reconcile_entry("store", str(store.handle), owner, patch)
        report.reads += stores.total_pages
    if "pages" in scope:
        pages = await engine.payload.find(
            config.pages_collection, limit=page_size, depth=1, model=CmsPage
        )
        async for page in pages:
            page_store = page.store if isinstance(page.store, Store) else None
            owner = await engine._owner_of(page_store)
            patch = plan_page_to_metadata(page, owner, await cms_of(owner), config=config)
            if is_live(page) or patch is not None:
                await reconcile_entry("page", page_key(page), owner, patch)
        report.reads += pages.total_pages
    for owner, metadata in owners.items():
        cms = metadata.get(config.cms_key)
        if not isinstance(cms, Mapping):
            continue
        for kind in ("store", "page"):
            if f"{kind}s" not in scope:
                continue
            known = seen.get(owner, {}).get(kind, set())
            gone = [k for k in (cms.get(f"{kind}s") or {}) if k not in known]
            if not gone:
                continue
            kept = {k: v for k, v in (cms.get(f"{kind}s") or {}).items() if k in known}
            patch = MetadataPatch(owner, set={config.cms_key: {**cms, f"{kind}s": kept}})
            item = ReconcileItem(
                kind, "orphaned", key=",".join(gone), fields=[f"{config.cms_key}.{kind}s"]
            )
            if await _write(engine, report, item, patch):
                owners[owner] = apply_metadata_patch(metadata, patch)
                cms = owners[owner][config.cms_key]


# ---------------------------------------------------------------- helpers
async def _write(
    engine: AsyncSyncEngine,
    report: ReconcileReport,
    item: ReconcileItem,
    patch: DocPatch | MetadataPatch | None,
    *,
    count: bool = True,
) -> bool:
    if count:
        report.add(item)
    if patch is None or report.dry_run:
        return False
    try:
        if isinstance(patch, DocPatch):
            await engine._apply_doc("reconcile", item.product_id or item.key or "", patch)
        else:
            await engine._apply_metadata("reconcile", item.product_id or item.key or "", patch)
    except (APIError, MedusaPayloadError) as exc:
        item.error = str(exc)
        if item.status != "error":
            report.errors += 1
        return False
    report.writes += 1
    item.applied = True
    return True


def _fields(patch: DocPatch | MetadataPatch | None) -> list[str]:
    if patch is None:
        return []
    if isinstance(patch, DocPatch):
        return sorted(patch.data)
    return sorted([*patch.set, *patch.delete])


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])

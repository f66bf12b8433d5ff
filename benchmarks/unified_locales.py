"""The cost of languages and tenants in the unified cache: hit rate and memory.

    python -m benchmarks.unified_locales

The demo catalogue (`seed_demo` + `seed_locales`) plus 60 products, each with content in
English and French (German left to fall back), sold in both tenants' sales channels. The
same seeded stream of 4,000 ``get_product`` reads (popularity skewed: product ``n`` is read
about ``1/(n+1)`` as often as the first) runs twice against the in-memory fakes:

- baseline: 1 locale x 1 tenant (what a shop without these dimensions caches);
- 3 locales x 2 tenants: each read also picks a locale (en 60%, fr 30%, de 10%) and a tenant.

Figures: hit rate, entries, and the bytes the product cache holds (tracemalloc: memory after
the run minus memory after `invalidate_all`), with the ratios against the baseline.
"""

from __future__ import annotations

import gc
import random
import tracemalloc
from typing import Any

from benchmarks._util import report
from medusa_payload import MedusaClient, PayloadClient, TenantRoute, UnifiedClient
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo, seed_locales

PRODUCTS = 60
READS = 4000
LOCALES = ("en", "fr", "de")
LOCALE_WEIGHTS = (6, 3, 1)


def catalogue() -> tuple[FakeMedusa, FakePayload, dict[str, TenantRoute], list[str]]:
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    ids = seed_locales(medusa, payload)
    channels = [medusa.sales_channel_id, ids["beta_sales_channel_id"]]
    handles = []
    for n in range(PRODUCTS):
        handle = f"bench-{n}"
        product = medusa.add_product(f"Bench {n}", handle=handle, sales_channel_ids=channels)
        doc = payload.add_product_content(
            handle,
            f"Bench {n}",
            medusa_product_id=product["id"],
            description=f"Bench {n} description",
            seo={"title": f"Bench {n} | Shop", "description": f"Buy bench {n}"},
        )
        payload.translate("product-content", doc["id"], "fr", {"title": f"Banc {n}"})
        handles.append(handle)
    tenants = {
        "acme": TenantRoute(sales_channel_id=medusa.sales_channel_id),
        "beta": TenantRoute(
            sales_channel_id=ids["beta_sales_channel_id"],
            publishable_key=ids["beta_publishable_key"],
        ),
    }
    return medusa, payload, tenants, handles


def run(locales: int, tenants_used: int) -> dict[str, Any]:
    medusa, payload, tenants, handles = catalogue()
    shop = UnifiedClient(
        medusa=MedusaClient(
            medusa.base_url, publishable_key=medusa.publishable_key, transport=medusa.transport
        ),
        payload=PayloadClient(payload.base_url, transport=payload.transport),
        locales=LOCALES,
        default_locale="en",
        tenants=tenants,
    )
    rng = random.Random(7)
    weights = [1 / (n + 1) for n in range(len(handles))]
    names = sorted(tenants)[:tenants_used]
    gc.collect()
    tracemalloc.start()
    for _ in range(READS):
        handle = rng.choices(handles, weights)[0]
        locale = rng.choices(LOCALES[:locales], LOCALE_WEIGHTS[:locales])[0]
        tenant = rng.choice(names)
        shop.get_product(handle, locale=locale, tenant_id=tenant)
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    stats = shop.cache_stats()["products"]
    shop.invalidate_all()
    gc.collect()
    empty, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shop.medusa.close()
    shop.payload.close()
    return {
        "hit_rate": stats.hits / max(1, stats.hits + stats.misses),
        "entries": stats.size,
        "cache_kib": (held - empty) / 1024,
    }


def main() -> None:
    base = run(1, 1)
    wide = run(3, 2)
    report(
        "unified_locales",
        {
            "1x1 hit rate": base["hit_rate"],
            "1x1 entries": base["entries"],
            "1x1 cache KiB": base["cache_kib"],
            "3x2 hit rate": wide["hit_rate"],
            "3x2 entries": wide["entries"],
            "3x2 cache KiB": wide["cache_kib"],
            "entries ratio (3x2 / 1x1)": wide["entries"] / max(1, base["entries"]),
            "memory ratio (3x2 / 1x1)": wide["cache_kib"] / max(1e-9, base["cache_kib"]),
            "hit rate drop (points)": 100 * (base["hit_rate"] - wide["hit_rate"]),
        },
    )


if __name__ == "__main__":
    main()

"""`FakeMedusa`: an in-memory Medusa 2.x store + admin REST API, faithful to Medusa 2.21."""

from __future__ import annotations

import base64
import copy
import json
import re
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._common import MonotonicClock, ulid
from ._medusa_admin import AdminBackoffice, price_rows, updated_after
from ._medusa_commerce import CommerceRecords
from ._medusa_fields import (
    PRODUCT_ADMIN_DEFAULT,
    PRODUCT_STORE_DEFAULT,
    PRODUCT_STORE_RETRIEVE_DEFAULT,
    VARIANT_DEFAULT,
    Selection,
    parse_fields,
)
from ._medusa_selling import FakeSelling
from ._transport import FakeRequest, FakeResponse, FakeServer

__all__ = ["FakeMedusa"]

MISSING_KEY = FakeResponse(
    400,
    {
        "type": "not_allowed",
        "message": "Publishable API key required in the request header: x-publishable-api-key. "
        "You can manage your keys in settings in the dashboard.",
    },
)
INVALID_KEY = FakeResponse(
    400,
    {
        "type": "not_allowed",
        "message": "A valid publishable key is required to proceed with the request",
    },
)
UNAUTHORIZED = FakeResponse(401, {"message": "Unauthorized"})


def _not_found(message: str) -> FakeResponse:
    return FakeResponse(404, {"type": "not_found", "message": message})


def _invalid(message: str) -> FakeResponse:
    return FakeResponse(400, {"type": "invalid_data", "message": message})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _listify(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return [str(v) for v in value.values()]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


class FakeMedusa(AdminBackoffice, CommerceRecords, FakeServer):
    """An in-memory Medusa 2.x REST API, usable as an httpx transport by both client flavours.

    ```python
    fake = FakeMedusa()
    tee = fake.add_product("Tee", prices={"eur": 10})
    with MedusaClient(fake.base_url, publishable_key=fake.publishable_key,
                      transport=fake.transport) as medusa:
        medusa.store.products.retrieve_by_handle("tee", region_id=fake.region_id)
    ```

    Seeded like the live stack: a store, a default sales channel, a Europe region (EUR), a
    publishable key for that channel, a secret key and an admin user. Faithful details: the
    publishable key on every ``/store`` route (400 ``not_allowed`` without it), Basic secret key
    or Bearer JWT on ``/admin`` (401), ``fields`` defaults (store products leave out
    ``metadata``), ``+``/``-``/``*`` selection, ``calculated_price`` for ``region_id`` (400 when
    prices are asked for without one), only published products on the store, metadata merged
    with ``""`` deleting a key (the store record's metadata is replaced, as Medusa does), qs
    arrays in filters, ``{type, message}`` errors.

    Selling (``fake.selling``, `FakeSelling`): carts, line items, a flat shipping option
    (``fake.shipping_option_id``, EUR 8), promotion codes (`add_promotion`), stock of managed
    variants (`set_stock`), the system payment provider, completion into ``fake.orders``,
    customer registration / sign-in tokens, profiles, address books and the customer's orders.
    """

    def __init__(
        self,
        base_url: str = "http://medusa.fake",
        *,
        publishable_key: str | None = None,
        secret_key: str | None = None,
        admin_email: str = "admin@example.com",
        admin_password: str = "supersecret",
    ) -> None:
        super().__init__(base_url)
        self._clock = MonotonicClock()
        self.publishable_key = publishable_key or f"pk_{secrets.token_hex(32)}"
        self.secret_key = secret_key or f"sk_{secrets.token_hex(32)}"
        self.admin_email = admin_email
        self.admin_password = admin_password
        self._tokens: set[str] = set()
        self.products: dict[str, dict[str, Any]] = {}
        self.regions: dict[str, dict[str, Any]] = {}
        self.collections: dict[str, dict[str, Any]] = {}
        self.categories: dict[str, dict[str, Any]] = {}
        self.sales_channels: dict[str, dict[str, Any]] = {}
        self.stores: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.key_channels: dict[str, set[str]] = {}
        self._init_backoffice()
        self._init_commerce()
        channel = self.add_sales_channel("Default Sales Channel")
        self.sales_channel_id = channel["id"]
        self.key_channels[self.publishable_key] = {channel["id"]}
        region = self.add_region("Europe", "eur", countries=("de", "fr", "dk"))
        self.region_id = region["id"]
        now = self._clock.now()
        store_id = f"store_{ulid()}"
        self.stores[store_id] = {
            "id": store_id,
            "name": "Medusa Store",
            "default_sales_channel_id": channel["id"],
            "default_region_id": None,
            "default_location_id": None,
            "supported_currencies": [
                {"currency_code": "eur", "is_default": True},
                {"currency_code": "usd", "is_default": False},
            ],
            "metadata": None,
            "created_at": now,
            "updated_at": now,
        }
        self.store_id = store_id
        self.selling = FakeSelling(self)
        self.shipping_option_id = self.selling.add_shipping_option("Standard", amount=8)["id"]

    # ================================================================ seeding (public API)
    def add_sales_channel(
        self, name: str, *, metadata: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """A sales channel."""
        now = self._clock.now()
        channel: dict[str, Any] = {
            "id": f"sc_{ulid()}",
            "name": name,
            "description": None,
            "is_disabled": False,
            "metadata": dict(metadata) if metadata else None,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
        }
        with self._lock:
            self.sales_channels[channel["id"]] = channel
        return copy.deepcopy(channel)

    def add_publishable_key(self, sales_channel_ids: Iterable[str]) -> str:
        """A new publishable key that sees only these sales channels (a tenant's storefront)."""
        key = f"pk_{secrets.token_hex(32)}"
        with self._lock:
            self.key_channels[key] = set(sales_channel_ids)
        return key

    def add_region(
        self, name: str, currency_code: str, *, countries: Iterable[str] = ()
    ) -> dict[str, Any]:
        """A region with its currency and countries."""
        now = self._clock.now()
        region_id = f"reg_{ulid()}"
        region: dict[str, Any] = {
            "id": region_id,
            "name": name,
            "currency_code": currency_code,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "metadata": None,
            "countries": [
                {
                    "iso_2": c,
                    "iso_3": None,
                    "name": c.upper(),
                    "display_name": c.upper(),
                    "region_id": region_id,
                }
                for c in countries
            ],
        }
        with self._lock:
            self.regions[region_id] = region
        return copy.deepcopy(region)

    def add_collection(self, title: str, *, handle: str | None = None) -> dict[str, Any]:
        """A product collection."""
        now = self._clock.now()
        collection: dict[str, Any] = {
            "id": f"pcol_{ulid()}",
            "title": title,
            "handle": handle or _slug(title),
            "metadata": None,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
        }
        with self._lock:
            self.collections[collection["id"]] = collection
        return copy.deepcopy(collection)

    def add_category(
        self,
        name: str,
        *,
        handle: str | None = None,
        parent_category_id: str | None = None,
        is_active: bool = True,
        is_internal: bool = False,
    ) -> dict[str, Any]:
        """A product category (active and public by default)."""
        now = self._clock.now()
        category: dict[str, Any] = {
            "id": f"pcat_{ulid()}",
            "name": name,
            "description": "",
            "handle": handle or _slug(name),
            "rank": len(self.categories),
            "parent_category_id": parent_category_id,
            "is_active": is_active,
            "is_internal": is_internal,
            "metadata": None,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
        }
        with self._lock:
            self.categories[category["id"]] = category
        return copy.deepcopy(category)

    def add_product(
        self,
        title: str,
        *,
        handle: str | None = None,
        status: str = "published",
        description: str | None = None,
        prices: Mapping[str, float] | None = None,
        variants: Sequence[Mapping[str, Any]] | None = None,
        options: Sequence[Mapping[str, Any]] | None = None,
        metadata: Mapping[str, Any] | None = None,
        collection_id: str | None = None,
        category_ids: Iterable[str] = (),
        sales_channel_ids: Iterable[str] | None = None,
        thumbnail: str | None = None,
        images: Iterable[str] = (),
        tags: Iterable[str] = (),
    ) -> dict[str, Any]:
        """A product (published, one variant priced ``prices`` or EUR 10 / USD 12, in the
        default sales channel unless told otherwise). Returns it as the admin API shows it."""
        if variants is None:
            amounts = prices or {"eur": 10, "usd": 12}
            options = options or [{"title": "Default", "values": ["Default"]}]
            variants = [
                {
                    "title": "Default",
                    "sku": None,
                    "options": {"Default": "Default"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": c, "amount": a} for c, a in amounts.items()],
                }
            ]
        body: dict[str, Any] = {
            "title": title,
            "handle": handle,
            "status": status,
            "description": description,
            "options": options or [{"title": "Default", "values": ["Default"]}],
            "variants": variants,
            "metadata": dict(metadata) if metadata else None,
            "collection_id": collection_id,
            "categories": [{"id": c} for c in category_ids],
            "sales_channels": [
                {"id": s}
                for s in (
                    sales_channel_ids if sales_channel_ids is not None else [self.sales_channel_id]
                )
            ],
            "thumbnail": thumbnail,
            "images": [{"url": u} for u in images],
            "tags": [{"value": t} for t in tags],
        }
        with self._lock:
            result = self._create_product(body)
        if isinstance(result, FakeResponse):
            raise ValueError(result.body["message"])
        return self._product_view(result, admin=True, selection=None, region=None)

    def add_order(
        self,
        *,
        email: str = "buyer@example.com",
        items: Sequence[Mapping[str, Any]] = (),
        currency_code: str = "eur",
        status: str = "pending",
        metadata: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An order, as if a cart had been completed (``items``: title, quantity, unit_price)."""
        now = self._clock.now()
        order_id = f"order_{ulid()}"
        lines = [
            {
                "id": f"ordli_{ulid()}",
                "title": i.get("title", "Item"),
                "quantity": i.get("quantity", 1),
                "unit_price": i.get("unit_price", 10),
                "variant_id": i.get("variant_id"),
                "product_id": i.get("product_id"),
            }
            for i in items
        ]
        total = sum(line["quantity"] * line["unit_price"] for line in lines)
        order = {
            "id": order_id,
            "display_id": len(self.orders) + 1,
            "status": status,
            "email": email,
            "currency_code": currency_code,
            "region_id": self.region_id,
            "sales_channel_id": self.sales_channel_id,
            "customer_id": None,
            "payment_status": "authorized",
            "fulfillment_status": "not_fulfilled",
            "items": lines,
            "subtotal": total,
            "total": total,
            "metadata": dict(metadata) if metadata else None,
            "created_at": now,
            "updated_at": now,
        }
        with self._lock:
            self.orders[order_id] = order
        return copy.deepcopy(order)

    def add_promotion(self, code: str, *, percentage: float) -> dict[str, Any]:
        """A promotion code taking ``percentage`` off a cart's items."""
        with self._lock:
            return self.selling.add_promotion(code, percentage=percentage)

    def set_stock(self, variant_id: str, quantity: float) -> None:
        """Set the stock of a variant whose inventory Medusa manages (``manage_inventory``)."""
        with self._lock:
            for product in self.products.values():
                for variant in product["variants"]:
                    if variant["id"] == variant_id:
                        variant["manage_inventory"] = True
                        variant["inventory_quantity"] = quantity
                        return
        raise KeyError(variant_id)

    def product(self, id: str) -> dict[str, Any] | None:
        """A product as the admin API shows it (``None`` if absent or deleted)."""
        with self._lock:
            record = self.products.get(id)
            if record is None or record["deleted_at"]:
                return None
            return self._product_view(record, admin=True, selection=None, region=None)

    # ================================================================ routing
    def route_of(self, method: str, segments: list[str]) -> str:
        if len(segments) == 3 and segments[0] in ("store", "admin"):
            return f"{method} /{segments[0]}/{segments[1]}/{{id}}"
        return f"{method} /" + "/".join(segments)

    def handle(self, request: FakeRequest) -> FakeResponse:
        seg = request.segments
        if seg[:1] == ["store"]:
            key = request.headers.get("x-publishable-api-key")
            if not key:
                return MISSING_KEY
            if key not in self.key_channels:
                return INVALID_KEY
            if self.selling.handles(seg[1:]):
                return self.selling.store(request, seg[1:], self.key_channels[key])
            return self._store(request, seg[1:], self.key_channels[key])
        if seg[:1] == ["auth"]:
            answer = self.selling.auth(request, seg)
            if answer is not None:
                return answer
        if seg[:1] == ["admin"]:
            if not self._admin_ok(request):
                return UNAUTHORIZED
            return self._admin(request, seg[1:])
        if seg == ["auth", "user", "emailpass"] and request.method == "POST":
            return self._login(request)
        if seg == ["health"]:
            return FakeResponse(200, None)
        return FakeResponse(
            404, f"<!DOCTYPE html><pre>Cannot {request.method} {request.path}</pre>"
        )

    def _admin_ok(self, request: FakeRequest) -> bool:
        header = request.headers.get("authorization", "")
        if header.startswith("Bearer "):
            return header[7:] in self._tokens
        if header.startswith("Basic "):
            try:
                user = base64.b64decode(header[6:]).decode().split(":", 1)[0]
            except (ValueError, UnicodeDecodeError):
                return False
            return user == self.secret_key
        return False

    def _login(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        if body.get("email") != self.admin_email or body.get("password") != self.admin_password:
            return FakeResponse(
                401, {"type": "unauthorized", "message": "Invalid email or password"}
            )
        claims = {"actor_type": "user", "auth_provider": "emailpass", "iat": int(time.time())}
        raw = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        token = f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{raw}.{secrets.token_urlsafe(32)}"
        self._tokens.add(token)
        return FakeResponse(200, {"token": token})

    # ================================================================ store routes
    def _store(self, request: FakeRequest, seg: list[str], channels: set[str]) -> FakeResponse:
        if request.method != "GET":
            return FakeResponse(404, f"<pre>Cannot {request.method} {request.path}</pre>")
        q = request.query
        if seg == ["products"]:
            return self._list_products(q, admin=False, channels=channels)
        if len(seg) == 2 and seg[0] == "products":
            record = self.products.get(seg[1])
            if record is None or not self._store_visible(record, channels):
                return _not_found(f"Product with id: {seg[1]} was not found")
            return self._product_response(record, q, admin=False)
        if seg == ["regions"]:
            return self._list("regions", list(self.regions.values()), q)
        if len(seg) == 2 and seg[0] == "regions":
            region = self.regions.get(seg[1])
            if region is None:
                return _not_found(f"Region with id: {seg[1]} was not found")
            return FakeResponse(200, {"region": copy.deepcopy(region)})
        if seg == ["collections"]:
            items = self._filter(list(self.collections.values()), q, ("handle", "id"))
            return self._list("collections", items, q)
        if len(seg) == 2 and seg[0] == "collections":
            coll = self.collections.get(seg[1])
            if coll is None:
                return _not_found(f"Collection with id: {seg[1]} was not found")
            return FakeResponse(200, {"collection": copy.deepcopy(coll)})
        if seg == ["product-categories"]:
            public = [
                c for c in self.categories.values() if c["is_active"] and not c["is_internal"]
            ]
            items = self._filter(public, q, ("handle", "id", "parent_category_id"))
            tree = str(q.get("include_descendants_tree", "")).lower() == "true"
            return self._list(
                "product_categories", [self._category_view(c, tree) for c in items], q
            )
        if len(seg) == 2 and seg[0] == "product-categories":
            cat = self.categories.get(seg[1])
            if cat is None or not cat["is_active"] or cat["is_internal"]:
                return _not_found(f"Product category with id: {seg[1]} was not found")
            return FakeResponse(200, {"product_category": self._category_view(cat, False)})
        return FakeResponse(404, f"<pre>Cannot GET {request.path}</pre>")

    def _store_visible(self, record: Mapping[str, Any], channels: set[str]) -> bool:
        return (
            record["status"] == "published"
            and not record["deleted_at"]
            and bool(channels & set(record["sales_channel_ids"]))
        )

    # ================================================================ admin routes
    def _admin(self, request: FakeRequest, seg: list[str]) -> FakeResponse:
        method, q = request.method, request.query
        backoffice = self._backoffice(request, seg) or self._commerce(request, seg)
        if backoffice is not None:  # variants, inventory, price lists, customers...
            return backoffice
        if seg == ["products"]:
            if method == "GET":
                return self._list_products(q, admin=True, channels=None)
            if method == "POST":
                result = self._create_product(request.json() or {})
                if isinstance(result, FakeResponse):
                    return result
                return self._product_response(result, q, admin=True)
        if len(seg) == 2 and seg[0] == "products":
            record = self.products.get(seg[1])
            if record is None or record["deleted_at"]:
                return _not_found("Product not found")
            if method == "GET":
                return self._product_response(record, q, admin=True)
            if method == "POST":
                error = self._update_product(record, request.json() or {})
                return error or self._product_response(record, q, admin=True)
            if method == "DELETE":
                record["deleted_at"] = self._clock.now()
                return FakeResponse(200, {"id": record["id"], "object": "product", "deleted": True})
        if seg == ["orders"] and method == "GET":
            items = self._filter(
                list(self.orders.values()), q, ("id", "status", "sales_channel_id")
            )
            return self._list("orders", items, q)
        if len(seg) == 2 and seg[0] == "orders" and method == "GET":
            order = self.orders.get(seg[1])
            if order is None:
                return _not_found(f"Order id not found: {seg[1]}")
            return FakeResponse(200, {"order": self._select(order, q)})
        for name, table, key, replace in (
            ("stores", self.stores, "store", True),
            ("sales-channels", self.sales_channels, "sales_channel", False),
        ):
            if seg == [name] and method == "GET":
                items = self._filter(list(table.values()), q, ("id", "name"))
                return self._list(key + "s" if name == "stores" else "sales_channels", items, q)
            if len(seg) == 2 and seg[0] == name:
                record = table.get(seg[1])
                if record is None:
                    label = "Store" if name == "stores" else "Sales channel"
                    return _not_found(f"{label} with id: {seg[1]} was not found")
                if method == "POST":
                    body = request.json() or {}
                    if "metadata" in body:
                        record["metadata"] = (
                            copy.deepcopy(body["metadata"])
                            if replace
                            else _merge_metadata(record["metadata"], body["metadata"])
                        )
                    for field_name in ("name", "description", "is_disabled"):
                        if field_name in body:
                            record[field_name] = body[field_name]
                    record["updated_at"] = self._clock.now()
                if method in ("GET", "POST"):
                    return FakeResponse(200, {key: self._select(record, q)})
        if seg == ["collections"] and method == "POST":
            body = request.json() or {}
            if not body.get("title"):
                return _invalid("Invalid request: Field 'title' is required")
            return FakeResponse(
                200, {"collection": self.add_collection(body["title"], handle=body.get("handle"))}
            )
        if seg == ["product-categories"] and method == "POST":
            body = request.json() or {}
            if not body.get("name"):
                return _invalid("Invalid request: Field 'name' is required")
            category = self.add_category(
                body["name"],
                handle=body.get("handle"),
                parent_category_id=body.get("parent_category_id"),
                is_active=body.get("is_active", False),
                is_internal=body.get("is_internal", False),
            )
            return FakeResponse(200, {"product_category": category})
        for name, table, obj in (
            ("collections", self.collections, "collection"),
            ("product-categories", self.categories, "product-category"),
        ):
            if len(seg) == 2 and seg[0] == name and method == "DELETE":
                table.pop(seg[1], None)
                return FakeResponse(200, {"id": seg[1], "object": obj, "deleted": True})
        return FakeResponse(404, f"<pre>Cannot {method} {request.path}</pre>")

    # ================================================================ products
    def _create_product(self, body: Mapping[str, Any]) -> dict[str, Any] | FakeResponse:
        title = body.get("title")
        if not title:
            return _invalid("Invalid request: Field 'title' is required")
        options = body.get("options") or []
        if not options:
            return _invalid(f"Product options are not provided for: [{title}].")
        handle = body.get("handle") or _slug(str(title))
        if any(p["handle"] == handle and not p["deleted_at"] for p in self.products.values()):
            return _invalid(f"Product with handle: {handle}, already exists.")
        now = self._clock.now()
        product_id = f"prod_{ulid()}"
        option_rows = []
        for option in options:
            option_id = f"opt_{ulid()}"
            option_rows.append(
                {
                    "id": option_id,
                    "title": option["title"],
                    "metadata": None,
                    "values": [
                        {
                            "id": f"optval_{ulid()}",
                            "value": v,
                            "option_id": option_id,
                            "metadata": None,
                        }
                        for v in option.get("values", [])
                    ],
                }
            )
        variants = []
        for rank, variant in enumerate(body.get("variants") or []):
            chosen = variant.get("options") or {}
            values = [
                {"id": val["id"], "value": val["value"], "option_id": opt["id"]}
                for opt in option_rows
                for val in opt["values"]
                if chosen.get(opt["title"]) == val["value"]
            ]
            variant_id = f"variant_{ulid()}"
            variants.append(
                {
                    "id": variant_id,
                    "title": variant.get("title"),
                    "sku": variant.get("sku"),
                    "barcode": None,
                    "ean": None,
                    "upc": None,
                    "allow_backorder": bool(variant.get("allow_backorder", False)),
                    "manage_inventory": bool(variant.get("manage_inventory", True)),
                    "inventory_quantity": 0 if variant.get("manage_inventory", True) else None,
                    "hs_code": None,
                    "origin_country": None,
                    "mid_code": None,
                    "material": None,
                    "weight": None,
                    "length": None,
                    "height": None,
                    "width": None,
                    "metadata": variant.get("metadata"),
                    "variant_rank": rank,
                    "thumbnail": None,
                    "images": [],
                    "product_id": product_id,
                    "created_at": now,
                    "updated_at": now,
                    "deleted_at": None,
                    "options": values,
                    "prices": price_rows(variant.get("prices", []), variant_id),
                }
            )
        record: dict[str, Any] = {
            "id": product_id,
            "title": title,
            "subtitle": body.get("subtitle"),
            "status": body.get("status") or "draft",
            "external_id": body.get("external_id"),
            "description": body.get("description"),
            "handle": handle,
            "is_giftcard": bool(body.get("is_giftcard", False)),
            "discountable": bool(body.get("discountable", True)),
            "thumbnail": body.get("thumbnail"),
            "collection_id": body.get("collection_id"),
            "type_id": body.get("type_id"),
            "weight": None,
            "length": None,
            "height": None,
            "width": None,
            "hs_code": None,
            "origin_country": None,
            "mid_code": None,
            "material": None,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "metadata": copy.deepcopy(body.get("metadata")) or None,
            "options": option_rows,
            "variants": variants,
            "images": [
                {"id": f"img_{ulid()}", "url": i["url"], "rank": n, "metadata": None}
                for n, i in enumerate(body.get("images") or [])
            ],
            "tags": [{"id": f"ptag_{ulid()}", "value": t["value"]} for t in body.get("tags") or []],
            "category_ids": [c["id"] for c in body.get("categories") or []],
            "sales_channel_ids": [s["id"] for s in body.get("sales_channels") or []],
        }
        self.products[product_id] = record
        return record

    def _update_product(
        self, record: dict[str, Any], body: Mapping[str, Any]
    ) -> FakeResponse | None:
        if "handle" in body and body["handle"] != record["handle"]:
            clash = any(
                p["handle"] == body["handle"] and p["id"] != record["id"] and not p["deleted_at"]
                for p in self.products.values()
            )
            if clash:
                return _invalid(f"Product with handle: {body['handle']}, already exists.")
        for key in (
            "title",
            "subtitle",
            "description",
            "handle",
            "status",
            "thumbnail",
            "collection_id",
            "external_id",
            "discountable",
        ):
            if key in body:
                record[key] = body[key]
        if "metadata" in body:
            record["metadata"] = _merge_metadata(record["metadata"], body["metadata"])
        if "categories" in body:
            record["category_ids"] = [c["id"] for c in body["categories"] or []]
        if "sales_channels" in body:
            record["sales_channel_ids"] = [s["id"] for s in body["sales_channels"] or []]
        record["updated_at"] = self._clock.now()
        return None

    def _list_products(
        self, q: Mapping[str, Any], *, admin: bool, channels: set[str] | None
    ) -> FakeResponse:
        selection = parse_fields(
            q.get("fields"), PRODUCT_ADMIN_DEFAULT if admin else PRODUCT_STORE_DEFAULT
        )
        region, error = self._pricing_region(q, selection)
        if error:
            return error
        status = q.get("status")
        if admin and status is not None and not isinstance(status, list | Mapping):
            return _invalid(
                f"Invalid request: Expected type: 'array' for field 'status', got: '{status}'"
            )
        with_deleted = admin and str(q.get("with_deleted", "")).lower() == "true"
        records = [
            p
            for p in self.products.values()
            if (with_deleted or not p["deleted_at"])
            and (channels is None or self._store_visible(p, channels))
        ]
        records = self._filter(records, q, ("id", "handle", "status", "collection_id"))
        records = [p for p in records if updated_after(p["updated_at"], q.get("updated_at"))]
        for param, key in (
            ("category_id", "category_ids"),
            ("sales_channel_id", "sales_channel_ids"),
        ):
            wanted = _listify(q.get(param))
            if wanted is not None:
                records = [p for p in records if set(wanted) & set(p[key])]
        tag_ids = _listify(q.get("tag_id"))
        if tag_ids is not None:
            records = [p for p in records if {t["id"] for t in p["tags"]} & set(tag_ids)]
        text = q.get("q")
        if text:
            needle = str(text).lower()
            records = [
                p
                for p in records
                if any(
                    needle in str(p.get(f) or "").lower()
                    for f in ("title", "handle", "description", "subtitle")
                )
                or any(needle in str(v.get("sku") or "").lower() for v in p["variants"])
            ]
        page, count, offset, limit = self._page(records, q)
        views = [
            self._product_view(p, admin=admin, selection=selection, region=region) for p in page
        ]
        return FakeResponse(
            200, {"products": views, "count": count, "offset": offset, "limit": limit}
        )

    def _pricing_region(
        self, q: Mapping[str, Any], selection: Selection
    ) -> tuple[dict[str, Any] | None, FakeResponse | None]:
        region_id = q.get("region_id")
        region = self.regions.get(str(region_id)) if region_id else None
        if selection.wants("variants.calculated_price") and region is None:
            return None, _invalid(
                "Missing required pricing context to calculate prices - region_id"
            )
        return region, None

    def _product_response(
        self, record: Mapping[str, Any], q: Mapping[str, Any], *, admin: bool
    ) -> FakeResponse:
        selection = parse_fields(
            q.get("fields"), PRODUCT_ADMIN_DEFAULT if admin else PRODUCT_STORE_RETRIEVE_DEFAULT
        )
        region, error = self._pricing_region(q, selection)
        if error:
            return error
        return FakeResponse(
            200,
            {
                "product": self._product_view(
                    record, admin=admin, selection=selection, region=region
                )
            },
        )

    def _product_view(
        self,
        record: Mapping[str, Any],
        *,
        admin: bool,
        selection: Selection | None,
        region: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        if selection is None:
            selection = parse_fields(
                None, PRODUCT_ADMIN_DEFAULT if admin else PRODUCT_STORE_DEFAULT
            )
        out: dict[str, Any] = {}
        for name in selection.top:
            if name == "variants":
                out[name] = self._variant_views(record, admin, selection, region)
            elif name == "collection":
                out[name] = copy.deepcopy(self.collections.get(record["collection_id"] or ""))
            elif name == "type":
                out[name] = None
            elif name == "categories":
                out[name] = [
                    copy.deepcopy(self.categories[c])
                    for c in record["category_ids"]
                    if c in self.categories
                ]
            elif name == "sales_channels":
                out[name] = [
                    copy.deepcopy(self.sales_channels[s])
                    for s in record["sales_channel_ids"]
                    if s in self.sales_channels
                ]
            elif name in record and name not in ("category_ids", "sales_channel_ids"):
                out[name] = copy.deepcopy(record[name])
        return out

    def _variant_views(
        self,
        record: Mapping[str, Any],
        admin: bool,
        selection: Selection,
        region: Mapping[str, Any] | None,
    ) -> list[dict[str, Any]]:
        fields = list(VARIANT_DEFAULT) + (["prices", "images"] if admin else [])
        wanted_sub = selection.relations.get("variants", set())
        if wanted_sub is not None:
            fields += sorted(wanted_sub)
        priced = selection.wants("variants.calculated_price")
        views = []
        for variant in record["variants"]:
            view = {k: copy.deepcopy(variant.get(k)) for k in fields if k != "calculated_price"}
            if priced:
                view["calculated_price"] = _calculated_price(variant, region)
            views.append(view)
        return views

    # ================================================================ helpers
    def _category_view(self, category: Mapping[str, Any], tree: bool) -> dict[str, Any]:
        view = copy.deepcopy(dict(category))
        if tree:
            view["category_children"] = [
                self._category_view(c, True)
                for c in self.categories.values()
                if c["parent_category_id"] == category["id"]
            ]
        return view

    def _filter(
        self, items: list[dict[str, Any]], q: Mapping[str, Any], keys: Iterable[str]
    ) -> list[dict[str, Any]]:
        for key in keys:
            wanted = _listify(q.get(key))
            if wanted is not None:
                items = [i for i in items if str(i.get(key)) in wanted]
        return items

    def _select(self, record: Mapping[str, Any], q: Mapping[str, Any]) -> dict[str, Any]:
        raw = q.get("fields")
        if not raw:
            return copy.deepcopy(dict(record))
        selection = parse_fields(str(raw), list(record))
        return {k: copy.deepcopy(record[k]) for k in selection.top if k in record}

    def _page(
        self, items: list[dict[str, Any]], q: Mapping[str, Any]
    ) -> tuple[list[dict[str, Any]], int, int, int]:
        """Sort by ``order``, then cut ``offset``/``limit``: (page, count, offset, limit)."""
        order = q.get("order")
        if order:
            name = str(order).lstrip("-")
            items = sorted(
                items,
                key=lambda i: (i.get(name) is None, str(i.get(name) or "")),
                reverse=str(order).startswith("-"),
            )
        limit = int(q.get("limit", 50))
        offset = int(q.get("offset", 0))
        return items[offset : offset + limit], len(items), offset, limit

    def _list(self, key: str, items: list[dict[str, Any]], q: Mapping[str, Any]) -> FakeResponse:
        page, count, offset, limit = self._page(items, q)
        if q.get("fields"):
            page = [self._select(i, q) for i in page]
        return FakeResponse(200, {key: page, "count": count, "offset": offset, "limit": limit})


def _merge_metadata(current: Mapping[str, Any] | None, patch: Any) -> dict[str, Any] | None:
    if patch is None:
        return None
    merged = dict(current or {})
    for key, value in dict(patch).items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _calculated_price(variant: Mapping[str, Any], region: Mapping[str, Any] | None) -> Any:
    if region is None:
        return None
    price = next(
        (p for p in variant["prices"] if p["currency_code"] == region["currency_code"]), None
    )
    if price is None:
        return None
    ref = {
        "id": price["id"],
        "price_list_id": None,
        "price_list_type": None,
        "min_quantity": None,
        "max_quantity": None,
    }
    raw = {"value": str(price["amount"]), "precision": 20}
    return {
        "id": f"pset_{variant['id'][-26:]}",
        "is_calculated_price_price_list": False,
        "is_calculated_price_tax_inclusive": False,
        "calculated_amount": price["amount"],
        "raw_calculated_amount": raw,
        "is_original_price_price_list": False,
        "is_original_price_tax_inclusive": False,
        "original_amount": price["amount"],
        "raw_original_amount": dict(raw),
        "currency_code": price["currency_code"],
        "calculated_price": ref,
        "original_price": dict(ref),
    }

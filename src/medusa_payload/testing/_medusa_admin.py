"""Back-office admin routes of the fake Medusa: product variants, inventory items and their
levels per stock location, stock locations, category / collection writes.

A base of `FakeMedusa`. Faithful to Medusa 2.21: a variant write answers the whole product; a
batch answers ``{created, updated, deleted: {ids, object, deleted}}``; a level write answers
the inventory item with its ``location_levels``; a level's ``updated_at`` moves when its
quantities change, the item's does not; ``updated_at[$gt]`` filters products and variants.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from ._common import MonotonicClock, ulid
from ._transport import FakeRequest, FakeResponse

__all__ = ["AdminBackoffice", "json_body", "price_rows", "updated_after"]

VARIANT_FIELDS = ("title", "sku", "manage_inventory", "allow_backorder", "metadata")


def _not_found(message: str) -> FakeResponse:
    return FakeResponse(404, {"type": "not_found", "message": message})


def _invalid(message: str) -> FakeResponse:
    return FakeResponse(400, {"type": "invalid_data", "message": message})


def json_body(request: FakeRequest) -> Mapping[str, Any]:
    """A POST's JSON object body (empty for other requests and non-JSON bodies)."""
    is_json = "json" in request.headers.get("content-type", "")
    body = request.json() if request.method == "POST" and request.body and is_json else {}
    return body if isinstance(body, Mapping) else {}


def price_rows(prices: Any, variant_id: str) -> list[dict[str, Any]]:
    """A variant's price records as Medusa stores them."""
    return [
        {
            "id": f"price_{ulid()}",
            "amount": p["amount"],
            "currency_code": p["currency_code"],
            "min_quantity": None,
            "max_quantity": None,
            "variant_id": variant_id,
            "rules": {},
        }
        for p in prices
    ]


def updated_after(value: Any, bound: Any) -> bool:
    """``updated_at[$gt]``: ISO strings of one format compare in time order."""
    if not isinstance(bound, Mapping) or "$gt" not in bound:
        return True
    return str(value) > str(bound["$gt"]).replace("+00:00", "Z")


class AdminBackoffice:
    """Variants, inventory, stock locations, categories and collections of `FakeMedusa`."""

    products: dict[str, dict[str, Any]]
    collections: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, Any]]
    _clock: MonotonicClock
    _list: Callable[[str, list[dict[str, Any]], Mapping[str, Any]], FakeResponse]
    _select: Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]
    _product_response: Callable[..., FakeResponse]

    def _init_backoffice(self) -> None:
        self.inventory_items: dict[str, dict[str, Any]] = {}
        self.inventory_levels: dict[str, dict[str, Any]] = {}
        self.stock_locations: dict[str, dict[str, Any]] = {}

    # ---- seeding (public API) --------------------------------------------------------
    def add_stock_location(self, name: str) -> dict[str, Any]:
        """A stock location."""
        now = self._clock.now()
        location: dict[str, Any] = {
            "id": f"sloc_{ulid()}",
            "name": name,
            "metadata": None,
            "address": None,
            "created_at": now,
            "updated_at": now,
        }
        self.stock_locations[location["id"]] = location
        return copy.deepcopy(location)

    def add_inventory_item(
        self, sku: str, *, levels: Mapping[str, float] | None = None, title: str | None = None
    ) -> dict[str, Any]:
        """An inventory item stocked at locations (``{location_id: stocked_quantity}``)."""
        item = self._new_item({"sku": sku, "title": title or sku})
        for location_id, quantity in (levels or {}).items():
            self._new_level(item["id"], location_id, {"stocked_quantity": quantity})
        return self._item_view(item)

    # ---- routing -----------------------------------------------------------------------
    def _backoffice(self, request: FakeRequest, seg: list[str]) -> FakeResponse | None:
        """Answer a back-office admin route, or ``None`` when it is not one."""
        method = request.method
        body = json_body(request)
        if seg == ["product-variants"] and method == "GET":
            variants = [
                v
                for p in self.products.values()
                if not p["deleted_at"]
                for v in p["variants"]
                if not v["deleted_at"]
            ]
            return self._variants_list(variants, request.query)
        if len(seg) >= 3 and seg[0] == "products" and seg[2] == "variants":
            return self._variant_routes(request, seg[1], seg[3:], body)
        if seg[:1] == ["inventory-items"]:
            return self._inventory_routes(request, seg[1:], body)
        if seg[:1] == ["stock-locations"]:
            return self._location_routes(request, seg[1:], body)
        for name, table, key in (
            ("collections", self.collections, "collection"),
            ("product-categories", self.categories, "product_category"),
        ):
            if seg == [name] and method == "GET":
                items = [r for r in table.values() if not r.get("deleted_at")]
                for field in ("id", "handle"):
                    wanted = request.query.get(field)
                    if wanted is not None:
                        allowed = set(wanted if isinstance(wanted, list) else [wanted])
                        items = [r for r in items if r[field] in allowed]
                list_key = "collections" if key == "collection" else "product_categories"
                return self._list(list_key, items, request.query)
            if seg[:1] == [name] and len(seg) >= 2:
                return self._grouping_routes(request, seg[1:], body, table, key)
        return None

    # ---- variants ----------------------------------------------------------------------
    def _variants_list(self, variants: list[dict[str, Any]], q: Mapping[str, Any]) -> FakeResponse:
        for key in ("id", "sku"):
            wanted = q.get(key)
            if wanted is not None:
                allowed = {str(w) for w in (wanted if isinstance(wanted, list) else [wanted])}
                variants = [v for v in variants if str(v.get(key)) in allowed]
        variants = [v for v in variants if updated_after(v["updated_at"], q.get("updated_at"))]
        return self._list("variants", variants, q)

    def _variant_routes(
        self, request: FakeRequest, product_id: str, rest: list[str], body: Mapping[str, Any]
    ) -> FakeResponse:
        product = self.products.get(product_id)
        if product is None or product["deleted_at"]:
            return _not_found(f"Product with id: {product_id} was not found")
        method, q = request.method, request.query
        live = [v for v in product["variants"] if not v["deleted_at"]]
        if not rest and method == "GET":
            return self._variants_list(live, q)
        if not rest and method == "POST":
            created = self._new_variant(product, body)
            if isinstance(created, FakeResponse):
                return created
            return self._product_response(product, q, admin=True)
        if rest == ["batch"] and method == "POST":
            return self._variant_batch(product, body)
        if len(rest) == 1:
            variant = next((v for v in live if v["id"] == rest[0]), None)
            if variant is None:
                return _not_found(f"Variant with id: {rest[0]} was not found")
            if method == "GET":
                return FakeResponse(200, {"variant": self._select(variant, q)})
            if method == "POST":
                self._update_variant(product, variant, body)
                return self._product_response(product, q, admin=True)
            if method == "DELETE":
                variant["deleted_at"] = self._clock.now()
                parent = self._select(product, {"fields": "id,title,handle,status"})
                return FakeResponse(
                    200,
                    {"id": variant["id"], "object": "variant", "deleted": True, "parent": parent},
                )
        return FakeResponse(404, f"<pre>Cannot {method} {request.path}</pre>")

    def _new_variant(
        self, product: dict[str, Any], body: Mapping[str, Any]
    ) -> dict[str, Any] | FakeResponse:
        for required in ("title", "prices"):
            if body.get(required) is None:
                return _invalid(f"Invalid request: Field '{required}' is required")
        chosen = body.get("options") or {}
        values = []
        for title, value in chosen.items():
            option = next((o for o in product["options"] if o["title"] == title), None)
            match = next((v for v in (option or {}).get("values", []) if v["value"] == value), None)
            if option is None or match is None:
                return _invalid(f"Option value {value} does not exist for option {title}")
            values.append({"id": match["id"], "value": value, "option_id": option["id"]})
        now = self._clock.now()
        variant_id = f"variant_{ulid()}"
        variant: dict[str, Any] = {
            "id": variant_id,
            "title": body["title"],
            "sku": body.get("sku"),
            "allow_backorder": bool(body.get("allow_backorder", False)),
            "manage_inventory": bool(body.get("manage_inventory", True)),
            "metadata": body.get("metadata"),
            "variant_rank": len(product["variants"]),
            "product_id": product["id"],
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "options": values,
            "prices": price_rows(body.get("prices") or [], variant_id),
        }
        product["variants"].append(variant)
        return variant

    def _update_variant(
        self, product: dict[str, Any], variant: dict[str, Any], body: Mapping[str, Any]
    ) -> None:
        for key in VARIANT_FIELDS:
            if key in body:
                variant[key] = copy.deepcopy(body[key])
        variant["updated_at"] = self._clock.now()

    def _variant_batch(self, product: dict[str, Any], body: Mapping[str, Any]) -> FakeResponse:
        created, updated = [], []
        for row in body.get("create") or []:
            result = self._new_variant(product, row)
            if isinstance(result, FakeResponse):
                return result
            created.append(copy.deepcopy(result))
        for row in body.get("update") or []:
            variant = next((v for v in product["variants"] if v["id"] == row.get("id")), None)
            if variant is None:
                return _not_found(f"Variant with id: {row.get('id')} was not found")
            self._update_variant(product, variant, row)
            updated.append(copy.deepcopy(variant))
        deleted = [str(i) for i in body.get("delete") or []]
        for variant in product["variants"]:
            if variant["id"] in deleted:
                variant["deleted_at"] = self._clock.now()
        return FakeResponse(
            200,
            {
                "created": created,
                "updated": updated,
                "deleted": {"ids": deleted, "object": "variant", "deleted": True},
            },
        )

    # ---- inventory ---------------------------------------------------------------------
    def _new_item(self, body: Mapping[str, Any]) -> dict[str, Any]:
        now = self._clock.now()
        item: dict[str, Any] = {
            "id": f"iitem_{ulid()}",
            "sku": body.get("sku"),
            "title": body.get("title"),
            "description": body.get("description"),
            "requires_shipping": True,
            "metadata": body.get("metadata"),
            "created_at": now,
            "updated_at": now,
        }
        self.inventory_items[item["id"]] = item
        return item

    def _new_level(self, item_id: str, location_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        now = self._clock.now()
        level = {
            "id": f"ilev_{ulid()}",
            "inventory_item_id": item_id,
            "location_id": location_id,
            "stocked_quantity": body.get("stocked_quantity", 0),
            "reserved_quantity": 0,
            "incoming_quantity": body.get("incoming_quantity", 0),
            "metadata": None,
            "created_at": now,
            "updated_at": now,
        }
        self.inventory_levels[level["id"]] = level
        return level

    def _levels_of(self, item_id: str) -> list[dict[str, Any]]:
        return [lv for lv in self.inventory_levels.values() if lv["inventory_item_id"] == item_id]

    def _level_view(self, level: Mapping[str, Any]) -> dict[str, Any]:
        view = copy.deepcopy(dict(level))
        view["available_quantity"] = level["stocked_quantity"] - level["reserved_quantity"]
        return view

    def _item_view(self, item: Mapping[str, Any]) -> dict[str, Any]:
        levels = [self._level_view(lv) for lv in self._levels_of(item["id"])]
        return {
            **copy.deepcopy(dict(item)),
            "stocked_quantity": sum(lv["stocked_quantity"] for lv in levels),
            "reserved_quantity": sum(lv["reserved_quantity"] for lv in levels),
            "location_levels": levels,
        }

    def _set_level(self, level: dict[str, Any], body: Mapping[str, Any]) -> None:
        for key in ("stocked_quantity", "incoming_quantity"):
            if key in body:
                level[key] = body[key]
        level["updated_at"] = self._clock.now()

    def _inventory_routes(
        self, request: FakeRequest, rest: list[str], body: Mapping[str, Any]
    ) -> FakeResponse:
        method, q = request.method, request.query
        if not rest and method == "GET":
            items = [self._item_view(i) for i in self.inventory_items.values()]
            stocked_at = (q.get("location_levels") or {}).get("location_id")
            if stocked_at is not None:
                wanted_at = set(stocked_at if isinstance(stocked_at, list) else [stocked_at])
                items = [
                    i
                    for i in items
                    if {lv["location_id"] for lv in i["location_levels"]} & wanted_at
                ]
            for key in ("id", "sku"):
                wanted = q.get(key)
                if wanted is not None:
                    allowed = {str(w) for w in (wanted if isinstance(wanted, list) else [wanted])}
                    items = [i for i in items if str(i.get(key)) in allowed]
            return self._list("inventory_items", items, _without_star(q))
        if not rest and method == "POST":
            return FakeResponse(200, {"inventory_item": self._item_view(self._new_item(body))})
        if rest == ["location-levels", "batch"] and method == "POST":
            return self._level_batch(body)
        item = self.inventory_items.get(rest[0]) if rest else None
        if item is None:
            return _not_found(f"Inventory item with id: {rest[0] if rest else ''} was not found")
        if len(rest) == 1 and method == "GET":
            return FakeResponse(200, {"inventory_item": self._item_view(item)})
        if len(rest) == 1 and method == "DELETE":
            del self.inventory_items[item["id"]]
            for gone in self._levels_of(item["id"]):
                del self.inventory_levels[gone["id"]]
            return FakeResponse(
                200, {"id": item["id"], "object": "inventory_item", "deleted": True}
            )
        if rest[1:] == ["location-levels"] and method == "GET":
            levels = [self._level_view(lv) for lv in self._levels_of(item["id"])]
            return self._list("inventory_levels", levels, q)
        if rest[1:] == ["location-levels"] and method == "POST":
            location_id = str(body.get("location_id", ""))
            if location_id not in self.stock_locations:
                return _not_found(f"Stock location with id: {location_id} was not found")
            self._new_level(item["id"], location_id, body)
            return FakeResponse(200, {"inventory_item": self._item_view(item)})
        if len(rest) == 3 and rest[1] == "location-levels" and method == "POST":
            level: dict[str, Any] | None = next(
                (lv for lv in self._levels_of(item["id"]) if lv["location_id"] == rest[2]), None
            )
            if level is None:
                return _not_found(f"Item {item['id']} is not stocked at location {rest[2]}")
            self._set_level(level, body)
            return FakeResponse(200, {"inventory_item": self._item_view(item)})
        return FakeResponse(404, f"<pre>Cannot {method} {request.path}</pre>")

    def _level_batch(self, body: Mapping[str, Any]) -> FakeResponse:
        created, updated = [], []
        for row in body.get("create") or []:
            new = self._new_level(str(row["inventory_item_id"]), str(row["location_id"]), row)
            created.append(self._level_view(new))
        for row in body.get("update") or []:
            level: dict[str, Any] | None = next(
                (
                    lv
                    for lv in self.inventory_levels.values()
                    if lv["inventory_item_id"] == row.get("inventory_item_id")
                    and lv["location_id"] == row.get("location_id")
                ),
                None,
            )
            if level is None:
                return _not_found("Inventory level not found")
            self._set_level(level, row)
            updated.append(self._level_view(level))
        deleted = [str(i) for i in body.get("delete") or []]
        for level_id in deleted:
            self.inventory_levels.pop(level_id, None)
        answer: dict[str, Any] = {"created": created, "updated": updated}
        if "delete" in body:  # a plain list here, unlike the variants' batch
            answer["deleted"] = deleted
        return FakeResponse(200, answer)

    # ---- stock locations -----------------------------------------------------------------
    def _location_routes(
        self, request: FakeRequest, rest: list[str], body: Mapping[str, Any]
    ) -> FakeResponse:
        method, q = request.method, request.query
        if not rest and method == "GET":
            items = list(self.stock_locations.values())
            names = q.get("name")
            if names is not None:
                wanted = set(names if isinstance(names, list) else [names])
                items = [i for i in items if i["name"] in wanted]
            return self._list("stock_locations", items, q)
        if not rest and method == "POST":
            if not body.get("name"):
                return _invalid("Invalid request: Field 'name' is required")
            made = self.add_stock_location(str(body["name"]))
            return FakeResponse(200, {"stock_location": made})
        location: dict[str, Any] | None = (
            self.stock_locations.get(rest[0]) if len(rest) == 1 else None
        )
        if location is None:
            return _not_found(f"Stock location with id: {rest[0] if rest else ''} was not found")
        if method == "POST":
            for key in ("name", "address", "metadata"):
                if key in body:
                    location[key] = copy.deepcopy(body[key])
            location["updated_at"] = self._clock.now()
        if method in ("GET", "POST"):
            return FakeResponse(200, {"stock_location": self._select(location, q)})
        if method == "DELETE":
            del self.stock_locations[location["id"]]
            return FakeResponse(
                200, {"id": location["id"], "object": "stock_location", "deleted": True}
            )
        return FakeResponse(404, f"<pre>Cannot {method} {request.path}</pre>")

    # ---- categories and collections -----------------------------------------------------
    def _grouping_routes(
        self,
        request: FakeRequest,
        rest: list[str],
        body: Mapping[str, Any],
        table: dict[str, dict[str, Any]],
        key: str,
    ) -> FakeResponse | None:
        method, q = request.method, request.query
        record = table.get(rest[0])
        if method == "DELETE":
            return None  # FakeMedusa's own route
        if record is None:
            label = "Collection" if key == "collection" else "Product category"
            return _not_found(f"{label} with id: {rest[0]} was not found")
        if len(rest) == 1 and method == "POST":
            for field in ("title", "name", "handle", "description", "metadata"):
                if field in body and field in record:
                    record[field] = copy.deepcopy(body[field])
            record["updated_at"] = self._clock.now()
        elif rest[1:] == ["products"] and method == "POST":
            add, remove = list(body.get("add") or []), list(body.get("remove") or [])
            for product_id in add + remove:
                product = self.products.get(product_id)
                if product is None:
                    return _not_found(f"Product with id: {product_id} was not found")
                self._link(product, record["id"], key, product_id in add)
        elif not (len(rest) == 1 and method == "GET"):
            return FakeResponse(404, f"<pre>Cannot {method} {request.path}</pre>")
        return FakeResponse(200, {key: self._select(record, q)})

    def _link(self, product: dict[str, Any], record_id: str, key: str, add: bool) -> None:
        if key == "collection":
            if add:
                product["collection_id"] = record_id
            elif product["collection_id"] == record_id:
                product["collection_id"] = None
        else:
            ids = [c for c in product["category_ids"] if c != record_id]
            product["category_ids"] = [*ids, record_id] if add else ids
        product["updated_at"] = self._clock.now()


def _without_star(q: Mapping[str, Any]) -> dict[str, Any]:
    """``fields=*location_levels`` asks for a relation the list view always carries."""
    out = dict(q)
    fields = str(out.get("fields") or "")
    kept = [f for f in fields.split(",") if f and not f.startswith("*")]
    if fields:
        out["fields"] = ",".join([*kept, "location_levels"]) if kept else None
        if out["fields"] is None:
            del out["fields"]
    return out

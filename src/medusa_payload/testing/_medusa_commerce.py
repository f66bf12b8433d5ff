"""Price lists (+ prices), promotions, campaigns, customers, customer groups (+ members) and
uploads of the fake Medusa: a base of `FakeMedusa`, answering as Medusa 2.21 does (a price
list's ``prices`` and a group's ``customers`` only when ``fields`` asks for them; campaigns
cannot be filtered by ``id``)."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from typing import Any

from ._common import MonotonicClock, ulid
from ._medusa_admin import json_body
from ._payload_uploads import UploadError, multipart_parts
from ._transport import FakeRequest, FakeResponse

__all__ = ["CommerceRecords"]

#: route -> (answer key, list key, id prefix)
TABLES = {
    "price-lists": ("price_list", "price_lists", "plist"),
    "promotions": ("promotion", "promotions", "promo"),
    "campaigns": ("campaign", "campaigns", "procamp"),
    "customers": ("customer", "customers", "cus"),
    "customer-groups": ("customer_group", "customer_groups", "cusgroup"),
}
#: Relations a record view carries only when ``fields`` names them.
HIDDEN = {"price-lists": "prices", "customer-groups": "customers"}


def _invalid(message: str) -> FakeResponse:
    return FakeResponse(400, {"type": "invalid_data", "message": message})


class CommerceRecords:
    """Plain admin records of `FakeMedusa` and their few extra routes."""

    base_url: str
    _clock: MonotonicClock
    _list: Callable[[str, list[dict[str, Any]], Mapping[str, Any]], FakeResponse]

    def _init_commerce(self) -> None:
        self.records: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}
        self.uploads: dict[str, bytes] = {}

    def _commerce(self, request: FakeRequest, seg: list[str]) -> FakeResponse | None:
        """Answer a route of these records, or ``None`` when it is not one."""
        if seg == ["uploads"] and request.method == "POST":
            return self._upload(request)
        if not seg or seg[0] not in TABLES:
            return None
        name, rest, method, q = seg[0], seg[1:], request.method, request.query
        key, list_key, prefix = TABLES[name]
        table = self.records[name]
        body = json_body(request)
        if not rest and method == "GET":
            if name == "campaigns" and "id" in q:
                return _invalid("Invalid request: Unrecognized fields: 'id'")
            items = list(table.values())
            wanted = q.get("id")
            if wanted is not None:
                ids = set(wanted if isinstance(wanted, list) else [wanted])
                items = [r for r in items if r["id"] in ids]
            views = [self._record_view(name, r, q) for r in items]
            return self._list(list_key, views, {k: v for k, v in q.items() if k != "fields"})
        if not rest and method == "POST":
            now = self._clock.now()
            made = {"id": f"{prefix}_{ulid()}", **copy.deepcopy(dict(body))}
            made.update({"created_at": now, "updated_at": now})
            made.setdefault(HIDDEN.get(name, "_"), [])
            table[made["id"]] = made
            return FakeResponse(200, {key: self._record_view(name, made, q)})
        record: dict[str, Any] | None = table.get(rest[0]) if rest else None
        if record is None:
            return FakeResponse(
                404, {"type": "not_found", "message": f"{key} with id: {rest[0]} was not found"}
            )
        if len(rest) == 1 and method == "POST":
            record.update(copy.deepcopy(dict(body)))
            record["updated_at"] = self._clock.now()
        elif len(rest) == 1 and method == "DELETE":
            del table[record["id"]]
            return FakeResponse(200, {"id": record["id"], "object": key, "deleted": True})
        elif name == "price-lists" and rest[1:] == ["prices", "batch"] and method == "POST":
            return self._price_batch(record, body)
        elif name == "customer-groups" and rest[1:] == ["customers"] and method == "POST":
            members = [c for c in record["customers"] if c not in (body.get("remove") or [])]
            record["customers"] = members + [c for c in body.get("add") or [] if c not in members]
        elif not (len(rest) == 1 and method == "GET"):
            return FakeResponse(404, f"<pre>Cannot {method} {request.path}</pre>")
        return FakeResponse(200, {key: self._record_view(name, record, q)})

    def _record_view(
        self, name: str, record: Mapping[str, Any], q: Mapping[str, Any]
    ) -> dict[str, Any]:
        view = copy.deepcopy(dict(record))
        hidden = HIDDEN.get(name)
        if hidden and f"*{hidden}" not in str(q.get("fields") or ""):
            view.pop(hidden, None)
        elif hidden == "customers":
            customers = self.records["customers"]
            view["customers"] = [copy.deepcopy(customers[c]) for c in view["customers"]]
        return view

    def _price_batch(self, record: dict[str, Any], body: Mapping[str, Any]) -> FakeResponse:
        created = []
        for row in body.get("create") or []:
            new = {
                "id": f"price_{ulid()}",
                "amount": row.get("amount"),
                "currency_code": row.get("currency_code"),
                "variant_id": row.get("variant_id"),
                "price_list_id": record["id"],
                "min_quantity": None,
                "max_quantity": None,
            }
            record["prices"].append(new)
            created.append(copy.deepcopy(new))
        updated = []
        for row in body.get("update") or []:
            price: dict[str, Any] | None = next(
                (p for p in record["prices"] if p["id"] == row.get("id")), None
            )
            if price is not None:
                price.update({k: v for k, v in row.items() if k != "id"})
                updated.append(copy.deepcopy(price))
        deleted = [str(i) for i in body.get("delete") or []]
        record["prices"] = [p for p in record["prices"] if p["id"] not in deleted]
        return FakeResponse(
            200,
            {
                "created": created,
                "updated": updated,
                "deleted": {"ids": deleted, "object": "price", "deleted": True},
            },
        )

    def _upload(self, request: FakeRequest) -> FakeResponse:
        try:
            parts = multipart_parts(request.headers.get("content-type", ""), request.body)
        except UploadError as exc:
            return _invalid(str(exc))
        files = []
        for field, value in parts:
            if field == "files" and isinstance(value, tuple):
                file_id = f"{int(time.time() * 1000)}-{value[0]}"
                self.uploads[file_id] = value[1]
                files.append({"id": file_id, "url": f"{self.base_url}/static/{file_id}"})
        if not files:
            return _invalid("No files were uploaded")
        return FakeResponse(200, {"files": files})

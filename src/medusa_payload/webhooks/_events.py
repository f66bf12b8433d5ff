"""Typed webhook events: what the Medusa subscriber and the Payload hook send.

Both event types expose the same read-only surface, so routing, dedup and cache invalidation
work on a `WebhookEvent` without caring where it came from:

| attribute | Medusa (`MedusaEvent`) | Payload (`PayloadEvent`) |
|---|---|---|
| ``source`` | ``"medusa"`` | ``"payload"`` |
| ``name`` | ``"product.updated"`` | ``"product-content.update"`` |
| ``ids`` | ``{"product_id": "prod_..."}`` | ``{"content_id": "12", "product_id": "prod_..."}`` |
| ``collection`` | ``None`` | ``"product-content"`` |
| ``handle`` / ``slug`` | from ``data`` when sent | from ``doc`` when sent |
| ``known`` | a name the router handles | a collection and operation the router handles |

Models are lenient (``extra="allow"``): a field a newer sender adds never breaks parsing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ._errors import WebhookPayloadError

__all__ = [
    "MEDUSA_EVENTS",
    "PAYLOAD_COLLECTIONS",
    "PAYLOAD_OPERATIONS",
    "MedusaEvent",
    "MedusaEventData",
    "PayloadEvent",
    "Source",
    "WebhookEvent",
    "load_json_object",
    "parse_event",
    "parse_medusa_event",
    "parse_payload_event",
]

Source = Literal["medusa", "payload"]

MEDUSA_EVENTS = frozenset(
    {
        "product.created",
        "product.updated",
        "product.deleted",
        "order.placed",
        "order.completed",
        "inventory.low",
        "vendor.created",
        "vendor.updated",
        "vendor.approved",
        "tenant.created",
        "tenant.updated",
    }
)
"""The Medusa event names the router turns into jobs; any other name is accepted and ignored."""

PAYLOAD_COLLECTIONS = frozenset({"product-content", "pages", "stores"})
"""The Payload collections the router handles."""

PAYLOAD_OPERATIONS = frozenset({"create", "update", "delete"})
"""The ``afterChange`` / ``afterDelete`` operations the Payload hook reports."""

PUBLISHED = "published"

_ID_KEYS = {"product-content": "content_id", "pages": "page_id", "stores": "store_id"}


def _doc_id(value: object) -> str:
    """Payload ids are numbers (SQL adapters) or strings (MongoDB); both become text."""
    if isinstance(value, bool):
        raise ValueError("must be a string or an integer")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and 0 < len(value) <= 256:
        return value
    raise ValueError("must be a non-empty string (at most 256 characters) or an integer")


DocId = Annotated[str, BeforeValidator(_doc_id)]
Name = Annotated[str, Field(min_length=1, max_length=256)]


def _text_field(values: Mapping[str, Any] | None, key: str) -> str | None:
    value = values.get(key) if values else None
    return value if isinstance(value, str) and value else None


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")


class MedusaEventData(_Event):
    """The ``data`` object of a Medusa event: always an ``id``, sometimes more."""

    id: Name


class MedusaEvent(_Event):
    """An event forwarded by the Medusa subscriber: ``{"event", "data": {"id"}, ...}``."""

    source: ClassVar[Source] = "medusa"

    name: Name = Field(validation_alias="event")
    data: MedusaEventData
    metadata: dict[str, Any] | None = None
    sent_at: str | None = None

    @property
    def resource(self) -> str:
        """The part of the name before the dot (``"product"``)."""
        return self.name.partition(".")[0]

    @property
    def action(self) -> str:
        """The part of the name after the dot (``"updated"``)."""
        return self.name.partition(".")[2]

    @property
    def known(self) -> bool:
        """Whether the router turns this event into a job."""
        return self.name in MEDUSA_EVENTS

    @property
    def entity_id(self) -> str:
        """``data.id``: the id of the product, order, inventory item, vendor or tenant."""
        return self.data.id

    @property
    def ids(self) -> dict[str, str]:
        """The ids this event is about, keyed by kind (``{"product_id": "prod_..."}``).

        ``inventory.low`` gives ``inventory_item_id`` plus any other ``*_id`` text field of
        ``data`` (such as ``location_id``).
        """
        if self.resource == "inventory":
            extra = self.data.model_extra or {}
            more = {k: v for k, v in extra.items() if k.endswith("_id") and isinstance(v, str)}
            return {"inventory_item_id": self.data.id, **more}
        return {f"{self.resource or 'entity'}_id": self.data.id}

    @property
    def collection(self) -> None:
        """Always ``None``: Medusa events have no Payload collection."""
        return None

    @property
    def handle(self) -> str | None:
        """``data.handle`` when the sender included it."""
        return _text_field(self.data.model_extra, "handle")

    @property
    def slug(self) -> None:
        """Always ``None``: Medusa events carry no page slug."""
        return None


class PayloadEvent(_Event):
    """A change reported by the Payload ``afterChange``/``afterDelete`` hook.

    ``status``/``previous_status`` are the doc's publish state now and before the change
    (``None`` for a collection without drafts, such as ``stores``).
    """

    source: ClassVar[Source] = "payload"

    name: Name = Field(validation_alias="event")
    collection: Annotated[str, Field(min_length=1, max_length=128)]
    operation: Annotated[str, Field(min_length=1, max_length=32)]
    doc_id: DocId = Field(validation_alias="id")
    status: str | None = None
    previous_status: str | None = None
    doc: dict[str, Any] | None = None
    sent_at: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, values: Any) -> Any:
        if isinstance(values, dict) and values.get("event") is None:
            collection, operation = values.get("collection"), values.get("operation")
            if isinstance(collection, str) and isinstance(operation, str):
                return {**values, "event": f"{collection}.{operation}"}
        return values

    @model_validator(mode="after")
    def _name_matches(self) -> PayloadEvent:
        if self.name != f"{self.collection}.{self.operation}":
            raise ValueError("event must be '{collection}.{operation}'")
        return self

    @property
    def known(self) -> bool:
        """Whether the router handles this collection and operation."""
        return self.collection in PAYLOAD_COLLECTIONS and self.operation in PAYLOAD_OPERATIONS

    @property
    def published(self) -> bool:
        """The doc is published now (``status == "published"``)."""
        return self.status == PUBLISHED

    @property
    def was_published(self) -> bool:
        """The doc was published before this change."""
        return self.previous_status == PUBLISHED

    @property
    def is_draft(self) -> bool:
        """The doc has a publish state and it is not ``published``."""
        return self.status is not None and self.status != PUBLISHED

    @property
    def ids(self) -> dict[str, str]:
        """``{"content_id"|"page_id"|"store_id"|"doc_id": id}``; product content adds
        ``product_id`` when the doc names its ``medusaProductId``."""
        ids = {_ID_KEYS.get(self.collection, "doc_id"): self.doc_id}
        product_id = _text_field(self.doc, "medusaProductId")
        if self.collection == "product-content" and product_id:
            ids["product_id"] = product_id
        return ids

    @property
    def handle(self) -> str | None:
        """``doc.handle`` when sent (product content, stores)."""
        return _text_field(self.doc, "handle")

    @property
    def slug(self) -> str | None:
        """``doc.slug`` when sent (pages)."""
        return _text_field(self.doc, "slug")


WebhookEvent = MedusaEvent | PayloadEvent
"""Either event; both expose ``source``, ``name``, ``ids``, ``collection``, ``handle``, ``slug``."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json_object(body: bytes | str) -> dict[str, Any]:
    """Decode a UTF-8 JSON object (no ``NaN``/``Infinity``).

    Raises:
        WebhookPayloadError: 400 when the body is not UTF-8, not JSON or not an object.
    """
    try:
        text = body if isinstance(body, str) else bytes(body).decode("utf-8")
        value = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise WebhookPayloadError("body is not UTF-8", status=400) from None
    except (ValueError, RecursionError):
        raise WebhookPayloadError("body is not valid JSON", status=400) from None
    if not isinstance(value, dict):
        raise WebhookPayloadError("body is not a JSON object", status=400)
    return value


def _explain(source: str, error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False, include_input=False)[:3]:
        where = ".".join(str(p) for p in item["loc"]) or "body"
        parts.append(f"{where}: {item['msg']}")
    return f"invalid {source} event: " + "; ".join(parts)


def _parse(model: type[_Event], source: str, body: bytes | str | Mapping[str, Any]) -> Any:
    values = dict(body) if isinstance(body, Mapping) else load_json_object(body)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise WebhookPayloadError(_explain(source, exc)[:500]) from None


def parse_medusa_event(body: bytes | str | Mapping[str, Any]) -> MedusaEvent:
    """Parse a Medusa webhook body (raw bytes, text or an already decoded mapping).

    Raises:
        WebhookPayloadError: 400 when the body is not a JSON object, 422 when it lacks
            ``event`` or ``data.id`` or has them in the wrong type.
    """
    event: MedusaEvent = _parse(MedusaEvent, "medusa", body)
    return event


def parse_payload_event(body: bytes | str | Mapping[str, Any]) -> PayloadEvent:
    """Parse a Payload webhook body (raw bytes, text or an already decoded mapping).

    Raises:
        WebhookPayloadError: 400 when the body is not a JSON object, 422 when ``collection``,
            ``operation`` or ``id`` is missing or wrong, or ``event`` is not
            ``"{collection}.{operation}"``.
    """
    event: PayloadEvent = _parse(PayloadEvent, "payload", body)
    return event


def parse_event(source: Source, body: bytes | str | Mapping[str, Any]) -> WebhookEvent:
    """Parse a body from ``source`` (``"medusa"`` or ``"payload"``)."""
    return parse_medusa_event(body) if source == "medusa" else parse_payload_event(body)

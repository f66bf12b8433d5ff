"""Medusa's ``fields`` selection and response shaping for the fake (defaults per route)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Selection", "parse_fields", "shape"]

PRODUCT_STORE_DEFAULT = [
    "id",
    "title",
    "subtitle",
    "description",
    "handle",
    "is_giftcard",
    "discountable",
    "thumbnail",
    "collection_id",
    "type_id",
    "weight",
    "length",
    "height",
    "width",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
    "created_at",
    "updated_at",
    "type",
    "collection",
    "options",
    "tags",
    "images",
    "variants",
]
# Retrieving one product on the store also returns its categories (the list does not).
PRODUCT_STORE_RETRIEVE_DEFAULT = [*PRODUCT_STORE_DEFAULT, "categories"]
PRODUCT_ADMIN_DEFAULT = [
    *PRODUCT_STORE_DEFAULT,
    "status",
    "external_id",
    "deleted_at",
    "metadata",
    "sales_channels",
]
VARIANT_DEFAULT = [
    "id",
    "title",
    "sku",
    "barcode",
    "ean",
    "upc",
    "allow_backorder",
    "manage_inventory",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
    "weight",
    "length",
    "height",
    "width",
    "metadata",
    "variant_rank",
    "thumbnail",
    "product_id",
    "created_at",
    "updated_at",
    "deleted_at",
    "options",
]


@dataclass
class Selection:
    """Which fields to return, after applying ``+``, ``-``, ``*`` and plain names to defaults."""

    top: list[str]
    relations: dict[str, set[str] | None] = field(default_factory=dict)  # None = all fields

    def wants(self, path: str) -> bool:
        """Whether ``variants.calculated_price``-style ``path`` was asked for."""
        head, _, rest = path.partition(".")
        if not rest:
            return head in self.top
        sub = self.relations.get(head, set())
        return sub is None or rest in sub


def parse_fields(raw: str | None, defaults: list[str]) -> Selection:
    """Apply a ``fields`` string to the defaults of a route, as Medusa does."""
    tokens = [t.strip() for t in (raw or "").split(",") if t.strip()]
    plain = [t for t in tokens if t[0] not in "+-*"]
    top = ["id", *[p for p in plain if "." not in p]] if plain else list(defaults)
    relations: dict[str, set[str] | None] = {}
    for token in tokens:
        name = token.lstrip("+-*")
        head, _, rest = name.partition(".")
        if token.startswith("-"):
            if name in top:
                top.remove(name)
            continue
        if head not in top:
            top.append(head)
        if token.startswith("*") and not rest:
            relations[head] = None
        elif rest:
            current = relations.setdefault(head, set())
            if current is not None:
                current.add(rest)
    return Selection(top=top, relations=relations)


def shape(record: Mapping[str, Any], selection: Selection, known: set[str]) -> dict[str, Any]:
    """The record with only the selected top-level fields (unknown names are dropped)."""
    return {
        name: copy.deepcopy(record.get(name))
        for name in selection.top
        if name in known or name in record
    }

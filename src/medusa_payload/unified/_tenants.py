"""Tenants: which Medusa sales channel and publishable key a tenant's reads go through."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import InvalidArgumentError

__all__ = ["TenantRoute", "channel_of", "check_tenants", "headers_of", "route_of"]


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"sales_channel_id must be a non-empty str, got {value!r}")
    return value


@attrs.frozen
class TenantRoute:
    """Where one tenant's storefront reads come from.

    ```python
    UnifiedClient(..., tenants={"acme": TenantRoute(sales_channel_id="sc_...",
                                                    publishable_key="pk_...")})
    shop.get_product("tee", tenant_id="acme")   # acme's channel, with acme's key
    ```

    Attributes:
        sales_channel_id: the tenant's Medusa sales channel: its product reads are limited to it.
        publishable_key: the tenant's ``pk_...`` key (sent instead of the client's), so Medusa
            itself refuses other tenants' channels; ``None``: the client's key.
    """

    sales_channel_id: str = attrs.field(converter=_text)
    publishable_key: str | None = None

    def headers(self) -> dict[str, str]:
        """The per-call headers of this tenant's Medusa store calls."""
        if self.publishable_key is None:
            return {}
        return {"x-publishable-api-key": self.publishable_key}


def route_of(tenants: Mapping[str, TenantRoute], tenant_id: str | None) -> TenantRoute | None:
    """The route of ``tenant_id`` (``None`` without a tenant or without any routes).

    Raises:
        InvalidArgumentError: routes are configured and ``tenant_id`` is not one of them.
    """
    if tenant_id is None or not tenants:
        return None
    route = tenants.get(tenant_id)
    if route is None:
        raise InvalidArgumentError(
            f"unknown tenant {tenant_id!r} (configured tenants: {sorted(tenants)})"
        )
    return route


def check_tenants(tenants: Mapping[str, Any] | None) -> dict[str, TenantRoute]:
    """``tenants=`` of the client, checked: every value a `TenantRoute`."""
    out: dict[str, TenantRoute] = {}
    for key, route in (tenants or {}).items():
        if not isinstance(route, TenantRoute):
            raise TypeError(f"tenants[{key!r}] must be a TenantRoute, got {type(route).__name__}")
        out[str(key)] = route
    return out


def channel_of(route: TenantRoute | None) -> str | None:
    """The route's sales channel (``None`` without a route)."""
    return None if route is None else route.sales_channel_id


def headers_of(route: TenantRoute | None) -> dict[str, str]:
    """The route's per-call headers (none without a route)."""
    return {} if route is None else route.headers()

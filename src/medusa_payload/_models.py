"""The base of every response model: lenient, so a new server field never breaks a user."""

from __future__ import annotations

from collections.abc import Iterable

import pydantic

__all__ = ["BaseModel", "set_request_id"]

_set = object.__setattr__


class BaseModel(pydantic.BaseModel):
    """A pydantic model that keeps unknown fields (``model_extra``) instead of failing on them.

    Fields the SDK knows are typed attributes; anything else the server sends is still there:
    ``product.model_extra["new_field"]`` or ``product.model_dump()``.

    A model returned by a client call carries ``_request_id``: the ``x-request-id`` of the
    response it came from (or the one sent, when the server echoes none). It is not a field:
    ``model_dump()``, JSON and ``==`` leave it out, and ``model_copy()`` does not keep it.
    """

    # A plain slot, not a pydantic private attribute: those are set up on every instance
    # (nested models included), which doubled the validation time of a page of products.
    __slots__ = ("_request_id_value",)

    model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True)

    @property
    def _request_id(self) -> str | None:
        """The ``x-request-id`` of the response this model came from (``None``: not from a call)."""
        try:
            value: str = object.__getattribute__(self, "_request_id_value")
        except AttributeError:
            return None
        return value


def set_request_id(models: Iterable[object], request_id: str) -> None:
    """Stamp ``request_id`` on each model of ``models`` that can carry one."""
    for model in models:
        if isinstance(model, BaseModel):
            _set(model, "_request_id_value", request_id)

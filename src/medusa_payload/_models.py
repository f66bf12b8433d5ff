"""The base of every response model: lenient, so a new server field never breaks a user."""

from __future__ import annotations

from collections.abc import Iterable

import pydantic

__all__ = ["BaseModel", "set_request_id"]


class _RequestIdBox:
    """Holds a model's request id. It equals any box and ``None`` (a model without an id), so
    the id never makes two models unequal (pydantic compares private attributes in ``==``)."""

    __slots__ = ("value",)

    def __init__(self, value: str | None) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, _RequestIdBox)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<request id {self.value!r}>"


class BaseModel(pydantic.BaseModel):
    """A pydantic model that keeps unknown fields (``model_extra``) instead of failing on them.

    Fields the SDK knows are typed attributes; anything else the server sends is still there:
    ``product.model_extra["new_field"]`` or ``product.model_dump()``.

    A model returned by a client call carries ``_request_id``: the ``x-request-id`` of the
    response it came from (or the one sent, when the server echoes none). It is not a field:
    ``model_dump()``, ``==`` and JSON leave it out.
    """

    model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True)

    _request_id_box: _RequestIdBox | None = pydantic.PrivateAttr(default=None)

    @property
    def _request_id(self) -> str | None:
        """The ``x-request-id`` of the response this model came from (``None``: not from a call)."""
        box = self._request_id_box
        return None if box is None else box.value


def set_request_id(models: Iterable[object], request_id: str) -> None:
    """Stamp ``request_id`` on each model of ``models`` that can carry one (one shared box)."""
    box = _RequestIdBox(request_id)
    for model in models:
        if isinstance(model, BaseModel):
            model._request_id_box = box

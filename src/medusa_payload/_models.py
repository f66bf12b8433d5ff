"""The base of every response model: lenient, so a new server field never breaks a user."""

from __future__ import annotations

import pydantic

__all__ = ["BaseModel"]


class BaseModel(pydantic.BaseModel):
    """A pydantic model that keeps unknown fields (``model_extra``) instead of failing on them.

    Fields the SDK knows are typed attributes; anything else the server sends is still there:
    ``product.model_extra["new_field"]`` or ``product.model_dump()``.
    """

    model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True)

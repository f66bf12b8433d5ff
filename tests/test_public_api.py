"""Every public package lists exactly its public names in ``__all__``."""

from __future__ import annotations

import importlib
import types

import pytest

PACKAGES = [
    "medusa_payload",
    "medusa_payload.errors",
    "medusa_payload.medusa",
    "medusa_payload.payload",
    "medusa_payload.pagination",
    "medusa_payload.testing",
    "medusa_payload.queue",
    "medusa_payload.sync",
    "medusa_payload.webhooks",
    "medusa_payload.unified",
    "medusa_payload.observability",
]


def _public_names(module: types.ModuleType) -> set[str]:
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        owner = getattr(value, "__module__", None)
        if owner is not None and owner.startswith("medusa_payload"):
            names.add(name)
    return names


@pytest.mark.parametrize("name", PACKAGES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "duplicates in __all__"
    missing = {n for n in exported if not hasattr(module, n)}
    assert not missing, f"__all__ names that do not exist: {missing}"
    unlisted = _public_names(module) - exported - {"annotations"}
    assert not unlisted, f"public names missing from __all__: {unlisted}"


def test_top_level_has_the_design_names() -> None:
    import medusa_payload

    for name in (
        "Settings",
        "MedusaClient",
        "AsyncMedusaClient",
        "PayloadClient",
        "AsyncPayloadClient",
        "Where",
    ):
        assert name in medusa_payload.__all__


def test_every_error_class_is_importable_from_the_top_level() -> None:
    import medusa_payload
    from medusa_payload import errors

    classes = [
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type) and issubclass(getattr(errors, name), Exception)
    ]
    assert {"ConflictError", "UnprocessableEntityError", "InternalServerError"} <= set(classes)
    assert "PartialFailureError" in classes
    for name in classes:
        assert name in medusa_payload.__all__, name
        assert getattr(medusa_payload, name) is getattr(errors, name)


@pytest.mark.parametrize("package", ["medusa_payload.unified", "medusa_payload.payload"])
def test_the_cms_page_is_cms_page_and_page_is_a_deprecated_alias(package: str) -> None:
    module = importlib.import_module(package)
    assert "CmsPage" in module.__all__ and "Page" not in module.__all__
    with pytest.warns(DeprecationWarning, match=rf"{package}\.Page is now {package}\.CmsPage"):
        old = module.Page
    assert old is module.CmsPage
    with pytest.raises(AttributeError):
        module.NoSuchName  # noqa: B018

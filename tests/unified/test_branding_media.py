"""An uploaded store logo comes back from get_store_branding as an absolute URL on the CMS."""

from __future__ import annotations

import httpx

from medusa_payload import PayloadClient
from medusa_payload.payload import Store
from medusa_payload.unified._merge import branding_from
from tests.helpers import close
from tests.payload.test_editors import tiny_png
from tests.unified.conftest import make_shop


async def test_an_uploaded_logo_is_an_absolute_url_that_answers() -> None:
    shop = make_shop("sync")
    fake = shop.payload_fake
    try:
        with PayloadClient(fake.base_url, api_key=fake.api_key, transport=fake.transport) as p:
            logo = p.create("media", {"alt": "Logo"}, file=("acme.png", tiny_png(), "image/png"))
            store = p.find("stores", where={"handle": {"equals": "acme"}}).items[0]
            p.update_by_id("stores", store.id, {"branding": {"logoMedia": logo.id}})
        branding = shop.unified.get_store_branding("acme")
        assert branding.logo == "http://payload.fake/api/media/file/acme.png"
        served = httpx.Client(transport=fake.transport).get(branding.logo)
        assert (served.status_code, served.content) == (200, tiny_png())
    finally:
        for client in shop.clients:
            await close(client)


def test_a_logo_path_without_upload_is_kept_as_set() -> None:
    store = Store.model_validate({"id": 1, "handle": "a", "branding": {"logo": "/logo.svg"}})
    assert branding_from(store, "a", media_base="http://cms").logo == "/logo.svg"
    unpopulated = Store.model_validate({"id": 1, "handle": "a", "branding": {"logoMedia": 7}})
    assert branding_from(unpopulated, "a", media_base="http://cms").logo is None
    cdn = Store.model_validate(
        {"id": 1, "handle": "a", "branding": {"logoMedia": {"id": 7, "url": "https://cdn/x.png"}}}
    )
    assert branding_from(cdn, "a", media_base="http://cms").logo == "https://cdn/x.png"

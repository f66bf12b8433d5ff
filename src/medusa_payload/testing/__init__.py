"""In-memory Medusa and Payload servers for tests, demos and benchmarks.

`FakeMedusa` and `FakePayload` answer like Medusa 2.21 and Payload 3.90 (the same contract
tests run against them and against the real servers). Use them as httpx transports::

    fake = FakeMedusa()
    client = MedusaClient(fake.base_url, publishable_key=fake.publishable_key,
                          transport=fake.transport)

or over HTTP with ``python -m medusa_payload.testing serve``. Every request is recorded
(``fake.requests``, ``fake.count("GET /store/products")``) and faults can be injected
(``fake.inject("GET /api/product-content", status=500, times=2)``). pytest fixtures:
``pytest_plugins = ["medusa_payload.testing.pytest_plugin"]``.
"""

from ._medusa import FakeMedusa
from ._payload import FakePayload
from ._payload_locales import FakeLocalization
from ._payload_schema import CollectionSpec, FieldSpec, GlobalSpec, default_collections
from ._seed import seed_checkout, seed_demo
from ._seed_locales import seed_locales
from ._serve import serve_http
from ._transport import FakeRequest, FakeResponse, FakeServer, Fault, RecordedRequest

__all__ = [
    "CollectionSpec",
    "FakeLocalization",
    "FakeMedusa",
    "FakePayload",
    "FakeRequest",
    "FakeResponse",
    "FakeServer",
    "Fault",
    "FieldSpec",
    "GlobalSpec",
    "RecordedRequest",
    "default_collections",
    "seed_checkout",
    "seed_demo",
    "seed_locales",
    "serve_http",
]

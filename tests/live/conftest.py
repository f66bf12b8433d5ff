"""The real-server tier: Medusa 2.21.2 + Payload 3.90.2 started by ``tests/live/stack``.

Run ``bash tests/live/stack/live-stack.sh all`` first (or let ``.ci/run`` do it), then
``python -m pytest -m live``. The tests read the stack's ``live.env`` (``LIVE_ENV`` or
``$STACK_DIR/live.env``); without it they skip, which CI turns into a failure.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from medusa_payload import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient
from tests.live._env import load_live_env


@pytest.fixture(scope="session")
def live_env() -> dict[str, str]:
    """The stack's URLs, keys and seeded ids; skips when the stack is not running."""
    return load_live_env()


@pytest.fixture
def unique() -> str:
    """A short unique suffix, so tests never collide with earlier runs' data."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def medusa(live_env: dict[str, str]) -> Iterator[MedusaClient]:
    with MedusaClient(
        live_env["MEDUSA_URL"],
        publishable_key=live_env["MEDUSA_PUBLISHABLE_KEY"],
        api_key=live_env["MEDUSA_SECRET_API_KEY"],
    ) as client:
        yield client


@pytest.fixture
async def amedusa(live_env: dict[str, str]) -> AsyncIterator[AsyncMedusaClient]:
    async with AsyncMedusaClient(
        live_env["MEDUSA_URL"],
        publishable_key=live_env["MEDUSA_PUBLISHABLE_KEY"],
        api_key=live_env["MEDUSA_SECRET_API_KEY"],
    ) as client:
        yield client


@pytest.fixture
def payload(live_env: dict[str, str]) -> Iterator[PayloadClient]:
    with PayloadClient(live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_API_KEY"]) as client:
        yield client


@pytest.fixture
async def apayload(live_env: dict[str, str]) -> AsyncIterator[AsyncPayloadClient]:
    async with AsyncPayloadClient(
        live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_API_KEY"]
    ) as client:
        yield client

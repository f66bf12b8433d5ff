"""Fixtures of the webhook tests (helpers live in ``helpers.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medusa_payload.webhooks import WebhookReceiver, sign_headers
from tests.webhooks.helpers import MEDUSA_SECRET, PAYLOAD_SECRET, Clock, FakeQueue, Signer


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def signer(clock: Clock) -> Signer:
    """``signer(body, secret=MEDUSA_SECRET, **kw)``: headers signed at the fake clock's time."""

    def make(body: bytes, secret: Any = MEDUSA_SECRET, **kw: Any) -> dict[str, str]:
        kw.setdefault("timestamp", clock.now)
        return sign_headers(body, secret, **kw)

    return make


@pytest.fixture
def medusa_receiver(queue: FakeQueue, clock: Clock) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock)
    yield receiver
    receiver.close()


@pytest.fixture
def payload_receiver(queue: FakeQueue, clock: Clock) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(queue, PAYLOAD_SECRET, source="payload", clock=clock)
    yield receiver
    receiver.close()

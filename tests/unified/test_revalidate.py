"""`HttpRevalidator`: signed POSTs to non-Python storefronts, retried within a bound."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable

import httpx
import pytest

from medusa_payload.errors import ConfigurationError
from medusa_payload.queue import InMemoryQueue
from medusa_payload.unified import HttpRevalidator, InMemoryBus, Invalidation, RevalidationError
from medusa_payload.webhooks import WebhookReceiver, sign_headers, verify

SECRET = "whsec_" + "cmV2YWxpZGF0ZS10ZXN0LXNlY3JldC0zMi1ieXRlcyE="
NEXT = "http://next.test/api/revalidate"
OTHER = "http://other.test/api/revalidate"


class Recorder:
    """A transport answering per URL from a script of statuses (or exceptions)."""

    def __init__(self, script: dict[str, list[int | Exception]]) -> None:
        self.script = script
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answers = self.script[str(request.url)]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def revalidator(recorder: Recorder, **kw: object) -> HttpRevalidator:
    return HttpRevalidator(
        list(recorder.script), SECRET, backoff=0, transport=recorder.transport(), **kw
    )


async def test_each_url_gets_the_signed_message() -> None:
    recorder = Recorder({NEXT: [200], OTHER: [204]})
    publisher = revalidator(recorder)
    await publisher.publish(Invalidation(product="prod_1", handle="tee", reason="product.updated"))
    await publisher.aclose()
    assert sorted(str(r.url) for r in recorder.seen) == [NEXT, OTHER]
    for request in recorder.seen:
        verify(request.content, request.headers, SECRET)  # raises when not signed right
        body = json.loads(request.content)
        assert body == {
            "type": "medusa-payload.invalidation",
            "product": "prod_1",
            "handle": "tee",
            "page": None,
            "store": None,
            "resources": [],
            "everything": False,
            "reason": "product.updated",
        }


@pytest.mark.parametrize(
    "failure", [503, 429, httpx.ConnectError("refused"), httpx.ReadTimeout("slow")]
)
async def test_passing_failures_are_tried_again_with_the_same_id(
    failure: int | Exception,
) -> None:
    recorder = Recorder({NEXT: [failure, failure, 200]})
    await revalidator(recorder, tries=3).publish(Invalidation(page="about"))
    assert len(recorder.seen) == 3
    assert len({r.headers["webhook-id"] for r in recorder.seen}) == 1


async def test_a_final_4xx_is_not_retried_and_the_others_still_get_it() -> None:
    recorder = Recorder({NEXT: [401], OTHER: [200]})
    with pytest.raises(RevalidationError) as failed:
        await revalidator(recorder).publish(Invalidation(page="about"))
    assert failed.value.failed == {NEXT: "HTTP 401"}
    assert [str(r.url) for r in recorder.seen].count(NEXT) == 1
    assert [str(r.url) for r in recorder.seen].count(OTHER) == 1


async def test_every_try_failing_says_why() -> None:
    recorder = Recorder({NEXT: [502]})
    with pytest.raises(RevalidationError, match=r"revalidate \(HTTP 502\)"):
        await revalidator(recorder, tries=2).publish(Invalidation.all("gap"))
    assert len(recorder.seen) == 2


@pytest.mark.parametrize(
    "make",
    [
        lambda: HttpRevalidator([], SECRET),
        lambda: HttpRevalidator([NEXT], SECRET, tries=0),
        lambda: HttpRevalidator([NEXT], SECRET, timeout=0),
    ],
)
def test_bad_settings_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(ConfigurationError):
        make()


async def test_the_receiver_publishes_to_a_bus_and_to_urls() -> None:
    bus = InMemoryBus()
    subscription = await bus.subscribe()
    recorder = Recorder({NEXT: [200]})
    publisher = revalidator(recorder)
    receiver = WebhookReceiver(
        InMemoryQueue(), "receiver-secret", source="medusa", bus=[bus, publisher]
    )
    body = json.dumps({"event": "product.updated", "data": {"id": "prod_9"}}).encode()
    receipt = await receiver.ahandle(body, sign_headers(body, "receiver-secret"))
    assert receipt.status == 202
    assert (await subscription.next()).product == "prod_9"
    assert json.loads(recorder.seen[0].content)["product"] == "prod_9"
    await subscription.aclose()
    await publisher.aclose()


async def test_a_url_that_never_answers_fails_within_the_bound() -> None:
    """tries * timeout (+ backoff): a silent server cannot hold the receiver."""
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/revalidate"
        publisher = HttpRevalidator([url], SECRET, tries=2, timeout=0.2, backoff=0)
        started = time.monotonic()
        with pytest.raises(RevalidationError, match="ReadTimeout"):
            await publisher.publish(Invalidation(page="about"))
        assert time.monotonic() - started < 5  # the bound is 0.4 s; 5 s leaves room for load
        await publisher.aclose()

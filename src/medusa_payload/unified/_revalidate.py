"""`HttpRevalidator`: each invalidation as a signed POST to configured URLs, with retries.

For storefronts that are not Python (e.g. a Next.js route calling ``revalidateTag``): the
receiver publishes to it like to a bus (``WebhookReceiver(..., bus=[redis_bus, revalidator])``)
and every URL gets the message, signed the Standard Webhooks way (the ``standardwebhooks``
package verifies it in Node).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Sequence

import httpx

from ..errors import ConfigurationError, MedusaPayloadError
from ..webhooks._signing import SecretsLike, sign_headers
from ._bus import PerLoop
from ._changes import Invalidation

__all__ = ["HttpRevalidator", "RevalidationError", "revalidation_body"]

logger = logging.getLogger("medusa_payload.unified.bus")

MESSAGE_TYPE = "medusa-payload.invalidation"


class RevalidationError(MedusaPayloadError):
    """Some URLs did not take a revalidation message after every try.

    Attributes:
        failed: the URLs that failed, with the last status or error of each.
    """

    def __init__(self, failed: dict[str, str]) -> None:
        super().__init__(
            "revalidation failed: " + ", ".join(f"{u} ({why})" for u, why in failed.items())
        )
        self.failed = failed


def revalidation_body(change: Invalidation) -> bytes:
    """The JSON a URL receives: ``{"type": "medusa-payload.invalidation", "product": ...,
    "handle": ..., "page": ..., "store": ..., "resources": [...], "everything": false,
    "reason": ...}``."""
    return json.dumps(
        {
            "type": MESSAGE_TYPE,
            "product": change.product,
            "handle": change.handle,
            "page": change.page,
            "store": change.store,
            "resources": list(change.resources),
            "everything": change.everything,
            "reason": change.reason,
        },
        separators=(",", ":"),
    ).encode()


class HttpRevalidator:
    """POSTs every published `Invalidation` to each URL, signed, retrying failures.

    Args:
        urls: where to POST (e.g. ``https://shop.example.com/api/revalidate``).
        secret: the Standard Webhooks secret (``whsec_...``), or several during a rotation.
        tries: attempts per URL (3). A transport error, a 429 or a 5xx is tried again after
            ``backoff`` seconds, doubling; any other 4xx is final.
        timeout: seconds one attempt may take (1 s).
        backoff: seconds before the second attempt (0.2).
        transport: an ``httpx.AsyncBaseTransport`` (tests).

    One `publish` thus takes at most ``tries * timeout + backoff * (2 ** (tries - 1) - 1)``
    seconds (3.6 s with the defaults, inside the receiver's 5 s bound for auxiliary calls).
    Every attempt of one message carries the same ``webhook-id``, so a URL can drop repeats.

    Raises:
        ConfigurationError: no URL, or ``tries < 1``.
    """

    def __init__(
        self,
        urls: Sequence[str],
        secret: SecretsLike,
        *,
        tries: int = 3,
        timeout: float = 1.0,
        backoff: float = 0.2,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not urls or tries < 1 or timeout <= 0 or backoff < 0:
            raise ConfigurationError("HttpRevalidator needs urls, tries >= 1, timeout > 0")
        self.urls = list(urls)
        self._secret = secret
        self.tries = tries
        self.timeout = timeout
        self.backoff = backoff
        self._clients = PerLoop(lambda: httpx.AsyncClient(timeout=timeout, transport=transport))

    def __repr__(self) -> str:
        return f"HttpRevalidator(urls={self.urls!r})"

    async def publish(self, change: Invalidation) -> None:
        """POST ``change`` to every URL at once.

        Raises:
            RevalidationError: some URLs failed every try (the others got it).
        """
        body = revalidation_body(change)
        msg_id = f"msg_{uuid.uuid4().hex}"
        results = await asyncio.gather(*(self._deliver(url, body, msg_id) for url in self.urls))
        failed = {url: why for url, why in zip(self.urls, results, strict=True) if why is not None}
        if failed:
            raise RevalidationError(failed)

    async def _deliver(self, url: str, body: bytes, msg_id: str) -> str | None:
        """``None`` once ``url`` took the message, else why the last try failed."""
        client = self._clients.get()
        why = ""
        for attempt in range(self.tries):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                answer = await client.post(
                    url, content=body, headers=sign_headers(body, self._secret, msg_id=msg_id)
                )
            except httpx.HTTPError as exc:
                why = type(exc).__name__
                continue
            if answer.is_success:
                return None
            why = f"HTTP {answer.status_code}"
            if answer.status_code != 429 and answer.status_code < 500:
                break
        logger.warning("revalidation of %s failed: %s", url, why)
        return why

    async def aclose(self) -> None:
        """Close the HTTP clients: this loop's, and those of other running loops."""
        await self._clients.aclose(self.timeout)

    def close(self) -> None:
        """`aclose` for sync code (no event loop of its own running in this thread)."""
        self._clients.close(self.timeout)

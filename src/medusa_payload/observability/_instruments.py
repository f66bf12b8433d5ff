"""The seam every metric goes through: a no-op `Instruments` until metrics are enabled.

Code that counts something calls ``_instruments.ACTIVE.<event>(...)``. Until `enable_metrics`
(the ``[metrics]`` extra) swaps in the Prometheus implementation, that is one attribute lookup
and one call of an empty method: prometheus-client is never imported.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ACTIVE", "Instruments", "install", "queue_label"]


class Instruments:
    """What the SDK reports; every method does nothing here (metrics off).

    Labels are bounded by design: services, HTTP methods, route templates, status codes,
    resource and job names, outcomes. Never an id, a handle or a path with ids in it.
    """

    __slots__ = ()

    def http_request(
        self, service: str, method: str, path: str, status: str, seconds: float
    ) -> None:
        """One HTTP attempt ended: ``status`` is the code, or the error class of a failure."""

    def http_retry(self, service: str, method: str, path: str) -> None:
        """An HTTP call is about to be retried."""

    def cache_event(self, resource: str, outcome: str) -> None:
        """A unified-cache read: ``hit``, ``miss``, ``stale`` (served after an upstream
        failure) or ``negative_hit`` (a remembered 404); ``shared_<outcome>`` for what the
        shared cache did (see `medusa_payload.unified.CacheStats`)."""

    def job_done(self, queue: str, name: str, status: str, seconds: float) -> None:
        """One job attempt ended: ``completed``, ``retrying``, ``failed`` or ``lost``."""

    def queue_counts(self, queue: str, counts: Mapping[str, int]) -> None:
        """The queue's jobs per state (``waiting``, ``active``, ...), as last read."""

    def webhook(self, source: str, status: int, outcome: str) -> None:
        """One delivery answered: its HTTP status and outcome (``accepted``, ``duplicate``,
        ``ignored``, ``rejected``, ``failed``)."""

    def sync_result(self, job: str, action: str) -> None:
        """One applier ran: its action (``created``, ``updated``, ``no_change``, ``skipped``...)."""

    def reconcile_item(self, kind: str, status: str) -> None:
        """Reconciliation found one pair out of sync: ``missing``, ``orphaned``, ``drifted``,
        ``conflict`` (cannot be paired safely), ``error`` or ``unpaired``."""


def queue_label(queue: object) -> str:
    """The ``queue`` label of a queue: its name (`RedisQueue`), else ``default`` (in memory)."""
    return str(getattr(queue, "name", None) or "default")


ACTIVE: Instruments = Instruments()
"""The instruments in use (no-op until `install`)."""


def install(instruments: Instruments) -> Instruments:
    """Make ``instruments`` the active ones; returns the previous."""
    global ACTIVE
    previous, ACTIVE = ACTIVE, instruments
    return previous

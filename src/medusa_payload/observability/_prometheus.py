"""The Prometheus implementation of `Instruments` (the ``[metrics]`` extra: prometheus-client).

Metric names (all counters end in ``_total`` in the exposition):

| metric | labels |
|---|---|
| ``medusa_payload_http_requests_total`` | service, method, route, status |
| ``medusa_payload_http_request_duration_seconds`` (histogram) | service, method, route |
| ``medusa_payload_http_retries_total`` | service, method, route |
| ``medusa_payload_cache_events_total`` | resource, outcome (hit, miss, stale, negative_hit) |
| ``bullmq_job_count`` (gauge, as BullMQ's exporter) | queue, state |
| ``medusa_payload_jobs_total`` | queue, name, status |
| ``medusa_payload_job_duration_seconds`` (histogram) | queue, name |
| ``medusa_payload_webhooks_total`` | source, status, outcome |
| ``medusa_payload_sync_results_total`` | job, action |
| ``medusa_payload_reconcile_items_total`` | kind, status (conflict, drifted, missing...) |

``route`` is a template: a path segment holding a digit (every Medusa and Payload id does) or
longer than 40 characters becomes ``{id}``; past `MAX_ROUTES` distinct templates, ``other``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from ..errors import ConfigurationError
from ._instruments import Instruments
from ._routes import route_template

__all__ = ["MAX_ROUTES", "PrometheusInstruments", "route_template"]

MAX_ROUTES = 500
"""Distinct route templates kept as labels; later ones are counted as ``other``."""


class PrometheusInstruments(Instruments):
    """`Instruments` that update prometheus-client metrics in ``registry``.

    Raises:
        ConfigurationError: prometheus-client is not installed (``pip install
            'medusa-payload[metrics]'``).
    """

    __slots__ = (
        "_cache",
        "_http",
        "_http_seconds",
        "_job_seconds",
        "_jobs",
        "_lock",
        "_queue",
        "_reconcile",
        "_retries",
        "_routes",
        "_sync",
        "_webhooks",
        "registry",
    )

    def __init__(self, registry: Any = None) -> None:
        try:
            import prometheus_client as prom
        except ImportError:
            raise ConfigurationError(
                "metrics need prometheus-client: pip install 'medusa-payload[metrics]'"
            ) from None
        self.registry = registry if registry is not None else prom.CollectorRegistry()
        reg = self.registry
        http = ("service", "method", "route")
        self._http = prom.Counter(
            "medusa_payload_http_requests", "HTTP attempts", [*http, "status"], registry=reg
        )
        self._http_seconds = prom.Histogram(
            "medusa_payload_http_request_duration_seconds",
            "Seconds per HTTP attempt",
            http,
            registry=reg,
        )
        self._retries = prom.Counter(
            "medusa_payload_http_retries", "HTTP retries", http, registry=reg
        )
        self._cache = prom.Counter(
            "medusa_payload_cache_events",
            "Unified cache reads by outcome",
            ["resource", "outcome"],
            registry=reg,
        )
        self._queue = prom.Gauge(
            "bullmq_job_count", "Jobs per state", ["queue", "state"], registry=reg
        )
        self._jobs = prom.Counter(
            "medusa_payload_jobs", "Job attempts by end", ["queue", "name", "status"], registry=reg
        )
        self._job_seconds = prom.Histogram(
            "medusa_payload_job_duration_seconds",
            "Seconds per job attempt",
            ["queue", "name"],
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
            registry=reg,
        )
        self._webhooks = prom.Counter(
            "medusa_payload_webhooks",
            "Webhook deliveries answered",
            ["source", "status", "outcome"],
            registry=reg,
        )
        self._sync = prom.Counter(
            "medusa_payload_sync_results", "Sync appliers run", ["job", "action"], registry=reg
        )
        self._reconcile = prom.Counter(
            "medusa_payload_reconcile_items",
            "Pairs reconciliation found out of sync",
            ["kind", "status"],
            registry=reg,
        )
        self._routes: set[str] = set()
        self._lock = threading.Lock()

    def _route(self, path: str) -> str:
        route = route_template(path)
        if route in self._routes:
            return route
        with self._lock:
            if len(self._routes) >= MAX_ROUTES:
                return "other"
            self._routes.add(route)
        return route

    def http_request(
        self, service: str, method: str, path: str, status: str, seconds: float
    ) -> None:
        """Count the attempt and observe its duration."""
        route = self._route(path)
        self._http.labels(service, method, route, status).inc()
        self._http_seconds.labels(service, method, route).observe(seconds)

    def http_retry(self, service: str, method: str, path: str) -> None:
        """Count a retry."""
        self._retries.labels(service, method, self._route(path)).inc()

    def cache_event(self, resource: str, outcome: str) -> None:
        """Count a cache read."""
        self._cache.labels(resource, outcome).inc()

    def job_done(self, queue: str, name: str, status: str, seconds: float) -> None:
        """Count a job attempt and observe its duration."""
        self._jobs.labels(queue, name, status).inc()
        self._job_seconds.labels(queue, name).observe(seconds)

    def queue_counts(self, queue: str, counts: Mapping[str, int]) -> None:
        """Set ``bullmq_job_count`` for each state."""
        for state, count in counts.items():
            self._queue.labels(queue, state).set(count)

    def webhook(self, source: str, status: int, outcome: str) -> None:
        """Count a delivery."""
        self._webhooks.labels(source, str(status), outcome).inc()

    def sync_result(self, job: str, action: str) -> None:
        """Count an applier run."""
        self._sync.labels(job, action).inc()

    def reconcile_item(self, kind: str, status: str) -> None:
        """Count a pair found out of sync."""
        self._reconcile.labels(kind, status).inc()

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format (what ``GET /metrics`` answers)."""
        import prometheus_client as prom

        return bytes(prom.generate_latest(self.registry))

"""Switching metrics on and off, and serving them."""

from __future__ import annotations

from typing import Any

from ..errors import ConfigurationError
from . import _instruments
from ._instruments import Instruments

__all__ = ["CONTENT_TYPE", "disable_metrics", "enable_metrics", "metrics_enabled", "serve_metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The content type of the Prometheus text format."""


def enable_metrics(registry: Any = None) -> Any:
    """Start counting into Prometheus metrics (the ``[metrics]`` extra); idempotent.

    Args:
        registry: a ``prometheus_client.CollectorRegistry`` (default: a new one, so two SDK
            users in one process never clash with each other or with your own metrics).

    Returns:
        The active `PrometheusInstruments` (``.registry``, ``.exposition()``).

    Raises:
        ConfigurationError: prometheus-client is not installed.
    """
    from ._prometheus import PrometheusInstruments

    active = _instruments.ACTIVE
    if isinstance(active, PrometheusInstruments) and registry in (None, active.registry):
        return active
    instruments = PrometheusInstruments(registry)
    _instruments.install(instruments)
    return instruments


def disable_metrics() -> None:
    """Back to the no-op instruments (counts so far stay in their registry)."""
    _instruments.install(Instruments())


def metrics_enabled() -> Any:
    """The active `PrometheusInstruments`, or ``None`` when metrics are off."""
    active = _instruments.ACTIVE
    return None if type(active) is Instruments else active


def serve_metrics(port: int, addr: str = "0.0.0.0") -> Any:
    """Serve ``GET /metrics`` on ``port`` from a daemon thread (`enable_metrics` first).

    Returns the server (``.shutdown()`` stops it).

    Raises:
        ConfigurationError: prometheus-client is not installed, or the port cannot be bound.
    """
    registry = enable_metrics().registry
    import prometheus_client as prom

    try:
        server, _thread = prom.start_http_server(port, addr, registry=registry)
    except OSError as exc:
        raise ConfigurationError(f"cannot serve metrics on {addr}:{port}: {exc}") from None
    return server

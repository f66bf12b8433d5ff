"""The checked-in Grafana dashboard only queries metrics the SDK exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from medusa_payload.observability._prometheus import PrometheusInstruments

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "assets" / "grafana-dashboard.json"
_METRIC = re.compile(r"\b(?:medusa_payload|bullmq)_[a-z_]+\b")
_SUFFIXES = ("_total", "_bucket", "_count", "_sum", "_created")


def _exported() -> set[str]:
    names: set[str] = set()
    for family in PrometheusInstruments().registry.collect():
        names.add(family.name)
        names.update(family.name + suffix for suffix in _SUFFIXES)
    return names


def test_dashboard_is_valid_and_every_query_names_an_exported_metric() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    exported = _exported()
    assert dashboard["panels"], "no panels"
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids repeat"
    queried: set[str] = set()
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            names = set(_METRIC.findall(target["expr"]))
            assert names, f"{panel['title']}: the query names no metric of ours"
            assert names <= exported, f"{panel['title']}: unknown {names - exported}"
            queried |= names
    # what the operating guide says to alert on has a panel
    for needed in (
        "bullmq_job_count",
        "medusa_payload_jobs_total",
        "medusa_payload_webhooks_total",
        "medusa_payload_cache_events_total",
    ):
        assert needed in queried, needed


def test_the_checker_would_catch_a_misspelt_metric() -> None:
    assert "medusa_payload_job_total" not in _exported()
    assert set(_METRIC.findall('rate(medusa_payload_job_total{status="failed"}[5m])')) == {
        "medusa_payload_job_total"
    }

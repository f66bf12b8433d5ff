"""Every example runs against the in-memory fakes (what CI proves of examples/)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ENV = {
    k: v for k, v in os.environ.items() if not k.startswith(("MEDUSA_", "PAYLOAD_", "REDIS_URL"))
}


def run(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
        check=False,
    )


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), EXAMPLES / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_worker_example() -> None:
    result = run("worker.py")
    assert result.returncode == 0, result.stderr
    assert "'completed': 1" in result.stdout


def test_reconcile_cron_example(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run("reconcile_cron.py", "--json", str(report))
    assert result.returncode == 0, result.stderr
    assert "reconcile (applied)" in result.stdout
    assert '"all_in_sync"' in report.read_text()
    dry = run("reconcile_cron.py", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run" in dry.stdout


def test_storefront_example() -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    storefront = load("storefront_fastapi.py")
    with TestClient(storefront.app) as client:
        product = client.get("/products/live-tee").json()
        assert (product["content_status"], product["seo"]["title"]) == ("ok", "Live Tee | Acme")
        assert client.get("/products", params={"limit": 2}).json()["count"] == 3
        assert client.get("/pages/about", params={"tenant": "beta"}).json()["title"] == "About Beta"
        assert client.get("/branding/acme").json()["primary_color"] == "#112233"
        assert client.get("/products/nope").status_code == 404
        assert client.get("/cache").json()["products"]["misses"] >= 2
        french = client.get("/products/live-tee", params={"locale": "fr"}).json()
        assert (french["locale"], french["content_title"]) == ("fr", "Tee en direct")
        assert french["fallbacks"] == {"richDescription": "en", "seo.description": "en"}
        assert client.get("/products/live-tee", params={"locale": "xx"}).status_code == 400
        beta = client.get("/products", headers={"host": "beta.shop.test"}).json()
        assert [p["handle"] for p in beta["items"]] == ["live-beta-only"]
        assert (
            client.get("/products/live-tee", headers={"host": "beta.shop.test"}).status_code == 404
        )
        page = client.get("/pages/about", params={"locale": "fr"}, headers={"host": "acme.shop"})
        assert page.json()["title"] == "À propos"

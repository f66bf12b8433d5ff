"""Every example runs against the in-memory fakes (what CI proves of examples/)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DOCS = EXAMPLES.parent / "docs"
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
    sys.modules[spec.name] = module  # pydantic resolves the example's request models through it
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


def test_storefront_example_sells() -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    storefront = load("storefront_fastapi.py")
    address = {
        "first_name": "Ada",
        "address_1": "1 Main St",
        "city": "Berlin",
        "country_code": "de",
        "postal_code": "10115",
    }
    with TestClient(storefront.app) as client:
        variant = client.get("/products/live-tee").json()["variants"][0]["id"]
        token = client.post(
            "/account", json={"email": "ada@example.com", "password": "pw-123456"}
        ).json()["token"]
        again = client.post(
            "/account/token", json={"email": "ada@example.com", "password": "pw-123456"}
        )
        assert again.status_code == 200
        wrong = client.post("/account/token", json={"email": "ada@example.com", "password": "no"})
        assert (wrong.status_code, wrong.json()["detail"]["type"]) == (401, "unauthorized")
        me = {"authorization": f"Bearer {token}"}
        cart = client.post(
            "/carts", json={"items": [{"variant_id": variant, "quantity": 2}]}, headers=me
        ).json()
        assert cart["customer_id"] is not None and cart["total"] == 20
        bad = client.post(f"/carts/{cart['id']}/items", json={"variant_id": variant, "quantity": 0})
        assert (bad.status_code, bad.json()["detail"]["type"]) == (400, "invalid_data")
        added = client.post(
            f"/carts/{cart['id']}/items", json={"variant_id": variant, "quantity": 1}
        )
        assert added.json()["items"][0]["quantity"] == 3
        assert client.get(f"/carts/{cart['id']}").json()["total"] == 30
        order = client.post(
            f"/carts/{cart['id']}/checkout",
            json={"email": "ada@example.com", "address": address},
            headers=me,
        ).json()
        assert order["total"] == 30 + 8
        assert [o["id"] for o in client.get("/account/orders", headers=me).json()] == [
            order["order_id"]
        ]
        assert client.get("/account/orders").status_code == 401
        guest = client.post(
            "/carts", json={"items": [{"variant_id": variant, "quantity": 1}]}
        ).json()
        assert guest["customer_id"] is None


def test_storefront_shows_prices_on_first_run() -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    storefront = load("storefront_fastapi.py")
    with TestClient(storefront.app) as client:
        variants = client.get("/products/live-tee").json()["variants"]
        assert variants and all(v["price"] == 10 for v in variants)


@pytest.mark.parametrize(
    ("url", "status", "reason"),
    [
        ("/products/live-tee?region_id=reg_unknown", 400, "medusa answered 400"),
        ("/products?limit=0", 422, "greater than or equal to 1"),
        ("/products?limit=1000", 422, "less than or equal to 100"),
        ("/products?offset=-1", 422, "greater than or equal to 0"),
        ("/products?limit=ten", 422, "valid integer"),
        ("/products/live-tee?preview=maybe", 422, "valid boolean"),
    ],
)
def test_storefront_answers_a_bad_parameter_with_a_4xx_and_the_reason(
    url: str, status: int, reason: str
) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    storefront = load("storefront_fastapi.py")
    with TestClient(storefront.app, raise_server_exceptions=False) as client:
        answer = client.get(url)
    assert answer.status_code == status, answer.text
    assert reason in answer.text


def test_storefront_routes_named_in_its_docs_exist() -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    storefront = load("storefront_fastapi.py")
    with TestClient(storefront.app):  # its lifespan closes the clients the module made
        routes = {route.path for route in storefront.app.routes}
    named = set(re.findall(r"`(/[a-z{}/_-]+)`", (DOCS / "howto/storefront-fastapi.md").read_text()))
    named |= {
        "/" + path.split("?")[0]
        for path in re.findall(r"curl localhost:8000/(\S+)", storefront.__doc__ or "")
    }
    assert named, "the how-to names no route"
    unknown = {
        path
        for path in named
        if not any(re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", r), path) for r in routes)
    }
    assert unknown == set()

"""The sans-I/O core: paths, retry decisions, Retry-After, error mapping, redaction."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from medusa_payload._config import RetryConfig
from medusa_payload._core._http import (
    APIRequest,
    encode_path,
    make_status_error,
    redact_headers,
    retry_after_seconds,
    should_retry,
)
from medusa_payload.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from medusa_payload.medusa._errors import medusa_error_fields
from medusa_payload.payload._errors import payload_error_fields
from tests.helpers import fixture

CONFIG = RetryConfig()


def response(status: int, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("GET", "http://example.test/x")
    return httpx.Response(status, json=body, headers=headers, request=request)


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        ("live-tee", "/store/products/live-tee"),
        ("../admin", "/store/products/..%2Fadmin"),
        ("a b?c#d&e", "/store/products/a%20b%3Fc%23d%26e"),
        ("tée/ü", "/store/products/t%C3%A9e%2F%C3%BC"),
        (42, "/store/products/42"),
    ],
)
def test_encode_path_keeps_a_segment_a_segment(segment: str | int, expected: str) -> None:
    assert encode_path("/store/products/{}", segment) == expected


def test_retry_after_seconds_and_http_date() -> None:
    assert retry_after_seconds(httpx.Headers({"retry-after": "3"})) == 3
    assert retry_after_seconds(httpx.Headers({"retry-after": "120"})) == 120  # the cap is
    assert retry_after_seconds(httpx.Headers({})) is None  # should_retry's business
    assert retry_after_seconds(httpx.Headers({"retry-after": "soon"})) is None
    assert retry_after_seconds(httpx.Headers({"retry-after": "inf"})) is None
    when = email.utils.formatdate(1_000_010, usegmt=True)
    headers = httpx.Headers({"retry-after": when})
    assert retry_after_seconds(headers, now=lambda: 1_000_000) == pytest.approx(10)
    assert retry_after_seconds(headers, now=lambda: 1_000_100) == 0


@pytest.mark.parametrize(
    ("method", "idempotent", "status", "expected"),
    [
        ("GET", None, 503, True),
        ("GET", None, 429, True),
        ("GET", None, 408, True),
        ("GET", None, 500, False),
        ("GET", None, 404, False),
        ("POST", None, 503, False),
        ("POST", True, 503, True),
        ("PATCH", True, 502, True),
        ("DELETE", None, 504, False),
    ],
)
def test_should_retry_statuses(
    method: str, idempotent: bool | None, status: int, expected: bool
) -> None:
    request = APIRequest(method=method, path="/x", idempotent=idempotent)
    error = make_status_error("medusa", response(status, {}), "req_1")
    assert should_retry(request, CONFIG, error) is expected


def test_connection_errors_retry_only_when_safe() -> None:
    post = APIRequest(method="POST", path="/x")
    get = APIRequest(method="GET", path="/x")
    refused = APIConnectionError("refused", service="medusa", never_sent=True)
    read_timeout = APITimeoutError("timeout", service="medusa", never_sent=False)
    assert should_retry(post, CONFIG, refused)
    assert not should_retry(post, CONFIG, read_timeout)
    assert should_retry(get, CONFIG, read_timeout)
    assert not should_retry(get, CONFIG, ValueError("not ours"))


def test_medusa_error_bodies_map_to_typed_errors() -> None:
    err = make_status_error(
        "medusa",
        response(400, fixture("medusa_error_missing_publishable_key.json")),
        "r",
        medusa_error_fields,
    )
    assert isinstance(err, BadRequestError)
    assert err.type == "not_allowed"
    assert "x-publishable-api-key" in err.message
    err = make_status_error(
        "medusa", response(404, fixture("medusa_error_not_found.json")), "r", medusa_error_fields
    )
    assert isinstance(err, NotFoundError)
    assert (err.type, err.message, err.status_code) == ("not_found", "Product not found", 404)
    err = make_status_error(
        "medusa",
        response(401, fixture("medusa_error_unauthorized.json")),
        "r",
        medusa_error_fields,
    )
    assert isinstance(err, AuthenticationError)
    assert err.message == "Unauthorized"


def test_payload_validation_error_keeps_field_paths() -> None:
    err = make_status_error(
        "payload",
        response(400, fixture("payload_error_duplicate_handle.json")),
        "r",
        payload_error_fields,
    )
    assert isinstance(err, BadRequestError)
    assert [(f.path, f.message) for f in err.field_errors] == [("handle", "Value must be unique")]
    assert err.errors[0]["name"] == "ValidationError"
    assert "handle: Value must be unique" in str(err)
    err = make_status_error(
        "payload",
        response(403, fixture("payload_error_forbidden.json")),
        "r",
        payload_error_fields,
    )
    assert isinstance(err, PermissionDeniedError)
    assert err.message == "You are not allowed to perform this action."


def test_status_error_classes_and_request_id() -> None:
    assert isinstance(make_status_error("payload", response(429, {}), "r"), RateLimitError)
    err = make_status_error("payload", response(502, "<html>bad gateway</html>"), "req_mine")
    assert isinstance(err, InternalServerError)
    assert err.request_id == "req_mine"
    echoed = response(500, {}, headers={"x-request-id": "req_server"})
    assert make_status_error("medusa", echoed, "req_mine").request_id == "req_server"
    assert "req_mine" in str(err)


def test_non_json_error_body_is_kept_as_text() -> None:
    request = httpx.Request("GET", "http://example.test/x")
    raw = httpx.Response(503, text="upstream down", request=request)
    err = make_status_error("medusa", raw, "r")
    assert err.body == "upstream down"
    assert err.message == "Service Unavailable"


def test_redact_headers_hides_credentials() -> None:
    headers = {"Authorization": "Basic c2tfc2VjcmV0Og==", "cookie": "a=b", "accept": "json"}
    assert redact_headers(headers) == {
        "Authorization": "[redacted]",
        "cookie": "[redacted]",
        "accept": "json",
    }


def test_the_generic_core_reads_no_service_format() -> None:
    body = {"type": "not_found", "message": "Product not found", "errors": [{"message": "x"}]}
    err = make_status_error("medusa", response(404, body), "r")
    assert (err.message, err.type, err.errors, err.body) == ("Not Found", None, [], body)


def test_payload_route_errors_keep_their_message() -> None:
    body = {"message": 'Route not found "/api/nope"'}
    err = make_status_error("payload", response(404, body), "r", payload_error_fields)
    assert err.message == 'Route not found "/api/nope"'
    assert medusa_error_fields("<html>").message is None


def test_each_client_overrides_the_error_hook() -> None:
    from medusa_payload import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient

    medusa_body = fixture("medusa_error_not_found.json")
    payload_body = fixture("payload_error_duplicate_handle.json")
    for cls in (MedusaClient, AsyncMedusaClient):
        assert cls._error_fields(cls.__new__(cls), medusa_body).type == "not_found"
    for pcls in (PayloadClient, AsyncPayloadClient):
        fields = pcls._error_fields(pcls.__new__(pcls), payload_body)
        assert [f.path for f in fields.field_errors] == ["handle"]

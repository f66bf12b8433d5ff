"""Signing and verification: the spec's test vector, the reference package both ways, rotation,
tolerance both ways, and every malformed-header case."""

from __future__ import annotations

import base64
import time
from datetime import datetime, timezone

import pytest
import standardwebhooks

from medusa_payload.errors import ConfigurationError, MedusaPayloadError
from medusa_payload.webhooks import (
    WebhookVerificationError,
    generate_secret,
    sign,
    sign_headers,
    verify,
)
from medusa_payload.webhooks._headers import read_headers
from medusa_payload.webhooks._signing import decode_secret, split_secrets
from tests.webhooks.helpers import MEDUSA_SECRET, NOW

# The test vector every Standard Webhooks library checks.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TS = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

BODY = b'{"event":"product.updated","data":{"id":"prod_01"}}'


def spec_headers(signature: str = SPEC_SIGNATURE, **over: str) -> dict[str, str]:
    headers = {
        "webhook-id": SPEC_ID,
        "webhook-timestamp": str(SPEC_TS),
        "webhook-signature": signature,
    }
    headers.update(over)
    return headers


def refused(
    body: bytes, headers: object, secrets: object, **kw: object
) -> WebhookVerificationError:
    with pytest.raises(WebhookVerificationError) as info:
        verify(body, headers, secrets, now=NOW, **kw)  # type: ignore[arg-type]
    return info.value


def test_spec_vector_signs_and_verifies() -> None:
    assert sign(SPEC_BODY, SPEC_SECRET, msg_id=SPEC_ID, timestamp=SPEC_TS) == SPEC_SIGNATURE
    verified = verify(SPEC_BODY, spec_headers(), SPEC_SECRET, now=SPEC_TS)
    assert (verified.webhook_id, verified.timestamp) == (SPEC_ID, SPEC_TS)


def test_str_body_is_signed_as_utf8() -> None:
    text = '{"title": "Café ☕"}'
    assert sign(text, SPEC_SECRET, msg_id="m", timestamp=1) == sign(
        text.encode(), SPEC_SECRET, msg_id="m", timestamp=1
    )


@pytest.mark.parametrize(
    "secret",
    [MEDUSA_SECRET, generate_secret(), generate_secret(24), b"raw-bytes-secret-\x00\xff"],
)
def test_reference_package_signature_verifies_with_ours(secret: str | bytes) -> None:
    reference = standardwebhooks.Webhook(secret)
    now = datetime.now(tz=timezone.utc)
    signature = reference.sign("msg_ref_1", now, BODY.decode())
    headers = {
        "webhook-id": "msg_ref_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    assert verify(BODY, headers, secret).webhook_id == "msg_ref_1"


@pytest.mark.parametrize("secret", [MEDUSA_SECRET, generate_secret(), b"raw-bytes-secret"])
def test_our_signature_verifies_with_reference_package(secret: str | bytes) -> None:
    headers = sign_headers(BODY, secret, msg_id="msg_ours_1")
    assert standardwebhooks.Webhook(secret).verify(BODY, headers) == {
        "event": "product.updated",
        "data": {"id": "prod_01"},
    }


def test_raw_text_secret_interoperates_as_its_utf8_bytes() -> None:
    # The reference package base64-decodes every str secret; a raw secret is given to it as bytes.
    raw = "payload-raw-secret"
    headers = sign_headers(BODY, raw)
    standardwebhooks.Webhook(raw.encode()).verify(BODY, headers)
    now = datetime.now(tz=timezone.utc)
    reference_sig = standardwebhooks.Webhook(raw.encode()).sign("m1", now, BODY.decode())
    verify(
        BODY,
        {
            **headers,
            "webhook-id": "m1",
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": reference_sig,
        },
        raw,
    )


def test_reference_package_rejects_our_tampered_body() -> None:
    headers = sign_headers(BODY, MEDUSA_SECRET)
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.Webhook(MEDUSA_SECRET).verify(BODY + b" ", headers)


def test_rotation_sender_signs_with_both_and_receiver_knows_either() -> None:
    old, new = generate_secret(), generate_secret()
    headers = sign_headers(BODY, [old, new], timestamp=NOW)
    assert len(headers["webhook-signature"].split()) == 2
    verify(BODY, headers, old, now=NOW)
    verify(BODY, headers, new, now=NOW)
    # receiver knows both while the sender still signs with the old one only
    verify(BODY, sign_headers(BODY, old, timestamp=NOW), [new, old], now=NOW)
    # after the rotation the retired secret no longer verifies
    assert refused(BODY, sign_headers(BODY, old, timestamp=NOW), [new]).status == 401


def test_wrong_secret_is_401() -> None:
    error = refused(BODY, sign_headers(BODY, generate_secret(), timestamp=NOW), MEDUSA_SECRET)
    assert (error.status, error.reason) == (401, "no matching signature")
    assert isinstance(error, MedusaPayloadError)


@pytest.mark.parametrize(
    ("field", "value"),
    [("body", None), ("webhook-id", "msg_other"), ("webhook-timestamp", str(int(NOW) + 1))],
)
def test_tampering_with_body_id_or_timestamp_is_401(field: str, value: str | None) -> None:
    headers = sign_headers(BODY, MEDUSA_SECRET, msg_id="msg_1", timestamp=NOW)
    body = BODY
    if field == "body":
        body = BODY.replace(b"prod_01", b"prod_02")
    else:
        headers[field] = value  # type: ignore[assignment]
    assert refused(body, headers, MEDUSA_SECRET).status == 401


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_is_400(missing: str) -> None:
    headers = sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW)
    del headers[missing]
    error = refused(BODY, headers, MEDUSA_SECRET)
    assert error.status == 400
    assert error.reason == f"missing header {missing}"


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_header_counts_as_missing(value: str) -> None:
    headers = {**sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW), "webhook-signature": value}
    assert refused(BODY, headers, MEDUSA_SECRET).reason == "missing header webhook-signature"


@pytest.mark.parametrize("timestamp", ["1795000000.5", "-1795000000", "abc", "1e9", "٣٣", "9" * 13])
def test_malformed_timestamp_is_400(timestamp: str) -> None:
    headers = {**sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW), "webhook-timestamp": timestamp}
    error = refused(BODY, headers, MEDUSA_SECRET)
    assert error.status == 400
    assert "webhook-timestamp" in error.reason


@pytest.mark.parametrize("msg_id", ["x" * 257, "msg\n1", "msg_é"])
def test_malformed_id_is_400(msg_id: str) -> None:
    headers = {**sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW), "webhook-id": msg_id}
    assert refused(BODY, headers, MEDUSA_SECRET).status == 400


def test_tolerance_both_ways_boundaries() -> None:
    for skew in (-300, 0, 300):
        verify(
            BODY, sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW + skew), MEDUSA_SECRET, now=NOW
        )
    stale = refused(BODY, sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW - 301), MEDUSA_SECRET)
    future = refused(BODY, sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW + 301), MEDUSA_SECRET)
    assert (stale.status, future.status) == (401, 401)
    assert stale.reason.startswith("timestamp too old")
    assert future.reason.startswith("timestamp too new")


def test_custom_tolerance() -> None:
    headers = sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW - 30)
    assert refused(BODY, headers, MEDUSA_SECRET, tolerance=10).reason.startswith(
        "timestamp too old"
    )
    verify(BODY, headers, MEDUSA_SECRET, tolerance=60, now=NOW)


def test_signature_is_checked_before_timestamp() -> None:
    # a forged and stale delivery is reported as forged: nothing about timing leaks first
    headers = sign_headers(BODY, generate_secret(), timestamp=NOW - 3600)
    assert refused(BODY, headers, MEDUSA_SECRET).reason == "no matching signature"


def test_default_now_is_the_real_clock() -> None:
    verify(BODY, sign_headers(BODY, MEDUSA_SECRET), MEDUSA_SECRET)
    with pytest.raises(WebhookVerificationError):
        verify(BODY, sign_headers(BODY, MEDUSA_SECRET, timestamp=time.time() - 3600), MEDUSA_SECRET)


def test_signature_list_skips_other_versions_and_junk() -> None:
    good = sign(BODY, MEDUSA_SECRET, msg_id="m", timestamp=NOW)
    junk = "v1a,abc v2,xyz v1,not-base64!! v1, nocomma v1,AAAA"
    headers = {
        "webhook-id": "m",
        "webhook-timestamp": str(int(NOW)),
        "webhook-signature": f"{junk} {good}",
    }
    verify(BODY, headers, MEDUSA_SECRET, now=NOW)
    headers["webhook-signature"] = junk
    assert refused(BODY, headers, MEDUSA_SECRET).reason == "no matching signature"


def test_signature_header_merged_by_a_proxy_still_verifies() -> None:
    good = sign(BODY, MEDUSA_SECRET, msg_id="m", timestamp=NOW)
    headers = [("webhook-id", "m"), ("webhook-timestamp", str(int(NOW)))]
    merged = [*headers, ("webhook-signature", f"v1,AAAA, {good}")]
    repeated = [*headers, ("webhook-signature", "v1,AAAA"), ("webhook-signature", good)]
    verify(BODY, merged, MEDUSA_SECRET, now=NOW)
    verify(BODY, repeated, MEDUSA_SECRET, now=NOW)


def test_headers_are_case_insensitive_and_may_be_bytes() -> None:
    headers = sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW)
    upper = {k.upper(): v for k, v in headers.items()}
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    verify(BODY, upper, MEDUSA_SECRET, now=NOW)
    verify(BODY, raw, MEDUSA_SECRET, now=NOW)


def test_repeated_id_with_other_value_is_400() -> None:
    headers = list(sign_headers(BODY, MEDUSA_SECRET, timestamp=NOW).items())
    headers.append(("Webhook-Id", "msg_other"))
    assert refused(BODY, headers, MEDUSA_SECRET).status == 400


@pytest.mark.parametrize("headers", [None, 42, "webhook-id: x", [("only-one",)], [(1, 2)]])
def test_unreadable_headers_are_400(headers: object) -> None:
    assert refused(BODY, headers, MEDUSA_SECRET).reason == "headers unreadable"


def test_read_headers_picks_request_id() -> None:
    assert read_headers({"X-Request-Id": "abc"}).request_id == "abc"


def test_secret_forms() -> None:
    key = b"0123456789abcdef0123456789abcdef"
    encoded = base64.b64encode(key).decode()
    assert decode_secret("whsec_" + encoded) == key
    assert decode_secret("whsec_" + encoded.rstrip("=")) == key  # unpadded, as some tools print it
    assert decode_secret(encoded) == encoded.encode()  # no prefix: the text itself
    assert decode_secret(key) == key
    assert len(decode_secret(generate_secret())) == 32


@pytest.mark.parametrize("secret", ["", b"", "whsec_", "whsec_not base64!", [], 42])
def test_bad_secrets_fail_at_construction(secret: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        verify(BODY, {}, secret)  # type: ignore[arg-type]
    assert "not base64!" not in str(info.value)


def test_split_secrets_for_env_values() -> None:
    assert split_secrets(" whsec_a, whsec_b ,,") == ["whsec_a", "whsec_b"]
    assert split_secrets("") == []


def test_error_text_never_holds_the_secret() -> None:
    error = refused(BODY, sign_headers(BODY, "other", timestamp=NOW), MEDUSA_SECRET)
    assert MEDUSA_SECRET not in str(error)
    assert "other" not in str(error)

"""``MEDUSA_PAYLOAD_LOG`` switches logging on without code; the lines carry the context fields
and never a credential (issue 16, logs)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from medusa_payload import Settings
from medusa_payload.errors import ConfigurationError
from medusa_payload.observability import (
    JobLogFilter,
    RequestContext,
    bind,
    configure_logging,
)

SCRIPT = """
import asyncio, logging, httpx
import medusa_payload
from medusa_payload._core._http import APIRequest
from medusa_payload.observability import RequestContext, bind

async def main():
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={}))
    async with medusa_payload.AsyncMedusaClient(
        "http://m", api_key="sk_SECRET_1", publishable_key="pk_SECRET_2", transport=transport
    ) as m:
        with bind(RequestContext("req-9", None, "42", "sync.page_to_medusa", 2)):
            await m.send_request(APIRequest("GET", "/admin/products"))
    logging.getLogger("medusa_payload.sync").info("outside")

asyncio.run(main())
"""


def _run(level: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDUSA_PAYLOAD_")}
    env["MEDUSA_PAYLOAD_LOG"] = level
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )


def test_debug_logs_each_request_with_the_job_fields_and_no_credentials() -> None:
    run = _run("debug")
    assert run.returncode == 0, run.stderr
    [line] = [x for x in run.stderr.splitlines() if "GET /admin/products" in x]
    assert "request_id=req-9 job=sync.page_to_medusa job_id=42 attempt=2" in line
    assert "'x-request-id': 'req-9'" in line
    assert "[redacted]" in line
    assert "SECRET" not in run.stderr
    assert "[request_id=- job=- job_id=- attempt=-] outside" in run.stderr


def test_info_hides_the_debug_lines() -> None:
    run = _run("INFO")
    assert run.returncode == 0, run.stderr
    assert "GET /admin/products" not in run.stderr
    assert "outside" in run.stderr


def test_unset_logs_nothing() -> None:
    run = _run("")
    assert (run.returncode, run.stderr) == (0, "")


def test_a_bad_value_is_a_warning_at_import_and_an_error_in_settings() -> None:
    run = _run("verbose")
    assert run.returncode == 0
    assert "MEDUSA_PAYLOAD_LOG must be one of debug, info, got 'verbose'" in run.stderr
    with pytest.raises(ConfigurationError, match="MEDUSA_PAYLOAD_LOG"):
        Settings.from_env({"MEDUSA_PAYLOAD_LOG": "verbose"})
    assert Settings.from_env({"MEDUSA_PAYLOAD_LOG": " Debug "}).log == "debug"
    assert Settings.from_env({}).log is None


def test_filter_keeps_fields_set_by_the_caller() -> None:
    record = logging.LogRecord("medusa_payload", logging.INFO, __file__, 1, "m", None, None)
    record.request_id = "mine"
    with bind(RequestContext("ctx", None, "1", "job", 3)):
        assert JobLogFilter().filter(record)
    assert (record.request_id, record.job_id, record.job, record.attempt) == ("mine", "1", "job", 3)


def test_configure_logging_is_idempotent_and_checks_the_level() -> None:
    log = logging.getLogger("medusa_payload")
    before, level = list(log.handlers), log.level
    try:
        first = configure_logging("info")
        assert configure_logging("debug") is first
        assert log.level == logging.DEBUG
        assert log.handlers.count(first) == 1
        with pytest.raises(ValueError, match="unknown log level"):
            configure_logging("loud")
    finally:
        log.handlers[:] = before
        log.setLevel(level)

"""The pure parts of ``benchmarks/sustained_live.py``: percentiles, markers, RSS slope, the
counting of lost deliveries and duplicate writes, the control's set-up on the fakes (their printed
env, the servers' pids, the pool seeded without the batch endpoint); the run itself needs the
live stack or minutes."""

from __future__ import annotations

import math
import time
from pathlib import Path

import httpx
import pytest
from benchmarks._util import delete_products, product_body, seed_products
from benchmarks.sustained_live import (
    ECHO,
    MEDUSA_TO_PAYLOAD,
    PAYLOAD_TO_MEDUSA,
    Delivery,
    FakeServers,
    Outcome,
    fakes_live,
    marker,
    parse_env_lines,
    percentile,
    seq_of,
    slope_per_minute,
    stack_pids,
    tally,
)


def test_percentile_by_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert [percentile(values, q) for q in (50, 95, 99, 100)] == [50, 95, 99, 100]
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([1.0, 2.0], 0) == 1.0
    assert math.isnan(percentile([], 50))


def test_markers_round_trip_and_other_runs_do_not_match() -> None:
    assert seq_of(marker("ab12", 41), "ab12") == 41
    assert seq_of(marker("ab12", 41), "cd34") is None
    assert seq_of("SL ab12 #41 (edited)", "ab12") is None
    assert seq_of(None, "ab12") is None
    assert seq_of({"title": marker("ab12", 1)}, "ab12") is None


def test_rss_slope_per_minute() -> None:
    assert slope_per_minute([(0, 100), (30, 101), (60, 102)]) == pytest.approx(2.0)
    assert slope_per_minute([(0, 50), (60, 50), (120, 50)]) == 0.0
    assert slope_per_minute([(0, 50)]) == 0.0
    assert slope_per_minute([(5, 50), (5, 60)]) == 0.0


def _delivery(n: int, kind: str = MEDUSA_TO_PAYLOAD, **kw: object) -> Delivery:
    values: dict[str, object] = {
        "record": f"prod_{n}",
        "scheduled": 100.0 + n,
        "source_s": 0.05,
        "sent": 100.1 + n,
        "answered": 100.12 + n,
        "status": 202,
        "job_id": f"job{n}",
        "visible": 100.5 + n,
    }
    values.update(kw)
    return Delivery(n=n, kind=kind, **values)  # type: ignore[arg-type]


def _done(n: int, action: str = "updated", status: str = "completed") -> Outcome:
    return Outcome(f"job{n}", "sync.product_to_payload", status, 100.2 + n, 100.4 + n, action)


def test_all_seen_once_is_no_loss_and_no_duplicate() -> None:
    counts = tally([_delivery(n) for n in range(10)], [_done(n) for n in range(10)])
    assert (counts.sent, counts.accepted, counts.visible, counts.lost) == (10, 10, 10, 0)
    assert (counts.writes, counts.duplicates, counts.not_completed) == (10, 0, 0)
    assert counts.latency["p50"] == pytest.approx(0.4)
    parts = counts.parts
    assert parts["POST -> 202"]["p99"] == pytest.approx(0.02)
    assert parts["202 -> job start"]["p50"] == pytest.approx(0.08)
    assert parts["job run m2p"]["p50"] == pytest.approx(0.2)
    assert parts["job end -> seen"]["p50"] == pytest.approx(0.1)


def test_an_accepted_delivery_never_seen_is_lost() -> None:
    deliveries = [_delivery(0), _delivery(1, visible=None), _delivery(2, job_id=None, visible=None)]
    counts = tally(deliveries, [_done(0), _done(1)])
    assert (counts.accepted, counts.visible, counts.lost) == (3, 1, 2)
    assert counts.lost_queued == 0
    late = tally([_delivery(0, visible=None)], [_done(0, status="retrying", action=None)])
    assert (late.lost, late.lost_queued, late.not_completed) == (1, 1, 1)
    assert counts.not_completed == 0  # job1 ran; the delivery without a job is only lost


def test_refused_and_failed_source_writes_are_not_lost() -> None:
    deliveries = [
        _delivery(0, status=503, job_id=None, visible=None),
        _delivery(1, sent=None, answered=None, status=None, job_id=None, visible=None),
    ]
    counts = tally(deliveries, [])
    assert (counts.sent, counts.refused, counts.source_failed, counts.lost) == (1, 1, 1, 0)


def test_a_job_that_wrote_on_two_attempts_is_one_duplicate() -> None:
    outcomes = [_done(0), _done(0), _done(1, action="no_change"), _done(1)]
    counts = tally([_delivery(0), _delivery(1)], outcomes)
    assert (counts.writes, counts.duplicates) == (3, 1)


def test_a_retry_that_found_nothing_to_do_is_allowed() -> None:
    outcomes = [_done(0, status="lost"), _done(0), _done(0, action="no_change")]
    counts = tally([_delivery(0)], outcomes)
    assert (counts.writes, counts.duplicates) == (1, 0)


def test_coalesced_deliveries_are_seen_without_a_write_of_their_own() -> None:
    """Two edits before the first job ran: the first job writes the later marker, the second
    finds nothing to do. Both are visible; neither is a duplicate."""
    deliveries = [_delivery(0), _delivery(1, record="prod_0", visible=100.5)]
    counts = tally(deliveries, [_done(0), _done(1, action="no_change")])
    assert (counts.visible, counts.lost, counts.writes, counts.duplicates) == (2, 0, 1, 0)
    assert counts.parts["job run m2p"]["p50"] == pytest.approx(0.2)  # only the job that wrote


def test_an_unfinished_job_is_counted() -> None:
    counts = tally([_delivery(0)], [_done(0, status="retrying", action=None)])
    assert (counts.visible, counts.not_completed) == (1, 1)


def test_echo_jobs_must_not_write() -> None:
    echo = _delivery(5, kind=ECHO, sent=101.0, visible=None)
    other = _delivery(6, kind=PAYLOAD_TO_MEDUSA)
    quiet = tally([echo, other], [_done(5, action="no_change"), _done(6, "metadata_set")])
    assert (quiet.echoes, quiet.echo_writes, quiet.duplicates, quiet.lost) == (1, 0, 0, 0)
    assert quiet.sent == 1  # echoes are not deliveries of the load
    loud = tally([echo], [_done(5)])
    assert (loud.echo_writes, loud.duplicates) == (1, 1)


def test_env_lines_are_parsed_and_other_lines_left_out() -> None:
    text = "MEDUSA_API_KEY=sk_1\nnoise\n  PAYLOAD_CMS_URL=http://x:1/a=b \nlower=x\n=y\n"
    assert parse_env_lines(text) == {"MEDUSA_API_KEY": "sk_1", "PAYLOAD_CMS_URL": "http://x:1/a=b"}


def test_fakes_live_takes_each_side_from_its_own_process() -> None:
    def printed(n: int) -> dict[str, str]:
        return {
            "MEDUSA_BACKEND_URL": f"http://m{n}",
            "MEDUSA_API_KEY": f"sk{n}",
            "MEDUSA_PUBLISHABLE_KEY": f"pk{n}",
            "MEDUSA_ADMIN_EMAIL": f"a{n}@x",
            "MEDUSA_ADMIN_PASSWORD": f"pw{n}",
            "PAYLOAD_CMS_URL": f"http://p{n}",
            "PAYLOAD_API_KEY": f"key{n}",
        }

    live = fakes_live(printed(1), printed(2), medusa_secret="ms", payload_secret="ps")
    assert live == {
        "MEDUSA_URL": "http://m1",
        "MEDUSA_SECRET_API_KEY": "sk1",
        "MEDUSA_PUBLISHABLE_KEY": "pk1",
        "MEDUSA_ADMIN_EMAIL": "a1@x",
        "MEDUSA_ADMIN_PASSWORD": "pw1",
        "PAYLOAD_URL": "http://p2",
        "PAYLOAD_SYNC_API_KEY": "key2",
        "MEDUSA_WEBHOOK_SECRET": "ms",
        "PAYLOAD_WEBHOOK_SECRET": "ps",
    }


def test_stack_pids_from_pid_files_a_missing_one_is_no_process(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "medusa.pid").write_text("123\n")
    (tmp_path / "run" / "payload.pid").write_text("not a pid")
    (tmp_path / "pg" / "data").mkdir(parents=True)
    (tmp_path / "pg" / "data" / "postmaster.pid").write_text("456\n/data\n")
    assert stack_pids(tmp_path) == {
        "medusa": [123],
        "payload": [],
        "postgres": [456],
        "echo receiver": [],
    }


def test_product_body_is_a_published_one_variant_product() -> None:
    body = product_body("sustained", "ab12", 7)
    assert body["title"] == "Sustained ab12 7"
    assert body["handle"] == "sustained-ab12-7"
    assert body["status"] == "published"


def test_the_fake_servers_start_log_in_seed_without_batch_and_stop(tmp_path: Path) -> None:
    """The control's set-up against the real ``serve`` processes: the printed env is complete,
    the admin user logs in, the pool is created and deleted one product at a time."""
    fakes = FakeServers(tmp_path)
    try:
        live = fakes.start()
        pids = fakes.pids()
        assert set(pids) == {"medusa", "payload"} and pids["medusa"] != pids["payload"]
        login = httpx.post(
            f"{live['MEDUSA_URL']}/auth/user/emailpass",
            json={"email": live["MEDUSA_ADMIN_EMAIL"], "password": live["MEDUSA_ADMIN_PASSWORD"]},
        )
        assert login.status_code == 200 and login.json()["token"]
        me = httpx.get(
            f"{live['PAYLOAD_URL']}/api/users/me",
            headers={"Authorization": f"users API-Key {live['PAYLOAD_SYNC_API_KEY']}"},
        )
        assert me.status_code == 200 and me.json()["user"]
        ids = seed_products(live, 3, "t1", name="sustained", batch=False)
        assert len(set(ids)) == 3
        auth = (live["MEDUSA_SECRET_API_KEY"], "")
        got = httpx.get(f"{live['MEDUSA_URL']}/admin/products/{ids[0]}", auth=auth)
        assert got.json()["product"]["handle"] == "sustained-t1-0"
        delete_products(live, ids, batch=False)
        gone = httpx.get(f"{live['MEDUSA_URL']}/admin/products/{ids[0]}", auth=auth)
        assert gone.status_code == 404
    finally:
        procs = list(fakes.procs.values())
        fakes.stop()
    assert procs and all(proc.poll() is not None for proc in procs)


def test_the_load_generator_is_sampled_without_its_children() -> None:
    """The receiver, workers and fake servers are the generator's children and parts of their
    own: counted in its column too, they would be counted twice."""
    import os
    import subprocess
    import sys

    from benchmarks.sustained_live import Sampler

    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        sampler = Sampler({"load generator": [os.getpid()], "tree": [os.getpid()]})
        before = sampler.read()
        deadline = time.monotonic() + 10
        after = sampler.read()
        while after["tree"]["cpu"] - before["tree"]["cpu"] < 0.3 and time.monotonic() < deadline:
            time.sleep(0.1)
            after = sampler.read()
    finally:
        child.kill()
        child.wait()
    assert after["tree"]["cpu"] - before["tree"]["cpu"] >= 0.3  # the child's spinning
    assert after["load generator"]["cpu"] - before["load generator"]["cpu"] < 0.2

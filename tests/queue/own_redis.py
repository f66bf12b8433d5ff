"""A redis-server of the test's own (free port, temp dir, no persistence) that a test may stop
and start again: the shared Redis is never stopped. Skips when redis-server is not installed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
import redis


class OwnRedis:
    """One redis-server process on a fixed port; `stop` and `start` keep the port."""

    def __init__(self, *, appendonly: bool = False) -> None:
        self.appendonly = appendonly
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.mkdtemp(prefix="mp-own-redis-")
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait (at most 10 s) until it answers PING. With
        ``appendonly``, every acknowledged write is on disk first (``appendfsync always``), so a
        kill loses nothing and a start in the same directory reloads it all."""
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.appendonly else []
        self._proc = _redis_server(self.port, self._dir, *persistence)
        _wait_for_ping(self.port, 10)

    def stop(self) -> None:
        """Kill the server (as a crash would) and wait for it to exit."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=10)
        self._proc = None

    def close(self) -> None:
        """Stop the server and remove its directory."""
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    """A running redis-server of this test's own."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.close()


class OwnRedisCluster:
    """A Redis Cluster of ``masters`` redis-servers on loopback (free ports, one temp dir, no
    persistence, no replicas), created with ``redis-cli --cluster create``."""

    def __init__(self, masters: int = 3) -> None:
        self.ports = [_free_port() for _ in range(masters)]
        self.urls = [f"redis://127.0.0.1:{port}/0" for port in self.ports]
        self._dir = tempfile.mkdtemp(prefix="mp-own-cluster-")
        self._procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        """Start the nodes, join them and wait (at most 30 s) until the cluster is ok."""
        for port in self.ports:
            self._procs.append(
                _redis_server(
                    port,
                    self._dir,
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    f"nodes-{port}.conf",
                    # Its own free bus port: the default, port + 10000, may be taken or > 65535.
                    "--cluster-port",
                    str(_free_port()),
                )
            )
        for port in self.ports:
            _wait_for_ping(port, 10)
        subprocess.run(
            ["redis-cli", "--cluster", "create"]
            + [f"127.0.0.1:{port}" for port in self.ports]
            + ["--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=30,
        )
        deadline = time.monotonic() + 30
        for port in self.ports:
            client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
            try:
                while b"cluster_state:ok" not in client.execute_command("CLUSTER", "INFO"):
                    if time.monotonic() > deadline:
                        raise TimeoutError("the cluster did not become ok within 30 s")
                    time.sleep(0.1)
            finally:
                client.close()

    def node_owning(self, key: str, *, owns: bool = True) -> str:
        """The URL of a node that owns (or, ``owns=False``, does not own) ``key``'s slot."""
        client = redis.Redis(host="127.0.0.1", port=self.ports[0])
        try:
            slot = int(client.execute_command("CLUSTER", "KEYSLOT", key))
            for first, last, primary, *_ in client.execute_command("CLUSTER", "SLOTS"):
                port = int(primary[1])
                if (first <= slot <= last) == owns:
                    return f"redis://127.0.0.1:{port}/0"
            raise LookupError(f"no such node for slot {slot}")
        finally:
            client.close()

    def close(self) -> None:
        """Kill the nodes and remove their directory."""
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        shutil.rmtree(self._dir, ignore_errors=True)


def _redis_server(port: int, data_dir: str, *options: str) -> subprocess.Popen[bytes]:
    """A redis-server on loopback; no persistence unless ``options`` turn it on (later
    options win)."""
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", data_dir]
    command += ["--save", "", "--appendonly", "no", *options]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_ping(port: int, seconds: float) -> None:
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                # PING answers while an AOF is still loading; other commands then fail.
                if client.ping() and not int(client.info("persistence").get("loading", 0)):
                    return
            except redis.ConnectionError:  # BusyLoadingError included
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"redis-server on port {port} not ready within {seconds} s")
            time.sleep(0.05)
    finally:
        client.close()


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[OwnRedisCluster]:
    """A running 3-master Redis Cluster of this test module's own."""
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        pytest.skip("redis-server / redis-cli not installed")
    cluster = OwnRedisCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()

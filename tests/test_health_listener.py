"""The health listener's process (ops/health_listener.py, ops/health_process.py) on a served process:

- it answers 200 while the server's event loop beats, and 503 once the server is stopped (SIGSTOP) past the
  staleness bound, then 200 again when the server continues;
- it is a process of its own, a child of the server's, and none is left once the server has stopped, whether
  the server shut down or was killed (SIGKILL: no shutdown code ran, the beat pipe's end of file ends it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import _free_port, serve

STALE_AFTER = 3.0
DEADLINE = 30.0  # seconds a loaded machine may take to show a change the bound says comes after 3 s


def children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # ended meanwhile
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's reaping is left


def listener_of(server: subprocess.Popen[bytes]) -> int:
    [child] = [c for c in children(server.pid) if b"graph_api.ops.health_process" in cmdline(c)]
    return child


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def probe(port: int) -> httpx.Response | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    except httpx.TransportError:
        return None


def wait_for_status(port: int, status: int) -> httpx.Response:
    deadline = time.monotonic() + DEADLINE
    while (response := probe(port)) is None or response.status_code != status:
        assert time.monotonic() < deadline, f"no {status} from the health listener: {response}"
        time.sleep(0.1)
    return response


def wait_gone(pid: int) -> None:
    deadline = time.monotonic() + DEADLINE
    while alive(pid):
        assert time.monotonic() < deadline, f"the health listener process {pid} outlived its server"
        time.sleep(0.1)


@pytest.fixture
def served(neo4j_server_running, tmp_path_factory) -> Iterator[tuple[httpx.Client, int]]:
    port = _free_port()
    env = {"GRAPH_API_HEALTH_PORT": str(port), "GRAPH_API_HEALTH_STALE_AFTER": str(STALE_AFTER)}
    with serve(tmp_path_factory, env) as client:
        yield client, port


def test_alive_while_the_loop_beats_unresponsive_while_it_is_stopped(served):
    client, port = served
    server: subprocess.Popen[bytes] = client.process  # type: ignore[attr-defined]
    response = wait_for_status(port, 200)
    assert response.json() == {"status": "alive"}
    assert listener_of(server) != server.pid
    # the beat's interval and the staleness bound both pass in this time: still alive
    time.sleep(2 * STALE_AFTER)
    assert (response := probe(port)) is not None and response.status_code == 200, response
    os.kill(server.pid, signal.SIGSTOP)
    try:
        response = wait_for_status(port, 503)
        assert response.json() == {"status": "unresponsive"}
        assert response.headers["cache-control"] == "no-store"
    finally:
        os.kill(server.pid, signal.SIGCONT)
    assert wait_for_status(port, 200).json() == {"status": "alive"}
    assert client.get("/healthz").status_code == 200


def test_no_listener_process_outlives_a_server_that_shut_down(neo4j_server_running, tmp_path_factory):
    port = _free_port()
    with serve(tmp_path_factory, {"GRAPH_API_HEALTH_PORT": str(port)}) as client:
        wait_for_status(port, 200)
        child = listener_of(client.process)  # type: ignore[attr-defined]
    wait_gone(child)
    assert probe(port) is None  # nothing listens any more


def test_no_listener_process_outlives_a_killed_server(served):
    client, port = served
    server: subprocess.Popen[bytes] = client.process  # type: ignore[attr-defined]
    wait_for_status(port, 200)
    child = listener_of(server)
    server.kill()
    server.wait()
    wait_gone(child)
    assert probe(port) is None

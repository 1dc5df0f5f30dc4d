"""A second listener that answers `GET /healthz` alone, from a process of its own (settings `health_port`).

The API's /healthz is answered on the event loop, behind every request in flight: at 200 connections on two
cores the loop lags by hundreds of milliseconds to seconds (BENCHMARKS.md §11), and a load balancer's probe
with a short timeout would take a busy process for a dead one. A thread of the API's own did not wait for the
loop but for the GIL (p99 172 ms); the process (ops/health_process.py) has its own. It answers 200 while this
process's event loop beats, 503 once the last beat is older than `health_stale_after` seconds: a hung loop is
not reported alive. It touches no database.

One listener process per worker: the beat is a property of one event loop, so each worker's loop beats its
own listener, and a worker that hangs answers 503 for its share of the probes, as it would fail its share of
the traffic. Each worker binds the same port (SO_REUSEPORT); the kernel spreads the probes over them. With
`--workers 1` uvicorn has no supervisor process, so there is no other place for a per-server one either."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import sys

log = logging.getLogger("graph_api.health")


class HealthListener:
    """Bound here, so that a port in use fails the start-up; served by the child, which the beat pipe ties to
    this process: the pipe's end of file (this process's exit, however it exits) ends the child."""

    def __init__(self, host: str, port: int, stale_after: float) -> None:
        self.sock = socket.create_server((host, port), reuse_port=True)
        self.stale_after = stale_after
        self.process: subprocess.Popen[bytes] | None = None
        self._beat_fd = -1
        self._beating: asyncio.Task[None] | None = None

    def start(self) -> HealthListener:
        """Spawn the child and start beating; call it on the event loop whose liveness it reports."""
        read_fd, self._beat_fd = os.pipe()  # not inherited by other children (O_CLOEXEC)
        os.set_blocking(self._beat_fd, False)  # a full pipe must not stall the loop
        os.write(self._beat_fd, b".")
        fds = (self.sock.fileno(), read_fd)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "graph_api.ops.health_process", *map(str, fds), repr(self.stale_after)],
                pass_fds=fds,
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(read_fd)
            self.sock.close()  # the child accepts; this process keeps no copy
        self._beating = asyncio.get_running_loop().create_task(self._beat(), name="health-beat")
        return self

    def stop(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
        with contextlib.suppress(OSError):
            os.close(self._beat_fd)  # end of file: the child exits
        if self.process is not None:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    async def _beat(self) -> None:
        interval = min(1.0, self.stale_after / 4)
        while True:
            await asyncio.sleep(interval)
            try:
                os.write(self._beat_fd, b".")
            except BlockingIOError:
                pass  # the child has not read the last beats yet: they say the same
            except BrokenPipeError:
                code = self.process.poll() if self.process else None
                log.error("the health listener process exited (code %s); its port is no longer answered", code)
                return

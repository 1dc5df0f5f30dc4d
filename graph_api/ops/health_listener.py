"""A second listener that answers `GET /healthz` alone, from a thread of its own (settings `health_port`).

The API's /healthz is answered on the event loop, behind every request in flight: at 200 connections on two
cores the loop lags by hundreds of milliseconds to seconds (BENCHMARKS.md §11), and a load balancer's probe
with a short timeout would take a busy process for a dead one. This thread needs only the GIL, which the loop
yields every switch interval (5 ms), so its answer does not wait for the loop. It says what /healthz says —
the process is alive — and touches no database. Each worker process of `--workers N` binds the same port
(SO_REUSEPORT); the kernel spreads the probes over them."""

from __future__ import annotations

import contextlib
import socket
import threading

_OK = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 18\r\nconnection: close\r\n\r\n"
    b'{"status":"alive"}'
)
_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
_MAX_REQUEST = 8192


class HealthListener:
    """One thread, one connection at a time: accept, read the request line and headers, answer, close.
    Written on a bare socket rather than http.server because each system call gives the GIL back and waits to
    take it again behind the busy event loop (up to the 5 ms switch interval each); the fewer calls, the
    shorter the answer's wait. A client may hold the listener for at most its 2 s read timeout."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_server((host, port), reuse_port=True)
        self.thread = threading.Thread(target=self._serve, name="health-listener", daemon=True)

    def start(self) -> HealthListener:
        self.thread.start()
        return self

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept
        self.sock.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed by stop()
            with conn:
                try:
                    conn.settimeout(2.0)
                    conn.sendall(_OK if _path(_request(conn)) == b"/healthz" else _NOT_FOUND)
                except OSError:
                    pass  # the prober left or was too slow: nothing to answer


def _request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < _MAX_REQUEST:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _path(request: bytes) -> bytes:
    parts = request.split(b" ", 2)
    return parts[1].split(b"?", 1)[0] if len(parts) == 3 and parts[0] == b"GET" else b""

"""The health listener's own process: answers `GET /healthz` on a socket its parent bound, 200 while the parent's
event loop beats, 503 once the last beat is older than the staleness bound (ops/health_listener.py starts it).

    python -m graph_api.ops.health_process LISTEN_FD BEAT_FD STALE_AFTER

A process rather than a thread of the API's: a thread waits for the GIL behind the busy loop (BENCHMARKS.md §11,
p99 172 ms at 200 connections); this process has a GIL of its own. The parent writes a byte to the beat pipe
every fraction of the bound from its event loop, so a loop that is blocked or stopped stops beating and is not
reported alive. The pipe's end of file is the parent's exit, whatever the cause (SIGKILL too): the process then
exits, so none outlives its server. Standard library only, so it starts in milliseconds."""

from __future__ import annotations

import os
import select
import signal
import socket
import sys
import time

_ALIVE = b'{"status":"alive"}'
_STALLED = b'{"status":"unresponsive"}'
_MAX_REQUEST = 8192


def _response(status: bytes, body: bytes) -> bytes:
    head = b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: %d\r\n" % len(body)
    return head + b"connection: close\r\ncache-control: no-store\r\n\r\n" + body


_OK = _response(b"200 OK", _ALIVE)
_UNAVAILABLE = _response(b"503 Service Unavailable", _STALLED)
_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"


def serve(sock: socket.socket, beat_fd: int, stale_after: float) -> None:
    """One connection at a time: accept, read the request line and headers, answer, close; until the parent
    closes the beat pipe. A client may hold the listener for at most its 2 s read timeout."""
    last_beat = time.monotonic()  # the parent's first beat is already in the pipe
    poller = select.poll()
    poller.register(beat_fd, select.POLLIN)
    poller.register(sock.fileno(), select.POLLIN)
    while True:
        events = dict(poller.poll())
        if beat_fd in events:  # before the probe: beats read in the same wake-up count for it
            if not os.read(beat_fd, 4096):
                return  # the parent is gone
            last_beat = time.monotonic()
        if sock.fileno() not in events:
            continue
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            continue  # the prober gave up between poll and accept
        with conn:
            try:
                conn.settimeout(2.0)
                if _path(_request(conn)) != b"/healthz":
                    conn.sendall(_NOT_FOUND)
                else:
                    conn.sendall(_OK if time.monotonic() - last_beat <= stale_after else _UNAVAILABLE)
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


def main(argv: list[str]) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the server shuts down and closes the pipe, which
    # ends this process without a KeyboardInterrupt trace of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listen_fd, beat_fd, stale_after = int(argv[0]), int(argv[1]), float(argv[2])
    sock = socket.socket(fileno=listen_fd)
    sock.setblocking(False)  # accept only after poll said so, and never wait in it
    serve(sock, beat_fd, stale_after)


if __name__ == "__main__":
    main(sys.argv[1:])

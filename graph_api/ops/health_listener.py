"""A second listener that answers `GET /healthz` alone, from a thread of its own (settings `health_port`).

The API's /healthz is answered on the event loop, behind every request in flight: at 200 connections on two
cores the loop lags by hundreds of milliseconds to seconds (BENCHMARKS.md §11), and a load balancer's probe
with a short timeout would take a busy process for a dead one. This thread needs only the GIL, which the loop
yields every switch interval (5 ms), so its answer does not wait for the loop. It says what /healthz says —
the process is alive — and touches no database. Each worker process of `--workers N` binds the same port
(SO_REUSEPORT); the kernel spreads the probes over them."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_BODY = b'{"status":"alive"}'


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        healthy = self.path.split("?", 1)[0] == "/healthz"
        body = _BODY if healthy else b'{"error":"only /healthz is served on this port"}'
        self.send_response(200 if healthy else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.send_header("connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # probes are not worth a log line each
        return None


class _Server(ThreadingHTTPServer):
    allow_reuse_port = True
    daemon_threads = True


class HealthListener:
    def __init__(self, host: str, port: int) -> None:
        self.server = _Server((host, port), _Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="health-listener", daemon=True)

    def start(self) -> HealthListener:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

"""uvicorn's HTTP protocol with deadlines for reading a request, and a bound on the bytes of its headers.

uvicorn (0.54) arms no timer while it reads a request: a new connection has none at all, and its keep-alive
timer is cancelled by every byte that arrives. A client sending its headers one byte every few seconds
(slowloris) holds a connection, a file descriptor and the parser's buffer for as long as it likes, and a
body trickled the same way holds a request in flight. An ASGI middleware cannot help: the application is
called only once the headers are complete. So the deadline lives here, in the protocol, where the bytes
arrive: `header_timeout` seconds from the connection (or from the first byte of a later request on a kept-
alive connection, the idle time before it being uvicorn's keep-alive timeout) until the headers are
complete, then `body_timeout` seconds for the body. The deadlines are absolute: a byte arriving does not
extend them. A connection past its deadline is closed.

httptools (uvicorn's choice when installed, as `uvicorn[standard]` installs it) sets no size limit for a
header block either; more than `max_header_bytes` before the headers end is answered 431 and closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from graph_api.settings import Settings, get_settings

_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\ncontent-length: 33\r\nconnection: close\r\n\r\n"
    b"the request headers are too large"
)


class DeadlineProtocol(HttpToolsProtocol):
    """`graph-api serve` passes this class to uvicorn as its `http` protocol."""

    _deadline: asyncio.TimerHandle | None = None
    _awaiting_headers = False
    _header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # as uvicorn's
        super().connection_made(transport)
        self._awaiting_headers, self._header_bytes = True, 0
        self._arm(get_settings().header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers:
            # The bytes up to the blank line that ends the headers (should that line be split across two
            # reads, the second read counts whole). Headers pipelined in the read that ended the previous
            # body are not counted; asyncio reads at most 256 KiB at a time, which bounds them.
            end = data.find(b"\r\n\r\n")
            self._header_bytes += len(data) if end < 0 else end + 4
            if self._header_bytes > get_settings().max_header_bytes:
                self._disarm()
                if self.cycle is None or self.cycle.response_complete:  # never inside another response
                    self.transport.write(_TOO_LARGE)
                self.transport.close()
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a later request on a kept-alive connection: from its first byte
            self._arm(get_settings().header_timeout)

    def on_headers_complete(self) -> None:
        self._awaiting_headers, self._header_bytes = False, 0
        self._arm(get_settings().body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        # What comes next on the connection is the next request's headers (pipelined, or after keep-alive).
        self._awaiting_headers = True
        self._disarm()
        super().on_message_complete()

    def handle_websocket_upgrade(self) -> None:
        self._disarm()  # the connection is the WebSocket protocol's from now on, with its own pings and timeouts
        super().handle_websocket_upgrade()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for the connection limits (`graph-api serve` passes them)."""
    return {
        "http": DeadlineProtocol,
        "timeout_keep_alive": settings.keep_alive_timeout,
        # With --workers N the supervisor kills a worker that does not answer its ping within this many
        # seconds. uvicorn's 5 s is shorter than a busy event loop's lag under load (BENCHMARKS.md §11) and than
        # a start on a loaded machine: a worker that is merely busy would be killed with its requests.
        "timeout_worker_healthcheck": settings.worker_healthcheck_timeout,
        # h11 is not used while httptools is installed; should it be, its own bound on a header block holds
        "h11_max_incomplete_event_size": settings.max_header_bytes,
    }

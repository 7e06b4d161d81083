"""The fake server's sockets: a threaded HTTP/1.1 server with keep-alive that hands each
request to its host and lets the host write the reply through a `Wire`.

It runs on the standard library's ThreadingHTTPServer so clients are tested through real
sockets, keep-alive and chunked transfer encoding, which mocks of httpx cannot exercise.
"""

from __future__ import annotations

import contextlib
import select
import socket
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

from ._messages import RecordedRequest
from ._render import Wire

__all__ = ["HTTPTransport", "Host"]

# Pending connections the kernel queues before accept(): hundreds of clients connect at once
# in load tests, and a short queue turns that into SYN retransmits of a second or more.
_BACKLOG = 1024


class Host(Protocol):
    """What the transport needs from the server it serves."""

    stopping: threading.Event
    keepalive_timeout: float
    verbose: bool

    def serve(self, request: RecordedRequest, wire: Wire) -> None:
        """Answer one request by writing to `wire`."""

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        """Count a connection as open (or closed)."""

    def report_error(self, exc: BaseException) -> None:
        """Keep an unexpected exception raised while serving a request."""


class HTTPTransport(ThreadingHTTPServer):
    """One thread per connection; remembers its threads so that stop() can join them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = _BACKLOG

    def __init__(self, address: tuple[str, int], host: Host) -> None:
        self.host = host
        self.handler_threads: list[threading.Thread] = []
        self._threads_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"fake-r2r-conn-{client_address[1]}",
            daemon=True,
        )
        with self._threads_lock:
            self.handler_threads = [t for t in self.handler_threads if t.is_alive()]
            self.handler_threads.append(thread)
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # the client went away: normal for broken-off streams
            return
        if exc is not None:
            self.host.report_error(exc)
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-r2r"
    sys_version = ""
    timeout = 30.0  # a stuck write (client not reading) ends instead of hanging stop()
    # Events are small separate writes: without this, Nagle + delayed ACK add ~40 ms each.
    disable_nagle_algorithm = True
    server: HTTPTransport

    def handle(self) -> None:
        host = self.server.host
        host.track(self.connection, open_=True)
        try:
            self.close_connection = False
            while not self.close_connection and self._wait_for_request():
                self.handle_one_request()
        finally:
            host.track(self.connection, open_=False)

    def _wait_for_request(self) -> bool:
        """True once bytes arrive; False on stop() or after the keep-alive timeout.

        stop() shuts every tracked connection down, which wakes this select at once.
        """
        host = self.server.host
        if host.stopping.is_set():
            return False
        try:
            readable, _, _ = select.select([self.connection], [], [], host.keepalive_timeout)
        except (OSError, ValueError):
            return False
        return bool(readable) and not host.stopping.is_set()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.host.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        body = self._read_body()
        url = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = RecordedRequest(self.command, url.path, url.query, headers, body)
        try:
            self.server.host.serve(request, self)
        except OSError:
            self.close_connection = True

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    # -- Wire ------------------------------------------------------------------------------

    def start(self, status: int, headers: Sequence[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def write(self, data: bytes) -> None:
        if self.command != "HEAD":
            self.wfile.write(data)

    def drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def wait(self, seconds: float) -> bool:
        return self.server.host.stopping.wait(seconds)

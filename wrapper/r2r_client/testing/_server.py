"""FakeR2RServer: a real HTTP/1.1 server speaking the R2R v3 wire format, with faults.

It runs on the standard library's ThreadingHTTPServer so the client is tested through real
sockets, keep-alive and chunked transfer encoding, which mocks of httpx cannot exercise.
"""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from ._data import SEED_DOCUMENTS, Document, RagAnswer, completion_body, document_id_for, now_iso
from ._faults import Fault, parse_fault_header
from ._validation import RequestValidator, ValidationItem, json_error, missing_body, uuid_error

__all__ = ["FakeR2RServer", "RecordedRequest"]

_METADATA_PATH = re.compile(r"^/v3/documents/([^/]+)/metadata$")
_DOCUMENT_PATH = re.compile(r"^/v3/documents/([^/]+)$")
_BATCH_BYTES = 64 * 1024
_POLL = 0.05
_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
NO_CREDENTIALS = (
    "No credentials provided. Create an account and set your API key, or change your base_url "
    "to a custom deployment."
)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it (header names lower-cased)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        """The body parsed as JSON; None when it is empty or not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass
class _Json:
    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Stream:
    answer: RagAnswer


_Reply = _Json | _Stream


def _r2r_error(status: int, message: str) -> _Json:
    return _Json(status, {"message": message, "error_type": "R2RException"})


def _unprocessable(items: list[ValidationItem]) -> _Json:
    return _Json(422, {"detail": items})


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: FakeR2RServer) -> None:
        self.app = app
        self.handler_threads: list[threading.Thread] = []
        self._threads_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Like ThreadingMixIn's, but remembers the threads so stop() can join them."""
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
            self.app.errors.append(exc)
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-r2r"
    sys_version = ""
    timeout = 30.0  # a stuck write (client not reading) ends instead of hanging stop()
    server: _HTTPServer

    # -- connection loop: wait for the next request without blocking stop() ----------

    def setup(self) -> None:
        super().setup()
        # Events are small separate writes: without this, Nagle + delayed ACK add ~40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        app = self.server.app
        app._track(self.connection, open_=True)
        try:
            self.close_connection = False
            while not self.close_connection and self._wait_for_request():
                self.handle_one_request()
        finally:
            app._track(self.connection, open_=False)

    def _wait_for_request(self) -> bool:
        """True once bytes arrive; False on stop() or after the keep-alive timeout."""
        app = self.server.app
        deadline = time.monotonic() + app.keepalive_timeout
        while not app._stopping.is_set():
            try:
                readable, _, _ = select.select([self.connection], [], [], _POLL)
            except (OSError, ValueError):
                return False
            if readable:
                return True
            if time.monotonic() > deadline:
                return False
        return False

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.app.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    # -- one request -------------------------------------------------------------------

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

    def _dispatch(self) -> None:
        app = self.server.app
        body = self._read_body()
        url = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = RecordedRequest(self.command, url.path, url.query, headers, body)
        app._record(record)
        with app._busy():
            try:
                self._respond(record)
            except OSError:
                self.close_connection = True

    def _respond(self, record: RecordedRequest) -> None:
        app = self.server.app
        streaming = _wants_stream(record)
        header = record.headers.get("x-fake-r2r-fault")
        fault = parse_fault_header(header) if header else app._take_fault(record.path, streaming)
        kind = fault.kind if fault is not None else None
        params = fault.params if fault is not None else {}
        if kind == "slow_headers" and app._stopping.wait(float(params["seconds"])):
            self.close_connection = True
            return
        if kind == "status_503":
            extra = (
                {}
                if params["retry_after"] is None
                else {"retry-after": _num(params["retry_after"])}
            )
            self._send_json(_Json(503, {"detail": "Service Unavailable"}, extra))
            return
        if kind == "rate_limit_429":
            message = "Rate limit exceeded: too many requests, retry later."
            self._send_json(
                _Json(429, {"detail": message}, {"retry-after": _num(params["seconds"])})
            )
            return
        if kind == "html_502":
            self._send_bytes(502, "text/html", _HTML_502)
            return
        if kind == "drop_mid_stream" and not streaming:
            self._drop()
            return
        try:
            reply = app._handle(record)
        except Exception as exc:
            app.errors.append(exc)
            detail = {
                "message": f"An error '{exc}' occurred during {record.path}",
                "error": str(exc),
                "error_type": type(exc).__name__,
            }
            reply = _Json(500, {"detail": detail})
        if isinstance(reply, _Stream):
            self._send_stream(reply.answer, kind, params)
        elif kind == "truncated_json":
            self._send_truncated(reply, str(params["framing"]))
        else:
            self._send_json(reply)

    # -- writing -----------------------------------------------------------------------

    def _send_bytes(
        self, status: int, content_type: str, data: bytes, headers: Mapping[str, str] = {}
    ) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_json(self, reply: _Json) -> None:
        data = json.dumps(reply.body, separators=(",", ":")).encode()
        self._send_bytes(reply.status, "application/json", data, reply.headers)

    def _send_truncated(self, reply: _Json, framing: str) -> None:
        """Half a JSON body: framed exactly (a bad 200), or promised whole and then cut off."""
        data = json.dumps(reply.body, separators=(",", ":")).encode()
        cut = data[: len(data) // 2]
        self.send_response(reply.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(cut) if framing == "exact" else len(data)))
        self.end_headers()
        self.wfile.write(cut)
        if framing == "close":
            self._drop()

    def _drop(self) -> None:
        """Close the connection abruptly, the way a crashed worker or a proxy timeout does."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%b\r\n" % (len(data), data))

    def _send_stream(self, answer: RagAnswer, kind: str | None, params: dict[str, Any]) -> None:
        app = self.server.app
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        first = answer.search_event()
        if kind == "silent_end_after_search":
            self._write_chunk(first)
            self.wfile.write(b"0\r\n\r\n")
            return
        events = _chain(first, answer)
        if kind == "drop_mid_stream":
            for _, event in zip(range(int(params["after_events"])), events, strict=False):
                self._write_chunk(event)
            self._drop()
            return
        self._write_chunk(next(events))
        if app.stream_pause > 0 and app._stopping.wait(app.stream_pause):
            self._drop()
            return
        if app.stream_deltas is None:
            for event in events:  # one chunk per event: the client sees each as it is made
                self._write_chunk(event)
        else:
            batch: list[bytes] = []
            size = 0
            for event in events:
                batch.append(event)
                size += len(event)
                if size >= _BATCH_BYTES:
                    self._write_chunk(b"".join(batch))
                    batch, size = [], 0
            if batch:
                self._write_chunk(b"".join(batch))
        self.wfile.write(b"0\r\n\r\n")


def _chain(first: bytes, answer: RagAnswer) -> Iterator[bytes]:
    yield first
    yield from answer.body_events()
    yield from answer.final_events()


def _num(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else str(number)


def _wants_stream(record: RecordedRequest) -> bool:
    if record.method != "POST" or record.path != "/v3/retrieval/rag":
        return False
    body = record.json
    config = body.get("rag_generation_config") if isinstance(body, dict) else None
    return isinstance(config, dict) and config.get("stream") is True


class FakeR2RServer:
    """An in-process R2R v3 server on 127.0.0.1 for tests and demos.

    `with FakeR2RServer() as server:` starts it on a free port; `server.base_url` is what
    R2RClient needs. Documents live in memory (two seeded ones about the Zorblax protocol);
    every request is recorded in `server.requests`; `server.fail_next(kind, ...)` injects
    faults. See the package docstring for the list.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str | None = None,
        seed: bool = True,
        stream_deltas: int | None = None,
        stream_pause: float = 0.0,
        keepalive_timeout: float = 5.0,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.api_key = api_key
        self.stream_deltas = stream_deltas
        """Make every streamed answer exactly this many message deltas (written in batches)."""
        self.stream_pause = stream_pause
        """Seconds to wait after a stream's first event (time-to-first-event benchmarks)."""
        self.keepalive_timeout = keepalive_timeout
        self.verbose = verbose
        self.requests: list[RecordedRequest] = []
        self.errors: list[BaseException] = []
        """Unexpected exceptions raised while handling requests (should stay empty)."""
        self._documents: dict[str, Document] = {}
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._validator: RequestValidator | None = None
        self._connections: set[socket.socket] = set()
        self._busy_count = 0
        if seed:
            for title, text, metadata in SEED_DOCUMENTS:
                self.add_document(title, text, metadata)

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() or use `with`")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def start(self) -> Self:
        """Bind and serve in a background thread; jsonschema is imported here."""
        if self._httpd is not None:
            return self
        self._validator = RequestValidator()
        self._stopping.clear()
        self._httpd = _HTTPServer((self.host, self.port), self)
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(_POLL,), name="fake-r2r-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, close every connection (idle or mid-stream) and join all threads."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for worker in [*httpd.handler_threads, thread]:
            worker.join(max(0.0, deadline - time.monotonic()))
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- documents -----------------------------------------------------------------------

    def add_document(
        self,
        title: str,
        text: str,
        metadata: Mapping[str, Any] | None = None,
        *,
        id: str | None = None,
    ) -> str:
        """Store a document (split into chunks for retrieval); returns its UUID."""
        with self._lock:
            doc_id = id or document_id_for(title, len(self._documents))
            self._documents[doc_id] = Document(doc_id, title, text, dict(metadata or {}))
        return doc_id

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        """The documents as the API shows them (DocumentResponse), by id, in insertion order."""
        with self._lock:
            return {doc_id: doc.to_json() for doc_id, doc in self._documents.items()}

    @property
    def document_ids(self) -> list[str]:
        with self._lock:
            return list(self._documents)

    # -- faults ----------------------------------------------------------------------------

    def fail_next(
        self, kind: str, count: int | None = 1, *, path: str | None = None, **params: Any
    ) -> Fault:
        """Arm a fault for the next `count` requests (None: until removed) whose path contains
        `path`. Returns the Fault; `with server.fail_next(...):` disarms it on exit."""
        fault = Fault(kind, count, params, path, self)
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove_fault(self, fault: Fault) -> None:
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def reset(self) -> None:
        """Forget recorded requests, errors and armed faults (documents stay)."""
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.errors.clear()

    def _take_fault(self, path: str, streaming: bool) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.applies(path, streaming) and fault.take():
                    if fault.exhausted:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- connections -----------------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        """Client connections currently open on the server side (idle keep-alive included)."""
        with self._lock:
            return len(self._connections)

    @property
    def active_requests(self) -> int:
        """Requests being answered right now (a stream counts until its last byte is sent)."""
        with self._lock:
            return self._busy_count

    def wait_until(self, *, open_connections: int = 0, timeout: float = 2.0) -> bool:
        """Wait until at most `open_connections` are open and no request is active."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.open_connections <= open_connections and self.active_requests == 0:
                return True
            time.sleep(0.01)
        return self.open_connections <= open_connections and self.active_requests == 0

    def _track(self, conn: socket.socket, *, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    @contextlib.contextmanager
    def _busy(self) -> Iterator[None]:
        with self._lock:
            self._busy_count += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy_count -= 1

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(record)

    # -- the API -------------------------------------------------------------------------

    def _auth_error(self, headers: Mapping[str, str]) -> _Json | None:
        authorization = headers.get("authorization")
        api_key = headers.get("x-api-key")
        if authorization is not None and api_key is not None:
            return _r2r_error(400, "Cannot have both Bearer token and API key")
        if self.api_key is None:
            return None
        bearer = None
        if authorization is not None and authorization[:7].lower() == "bearer ":
            bearer = authorization[7:].strip()
        given = bearer or api_key
        if not given:
            return _r2r_error(401, NO_CREDENTIALS)
        if given != self.api_key:
            return _r2r_error(401, "Invalid token or API key")
        return None

    def _handle(self, record: RecordedRequest) -> _Reply:
        """Route a request to its answer, in the real server's order of checks."""
        path, method = record.path, record.method
        routes: list[tuple[re.Pattern[str] | str, str, str]] = [
            ("/v3/retrieval/completion", "POST", "completion"),
            ("/v3/retrieval/rag", "POST", "rag"),
            (_METADATA_PATH, "PUT", "metadata"),
            (_DOCUMENT_PATH, "GET", "document"),
            ("/v3/health", "GET", "health"),
        ]
        match: re.Match[str] | None = None
        allowed = False
        name = ""
        for pattern, route_method, route_name in routes:
            found = pattern.match(path) if isinstance(pattern, re.Pattern) else None
            if found is not None or pattern == path:
                allowed = True
                if method == route_method:
                    match, name = found, route_name
                    break
        if not name:
            status, detail = (405, "Method Not Allowed") if allowed else (404, "Not Found")
            return _Json(status, {"detail": detail})
        if name == "health":
            return _Json(200, {"results": {"message": "ok"}})
        body: Any = None
        if name != "document":
            if not record.body:
                return _unprocessable([missing_body()])
            try:
                body = json.loads(record.body)
            except json.JSONDecodeError as exc:
                return _unprocessable([json_error(exc)])
        auth_error = self._auth_error(record.headers)
        if auth_error is not None:
            return auth_error
        assert self._validator is not None
        if name in ("metadata", "document"):
            assert match is not None
            return self._document_call(name, match.group(1), body)
        template = "/v3/retrieval/completion" if name == "completion" else "/v3/retrieval/rag"
        problems = self._validator.validate("POST", template, body)
        if problems:
            return _unprocessable(problems)
        if name == "completion":
            model = (body.get("generation_config") or {}).get("model")
            return _Json(200, completion_body(body["messages"], model))
        config = body.get("rag_generation_config") or {}
        with self._lock:
            docs = list(self._documents.values())
        streaming = config.get("stream") is True
        answer = RagAnswer.build(
            docs,
            body["query"],
            body.get("search_settings"),
            self.stream_deltas if streaming else None,
        )
        if streaming:
            return _Stream(answer)
        return _Json(200, answer.json_body(config.get("model")))

    def _document_call(self, name: str, doc_id: str, body: Any) -> _Json:
        problems: list[ValidationItem] = []
        bad_id = uuid_error(doc_id, ["path", "id"])
        if bad_id is not None:
            problems.append(bad_id)
        if name == "metadata":
            assert self._validator is not None
            problems += self._validator.validate("PUT", "/v3/documents/{id}/metadata", body)
        if problems:
            return _unprocessable(problems)
        with self._lock:
            doc = self._documents.get(str(uuid.UUID(doc_id)))
            if doc is None:
                return _r2r_error(404, "Document not found.")
            if name == "metadata":
                merged: dict[str, Any] = {}
                for item in body:
                    merged.update(item)
                doc.metadata = merged
                doc.updated_at = now_iso()
            return _Json(200, {"results": doc.to_json()})

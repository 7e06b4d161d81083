"""FakeR2RServer: the app, the transport and the faults, put together and run in a thread."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Self

from ._app import FakeApp, wants_stream
from ._corpus import SEED_DOCUMENTS, DocumentStore
from ._faults import Fault, parse_fault_header
from ._messages import JsonReply, RecordedRequest, Reply
from ._render import StreamTiming, Wire, fault_reply, write_reply
from ._tenants import FakeClock, FakeUser, Limits, Tenants, new_api_key
from ._transport import HTTPTransport
from ._wire import MODEL

__all__ = ["FakeR2RServer", "RecordedRequest"]

_POLL = 0.05  # how often the accept loop looks for stop()


class FakeR2RServer:
    """An in-process R2R v3 server on 127.0.0.1 for tests and demos.

    `with FakeR2RServer() as server:` starts it on a free port; `server.base_url` is what
    R2RClient needs. Documents live in memory (two seeded ones about the Zorblax protocol);
    every request is recorded in `server.requests`; `server.fail_next(kind, ...)` injects
    faults (see the package docstring). Streams can be shaped: `stream_deltas` message deltas
    per answer, `first_event_delay` seconds before the first event, `stream_pause` seconds
    after it, `event_interval` seconds between the events after it.

    Users: out of the box there is one, the default admin (a superuser, never rate limited,
    owner of every document; `api_key` is its key, None: no key needed). `users=[FakeUser(...)]`
    or `server.add_user(...)` add users known by their API keys, who see only their own
    documents and those shared with them (`share_document`), and are rate limited as R2R
    does it (`Limits`, answered with R2R's exact 429s), counted against `clock`, which a test
    moves with `server.clock.advance(60)`. `default_model`: the model of a completion that
    names none; None makes such a completion fail with R2R's 500, as a stock R2R 3.6.6 does.
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
        first_event_delay: float = 0.0,
        event_interval: float = 0.0,
        keepalive_timeout: float = 5.0,
        verbose: bool = False,
        users: Iterable[FakeUser] = (),
        default_limits: Limits | None = None,
        clock: FakeClock | None = None,
        default_model: str | None = MODEL,
    ) -> None:
        self.host = host
        self.port = port
        self.keepalive_timeout = keepalive_timeout
        self.verbose = verbose
        self.requests: list[RecordedRequest] = []
        self.errors: list[BaseException] = []
        """Unexpected exceptions raised while handling requests (should stay empty)."""
        self.stopping = threading.Event()
        self.timing = StreamTiming(first_event_delay, stream_pause, event_interval)
        self._store = DocumentStore()
        self._tenants = Tenants(clock=clock, default_limits=default_limits)
        self.app = FakeApp(
            self._store,
            api_key=api_key,
            stream_deltas=stream_deltas,
            default_model=default_model,
            tenants=self._tenants,
        )
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._transport: HTTPTransport | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._busy_count = 0
        self._tenants.admin.api_key = api_key or ""
        for user in users:
            self._tenants.add(user)
        if seed:
            for title, text, metadata in SEED_DOCUMENTS:
                self.add_document(title, text, metadata)

    # -- settings that may change while it runs ---------------------------------------------

    @property
    def api_key(self) -> str | None:
        """The key requests must carry (Bearer or X-API-Key); None: no auth required."""
        return self.app.api_key

    @api_key.setter
    def api_key(self, value: str | None) -> None:
        self.app.api_key = value
        self._tenants.admin.api_key = value or ""

    @property
    def default_model(self) -> str | None:
        """The model of a completion that names none; None: R2R's 500, as a stock R2R answers."""
        return self.app.default_model

    @default_model.setter
    def default_model(self, value: str | None) -> None:
        self.app.default_model = value

    @property
    def stream_deltas(self) -> int | None:
        """Make every streamed answer exactly this many message deltas (written in batches)."""
        return self.app.stream_deltas

    @stream_deltas.setter
    def stream_deltas(self, value: int | None) -> None:
        self.app.stream_deltas = value

    @property
    def stream_pause(self) -> float:
        """Seconds to wait after a stream's first event (time-to-first-event benchmarks)."""
        return self.timing.stream_pause

    @stream_pause.setter
    def stream_pause(self, value: float) -> None:
        self.timing.stream_pause = value

    @property
    def first_event_delay(self) -> float:
        """Seconds to wait before a stream's first event, after its headers."""
        return self.timing.first_event_delay

    @first_event_delay.setter
    def first_event_delay(self, value: float) -> None:
        self.timing.first_event_delay = value

    @property
    def event_interval(self) -> float:
        """Seconds to wait between two events after the first (one chunk per event)."""
        return self.timing.event_interval

    @event_interval.setter
    def event_interval(self, value: float) -> None:
        self.timing.event_interval = value

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """`http://host:port`, what R2RClient needs; the server must be running."""
        if self._transport is None:
            raise RuntimeError("the server is not running; call start() or use `with`")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server is started and not stopped."""
        return self._transport is not None

    def start(self) -> Self:
        """Bind and serve in a background thread; jsonschema is imported here."""
        if self._transport is not None:
            return self
        self.app.load_validator()
        self.stopping.clear()
        self._transport = HTTPTransport((self.host, self.port), self)
        self.port = int(self._transport.server_address[1])
        self._thread = threading.Thread(
            target=self._transport.serve_forever,
            args=(_POLL,),
            name="fake-r2r-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, close every connection (idle or mid-stream) and join all threads."""
        transport, thread = self._transport, self._thread
        if transport is None or thread is None:
            return
        self.stopping.set()
        transport.shutdown()
        transport.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for worker in [*transport.handler_threads, thread]:
            worker.join(max(0.0, deadline - time.monotonic()))
        self._transport = self._thread = None

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
        owner: FakeUser | None = None,
    ) -> str:
        """Store a document (split into chunks for retrieval); returns its UUID.

        `owner`: the user who ingested it (None: the default admin); it goes into the owner's
        default collection, as R2R files a user's ingested documents."""
        user = owner if owner is not None else self._tenants.admin
        return self._store.add(
            title,
            text,
            metadata or {},
            id,
            owner_id=user.id,
            collection_ids=[user.default_collection_id],
        )

    def share_document(self, document_id: str, user: FakeUser) -> None:
        """Put a document into `user`'s default collection: the user then finds it in RAG
        searches and reads it, but only its owner (or a superuser) may change its metadata."""
        try:
            self._store.add_to_collection(document_id, user.default_collection_id)
        except KeyError:
            raise KeyError(f"share_document: no document {document_id!r} on this server") from None

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        """The documents as the API shows them (DocumentResponse), by id, in insertion order."""
        return {doc.id: doc.to_json() for doc in self._store.all()}

    @property
    def document_ids(self) -> list[str]:
        """The ids of the stored documents, in the order they were added."""
        return [doc.id for doc in self._store.all()]

    # -- users and rate limits ---------------------------------------------------------------

    def add_user(
        self,
        api_key: str | None = None,
        *,
        name: str = "user",
        superuser: bool = False,
        limits: Limits | None = None,
    ) -> FakeUser:
        """Add a user known by `api_key` (None: a fresh random key, `user.api_key`).

        A regular user (`superuser=False`) is rate limited by `limits`, or by
        `default_limits` when None."""
        key = api_key if api_key is not None else new_api_key()
        user = FakeUser(key, name=name, superuser=superuser, limits=limits)
        return self._tenants.add(user)

    @property
    def users(self) -> list[FakeUser]:
        """The users added with `users=` or add_user(), in that order (not the admin)."""
        return self._tenants.users()

    @property
    def admin(self) -> FakeUser:
        """The default admin: a superuser, owner of documents added without an owner. Its key
        is the server's `api_key` ("" when None: then every request without a user's key is
        the admin's)."""
        return self._tenants.admin

    @property
    def clock(self) -> FakeClock:
        """The time rate limits are counted in; `server.clock.advance(60)` frees the
        per-minute windows without sleeping."""
        return self._tenants.clock

    @property
    def default_limits(self) -> Limits:
        """The limits of regular users who have none of their own (R2R's defaults: 60
        requests a minute in all, 20 a minute and 10,000 a month per route)."""
        return self._tenants.default_limits

    @default_limits.setter
    def default_limits(self, value: Limits) -> None:
        self._tenants.default_limits = value

    def set_limits(self, user: FakeUser, limits: Limits | None) -> None:
        """Give `user` its own limits (None: back to `default_limits`). Requests already
        counted stay counted, as on a real server."""
        if user not in self._tenants.users():
            raise ValueError(f"set_limits: {user!r} is not a user of this server (add_user)")
        user.limits = limits

    # -- faults ----------------------------------------------------------------------------

    def fail_next(
        self, kind: str, count: int | None = 1, *, path: str | None = None, **params: Any
    ) -> Fault:
        """Arm a fault for the next `count` requests (None: until disarmed) whose path contains
        `path`. Returns the Fault; `with server.fail_next(...):` disarms it on exit."""
        fault = Fault(kind, count, params, path)
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove_fault(self, fault: Fault) -> None:
        """Withdraw a fault set with fail_next()."""
        fault.disarm()
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear_faults(self) -> None:
        """Withdraw every pending fault."""
        with self._lock:
            self._faults.clear()

    def reset(self) -> None:
        """Forget recorded requests, errors, armed faults and the requests counted against
        rate limits (documents and users stay)."""
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.errors.clear()
        self._tenants.forget_requests()

    def _take_fault(self, path: str, streaming: bool) -> Fault | None:
        with self._lock:
            self._faults = [fault for fault in self._faults if not fault.exhausted]
            for fault in self._faults:
                if fault.applies(path, streaming) and fault.take():
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

    # -- the transport's host interface -----------------------------------------------------

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        """Called by the transport when a connection opens or closes."""
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def report_error(self, exc: BaseException) -> None:
        """Called by the transport with an unexpected exception (kept in `errors`)."""
        self.errors.append(exc)

    def serve(self, request: RecordedRequest, wire: Wire) -> None:
        """Record the request, apply a fault if one is armed, and write the reply."""
        with self._lock:
            self.requests.append(request)
            self._busy_count += 1
        try:
            self._serve(request, wire)
        finally:
            with self._lock:
                self._busy_count -= 1

    def _serve(self, request: RecordedRequest, wire: Wire) -> None:
        streaming = wants_stream(request)
        header = request.headers.get("x-fake-r2r-fault")
        fault = parse_fault_header(header) if header else self._take_fault(request.path, streaming)
        kind = fault.kind if fault is not None else None
        if fault is not None and kind == "slow_headers":
            stopped = wire.wait(float(fault.params["seconds"]))
            if stopped:
                wire.drop()
                return
        reply = fault_reply(fault)
        if reply is None:
            if kind == "drop_mid_stream" and not streaming:
                wire.drop()  # a JSON request: the connection closes before any answer
                return
            reply = self._answer(request)
        batched = self.app.stream_deltas is not None
        write_reply(wire, reply, fault, self.timing, batched=batched)

    def _answer(self, request: RecordedRequest) -> Reply:
        try:
            return self.app(request)
        except Exception as exc:  # a bug of the fake: answer as R2R answers unexpected errors
            self.errors.append(exc)
            detail = {
                "message": f"An error '{exc}' occurred during {request.path}",
                "error": str(exc),
                "error_type": type(exc).__name__,
            }
            return JsonReply(500, {"detail": detail})

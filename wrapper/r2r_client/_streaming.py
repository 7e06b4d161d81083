"""Streams of typed RAG events over one pooled connection, always closed in the end.

A stream is read once. Its generator holds the stream's state and response but not the stream
itself: no reference cycle, so a stream dropped mid-way (a `break` or an exception in a bare
`for`, a cancelled task) is finalized by reference counting and gives its connection back at
once, not at the next garbage collection.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from types import TracebackType
from typing import Any, Self

import httpx

from r2r_api import models  # a lazy package: nothing loads until a model is used

from .errors import (
    APIResponseValidationError,
    APITimeoutError,
    ClientClosedError,
    IncompleteStreamError,
    StreamConsumedError,
    StreamDisconnectedError,
    StreamEventError,
)
from .events import (
    EVENT_TYPES,
    FinalAnswerEvent,
    MessageEvent,
    RAGEvent,
    SearchResultsEvent,
    ThinkingEvent,
    UnknownEvent,
)
from .sse import ServerSentEvent, SSEDecoder

# After `done`, read at most this much more before closing: normally only the chunked
# terminator is left, and reading it lets the connection go back to the pool.
_DRAIN_LIMIT = 64 * 1024
# Join the received pieces of text once this many have piled up.
_COMPACT_EVERY = 256
# How much of a body that is not an event stream to read, for the error's excerpt.
_NOT_A_STREAM_EXCERPT = 64 * 1024
_EVENT_STREAM = "text/event-stream"
# Closes of async streams dropped unread, kept alive until they ran.
_CLOSING: set[asyncio.Task[None]] = set()


class StreamSlots:
    """Counts a client's open streams, to choose at `done` what becomes of the connection.

    A finished stream's connection goes back to the pool (the rest of the body is read) while
    at most `keep` streams are open, `keep` being the number of idle connections the pool
    keeps. Past that, the pool would soon hold more idle connections than it keeps, and
    httpcore's bookkeeping walks every connection for each idle one each time a connection is
    released (encode/httpcore#1035), so the stream closes its connection instead.

    A stream counts from its request (`with slots:` around sending it, which leaves again
    only if sending fails) until its response is closed.
    """

    __slots__ = ("_lock", "keep", "open")

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.open = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.open += 1

    def leave(self) -> None:
        with self._lock:
            self.open -= 1

    def reuse_connection(self) -> bool:
        return self.open <= self.keep

    def __enter__(self) -> Self:
        self.enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:  # no stream came of it
            self.leave()


class RAGAnswer:
    """A streamed answer, consumed: the final text with its citations and search results."""

    __slots__ = ("citations", "events", "generated_answer", "search_results")

    def __init__(
        self,
        generated_answer: str,
        citations: list[models.Citation],
        search_results: models.AggregateSearchResult | None,
        events: list[RAGEvent],
    ) -> None:
        self.generated_answer = generated_answer
        self.citations = citations
        self.search_results = search_results
        self.events = events

    def __repr__(self) -> str:
        return (
            f"RAGAnswer(generated_answer={self.generated_answer!r}, "
            f"citations={len(self.citations)}, events={len(self.events)})"
        )


class _StreamState:
    """What the stream has delivered so far; turns raw SSE into typed events."""

    __slots__ = (
        "blocks",
        "closed",
        "count",
        "done",
        "ended",
        "events",
        "failure",
        "final",
        "http",
        "response",
        "slots",
        "texts",
    )

    def __init__(
        self, response: httpx.Response, http: httpx.Client | httpx.AsyncClient | None
    ) -> None:
        self.response = response
        self.http = http  # to tell a closed client from a broken connection
        self.slots: StreamSlots | None = None  # the client's open-stream count, if it keeps one
        self.events: list[RAGEvent] = []
        self.texts: list[str] = []  # the latest pieces of text
        self.blocks: list[str] = []  # earlier pieces, joined in blocks (few objects, no big copies)
        self.final: FinalAnswerEvent | None = None
        self.done = False
        self.count = 0  # every event received, deltas included
        self.ended = False  # read to its end, failed, or closed: it cannot be read any further
        self.closed = False  # closed by its reader before its end
        self.failure = ""  # why it ended early, when it failed

    @property
    def text(self) -> str:
        return "".join(self.blocks) + "".join(self.texts)

    def keep_connection(self) -> bool:
        """At `done`: read the rest so the pool may reuse the connection, or just close it."""
        return self.slots is None or self.slots.reuse_connection()

    def release(self) -> None:
        """The response is closed (once or more): the stream no longer counts as open."""
        slots, self.slots = self.slots, None
        if slots is not None:
            slots.leave()

    @property
    def complete(self) -> bool:
        return self.done or self.final is not None

    def incomplete(self) -> IncompleteStreamError:
        """The error for reading the answer of a stream that does not have it (yet)."""
        received = f"{self.count} events, {len(self.text)} characters received"
        if not self.ended:
            why = (
                f"the stream has not been read to its end ({received}); read it first, e.g. "
                "with final_answer(). What arrived so far is in this error's .text"
            )
        elif self.closed:
            why = f"the stream was closed before its final answer ({received})"
        else:
            failure = f": {self.failure}" if self.failure else ""
            why = f"the stream ended before its final answer{failure} ({received})"
        return IncompleteStreamError(
            f"{why}; the answer is incomplete", text=self.text, events=list(self.events)
        )

    def consumed(self) -> StreamConsumedError:
        if self.closed:
            how = "was closed (by close() or the end of its `with` block) before its end"
        elif self.complete:
            how = "has been read to its end"
        else:
            how = "has ended early"
        return StreamConsumedError(
            f"this stream {how}: a stream is read once. Its events are in .events; "
            "final_answer() returns its answer (or raises IncompleteStreamError)"
        )

    def handle(self, sse: ServerSentEvent) -> RAGEvent | None:
        """The typed event for one SSE event; None for `done`, which ends the stream."""
        name = sse.event
        self.count += 1
        if name == "done":
            self.done = True
            return None
        cls = EVENT_TYPES.get(name)
        try:
            payload: Any = _loads(sse.data)
        except ValueError:
            if cls is not None or name == "error":
                raise APIResponseValidationError(
                    f"the {name!r} event's data is not JSON: {sse.data[:80]!r}",
                    response=self.response,
                    body=sse.data,
                ) from None
            payload = sse.data
        if name == "error":
            self.failure = "the server sent an error event"
            raise _stream_error(payload)
        event: RAGEvent
        if cls is None or not isinstance(payload, dict):
            event = UnknownEvent(name, payload)
        else:
            event = cls(payload)
            if isinstance(event, MessageEvent):
                # Deltas are not retained (a long answer would hold every parsed payload);
                # their text is, in `texts`.
                texts = self.texts
                texts.append(event.text)
                if len(texts) >= _COMPACT_EVERY:
                    self.blocks.append("".join(texts))
                    texts.clear()
                return event
            if isinstance(event, ThinkingEvent):
                return event
            if isinstance(event, FinalAnswerEvent):
                self.final = event
        self.events.append(event)
        return event

    def check_complete(self) -> None:
        if not self.complete:
            raise self.incomplete()

    def disconnected(self, exc: httpx.TransportError) -> Exception:
        if self.http is not None and self.http.is_closed:
            self.failure = "its client was closed"
            return ClientClosedError(
                "the client was closed while this stream was being read: read streams to "
                "their end (or close them) before closing their client"
            )
        if isinstance(exc, httpx.TimeoutException):
            self.failure = "it stalled past the read timeout"
            return APITimeoutError(exc.request, "the stream stalled past the read timeout")
        self.failure = "the connection broke"
        return StreamDisconnectedError(
            f"the connection broke mid-stream: {str(exc) or type(exc).__name__}",
            request=self.response.request,
            text=self.text,
            events=list(self.events),
        )

    def undecodable(self, exc: httpx.DecodingError) -> APIResponseValidationError:
        self.failure = "its bytes could not be decoded"
        return APIResponseValidationError(
            f"the stream could not be decoded ({exc})", response=self.response
        )

    def not_an_event_stream(self, body: bytes) -> APIResponseValidationError:
        response = self.response
        kind = response.headers.get("content-type") or "no content type"
        text = body.decode(errors="replace")
        excerpt = " ".join(text[:200].split())
        self.failure = "the answer was not an event stream"
        return APIResponseValidationError(
            f"asked for a stream (stream=True), but the server answered {response.status_code} "
            f"with {kind} instead of {_EVENT_STREAM}: a proxy or an older server may not stream; "
            f"call rag() without stream=True for a JSON answer. The body starts: {excerpt!r}",
            response=response,
            body=text,
        )

    def answer(self) -> RAGAnswer:
        search = next((e for e in self.events if isinstance(e, SearchResultsEvent)), None)
        if self.final is not None:
            final = self.final.data
            text = final.generated_answer
            citations = list(final.citations or [])
        else:
            text, citations = self.text, []
        return RAGAnswer(
            text, citations, search.data.data if search is not None else None, list(self.events)
        )


# The decoder's C scanner (typeshed does not declare the attribute).
_scan_json: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _loads(text: str) -> Any:
    """json.loads for one event's data, on the hot path of every stream: R2R's data is one
    JSON value with nothing around it, which the C scanner reads directly (json.loads would
    also look for surrounding whitespace with two regular-expression searches). Anything
    else goes to json.loads, which accepts what it accepts and raises what it raises."""
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


def _stream_error(payload: object) -> StreamEventError:
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or "the server reported an error")
        kind = error.get("type")
        return StreamEventError(message, error_type=str(kind) if kind else None, data=payload)
    return StreamEventError(
        f"the server reported an error: {payload!r}", error_type=None, data=payload
    )


def _is_event_stream(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower() == _EVENT_STREAM


def _events(state: _StreamState, response: httpx.Response) -> Generator[RAGEvent, None, None]:
    try:
        chunks = response.iter_bytes()
        if not _is_event_stream(response):
            raise state.not_an_event_stream(_head(chunks))
        decoder = SSEDecoder()  # fed directly: one generator less per event
        for chunk in chunks:
            for sse in decoder.feed(chunk):
                event = state.handle(sse)
                if event is None:
                    if state.keep_connection():
                        _drain(chunks)
                    return
                yield event
        state.ended = True  # read to its end: the error says so, not "read it first"
        state.check_complete()
    except httpx.TransportError as exc:
        raise state.disconnected(exc) from exc
    except httpx.DecodingError as exc:
        raise state.undecodable(exc) from exc
    finally:
        state.ended = True
        state.release()
        response.close()


async def _aevents(state: _StreamState, response: httpx.Response) -> AsyncGenerator[RAGEvent, None]:
    try:
        chunks = response.aiter_bytes()
        if not _is_event_stream(response):
            raise state.not_an_event_stream(await _ahead(chunks))
        decoder = SSEDecoder()  # fed directly: one async generator less per event
        async for chunk in chunks:
            for sse in decoder.feed(chunk):
                event = state.handle(sse)
                if event is None:
                    if state.keep_connection():
                        await _adrain(chunks)
                    return
                yield event
        state.ended = True  # read to its end: the error says so, not "read it first"
        state.check_complete()
    except httpx.TransportError as exc:
        raise state.disconnected(exc) from exc
    except httpx.DecodingError as exc:
        raise state.undecodable(exc) from exc
    finally:
        state.ended = True
        state.release()
        await response.aclose()


class _StreamBase:
    """What both stream classes keep: the response and what it has delivered so far."""

    def __init__(
        self, response: httpx.Response, http: httpx.Client | httpx.AsyncClient | None = None
    ) -> None:
        self.response = response
        self._state = _StreamState(response, http)
        self._handed_out = False  # its generator was given to a reader, who now owns its end

    def _counted_in(self, slots: StreamSlots) -> Self:
        """Count this stream among its client's open streams (entered for its request)."""
        self._state.slots = slots
        return self

    @property
    def events(self) -> list[RAGEvent]:
        """The events delivered so far, except message and thinking deltas (see `text`)."""
        return list(self._state.events)

    @property
    def text(self) -> str:
        """The answer's text, once the stream has delivered its final answer.

        Raises IncompleteStreamError before that (not read to its end yet, closed early, or
        ended without an answer); the error's `.text` has what arrived so far. To show text as
        it arrives, use `text_stream()` or each MessageEvent's `.text`.
        """
        state = self._state
        if not state.complete:
            raise state.incomplete()
        return state.text


class RAGStream(_StreamBase):
    """A streamed RAG answer: iterate it (once) for typed events; `done` ends the iteration.

    Use it as a context manager (or call `close()`) to release the connection when you stop
    early; a stream read to its end closes itself, and so does one that is dropped.

    Threads: a stream is read by one thread at a time (its iterator is a generator); `events`
    may be read from another thread meanwhile (it returns a copy). The RAGAnswer and the events
    it hands out are plain objects, safe to share once delivered. The client is thread-safe.
    """

    def __init__(self, response: httpx.Response, http: httpx.Client | None = None) -> None:
        super().__init__(response, http)
        self._iterator = _events(self._state, response)

    def __iter__(self) -> Iterator[RAGEvent]:
        if self._state.ended:
            raise self._state.consumed()
        self._handed_out = True
        return self._iterator

    def __next__(self) -> RAGEvent:
        if self._state.ended:
            raise self._state.consumed()
        self._handed_out = True
        return next(self._iterator)

    def text_stream(self) -> Iterator[str]:
        """The answer's text, piece by piece, as it arrives."""
        for event in self:
            if isinstance(event, MessageEvent):
                yield event.text

    def final_answer(self) -> RAGAnswer:
        """Read the stream to its end and return the answer with citations and results.

        Raises IncompleteStreamError when the stream ends (or was closed) before its answer.
        """
        state = self._state
        if not state.ended:
            for _ in self._iterator:
                pass
        if not state.complete:
            raise state.incomplete()
        return state.answer()

    def close(self) -> None:
        """Stop reading and release the connection (safe to call twice)."""
        state = self._state
        if not state.ended:
            state.closed = True
        state.release()
        self._iterator.close()
        self.response.close()
        state.ended = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Dropped before anyone iterated it: nothing else would give the connection back.
        response = getattr(self, "response", None)
        if response is not None and not getattr(self, "_handed_out", True):
            self._state.release()
            response.close()


class AsyncRAGStream(_StreamBase):
    """The async twin of RAGStream: `async for` (once), `async with`, `await close()`.

    Threads: an async stream belongs to the event loop that opened it, like its client; read
    it from one task at a time.
    """

    def __init__(self, response: httpx.Response, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(response, http)
        self._iterator = _aevents(self._state, response)

    def __aiter__(self) -> AsyncIterator[RAGEvent]:
        if self._state.ended:
            raise self._state.consumed()
        self._handed_out = True
        return self._iterator

    async def __anext__(self) -> RAGEvent:
        if self._state.ended:
            raise self._state.consumed()
        self._handed_out = True
        return await anext(self._iterator)

    async def text_stream(self) -> AsyncIterator[str]:
        """The answer's text, piece by piece, as it arrives."""
        async for event in self:
            if isinstance(event, MessageEvent):
                yield event.text

    async def final_answer(self) -> RAGAnswer:
        """Read the stream to its end and return the answer with citations and results.

        Raises IncompleteStreamError when the stream ends (or was closed) before its answer.
        """
        state = self._state
        if not state.ended:
            async for _ in self._iterator:
                pass
        if not state.complete:
            raise state.incomplete()
        return state.answer()

    async def close(self) -> None:
        """Stop reading and release the connection (safe to call twice)."""
        state = self._state
        if not state.ended:
            state.closed = True
        state.release()
        await self._iterator.aclose()
        await self.response.aclose()
        state.ended = True

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __del__(self) -> None:
        # Dropped before anyone iterated it: close it on the loop it belongs to, soon. (A
        # dropped async generator is closed by the loop itself, the same way.)
        response = getattr(self, "response", None)
        if response is None or getattr(self, "_handed_out", True) or response.is_closed:
            return
        self._state.release()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(response.aclose())
        _CLOSING.add(task)
        task.add_done_callback(_CLOSING.discard)


def _head(chunks: Iterator[bytes]) -> bytes:
    """The start of a body, for an error message."""
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= _NOT_A_STREAM_EXCERPT:
            break
    return head


async def _ahead(chunks: AsyncIterator[bytes]) -> bytes:
    head = b""
    async for chunk in chunks:
        head += chunk
        if len(head) >= _NOT_A_STREAM_EXCERPT:
            break
    return head


def _drain(chunks: Iterator[bytes]) -> None:
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > _DRAIN_LIMIT:
            return


async def _adrain(chunks: AsyncIterator[bytes]) -> None:
    seen = 0
    async for chunk in chunks:
        seen += len(chunk)
        if seen > _DRAIN_LIMIT:
            return

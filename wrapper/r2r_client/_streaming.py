"""Streams of typed RAG events over one pooled connection, always closed in the end."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx

from .errors import (
    APIResponseValidationError,
    APITimeoutError,
    IncompleteStreamError,
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

if TYPE_CHECKING:
    from r2r_api.models.aggregate_search_result import AggregateSearchResult
    from r2r_api.models.citation import Citation

# After `done`, read at most this much more before closing: normally only the chunked
# terminator is left, and reading it lets the connection go back to the pool.
_DRAIN_LIMIT = 64 * 1024
# Join the received pieces of text once this many have piled up.
_COMPACT_EVERY = 256


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
        citations: list[Citation],
        search_results: AggregateSearchResult | None,
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

    __slots__ = ("blocks", "count", "done", "events", "final", "response", "texts")

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.events: list[RAGEvent] = []
        self.texts: list[str] = []  # the latest pieces of text
        self.blocks: list[str] = []  # earlier pieces, joined in blocks (few objects, no big copies)
        self.final: FinalAnswerEvent | None = None
        self.done = False
        self.count = 0  # every event received, deltas included

    @property
    def text(self) -> str:
        return "".join(self.blocks) + "".join(self.texts)

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
            raise _stream_error(payload)
        event: RAGEvent
        if cls is None or not isinstance(payload, dict):
            event = UnknownEvent(name, payload)
        else:
            event = cls(payload)  # type: ignore[assignment]
            if cls is MessageEvent:
                # Deltas are not retained (a long answer would hold every parsed payload);
                # their text is, in `texts`.
                texts = self.texts
                texts.append(event.text)  # type: ignore[union-attr]
                if len(texts) >= _COMPACT_EVERY:
                    self.blocks.append("".join(texts))
                    texts.clear()
                return event
            if cls is ThinkingEvent:
                return event
            if cls is FinalAnswerEvent:
                self.final = event  # type: ignore[assignment]
        self.events.append(event)
        return event

    def check_complete(self) -> None:
        if not self.done and self.final is None:
            raise IncompleteStreamError(
                "the stream ended before its final answer; the answer is incomplete "
                f"({self.count} events, {len(self.text)} characters received)",
                text=self.text,
                events=list(self.events),
            )

    def disconnected(self, exc: httpx.TransportError) -> Exception:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(exc.request, "the stream stalled past the read timeout")
        return StreamDisconnectedError(
            f"the connection broke mid-stream: {exc}",
            request=self.response.request,
            text=self.text,
            events=list(self.events),
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


class _StreamBase:
    """What both stream classes keep: the response and what it has delivered so far."""

    def __init__(self, response: httpx.Response, slots: StreamSlots | None = None) -> None:
        self.response = response
        self._state = _StreamState(response)
        self._slots = slots  # already entered for this stream's request

    def _keep_connection(self) -> bool:
        """At `done`: read the rest so the pool may reuse the connection, or just close it."""
        return self._slots is None or self._slots.reuse_connection()

    def _release(self) -> None:
        """The response is closed (once or more): the stream no longer counts as open."""
        slots, self._slots = self._slots, None
        if slots is not None:
            slots.leave()

    @property
    def events(self) -> list[RAGEvent]:
        """The events delivered so far, except message and thinking deltas (see `text`)."""
        return list(self._state.events)

    @property
    def text(self) -> str:
        """The answer's text received so far."""
        return self._state.text


class RAGStream(_StreamBase):
    """A streamed RAG answer: iterate it for typed events; `done` ends the iteration.

    Use it as a context manager (or call `close()`) to release the connection when you stop
    early; a stream read to its end closes itself.
    """

    def __init__(self, response: httpx.Response, slots: StreamSlots | None = None) -> None:
        super().__init__(response, slots)
        self._iterator = self._events()

    def __iter__(self) -> Iterator[RAGEvent]:
        return self._iterator

    def __next__(self) -> RAGEvent:
        return next(self._iterator)

    def _events(self) -> Generator[RAGEvent, None, None]:
        state = self._state
        try:
            chunks = self.response.iter_bytes()
            decoder = SSEDecoder()  # fed directly: one generator less per event
            for chunk in chunks:
                for sse in decoder.feed(chunk):
                    event = state.handle(sse)
                    if event is None:
                        if self._keep_connection():
                            _drain(chunks)
                        return
                    yield event
            state.check_complete()
        except httpx.TransportError as exc:
            raise state.disconnected(exc) from exc
        finally:
            self._release()
            self.response.close()

    def text_stream(self) -> Iterator[str]:
        """The answer's text, piece by piece, as it arrives."""
        for event in self:
            if isinstance(event, MessageEvent):
                yield event.text

    def final_answer(self) -> RAGAnswer:
        """Read the stream to its end and return the answer with citations and results."""
        for _ in self:
            pass
        return self._state.answer()

    def close(self) -> None:
        self._release()
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRAGStream(_StreamBase):
    """The async twin of RAGStream: `async for`, `async with`, `await close()`."""

    def __init__(self, response: httpx.Response, slots: StreamSlots | None = None) -> None:
        super().__init__(response, slots)
        self._iterator = self._events()

    def __aiter__(self) -> AsyncIterator[RAGEvent]:
        return self._iterator

    async def __anext__(self) -> RAGEvent:
        return await anext(self._iterator)

    async def _events(self) -> AsyncGenerator[RAGEvent, None]:
        state = self._state
        try:
            chunks = self.response.aiter_bytes()
            decoder = SSEDecoder()  # fed directly: one async generator less per event
            async for chunk in chunks:
                for sse in decoder.feed(chunk):
                    event = state.handle(sse)
                    if event is None:
                        if self._keep_connection():
                            await _adrain(chunks)
                        return
                    yield event
            state.check_complete()
        except httpx.TransportError as exc:
            raise state.disconnected(exc) from exc
        finally:
            self._release()
            await self.response.aclose()

    async def text_stream(self) -> AsyncIterator[str]:
        async for event in self:
            if isinstance(event, MessageEvent):
                yield event.text

    async def final_answer(self) -> RAGAnswer:
        async for _ in self:
            pass
        return self._state.answer()

    async def close(self) -> None:
        self._release()
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


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

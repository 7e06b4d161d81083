"""Streams of typed RAG events over one pooled connection, always closed in the end."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
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
from .sse import ServerSentEvent, aiter_sse, iter_sse

if TYPE_CHECKING:
    from r2r_api.models.aggregate_search_result import AggregateSearchResult
    from r2r_api.models.citation import Citation

# After `done`, read at most this much more before closing: normally only the chunked
# terminator is left, and reading it lets the connection go back to the pool.
_DRAIN_LIMIT = 64 * 1024
# Join the received pieces of text once this many have piled up.
_COMPACT_EVERY = 256


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
            payload: Any = json.loads(sse.data)
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

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._state = _StreamState(response)

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

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response)
        self._iterator = self._events()

    def __iter__(self) -> Iterator[RAGEvent]:
        return self._iterator

    def __next__(self) -> RAGEvent:
        return next(self._iterator)

    def _events(self) -> Generator[RAGEvent, None, None]:
        state = self._state
        try:
            chunks = self.response.iter_bytes()
            for sse in iter_sse(chunks):
                event = state.handle(sse)
                if event is None:
                    _drain(chunks)
                    return
                yield event
            state.check_complete()
        except httpx.TransportError as exc:
            raise state.disconnected(exc) from exc
        finally:
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
        """Stop reading and release the connection (safe to call twice)."""
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

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response)
        self._iterator = self._events()

    def __aiter__(self) -> AsyncIterator[RAGEvent]:
        return self._iterator

    async def __anext__(self) -> RAGEvent:
        return await anext(self._iterator)

    async def _events(self) -> AsyncGenerator[RAGEvent, None]:
        state = self._state
        try:
            chunks = self.response.aiter_bytes()
            async for sse in aiter_sse(chunks):
                event = state.handle(sse)
                if event is None:
                    await _adrain(chunks)
                    return
                yield event
            state.check_complete()
        except httpx.TransportError as exc:
            raise state.disconnected(exc) from exc
        finally:
            await self.response.aclose()

    async def text_stream(self) -> AsyncIterator[str]:
        """The answer's text, piece by piece, as it arrives."""
        async for event in self:
            if isinstance(event, MessageEvent):
                yield event.text

    async def final_answer(self) -> RAGAnswer:
        """Read the stream to its end and return the answer with citations and results."""
        async for _ in self:
            pass
        return self._state.answer()

    async def close(self) -> None:
        """Stop reading and release the connection (safe to call twice)."""
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

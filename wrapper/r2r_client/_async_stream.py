"""AsyncRAGStream: a streamed answer as an async iterator of typed events; always closed.

This is the source of `_stream.py` (RAGStream), which generator/unasync.py derives from it:
edit this file, then run `nox -s generate`.

A stream is read once. Its generator holds the stream's state and response but not the stream
itself: no reference cycle, so a stream dropped mid-way (a `break` or an exception in a bare
`async for`, a cancelled task) is finalized by reference counting and gives its connection back
at once, not at the next garbage collection.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from types import TracebackType
from typing import Self

import httpx

from ._stream_state import (
    RAGAnswer,
    StreamBase,
    StreamState,
    close_dropped_async,
    is_event_stream,
)
from .events import MessageEvent, RAGEvent
from .sse import SSEDecoder

__all__ = ["AsyncRAGStream"]

# After `done`, read at most this much more before closing: normally only the chunked
# terminator is left, and reading it lets the connection go back to the pool.
_DRAIN_LIMIT = 64 * 1024
# How much of a body that is not an event stream to read, for the error's excerpt.
_NOT_A_STREAM_EXCERPT = 64 * 1024


async def _events(state: StreamState, response: httpx.Response) -> AsyncGenerator[RAGEvent, None]:
    try:
        chunks = response.aiter_bytes()
        if not is_event_stream(response):
            raise state.not_an_event_stream(await _head(chunks))
        decoder = SSEDecoder()  # fed directly: one generator less per event
        async for chunk in chunks:
            for sse in decoder.feed(chunk):
                event = state.handle(sse)
                if event is None:
                    if state.keep_connection():
                        await _drain(chunks)
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


class AsyncRAGStream(StreamBase):
    """A streamed RAG answer: iterate it (once, `async for`) for typed events; `done` ends it.

    Use it as a context manager (`async with`, or call `await close()`) to release the
    connection when you stop early; a stream read to its end closes itself, and so does one
    that is dropped.

    Concurrency: an async stream belongs to the event loop that opened it, like its client;
    read it from one task at a time.

    `events` returns a copy; the RAGAnswer and the events it hands out are plain objects, safe
    to share once delivered.
    """

    def __init__(self, response: httpx.Response, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(response, http)
        self._iterator = _events(self._state, response)

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
        # Dropped before anyone iterated it: nothing else would give the connection back.
        response = getattr(self, "response", None)
        if response is None or getattr(self, "_handed_out", True) or response.is_closed:
            return
        self._state.release()
        close_dropped_async(response)


async def _head(chunks: AsyncIterator[bytes]) -> bytes:
    """The start of a body, for an error message."""
    head = b""
    async for chunk in chunks:
        head += chunk
        if len(head) >= _NOT_A_STREAM_EXCERPT:
            break
    return head


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    """Read the rest of a finished stream's body, so its connection can be pooled.

    The answer is complete by then: a failure here (a peer that closes without the chunked
    terminator, a stall) only means the connection is not reused; the response is closed.
    """
    seen = 0
    try:
        async for chunk in chunks:
            seen += len(chunk)
            if seen > _DRAIN_LIMIT:
                return
    except (httpx.TransportError, httpx.DecodingError):
        return

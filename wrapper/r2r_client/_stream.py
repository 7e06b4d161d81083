# Generated from _async_stream.py by generator/unasync.py (nox -s generate): do not edit.
"""RAGStream: a streamed answer as an iterator of typed events; always closed.

Generated from `_async_stream.py` by generator/unasync.py: edit that file, not this one.

A stream is read once. Its generator holds the stream's state and response but not the stream
itself: no reference cycle, so a stream dropped mid-way (a `break` or an exception in a bare
`for`, a thread stopped) is finalized by reference counting and gives its connection back
at once, not at the next garbage collection.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from types import TracebackType
from typing import Self

import httpx

from ._stream_state import (
    RAGAnswer,
    StreamBase,
    StreamState,
    close_dropped,
    is_event_stream,
)
from .events import MessageEvent, RAGEvent
from .sse import SSEDecoder

__all__ = ["RAGStream"]

# After `done`, read at most this much more before closing: normally only the chunked
# terminator is left, and reading it lets the connection go back to the pool.
_DRAIN_LIMIT = 64 * 1024
# How much of a body that is not an event stream to read, for the error's excerpt.
_NOT_A_STREAM_EXCERPT = 64 * 1024


def _events(state: StreamState, response: httpx.Response) -> Generator[RAGEvent, None]:
    try:
        chunks = response.iter_bytes()
        if not is_event_stream(response):
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


class RAGStream(StreamBase):
    """A streamed RAG answer: iterate it (once, `for`) for typed events; `done` ends it.

    Use it as a context manager (`with`, or call `close()`) to release the
    connection when you stop early; a stream read to its end closes itself, and so does one
    that is dropped.

    Concurrency: a stream is read by one thread at a time (its iterator is a generator);
    the client that opened it is thread-safe.

    `events` returns a copy; the RAGAnswer and the events it hands out are plain objects, safe
    to share once delivered.
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
        if response is None or getattr(self, "_handed_out", True) or response.is_closed:
            return
        self._state.release()
        close_dropped(response)


def _head(chunks: Iterator[bytes]) -> bytes:
    """The start of a body, for an error message."""
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= _NOT_A_STREAM_EXCERPT:
            break
    return head


def _drain(chunks: Iterator[bytes]) -> None:
    """Read the rest of a finished stream's body, so its connection can be pooled.

    The answer is complete by then: a failure here (a peer that closes without the chunked
    terminator, a stall) only means the connection is not reused; the response is closed.
    """
    seen = 0
    try:
        for chunk in chunks:
            seen += len(chunk)
            if seen > _DRAIN_LIMIT:
                return
    except (httpx.TransportError, httpx.DecodingError):
        return

"""What a stream has delivered, turned from SSE into typed events; no I/O here.

Both stream classes (`AsyncRAGStream`, and `RAGStream` generated from it) read their bytes
themselves and hand each decoded SSE event to a `StreamState`, which keeps what a consumer needs
after the fact (the answer's text, the events but the deltas, how it ended) and decides what
each event becomes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

import httpx

from ._event_base import DeltaEvent, UnknownEvent
from ._stream_slots import StreamSlots
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
    END_EVENT,
    ERROR_EVENT,
    EVENT_TYPES,
    FinalAnswerEvent,
    RAGEvent,
    SearchResultsEvent,
)
from .sse import ServerSentEvent

if TYPE_CHECKING:
    import asyncio

    from r2r_api import models

# Join the received pieces of text once this many have piled up.
_COMPACT_EVERY = 256
EVENT_STREAM = "text/event-stream"
# Closes of async streams dropped unread, kept alive until they ran.
_CLOSING: set[asyncio.Task[None]] = set()


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


class StreamState:
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

    def answer_text(self) -> str:
        """The answer: the final answer's text when it came, else the pieces that did."""
        final = self.final.raw.get("generated_answer") if self.final is not None else None
        return final if isinstance(final, str) else self.text

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
        elif self.failure:
            why = f"the stream ended before its final answer: {self.failure} ({received})"
        else:
            why = (
                f"the stream ended before its final answer ({received}): R2R ends a stream "
                "like this when its LLM fails after the search, and the same request may "
                "succeed when sent again"
            )
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
        if name == END_EVENT:
            self.done = True
            return None
        cls = EVENT_TYPES.get(name)
        try:
            payload: Any = _loads(sse.data)
        except ValueError:
            if cls is not None or name == ERROR_EVENT:
                raise APIResponseValidationError(
                    f"the {name!r} event's data is not JSON: {sse.data[:80]!r}",
                    response=self.response,
                    body=sse.data,
                ) from None
            payload = sse.data
        if name == ERROR_EVENT:
            self.failure = "the server sent an error event"
            raise _stream_error(payload)
        event: RAGEvent
        if cls is None or not isinstance(payload, dict):
            event = UnknownEvent(name, payload)
        else:
            event = cls(payload)
            if isinstance(event, DeltaEvent):
                # Deltas are not retained (a long answer would hold every parsed payload);
                # the answer's text is, in `texts` (the reasoning's is not).
                if event.event == "message":
                    texts = self.texts
                    texts.append(event.text)
                    if len(texts) >= _COMPACT_EVERY:
                        self.blocks.append("".join(texts))
                        texts.clear()
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
            f"with {kind} instead of {EVENT_STREAM}: a proxy or an older server may not stream; "
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


def is_event_stream(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower() == EVENT_STREAM


class StreamBase:
    """What both stream classes keep: the response and what it has delivered so far."""

    def __init__(
        self, response: httpx.Response, http: httpx.Client | httpx.AsyncClient | None = None
    ) -> None:
        self.response = response
        self._state = StreamState(response, http)
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
        """The answer's text, once the stream has delivered its final answer (the text of its
        `final_answer` event; without one, the message pieces up to `done`).

        Raises IncompleteStreamError before that (not read to its end yet, closed early, or
        ended without an answer); the error's `.text` has what arrived so far. To show text as
        it arrives, use `text_stream()` or each MessageEvent's `.text`.
        """
        state = self._state
        if not state.complete:
            raise state.incomplete()
        return state.answer_text()


def close_dropped(response: httpx.Response) -> None:
    """Give back the connection of a stream dropped before anyone read it."""
    response.close()


def close_dropped_async(response: httpx.Response) -> None:
    """The same for an async stream: close it on the loop it belongs to, soon (a dropped async
    generator is closed by the loop itself, the same way); without a running loop, nothing
    can be awaited, and the connection goes when the pool does."""
    import asyncio  # only async streams come here: not imported with r2r_client

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task = loop.create_task(response.aclose())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)

# Generated from openapi/r2r-v3.yaml by generator/surface.py (nox -s generate): do not edit.
"""Typed events of a streamed answer: one class per event the document names.

Each event has `.event` (its name, a `Literal`) and `.data` (the generated model of its payload,
built on first access; the JSON is in `.raw`), like the official SDK's events, so
`event.event == "final_answer"` and `event.data.generated_answer` work, and
`if event.event == "message":` narrows `event` for type checkers. Delta events (`message`,
`thinking`) carry their piece of text in `.text`.

An event the document does not name arrives as an `UnknownEvent`: its `event` is `"unknown"` and
its wire name is in `.name` (were its `event` the wire name, no comparison could narrow).
`done` ends a stream, and `error` is raised as a `StreamEventError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from ._event_base import DeltaEvent, TypedEvent, UnknownEvent

if TYPE_CHECKING:
    from r2r_api import models  # noqa: F401 (named in the quoted type arguments below)

__all__ = [
    "CitationEvent",
    "FinalAnswerEvent",
    "KnownEvent",
    "MessageEvent",
    "RAGEvent",
    "SearchResultsEvent",
    "ThinkingEvent",
    "ToolCallEvent",
    "ToolResultEvent",
    "UnknownEvent",
]

END_EVENT = "done"
"""The event that ends a stream (it carries no payload)."""
ERROR_EVENT = "error"
"""The event that reports a failure; the stream raises StreamEventError for it."""


class SearchResultsEvent(TypedEvent["models.RAGSearchResultsEventData"]):
    """Data of the `search_results` event."""

    __slots__ = ()
    event: ClassVar[Literal["search_results"]] = "search_results"
    _model = "RAGSearchResultsEventData"


class MessageEvent(DeltaEvent["models.RAGMessageEventData"]):
    """Data of the `message` event, a piece of the answer text."""

    __slots__ = ()
    event: ClassVar[Literal["message"]] = "message"
    _model = "RAGMessageEventData"


class CitationEvent(TypedEvent["models.Citation"]):
    """A citation of a source by its short id (the marker `[id]` in the answer). `payload` is
    given the first time a source is cited (`is_new`). The `final_answer` event lists `spans`
    (every occurrence) instead of `span`."""

    __slots__ = ()
    event: ClassVar[Literal["citation"]] = "citation"
    _model = "Citation"


class FinalAnswerEvent(TypedEvent["models.RAGFinalAnswerEventData"]):
    """Data of the `final_answer` event, the complete answer."""

    __slots__ = ()
    event: ClassVar[Literal["final_answer"]] = "final_answer"
    _model = "RAGFinalAnswerEventData"


class ThinkingEvent(DeltaEvent["models.RAGThinkingEventData"]):
    """Data of the `thinking` event, a piece of the model's reasoning."""

    __slots__ = ()
    event: ClassVar[Literal["thinking"]] = "thinking"
    _model = "RAGThinkingEventData"


class ToolCallEvent(TypedEvent["models.RAGToolCallEventData"]):
    """Data of the `tool_call` event."""

    __slots__ = ()
    event: ClassVar[Literal["tool_call"]] = "tool_call"
    _model = "RAGToolCallEventData"


class ToolResultEvent(TypedEvent["models.RAGToolResultEventData"]):
    """Data of the `tool_result` event."""

    __slots__ = ()
    event: ClassVar[Literal["tool_result"]] = "tool_result"
    _model = "RAGToolResultEventData"


KnownEvent = (
    SearchResultsEvent
    | MessageEvent
    | CitationEvent
    | FinalAnswerEvent
    | ThinkingEvent
    | ToolCallEvent
    | ToolResultEvent
)
"""An event of a name the document gives."""

RAGEvent = KnownEvent | UnknownEvent
"""Any event a stream yields: narrow it with `event.event == "message"` (or isinstance)."""

EVENT_TYPES: dict[str, type[KnownEvent]] = {
    SearchResultsEvent.event: SearchResultsEvent,
    MessageEvent.event: MessageEvent,
    CitationEvent.event: CitationEvent,
    FinalAnswerEvent.event: FinalAnswerEvent,
    ThinkingEvent.event: ThinkingEvent,
    ToolCallEvent.event: ToolCallEvent,
    ToolResultEvent.event: ToolResultEvent,
}
"""The class of each named event."""

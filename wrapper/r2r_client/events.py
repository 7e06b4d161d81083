"""Typed events of a streamed RAG answer.

Each event has `.event` (its name) and `.data` (the generated model for its payload), like the
official SDK's events, so `ev.event == "final_answer"` and `ev.data.generated_answer` keep
working. The model is built on first access to `.data`: the raw JSON is in `.raw`, and
`MessageEvent.text` reads the delta straight from it, which keeps long streams cheap.

`RAGEvent` is a tagged union: each class's `event` is a `Literal`, so `if event.event ==
"message":` narrows to `MessageEvent` for type checkers. An event this client does not know is an
`UnknownEvent` whose `event` is `"unknown"` and whose wire name is in `.name`: were its `event`
the wire name (any `str`), no comparison could rule it out, and no check would narrow.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, ClassVar, Generic, Literal, TypeVar

from r2r_api import models  # a lazy package: the models load when a payload is read

from .errors import APIResponseValidationError

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

D = TypeVar("D")


class _TypedEvent(Generic[D]):
    """An event whose payload has a generated model (`.data`, built on first access)."""

    __slots__ = ("_data", "raw")
    _model: ClassVar[str]  # the name of the generated model of the payload in r2r_api.models

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self._data: D | None = None

    @property
    def data(self) -> D:
        """The payload as its generated model (`.raw` is the JSON it is built from)."""
        if self._data is None:
            try:
                self._data = _model_class(type(self)._model).from_dict(self.raw)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                name = getattr(self, "event", type(self).__name__)
                raise APIResponseValidationError(
                    f"the {name!r} event's data does not fit its schema: {exc!r}",
                    response=None,
                    body=self.raw,
                ) from exc
        return self._data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.raw!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _TypedEvent) and type(other) is type(self) and other.raw == self.raw
        )


@cache
def _model_class(name: str) -> Any:
    return getattr(models, name)


def _delta_text(raw: dict[str, Any]) -> str:
    """The text parts of a delta, joined (R2R sends one); "" when it has none."""
    try:
        parts = raw["delta"]["content"]
    except (KeyError, TypeError):
        return ""
    if not isinstance(parts, list):
        return ""
    text = ""
    for part in parts:
        try:
            value = part["payload"]["value"]
        except (KeyError, TypeError):
            continue
        if isinstance(value, str):
            text += value
    return text


class SearchResultsEvent(_TypedEvent["models.RAGSearchResultsEventData"]):
    """The search results the answer is grounded in (sent once, first)."""

    __slots__ = ()
    event: ClassVar[Literal["search_results"]] = "search_results"
    _model = "RAGSearchResultsEventData"


class MessageEvent(_TypedEvent["models.RAGMessageEventData"]):
    """A piece of the answer; `.text` is the piece."""

    __slots__ = ("text",)
    event: ClassVar[Literal["message"]] = "message"
    _model = "RAGMessageEventData"

    def __init__(self, raw: dict[str, Any]) -> None:
        super().__init__(raw)
        self.text: str = _delta_text(raw)


class ThinkingEvent(_TypedEvent["models.RAGThinkingEventData"]):
    """A piece of the model's reasoning; `.text` is the piece."""

    __slots__ = ("text",)
    event: ClassVar[Literal["thinking"]] = "thinking"
    _model = "RAGThinkingEventData"

    def __init__(self, raw: dict[str, Any]) -> None:
        super().__init__(raw)
        self.text: str = _delta_text(raw)


class CitationEvent(_TypedEvent["models.Citation"]):
    """A citation marker just completed in the answer."""

    __slots__ = ()
    event: ClassVar[Literal["citation"]] = "citation"
    _model = "Citation"


class FinalAnswerEvent(_TypedEvent["models.RAGFinalAnswerEventData"]):
    """The complete answer with its citations."""

    __slots__ = ()
    event: ClassVar[Literal["final_answer"]] = "final_answer"
    _model = "RAGFinalAnswerEventData"


class ToolCallEvent(_TypedEvent["models.RAGToolCallEventData"]):
    """The model asked for a tool to be called."""

    __slots__ = ()
    event: ClassVar[Literal["tool_call"]] = "tool_call"
    _model = "RAGToolCallEventData"


class ToolResultEvent(_TypedEvent["models.RAGToolResultEventData"]):
    """The result of a tool call."""

    __slots__ = ()
    event: ClassVar[Literal["tool_result"]] = "tool_result"
    _model = "RAGToolResultEventData"


class UnknownEvent:
    """An event this client does not know: its wire name is `.name`, `.data` the parsed JSON.

    `.data` is the raw text when the payload is not JSON. `event` is always `"unknown"`, so that
    checks on the known names narrow (see the module's docstring).
    """

    __slots__ = ("data", "name")
    event: ClassVar[Literal["unknown"]] = "unknown"

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        self.data = data

    def __repr__(self) -> str:
        return f"UnknownEvent(name={self.name!r}, data={self.data!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UnknownEvent) and other.name == self.name and other.data == self.data
        )


KnownEvent = (
    SearchResultsEvent
    | MessageEvent
    | ThinkingEvent
    | CitationEvent
    | FinalAnswerEvent
    | ToolCallEvent
    | ToolResultEvent
)
"""An event of a name this client knows."""

RAGEvent = KnownEvent | UnknownEvent
"""Any event a stream yields: narrow it with `event.event == "message"` (or isinstance)."""

EVENT_TYPES: dict[str, Callable[[dict[str, Any]], KnownEvent]] = {
    SearchResultsEvent.event: SearchResultsEvent,
    MessageEvent.event: MessageEvent,
    ThinkingEvent.event: ThinkingEvent,
    CitationEvent.event: CitationEvent,
    FinalAnswerEvent.event: FinalAnswerEvent,
    ToolCallEvent.event: ToolCallEvent,
    ToolResultEvent.event: ToolResultEvent,
}

"""Typed events of a streamed RAG answer.

Each event has `.event` (its name) and `.data` (the generated model for its payload), like the
official SDK's events, so `ev.event == "final_answer"` and `ev.data.generated_answer` keep
working. The model is built on first access to `.data`: the raw JSON is in `.raw`, and
`MessageEvent.text` reads the delta straight from it, which keeps long streams cheap.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from .errors import APIResponseValidationError

# Imported on first use of `.data`, keeping `import r2r_client` light. (The names are used in
# the quoted base-class subscripts below, which ruff does not count as uses.)
if TYPE_CHECKING:
    from r2r_api.models.citation import Citation  # noqa: F401
    from r2r_api.models.rag_final_answer_event_data import RAGFinalAnswerEventData  # noqa: F401
    from r2r_api.models.rag_message_event_data import RAGMessageEventData  # noqa: F401
    from r2r_api.models.rag_search_results_event_data import RAGSearchResultsEventData  # noqa: F401
    from r2r_api.models.rag_thinking_event_data import RAGThinkingEventData  # noqa: F401
    from r2r_api.models.rag_tool_call_event_data import RAGToolCallEventData  # noqa: F401
    from r2r_api.models.rag_tool_result_event_data import RAGToolResultEventData  # noqa: F401

__all__ = [
    "CitationEvent",
    "FinalAnswerEvent",
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
    __slots__ = ("_data", "raw")
    event: ClassVar[str]
    _model: ClassVar[str]  # "module:Class" of the generated model of the payload

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self._data: D | None = None

    @property
    def data(self) -> D:
        """The payload as its generated model, built on first access (`raw` is the JSON)."""
        if self._data is None:
            try:
                self._data = _model_class(type(self)._model).from_dict(self.raw)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise APIResponseValidationError(
                    f"the {self.event!r} event's data does not fit its schema: {exc!r}",
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

    __hash__ = None  # type: ignore[assignment]


@cache
def _model_class(name: str) -> Any:
    return getattr(import_module("r2r_api.models"), name)


def _delta_text(raw: dict[str, Any]) -> str:
    try:  # the shape R2R sends: one text part
        parts = raw["delta"]["content"]
        if len(parts) == 1:
            value = parts[0]["payload"]["value"]
            if isinstance(value, str):
                return value
    except (KeyError, TypeError, IndexError):
        pass
    delta = raw.get("delta")
    parts = delta.get("content") if isinstance(delta, dict) else None
    if not isinstance(parts, list):
        return ""
    texts = []
    for part in parts:
        payload = part.get("payload") if isinstance(part, dict) else None
        value = payload.get("value") if isinstance(payload, dict) else None
        if isinstance(value, str):
            texts.append(value)
    return texts[0] if len(texts) == 1 else "".join(texts)


class SearchResultsEvent(_TypedEvent["RAGSearchResultsEventData"]):
    """The search results the answer is grounded in (sent once, first)."""

    __slots__ = ()
    event = "search_results"
    _model = "RAGSearchResultsEventData"


class MessageEvent(_TypedEvent["RAGMessageEventData"]):
    """A piece of the answer; `.text` is the piece."""

    __slots__ = ("text",)
    event = "message"
    _model = "RAGMessageEventData"

    def __init__(self, raw: dict[str, Any]) -> None:
        super().__init__(raw)
        self.text: str = _delta_text(raw)


class ThinkingEvent(_TypedEvent["RAGThinkingEventData"]):
    """A piece of the model's reasoning; `.text` is the piece."""

    __slots__ = ("text",)
    event = "thinking"
    _model = "RAGThinkingEventData"

    def __init__(self, raw: dict[str, Any]) -> None:
        super().__init__(raw)
        self.text: str = _delta_text(raw)


class CitationEvent(_TypedEvent["Citation"]):
    """A citation marker just completed in the answer."""

    __slots__ = ()
    event = "citation"
    _model = "Citation"


class FinalAnswerEvent(_TypedEvent["RAGFinalAnswerEventData"]):
    """The complete answer with its citations."""

    __slots__ = ()
    event = "final_answer"
    _model = "RAGFinalAnswerEventData"


class ToolCallEvent(_TypedEvent["RAGToolCallEventData"]):
    """A tool the agent calls (agent mode)."""

    __slots__ = ()
    event = "tool_call"
    _model = "RAGToolCallEventData"


class ToolResultEvent(_TypedEvent["RAGToolResultEventData"]):
    """A tool's result (agent mode)."""

    __slots__ = ()
    event = "tool_result"
    _model = "RAGToolResultEventData"


class UnknownEvent:
    """An event this client does not know; `data` is the parsed JSON, or the raw text."""

    __slots__ = ("data", "event")

    def __init__(self, event: str, data: Any) -> None:
        self.event = event
        self.data = data

    def __repr__(self) -> str:
        return f"UnknownEvent(event={self.event!r}, data={self.data!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UnknownEvent)
            and other.event == self.event
            and other.data == self.data
        )

    __hash__ = None  # type: ignore[assignment]


RAGEvent = (
    SearchResultsEvent
    | MessageEvent
    | ThinkingEvent
    | CitationEvent
    | FinalAnswerEvent
    | ToolCallEvent
    | ToolResultEvent
    | UnknownEvent
)

EVENT_TYPES: dict[str, type[_TypedEvent[Any]]] = {
    cls.event: cls
    for cls in (
        SearchResultsEvent,
        MessageEvent,
        ThinkingEvent,
        CitationEvent,
        FinalAnswerEvent,
        ToolCallEvent,
        ToolResultEvent,
    )
}

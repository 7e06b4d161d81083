"""The typed events of a stream, generated from the OpenAPI document (`r2r_client.events`).

Promises checked:
- there is one class per event the document names, `EVENT_TYPES` maps each name to it, its
  `event` is that name as a `Literal`, its `.data` the generated model of the payload schema
  the document gives (built when first read; a payload that does not fit is a typed error
  naming the event); `END_EVENT` and `ERROR_EVENT` are the document's `x-end-event` and
  `x-error-event`;
- delta events (`message`, `thinking`: the payloads with a `delta`) are `DeltaEvent`s carrying
  their piece of text in `.text`; only message text makes the answer, and no delta is kept in
  `.events`, every other event is;
- an event name the document lacks arrives as an `UnknownEvent` whose `.event` is "unknown",
  with the wire name in `.name` and the payload as JSON (or as text when it is not JSON);
  so does a named event whose payload is not a JSON object;
- events compare by type and payload and show them in their repr.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar, Literal, get_type_hints

import httpx
import pytest
import respx
from _helpers import BASE, KINDS
from _stream_helpers import CAPTURE, DONE, HEADERS, Driver, answer, block, blocks, delta, serve_rag

from r2r_api import models
from r2r_client import (
    APIResponseValidationError,
    CitationEvent,
    FinalAnswerEvent,
    MessageEvent,
    SearchResultsEvent,
    ThinkingEvent,
    ToolCallEvent,
    ToolResultEvent,
    UnknownEvent,
)
from r2r_client._event_base import DeltaEvent, TypedEvent
from r2r_client.events import END_EVENT, ERROR_EVENT, EVENT_TYPES, KnownEvent

SEARCH = {"id": "s1", "object": "rag.search_results", "data": {"chunk_search_results": []}}
CITATION = {"id": "c1", "object": "citation", "payload": {"id": "x", "text": "t"}}
FINAL = {"id": "f1", "object": "rag.final_answer", "generated_answer": "42", "citations": []}

# name -> (a payload R2R sends, the event class, kept in `.events`)
TABLE: dict[str, tuple[dict[str, Any], type[KnownEvent], bool]] = {
    "search_results": (SEARCH, SearchResultsEvent, True),
    "message": (delta("42"), MessageEvent, False),
    "thinking": (delta("hmm"), ThinkingEvent, False),
    "citation": (CITATION, CitationEvent, True),
    "final_answer": (FINAL, FinalAnswerEvent, True),
    "tool_call": (
        {"tool_call_id": "t1", "name": "search", "arguments": {"q": "x"}},
        ToolCallEvent,
        True,
    ),
    "tool_result": (
        {"tool_call_id": "t1", "content": "found it", "role": "tool"},
        ToolResultEvent,
        True,
    ),
}


@pytest.fixture(params=KINDS)
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    with Driver(request.param) as kind:
        yield kind


@pytest.fixture
def router() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE) as mock:
        yield mock


def read_all(driver: Driver, router: respx.Router, body: bytes) -> tuple[list[Any], Any]:
    """Every event of a stream answered with `body`, and the stream once read."""
    serve_rag(router, answer(body, HEADERS))
    stream = driver.stream(driver.client())
    return driver.events(stream), stream


def stream_schema(document: dict[str, Any]) -> dict[str, Any]:
    operation = document["paths"]["/v3/retrieval/rag"]["post"]
    schema: dict[str, Any] = operation["responses"]["200"]["content"]["text/event-stream"]["schema"]
    return schema


def payload_schemas(document: dict[str, Any]) -> dict[str, str | None]:
    """Each event name of the document -> the name of its payload schema (None: no JSON)."""
    named: dict[str, str | None] = {}
    for option in stream_schema(document)["oneOf"]:
        data = option["properties"]["data"]
        ref = data.get("contentSchema", {}).get("$ref")
        named[option["properties"]["event"]["const"]] = ref.rsplit("/", 1)[-1] if ref else None
    return named


# -- the events are the document's ------------------------------------------------------------


def test_there_is_one_event_class_per_event_the_document_names(openapi: dict[str, Any]) -> None:
    schema = stream_schema(openapi)
    assert (schema["x-end-event"], schema["x-error-event"]) == (END_EVENT, ERROR_EVENT)
    assert (END_EVENT, ERROR_EVENT) == ("done", "error")
    named = payload_schemas(openapi)
    assert set(EVENT_TYPES) == set(named) - {END_EVENT, ERROR_EVENT}
    assert set(TABLE) == set(EVENT_TYPES)
    for name, cls in EVENT_TYPES.items():
        assert cls.event == name
        assert TABLE[name][1] is cls
        # `event` is a Literal of the name, so that `event.event == "message"` narrows.
        assert get_type_hints(cls)["event"] == ClassVar[Literal[name]]
        payload = openapi["components"]["schemas"][named[name]]
        assert issubclass(cls, DeltaEvent) == ("delta" in payload["properties"]), name
        assert issubclass(cls, TypedEvent)
    assert get_type_hints(UnknownEvent)["event"] == ClassVar[Literal["unknown"]]
    assert UnknownEvent.event == "unknown"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_event_gives_the_model_its_payload_schema_names(
    driver: Driver, router: respx.Router, openapi: dict[str, Any], name: str
) -> None:
    payload, cls, kept = TABLE[name]
    events, stream = read_all(driver, router, block(name, payload) + DONE)
    [event] = events
    assert type(event) is cls
    assert event.event == name
    assert event.raw == payload
    model = getattr(models, str(payload_schemas(openapi)[name]))
    assert isinstance(event.data, model)
    assert event.data is event.data  # built once
    assert event.data.to_dict() == payload
    assert stream.events == ([event] if kept else [])


# -- delta events and the answer's text -------------------------------------------------------


def part(value: Any) -> dict[str, Any]:
    return {"type": "text", "payload": {"type": "text", "value": value}}


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (delta("Hello"), "Hello"),
        ({"delta": {"content": [part("a"), part("b"), part("c")]}}, "abc"),
        ({"delta": {"content": ["x", part("a"), {"payload": "p"}, part(1), {}, part("b")]}}, "ab"),
        ({"delta": {"content": [{"payload": {}}, part("a")]}}, "a"),
        ({"delta": {"content": [[], part("a")]}}, "a"),
        ({"delta": {"content": []}}, ""),
        ({"delta": {"content": {"payload": {"value": "x"}}}}, ""),
        ({"delta": {"content": "text"}}, ""),
        ({"delta": {}}, ""),
        ({"delta": "text"}, ""),
        ({"delta": ["content"]}, ""),
        ({}, ""),
    ],
)
@pytest.mark.parametrize("cls", [MessageEvent, ThinkingEvent])
def test_a_delta_carries_the_text_of_its_text_parts(
    cls: type[MessageEvent | ThinkingEvent], raw: dict[str, Any], text: str
) -> None:
    assert cls(raw).text == text


def test_only_message_text_makes_the_answer(driver: Driver, router: respx.Router) -> None:
    body = blocks(
        ("search_results", SEARCH),
        ("thinking", delta("let me think")),
        ("message", delta("4")),
        ("thinking", delta("more thought")),
        ("message", delta("2")),
        ("final_answer", FINAL),
    )
    events, stream = read_all(driver, router, body)
    thoughts = [e.text for e in events if isinstance(e, ThinkingEvent)]
    assert thoughts == ["let me think", "more thought"]
    assert [e.text for e in events if isinstance(e, MessageEvent)] == ["4", "2"]
    assert [e.event for e in stream.events] == ["search_results", "final_answer"]
    assert stream.text == "42"
    serve_rag(router, answer(body))
    assert driver.text_stream(driver.stream(driver.client())) == ["4", "2"]


# -- events the document does not name -----------------------------------------------------


def test_an_event_name_the_document_lacks_is_an_unknown_event(
    driver: Driver, router: respx.Router
) -> None:
    body = (
        blocks(
            ("brand_new_event", {"x": 1, "nested": {"y": [2]}}),
            ("plain_text_event", "not json"),
            ("search_results", ["not", "an", "object"]),
        )
        + CAPTURE
    )
    events, stream = read_all(driver, router, body)
    first = events[0]
    assert isinstance(first, UnknownEvent)
    assert first.event == "unknown"  # a literal, so that checks on the named events narrow
    assert first.name == "brand_new_event"
    assert first.data == {"x": 1, "nested": {"y": [2]}}
    assert events[1] == UnknownEvent("plain_text_event", "not json")
    assert events[2] == UnknownEvent("search_results", ["not", "an", "object"])
    assert [e.event for e in events[3:5]] == ["search_results", "message"]
    assert stream.events[:3] == events[:3]  # unknown events are kept


def test_an_unknown_events_payload_is_json_when_it_parses_and_text_otherwise(
    driver: Driver, router: respx.Router
) -> None:
    body = blocks(
        ("custom", "12"),
        ("custom", "1 2"),
        ("custom", ' {"a": [1]}  '),
        ("custom", "[1, "),
        ("citation", "[1]"),
        ("final_answer", "null"),
        ("done", "{}"),
        ("custom", "after done"),
    )
    events, _ = read_all(driver, router, body)
    assert events == [
        UnknownEvent("custom", 12),
        UnknownEvent("custom", "1 2"),
        UnknownEvent("custom", {"a": [1]}),
        UnknownEvent("custom", "[1, "),
        UnknownEvent("citation", [1]),
        UnknownEvent("final_answer", None),
    ]


# -- payloads that do not fit --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "payload", "problem"),
    [
        ("final_answer", {"citations": []}, "KeyError('generated_answer')"),
        ("tool_call", {"name": "search"}, "KeyError('tool_call_id')"),
        ("search_results", {"data": 3}, "TypeError(\"'int' object is not iterable\")"),
    ],
)
def test_a_payload_that_does_not_fit_its_schema_fails_when_read(
    driver: Driver, router: respx.Router, name: str, payload: dict[str, Any], problem: str
) -> None:
    events, _ = read_all(driver, router, block(name, payload) + DONE)  # delivered all the same
    [event] = events
    assert event.raw == payload
    with pytest.raises(APIResponseValidationError) as info:
        _ = event.data
    assert str(info.value) == f"the {name!r} event's data does not fit its schema: {problem}"
    assert info.value.body == payload
    assert info.value.response is None


def test_a_final_answer_that_does_not_fit_fails_the_answer(
    driver: Driver, router: respx.Router
) -> None:
    serve_rag(router, answer(block("final_answer", {"citations": []}) + DONE))
    stream = driver.stream(driver.client())
    with pytest.raises(APIResponseValidationError) as info:
        driver.final_answer(stream)
    assert str(info.value) == (
        "the 'final_answer' event's data does not fit its schema: KeyError('generated_answer')"
    )


# -- comparing and showing events -----------------------------------------------------------


def test_typed_events_compare_by_type_and_payload() -> None:
    raw = delta("a")
    assert MessageEvent(raw) == MessageEvent(json.loads(json.dumps(raw)))
    assert MessageEvent(raw) != MessageEvent(delta("b"))
    assert MessageEvent(raw) != ThinkingEvent(raw)
    assert MessageEvent(raw) != UnknownEvent("message", raw)
    assert CitationEvent({"id": "c"}) != SearchResultsEvent({"id": "c"})
    assert CitationEvent({"id": "c"}) != {"id": "c"}
    assert repr(MessageEvent(raw)) == f"MessageEvent(data={raw!r})"
    assert repr(CitationEvent({"id": "c"})) == "CitationEvent(data={'id': 'c'})"


def test_unknown_events_compare_by_name_and_data() -> None:
    assert UnknownEvent("a", {"x": 1}) == UnknownEvent("a", {"x": 1})
    assert UnknownEvent("a", 1) != UnknownEvent("b", 1)
    assert UnknownEvent("a", 1) != UnknownEvent("a", 2)
    assert UnknownEvent("message", delta("a")) != MessageEvent(delta("a"))
    assert UnknownEvent("a", 1) != ("a", 1)
    assert repr(UnknownEvent("a", 1)) == "UnknownEvent(name='a', data=1)"


def test_an_event_stream_of_another_shape_is_read_as_it_comes(
    driver: Driver, router: respx.Router
) -> None:
    # No `event:` line: the SSE default name "message", with a payload of another shape.
    serve_rag(router, httpx.Response(200, headers=HEADERS, content=b'data: {"x": 1}\n\n' + DONE))
    stream = driver.stream(driver.client())
    [event] = driver.events(stream)
    assert isinstance(event, MessageEvent)
    assert event.text == ""
    assert event.raw == {"x": 1}

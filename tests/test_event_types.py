"""Every entry of the event-type table, connection reuse after `done`, raw async streams."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Protocol

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, async_connection_pool, call, connection_pool, load_fixture

from r2r_api.models.citation import Citation
from r2r_api.models.rag_final_answer_event_data import RAGFinalAnswerEventData
from r2r_api.models.rag_message_event_data import RAGMessageEventData
from r2r_api.models.rag_search_results_event_data import RAGSearchResultsEventData
from r2r_api.models.rag_thinking_event_data import RAGThinkingEventData
from r2r_api.models.rag_tool_call_event_data import RAGToolCallEventData
from r2r_api.models.rag_tool_result_event_data import RAGToolResultEventData
from r2r_client import (
    APIResponse,
    AsyncR2RClient,
    AsyncRAGStream,
    CitationEvent,
    FinalAnswerEvent,
    MessageEvent,
    R2RClient,
    RAGStream,
    SearchResultsEvent,
    ThinkingEvent,
    ToolCallEvent,
    ToolResultEvent,
)
from r2r_client.events import EVENT_TYPES, KnownEvent
from r2r_client.testing import FakeR2RServer

RAG = "/v3/retrieval/rag"
STATUS, HEADERS, _ = load_fixture("07-rag-stream")


def delta(text: str) -> dict[str, Any]:
    return {"id": "m1", "object": "agent.message.delta", "delta": {"content": [
        {"type": "text", "payload": {"type": "text", "value": text}}
    ]}}  # fmt: skip


SEARCH = {"id": "s1", "object": "rag.search_results", "data": {"chunk_search_results": []}}
CITATION = {"id": "c1", "object": "citation", "payload": {"id": "x", "text": "t"}}
FINAL = {"id": "f1", "object": "rag.final_answer", "generated_answer": "42", "citations": []}


# name -> (payload, event class, generated model, kept in stream.events)
class _Model(Protocol):
    """What every generated model has."""

    def to_dict(self) -> dict[str, Any]: ...


TABLE: dict[str, tuple[dict[str, Any], type[KnownEvent], type[_Model], bool]] = {
    "search_results": (SEARCH, SearchResultsEvent, RAGSearchResultsEventData, True),
    "message": (delta("42"), MessageEvent, RAGMessageEventData, False),
    "thinking": (delta("hmm"), ThinkingEvent, RAGThinkingEventData, False),
    "citation": (CITATION, CitationEvent, Citation, True),
    "final_answer": (FINAL, FinalAnswerEvent, RAGFinalAnswerEventData, True),
    "tool_call": (
        {"tool_call_id": "t1", "name": "search", "arguments": {"q": "x"}},
        ToolCallEvent,
        RAGToolCallEventData,
        True,
    ),
    "tool_result": (
        {"tool_call_id": "t1", "content": "found it", "role": "tool"},
        ToolResultEvent,
        RAGToolResultEventData,
        True,
    ),
}


DONE = b"event: done\ndata: [DONE]\n\n"


def sse(*events: tuple[str, Any]) -> bytes:
    return "".join(f"event: {n}\ndata: {json.dumps(d)}\n\n" for n, d in events).encode()


def test_the_table_covers_every_typed_event() -> None:
    assert set(TABLE) == set(EVENT_TYPES)
    for name, (_, cls, _, _) in TABLE.items():
        assert EVENT_TYPES[name] is cls
        assert cls.event == name


def run_stream(kind: str, body: bytes) -> tuple[list[Any], Any]:
    """All events of a streamed call answered with `body`, and the stream afterwards."""

    def go(c: Any) -> Any:
        async def consume() -> Any:
            stream = await c.retrieval.rag("q", stream=True)
            return [e async for e in stream], stream

        if kind == "async":
            return consume()
        stream = c.retrieval.rag("q", stream=True)
        return list(stream), stream

    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=httpx.Response(STATUS, headers=HEADERS, content=body))
        result: tuple[list[Any], Any] = call(kind, go)
    return result


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_event_type_maps_to_its_model_and_retention(kind: str, name: str) -> None:
    payload, cls, model, kept = TABLE[name]
    events, stream = run_stream(kind, sse((name, payload)) + DONE)
    [event] = events
    assert type(event) is cls
    assert event.event == name
    assert isinstance(event.data, model)
    assert event.data.to_dict() == payload
    assert stream.events == ([event] if kept else [])


@pytest.mark.parametrize("kind", KINDS)
def test_thinking_is_neither_retained_nor_part_of_the_answer(kind: str) -> None:
    body = sse(
        ("search_results", SEARCH),
        ("thinking", delta("let me think")),
        ("message", delta("4")),
        ("thinking", delta("more thought")),
        ("message", delta("2")),
        ("final_answer", FINAL),
    )
    events, stream = run_stream(kind, body)
    thoughts = [e.text for e in events if isinstance(e, ThinkingEvent)]
    assert thoughts == ["let me think", "more thought"]
    assert [e.event for e in stream.events] == ["search_results", "final_answer"]
    assert stream.text == "42"


# -- connection reuse after `done` -------------------------------------------------------------


@pytest.mark.loopback
def test_a_stream_read_to_done_leaves_its_connection_reusable() -> None:
    with FakeR2RServer() as server, R2RClient(server.base_url) as client:
        pool = connection_pool(client._http)
        first = client.retrieval.rag("q", stream=True)
        assert isinstance(first, RAGStream)
        assert [e.event for e in first][-1] == "final_answer"
        [connection] = pool.connections
        for _ in range(3):
            client.retrieval.rag("q", stream=True).final_answer()
            client.retrieval.rag("q")
        assert pool.connections == [connection]
        assert connection.is_idle()


@pytest.mark.loopback
def test_an_async_stream_read_to_done_leaves_its_connection_reusable() -> None:
    async def main(base_url: str) -> None:
        async with AsyncR2RClient(base_url) as client:
            pool = async_connection_pool(client._http)
            stream = await client.retrieval.rag("q", stream=True)
            assert isinstance(stream, AsyncRAGStream)
            await stream.final_answer()
            [connection] = pool.connections
            for _ in range(3):
                again = await client.retrieval.rag("q", stream=True)
                assert isinstance(again, AsyncRAGStream)
                await again.final_answer()
            assert pool.connections == [connection]

    with FakeR2RServer() as server:
        asyncio.run(main(server.base_url))


# -- raw responses of streams, async ------------------------------------------------------------


def test_async_raw_response_of_a_stream() -> None:
    body = sse(("search_results", SEARCH), ("message", delta("42")), ("final_answer", FINAL))

    async def main() -> None:
        async with AsyncR2RClient(BASE) as client:
            raw = await client.with_raw_response.retrieval.rag("q", stream=True)
            assert isinstance(raw, APIResponse)
            assert raw.status_code == 200
            assert raw.headers["content-type"].startswith("text/event-stream")
            assert raw.request_id == "rid-1"
            stream = raw.parse()
            assert isinstance(stream, AsyncRAGStream)
            assert raw.parse() is stream
            answer = await stream.final_answer()
            assert answer.generated_answer == "42"
            plain = await client.retrieval.rag("q", stream=True)  # raw mode does not linger
            assert isinstance(plain, AsyncRAGStream)
            await plain.close()

    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(
            return_value=httpx.Response(
                STATUS, headers=[*HEADERS, ("x-request-id", "rid-1")], content=body
            )
        )
        asyncio.run(main())

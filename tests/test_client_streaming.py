"""Streamed RAG answers: the real capture replayed whole and in pieces, errors, closing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import (
    BASE,
    KINDS,
    Chunked,
    call,
    fixture_response,
    load_fixture,
    present,
)

from r2r_api.models.aggregate_search_result import AggregateSearchResult
from r2r_api.models.citation import Citation
from r2r_api.models.rag_final_answer_event_data import RAGFinalAnswerEventData
from r2r_api.models.rag_message_event_data import RAGMessageEventData
from r2r_api.models.rag_search_results_event_data import RAGSearchResultsEventData
from r2r_client import (
    APIResponseValidationError,
    APITimeoutError,
    AsyncR2RClient,
    AsyncRAGStream,
    CitationEvent,
    FinalAnswerEvent,
    IncompleteStreamError,
    MessageEvent,
    R2RClient,
    RAGAnswer,
    RAGEvent,
    RAGStream,
    SearchResultsEvent,
    StreamEventError,
    UnknownEvent,
    UnprocessableEntityError,
)
from r2r_client.sse import iter_sse

RAG = "/v3/retrieval/rag"
STATUS, HEADERS, BODY = load_fixture("07-rag-stream")


FINAL = next(e.json() for e in iter_sse([BODY]) if e.event == "final_answer")
ANSWER = FINAL["generated_answer"]
EXPECTED_TYPES: list[type[RAGEvent]] = [
    SearchResultsEvent,
    *[MessageEvent] * 4,
    CitationEvent,
    *[MessageEvent] * 7,
    FinalAnswerEvent,
]


def sse(*events: tuple[str, Any]) -> bytes:
    out = []
    for name, data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        out.append(f"event: {name}\ndata: {text}\n\n")
    return "".join(out).encode()


def stream_response(body: bytes, chunk: int | None = None) -> httpx.Response:
    if chunk is None:
        return httpx.Response(STATUS, headers=HEADERS, content=body)
    return httpx.Response(STATUS, headers=HEADERS, stream=Chunked(body, chunk))


def run_stream(
    kind: str, response: httpx.Response, consume: str = "events", **client_kw: Any
) -> Any:
    """Open a streamed RAG call against `response` and consume it as asked.

    consume: "events" (list of events), "text" (text_stream pieces), "final" (final_answer),
    "stream" (the stream object, after reading all events).
    """

    def sync(c: R2RClient) -> Any:
        stream = c.retrieval.rag("q", stream=True)
        assert isinstance(stream, RAGStream)
        if consume == "events":
            return list(stream)
        if consume == "text":
            return list(stream.text_stream())
        if consume == "final":
            return stream.final_answer()
        list(stream)
        return stream

    async def asynchronous(c: AsyncR2RClient) -> Any:
        stream = await c.retrieval.rag("q", stream=True)
        assert isinstance(stream, AsyncRAGStream)
        if consume == "events":
            return [e async for e in stream]
        if consume == "text":
            return [t async for t in stream.text_stream()]
        if consume == "final":
            return await stream.final_answer()
        _ = [e async for e in stream]
        return stream

    with respx.mock(base_url=BASE) as router:
        route = router.post(RAG).mock(return_value=response)
        result = call(kind, sync if kind == "sync" else asynchronous, **client_kw)
    assert route.call_count == 1
    return result


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("chunk", [None, 1, 7, 64, 4096])
def test_capture_gives_typed_events(kind: str, chunk: int | None) -> None:
    events = run_stream(kind, stream_response(BODY, chunk))
    assert [type(e) for e in events] == EXPECTED_TYPES
    assert [e.event for e in events] == [cls.event for cls in EXPECTED_TYPES]
    assert events[0].event == "search_results"
    assert events[-1].event == "final_answer"

    search = events[0]
    assert isinstance(search.data, RAGSearchResultsEventData)
    assert isinstance(search.data.data, AggregateSearchResult)
    assert present(search.data.data.chunk_search_results)[0].text.startswith("The Zorblax protocol")

    messages = [e for e in events if isinstance(e, MessageEvent)]
    assert isinstance(messages[0].data, RAGMessageEventData)
    assert messages[0].text == "FAKE-LLM "
    assert "".join(m.text for m in messages) == ANSWER

    citation = events[5]
    assert isinstance(citation.data, Citation)
    assert citation.data.id == FINAL["citations"][0]["id"]
    assert citation.data.payload is not None

    final = events[-1]
    assert isinstance(final.data, RAGFinalAnswerEventData)
    assert final.data.generated_answer == ANSWER
    assert present(final.data.citations)[0].id == citation.data.id


def test_chunked_and_whole_give_equal_events() -> None:
    whole = run_stream("sync", stream_response(BODY))
    for chunk in (1, 3, 7, 64, 4096):
        assert run_stream("sync", stream_response(BODY, chunk)) == whole


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("chunk", [None, 5])
def test_text_stream_joins_to_answer(kind: str, chunk: int | None) -> None:
    pieces = run_stream(kind, stream_response(BODY, chunk), "text")
    assert len(pieces) == 11
    assert "".join(pieces) == ANSWER


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("chunk", [None, 13])
def test_final_answer(kind: str, chunk: int | None) -> None:
    answer = run_stream(kind, stream_response(BODY, chunk), "final")
    assert isinstance(answer, RAGAnswer)
    assert answer.generated_answer == ANSWER
    assert [c.id for c in answer.citations] == [c["id"] for c in FINAL["citations"]]
    assert isinstance(answer.citations[0], Citation)
    assert isinstance(answer.search_results, AggregateSearchResult)
    assert present(answer.search_results.chunk_search_results)[0].document_id is not None
    # message deltas are not retained (their text is): search_results, citation, final_answer
    assert [e.event for e in answer.events] == ["search_results", "citation", "final_answer"]
    assert ANSWER[:20] in repr(answer)


@pytest.mark.parametrize("kind", KINDS)
def test_iteration_ends_at_done(kind: str) -> None:
    trailing = sse(("message", {"delta": {"content": [{"payload": {"value": "AFTER"}}]}}))
    stream = run_stream(kind, stream_response(BODY + trailing), "stream")
    assert [e.event for e in stream.events] == ["search_results", "citation", "final_answer"]
    assert all("AFTER" not in getattr(e, "text", "") for e in stream.events)
    assert stream.response.is_closed


@pytest.mark.parametrize("kind", KINDS)
def test_stream_closed_after_full_read(kind: str) -> None:
    stream = run_stream(kind, stream_response(BODY, 64), "stream")
    assert stream.response.is_closed


def test_stream_request_headers_and_body() -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(RAG).mock(return_value=stream_response(BODY))
        with R2RClient(BASE) as client:
            client.retrieval.rag("q", rag_generation_config={"stream": True}).close()
    request = route.calls.last.request
    assert request.headers["accept"] == "text/event-stream"
    assert json.loads(request.content) == {"query": "q", "rag_generation_config": {"stream": True}}


# -- incomplete and failing streams -------------------------------------------------------------


def truncated_body() -> bytes:
    """The capture without its final_answer and done events."""
    return BODY.split(b"event: final_answer", 1)[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("chunk", [None, 9])
def test_stream_without_final_answer_is_incomplete(kind: str, chunk: int | None) -> None:
    with pytest.raises(IncompleteStreamError) as info:
        run_stream(kind, stream_response(truncated_body(), chunk))
    error = info.value
    assert [e.event for e in error.events] == ["search_results", "citation"]
    assert [type(e) for e in error.events] == [SearchResultsEvent, CitationEvent]
    assert error.text == ANSWER
    assert "13 events" in error.message


@pytest.mark.parametrize("kind", KINDS)
def test_final_answer_of_incomplete_stream_raises(kind: str) -> None:
    body = sse(("message", {"delta": {"content": [{"payload": {"value": "partial"}}]}}))
    with pytest.raises(IncompleteStreamError) as info:
        run_stream(kind, stream_response(body), "final")
    assert info.value.text == "partial"
    assert info.value.events == []  # the only event was a delta, kept as text


@pytest.mark.parametrize("kind", KINDS)
def test_empty_stream_is_incomplete(kind: str) -> None:
    with pytest.raises(IncompleteStreamError) as info:
        run_stream(kind, stream_response(b""))
    assert info.value.events == []
    assert info.value.text == ""


@pytest.mark.parametrize("kind", KINDS)
def test_final_answer_without_done_is_complete(kind: str) -> None:
    body = BODY.split(b"event: done", 1)[0]
    answer = run_stream(kind, stream_response(body), "final")
    assert answer.generated_answer == ANSWER


@pytest.mark.parametrize("kind", KINDS)
def test_error_event(kind: str) -> None:
    body = sse(
        ("message", {"delta": {"content": [{"payload": {"value": "so far"}}]}}),
        ("error", {"error": {"message": "boom", "type": "agent_error"}}),
        ("final_answer", {"generated_answer": "never"}),
    )
    with pytest.raises(StreamEventError) as info:
        run_stream(kind, stream_response(body))
    assert info.value.message == "boom"
    assert str(info.value) == "boom"
    assert info.value.error_type == "agent_error"
    assert info.value.data == {"error": {"message": "boom", "type": "agent_error"}}


def test_error_event_with_non_json_data() -> None:
    with pytest.raises(APIResponseValidationError, match="not JSON"):
        run_stream("sync", stream_response(sse(("error", "{broken"))))


@pytest.mark.parametrize("kind", KINDS)
def test_known_event_with_non_json_data(kind: str) -> None:
    with pytest.raises(APIResponseValidationError, match="'message' event"):
        run_stream(kind, stream_response(sse(("message", "{broken"))))


class Stalls(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The first event, then a read timeout."""

    def __iter__(self) -> Iterator[bytes]:
        yield BODY.split(b"\n\n", 1)[0] + b"\n\n"
        raise httpx.ReadTimeout("slow")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield BODY.split(b"\n\n", 1)[0] + b"\n\n"
        raise httpx.ReadTimeout("slow")


@pytest.mark.parametrize("kind", KINDS)
def test_stall_mid_stream_is_timeout(kind: str) -> None:
    response = httpx.Response(200, headers=HEADERS, stream=Stalls())
    with pytest.raises(APITimeoutError, match="stalled"):
        run_stream(kind, response)


def test_error_event_of_other_shape() -> None:
    with pytest.raises(StreamEventError) as info:
        run_stream("sync", stream_response(sse(("error", {"detail": "x"}))))
    assert "detail" in info.value.message
    assert info.value.error_type is None


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_events_pass_through(kind: str) -> None:
    body = (
        sse(
            ("brand_new_event", {"x": 1, "nested": {"y": [2]}}),
            ("plain_text_event", "not json"),
            ("search_results", ["not", "an", "object"]),
        )
        + BODY
    )
    events = run_stream(kind, stream_response(body))
    assert isinstance(events[0], UnknownEvent)
    assert events[0].name == "brand_new_event"
    assert events[0].event == "unknown"  # a literal, so that checks on known names narrow
    assert events[0].data == {"x": 1, "nested": {"y": [2]}}
    assert events[1] == UnknownEvent("plain_text_event", "not json")
    assert isinstance(events[2], UnknownEvent)
    assert events[2].data == ["not", "an", "object"]
    assert [type(e) for e in events[3:]] == EXPECTED_TYPES


@pytest.mark.parametrize("kind", KINDS)
def test_http_error_before_stream(kind: str) -> None:
    with pytest.raises(UnprocessableEntityError) as info:
        run_stream(kind, fixture_response("17-rag-missing-query"))
    assert info.value.message == "query: Field required"
    assert info.value.errors[0].loc == ["body", "query"]
    assert info.value.status_code == 422


# -- closing early ------------------------------------------------------------------------------


class Endless(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The capture's first events, then more messages forever (until closed)."""

    def __init__(self) -> None:
        self.closed = False
        self.head = BODY.split(b"event: citation", 1)[0]
        self.more = sse(("message", {"delta": {"content": [{"payload": {"value": "."}}]}}))

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        while not self.closed:
            yield self.more

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.head
        while not self.closed:
            yield self.more

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def test_break_inside_with_closes_response() -> None:
    source = Endless()
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=httpx.Response(200, headers=HEADERS, stream=source))
        with R2RClient(BASE) as client:
            with client.retrieval.rag("q", stream=True) as stream:
                for event in stream:
                    if isinstance(event, MessageEvent):
                        break
            assert stream.response.is_closed
            assert source.closed
            assert [e.event for e in stream.events] == ["search_results"]


def test_early_close_closes_response() -> None:
    source = Endless()
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=httpx.Response(200, headers=HEADERS, stream=source))
        with R2RClient(BASE) as client:
            stream = client.retrieval.rag("q", stream=True)
            first = next(stream)
            assert isinstance(first, SearchResultsEvent)
            assert not stream.response.is_closed
            stream.close()
            assert stream.response.is_closed
            assert source.closed
            stream.close()  # idempotent
            assert stream.response.is_closed


def test_close_before_reading() -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=stream_response(BODY))
        with R2RClient(BASE) as client:
            stream = client.retrieval.rag("q", stream=True)
            stream.close()
            assert stream.response.is_closed


def test_async_break_and_close() -> None:
    source = Endless()

    async def main() -> tuple[AsyncRAGStream, AsyncRAGStream]:
        async with AsyncR2RClient(BASE) as client:
            first = await client.retrieval.rag("q", stream=True)
            async with first:
                async for event in first:
                    if isinstance(event, MessageEvent):
                        break
            second = await client.retrieval.rag("q", stream=True)
            assert isinstance(await anext(second), SearchResultsEvent)
            await second.close()
            return first, second

    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(
            side_effect=[
                httpx.Response(200, headers=HEADERS, stream=source),
                httpx.Response(200, headers=HEADERS, stream=Endless()),
            ]
        )
        first, second = asyncio.run(main())
    assert first.response.is_closed
    assert source.closed
    assert [e.event for e in first.events] == ["search_results"]
    assert second.response.is_closed


def test_events_property_is_a_copy() -> None:
    stream = run_stream("sync", stream_response(BODY), "stream")
    events = stream.events
    events.clear()
    assert [e.event for e in stream.events] == ["search_results", "citation", "final_answer"]


def test_raw_response_of_a_stream() -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=stream_response(BODY))
        with R2RClient(BASE) as client:
            raw = client.with_raw_response.retrieval.rag("q", stream=True)
            assert raw.status_code == 200
            assert raw.headers["content-type"].startswith("text/event-stream")
            stream = raw.parse()
            assert isinstance(stream, RAGStream)
            assert stream.final_answer().generated_answer == ANSWER


@pytest.mark.parametrize("kind", KINDS)
def test_long_incomplete_stream_keeps_every_piece_of_text(kind: str) -> None:
    pieces = [f"w{i} " for i in range(1000)]  # several compaction blocks and a remainder
    body = sse(*(("message", {"delta": {"content": [{"payload": {"value": p}}]}}) for p in pieces))
    with pytest.raises(IncompleteStreamError) as info:
        run_stream(kind, stream_response(body, 4096), "final")
    assert info.value.text == "".join(pieces)
    assert "1000 events" in info.value.message

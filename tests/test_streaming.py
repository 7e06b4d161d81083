"""A streamed RAG answer, as its reader sees it (RAGStream and AsyncRAGStream alike).

Promises checked, each for the sync and the async client:
- the real R2R stream, whole or cut anywhere, gives the same typed events; `text_stream()` gives
  the answer's text piece by piece, `final_answer()` the text, citations and search results,
  `.events` everything but the deltas; nothing is read ahead of the event asked for, nothing
  after `done`;
- a stream is read once: iterating it again, or after `close()` / its `with` block, raises
  StreamConsumedError saying why; leaving a bare loop early lets the reader go on;
- `.text` and `final_answer()` refuse an answer that is not complete (not read yet, closed, or
  ended early) with an IncompleteStreamError that says which, and carries what arrived;
- whatever breaks a stream (an error event, data that is not JSON, a broken connection, a
  stall, a closed client, undecodable bytes, an answer that is not an event stream) raises a
  typed error with a whole message, and the answer then says how the stream ended;
- a rag answer that was not streamed refuses `for` and `async for`; a body that is not JSON
  or does not fit the schema is a typed error; the raw response of a stream parses to it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, fixture_json, fixture_response, present
from _stream_helpers import (
    CAPTURE,
    DONE,
    HEADERS,
    KIB,
    SSE,
    Driver,
    Pieces,
    answer,
    block,
    blocks,
    capture_pieces,
    cut,
    delta,
    serve_rag,
)

from r2r_api import models
from r2r_client import (
    APIResponse,
    APIResponseValidationError,
    APITimeoutError,
    CitationEvent,
    ClientClosedError,
    FinalAnswerEvent,
    IncompleteStreamError,
    MessageEvent,
    NotAStreamError,
    RAGAnswer,
    RAGEvent,
    SearchResultsEvent,
    StreamConsumedError,
    StreamDisconnectedError,
    StreamEventError,
    UnprocessableEntityError,
)
from r2r_client.sse import iter_sse

WIRE_PAYLOADS = [e.json() for e in iter_sse([CAPTURE]) if e.event != "done"]
FINAL = WIRE_PAYLOADS[-1]
ANSWER = FINAL["generated_answer"]
EXPECTED_TYPES: list[type[RAGEvent]] = [
    SearchResultsEvent,
    *[MessageEvent] * 4,
    CitationEvent,
    *[MessageEvent] * 7,
    FinalAnswerEvent,
]
KEPT = ["search_results", "citation", "final_answer"]  # the capture's events but the deltas
HEAD = CAPTURE.split(b"event: citation", 1)[0]  # search results and four deltas: no answer

CONSUMED_TAIL = (
    ": a stream is read once. Its events are in .events; final_answer() returns its answer "
    "(or raises IncompleteStreamError)"
)
CLOSED_CONSUMED = (
    "this stream was closed (by close() or the end of its `with` block) before its end"
    + CONSUMED_TAIL
)


@pytest.fixture(params=KINDS)
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    with Driver(request.param) as kind:
        yield kind


@pytest.fixture
def router() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE) as mock:
        yield mock


def open_with(driver: Driver, router: respx.Router, response: httpx.Response) -> Any:
    """A stream of a rag call that `response` answers."""
    serve_rag(router, response)
    return driver.stream(driver.client())


def incomplete_message(stream: Any) -> str:
    """What `.text` says of a stream whose answer is not complete."""
    with pytest.raises(IncompleteStreamError) as info:
        _ = stream.text
    return str(info.value)


# -- the real stream, replayed ------------------------------------------------------------------


@pytest.mark.parametrize("size", [None, 1, 7, 64, 4096])
def test_the_capture_gives_typed_events_however_it_is_cut(
    driver: Driver, router: respx.Router, size: int | None
) -> None:
    stream = open_with(driver, router, answer(capture_pieces(size), HEADERS))
    events = driver.events(stream)
    assert [type(e) for e in events] == EXPECTED_TYPES
    assert [e.event for e in events] == [cls.event for cls in EXPECTED_TYPES]
    assert [e.raw for e in events] == WIRE_PAYLOADS

    search = events[0].data
    assert isinstance(search, models.RAGSearchResultsEventData)
    chunks = present(search.data.chunk_search_results)
    assert chunks[0].text.startswith("The Zorblax protocol")

    messages = [e for e in events if isinstance(e, MessageEvent)]
    assert isinstance(messages[0].data, models.RAGMessageEventData)
    assert [m.text for m in messages[:3]] == ["FAKE-LLM ", "deterministic ", "answer "]
    assert "".join(m.text for m in messages) == ANSWER

    citation = events[5].data
    assert isinstance(citation, models.Citation)
    assert citation.id == FINAL["citations"][0]["id"] == "6568840"
    assert citation.payload is not None

    final = events[-1].data
    assert isinstance(final, models.RAGFinalAnswerEventData)
    assert final.generated_answer == ANSWER
    assert present(final.citations)[0].id == citation.id


@pytest.mark.parametrize("size", [None, 5])
def test_text_stream_gives_the_answer_piece_by_piece(
    driver: Driver, router: respx.Router, size: int | None
) -> None:
    stream = open_with(driver, router, answer(capture_pieces(size), HEADERS))
    pieces = driver.text_stream(stream)
    assert len(pieces) == 11
    assert pieces[0] == "FAKE-LLM "
    assert "".join(pieces) == ANSWER


@pytest.mark.parametrize("size", [None, 13])
def test_final_answer_has_the_text_citations_and_search_results(
    driver: Driver, router: respx.Router, size: int | None
) -> None:
    stream = open_with(driver, router, answer(capture_pieces(size), HEADERS))
    result = driver.final_answer(stream)
    assert isinstance(result, RAGAnswer)
    assert result.generated_answer == ANSWER
    assert [c.id for c in result.citations] == [c["id"] for c in FINAL["citations"]]
    assert isinstance(result.citations[0], models.Citation)
    assert isinstance(result.search_results, models.AggregateSearchResult)
    assert present(result.search_results.chunk_search_results)[0].document_id is not None
    assert [e.event for e in result.events] == KEPT
    assert repr(result) == f"RAGAnswer(generated_answer={ANSWER!r}, citations=1, events=3)"
    assert stream.text == ANSWER
    again = driver.final_answer(stream)  # asked twice: the same answer
    assert (again.generated_answer, again.citations) == (ANSWER, result.citations)


def test_events_keep_everything_but_the_deltas(driver: Driver, router: respx.Router) -> None:
    stream = open_with(driver, router, answer(CAPTURE, HEADERS))
    assert stream.events == []
    assert isinstance(driver.next(stream), SearchResultsEvent)
    assert isinstance(driver.next(stream), MessageEvent)
    assert [e.event for e in stream.events] == ["search_results"]
    driver.events(stream)
    events = stream.events
    assert [e.event for e in events] == KEPT
    events.clear()  # a copy: the stream's own list is untouched
    assert [e.event for e in stream.events] == KEPT


def test_iteration_ends_at_done(driver: Driver, router: respx.Router) -> None:
    after = block("message", delta("AFTER")) + block("custom", {"x": 1})
    stream = open_with(driver, router, answer(CAPTURE + after, HEADERS))
    events = driver.events(stream)
    assert [type(e) for e in events] == EXPECTED_TYPES
    assert [e.event for e in stream.events] == KEPT
    assert driver.final_answer(stream).generated_answer == ANSWER
    assert stream.response.is_closed


def test_each_event_is_handed_over_before_the_next_bytes_are_read(
    driver: Driver, router: respx.Router
) -> None:
    first, rest = CAPTURE.split(b"\n\n", 1)
    body = Pieces(first + b"\n\n", rest)
    stream = open_with(driver, router, answer(body, HEADERS))
    assert isinstance(driver.next(stream), SearchResultsEvent)
    assert body.pulled == [first + b"\n\n"]
    driver.close(stream)


@pytest.mark.parametrize(
    "arguments",
    [{"stream": True}, {"rag_generation_config": {"stream": True}}],
    ids=["stream", "generation_config"],
)
def test_a_streamed_call_asks_for_an_event_stream(
    driver: Driver, router: respx.Router, arguments: dict[str, Any]
) -> None:
    route = serve_rag(router, answer(CAPTURE, HEADERS))
    client = driver.client()
    stream = driver.run(client.retrieval.rag("q", **arguments))
    assert driver.final_answer(stream).generated_answer == ANSWER
    request = route.calls.last.request
    assert request.headers["accept"] == "text/event-stream"
    assert json.loads(request.content) == {"query": "q", "rag_generation_config": {"stream": True}}


# -- read once ----------------------------------------------------------------------------------


def test_a_stream_read_to_its_end_is_not_read_again(driver: Driver, router: respx.Router) -> None:
    stream = open_with(driver, router, answer(CAPTURE, HEADERS))
    assert len(driver.events(stream)) == 14
    message = "this stream has been read to its end" + CONSUMED_TAIL
    for again in (driver.events, driver.next, driver.text_stream):
        with pytest.raises(StreamConsumedError) as info:
            again(stream)
        assert str(info.value) == message
        assert isinstance(info.value, RuntimeError)
    assert driver.final_answer(stream).generated_answer == ANSWER  # the answer stays


def test_a_closed_stream_is_not_read_again(driver: Driver, router: respx.Router) -> None:
    body = Pieces(CAPTURE)
    stream = open_with(driver, router, answer(body, HEADERS))
    driver.close(stream)
    assert stream.response.is_closed
    assert body.closed
    assert body.pulled == []
    for again in (driver.events, driver.next):
        with pytest.raises(StreamConsumedError) as info:
            again(stream)
        assert str(info.value) == CLOSED_CONSUMED


def test_a_stream_left_by_its_with_block_is_not_read_again(
    driver: Driver, router: respx.Router
) -> None:
    body = Pieces(CAPTURE[:2000], CAPTURE[2000:])
    stream = open_with(driver, router, answer(body, HEADERS))
    seen = driver.until(stream, MessageEvent)
    assert [e.event for e in seen] == ["search_results", "message"]
    assert stream.response.is_closed
    assert body.closed
    assert body.pulled == [CAPTURE[:2000]]
    with pytest.raises(StreamConsumedError) as info:
        driver.next(stream)
    assert str(info.value) == CLOSED_CONSUMED


def test_a_stream_that_ended_early_is_not_read_again(driver: Driver, router: respx.Router) -> None:
    stream = open_with(driver, router, answer(HEAD, HEADERS))
    with pytest.raises(IncompleteStreamError):
        driver.events(stream)
    with pytest.raises(StreamConsumedError) as info:
        driver.events(stream)
    assert str(info.value) == "this stream has ended early" + CONSUMED_TAIL


def test_a_loop_left_early_without_with_can_be_continued(
    driver: Driver, router: respx.Router
) -> None:
    stream = open_with(driver, router, answer(CAPTURE, HEADERS))
    assert [e.event for e in driver.take(stream, 1)] == ["search_results"]
    assert isinstance(driver.next(stream), MessageEvent)
    assert len(driver.events(stream)) == 12
    assert stream.text == ANSWER


# -- a complete answer, or an error that says why not ---------------------------------------------


def test_the_text_before_the_end_is_incomplete_and_carries_what_arrived(
    driver: Driver, router: respx.Router
) -> None:
    stream = open_with(
        driver, router, answer(blocks(("message", delta("Hello")), ("message", delta("!"))))
    )
    assert incomplete_message(stream) == (
        "the stream has not been read to its end (0 events, 0 characters received); read it "
        "first, e.g. with final_answer(). What arrived so far is in this error's .text; "
        "the answer is incomplete"
    )
    assert driver.next(stream).text == "Hello"
    with pytest.raises(IncompleteStreamError) as info:
        _ = stream.text
    assert str(info.value) == (
        "the stream has not been read to its end (1 events, 5 characters received); read it "
        "first, e.g. with final_answer(). What arrived so far is in this error's .text; "
        "the answer is incomplete"
    )
    assert info.value.text == "Hello"
    assert info.value.events == []  # the only event was a delta, kept as text
    driver.close(stream)


def test_a_stream_closed_early_has_no_answer(driver: Driver, router: respx.Router) -> None:
    stream = open_with(driver, router, answer(CAPTURE, HEADERS))
    assert isinstance(driver.next(stream), SearchResultsEvent)
    assert isinstance(driver.next(stream), MessageEvent)
    driver.close(stream)
    assert stream.response.is_closed
    driver.close(stream)  # twice: nothing more happens
    closed = (
        "the stream was closed before its final answer (2 events, 9 characters received); "
        "the answer is incomplete"
    )
    assert incomplete_message(stream) == closed
    with pytest.raises(IncompleteStreamError) as info:
        driver.final_answer(stream)
    assert str(info.value) == closed
    assert info.value.text == "FAKE-LLM "
    assert [e.event for e in info.value.events] == ["search_results"]


def test_a_stream_left_by_its_with_block_has_no_answer(
    driver: Driver, router: respx.Router
) -> None:
    stream = open_with(driver, router, answer(CAPTURE, HEADERS))
    driver.until(stream, MessageEvent)
    with pytest.raises(IncompleteStreamError, match="closed before its final answer") as info:
        driver.final_answer(stream)
    assert info.value.text == "FAKE-LLM "
    assert incomplete_message(stream) == str(info.value)


@pytest.mark.parametrize("size", [None, 9])
def test_a_stream_that_ends_without_its_answer_is_incomplete(
    driver: Driver, router: respx.Router, size: int | None
) -> None:
    body = CAPTURE.split(b"event: final_answer", 1)[0]
    stream = open_with(driver, router, answer(cut(body, size)))
    with pytest.raises(IncompleteStreamError) as info:
        driver.events(stream)
    expected = (
        f"the stream ended before its final answer (13 events, {len(ANSWER)} characters "
        "received): R2R ends a stream like this when its LLM "
        "fails after the search, and the same request may succeed when sent again; "
        "the answer is incomplete"
    )
    assert str(info.value) == expected
    assert info.value.text == ANSWER
    assert [type(e) for e in info.value.events] == [SearchResultsEvent, CitationEvent]
    assert incomplete_message(stream) == expected
    with pytest.raises(IncompleteStreamError) as again:
        driver.final_answer(stream)
    assert str(again.value) == expected


def test_final_answer_of_a_stream_without_its_answer_raises(
    driver: Driver, router: respx.Router
) -> None:
    body = blocks(("message", delta("Hello")), ("thinking", delta("hm")))
    stream = open_with(driver, router, answer(body))
    with pytest.raises(IncompleteStreamError) as info:
        driver.final_answer(stream)
    assert str(info.value) == (
        "the stream ended before its final answer (2 events, 5 characters received): "
        "R2R ends a stream like this when its LLM "
        "fails after the search, and the same request may succeed when sent again; "
        "the answer is incomplete"
    )
    assert info.value.text == "Hello"
    assert info.value.events == []


def test_an_empty_stream_is_incomplete(driver: Driver, router: respx.Router) -> None:
    stream = open_with(driver, router, answer(b""))
    with pytest.raises(IncompleteStreamError) as info:
        driver.events(stream)
    assert str(info.value) == (
        "the stream ended before its final answer (0 events, 0 characters received): "
        "R2R ends a stream like this when its LLM "
        "fails after the search, and the same request may succeed when sent again; "
        "the answer is incomplete"
    )
    assert (info.value.text, info.value.events) == ("", [])


def test_done_completes_an_answer_without_a_final_answer_event(
    driver: Driver, router: respx.Router
) -> None:
    body = Pieces(blocks(("message", delta("Hel")), ("message", delta("lo"))), DONE)
    stream = open_with(driver, router, answer(body))
    result = driver.final_answer(stream)
    assert stream.text == "Hello"
    assert result.generated_answer == "Hello"
    assert result.citations == []
    assert result.search_results is None
    assert result.events == []
    assert repr(result) == "RAGAnswer(generated_answer='Hello', citations=0, events=0)"


def test_a_final_answer_without_done_is_complete(driver: Driver, router: respx.Router) -> None:
    stream = open_with(driver, router, answer(CAPTURE.split(b"event: done", 1)[0], HEADERS))
    assert driver.final_answer(stream).generated_answer == ANSWER
    assert stream.text == ANSWER


def test_the_text_is_the_final_answers_text(driver: Driver, router: respx.Router) -> None:
    body = block("final_answer", {"generated_answer": "42", "citations": []}) + DONE
    stream = open_with(driver, router, answer(body))
    assert driver.final_answer(stream).generated_answer == "42"
    assert stream.text == "42"


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
    ],
    ids=["stall", "cut"],
)
def test_a_failure_after_done_leaves_the_answer_complete(
    driver: Driver, router: respx.Router, failure: Exception
) -> None:
    body = Pieces(
        blocks(("message", delta("42")), ("final_answer", {"generated_answer": "42"})) + DONE,
        failure,
    )
    stream = open_with(driver, router, answer(body))
    assert driver.final_answer(stream).generated_answer == "42"
    assert stream.response.is_closed


def test_a_long_incomplete_stream_keeps_every_piece_of_text(
    driver: Driver, router: respx.Router
) -> None:
    pieces = [f"w{i} " for i in range(1000)]  # more pieces than are kept before joining them
    body = blocks(*(("message", delta(piece)) for piece in pieces))
    stream = open_with(driver, router, answer(cut(body, 4096)))
    with pytest.raises(IncompleteStreamError) as info:
        driver.final_answer(stream)
    text = "".join(pieces)
    assert info.value.text == text
    assert str(info.value) == (
        f"the stream ended before its final answer (1000 events, {len(text)} characters "
        "received): R2R ends a stream like this when its LLM "
        "fails after the search, and the same request may succeed when sent again; "
        "the answer is incomplete"
    )


# -- what breaks a stream ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message", "error_type"),
    [
        ({"error": {"message": "bad model", "type": "LLMError"}}, "bad model", "LLMError"),
        ({"error": {"message": "bad model"}}, "bad model", None),
        ({"error": {"type": ""}}, "the server reported an error", None),
        ({"error": {}}, "the server reported an error", None),
        ("oops", "the server reported an error: 'oops'", None),
        (["x"], "the server reported an error: ['x']", None),
        ({"error": "text"}, "the server reported an error: {'error': 'text'}", None),
        ({"detail": "x"}, "the server reported an error: {'detail': 'x'}", None),
    ],
)
def test_an_error_event_is_raised_with_the_servers_words(
    driver: Driver, router: respx.Router, data: Any, message: str, error_type: str | None
) -> None:
    body = blocks(
        ("message", delta("Hi")),
        ("error", json.dumps(data)),
        ("final_answer", {"generated_answer": "never", "citations": []}),
    )
    stream = open_with(driver, router, answer(body))
    with pytest.raises(StreamEventError) as info:
        driver.events(stream)
    assert str(info.value) == info.value.message == message
    assert info.value.error_type == error_type
    assert info.value.data == data
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: the server sent an error event "
        "(2 events, 2 characters received); the answer is incomplete"
    )
    assert stream.response.is_closed


@pytest.mark.parametrize("name", ["message", "error", "citation", "final_answer"])
def test_a_named_event_whose_data_is_not_json_is_refused(
    driver: Driver, router: respx.Router, name: str
) -> None:
    data = '{"id": 1} and then' + " more" * 30
    stream = open_with(driver, router, answer(block(name, data)))
    with pytest.raises(APIResponseValidationError) as info:
        driver.events(stream)
    assert str(info.value) == f"the {name!r} event's data is not JSON: {data[:80]!r}"
    assert info.value.body == data
    assert stream.response.is_closed
    assert info.value.response is stream.response


@pytest.mark.parametrize(("message", "shown"), [("boom", "boom"), ("", "ReadError")])
def test_a_connection_broken_mid_stream(
    driver: Driver, router: respx.Router, message: str, shown: str
) -> None:
    body = Pieces(
        block("search_results", {"data": {}}) + block("message", delta("Hi")),
        httpx.ReadError(message),
    )
    stream = open_with(driver, router, answer(body))
    with pytest.raises(StreamDisconnectedError) as info:
        driver.events(stream)
    assert str(info.value) == f"the connection broke mid-stream: {shown}"
    assert info.value.request is stream.response.request
    assert info.value.text == "Hi"
    assert [type(e) for e in info.value.events] == [SearchResultsEvent]
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: the connection broke "
        "(2 events, 2 characters received); the answer is incomplete"
    )
    assert stream.response.is_closed


def test_a_stall_past_the_read_timeout(driver: Driver, router: respx.Router) -> None:
    body = Pieces(block("message", delta("Hi")), httpx.ReadTimeout("slow"))
    stream = open_with(driver, router, answer(body))
    with pytest.raises(APITimeoutError) as info:
        driver.events(stream)
    assert str(info.value) == "the stream stalled past the read timeout"
    assert info.value.request is stream.response.request
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: it stalled past the read timeout "
        "(1 events, 2 characters received); the answer is incomplete"
    )
    assert stream.response.is_closed


def test_reading_after_the_client_was_closed(driver: Driver, router: respx.Router) -> None:
    # The closed client's transport fails the next read (as httpx does: the connection is gone).
    body = Pieces(block("message", delta("Hi")), httpx.ReadError("connection closed"))
    serve_rag(router, answer(body))
    client = driver.client()
    stream = driver.stream(client)
    assert driver.next(stream).text == "Hi"
    driver.run(client.close())
    with pytest.raises(ClientClosedError) as info:
        driver.final_answer(stream)
    assert str(info.value) == (
        "the client was closed while this stream was being read: read streams to their end "
        "(or close them) before closing their client"
    )
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: its client was closed "
        "(1 events, 2 characters received); the answer is incomplete"
    )
    assert stream.response.is_closed


def test_an_undecodable_body(driver: Driver, router: respx.Router) -> None:
    headers = {**SSE, "content-encoding": "gzip"}
    stream = open_with(driver, router, answer(Pieces(b"not gzip at all"), headers))
    with pytest.raises(APIResponseValidationError) as info:
        driver.events(stream)
    cause = info.value.__cause__
    assert isinstance(cause, httpx.DecodingError)
    assert str(info.value) == f"the stream could not be decoded ({cause})"
    assert stream.response.is_closed
    assert info.value.response is stream.response
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: its bytes could not be decoded "
        "(0 events, 0 characters received); the answer is incomplete"
    )


def test_an_answer_that_is_not_an_event_stream(driver: Driver, router: respx.Router) -> None:
    body = b'{"results":\n   {"generated_answer": "caf\xff"}}'
    headers = {"content-type": "application/json"}
    stream = open_with(driver, router, answer(Pieces(body[:10], body[10:]), headers))
    with pytest.raises(APIResponseValidationError) as info:
        driver.events(stream)
    excerpt = '{"results": {"generated_answer": "caf\ufffd"}}'
    assert str(info.value) == (
        "asked for a stream (stream=True), but the server answered 200 with application/json "
        "instead of text/event-stream: a proxy or an older server may not stream; call rag() "
        f"without stream=True for a JSON answer. The body starts: {excerpt!r}"
    )
    assert info.value.body == '{"results":\n   {"generated_answer": "caf\ufffd"}}'
    assert stream.response.is_closed
    assert info.value.response is stream.response
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: the answer was not an event stream "
        "(0 events, 0 characters received); the answer is incomplete"
    )


@pytest.mark.parametrize(
    "content_type",
    ["text/event-stream", "text/event-stream; charset=utf-8", "Text/Event-Stream ;charset=x"],
)
def test_an_event_stream_is_known_by_its_media_type(
    driver: Driver, router: respx.Router, content_type: str
) -> None:
    stream = open_with(driver, router, answer(CAPTURE, {"content-type": content_type}))
    assert driver.final_answer(stream).generated_answer == ANSWER


def test_of_a_long_answer_that_is_not_an_event_stream_64_kib_are_read(
    driver: Driver, router: respx.Router
) -> None:
    body = Pieces(*[b"x" * KIB] * 100)
    stream = open_with(driver, router, answer(body, {}))
    with pytest.raises(APIResponseValidationError) as info:
        driver.events(stream)
    message = str(info.value)
    assert message.startswith(
        "asked for a stream (stream=True), but the server answered 200 with no content type "
    )
    assert message.endswith(f"The body starts: {'x' * 200!r}")
    assert info.value.body == "x" * (64 * KIB)
    assert body.pulled_bytes == 64 * KIB  # what the excerpt needs, not the whole body
    assert stream.response.is_closed


def test_an_error_status_before_the_stream(driver: Driver, router: respx.Router) -> None:
    serve_rag(router, fixture_response("17-rag-missing-query"))
    with pytest.raises(UnprocessableEntityError) as info:
        driver.stream(driver.client())
    assert info.value.message == "query: Field required"
    assert info.value.errors[0].loc == ["body", "query"]
    assert info.value.status_code == 422


# -- answers that were not streamed -----------------------------------------------------------

NOT_A_STREAM = (
    "this answer was not streamed, so it has no events to iterate: call it with stream=True "
    "for a stream, or read the answer's fields (e.g. .results.generated_answer and "
    ".results.citations)"
)


async def _async_for(value: Any) -> list[Any]:
    return [item async for item in value]


def test_a_rag_answer_that_was_not_streamed_refuses_iteration(
    driver: Driver, router: respx.Router
) -> None:
    serve_rag(router, fixture_response("06-rag"))
    result = driver.run(driver.client().retrieval.rag("q"))
    with pytest.raises(NotAStreamError) as info:
        iter(result)
    assert str(info.value) == NOT_A_STREAM
    assert isinstance(info.value, TypeError)
    with pytest.raises(NotAStreamError) as ainfo:
        asyncio.run(_async_for(result))
    assert str(ainfo.value) == NOT_A_STREAM
    # Otherwise it is the generated model, under its own name.
    assert isinstance(result, models.WrappedRAGResponse)
    assert type(result).__name__ == type(result).__qualname__ == "WrappedRAGResponse"
    expected = models.WrappedRAGResponse.from_dict(fixture_json("06-rag"))
    assert repr(result) == repr(expected)
    assert result.results.generated_answer == expected.results.generated_answer


def test_a_body_that_is_not_json(driver: Driver, router: respx.Router) -> None:
    text = "<html>" + "y" * 300
    serve_rag(router, httpx.Response(200, text=text))
    with pytest.raises(json.JSONDecodeError) as json_error:
        json.loads(text)
    with pytest.raises(APIResponseValidationError) as info:
        driver.run(driver.client().retrieval.rag("q"))
    assert str(info.value) == f"the 200 response is not valid JSON ({json_error.value})"
    assert info.value.body == text[:200]
    assert isinstance(info.value.response, httpx.Response)
    assert info.value.response.text == text


def test_a_body_that_does_not_fit_the_schema(driver: Driver, router: respx.Router) -> None:
    serve_rag(router, httpx.Response(200, json={"a": 1}))
    with pytest.raises(APIResponseValidationError) as info:
        driver.run(driver.client().retrieval.rag("q"))
    assert str(info.value) == "the response body does not fit the API's schema: KeyError('results')"
    assert info.value.body == {"a": 1}
    assert isinstance(info.value.response, httpx.Response)
    assert info.value.response.status_code == 200


# -- the raw response of a stream ------------------------------------------------------------


def test_the_raw_response_of_a_stream_parses_to_the_stream(
    driver: Driver, router: respx.Router
) -> None:
    serve_rag(
        router,
        answer(CAPTURE, [*HEADERS, ("x-request-id", "rid-1")]),
        answer(CAPTURE, HEADERS),
    )
    client = driver.client()
    raw = driver.run(client.with_raw_response.retrieval.rag("q", stream=True))
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert raw.request_id == "rid-1"
    stream = raw.parse()
    assert raw.parse() is stream
    assert driver.final_answer(stream).generated_answer == ANSWER
    plain = driver.stream(client)  # the raw mode was for that call only
    assert driver.final_answer(plain).generated_answer == ANSWER

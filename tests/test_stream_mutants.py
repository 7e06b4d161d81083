"""Streams read straight from hand-made responses: exact errors, counts, limits, finalizers.

Each test pins a behaviour a user sees (a whole error message, which request an error names,
how much of a body is read) so that a small slip in `_streaming`, `events`, `_results` or
`_response` fails one of them. Both the sync and the async stream are read the same way.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from r2r_client import (
    APIResponseValidationError,
    APITimeoutError,
    AsyncRAGStream,
    ClientClosedError,
    FinalAnswerEvent,
    IncompleteStreamError,
    MessageEvent,
    NotAStreamError,
    RAGStream,
    StreamConsumedError,
    StreamDisconnectedError,
    StreamEventError,
    ThinkingEvent,
    UnknownEvent,
    _streaming,
)
from r2r_client._response import parse_json
from r2r_client._results import WrappedRAGResponse
from r2r_client.events import CitationEvent, SearchResultsEvent

KINDS = ["sync", "async"]
URL = "http://r2r.test/v3/retrieval/rag"
SSE = {"content-type": "text/event-stream"}
KIB = 1024


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body served piece by piece (an exception piece is raised there); counts what was read."""

    def __init__(self, pieces: list[bytes | Exception]) -> None:
        self.pieces = pieces
        self.pulled = 0

    def _next(self) -> Iterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, Exception):
                raise piece
            self.pulled += 1
            yield piece

    def __iter__(self) -> Iterator[bytes]:
        return self._next()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._next():
            yield piece


def texts_of(*events: Any) -> list[str]:
    return [event.text for event in events]


def delta(text: str) -> dict[str, Any]:
    return {"delta": {"content": [{"type": "text", "payload": {"type": "text", "value": text}}]}}


def block(name: str, data: Any) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data)
    return f"event: {name}\ndata: {text}\n\n".encode()


def response(
    pieces: list[bytes | Exception], headers: dict[str, str] | None = None
) -> tuple[httpx.Response, Pieces]:
    body = Pieces(pieces)
    request = httpx.Request("POST", URL)
    return httpx.Response(
        200, headers=SSE if headers is None else headers, stream=body, request=request
    ), body


def open_stream(kind: str, resp: httpx.Response, http: Any = None) -> Any:
    return RAGStream(resp, http) if kind == "sync" else AsyncRAGStream(resp, http)


def read(kind: str, stream: Any) -> list[Any]:
    """Every event of the stream (raising what reading raises)."""
    if kind == "sync":
        return list(stream)

    async def main() -> list[Any]:
        return [event async for event in stream]

    return asyncio.run(main())


def final(kind: str, stream: Any) -> Any:
    if kind == "sync":
        return stream.final_answer()
    return asyncio.run(stream.final_answer())


def first(kind: str, stream: Any) -> Any:
    """One event, through the stream's own __next__/__anext__."""
    if kind == "sync":
        return next(stream)
    return asyncio.run(stream.__anext__())


def close(kind: str, stream: Any) -> None:
    if kind == "sync":
        stream.close()
    else:
        asyncio.run(stream.close())


def incomplete_message(stream: Any) -> str:
    with pytest.raises(IncompleteStreamError) as info:
        _ = stream.text
    return str(info.value)


CONSUMED_TAIL = (
    ": a stream is read once. Its events are in .events; final_answer() returns its answer "
    "(or raises IncompleteStreamError)"
)


# -- the answer's state and the errors that describe it -------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_done_completes_the_answer_without_a_final_answer_event(kind: str) -> None:
    resp, _ = response(
        [block("message", delta("Hel")) + block("message", delta("lo")), block("done", "[DONE]")]
    )
    stream = open_stream(kind, resp)
    answer = final(kind, stream)
    assert stream.text == "Hello"
    assert answer.generated_answer == "Hello"
    assert answer.citations == []
    assert answer.search_results is None
    assert answer.events == []
    assert repr(answer) == "RAGAnswer(generated_answer='Hello', citations=0, events=0)"


NOT_READ = (
    "the stream has not been read to its end (1 events, 5 characters received); read it "
    "first, e.g. with final_answer(). What arrived so far is in this error's .text; "
    "the answer is incomplete"
)
CLOSED = (
    "the stream was closed before its final answer (1 events, 5 characters received); "
    "the answer is incomplete"
)
CLOSED_CONSUMED = (
    "this stream was closed (by close() or the end of its `with` block) before its end"
    + CONSUMED_TAIL
)


def test_not_read_to_its_end() -> None:
    resp, _ = response([block("message", delta("Hello")), block("message", delta("!"))])
    stream = RAGStream(resp)
    assert isinstance(next(stream), MessageEvent)
    assert incomplete_message(stream) == NOT_READ
    stream.close()
    assert incomplete_message(stream) == CLOSED
    with pytest.raises(StreamConsumedError) as info:
        next(stream)
    assert str(info.value) == CLOSED_CONSUMED


def test_async_not_read_to_its_end() -> None:
    async def main() -> None:
        resp, _ = response([block("message", delta("Hello")), block("message", delta("!"))])
        stream = AsyncRAGStream(resp)
        assert isinstance(await stream.__anext__(), MessageEvent)
        assert incomplete_message(stream) == NOT_READ
        await stream.close()
        assert incomplete_message(stream) == CLOSED
        with pytest.raises(StreamConsumedError) as info:
            await stream.__anext__()
        assert str(info.value) == CLOSED_CONSUMED

    asyncio.run(main())


@pytest.mark.parametrize("kind", KINDS)
def test_ended_without_an_answer(kind: str) -> None:
    resp, _ = response([block("message", delta("Hello")), block("thinking", delta("hm"))])
    stream = open_stream(kind, resp)
    with pytest.raises(IncompleteStreamError) as info:
        read(kind, stream)
    expected = (
        "the stream ended before its final answer (2 events, 5 characters received); "
        "the answer is incomplete"
    )
    assert str(info.value) == expected
    assert info.value.text == "Hello"
    assert incomplete_message(stream) == expected
    with pytest.raises(StreamConsumedError) as consumed:
        read(kind, stream)
    assert str(consumed.value) == "this stream has ended early" + CONSUMED_TAIL


@pytest.mark.parametrize("kind", KINDS)
def test_read_to_its_end_is_consumed(kind: str) -> None:
    resp, _ = response([block("final_answer", {"generated_answer": "A", "citations": []})])
    stream = open_stream(kind, resp)
    events = read(kind, stream)
    assert [type(e) for e in events] == [FinalAnswerEvent]
    with pytest.raises(StreamConsumedError) as info:
        first(kind, stream)
    assert str(info.value) == "this stream has been read to its end" + CONSUMED_TAIL


# -- broken connections, timeouts, closed clients, undecodable bytes --------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("message", "shown"), [("boom", "boom"), ("", "ReadError")])
def test_connection_broken_mid_stream(kind: str, message: str, shown: str) -> None:
    request = httpx.Request("POST", URL)
    resp, _ = response(
        [
            block("search_results", {"data": {}}) + block("message", delta("Hi")),
            httpx.ReadError(message, request=request),
        ]
    )
    stream = open_stream(kind, resp)
    with pytest.raises(StreamDisconnectedError) as info:
        read(kind, stream)
    assert str(info.value) == f"the connection broke mid-stream: {shown}"
    assert info.value.request is resp.request
    assert info.value.text == "Hi"
    assert [type(e) for e in info.value.events] == [SearchResultsEvent]
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: the connection broke "
        "(2 events, 2 characters received); the answer is incomplete"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_stalled_stream_is_a_timeout(kind: str) -> None:
    request = httpx.Request("POST", URL)
    resp, _ = response([block("message", delta("Hi")), httpx.ReadTimeout("t", request=request)])
    stream = open_stream(kind, resp)
    with pytest.raises(APITimeoutError) as info:
        read(kind, stream)
    assert str(info.value) == "the stream stalled past the read timeout"
    assert info.value.request is resp.request
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: it stalled past the read timeout "
        "(1 events, 2 characters received); the answer is incomplete"
    )


def test_client_closed_while_reading() -> None:
    request = httpx.Request("POST", URL)
    resp, _ = response([block("message", delta("Hi")), httpx.ReadError("x", request=request)])
    http = httpx.Client()
    http.close()
    stream = RAGStream(resp, http)
    with pytest.raises(ClientClosedError) as info:
        list(stream)
    assert str(info.value) == (
        "the client was closed while this stream was being read: read streams to their end "
        "(or close them) before closing their client"
    )
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: its client was closed "
        "(1 events, 2 characters received); the answer is incomplete"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_undecodable_body(kind: str) -> None:
    resp, _ = response([b"not gzip at all"], {**SSE, "content-encoding": "gzip"})
    stream = open_stream(kind, resp)
    with pytest.raises(APIResponseValidationError) as info:
        read(kind, stream)
    assert isinstance(info.value.__cause__, httpx.DecodingError)
    assert str(info.value) == f"the stream could not be decoded ({info.value.__cause__})"
    assert info.value.response is resp
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: its bytes could not be decoded "
        "(0 events, 0 characters received); the answer is incomplete"
    )


# -- an answer that is not an event stream --------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_not_an_event_stream(kind: str) -> None:
    body = b'{"results":\n   {"generated_answer": "caf\xff"}}'
    resp, _ = response([body[:10], body[10:]], {"content-type": "application/json"})
    stream = open_stream(kind, resp)
    with pytest.raises(APIResponseValidationError) as info:
        read(kind, stream)
    text = '{"results":\n   {"generated_answer": "caf\ufffd"}}'
    excerpt = '{"results": {"generated_answer": "caf\ufffd"}}'
    assert str(info.value) == (
        "asked for a stream (stream=True), but the server answered 200 with application/json "
        "instead of text/event-stream: a proxy or an older server may not stream; call rag() "
        f"without stream=True for a JSON answer. The body starts: {excerpt!r}"
    )
    assert info.value.body == text
    assert info.value.response is resp
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: the answer was not an event stream "
        "(0 events, 0 characters received); the answer is incomplete"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_not_an_event_stream_without_content_type_and_long(kind: str) -> None:
    resp, body = response([b"x" * KIB] * 100, {})
    stream = open_stream(kind, resp)
    with pytest.raises(APIResponseValidationError) as info:
        read(kind, stream)
    assert str(info.value).startswith(
        "asked for a stream (stream=True), but the server answered 200 with no content type "
    )
    assert str(info.value).endswith(f"The body starts: {'x' * 200!r}")
    # At most 64 KiB is read for the excerpt, and no more than that.
    assert info.value.body == "x" * (64 * KIB)
    assert body.pulled == 64


# -- event data ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["message", "error", "citation"])
def test_known_event_whose_data_is_not_json(kind: str, name: str) -> None:
    data = '{"id": 1} and then' + " more" * 30
    resp, _ = response([block(name, data)])
    stream = open_stream(kind, resp)
    with pytest.raises(APIResponseValidationError) as info:
        read(kind, stream)
    assert str(info.value) == f"the {name!r} event's data is not JSON: {data[:80]!r}"
    assert info.value.body == data
    assert info.value.response is resp


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_events_keep_their_data(kind: str) -> None:
    resp, _ = response(
        [
            block("custom", "12")
            + block("custom", "1 2")
            + block("custom", ' {"a": [1]}  ')
            + block("citation", [1])
            + block("done", "{}")
        ]
    )
    events = read(kind, open_stream(kind, resp))
    assert events == [
        UnknownEvent("custom", 12),
        UnknownEvent("custom", "1 2"),
        UnknownEvent("custom", {"a": [1]}),
        UnknownEvent("citation", [1]),
    ]


@pytest.mark.parametrize("kind", KINDS)
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
    ],
)
def test_error_events(kind: str, data: Any, message: str, error_type: str | None) -> None:
    resp, _ = response([block("message", delta("Hi")) + block("error", json.dumps(data))])
    stream = open_stream(kind, resp)
    with pytest.raises(StreamEventError) as info:
        read(kind, stream)
    assert str(info.value) == message
    assert info.value.error_type == error_type
    assert info.value.data == data
    assert incomplete_message(stream) == (
        "the stream ended before its final answer: the server sent an error event "
        "(2 events, 2 characters received); the answer is incomplete"
    )


# -- what is read after `done` ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_after_done_at_most_64_kib_more_is_read(kind: str) -> None:
    filler = b":" + b"x" * (KIB - 2) + b"\n"  # a comment line of exactly 1 KiB
    resp, body = response([block("message", delta("A")) + block("done", "{}"), *[filler] * 100])
    stream = open_stream(kind, resp)
    assert [e.text for e in read(kind, stream)] == ["A"]
    # 64 KiB more is not yet past the limit; the 65th KiB is.
    assert body.pulled == 1 + 65
    assert resp.is_closed


@pytest.mark.parametrize("kind", KINDS)
def test_after_done_nothing_more_is_read_past_the_pool_size(kind: str) -> None:
    resp, body = response([block("done", "{}"), b": more\n"])
    slots = _streaming.StreamSlots(keep=0)
    slots.enter()
    stream = open_stream(kind, resp)._counted_in(slots)
    assert read(kind, stream) == []
    assert body.pulled == 1
    assert slots.open == 0


# -- finalizers ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [RAGStream, AsyncRAGStream])
def test_a_half_built_stream_is_finalized_quietly(cls: type[RAGStream | AsyncRAGStream]) -> None:
    # __init__ failed before setting anything: the finalizer has nothing to close.
    cls.__new__(cls).__del__()
    # ... or after the response but before the rest: it is not its finalizer's to close.
    stream = cls.__new__(cls)
    resp, _ = response([b""])
    stream.response = resp
    stream.__del__()
    assert not resp.is_closed


def test_an_async_stream_dropped_unread_is_closed_on_its_loop() -> None:
    async def main() -> None:
        before = set(_streaming._CLOSING)
        resp, _ = response([block("done", "{}")])
        AsyncRAGStream(resp)  # dropped at once
        added = _streaming._CLOSING - before
        assert len(added) == 1
        assert all(isinstance(task, asyncio.Task) for task in added)
        for _ in range(5):
            await asyncio.sleep(0)
        assert resp.is_closed
        assert before == _streaming._CLOSING

    asyncio.run(main())


def test_an_iterator_outlives_its_dropped_stream() -> None:
    resp, _ = response([block("message", delta("A")), block("message", delta("B"))])
    iterator = iter(RAGStream(resp))  # the stream itself is dropped at once
    texts = texts_of(next(iterator), next(iterator))
    with pytest.raises(IncompleteStreamError):
        next(iterator)
    assert texts == ["A", "B"]
    assert resp.is_closed


def test_an_async_iterator_outlives_its_dropped_stream() -> None:
    async def main() -> list[str]:
        resp, _ = response([block("message", delta("A")), block("message", delta("B"))])
        iterator = AsyncRAGStream(resp).__aiter__()  # the stream itself is dropped at once
        for _ in range(5):
            await asyncio.sleep(0)  # a close the dropped stream scheduled would run now
        texts = texts_of(await anext(iterator), await anext(iterator))
        with pytest.raises(IncompleteStreamError):
            await anext(iterator)
        assert resp.is_closed
        return texts

    assert asyncio.run(main()) == ["A", "B"]


# -- events ------------------------------------------------------------------------------


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
def test_delta_text(
    cls: type[MessageEvent | ThinkingEvent], raw: dict[str, Any], text: str
) -> None:
    assert cls(raw).text == text


def test_typed_events_compare_by_type_and_payload() -> None:
    raw = delta("a")
    assert MessageEvent(raw) == MessageEvent(json.loads(json.dumps(raw)))
    assert MessageEvent(raw) != MessageEvent(delta("b"))
    assert MessageEvent(raw) != ThinkingEvent(raw)
    assert MessageEvent(raw) != UnknownEvent("message", raw)
    assert CitationEvent({"id": "c"}) != SearchResultsEvent({"id": "c"})
    assert repr(MessageEvent(raw)) == f"MessageEvent(data={raw!r})"


def test_unknown_events_compare_by_name_and_data() -> None:
    assert UnknownEvent("a", {"x": 1}) == UnknownEvent("a", {"x": 1})
    assert UnknownEvent("a", 1) != UnknownEvent("b", 1)
    assert UnknownEvent("a", 1) != UnknownEvent("a", 2)
    assert UnknownEvent("a", 1) != MessageEvent(delta("a"))
    assert repr(UnknownEvent("a", 1)) == "UnknownEvent(name='a', data=1)"


# -- a non-streamed answer, parsed JSON ---------------------------------------------------


NOT_A_STREAM = (
    "this rag() answer was not streamed, so it has no events to iterate: call "
    "rag(..., stream=True) for a stream, or read this answer's "
    ".results.generated_answer and .results.citations"
)


def test_a_non_streamed_answer_refuses_iteration() -> None:
    answer = WrappedRAGResponse.from_dict(
        {
            "results": {
                "generated_answer": "A",
                "search_results": {},
                "citations": [],
                "metadata": {},
                "completion": "A",
            }
        }
    )
    with pytest.raises(NotAStreamError) as info:
        iter(answer)
    assert str(info.value) == NOT_A_STREAM
    with pytest.raises(NotAStreamError) as ainfo:
        answer.__aiter__()
    assert str(ainfo.value) == NOT_A_STREAM


def test_parse_json_of_a_body_that_is_not_json() -> None:
    text = "<html>" + "y" * 300
    resp = httpx.Response(200, text=text, request=httpx.Request("GET", URL))
    with pytest.raises(json.JSONDecodeError) as json_error:
        json.loads(text)
    with pytest.raises(APIResponseValidationError) as info:
        parse_json(resp, dict)
    assert str(info.value) == f"the 200 response is not valid JSON ({json_error.value})"
    assert info.value.body == text[:200]
    assert info.value.response is resp


def test_parse_json_of_a_body_that_does_not_fit() -> None:
    resp = httpx.Response(200, json={"a": 1}, request=httpx.Request("GET", URL))

    def parse(body: dict[str, Any]) -> Any:
        raise KeyError("results")

    with pytest.raises(APIResponseValidationError) as info:
        parse_json(resp, parse)
    assert str(info.value) == "the response body does not fit the API's schema: KeyError('results')"
    assert info.value.body == {"a": 1}
    assert info.value.response is resp

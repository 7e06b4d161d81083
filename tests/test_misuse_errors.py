"""Every way of using the client wrongly is a typed R2RError that says what to do instead.

Promises checked (nothing is sent, nothing retried, nothing raw from httpx or the generated
models escapes):
- a closed client (or one whose given http_client was closed) raises ClientClosedError, a
  RuntimeError, saying which was closed and what to do; its clones too;
- arguments of the wrong shape (a path id that is not a UUID, a single object where a list is
  expected, extra_body that is not an object or repeats an argument or asks for a stream
  behind rag's back, stream= contradicting the config) are InvalidRequestErrors naming the
  field, with the whole message;
- a call's own headers that HTTP cannot carry are refused naming the header, for both clients;
- iterating an answer that was not streamed raises NotAStreamError (a TypeError) saying to
  use stream=True, and the answer itself stays usable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, DOC_ID, KINDS, MODEL, call, fixture_response

from r2r_client import (
    AsyncR2RClient,
    ClientClosedError,
    InvalidRequestError,
    NotAStreamError,
    R2RClient,
)

RAG = "/v3/retrieval/rag"
COMPLETION = "/v3/retrieval/completion"
META = f"/v3/documents/{DOC_ID}/metadata"
MESSAGES: Any = [{"role": "user", "content": "hi"}]
CLOSED = (
    "the {} is closed (by close() or the end of its `with` block): make calls before closing "
    "it, or create a new client"
)
NOT_A_STREAM = (
    "this answer was not streamed, so it has no events to iterate: call it with stream=True for "
    "a stream, or read the answer's fields (e.g. .results.generated_answer and "
    ".results.citations)"
)


@pytest.fixture
def api() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(RAG, name="rag").mock(return_value=fixture_response("06-rag"))
        router.post(COMPLETION, name="completion").mock(
            return_value=fixture_response("04-completion")
        )
        router.put(META, name="metadata").mock(return_value=fixture_response("02-put-metadata"))
        yield router


# -- closed clients ----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["rag", "completion", "metadata"])
def test_a_closed_client_refuses_every_call(api: respx.Router, which: str) -> None:
    calls = {
        "rag": lambda c: c.retrieval.rag("q"),
        "completion": lambda c: c.retrieval.completion(MESSAGES, MODEL),
        "metadata": lambda c: c.documents.replace_metadata(DOC_ID, [{"a": 1}]),
    }
    with R2RClient(BASE) as client:
        clone = client.with_options(max_retries=0)
    for closed in (client, clone, client.with_raw_response):
        with pytest.raises(ClientClosedError) as info:
            calls[which](closed)
        assert str(info.value).startswith("the ")
        assert str(info.value).endswith(CLOSED.format("client").removeprefix("the client"))
        assert isinstance(info.value, RuntimeError)
    with pytest.raises(ClientClosedError) as info:
        calls[which](client)
    assert str(info.value) == CLOSED.format("client")
    assert api.calls.call_count == 0


def test_a_clone_of_a_closed_client_says_the_client_is_closed(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        clone = client.with_options(max_retries=0)
    with pytest.raises(ClientClosedError) as info:
        clone.retrieval.rag("q")
    assert str(info.value) == CLOSED.format("client")


def test_a_closed_http_client_is_named_as_the_one_given() -> None:
    http = httpx.Client()
    client = R2RClient(BASE, http_client=http)
    http.close()
    with pytest.raises(ClientClosedError) as info:
        client.retrieval.rag("q")
    assert str(info.value) == CLOSED.format("HTTP client given to this client")


def test_closing_a_client_leaves_a_given_http_client_open(api: respx.Router) -> None:
    http = httpx.Client()
    R2RClient(BASE, http_client=http).close()
    with R2RClient(BASE, http_client=http) as client:
        assert client.retrieval.rag("q").results.generated_answer
    assert not http.is_closed


@pytest.mark.parametrize(
    ("owned", "what"), [(True, "client"), (False, "HTTP client given to this client")]
)
def test_a_closed_async_client_refuses_every_call(
    api: respx.Router, owned: bool, what: str
) -> None:
    async def main() -> None:
        given = None if owned else httpx.AsyncClient()
        client = AsyncR2RClient(BASE, http_client=given)
        if given is None:
            await client.close()
        else:
            await given.aclose()
        for use in (
            lambda: client.retrieval.completion(MESSAGES, {"model": "m"}),
            lambda: client.retrieval.rag("q", stream=True),
        ):
            with pytest.raises(ClientClosedError) as info:
                await use()
            assert str(info.value) == CLOSED.format(what)

    asyncio.run(main())
    assert api.calls.call_count == 0


def test_a_closed_stream_client_refuses_a_stream(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        pass
    with pytest.raises(ClientClosedError) as info:
        client.retrieval.rag("q", stream=True)
    assert str(info.value) == CLOSED.format("client")


# -- arguments of the wrong shape --------------------------------------------------------------

WRONG_SHAPES = [
    pytest.param(
        lambda c: c.documents.replace_metadata("not-a-uuid", [{"a": 1}]),
        "id",
        "expected a UUID, got 'not-a-uuid'",
        id="id-not-a-uuid",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(5, [{"a": 1}]),
        "id",
        "expected a UUID, got 5",
        id="id-an-int",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, {"a": 1}),
        "metadata",
        "expected a list, got a single object (wrap it: [metadata])",
        id="metadata-one-object",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, "ab"),
        "metadata",
        "expected a list, got str",
        id="metadata-a-str",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, None),
        "metadata",
        "expected a list, got NoneType",
        id="metadata-none",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", extra_body=[1]),
        "extra_body",
        "expected an object (dict), got list",
        id="extra_body-a-list",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", extra_body={"query": "again"}),
        "extra_body.query",
        "already given as an argument; pass it once",
        id="extra_body-repeats-an-argument",
    ),
    pytest.param(
        lambda c: c.retrieval.rag(
            "q",
            rag_generation_config={"model": "m"},
            extra_body={"rag_generation_config": {"model": "n"}},
        ),
        "extra_body.rag_generation_config.model",
        "already given as an argument; pass it once",
        id="extra_body-repeats-a-nested-argument",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", extra_body={"rag_generation_config": {"stream": True}}),
        "extra_body.rag_generation_config.stream",
        "ask for a stream with stream=True or rag_generation_config, not extra_body",
        id="extra_body-asks-for-a-stream",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", stream=False, rag_generation_config={"stream": True}),
        "stream",
        "contradicts rag_generation_config.stream; give it once",
        id="stream-contradicts-the-config",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", extra_headers=[("a", "b")]),
        "extra_headers",
        "expected a mapping of header names to values (a dict), got list",
        id="extra_headers-a-list",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("fn", "field", "problem"), WRONG_SHAPES)
def test_an_argument_of_the_wrong_shape_is_refused_before_sending(
    api: respx.Router, kind: str, fn: Any, field: str, problem: str
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call(kind, fn)
    assert (info.value.field, info.value.problem) == (field, problem)
    assert str(info.value) == f"{field}: {problem}"
    assert api.calls.call_count == 0


BAD_HEADERS = [
    pytest.param({"X-Trace": 5}, "['X-Trace']", "must be a string, not int", id="int-value"),
    pytest.param(
        {"X-Trace": "café"},
        "['X-Trace']",
        "contains a character that is not ASCII (at index 3); HTTP header values must be ASCII",
        id="non-ascii-value",
    ),
    pytest.param(
        {"X-Trace": "a\r\nX-Evil: 1"},
        "['X-Trace']",
        "contains a line break (at index 1), which HTTP headers cannot carry",
        id="header-injection",
    ),
    pytest.param(
        {"X-Trace": "a\x00b"},
        "['X-Trace']",
        "contains a control character, which HTTP headers cannot carry",
        id="nul",
    ),
    pytest.param(
        {5: "t1"},
        "[5]",
        "is not a valid header name: header names are strings, not int",
        id="int-name",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("headers", "where", "problem"), BAD_HEADERS)
def test_a_calls_header_http_cannot_carry_is_refused_before_sending(
    api: respx.Router, kind: str, headers: Any, where: str, problem: str
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call(kind, lambda c: c.retrieval.rag("q", extra_headers=headers))
    assert str(info.value) == f"extra_headers{where}: {problem}"
    assert api.calls.call_count == 0


# -- an answer that was not streamed ----------------------------------------------------------


def test_iterating_an_answer_that_was_not_streamed_says_to_stream(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        result = client.retrieval.rag("q")
    iterable: Any = result
    for iterate in (lambda: next(iter(iterable)), lambda: list(iterable), lambda: iter(iterable)):
        with pytest.raises(NotAStreamError) as info:
            iterate()
        assert str(info.value) == NOT_A_STREAM
        assert isinstance(info.value, TypeError)
    assert result.results.generated_answer  # the answer itself is intact
    assert type(result).__name__ == "WrappedRAGResponse"


def test_async_iterating_an_answer_that_was_not_streamed_says_to_stream(
    api: respx.Router,
) -> None:
    async def main() -> None:
        async with AsyncR2RClient(BASE) as client:
            result = await client.retrieval.rag("q")
        with pytest.raises(NotAStreamError) as info:
            async for _ in result:  # type: ignore[attr-defined]
                pass
        assert str(info.value) == NOT_A_STREAM
        assert result.results.generated_answer

    asyncio.run(main())

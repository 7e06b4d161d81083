"""Every failure a user can cause is a typed R2RError that names the field and says what to do.

Nothing raw from json, httpx or the generated models escapes, nothing is sent, nothing retried.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, DOC_ID, KINDS, Sleeps, call, fixture_response, load_fixture

from r2r_client import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncR2RClient,
    ClientClosedError,
    ConfigurationError,
    IncompleteStreamError,
    InvalidRequestError,
    NotAStreamError,
    R2RClient,
    R2RError,
    StreamDisconnectedError,
)

RAG = "/v3/retrieval/rag"
COMPLETION = "/v3/retrieval/completion"
META = f"/v3/documents/{DOC_ID}/metadata"


@pytest.fixture
def api() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(RAG, name="rag").mock(return_value=fixture_response("06-rag"))
        router.post(COMPLETION, name="completion").mock(
            return_value=fixture_response("04-completion")
        )
        router.put(META, name="metadata").mock(return_value=fixture_response("02-put-metadata"))
        yield router


def refused(
    kind: str, fn: Any, api: respx.Router, cls: type[R2RError] = InvalidRequestError
) -> Any:
    """The error `fn(client)` raises; nothing may have been sent."""
    with pytest.raises(cls) as info:
        call(kind, fn)
    assert api.calls.call_count == 0
    return info.value


# -- values JSON cannot encode -----------------------------------------------------------------

NOT_JSON = [
    pytest.param(datetime.datetime(2026, 1, 2, 3, 4, 5), "datetime", "isoformat", id="datetime"),
    pytest.param(datetime.date(2026, 1, 2), "date", "isoformat", id="date"),
    pytest.param({1, 2}, "set", "list(", id="set"),
    pytest.param(uuid.UUID(DOC_ID), "UUID", "str(", id="uuid"),
    pytest.param(b"raw", "bytes", "decode", id="bytes"),
    pytest.param(decimal.Decimal("1.5"), "Decimal", "float(", id="decimal"),
    pytest.param(float("nan"), "NaN", "finite", id="nan"),
    pytest.param(float("inf"), "inf", "finite", id="inf"),
    pytest.param(object(), "object", "convert", id="object"),
]

WHERE = [
    pytest.param(
        lambda c, v: c.documents.replace_metadata(DOC_ID, [{"ok": 1}, {"when": v}]),
        "metadata[1].when",
        id="metadata",
    ),
    pytest.param(
        lambda c, v: c.retrieval.rag("q", search_settings={"filters": {"created": {"$gt": v}}}),
        "search_settings.filters.created.$gt",
        id="filters",
    ),
    pytest.param(
        lambda c, v: c.retrieval.rag("q", extra_body={"future": {"list": [1, v]}}),
        "future.list[1]",
        id="extra_body",
    ),
    pytest.param(
        lambda c, v: c.retrieval.completion([{"role": "user", "content": "hi", "x_meta": v}]),
        "messages[0].x_meta",
        id="message",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("send", "field"), WHERE)
@pytest.mark.parametrize(("value", "named", "hint"), NOT_JSON)
def test_value_json_cannot_encode_names_its_field(
    api: respx.Router, kind: str, send: Any, field: str, value: object, named: str, hint: str
) -> None:
    error = refused(kind, lambda c: send(c, value), api)
    assert error.field == field
    assert named in error.problem
    assert hint in error.problem  # says what to do
    assert error.__cause__ is None or not isinstance(error.__cause__, R2RError)


def test_a_dict_key_json_cannot_encode_is_named(api: respx.Router) -> None:
    error = refused("sync", lambda c: c.documents.replace_metadata(DOC_ID, [{(1, 2): "x"}]), api)
    assert error.field.startswith("metadata[0]")  # the validator may name the key too
    assert "key" in error.problem


def test_a_body_that_contains_itself_is_refused(api: respx.Router) -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    error = refused("sync", lambda c: c.retrieval.rag("q", extra_body={"loop": loop}), api)
    assert error.field == "loop.self"
    assert "contains itself" in error.problem


@pytest.mark.parametrize("kind", KINDS)
def test_lone_surrogate_names_its_field(api: respx.Router, kind: str) -> None:
    error = refused(kind, lambda c: c.retrieval.rag("bad \ud800 text"), api)
    assert error.field == "query"
    assert "surrogate" in error.problem
    assert "index 4" in error.problem
    error = refused(kind, lambda c: c.documents.replace_metadata(DOC_ID, [{"k\udfff": 1}]), api)
    assert error.field == "metadata[0]"
    assert "surrogate" in error.problem


def test_text_that_is_not_ascii_is_sent_as_utf8(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        client.retrieval.rag("Zürich 東京 🙂", extra_body={"mood": "😀"})
    assert json.loads(api["rag"].calls.last.request.content) == {
        "query": "Zürich 東京 🙂",
        "mood": "😀",
    }


# -- header values -----------------------------------------------------------------------------

BAD_HEADERS = [
    pytest.param({"X-Trace": 5}, "X-Trace", "string", id="int-value"),
    pytest.param({"X-Trace": b"bytes"}, "X-Trace", "string", id="bytes-value"),
    pytest.param({"X-Trace": None}, "X-Trace", "string", id="none-value"),
    pytest.param({"X-Trace": "café"}, "X-Trace", "ASCII", id="non-ascii-value"),
    pytest.param({"X-Trace": "a\r\nX-Evil: 1"}, "X-Trace", "line break", id="crlf-value"),
    pytest.param({"X-Trace": "a\x00b"}, "X-Trace", "control", id="nul-value"),
    pytest.param({"X-Trace": "t1\n"}, "X-Trace", "whitespace", id="trailing-newline"),
    pytest.param({"X Trace": "t1"}, "X Trace", "name", id="space-in-name"),
    pytest.param({"X-Tracé": "t1"}, "X-Tracé", "name", id="non-ascii-name"),
    pytest.param({5: "t1"}, "5", "name", id="int-name"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("headers", "name", "problem"), BAD_HEADERS)
def test_bad_extra_header_is_refused_before_sending(
    api: respx.Router, kind: str, headers: Any, name: str, problem: str, sleeps: Sleeps
) -> None:
    error = refused(kind, lambda c: c.retrieval.rag("q", extra_headers=headers), api)
    assert error.field.startswith("extra_headers[")
    assert name in error.field
    assert problem in error.problem
    assert sleeps.delays == []


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
@pytest.mark.parametrize(("headers", "name", "problem"), BAD_HEADERS)
def test_bad_default_header_is_a_configuration_error(
    cls: type, headers: Any, name: str, problem: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        cls(BASE, default_headers=headers)
    assert "default_headers[" in info.value.message
    assert name in info.value.message
    assert problem in info.value.message


@pytest.mark.parametrize(("headers", "name", "problem"), BAD_HEADERS[:3])
def test_bad_header_in_with_options_is_a_configuration_error(
    headers: Any, name: str, problem: str
) -> None:
    with R2RClient(BASE) as client, pytest.raises(ConfigurationError) as info:
        client.with_options(extra_headers=headers)
    assert name in info.value.message
    assert problem in info.value.message


def test_bad_project_name_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="project_name"):
        R2RClient(BASE, project_name="team\nx")
    with R2RClient(BASE) as client, pytest.raises(ConfigurationError, match="project_name"):
        client.set_project_name("naïve")


def test_bad_header_on_the_given_http_client_is_a_configuration_error() -> None:
    http = httpx.Client(headers={"X-Trace": "a\r\nb"})
    with pytest.raises(
        ConfigurationError, match=r"http_client.headers\['x-trace'\] contains a line"
    ):
        R2RClient(BASE, http_client=http)
    http.close()


@pytest.mark.parametrize("kind", KINDS)
def test_local_protocol_error_is_not_a_connection_error_and_not_retried(
    kind: str, sleeps: Sleeps
) -> None:
    # A header made illegal after the client checked it (the HTTP client's, changed later).
    secret_text = "Illegal header value b'Bearer sk-HIDDEN\\n'"
    with respx.mock(base_url=BASE) as router:
        route = router.post(RAG).mock(side_effect=httpx.LocalProtocolError(secret_text))
        with pytest.raises(InvalidRequestError) as info:
            call(kind, lambda c: c.retrieval.rag("q"), max_retries=3)
    assert not isinstance(info.value, APIConnectionError)
    assert route.call_count == 1
    assert sleeps.delays == []
    assert "sk-HIDDEN" not in str(info.value)
    assert info.value.__suppress_context__


# -- closed clients ------------------------------------------------------------------------------


def test_calling_a_closed_client(api: respx.Router) -> None:
    client = R2RClient(BASE)
    clone = client.with_options(max_retries=0)
    client.close()
    for which in (client, clone):
        with pytest.raises(ClientClosedError, match="closed") as info:
            which.retrieval.rag("q")
        assert isinstance(info.value, RuntimeError)
    assert api.calls.call_count == 0


def test_calling_a_closed_async_client(api: respx.Router) -> None:
    async def main() -> None:
        client = AsyncR2RClient(BASE)
        await client.close()
        with pytest.raises(ClientClosedError, match="closed"):
            await client.retrieval.completion([{"role": "user", "content": "hi"}])

    asyncio.run(main())
    assert api.calls.call_count == 0


# -- using a result the wrong way --------------------------------------------------------------


def test_iterating_a_result_that_was_not_streamed(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        result = client.retrieval.rag("q")
    with pytest.raises(NotAStreamError, match="stream=True") as info:
        for _ in result:  # type: ignore[attr-defined]
            pass
    assert isinstance(info.value, TypeError)
    with pytest.raises(NotAStreamError):
        list(result)  # type: ignore[call-overload]
    assert result.results.generated_answer  # the result itself is intact


def test_async_iterating_a_result_that_was_not_streamed(api: respx.Router) -> None:
    async def main() -> None:
        async with AsyncR2RClient(BASE) as client:
            result = await client.retrieval.rag("q")
        with pytest.raises(NotAStreamError, match="stream=True"):
            async for _ in result:  # type: ignore[attr-defined]
                pass

    asyncio.run(main())


class _JSONBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield load_fixture("06-rag")[2]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield load_fixture("06-rag")[2]

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


@pytest.mark.parametrize("kind", KINDS)
def test_stream_answered_with_json_is_named_before_the_first_event(kind: str) -> None:
    status, headers, _ = load_fixture("06-rag")  # a proxy or an older server: 200 JSON
    body = _JSONBody()

    def consume(c: Any) -> Any:
        if kind == "sync":
            return list(c.retrieval.rag("q", stream=True))

        async def go() -> Any:
            return [e async for e in await c.retrieval.rag("q", stream=True)]

        return go()

    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=httpx.Response(status, headers=headers, stream=body))
        with pytest.raises(APIResponseValidationError) as info:
            call(kind, consume)
    error = info.value
    assert not isinstance(error, IncompleteStreamError)
    assert "text/event-stream" in error.message
    assert "application/json" in error.message
    assert "stream=True" in error.message
    assert error.status_code == 200
    assert body.closed


class _BreaksSilently(httpx.AsyncByteStream):
    """The first event, then a connection error without a message (as anyio raises them)."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield load_fixture("07-rag-stream")[2].split(b"\n\n", 1)[0] + b"\n\n"
        raise httpx.ReadError("")


def test_an_error_without_a_message_is_still_explained(sleeps: Sleeps) -> None:
    async def main() -> None:
        async with AsyncR2RClient(BASE, max_retries=0) as client:
            stream = await client.retrieval.rag("q", stream=True)
            with pytest.raises(StreamDisconnectedError) as info:
                await stream.final_answer()
            assert info.value.message.endswith("mid-stream: ReadError")
            with pytest.raises(APIConnectionError) as info2:
                await client.retrieval.rag("q")
            assert info2.value.message == "Connection error: ConnectError"

    status, headers, _ = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(
            side_effect=[
                httpx.Response(status, headers=headers, stream=_BreaksSilently()),
                httpx.ConnectError(""),
            ]
        )
        asyncio.run(main())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("stream", [False, True])
def test_a_body_that_cannot_be_decoded_is_a_typed_error(
    kind: str, stream: bool, sleeps: Sleeps
) -> None:
    def go(c: Any) -> Any:
        if kind == "sync":
            result = c.retrieval.rag("q", stream=stream)
            return result.final_answer() if stream else result

        async def consume() -> Any:
            result = await c.retrieval.rag("q", stream=stream)
            return await result.final_answer() if stream else result

        return consume()

    kind_of_body = "text/event-stream" if stream else "application/json"
    headers = {"content-type": kind_of_body, "content-encoding": "gzip"}
    with respx.mock(base_url=BASE) as router:
        route = router.post(RAG).mock(
            return_value=httpx.Response(200, headers=headers, stream=httpx.ByteStream(b"not gzip"))
        )
        with pytest.raises(APIResponseValidationError, match="could not be decoded"):
            call(kind, go)
    assert route.call_count == 1
    assert sleeps.delays == []


# -- arguments of the wrong shape ------------------------------------------------------------------

WRONG_SHAPES = [
    pytest.param(lambda c: c.retrieval.rag("q", extra_body=[1]), "extra_body", id="extra_body"),
    pytest.param(
        lambda c: c.retrieval.rag("q", extra_headers=[("a", "b")]), "extra_headers", id="headers"
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", extra_body={"n": 10**5000}), "n", id="int-too-long"
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("fn", "field"), WRONG_SHAPES)
def test_argument_of_the_wrong_shape(api: respx.Router, kind: str, fn: Any, field: str) -> None:
    assert refused(kind, fn, api).field == field


def test_a_body_nested_too_deeply(api: respx.Router) -> None:
    deep: Any = 1
    for _ in range(50_000):
        deep = [deep]
    error = refused("sync", lambda c: c.documents.replace_metadata(DOC_ID, [{"x": deep}]), api)
    assert "nested too deeply" in error.problem


@pytest.mark.parametrize(
    ("make", "named"),
    [
        pytest.param(lambda: R2RClient(5), "base_url", id="base_url-int"),  # type: ignore[arg-type]
        pytest.param(lambda: R2RClient("http://[::1"), "base_url", id="base_url-invalid"),
        pytest.param(lambda: R2RClient(BASE, timeout=float("nan")), "timeout", id="timeout-nan"),
        pytest.param(lambda: R2RClient(BASE, timeout=float("inf")), "timeout", id="timeout-inf"),
        pytest.param(
            lambda: R2RClient(BASE, default_headers=[("a", "b")]),  # type: ignore[arg-type]
            "default_headers",
            id="default_headers-list",
        ),
        pytest.param(
            lambda: R2RClient(BASE, http_client=httpx.AsyncClient()),  # type: ignore[arg-type]
            "http_client",
            id="async-http-client-for-sync",
        ),
        pytest.param(
            lambda: AsyncR2RClient(BASE, http_client=httpx.Client()),  # type: ignore[arg-type]
            "http_client",
            id="sync-http-client-for-async",
        ),
    ],
)
def test_configuration_of_the_wrong_shape(make: Any, named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        make()

"""When no status arrives: typed errors that say what happened, nothing raw from httpx.

Promises checked:
- a connection that cannot be made or breaks is an APIConnectionError (`Connection error:
  <what httpx said, else its class>`), chained to httpx's exception, with the request;
  a timeout is an APITimeoutError (`Request timed out.`); both are retried `max_retries`
  times, then raised;
- a request httpx refuses to send (a header made unsendable after the client checked it) is an
  InvalidRequestError on `headers` that never quotes the header (it may be a key), raised at
  once, not retried, with httpx's exception hidden;
- a body that cannot be decoded (a wrong Content-Encoding) is an APIResponseValidationError
  quoting the decoder (`the response body could not be decoded (<why>)`), not retried;
- a stream cut without a word is still explained (`... mid-stream: ReadError`);
- the exception classes can be built by users (mocks, tests) with the SDK's defaults.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx
from _config_errors_helpers import ScriptedServer, send_with
from _helpers import BASE, KINDS, MODEL, Sleeps, call, fixture_response, load_fixture

from r2r_client import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncR2RClient,
    InvalidRequestError,
    StreamDisconnectedError,
)

HOST = "api.example"
COMPLETION = "/api/r2r/v3/retrieval/completion"
RAG = "/v3/retrieval/rag"
MESSAGES = [{"role": "user", "content": "hi"}]
UNSENDABLE = (
    "headers: the request is not valid HTTP: a header has a character HTTP does not allow "
    "(a line break, a control character, leading or trailing whitespace); check "
    "extra_headers, default_headers and the headers of the http_client"
)


def complete(client: Any) -> Any:
    return client.retrieval.completion(MESSAGES, MODEL)


def failing(*answers: Any) -> ScriptedServer:
    return ScriptedServer({HOST + COMPLETION: answers})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (httpx.ConnectError("refused"), "Connection error: refused"),
        (httpx.ConnectError(""), "Connection error: ConnectError"),
        (httpx.RemoteProtocolError(""), "Connection error: RemoteProtocolError"),
        (httpx.ReadError("reset by peer"), "Connection error: reset by peer"),
        (httpx.ProxyError("proxy said no"), "Connection error: proxy said no"),
    ],
)
def test_a_failed_connection_is_an_api_connection_error(
    kind: str, exc: Exception, message: str
) -> None:
    server = failing(exc)
    with pytest.raises(APIConnectionError) as info:
        send_with(kind, server, complete, max_retries=0)
    error = info.value
    assert type(error) is APIConnectionError
    assert (error.message, str(error)) == (message, message)
    assert error.__cause__ is exc
    assert str(error.request.url) == f"https://{HOST}{COMPLETION}"
    assert error.status_code is None
    assert len(server.seen) == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("slow"), httpx.ConnectTimeout(""), httpx.PoolTimeout("full")],
)
def test_a_timeout_is_an_api_timeout_error(kind: str, exc: Exception) -> None:
    server = failing(exc)
    with pytest.raises(APITimeoutError) as info:
        send_with(kind, server, complete, max_retries=0)
    assert info.value.message == "Request timed out."
    assert isinstance(info.value, APIConnectionError)
    assert str(info.value.request.url) == f"https://{HOST}{COMPLETION}"
    assert info.value.__cause__ is exc


@pytest.mark.parametrize("kind", KINDS)
def test_connection_failures_are_retried_then_raised(kind: str, sleeps: Sleeps) -> None:
    server = failing(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        send_with(kind, server, complete, max_retries=2)
    assert info.value.message == "Connection error: refused"
    assert len(server.seen) == 3
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_connection_that_recovers_gives_the_answer(kind: str, sleeps: Sleeps) -> None:
    server = failing(
        httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), fixture_response("04-completion")
    )
    result = send_with(kind, server, complete, max_retries=2)
    assert result.results.choices
    assert len(server.seen) == 3
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_request_httpx_will_not_send_is_an_invalid_request_not_retried(
    kind: str, sleeps: Sleeps
) -> None:
    # A header made illegal after the client checked it (the HTTP client's, changed later).
    server = failing(httpx.LocalProtocolError("Illegal header value b'Bearer sk-HIDDEN\\n'"))
    with pytest.raises(InvalidRequestError) as info:
        send_with(kind, server, complete, max_retries=3)
    error = info.value
    assert not isinstance(error, APIConnectionError)
    assert str(error) == UNSENDABLE
    assert (error.field, error.problem) == ("headers", UNSENDABLE.removeprefix("headers: "))
    assert error.__cause__ is None
    assert error.__suppress_context__
    assert len(server.seen) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("stream", [False, True])
def test_a_body_that_cannot_be_decoded_is_a_typed_error_not_retried(
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
        with pytest.raises(APIResponseValidationError) as info:
            call(kind, go, max_retries=2)
    assert info.value.message == (
        "the response body could not be decoded (Error -3 while decompressing data: incorrect "
        "header check)"
    )
    assert route.call_count == 1
    assert sleeps.delays == []


class _BreaksSilently(httpx.AsyncByteStream):
    """The first event, then a connection error without a message (as anyio raises them)."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield load_fixture("07-rag-stream")[2].split(b"\n\n", 1)[0] + b"\n\n"
        raise httpx.ReadError("")


def test_a_failure_without_a_message_is_still_explained(sleeps: Sleeps) -> None:
    async def main() -> None:
        async with AsyncR2RClient(BASE, max_retries=0) as client:
            stream = await client.retrieval.rag("q", stream=True)
            with pytest.raises(StreamDisconnectedError) as info:
                await stream.final_answer()
            assert info.value.message == "the connection broke mid-stream: ReadError"
            assert len(info.value.events) == 1
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


def test_the_error_classes_have_the_sdks_defaults() -> None:
    request = httpx.Request("GET", "https://a.example/")
    connection = APIConnectionError(request=request)
    assert (connection.message, str(connection), connection.request) == (
        "Connection error.",
        "Connection error.",
        request,
    )
    timeout = APITimeoutError(request)
    assert (timeout.message, timeout.request) == ("Request timed out.", request)
    broken = StreamDisconnectedError("gone", request=request, text="t", events=[])
    assert (broken.message, broken.request, broken.text, broken.events) == (
        "gone",
        request,
        "t",
        [],
    )
    invalid = InvalidRequestError("query", "must not be empty")
    assert (str(invalid), invalid.field, invalid.problem) == (
        "query: must not be empty",
        "query",
        "must not be empty",
    )
    assert isinstance(invalid, ValueError)

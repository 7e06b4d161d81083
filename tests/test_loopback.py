"""r2r_client against the fake server over real HTTP: every fault handled as promised."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
from _helpers import Sleeps, connection_pool

from r2r_client import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncR2RClient,
    AsyncRAGStream,
    AuthenticationError,
    IncompleteStreamError,
    InternalServerError,
    NotFoundError,
    R2RClient,
    R2RError,
    RAGStream,
    RateLimitError,
    StreamDisconnectedError,
)
from r2r_client.testing import ANSWER_PREFIX, FakeR2RServer

pytest_plugins = ["r2r_client.testing.pytest_plugin"]
pytestmark = pytest.mark.loopback

QUESTION = "Who invented the Zorblax protocol?"
T = TypeVar("T")


def stream_of(client: R2RClient, **kwargs: Any) -> RAGStream:
    stream = client.retrieval.rag(QUESTION, stream=True, **kwargs)
    assert isinstance(stream, RAGStream)
    return stream


def with_async_client(
    server: FakeR2RServer, body: Callable[[AsyncR2RClient], Awaitable[T]], **options: Any
) -> T:
    async def main() -> T:
        async with AsyncR2RClient(server.base_url, **options) as client:
            return await body(client)

    return asyncio.run(main())


async def astream_of(client: AsyncR2RClient) -> AsyncRAGStream:
    stream = await client.retrieval.rag(QUESTION, stream=True)
    assert isinstance(stream, AsyncRAGStream)
    return stream


# -- the happy path through the plugin's fixtures ---------------------------------------------


def test_plugin_fixtures_and_the_three_calls(
    r2r_server: FakeR2RServer, r2r_client: R2RClient
) -> None:
    completion = r2r_client.retrieval.completion(
        messages=[{"role": "user", "content": "Say hello"}],
        generation_config={"model": "hosted_vllm/openai/gpt-oss-120b", "max_tokens": 150},
    )
    assert completion.results.choices[0].message.content == f"{ANSWER_PREFIX}. You asked: Say hello"
    sent = r2r_server.requests[-1].json
    assert sent["generation_config"]["max_tokens_to_sample"] == 150

    rag = r2r_client.retrieval.rag(query=QUESTION)
    assert not isinstance(rag, RAGStream)
    assert rag.results.generated_answer.startswith(ANSWER_PREFIX)
    assert rag.results.citations

    with stream_of(r2r_client) as stream:
        deltas = list(stream.text_stream())
    answer = stream.final_answer()
    assert "".join(deltas) == answer.generated_answer == rag.results.generated_answer
    assert [c.id for c in answer.citations] == [c.id for c in rag.results.citations]

    doc_id = r2r_server.document_ids[0]
    doc = r2r_client.documents.replace_metadata(doc_id, metadata=[{"a": 1}, {"a": 2, "b": 3}])
    assert doc.results.metadata.to_dict() == {"a": 2, "b": 3}
    with pytest.raises(NotFoundError):
        r2r_client.documents.replace_metadata("00000000-0000-4000-8000-000000000000", [])


def test_api_key_is_sent_and_checked() -> None:
    with FakeR2RServer(api_key="k1") as server:
        with R2RClient(server.base_url, api_key="k1") as client:
            client.retrieval.rag(QUESTION)
        assert server.requests[-1].headers["authorization"] == "Bearer k1"
        with R2RClient(server.base_url, api_key="k1", auth_header="x-api-key") as client:
            client.retrieval.rag(QUESTION)
        assert server.requests[-1].headers["x-api-key"] == "k1"
        with (
            R2RClient(server.base_url, api_key="wrong") as client,
            pytest.raises(AuthenticationError, match="Invalid token or API key"),
        ):
            client.retrieval.rag(QUESTION)


# -- faults, sync ------------------------------------------------------------------------------


def test_503_is_retried_then_succeeds(
    r2r_server: FakeR2RServer, r2r_client: R2RClient, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("status_503")
    assert r2r_client.retrieval.rag(QUESTION).results.generated_answer
    assert len(r2r_server.requests) == 2
    assert len(sleeps.delays) == 1
    assert 0.3 <= sleeps.delays[0] <= 0.5


def test_429_waits_for_retry_after(
    r2r_server: FakeR2RServer, r2r_client: R2RClient, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("rate_limit_429", seconds=3)
    r2r_client.retrieval.completion(messages=[{"role": "user", "content": "hi"}])
    assert sleeps.delays == [3.0]
    r2r_server.fail_next("rate_limit_429", count=3, seconds=0)
    with pytest.raises(RateLimitError) as info:
        r2r_client.retrieval.completion(messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 429
    assert "Rate limit" in info.value.message
    assert len(r2r_server.requests) == 2 + 3


def test_429_really_sleeps_retry_after(r2r_server: FakeR2RServer, r2r_client: R2RClient) -> None:
    r2r_server.fail_next("rate_limit_429", seconds=0.2)
    started = time.monotonic()
    r2r_client.retrieval.rag(QUESTION)
    assert time.monotonic() - started >= 0.2  # a lower bound: no machine is too fast for it


def test_drop_mid_stream_raises_with_the_partial_text(
    r2r_server: FakeR2RServer, r2r_client: R2RClient
) -> None:
    r2r_server.fail_next("drop_mid_stream", after_events=4)  # search_results + 3 deltas
    received: list[str] = []
    with pytest.raises(StreamDisconnectedError) as info, stream_of(r2r_client) as stream:
        received.extend(stream.text_stream())
    assert received
    assert info.value.text == "".join(received)
    assert info.value.text.startswith(ANSWER_PREFIX)
    assert [e.event for e in info.value.events] == ["search_results"]
    assert isinstance(info.value, APIConnectionError)


def test_connection_closed_before_an_answer_is_retried(
    r2r_server: FakeR2RServer, r2r_client: R2RClient, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("drop_mid_stream")  # on a JSON request: closed without an answer
    assert r2r_client.retrieval.rag(QUESTION)
    assert len(sleeps.delays) == 1
    r2r_server.fail_next("drop_mid_stream", count=3)
    with pytest.raises(APIConnectionError):
        r2r_client.retrieval.rag(QUESTION)


def test_html_502_is_an_internal_server_error_with_an_excerpt(
    r2r_server: FakeR2RServer, r2r_client: R2RClient, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("html_502", count=3)
    with pytest.raises(InternalServerError) as info:
        r2r_client.retrieval.rag(QUESTION)
    error = info.value
    assert error.status_code == 502
    assert "502 Bad Gateway" in error.message
    assert "<" not in error.message
    assert isinstance(error.body, str)  # no JSON error body was invented
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("framing", ["exact", "close"])
def test_truncated_json_is_a_typed_error_never_a_hang(
    r2r_server: FakeR2RServer, framing: str, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("truncated_json", count=3, framing=framing)
    with R2RClient(r2r_server.base_url, timeout=3.0) as client, pytest.raises(R2RError) as info:
        client.retrieval.rag(QUESTION)
    assert not isinstance(info.value, APITimeoutError), (
        "the client waited for bytes that never come"
    )
    expected = APIResponseValidationError if framing == "exact" else APIConnectionError
    assert isinstance(info.value, expected)


def test_slow_headers_past_the_read_timeout(r2r_server: FakeR2RServer) -> None:
    r2r_server.fail_next("slow_headers", seconds=1.0)
    with (
        R2RClient(r2r_server.base_url, timeout=0.2, max_retries=0) as client,
        pytest.raises(APITimeoutError),
    ):
        client.retrieval.rag(QUESTION)
    r2r_server.fail_next("slow_headers", seconds=0.1)
    with R2RClient(r2r_server.base_url, timeout=2.0, max_retries=0) as client:
        assert client.retrieval.rag(QUESTION)


def test_silent_end_after_search_is_incomplete(
    r2r_server: FakeR2RServer, r2r_client: R2RClient
) -> None:
    r2r_server.fail_next("silent_end_after_search")
    with pytest.raises(IncompleteStreamError) as info:
        stream_of(r2r_client).final_answer()
    assert info.value.text == ""
    assert [e.event for e in info.value.events] == ["search_results"]


def test_long_streams() -> None:
    with FakeR2RServer(stream_deltas=20_000) as server, R2RClient(server.base_url) as client:
        stream = stream_of(client)
        deltas = sum(1 for event in stream if event.event == "message")
        answer = stream.final_answer()
    assert deltas == 20_000
    assert answer.generated_answer == stream.text


# -- faults, async -----------------------------------------------------------------------------


def test_async_503_retry_and_429(r2r_server: FakeR2RServer, sleeps: Sleeps) -> None:
    r2r_server.fail_next("status_503")
    r2r_server.fail_next("rate_limit_429", seconds=2)

    async def body(client: AsyncR2RClient) -> str:
        rag = await client.retrieval.rag(QUESTION)
        assert not isinstance(rag, AsyncRAGStream)
        return rag.results.generated_answer

    assert with_async_client(r2r_server, body).startswith(ANSWER_PREFIX)
    assert len(sleeps.delays) == 2
    assert sleeps.delays[1] == 2.0


def test_async_stream_faults(r2r_server: FakeR2RServer) -> None:
    async def body(client: AsyncR2RClient) -> None:
        async with await astream_of(client) as stream:
            text = [t async for t in stream.text_stream()]
        assert "".join(text).startswith(ANSWER_PREFIX)

        r2r_server.fail_next("drop_mid_stream", after_events=3)
        stream = await astream_of(client)
        with pytest.raises(StreamDisconnectedError) as info:
            await stream.final_answer()
        assert info.value.text
        assert [e.event for e in info.value.events] == ["search_results"]

        r2r_server.fail_next("silent_end_after_search")
        with pytest.raises(IncompleteStreamError):
            await (await astream_of(client)).final_answer()

    with_async_client(r2r_server, body)


def test_async_html_truncated_and_timeout(r2r_server: FakeR2RServer, sleeps: Sleeps) -> None:
    async def body(client: AsyncR2RClient) -> None:
        r2r_server.fail_next("html_502", count=3)
        with pytest.raises(InternalServerError, match="502 Bad Gateway"):
            await client.retrieval.rag(QUESTION)
        r2r_server.fail_next("truncated_json")
        with pytest.raises(APIResponseValidationError):
            await client.retrieval.rag(QUESTION)
        r2r_server.fail_next("slow_headers", seconds=1.0)
        with pytest.raises(APITimeoutError):
            await client.retrieval.rag(QUESTION, timeout=0.2, max_retries=0)

    with_async_client(r2r_server, body)


# -- no connection left behind -----------------------------------------------------------------


def busy_connections(client: R2RClient) -> list[Any]:
    """Connections of the client's httpcore pool that are not idle (mid-request or leaked)."""
    pool = connection_pool(client._http)
    return [c for c in pool.connections if not c.is_idle() and not c.is_closed()]


def test_a_thousand_streams_leave_no_connection_behind(r2r_server: FakeR2RServer) -> None:
    outcomes: dict[str, int] = {}

    def note(kind: str) -> None:
        outcomes[kind] = outcomes.get(kind, 0) + 1

    with R2RClient(r2r_server.base_url, timeout=5.0, max_retries=0) as client:
        for i in range(1000):
            mode = i % 6
            if mode == 0:  # read to the end
                stream_of(client).final_answer()
                note("read")
            elif mode == 1:  # `break` inside `with`
                with stream_of(client) as stream:
                    for _ in stream:
                        break
                note("break")
            elif mode == 2:  # a few events, then close()
                stream = stream_of(client)
                next(iter(stream))
                next(iter(stream))
                stream.close()
                note("close")
            elif mode == 3:  # cut by the server
                r2r_server.fail_next("drop_mid_stream", after_events=2)
                with pytest.raises(StreamDisconnectedError), stream_of(client) as stream:
                    stream.final_answer()
                note("dropped")
            elif mode == 4:  # ends without an answer
                r2r_server.fail_next("silent_end_after_search")
                with pytest.raises(IncompleteStreamError):
                    stream_of(client).final_answer()
                note("incomplete")
            else:  # refused before streaming
                r2r_server.fail_next("status_503")
                with pytest.raises(InternalServerError):
                    stream_of(client)
                note("503")
            if i % 100 == 99:
                assert busy_connections(client) == []
        assert busy_connections(client) == []
        pool = connection_pool(client._http)
        assert len(pool.connections) <= 20  # at most the keep-alive limit stays open
        assert r2r_server.wait_until(open_connections=len(pool.connections))
    assert r2r_server.wait_until(open_connections=0), "the server still has open sockets"
    assert outcomes == {"read": 167, "break": 167, "close": 167, "dropped": 167,
                        "incomplete": 166, "503": 166}  # fmt: skip
    assert r2r_server.errors == []


def test_hundreds_of_async_streams_leave_no_connection_behind(r2r_server: FakeR2RServer) -> None:
    async def body(client: AsyncR2RClient) -> int:
        for i in range(300):
            stream = await astream_of(client)
            if i % 3 == 0:
                await stream.final_answer()
            elif i % 3 == 1:
                async with stream:
                    async for _ in stream:
                        break
            else:
                await anext(stream)
                await stream.close()
        transport = client._http._transport
        assert isinstance(transport, httpx.AsyncHTTPTransport)
        return len(
            [c for c in transport._pool.connections if not c.is_idle() and not c.is_closed()]
        )

    assert with_async_client(r2r_server, body, max_retries=0) == 0
    assert r2r_server.wait_until(open_connections=0)

"""The clients against the fake server over real HTTP: every fault handled as promised.

Promises checked, for R2RClient and AsyncR2RClient alike (the pytest plugin's fixtures with
the sync one): the three calls work over a real socket; the API key goes in the header asked
for and a wrong one is an AuthenticationError; a 503 or a connection closed before an answer
is retried, a 429 waits for its Retry-After (really, once); an HTML 502 is an
InternalServerError with a readable excerpt; a truncated JSON body is a typed error, never a
hang; headers slower than the read timeout are an APITimeoutError; a stream cut mid-way raises
StreamDisconnectedError with the text so far, one that ends after its search results is
incomplete, one whose client is closed raises ClientClosedError; 20,000 deltas arrive whole.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from _helpers import KINDS, MODEL, Sleeps
from _stream_helpers import QUESTION, Driver

from r2r_client import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    ClientClosedError,
    IncompleteStreamError,
    InternalServerError,
    NotFoundError,
    R2RClient,
    RAGStream,
    RateLimitError,
    StreamDisconnectedError,
)
from r2r_client.testing import ANSWER_PREFIX, FakeR2RServer

pytest_plugins = ["r2r_client.testing.pytest_plugin"]
pytestmark = pytest.mark.loopback

HI = [{"role": "user", "content": "hi"}]


@pytest.fixture(params=KINDS)
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    with Driver(request.param) as kind:
        yield kind


@pytest.fixture
def client(driver: Driver, r2r_server: FakeR2RServer) -> Any:
    """A client of the driver's kind bound to the fake server (closed after the test)."""
    return driver.client(r2r_server.base_url, timeout=10.0)


# -- the happy path through the plugin's fixtures ---------------------------------------------


def test_the_plugin_fixtures_serve_the_three_calls(
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

    with r2r_client.retrieval.rag(QUESTION, stream=True) as stream:
        deltas = list(stream.text_stream())
    answer = stream.final_answer()
    assert "".join(deltas) == answer.generated_answer == rag.results.generated_answer
    assert [c.id for c in answer.citations] == [c.id for c in rag.results.citations]

    doc_id = r2r_server.document_ids[0]
    doc = r2r_client.documents.replace_metadata(doc_id, metadata=[{"a": 1}, {"a": 2, "b": 3}])
    assert doc.results.metadata.to_dict() == {"a": 2, "b": 3}
    with pytest.raises(NotFoundError):
        r2r_client.documents.replace_metadata("00000000-0000-4000-8000-000000000000", [])


def test_the_api_key_is_sent_in_the_header_asked_for_and_checked(driver: Driver) -> None:
    with FakeR2RServer(api_key="k1") as server:
        driver.run(driver.client(server.base_url, api_key="k1").retrieval.rag(QUESTION))
        assert server.requests[-1].headers["authorization"] == "Bearer k1"
        client = driver.client(server.base_url, api_key="k1", auth_header="x-api-key")
        driver.run(client.retrieval.rag(QUESTION))
        assert server.requests[-1].headers["x-api-key"] == "k1"
        assert "authorization" not in server.requests[-1].headers
        wrong = driver.client(server.base_url, api_key="wrong")
        with pytest.raises(AuthenticationError) as info:
            driver.run(wrong.retrieval.rag(QUESTION))
        assert info.value.status_code == 401
        assert info.value.message.startswith("Invalid token or API key")
        assert "wrong" not in str(info.value)


# -- faults -----------------------------------------------------------------------------------


def test_a_503_is_retried_then_succeeds(
    driver: Driver, r2r_server: FakeR2RServer, client: Any, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("status_503")
    result = driver.run(client.retrieval.rag(QUESTION))
    assert result.results.generated_answer.startswith(ANSWER_PREFIX)
    assert len(r2r_server.requests) == 2
    assert len(sleeps.delays) == 1
    assert 0.375 <= sleeps.delays[0] <= 0.5  # the first backoff, jittered down by 25% at most


def test_a_stream_refused_with_a_503_is_retried_before_it_starts(
    driver: Driver, r2r_server: FakeR2RServer, client: Any, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("status_503", retry_after=1)
    stream = driver.stream(client)
    assert driver.final_answer(stream).generated_answer.startswith(ANSWER_PREFIX)
    assert sleeps.delays == [1.0]  # the server's Retry-After
    assert len(r2r_server.requests) == 2


def test_a_429_waits_for_its_retry_after(
    driver: Driver, r2r_server: FakeR2RServer, client: Any, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("rate_limit_429", seconds=3)
    result = driver.run(client.retrieval.completion(messages=HI, generation_config=MODEL))
    assert result.results.choices[0].message.content == f"{ANSWER_PREFIX}. You asked: hi"
    assert sleeps.delays == [3.0]
    assert len(r2r_server.requests) == 2


def test_a_429_is_not_retried_without_retries(
    driver: Driver, r2r_server: FakeR2RServer, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("rate_limit_429", seconds=0)
    client = driver.client(r2r_server.base_url, max_retries=0)
    with pytest.raises(RateLimitError) as info:
        driver.run(client.retrieval.completion(messages=HI, generation_config=MODEL))
    assert info.value.status_code == 429
    assert info.value.message == (
        "Rate limit exceeded: too many requests, retry later.; not retried (max_retries=0)"
    )
    assert info.value.retry_after == 0.0
    assert sleeps.delays == []
    assert len(r2r_server.requests) == 1


def test_a_429_really_sleeps_its_retry_after(
    r2r_server: FakeR2RServer, r2r_client: R2RClient
) -> None:
    r2r_server.fail_next("rate_limit_429", seconds=0.2)
    started = time.monotonic()
    r2r_client.retrieval.rag(QUESTION)
    assert time.monotonic() - started >= 0.2  # a lower bound: no machine is too fast for it


def test_a_connection_closed_before_an_answer_is_retried(
    driver: Driver, r2r_server: FakeR2RServer, client: Any, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("drop_mid_stream")  # on a JSON request: closed without an answer
    assert driver.run(client.retrieval.rag(QUESTION)).results.generated_answer
    assert len(sleeps.delays) == 1
    r2r_server.fail_next("drop_mid_stream", count=3)
    with pytest.raises(APIConnectionError) as info:
        driver.run(client.retrieval.rag(QUESTION))
    assert str(info.value).startswith("Connection error: ")
    assert len(sleeps.delays) == 3  # one more try per retry (max_retries=2)


def test_an_html_502_is_an_internal_server_error_with_an_excerpt(
    driver: Driver, r2r_server: FakeR2RServer, client: Any, sleeps: Sleeps
) -> None:
    r2r_server.fail_next("html_502", count=3)
    with pytest.raises(InternalServerError) as info:
        driver.run(client.retrieval.rag(QUESTION))
    error = info.value
    assert error.status_code == 502
    assert error.message == "502 Bad Gateway 502 Bad Gateway nginx"
    assert isinstance(error.body, str)  # no JSON error body was invented
    assert error.body.startswith("<html>")
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize(
    ("framing", "expected"),
    [("exact", APIResponseValidationError), ("close", APIConnectionError)],
)
def test_a_truncated_json_body_is_a_typed_error_never_a_hang(
    driver: Driver,
    r2r_server: FakeR2RServer,
    framing: str,
    expected: type[Exception],
    sleeps: Sleeps,
) -> None:
    r2r_server.fail_next("truncated_json", count=3, framing=framing)
    client = driver.client(r2r_server.base_url, timeout=3.0)
    with pytest.raises(expected) as info:
        driver.run(client.retrieval.rag(QUESTION))
    assert not isinstance(info.value, APITimeoutError), "the client waited for bytes never sent"


def test_headers_slower_than_the_read_timeout(driver: Driver, r2r_server: FakeR2RServer) -> None:
    r2r_server.fail_next("slow_headers", seconds=1.0)
    impatient = driver.client(r2r_server.base_url, timeout=0.2, max_retries=0)
    with pytest.raises(APITimeoutError) as info:
        driver.run(impatient.retrieval.rag(QUESTION))
    assert str(info.value) == "Request timed out."
    r2r_server.fail_next("slow_headers", seconds=0.1)
    patient = driver.client(r2r_server.base_url, timeout=2.0, max_retries=0)
    assert driver.run(patient.retrieval.rag(QUESTION)).results.generated_answer


# -- streams over real HTTP ----------------------------------------------------------------------


def read_until_it_fails(driver: Driver, stream: Any, texts: list[str]) -> None:
    """Read event after event, noting each one's text ("" for events without), until one
    raises."""
    while True:
        texts.append(getattr(driver.next(stream), "text", ""))


def test_a_stream_cut_mid_way_raises_with_the_text_so_far(
    driver: Driver, r2r_server: FakeR2RServer, client: Any
) -> None:
    r2r_server.fail_next("drop_mid_stream", after_events=4)  # search_results + 3 deltas
    stream = driver.stream(client)
    received: list[str] = []
    with pytest.raises(StreamDisconnectedError) as info:
        read_until_it_fails(driver, stream, received)
    error = info.value
    assert isinstance(error, APIConnectionError)
    assert len(received) == 4
    assert error.text == "".join(received)
    assert error.text.startswith(ANSWER_PREFIX)
    assert [e.event for e in error.events] == ["search_results"]
    assert str(error).startswith("the connection broke mid-stream: ")
    with pytest.raises(IncompleteStreamError, match="the connection broke"):
        driver.final_answer(stream)


def test_a_stream_that_ends_after_its_search_results_is_incomplete(
    driver: Driver, r2r_server: FakeR2RServer, client: Any
) -> None:
    r2r_server.fail_next("silent_end_after_search")
    with pytest.raises(IncompleteStreamError) as info:
        driver.final_answer(driver.stream(client))
    assert info.value.text == ""
    assert [e.event for e in info.value.events] == ["search_results"]
    assert str(info.value) == (
        "the stream ended before its final answer (1 events, 0 characters received): "
        "R2R ends a stream like this when its LLM "
        "fails after the search, and the same request may succeed when sent again; "
        "the answer is incomplete"
    )


def test_a_stream_read_after_its_client_was_closed(driver: Driver) -> None:
    with FakeR2RServer(stream_pause=0.5) as server:  # the rest comes after the close
        client = driver.client(server.base_url)
        stream = driver.stream(client)
        assert driver.next(stream).event == "search_results"
        driver.run(client.close())
        with pytest.raises(ClientClosedError) as info:
            driver.final_answer(stream)
    assert str(info.value) == (
        "the client was closed while this stream was being read: read streams to their end "
        "(or close them) before closing their client"
    )


def test_twenty_thousand_deltas_arrive_whole(driver: Driver) -> None:
    with FakeR2RServer(stream_deltas=20_000) as server:
        stream = driver.stream(driver.client(server.base_url))
        deltas = sum(1 for event in driver.events(stream) if event.event == "message")
        answer = driver.final_answer(stream)
    assert deltas == 20_000
    assert answer.generated_answer == stream.text
    assert len(stream.text.split()) >= 20_000

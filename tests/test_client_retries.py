"""Retries: which failures, how many times, how long to wait, and never mid-stream."""

from __future__ import annotations

import email.utils
import itertools
import logging
import random
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, DOC_ID, KINDS, Sleeps, call, fixture_response, load_fixture
from hypothesis import given
from hypothesis import strategies as st

from r2r_client import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    R2RClient,
    RateLimitError,
    StreamDisconnectedError,
    UnprocessableEntityError,
)
from r2r_client import _retry as retry

MESSAGES = [{"role": "user", "content": "hi"}]
COMPLETION = "/v3/retrieval/completion"


def completion_with(
    kind: str, responses: list[Any], **client_kwargs: Any
) -> tuple[Any, respx.Route]:
    """Call completion against a server answering `responses` in order.

    Returns (result or raised exception, route).
    """
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(side_effect=responses)
        try:
            result = call(kind, lambda c: c.retrieval.completion(MESSAGES), **client_kwargs)
        except Exception as exc:
            result = exc
    return result, route


def ok() -> httpx.Response:
    return fixture_response("04-completion")


@pytest.mark.parametrize("kind", KINDS)
def test_503_then_200_retries_once(kind: str, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.Response(503), ok()])
    assert result.results.choices[0].message.content.startswith("FAKE-LLM")
    assert route.call_count == 2
    assert len(sleeps.delays) == 1
    assert 0.375 <= sleeps.delays[0] <= 0.5


class _BrokenBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An error body whose connection breaks while it is being read."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"detail": "Serv'
        raise httpx.ReadError("connection reset")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"detail": "Serv'
        raise httpx.ReadError("connection reset")


@pytest.mark.parametrize("kind", KINDS)
def test_error_body_that_breaks_while_read_is_retried(kind: str, sleeps: Sleeps) -> None:
    broken = httpx.Response(503, stream=_BrokenBody())
    result, route = completion_with(kind, [broken, ok()])
    assert result.results.choices[0].message.content.startswith("FAKE-LLM")
    assert route.call_count == 2
    assert len(sleeps.delays) == 1


def test_stream_error_body_that_breaks_while_read_is_retried(sleeps: Sleeps) -> None:
    status, headers, body = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            side_effect=[
                httpx.Response(503, stream=_BrokenBody()),
                httpx.Response(status, headers=headers, content=body),
            ]
        )
        with R2RClient(BASE) as client, client.retrieval.rag("q", stream=True) as stream:
            answer = stream.final_answer()
    assert answer.generated_answer.startswith("FAKE-LLM")
    assert route.call_count == 2
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_500_three_times_gives_up(kind: str, sleeps: Sleeps) -> None:
    responses = [fixture_response("05b-completion-no-model") for _ in range(3)]
    result, route = completion_with(kind, responses, max_retries=2)
    assert isinstance(result, InternalServerError)
    assert result.status_code == 500
    assert result.message.startswith("An error")
    assert route.call_count == 3
    assert len(sleeps.delays) == 2
    assert sleeps.delays[1] > sleeps.delays[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses(kind: str, status: int, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.Response(status), ok()])
    assert not isinstance(result, Exception)
    assert route.call_count == 2


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_seconds(kind: str, sleeps: Sleeps) -> None:
    first = httpx.Response(429, headers={"Retry-After": "3"}, json={"message": "slow down"})
    result, _route = completion_with(kind, [first, ok()])
    assert not isinstance(result, Exception)
    assert sleeps.delays == [3.0]


def test_429_exhausted_is_rate_limit_error(sleeps: Sleeps) -> None:
    responses = [httpx.Response(429, headers={"Retry-After": "1"}, json={"message": "slow"})] * 2
    result, _route = completion_with("sync", responses, max_retries=1)
    assert isinstance(result, RateLimitError)
    assert result.message == "slow"
    assert sleeps.delays == [1.0]


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_http_date(kind: str, sleeps: Sleeps) -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    result, _ = completion_with(kind, [httpx.Response(503, headers={"Retry-After": when}), ok()])
    assert not isinstance(result, Exception)
    assert len(sleeps.delays) == 1
    assert 8.5 <= sleeps.delays[0] <= 10.0


def test_retry_after_date_in_the_past_is_zero(sleeps: Sleeps) -> None:
    when = email.utils.formatdate(time.time() - 100, usegmt=True)
    completion_with("sync", [httpx.Response(503, headers={"Retry-After": when}), ok()])
    assert sleeps.delays == [0.0]


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_ms(kind: str, sleeps: Sleeps) -> None:
    headers = {"retry-after-ms": "1500", "Retry-After": "9"}
    completion_with(kind, [httpx.Response(429, headers=headers), ok()])
    assert sleeps.delays == [1.5]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", ["120", "61", "-5", "soon", ""])
def test_unusable_retry_after_falls_back_to_backoff(kind: str, value: str, sleeps: Sleeps) -> None:
    completion_with(kind, [httpx.Response(503, headers={"Retry-After": value}), ok()])
    assert len(sleeps.delays) == 1
    assert 0.375 <= sleeps.delays[0] <= 0.5


def test_retry_after_sixty_is_honoured(sleeps: Sleeps) -> None:
    completion_with("sync", [httpx.Response(503, headers={"Retry-After": "60"}), ok()])
    assert sleeps.delays == [60.0]


@pytest.mark.parametrize("rand", [0.0, 0.5, 0.999999])
def test_backoff_grows_and_is_capped(monkeypatch: pytest.MonkeyPatch, rand: float) -> None:
    monkeypatch.setattr(random, "random", lambda: rand)  # the jitter retry_delay draws
    delays = [retry.retry_delay(attempt) for attempt in range(11)]
    assert all(b >= a for a, b in itertools.pairwise(delays))
    assert delays[1] > delays[0]
    assert delays[4] > delays[3]
    assert all(0 < d <= 8.0 for d in delays)
    assert delays[10] == pytest.approx(8.0 * (1 - 0.25 * rand))
    assert delays[0] == pytest.approx(0.5 * (1 - 0.25 * rand))


@given(st.integers(min_value=0, max_value=10))
def test_backoff_bounds(attempt: int) -> None:
    delay = retry.retry_delay(attempt, httpx.Headers())
    cap = min(0.5 * 2**attempt, 8.0)
    assert 0.75 * cap <= delay <= cap <= 8.0


def test_backoff_without_jitter_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(random, "random", lambda: 0.0)
    assert [retry.retry_delay(a) for a in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_server_retry_after_parsing() -> None:
    assert retry.server_retry_after(httpx.Headers({"retry-after": "2.5"})) == 2.5
    assert retry.server_retry_after(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert retry.server_retry_after(httpx.Headers({"retry-after-ms": "x", "retry-after": "4"})) == 4
    assert retry.server_retry_after(httpx.Headers({"retry-after": "whenever"})) is None
    assert retry.server_retry_after(httpx.Headers()) is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
    ],
)
def test_client_errors_never_retried(kind: str, status: int, cls: type, sleeps: Sleeps) -> None:
    first = httpx.Response(status, headers={"Retry-After": "1"}, json={"message": "no"})
    result, route = completion_with(kind, [first, ok()], max_retries=5)
    assert type(result) is cls
    assert route.call_count == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("kind", KINDS)
def test_connection_errors_retried_then_raised(kind: str, sleeps: Sleeps) -> None:
    errors = [httpx.ConnectError("refused") for _ in range(3)]
    result, route = completion_with(kind, errors, max_retries=2)
    assert type(result) is APIConnectionError
    assert "refused" in result.message
    assert isinstance(result.__cause__, httpx.ConnectError)
    assert result.request.url.path == "/api/r2r/v3/retrieval/completion"
    assert route.call_count == 3
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_connection_error_then_success(kind: str, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.RemoteProtocolError("reset"), ok()])
    assert not isinstance(result, Exception)
    assert route.call_count == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_timeouts_retried_then_api_timeout_error(kind: str, exc: type, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [exc("slow") for _ in range(3)], max_retries=2)
    assert type(result) is APITimeoutError
    assert isinstance(result, APIConnectionError)
    assert route.call_count == 3
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_max_retries_zero(kind: str, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.Response(503), ok()], max_retries=0)
    assert isinstance(result, InternalServerError)
    assert route.call_count == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("per_call", [0, 1, 4])
def test_per_call_max_retries(kind: str, per_call: int, sleeps: Sleeps) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(return_value=httpx.Response(503))
        with pytest.raises(InternalServerError):
            call(
                kind,
                lambda c: c.retrieval.completion(MESSAGES, max_retries=per_call),
                max_retries=2,
            )
    assert route.call_count == per_call + 1
    assert len(sleeps.delays) == per_call


@pytest.mark.parametrize("kind", KINDS)
def test_with_options_max_retries(kind: str, sleeps: Sleeps) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(return_value=httpx.Response(500))
        with pytest.raises(InternalServerError):
            call(kind, lambda c: c.with_options(max_retries=3).retrieval.completion(MESSAGES))
    assert route.call_count == 4


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_bad_max_retries_rejected(bad: Any) -> None:
    from r2r_client import ConfigurationError

    with pytest.raises(ConfigurationError):
        R2RClient(BASE, max_retries=bad)
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError):
        client.retrieval.completion(MESSAGES, max_retries=bad)
    client.close()


@pytest.mark.parametrize("kind", KINDS)
def test_every_retried_call_is_retried(kind: str, sleeps: Sleeps) -> None:
    status, headers, body = load_fixture("06-rag")
    meta_status, meta_headers, meta_body = load_fixture("02-put-metadata")
    with respx.mock(base_url=BASE) as router:
        rag = router.post("/v3/retrieval/rag").mock(
            side_effect=[httpx.Response(502), httpx.Response(status, headers=headers, content=body)]
        )
        meta = router.put(f"/v3/documents/{DOC_ID}/metadata").mock(
            side_effect=[
                httpx.Response(503),
                httpx.Response(meta_status, headers=meta_headers, content=meta_body),
            ]
        )
        call(kind, lambda c: c.retrieval.rag("q"))
        call(kind, lambda c: c.documents.replace_metadata(DOC_ID, [{}]))
    assert rag.call_count == 2
    assert meta.call_count == 2


def test_retries_resend_the_same_body(sleeps: Sleeps) -> None:
    _, route = completion_with("sync", [httpx.Response(503), httpx.Response(503), ok()])
    bodies = {c.request.content for c in route.calls}
    assert len(route.calls) == 3
    assert len(bodies) == 1


# -- failed responses are closed before the client sleeps -------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_failed_responses_closed_before_sleeping(
    kind: str, sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[httpx.Response] = []
    if kind == "sync":
        original = httpx.Client.send

        def send(self: Any, request: httpx.Request, **kwargs: Any) -> httpx.Response:
            response = original(self, request, **kwargs)
            seen.append(response)
            return response

        monkeypatch.setattr(httpx.Client, "send", send)
    else:
        original_async = httpx.AsyncClient.send

        async def asend(self: Any, request: httpx.Request, **kwargs: Any) -> httpx.Response:
            response = await original_async(self, request, **kwargs)
            seen.append(response)
            return response

        monkeypatch.setattr(httpx.AsyncClient, "send", asend)

    def all_closed() -> None:
        assert seen
        assert all(r.is_closed for r in seen)

    sleeps.on_sleep.append(all_closed)
    result, _route = completion_with(
        kind, [httpx.Response(503, content=b"x" * 1000), httpx.Response(500), ok()]
    )
    assert not isinstance(result, Exception)
    assert len(sleeps.delays) == 2
    assert len(seen) == 3
    assert all(r.is_closed for r in seen)


def test_failed_stream_responses_closed_before_sleeping(
    sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[httpx.Response] = []
    original = httpx.Client.send

    def send(self: Any, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        response = original(self, request, **kwargs)
        seen.append(response)
        return response

    monkeypatch.setattr(httpx.Client, "send", send)
    sleeps.on_sleep.append(lambda: all(r.is_closed for r in seen) or pytest.fail("open"))
    status, headers, body = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            side_effect=[
                httpx.Response(503, stream=Chunks([b"busy"] * 3)),
                httpx.Response(status, headers=headers, content=body),
            ]
        )
        with R2RClient(BASE) as client:
            answer = client.retrieval.rag("q", stream=True).final_answer()
    assert answer.generated_answer.startswith("FAKE-LLM")
    assert route.call_count == 2
    assert len(sleeps.delays) == 1
    assert all(r.is_closed for r in seen)


# -- streams ----------------------------------------------------------------------------------


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Yields the chunks, then (optionally) breaks like a dropped connection."""

    def __init__(self, chunks: list[bytes], fail: bool = False) -> None:
        self.chunks, self.fail = chunks, fail

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.fail:
            raise httpx.ReadError("connection dropped")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.fail:
            raise httpx.ReadError("connection dropped")


def first_event_bytes() -> bytes:
    body = load_fixture("07-rag-stream")[2]
    return body.split(b"\n\n", 1)[0] + b"\n\n"


@pytest.mark.parametrize("kind", KINDS)
def test_stream_not_retried_after_first_event(kind: str, sleeps: Sleeps) -> None:
    status, headers, body = load_fixture("07-rag-stream")
    delivered: list[Any] = []

    def consume(c: Any) -> Any:
        if kind == "sync":
            for event in c.retrieval.rag("q", stream=True):
                delivered.append(event)
            return None

        async def go() -> None:
            stream = await c.retrieval.rag("q", stream=True)
            async for event in stream:
                delivered.append(event)

        return go()

    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            side_effect=[
                httpx.Response(200, headers=headers, stream=Chunks([first_event_bytes()], True)),
                httpx.Response(status, headers=headers, content=body),
            ]
        )
        with pytest.raises(StreamDisconnectedError) as info:
            call(kind, consume, max_retries=3)
    assert route.call_count == 1
    assert sleeps.delays == []
    assert len(delivered) == 1
    assert delivered[0].event == "search_results"
    assert [e.event for e in info.value.events] == ["search_results"]
    assert info.value.text == ""
    assert isinstance(info.value, APIConnectionError)


@pytest.mark.parametrize("kind", KINDS)
def test_stream_retried_before_any_event(kind: str, sleeps: Sleeps) -> None:
    status, headers, body = load_fixture("07-rag-stream")

    def consume(c: Any) -> Any:
        if kind == "sync":
            return c.retrieval.rag("q", stream=True).final_answer()

        async def go() -> Any:
            stream = await c.retrieval.rag("q", stream=True)
            return await stream.final_answer()

        return go()

    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            side_effect=[
                httpx.ConnectError("refused"),
                httpx.Response(503),
                httpx.Response(status, headers=headers, content=body),
            ]
        )
        answer = call(kind, consume)
    assert route.call_count == 3
    assert len(sleeps.delays) == 2
    assert answer.generated_answer.startswith("FAKE-LLM deterministic answer")


def test_retry_is_logged(sleeps: Sleeps, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="r2r_client")
    completion_with("sync", [httpx.Response(503), ok()])
    messages = [r.getMessage() for r in caplog.records if r.name == "r2r_client"]
    assert any("Retrying POST /api/r2r/v3/retrieval/completion" in m for m in messages)
    assert any("status 503" in m for m in messages)

"""Retries: what can succeed is retried, what always fails is not, and the error says which.

The promises (docs: wrapper/r2r_client/_retry.py):
- connection errors, timeouts, 408, 502, 503, 504 and R2R 500s of a transient cause (its LLM
  provider unreachable or overloaded) are retried with jittered exponential backoff, at most
  `max_retries` times, after the server's Retry-After (up to a minute) when it gives one;
- R2R 500s that are server bugs for this request (`error_type` AttributeError, KeyError, ...),
  other 4xx, 501 and a monthly quota (QuotaExceededError) are never retried, and their message
  says why;
- a per-minute 429 is waited out on a schedule that can succeed against R2R's sliding one-minute
  window, within `rate_limit_wait` (client, with_options, per call; 0 raises at once); a
  Retry-After longer than what is left raises at once, keeping `retry_after`;
- a stream is never retried once an event was delivered; failed responses are closed before
  the client sleeps.
Waits are recorded, not slept (the `sleeps` fixture).
"""

from __future__ import annotations

import email.utils
import logging
import time
import types
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, MODEL, Sleeps, call, fixture_json, fixture_response, load_fixture

import r2r_client._async_client as async_client_module
import r2r_client._client as client_module
from r2r_client import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    QuotaExceededError,
    R2RClient,
    RateLimitError,
    StreamDisconnectedError,
    UnprocessableEntityError,
)
from r2r_client.params import MessageParam
from r2r_client.testing import FakeClock, FakeR2RServer, FakeUser, Limits

MESSAGES: list[MessageParam] = [{"role": "user", "content": "hi"}]
COMPLETION = "/v3/retrieval/completion"
ROUTE_LIMIT = {"detail": "Per-route per-minute rate limit exceeded"}
GLOBAL_LIMIT = {"detail": "Global per-minute rate limit exceeded"}
MONTHLY_LIMIT = {"detail": "Monthly rate limit exceeded"}


def completion_with(
    kind: str, responses: list[Any], *, call_kwargs: dict[str, Any] | None = None, **client: Any
) -> tuple[Any, respx.Route]:
    """Call completion against a server answering `responses` in order.

    Returns (the result, or the exception raised; the route).
    """
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(side_effect=responses)
        try:
            result = call(
                kind,
                lambda c: c.retrieval.completion(MESSAGES, MODEL, **(call_kwargs or {})),
                **client,
            )
        except Exception as exc:
            result = exc
    return result, route


def ok() -> httpx.Response:
    return fixture_response("04-completion")


def r2r_500(error_type: str, error: str = "boom") -> httpx.Response:
    """R2R's body for an unexpected failure (core/main/api/v3/base_router.py)."""
    message = f"An error '{error}' occurred during completion"
    detail = {"message": message, "error": error, "error_type": error_type}
    return httpx.Response(500, json={"detail": detail})


# -- transient failures ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_503_then_a_200_is_retried_once_after_a_short_backoff(kind: str, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.Response(503), ok()])
    assert result.results.choices[0].message.content.startswith("FAKE-LLM")
    assert route.call_count == 2
    assert len(sleeps.delays) == 1
    assert 0.375 <= sleeps.delays[0] <= 0.5


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [408, 502, 503, 504])
def test_transient_statuses_are_retried(kind: str, status: int, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.Response(status), ok()])
    assert not isinstance(result, Exception)
    assert route.call_count == 2


@pytest.mark.parametrize("kind", KINDS)
def test_backoff_doubles_with_jitter_and_gives_up_after_max_retries(
    kind: str, sleeps: Sleeps
) -> None:
    responses = [httpx.Response(503, json={"detail": "busy"})] * 6
    result, route = completion_with(kind, responses, max_retries=5)
    assert isinstance(result, InternalServerError)
    assert result.message == "busy"
    assert route.call_count == 6
    caps = [0.5, 1.0, 2.0, 4.0, 8.0]
    assert len(sleeps.delays) == 5
    for delay, cap in zip(sleeps.delays, caps, strict=True):
        assert 0.75 * cap <= delay <= cap


def test_backoff_is_capped_at_eight_seconds(sleeps: Sleeps) -> None:
    completion_with("sync", [httpx.Response(503)] * 9, max_retries=8)
    assert len(sleeps.delays) == 8
    assert all(6.0 <= d <= 8.0 for d in sleeps.delays[4:])


class _BrokenBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An error body whose connection breaks while it is being read."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"detail": "Serv'
        raise httpx.ReadError("connection reset")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"detail": "Serv'
        raise httpx.ReadError("connection reset")


@pytest.mark.parametrize("kind", KINDS)
def test_an_error_body_that_breaks_while_read_is_retried(kind: str, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.Response(503, stream=_BrokenBody()), ok()])
    assert result.results.choices[0].message.content.startswith("FAKE-LLM")
    assert route.call_count == 2


@pytest.mark.parametrize("kind", KINDS)
def test_connection_errors_are_retried_then_raised(kind: str, sleeps: Sleeps) -> None:
    refused = httpx.ConnectError("connection refused")
    result, route = completion_with(kind, [refused] * 3, max_retries=2)
    assert type(result) is APIConnectionError
    assert result.message == "Connection error: connection refused"
    assert route.call_count == 3
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_connection_error_then_success(kind: str, sleeps: Sleeps) -> None:
    result, route = completion_with(kind, [httpx.ConnectError("x"), ok()])
    assert not isinstance(result, Exception)
    assert route.call_count == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_timeouts_are_retried_then_an_api_timeout_error(
    kind: str, exc: type[httpx.TimeoutException], sleeps: Sleeps
) -> None:
    result, route = completion_with(kind, [exc("slow")] * 2, max_retries=1)
    assert type(result) is APITimeoutError
    assert result.message == "Request timed out."
    assert route.call_count == 2


# -- R2R's 500s: a transient cause or a bug ----------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_completion_crash_of_r2r_is_not_retried_and_says_why(kind: str, sleeps: Sleeps) -> None:
    """The real answer of R2R 3.6.6 to a completion without a model (sent with validation off)."""
    result, route = completion_with(
        kind, [fixture_response("05b-completion-no-model"), ok()], max_retries=5
    )
    assert isinstance(result, InternalServerError)
    assert route.call_count == 1
    assert sleeps.delays == []
    assert result.error_type == "AttributeError"
    assert result.body == fixture_json("05b-completion-no-model")
    assert result.message == (
        "An error ''NoneType' object has no attribute 'startswith'' occurred during completion; "
        "R2R failed with AttributeError, which this request meets every time: not retried "
        "(each attempt would count against your quota)"
    )


@pytest.mark.parametrize(
    "error_type",
    ["AttributeError", "KeyError", "TypeError", "ValueError", "IndexError", "UndefinedColumnError",
     "BadRequestError", "AuthenticationError", "NotFoundError", "ContextWindowExceededError",
     "R2RException"],
)  # fmt: skip
def test_500s_that_always_fail_are_not_retried(error_type: str, sleeps: Sleeps) -> None:
    result, route = completion_with("sync", [r2r_500(error_type), ok()], max_retries=5)
    assert isinstance(result, InternalServerError)
    assert route.call_count == 1
    assert result.error_type == error_type
    assert f"R2R failed with {error_type}, which this request meets every time" in result.message


@pytest.mark.parametrize(
    "error_type",
    ["APIConnectionError", "APITimeoutError", "Timeout", "TimeoutError", "RateLimitError",
     "ServiceUnavailableError", "InternalServerError", "APIError", "ConnectError", "ReadTimeout"],
)  # fmt: skip
def test_500s_of_an_llm_provider_outage_are_retried(error_type: str, sleeps: Sleeps) -> None:
    result, route = completion_with("sync", [r2r_500(error_type), ok()])
    assert not isinstance(result, Exception)
    assert route.call_count == 2


@pytest.mark.parametrize(
    "wrapped",
    [
        "500: Internal RAG Error - Error getting embeddings: litellm.ServiceUnavailableError: x",
        "500: Internal RAG Error - Error code: 503 - {'error': {'type': 'server_error'}}",
        "500: Internal RAG Error - Error code: 429 - {'error': {'type': 'rate_limit_error'}}",
        "500: Internal RAG Error - Connection error.",
        "500: Internal RAG Error - Request timed out.",
    ],
)
def test_a_rag_error_wrapped_by_r2r_is_retried_when_its_text_names_an_outage(
    wrapped: str, sleeps: Sleeps
) -> None:
    retried, route = completion_with("sync", [r2r_500("HTTPException", wrapped), ok()])
    assert not isinstance(retried, Exception)
    assert route.call_count == 2


@pytest.mark.parametrize(
    "wrapped",
    [
        "500: Internal RAG Error - '$overlap'",
        "500: Internal RAG Error - Error code: 400 - {'error': {'type': 'invalid_request_error'}}",
        "500: Internal RAG Error - division by zero",
        "502: Server not reachable or returned an invalid response",  # a malformed LLM answer
    ],
)
def test_a_wrapped_rag_error_that_names_no_outage_is_not_retried(
    wrapped: str, sleeps: Sleeps
) -> None:
    final, route = completion_with("sync", [r2r_500("HTTPException", wrapped), ok()])
    assert isinstance(final, InternalServerError)
    assert route.call_count == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("body", "said", "error_type"),
    [
        # a programming error whose text happens to name an outage: the class decides
        ({"detail": {"message": "An error 'litellm.Timeout: x' occurred during completion",
                     "error": "litellm.Timeout: x", "error_type": "KeyError"}},
         "An error 'litellm.Timeout: x' occurred during completion", "KeyError"),
        # an HTTPException without R2R's wrapped text: nothing names an outage
        ({"message": "Internal RAG Error", "error_type": "HTTPException"},
         "Internal RAG Error", "HTTPException"),
        ({"detail": "Internal RAG Error", "error_type": "HTTPException"},
         "Internal RAG Error", "HTTPException"),
    ],
)  # fmt: skip
def test_only_an_http_exception_with_r2rs_wrapped_text_is_judged_by_that_text(
    kind: str, body: dict[str, Any], said: str, error_type: str, sleeps: Sleeps
) -> None:
    final, route = completion_with(kind, [httpx.Response(500, json=body), ok()], max_retries=5)
    assert type(final) is InternalServerError
    assert route.call_count == 1
    assert sleeps.delays == []
    assert final.message == (
        f"{said}; R2R failed with {error_type}, which this request meets every time: not retried "
        "(each attempt would count against your quota)"
    )


def test_a_bare_500_that_is_not_r2rs_own_is_retried(sleeps: Sleeps) -> None:
    plain = httpx.Response(500, text="Internal Server Error")
    result, route = completion_with("sync", [plain, ok()])
    assert not isinstance(result, Exception)
    assert route.call_count == 2


def test_501_is_not_retried(sleeps: Sleeps) -> None:
    result, route = completion_with("sync", [httpx.Response(501), ok()])
    assert isinstance(result, InternalServerError)
    assert route.call_count == 1


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
def test_client_errors_are_never_retried(kind: str, status: int, cls: type, sleeps: Sleeps) -> None:
    first = httpx.Response(status, headers={"Retry-After": "1"}, json={"message": "no"})
    result, route = completion_with(kind, [first, ok()], max_retries=5)
    assert type(result) is cls
    assert route.call_count == 1
    assert sleeps.delays == []


# -- Retry-After --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("headers", "waited"),
    [({"Retry-After": "3"}, 3.0), ({"retry-after-ms": "250"}, 0.25), ({"Retry-After": "60"}, 60.0)],
)
def test_a_retry_after_of_up_to_a_minute_is_waited_for(
    kind: str, headers: dict[str, str], waited: float, sleeps: Sleeps
) -> None:
    result, _ = completion_with(kind, [httpx.Response(503, headers=headers), ok()])
    assert not isinstance(result, Exception)
    assert sleeps.delays == [waited]


def test_a_retry_after_http_date_is_waited_for(sleeps: Sleeps) -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    completion_with("sync", [httpx.Response(503, headers={"Retry-After": when}), ok()])
    assert len(sleeps.delays) == 1
    assert 8.5 <= sleeps.delays[0] <= 10.0


def test_a_retry_after_date_in_the_past_is_no_wait(sleeps: Sleeps) -> None:
    when = email.utils.formatdate(time.time() - 100, usegmt=True)
    completion_with("sync", [httpx.Response(503, headers={"Retry-After": when}), ok()])
    assert sleeps.delays == [0.0]


@pytest.mark.parametrize("value", ["soon", "", "1e400x"])
def test_an_unreadable_retry_after_falls_back_to_backoff(value: str, sleeps: Sleeps) -> None:
    completion_with("sync", [httpx.Response(503, headers={"Retry-After": value}), ok()])
    assert len(sleeps.delays) == 1
    assert 0.375 <= sleeps.delays[0] <= 0.5


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_after_beyond_a_minute_raises_at_once_keeping_it(kind: str, sleeps: Sleeps) -> None:
    slow = httpx.Response(503, headers={"Retry-After": "120"}, json={"detail": "maintenance"})
    result, route = completion_with(kind, [slow, ok()])
    assert isinstance(result, InternalServerError)
    assert route.call_count == 1
    assert sleeps.delays == []
    assert result.retry_after == 120.0
    assert (
        result.message == "maintenance; the server asks to wait 120 s before retrying: not waited"
    )


# -- rate limits and quotas --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("body", "limit"), [(ROUTE_LIMIT, "route_per_min"), (GLOBAL_LIMIT, "global_per_min")]
)
def test_a_per_minute_limit_is_waited_out_on_a_growing_schedule(
    kind: str, body: dict[str, str], limit: str, sleeps: Sleeps
) -> None:
    refused = [httpx.Response(429, json=body)] * 5
    result, route = completion_with(kind, [*refused, ok()], max_retries=1)
    assert not isinstance(result, Exception), "rate-limit waits are not capped by max_retries"
    assert route.call_count == 6
    for delay, step in zip(sleeps.delays, [2.0, 4.0, 8.0, 15.0, 15.0], strict=True):
        assert 0.9 * step <= delay <= step


@pytest.mark.parametrize("kind", KINDS)
def test_a_per_minute_limit_that_outlasts_the_budget_says_so(kind: str, sleeps: Sleeps) -> None:
    refused = [httpx.Response(429, json=ROUTE_LIMIT)] * 20
    result, route = completion_with(kind, refused, rate_limit_wait=30)
    assert type(result) is RateLimitError
    assert result.limit == "route_per_min"
    assert sum(sleeps.delays) == pytest.approx(30.0)
    assert route.call_count == len(sleeps.delays) + 1
    assert result.message == (
        "Per-route per-minute rate limit exceeded: your requests per minute on this route "
        "(route_per_min) ran out; still refused after waiting 30 s (rate_limit_wait=30): slow "
        "down, or ask the service for a higher limit"
    )


def test_the_default_budget_covers_r2rs_one_minute_window(sleeps: Sleeps) -> None:
    refused = [httpx.Response(429, json=ROUTE_LIMIT)] * 20
    result, _ = completion_with("sync", refused)
    assert isinstance(result, RateLimitError)
    assert 61.0 < sum(sleeps.delays) <= 65.0001


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("budget", "waits", "said"),
    [
        (0.5, [0.5], "0.5"),
        (1, [1.0], "1"),  # the first step (2 s) cut to the budget
    ],
)
def test_a_rate_limit_wait_shorter_than_the_first_step_is_one_wait_to_its_end(
    kind: str, budget: float, waits: list[float], said: str, sleeps: Sleeps
) -> None:
    refused = [httpx.Response(429, json=ROUTE_LIMIT)] * 3
    result, route = completion_with(kind, refused, rate_limit_wait=budget)
    assert type(result) is RateLimitError
    assert sleeps.delays == waits
    assert route.call_count == len(waits) + 1
    assert result.message == (
        "Per-route per-minute rate limit exceeded: your requests per minute on this route "
        f"(route_per_min) ran out; still refused after waiting {sum(waits):.0f} s "
        f"(rate_limit_wait={said}): slow down, or ask the service for a higher limit"
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("where", "kwargs"),
    [
        ("client", {"rate_limit_wait": 0}),
        ("call", {"call_kwargs": {"rate_limit_wait": 0}}),
    ],
)
def test_rate_limit_wait_zero_raises_after_one_request(
    kind: str, where: str, kwargs: dict[str, Any], sleeps: Sleeps
) -> None:
    result, route = completion_with(kind, [httpx.Response(429, json=ROUTE_LIMIT), ok()], **kwargs)
    assert type(result) is RateLimitError
    assert route.call_count == 1
    assert sleeps.delays == []
    assert result.limit == "route_per_min"
    assert result.retry_after is None
    assert result.message.endswith(
        "; not retried (rate_limit_wait=0); the limit frees within a minute"
    )


def test_with_options_sets_the_rate_limit_budget(sleeps: Sleeps) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(side_effect=[httpx.Response(429, json=ROUTE_LIMIT)])
        with R2RClient(BASE) as client, pytest.raises(RateLimitError):
            client.with_options(rate_limit_wait=0).retrieval.completion(MESSAGES, MODEL)
    assert route.call_count == 1


def test_max_retries_zero_turns_rate_limit_waits_off_too(sleeps: Sleeps) -> None:
    result, route = completion_with("sync", [httpx.Response(429, json=GLOBAL_LIMIT)], max_retries=0)
    assert isinstance(result, RateLimitError)
    assert result.limit == "global_per_min"
    assert route.call_count == 1
    assert "not retried (max_retries=0)" in result.message


@pytest.mark.parametrize("kind", KINDS)
def test_an_exhausted_monthly_quota_is_never_retried(kind: str, sleeps: Sleeps) -> None:
    result, route = completion_with(
        kind, [httpx.Response(429, json=MONTHLY_LIMIT), ok()], rate_limit_wait=600
    )
    assert type(result) is QuotaExceededError
    assert isinstance(result, RateLimitError)
    assert result.limit == "monthly_limit"
    assert route.call_count == 1
    assert sleeps.delays == []
    assert result.message == (
        "Monthly rate limit exceeded: this route's monthly quota (monthly_limit) is used up; it "
        "frees at the start of the next month (UTC), so it was not retried: ask the service for "
        "a higher limit"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_429_retry_after_within_the_budget_is_waited_for(kind: str, sleeps: Sleeps) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "5"}, json={"detail": "Too many"})
    result, _ = completion_with(kind, [limited, ok()])
    assert not isinstance(result, Exception)
    assert sleeps.delays == [5.0]


@pytest.mark.parametrize("kind", KINDS)
def test_a_429_retry_after_of_all_that_is_left_of_the_budget_is_waited_for(
    kind: str, sleeps: Sleeps
) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "5"}, json={"detail": "Too many"})
    result, route = completion_with(kind, [limited, ok()], rate_limit_wait=5)
    assert not isinstance(result, Exception)
    assert route.call_count == 2
    assert sleeps.delays == [5.0]


@pytest.mark.parametrize("kind", KINDS)
def test_a_429_retry_after_beyond_the_budget_raises_at_once(kind: str, sleeps: Sleeps) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "120"}, json={"detail": "Too many"})
    result, route = completion_with(kind, [limited, ok()])
    assert type(result) is RateLimitError
    assert route.call_count == 1
    assert result.retry_after == 120.0
    assert result.limit is None
    assert result.message == (
        "Too many; the server asks to wait 120 s, more than is left of rate_limit_wait (65 s): "
        "not retried"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_loop_past_a_per_minute_limit_completes_against_the_fake_server(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R2R's sliding window, offline: the fake server's clock moves by each wait of the client."""
    clock = FakeClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    waits: list[float] = []

    def sleep(delay: float) -> None:
        waits.append(delay)
        clock.advance(delay)

    async def async_sleep(delay: float) -> None:
        sleep(delay)

    monkeypatch.setattr(client_module, "time", types.SimpleNamespace(sleep=sleep))
    monkeypatch.setattr(async_client_module, "asyncio", types.SimpleNamespace(sleep=async_sleep))
    user = FakeUser("key-regular", limits=Limits(route_per_min=2))
    with FakeR2RServer(users=[user], clock=clock) as server:
        answers = call(
            kind,
            lambda c: _ask_many(kind, c, 5),
            base_url=server.base_url,
            api_key="key-regular",
        )
        completions = [r for r in server.requests if r.path == COMPLETION]
    assert len(answers) == 5  # limit + 1 = 3 pass in a minute, the 4th waits for the window
    assert 60 < sum(waits) <= 65.0001  # waited for the window to free, no more
    assert len(completions) == 5 + len(waits)  # each wait cost one refused request, no more


def _ask_many(kind: str, client: Any, count: int) -> Any:
    if kind == "sync":
        return [client.retrieval.completion(MESSAGES, MODEL) for _ in range(count)]

    async def ask() -> list[Any]:
        return [await client.retrieval.completion(MESSAGES, MODEL) for _ in range(count)]

    return ask()


# -- max_retries, per call and per client ------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("per_call", [0, 1, 4])
def test_max_retries_per_call_overrides_the_client(
    kind: str, per_call: int, sleeps: Sleeps
) -> None:
    responses = [httpx.Response(503)] * 6
    result, route = completion_with(
        kind, responses, call_kwargs={"max_retries": per_call}, max_retries=2
    )
    assert isinstance(result, InternalServerError)
    assert route.call_count == per_call + 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "failure", [httpx.Response(503), httpx.ConnectError("refused")], ids=["503", "connect"]
)
def test_rate_limit_waits_neither_use_up_max_retries_nor_lengthen_the_backoff(
    kind: str, failure: Any, sleeps: Sleeps
) -> None:
    limited = httpx.Response(429, json=ROUTE_LIMIT)
    result, route = completion_with(kind, [limited, failure, ok()], max_retries=1)
    assert not isinstance(result, Exception)
    assert route.call_count == 3
    rate_limit_wait, backoff = sleeps.delays
    assert 1.8 <= rate_limit_wait <= 2.0
    assert 0.375 <= backoff <= 0.5  # the first retry's backoff


@pytest.mark.parametrize("kind", KINDS)
def test_with_options_sets_max_retries(kind: str, sleeps: Sleeps) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(side_effect=[httpx.Response(503)] * 5)
        with pytest.raises(InternalServerError):
            call(
                kind, lambda c: c.with_options(max_retries=3).retrieval.completion(MESSAGES, MODEL)
            )
    assert route.call_count == 4


def test_a_retry_resends_the_same_bytes(sleeps: Sleeps) -> None:
    _, route = completion_with("sync", [httpx.Response(503), ok()])
    first, second = (c.request for c in route.calls)
    assert first.content == second.content
    assert first.headers == second.headers


# -- what happens to failed responses and streams ----------------------------------------------


class _Closing(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that records whether it was closed (the connection given back)."""

    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"detail": "busy"}'

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"detail": "busy"}'

    def close(self) -> None:
        self.log.append(f"closed {self.name}")

    async def aclose(self) -> None:
        self.log.append(f"closed {self.name}")


@pytest.mark.parametrize("kind", KINDS)
def test_a_failed_response_is_closed_before_the_client_sleeps(kind: str, sleeps: Sleeps) -> None:
    log: list[str] = []
    sleeps.on_sleep.append(lambda: log.append("sleep"))
    failing = [httpx.Response(503, stream=_Closing(log, f"#{i}")) for i in range(2)]
    completion_with(kind, [*failing, ok()])
    assert log == ["closed #0", "sleep", "closed #1", "sleep"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_stream_is_never_retried_once_an_event_arrived(kind: str, sleeps: Sleeps) -> None:
    status, headers, body = load_fixture("07-rag-stream")
    first_event = body.split(b"\n\n", 1)[0] + b"\n\n"

    class Cut(httpx.SyncByteStream, httpx.AsyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield first_event
            raise httpx.ReadError("cut")

        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield first_event
            raise httpx.ReadError("cut")

    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            side_effect=[httpx.Response(status, headers=headers, stream=Cut())]
        )

        def read(client: Any) -> Any:
            if kind == "sync":
                with client.retrieval.rag("q", stream=True) as stream:
                    return [event.event for event in stream]

            async def aread() -> Any:
                stream = await client.retrieval.rag("q", stream=True)
                async with stream:
                    return [event.event async for event in stream]

            return aread()

        with pytest.raises(StreamDisconnectedError) as raised:
            call(kind, read)
    assert route.call_count == 1
    assert sleeps.delays == []
    assert raised.value.events[0].event == "search_results"


@pytest.mark.parametrize("kind", KINDS)
def test_a_stream_refused_before_any_event_is_retried(kind: str, sleeps: Sleeps) -> None:
    status, headers, body = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            side_effect=[
                httpx.Response(503, stream=_BrokenBody()),
                httpx.Response(status, headers=headers, content=body),
            ]
        )

        def answer(client: Any) -> Any:
            if kind == "sync":
                with client.retrieval.rag("q", stream=True) as stream:
                    return stream.final_answer()

            async def aanswer() -> Any:
                stream = await client.retrieval.rag("q", stream=True)
                async with stream:
                    return await stream.final_answer()

            return aanswer()

        result = call(kind, answer)
    assert result.generated_answer.startswith("FAKE-LLM")
    assert route.call_count == 2


def test_each_retry_is_logged_with_its_wait_and_cause(
    sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="r2r_client"):
        completion_with("sync", [httpx.Response(429, json=ROUTE_LIMIT), ok()])
    retry_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Retrying")]
    assert len(retry_lines) == 1
    assert retry_lines[0].startswith("Retrying POST /api/r2r/v3/retrieval/completion in ")
    assert retry_lines[0].endswith(" s (status 429)")
    final = [r.getMessage() for r in caplog.records if " 200 " in r.getMessage()]
    assert len(final) == 1
    assert " retries=1 " in final[0]

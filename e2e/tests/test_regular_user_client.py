"""The client as an io.net customer meets it: a REGULAR user of the auth-required R2R instance.

Each test builds the client with a fresh user's login token (or API key) and asserts what that
user sees: the typed error, its whole message, how many requests went out (an httpx event hook
counts them) and what the server counted against the user's quota. The promises:

- a per-minute limit is waited out within `rate_limit_wait` (the one ~60 s wait of this file);
  with `rate_limit_wait=0` it fails at once, naming the limit;
- a monthly quota fails at once and is never retried;
- what fails every time is not retried: completion without a model is refused before sending,
  and an R2R crash (a regular user's `collection_ids` `$in` filter) is sent once;
- a 401 says how to give this client a key, a 404 on a shared document says why.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from conftest import ANSWER_PREFIX
from regular_users import COMPLETION, RegularUser

from r2r_client import (
    AsyncR2RClient,
    AuthenticationError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    QuotaExceededError,
    R2RClient,
    RateLimitError,
)

NewUser = Callable[..., RegularUser]
MESSAGES = [{"role": "user", "content": "Say hello"}]


class Sent:
    """Counts the requests a client puts on the wire (an httpx request hook)."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> None:
        self.paths.append(request.url.path)

    async def hook(self, request: httpx.Request) -> None:
        self(request)


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
def client_for(cfg: Any, sent: Sent) -> Iterator[Callable[..., R2RClient]]:
    """`client_for(user, **options)`: a sync client acting as the user (its login token)."""
    made: list[R2RClient] = []

    def make(user: RegularUser | None, **options: Any) -> R2RClient:
        http = httpx.Client(timeout=120.0, event_hooks={"request": [sent]})
        token = {"access_token": user.jwt} if user is not None else {}
        client = R2RClient(cfg.auth_base, http_client=http, **token, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def _completion(client: R2RClient, cfg: Any) -> str:
    answer = client.retrieval.completion(messages=MESSAGES, generation_config={"model": cfg.model})
    content = answer.results.choices[0].message.content
    assert isinstance(content, str)
    return content


def _used(user: RegularUser) -> int:
    """The server's count of the user's counted requests this month (all routes)."""
    return int(user.limits()["usage"]["monthly_limit"]["used"])


# --------------------------------------------------------------------------
# rate limits and quotas
# --------------------------------------------------------------------------
def test_with_rate_limit_wait_0_a_per_minute_limit_fails_at_once_naming_it(
    cfg: Any, new_regular_user: NewUser, client_for: Callable[..., R2RClient], sent: Sent
) -> None:
    user = new_regular_user()
    user.set_limits(routes={COMPLETION: {"route_per_min": 1}})
    client = client_for(user, rate_limit_wait=0)
    for _ in range(2):  # R2R refuses when the count is above the limit: limit + 1 pass
        assert _completion(client, cfg) == ANSWER_PREFIX + "Say hello"
    with pytest.raises(RateLimitError) as caught:
        _completion(client, cfg)
    assert caught.value.limit == "route_per_min"
    assert caught.value.retry_after is None  # R2R sends no Retry-After
    assert str(caught.value) == (
        "Error code: 429 - Per-route per-minute rate limit exceeded: your requests per minute on "
        "this route (route_per_min) ran out; not retried (rate_limit_wait=0); the limit frees "
        "within a minute"
    )
    assert sent.paths == [COMPLETION] * 3


def test_the_async_client_names_the_global_limit(
    cfg: Any, new_regular_user: NewUser, sent: Sent
) -> None:
    user = new_regular_user()
    user.set_limits(global_per_min=1)

    async def scenario() -> RateLimitError:
        http = httpx.AsyncClient(timeout=120.0, event_hooks={"request": [sent.hook]})
        async with AsyncR2RClient(
            cfg.auth_base, access_token=user.jwt, http_client=http, rate_limit_wait=0
        ) as client:
            for _ in range(2):
                await client.retrieval.completion(
                    messages=MESSAGES, generation_config={"model": cfg.model}
                )
            try:
                await client.retrieval.completion(
                    messages=MESSAGES, generation_config={"model": cfg.model}
                )
            except RateLimitError as error:
                return error
        raise AssertionError("the third completion was not refused")

    error = asyncio.run(scenario())
    assert error.limit == "global_per_min"
    assert error.message.startswith(
        "Global per-minute rate limit exceeded: your requests per minute on all routes "
        "(global_per_min) ran out; not retried (rate_limit_wait=0)"
    )
    assert sent.paths == [COMPLETION] * 3


def test_a_monthly_quota_fails_at_once_and_is_never_retried(
    cfg: Any, new_regular_user: NewUser, client_for: Callable[..., R2RClient], sent: Sent
) -> None:
    user = new_regular_user()
    user.set_limits(monthly_limit=1)
    client = client_for(user)  # the default client: it would wait out a per-minute limit
    for _ in range(2):
        _completion(client, cfg)
    started = time.monotonic()
    with pytest.raises(QuotaExceededError) as caught:
        _completion(client, cfg)
    assert time.monotonic() - started < 5  # no waiting: only the one request's round trip
    assert isinstance(caught.value, RateLimitError)
    assert caught.value.limit == "monthly_limit"
    assert caught.value.message == (
        "Monthly rate limit exceeded: this route's monthly quota (monthly_limit) is used up; "
        "it frees at the start of the next month (UTC), so it was not retried: ask the service "
        "for a higher limit"
    )
    assert sent.paths == [COMPLETION] * 3
    assert _used(user) == 2  # a refused request is not counted


@pytest.mark.skipif(
    os.environ.get("R2R_E2E_SKIP_WINDOW_WAIT") == "1", reason="R2R_E2E_SKIP_WINDOW_WAIT=1"
)
def test_the_default_client_waits_out_a_per_minute_limit_not_a_monthly_one(
    cfg: Any, new_regular_user: NewUser, client_for: Callable[..., R2RClient], sent: Sent
) -> None:
    """The one test of the run that waits for R2R's one-minute window (up to ~65 s). A monthly
    quota used up at the same time is still refused after that wait, on its route only."""
    minute, monthly = new_regular_user(), new_regular_user()
    minute.set_limits(routes={COMPLETION: {"route_per_min": 1}})
    monthly.set_limits(monthly_limit=1)
    client, quota_client = client_for(minute), client_for(monthly)
    for _ in range(2):
        _completion(client, cfg)
        _completion(quota_client, cfg)
    with pytest.raises(QuotaExceededError):
        _completion(quota_client, cfg)
    sent.paths.clear()

    started = time.monotonic()
    assert _completion(client, cfg) == ANSWER_PREFIX + "Say hello"
    waited = time.monotonic() - started
    polls = len(sent.paths) - 1
    assert polls >= 1, "the limit was not met: nothing was waited for"
    # Polls back off (about 2, 4, 8, 15, 15... s), so the window is not hammered, and the
    # whole wait stays within rate_limit_wait (65 s by default) plus the requests' round trips.
    assert polls <= 9, sent.paths
    assert waited < 65 + 10, waited
    assert _used(minute) == 3  # the refused polls were not counted against the quota

    with pytest.raises(QuotaExceededError):
        _completion(quota_client, cfg)
    # the monthly count is per route: another route still has its own quota
    answer = quota_client.retrieval.rag(
        query="What does the blue lantern mean?", rag_generation_config={"model": cfg.model}
    )
    assert answer.results.generated_answer.startswith(ANSWER_PREFIX)


# --------------------------------------------------------------------------
# what fails every time
# --------------------------------------------------------------------------
def test_completion_without_a_model_is_refused_before_sending(
    cfg: Any, new_regular_user: NewUser, client_for: Callable[..., R2RClient], sent: Sent
) -> None:
    user = new_regular_user()
    client = client_for(user)
    with pytest.raises(InvalidRequestError) as caught:
        client.retrieval.completion(messages=MESSAGES)
    assert str(caught.value).startswith("generation_config.model: R2R 3.6.6 has no default model")
    assert sent.paths == []
    if os.environ.get("R2R_E2E_AUTH_DEFAULT_MODEL") != "0":
        # This instance is configured with a default completion model (e2e/r2r-auth.toml):
        # validation="off" is how the message says to reach such a server.
        assert _completion_without_model(client) == ANSWER_PREFIX + "Say hello"
        assert sent.paths == [COMPLETION]
        return
    # A stock R2R (run.py --no-default-completion-model): what the check spares the user is a
    # 500 that is counted against the quota.
    with pytest.raises(InternalServerError) as failed:
        _completion_without_model(client)
    assert failed.value.error_type == "AttributeError"
    assert str(failed.value).endswith(
        "R2R failed with AttributeError, which this request meets every time: not retried "
        "(each attempt would count against your quota)"
    )
    assert sent.paths == [COMPLETION]
    assert _used(user) == 1


def _completion_without_model(client: R2RClient) -> str | None:
    answer = client.retrieval.completion(messages=MESSAGES, validation="off")
    return answer.results.choices[0].message.content


def test_a_server_crash_on_a_regular_users_filter_is_sent_once(
    cfg: Any, new_regular_user: NewUser, client_for: Callable[..., R2RClient], sent: Sent
) -> None:
    """R2R 3.6.6 reads a regular user's `collection_ids` filter as `$overlap` only: `$in`
    crashes it (KeyError) every time, so retrying would only spend the user's quota."""
    user = new_regular_user(shared=True)
    client = client_for(user)
    filters = {"collection_ids": {"$in": [user.shared_collection_id]}}
    with pytest.raises(InternalServerError) as caught:
        client.retrieval.rag(
            query="What does the blue lantern mean?",
            search_settings={"filters": filters, "graph_settings": {"enabled": False}},
            rag_generation_config={"model": cfg.model},
        )
    assert caught.value.status_code == 500
    assert caught.value.error_type == "KeyError"
    assert "not retried (each attempt would count against your quota)" in str(caught.value)
    assert sent.paths == ["/v3/retrieval/rag"]
    assert _used(user) == 1


# --------------------------------------------------------------------------
# advice in the messages
# --------------------------------------------------------------------------
def test_a_401_without_credentials_says_how_to_give_this_client_a_key(
    cfg: Any, client_for: Callable[..., R2RClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("R2R_API_KEY", raising=False)
    client = client_for(None)
    with pytest.raises(AuthenticationError) as caught:
        _completion(client, cfg)
    message = str(caught.value)
    assert message == (
        "Error code: 401 - no credentials were sent: give the client an API key "
        "(R2RClient(api_key=...) or the R2R_API_KEY environment variable), or a login token "
        "(access_token=...)"
    )
    assert "r2r configure key" not in message  # R2R's advice is for its own CLI
    assert "r2r configure key" in caught.value.body["message"]  # the server's words are kept


def test_a_refused_api_key_says_which_setting_to_check(cfg: Any, sent: Sent) -> None:
    http = httpx.Client(timeout=120.0, event_hooks={"request": [sent]})
    client = R2RClient(cfg.auth_base, api_key="sk-not-a-real-key", http_client=http)
    with client, pytest.raises(AuthenticationError) as caught:
        _completion(client, cfg)
    message = str(caught.value)
    assert message.endswith(
        "(check the API key (api_key= or R2R_API_KEY) or the login token (access_token=) given "
        "to the client)"
    )
    assert "sk-not-a-real-key" not in message
    assert sent.paths == [COMPLETION]  # a refused key is not retried


def test_the_api_key_of_a_regular_user_works(cfg: Any, shared_regular_user: RegularUser) -> None:
    key = shared_regular_user.api_key
    assert key is not None
    for header in ("bearer", "x-api-key"):
        with R2RClient(cfg.auth_base, api_key=key, auth_header=header) as client:
            assert _completion(client, cfg) == ANSWER_PREFIX + "Say hello"


def test_changing_a_shared_documents_metadata_says_only_the_owner_may(
    shared_regular_user: RegularUser, client_for: Callable[..., R2RClient]
) -> None:
    user = shared_regular_user
    client = client_for(user)
    with pytest.raises(NotFoundError) as caught:
        client.documents.replace_metadata(id=user.shared_doc_id, metadata=[{"a": 1}])
    assert caught.value.message == (
        "Document not found. (only the document's owner may change its metadata: a document "
        "shared with you through a collection answers 404 too)"
    )
    # the user's own document: the same call works
    updated = client.documents.replace_metadata(id=user.own_doc_id, metadata=[{"mine": True}])
    assert updated.results.metadata["mine"] is True

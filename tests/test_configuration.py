"""Configuring a client: what each setting accepts, what it refuses, and where it takes effect.

Promises checked:
- the defaults (hosted service, 300 s read / 5 s connect, 2 retries, 65 s of rate-limit waits,
  strict validation) and the environment (`R2R_API_BASE`, `R2R_API_KEY`; arguments win);
- every option (`timeout`, `max_retries`, `rate_limit_wait`, `validation`) is checked where it
  is given (constructor, `with_options`, per call): a bad value is a ConfigurationError whose
  whole message names the option and the value; a call's value beats `with_options`', which
  beats the constructor's;
- the base URL: joined with the API's paths, refused unless http(s) with a host, changed by
  `set_base_url` for later calls;
- headers: ours, then `default_headers`, then `with_options`, then the call's, each replacing
  the earlier whatever the case of its name; `project_name` as `x-project-name`; every name and
  value HTTP cannot carry refused when given, with a message that says which and why;
- `http_client`: of the client's flavour, its headers checked too;
- `repr(client)`: the URL (its password masked), the credential's kind, the retries; also for
  a client whose constructor failed half-way, or before it set anything (`?` for what it does
  not know yet), as a traceback with locals shows it.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
import traceback
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest
import respx
from _config_errors_helpers import ScriptedServer
from _helpers import BASE, KINDS, MODEL, Sleeps, call, fixture_response

from r2r_client import (
    AsyncR2RClient,
    ConfigurationError,
    InvalidRequestError,
    R2RClient,
    RateLimitError,
    RequestValidationWarning,
    __version__,
)

MESSAGES = [{"role": "user", "content": "hi"}]
COMPLETION = "/v3/retrieval/completion"
RAG = "/v3/retrieval/rag"
BAD_NAME = (
    "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only, "
    "no spaces or other characters)"
)
WHITESPACE = (
    "has leading or trailing whitespace (a newline read from a file?): strip it first, "
    "e.g. value.strip()"
)
CONTROL = "contains a control character, which HTTP headers cannot carry"
NOT_ASCII = "contains a character that is not ASCII (at index {}); HTTP header values must be ASCII"
LINE_BREAK = "contains a line break (at index {}), which HTTP headers cannot carry"


@pytest.fixture
def api() -> Iterator[respx.Router]:
    """Every request to any host answered with the recorded completion (or rag, metadata)."""
    with respx.mock(assert_all_called=False) as router:
        router.post(path__regex=r"/retrieval/rag$").mock(return_value=fixture_response("06-rag"))
        router.put(path__regex=r"/metadata$").mock(return_value=fixture_response("02-put-metadata"))
        router.route().mock(return_value=fixture_response("04-completion"))
        yield router


def last(api: respx.Router) -> httpx.Request:
    request: httpx.Request = api.calls.last.request
    return request


def complete(client: Any, **options: Any) -> Any:
    return client.retrieval.completion(MESSAGES, MODEL, **options)


# -- defaults and the environment ----------------------------------------------------------


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
def test_a_client_without_arguments_has_the_documented_defaults(cls: type[Any]) -> None:
    client = cls()
    assert client.base_url == "https://api.intelligence.io.solutions/api/r2r"
    assert client.timeout == httpx.Timeout(300.0, connect=5.0)
    assert client.max_retries == 2
    assert client.rate_limit_wait == 65.0
    assert client.validation == "strict"
    assert client.project_name is None
    assert repr(client) == (
        f"{cls.__name__}(base_url='https://api.intelligence.io.solutions/api/r2r', "
        "auth='none', max_retries=2)"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_environment_gives_the_base_url_and_the_api_key(
    api: respx.Router, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_API_KEY", "env-key")
    monkeypatch.setenv("R2R_API_BASE", "https://env.example/api")
    call(kind, complete, base_url=None)
    assert str(last(api).url) == "https://env.example/api/v3/retrieval/completion"
    assert last(api).headers["Authorization"] == "Bearer env-key"
    call(kind, complete, base_url=None, auth_header="x-api-key")
    assert last(api).headers["X-API-Key"] == "env-key"
    assert "authorization" not in last(api).headers


def test_an_empty_environment_variable_is_no_setting(
    api: respx.Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_API_KEY", "")
    monkeypatch.setenv("R2R_API_BASE", "")
    call("sync", complete, base_url=None)
    assert str(last(api).url) == f"{BASE}{COMPLETION}"
    assert "authorization" not in last(api).headers


@pytest.mark.parametrize(
    ("kwargs", "header", "value"),
    [
        ({"api_key": "given"}, "Authorization", "Bearer given"),
        ({"access_token": "jwt"}, "Authorization", "Bearer jwt"),
        ({"access_token": "jwt", "token_header": "token"}, "token", "jwt"),
    ],
)
def test_arguments_beat_the_environment(
    api: respx.Router,
    monkeypatch: pytest.MonkeyPatch,
    kwargs: dict[str, str],
    header: str,
    value: str,
) -> None:
    monkeypatch.setenv("R2R_API_KEY", "env-key")
    monkeypatch.setenv("R2R_API_BASE", "https://env.example/api")
    call("sync", complete, base_url="https://given.example", **kwargs)
    request = last(api)
    assert str(request.url) == "https://given.example/v3/retrieval/completion"
    assert request.headers[header] == value
    assert "env-key" not in str(request.headers.raw)


def test_a_bad_key_in_the_environment_is_named_by_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("R2R_API_KEY", "key\n")
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE)
    assert str(info.value) == (
        f"the R2R_API_KEY environment variable {WHITESPACE} (its value is not shown)"
    )


# -- timeouts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (10, httpx.Timeout(10.0, connect=5.0)),  # connect stays short: a dead host shows fast
        (2, httpx.Timeout(2.0, connect=2.0)),  # never longer than the whole timeout
        (5.0, httpx.Timeout(5.0, connect=5.0)),
        (0.5, httpx.Timeout(0.5, connect=0.5)),
        (None, httpx.Timeout(None)),
        (httpx.Timeout(1.0, read=9.0), httpx.Timeout(1.0, read=9.0)),
    ],
)
@pytest.mark.parametrize("where", ["constructor", "with_options", "call"])
def test_a_timeout_reaches_the_request(
    api: respx.Router, where: str, given: Any, expected: httpx.Timeout
) -> None:
    if where == "constructor":
        call("sync", complete, timeout=given)
    elif where == "with_options":
        call("sync", lambda c: complete(c.with_options(timeout=given)), timeout=99)
    else:
        call("sync", lambda c: complete(c, timeout=given), timeout=99)
    assert last(api).extensions["timeout"] == expected.as_dict()


def test_a_timeout_object_is_kept_as_given() -> None:
    timeout = httpx.Timeout(1.0, read=9.0)
    assert R2RClient(BASE, timeout=timeout).timeout is timeout


def refused_wherever_given(option: str, bad: Any, message: str) -> None:
    """Both clients, `with_options` and a call refuse `option=bad` with the same message."""
    client = R2RClient(BASE)
    given = {option: bad}
    for give in (
        lambda: R2RClient(BASE, **given),
        lambda: AsyncR2RClient(BASE, **given),
        lambda: client.with_options(**given),
        lambda: complete(client, **given),
    ):
        with pytest.raises(ConfigurationError) as info:
            give()
        assert str(info.value) == message


@pytest.mark.parametrize("bad", [0, -1, 0.0, math.inf, math.nan, True, "5", [5]])
def test_a_bad_timeout_is_refused_wherever_it_is_given(bad: Any) -> None:
    message = f"timeout must be a positive number of seconds (None: no timeout), got {bad!r}"
    refused_wherever_given("timeout", bad, message)


# -- retries and rate-limit waits -------------------------------------------------------------


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2", None])
def test_a_bad_max_retries_is_refused_wherever_it_is_given(bad: Any) -> None:
    refused_wherever_given("max_retries", bad, f"max_retries must be an integer >= 0, got {bad!r}")


@pytest.mark.parametrize("bad", [-1, -0.5, math.inf, math.nan, True, "5", None])
def test_a_bad_rate_limit_wait_is_refused_wherever_it_is_given(bad: Any) -> None:
    message = f"rate_limit_wait must be a number of seconds >= 0 (0: never wait), got {bad!r}"
    refused_wherever_given("rate_limit_wait", bad, message)


@pytest.mark.parametrize(("given", "kept"), [(0, 0.0), (0.5, 0.5), (120, 120.0)])
def test_rate_limit_wait_accepts_any_number_of_seconds_from_zero(given: Any, kept: float) -> None:
    assert R2RClient(BASE, rate_limit_wait=given).rate_limit_wait == kept
    assert R2RClient(BASE).with_options(rate_limit_wait=given).rate_limit_wait == kept


ROUTE_LIMIT = {"detail": "Per-route per-minute rate limit exceeded"}


@pytest.mark.parametrize(
    ("client_kwargs", "use"),
    [
        pytest.param({"rate_limit_wait": 0}, lambda c: complete(c), id="constructor"),
        pytest.param({}, lambda c: complete(c.with_options(rate_limit_wait=0)), id="with_options"),
        pytest.param({}, lambda c: complete(c, rate_limit_wait=0), id="call"),
        pytest.param(
            {"rate_limit_wait": 30},
            lambda c: complete(c.with_options(rate_limit_wait=60), rate_limit_wait=0),
            id="call-over-with_options",
        ),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_rate_limit_wait_zero_raises_the_first_rate_limit(
    kind: str, client_kwargs: dict[str, Any], use: Any, sleeps: Sleeps
) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(return_value=httpx.Response(429, json=ROUTE_LIMIT))
        with pytest.raises(RateLimitError) as info:
            call(kind, use, **client_kwargs)
    assert route.call_count == 1
    assert sleeps.delays == []
    assert info.value.message == (
        "Per-route per-minute rate limit exceeded: your requests per minute on this route "
        "(route_per_min) ran out; not retried (rate_limit_wait=0); the limit frees within a "
        "minute"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_calls_rate_limit_wait_beats_the_clients(kind: str, sleeps: Sleeps) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(
            side_effect=[httpx.Response(429, json=ROUTE_LIMIT), fixture_response("04-completion")]
        )
        result = call(kind, lambda c: complete(c, rate_limit_wait=30), rate_limit_wait=0)
    assert result.results.choices
    assert route.call_count == 2
    assert len(sleeps.delays) == 1
    assert 0 < sleeps.delays[0] <= 30


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["loose", "STRICT", "", None, True, 0])
def test_a_bad_validation_is_refused_wherever_it_is_given(bad: Any) -> None:
    message = f"validation must be one of ['strict', 'warn', 'off'], got {bad!r}"
    client = R2RClient(BASE)
    for give in (
        lambda: R2RClient(BASE, validation=bad),
        lambda: AsyncR2RClient(BASE, validation=bad),
        lambda: client.with_options(validation=bad),
        lambda: client.retrieval.rag("q", validation=bad),
    ):
        with pytest.raises(ConfigurationError) as info:
            give()
        assert str(info.value) == message


def without_model(client: Any, **options: Any) -> Any:
    """A completion R2R 3.6.6 cannot answer (no model): what `validation` decides about."""
    return client.retrieval.completion(MESSAGES, **options)


@pytest.mark.parametrize(
    ("client_kwargs", "use", "outcome"),
    [
        pytest.param({}, without_model, "refused", id="default-strict"),
        pytest.param({"validation": "off"}, without_model, "sent", id="constructor-off"),
        pytest.param({"validation": "warn"}, without_model, "warned", id="constructor-warn"),
        pytest.param(
            {}, lambda c: without_model(c.with_options(validation="off")), "sent", id="with_options"
        ),
        pytest.param(
            {"validation": "off"},
            lambda c: without_model(c.with_options(validation="strict")),
            "refused",
            id="with_options-strict",
        ),
        pytest.param(
            {"validation": "off"},
            lambda c: without_model(c, validation="warn"),
            "warned",
            id="call-warn",
        ),
        pytest.param(
            {"validation": "warn"},
            lambda c: without_model(c.with_options(validation="warn"), validation="strict"),
            "refused",
            id="call-over-with_options",
        ),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_validation_is_the_calls_else_with_options_else_the_constructors(
    api: respx.Router, kind: str, client_kwargs: dict[str, Any], use: Any, outcome: str
) -> None:
    refused: str | None = None
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        try:
            call(kind, use, **client_kwargs)
        except InvalidRequestError as exc:
            refused = exc.field
    sent = refused is None
    assert refused in (None, "generation_config.model")
    warned = [w for w in record if w.category is RequestValidationWarning]
    assert (sent, bool(warned)) == {
        "refused": (False, False),
        "sent": (True, False),
        "warned": (True, True),
    }[outcome]
    assert api.calls.call_count == (1 if sent else 0)


def test_with_options_keeps_what_it_is_not_given() -> None:
    client = R2RClient(
        BASE, timeout=7, max_retries=5, rate_limit_wait=9, validation="warn", api_key="k"
    )
    for clone in (client.with_options(), client.with_options(extra_headers={"X-A": "1"})):
        assert (clone.timeout, clone.max_retries, clone.rate_limit_wait, clone.validation) == (
            httpx.Timeout(7.0, connect=5.0),
            5,
            9.0,
            "warn",
        )
        assert repr(clone) == repr(client)
    changed = client.with_options(timeout=3, max_retries=1, rate_limit_wait=0, validation="off")
    assert (changed.timeout, changed.max_retries, changed.rate_limit_wait, changed.validation) == (
        httpx.Timeout(3.0, connect=3.0),
        1,
        0.0,
        "off",
    )
    assert (client.max_retries, client.validation) == (5, "warn")


# -- the base URL -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "shown", "prefix"),
    [
        ("https://h.example/api/r2r/", "https://h.example/api/r2r", "https://h.example/api/r2r"),
        ("https://h.example", "https://h.example", "https://h.example"),
        ("https://h.example/", "https://h.example", "https://h.example"),
        ("https://h.example/APIX/", "https://h.example/APIX", "https://h.example/APIX"),
        ("http://localhost:7272/p?x=1#f", "http://localhost:7272/p", "http://localhost:7272/p"),
    ],
)
def test_the_base_url_is_joined_with_the_apis_paths(
    api: respx.Router, base_url: str, shown: str, prefix: str
) -> None:
    call("sync", complete, base_url=base_url)
    assert str(last(api).url) == f"{prefix}/v3/retrieval/completion"
    client = R2RClient(base_url)
    assert client.base_url == shown
    assert repr(client) == f"R2RClient(base_url={shown!r}, auth='none', max_retries=2)"


@pytest.mark.parametrize(
    "bad", ["ftp://h.example", "http://", "https://", "not a url", "http://[::1", 5, b"https://h"]
)
def test_a_base_url_that_is_not_http_with_a_host_is_refused(bad: Any) -> None:
    message = f"base_url must be an http(s) URL, got {bad!r}"
    client = R2RClient(BASE)
    for give in (
        lambda: R2RClient(bad),
        lambda: AsyncR2RClient(bad),
        lambda: client.set_base_url(bad),
    ):
        with pytest.raises(ConfigurationError) as info:
            give()
        assert str(info.value) == message
    assert client.base_url == BASE


def test_an_empty_base_url_means_the_default_but_cannot_be_set_later() -> None:
    assert R2RClient("").base_url == "https://api.intelligence.io.solutions/api/r2r"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE).set_base_url("")
    assert str(info.value) == "base_url must be an http(s) URL, got ''"


@pytest.mark.parametrize("kind", KINDS)
def test_set_base_url_sends_later_calls_elsewhere(api: respx.Router, kind: str) -> None:
    async def twice_async(c: Any) -> None:
        await complete(c)
        c.set_base_url("https://other.example/x/")
        await complete(c)

    def twice(c: Any) -> Any:
        if kind == "async":
            return twice_async(c)
        complete(c)
        c.set_base_url("https://other.example/x/")
        return complete(c)

    call(kind, twice)
    assert [str(c.request.url) for c in api.calls] == [
        f"{BASE}/v3/retrieval/completion",
        "https://other.example/x/v3/retrieval/completion",
    ]


def test_every_document_gets_its_own_url_however_many(api: respx.Router) -> None:
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(70)]
    order = ids + ids[:3] + ids[-3:]
    with R2RClient(BASE) as client:
        for doc_id in order:
            client.documents.replace_metadata(doc_id, [{"a": 1}])
    assert [str(c.request.url) for c in api.calls] == [
        f"{BASE}/v3/documents/{doc_id}/metadata" for doc_id in order
    ]


# -- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_request_says_who_sends_it_and_what_it_carries(api: respx.Router, kind: str) -> None:
    call(kind, complete)
    request = last(api)
    assert request.headers["User-Agent"] == f"r2r-client/{__version__}"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    raw_names = [name for name, _ in request.headers.raw]
    assert {b"User-Agent", b"Accept", b"Content-Type"} <= set(raw_names)  # usual spelling


def test_a_stream_asks_for_an_event_stream() -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(RAG).mock(
            return_value=httpx.Response(200, headers={"content-type": "text/event-stream"})
        )
        with R2RClient(BASE) as client:
            client.retrieval.rag("q", stream=True).close()
    assert route.calls.last.request.headers["Accept"] == "text/event-stream"
    assert route.calls.last.request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("kind", KINDS)
def test_headers_given_later_replace_earlier_ones_whatever_their_case(
    api: respx.Router, kind: str
) -> None:
    def go(c: Any) -> Any:
        clone = c.with_options(extra_headers={"x-team": "clone", "X-Clone": "c"})
        return complete(clone, extra_headers={"X-CLONE": "call", "ACCEPT": "application/x-test"})

    call(
        kind,
        go,
        default_headers={"X-Team": "default", "accept": "x/y", "User-Agent": "mine/1"},
    )
    request = last(api)
    assert request.headers.get_list("accept") == ["application/x-test"]
    assert request.headers.get_list("user-agent") == ["mine/1"]
    assert request.headers.get_list("x-team") == ["clone"]
    assert request.headers.get_list("x-clone") == ["call"]
    names = [name for name, _ in request.headers.raw]
    assert b"ACCEPT" in names  # sent as the last giver spelled it
    assert b"x-team" in names


def test_with_options_headers_stay_with_the_clone(api: respx.Router) -> None:
    with R2RClient(BASE, default_headers={"X-D": "1"}) as client:
        clone = client.with_options(extra_headers={"X-E": "2"})
        complete(client)
        assert "x-e" not in last(api).headers
        complete(clone)
        assert (last(api).headers["X-D"], last(api).headers["X-E"]) == ("1", "2")


@pytest.mark.parametrize("kind", KINDS)
def test_project_name_is_sent_until_unset(api: respx.Router, kind: str) -> None:
    async def steps_async(c: Any) -> list[str | None]:
        seen = []
        for step in (None, "unset", "p2", None):
            if step == "unset":
                c.unset_project_name()
            elif step == "p2":
                c.set_project_name("p2")
            await complete(c)
            seen.append(last(api).headers.get("x-project-name"))
        c.set_project_name(None)
        await complete(c)
        seen.append(last(api).headers.get("x-project-name"))
        return seen

    def steps(c: Any) -> Any:
        if kind == "async":
            return steps_async(c)
        seen = []
        for step in (None, "unset", "p2", None):
            if step == "unset":
                c.unset_project_name()
            elif step == "p2":
                c.set_project_name("p2")
            complete(c)
            seen.append(last(api).headers.get("x-project-name"))
        c.set_project_name(None)
        complete(c)
        seen.append(last(api).headers.get("x-project-name"))
        return seen

    assert call(kind, steps, project_name="proj") == ["proj", None, "p2", "p2", None]
    assert (b"x-project-name", b"p2") in api.calls[2].request.headers.raw  # spelled so on the wire


def test_project_name_reads_back_as_set() -> None:
    client = R2RClient(BASE, project_name="proj")
    assert client.project_name == "proj"
    client.unset_project_name()
    assert client.project_name is None
    client.set_project_name("p2")
    assert client.project_name == "p2"
    client.set_project_name(None)
    assert client.project_name is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("a\nb", LINE_BREAK.format(1)),
        ("naïve", NOT_ASCII.format(2)),
        (5, "must be a string, not int"),
    ],
)
def test_a_bad_project_name_is_refused_and_the_old_one_kept(value: Any, problem: str) -> None:
    message = f"project_name (sent as x-project-name) {problem}"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, project_name=value)
    assert str(info.value) == message
    client = R2RClient(BASE, project_name="ok")
    with pytest.raises(ConfigurationError) as info:
        client.set_project_name(value)
    assert str(info.value) == message
    assert client.project_name == "ok"


HEADER_PROBLEMS = [
    pytest.param("plain value", None, id="plain"),
    pytest.param("a\tb", None, id="inner-tab"),
    pytest.param("", None, id="empty"),
    pytest.param(5, "must be a string, not int", id="int"),
    pytest.param(None, "must be a string, not NoneType", id="none"),
    pytest.param(b"v", "must be a string, not bytes", id="bytes"),
    pytest.param(" key", WHITESPACE, id="leading-space"),
    pytest.param("key\n", WHITESPACE, id="trailing-newline"),
    pytest.param("a\nb", LINE_BREAK.format(1), id="line-feed"),
    pytest.param("ab\rc", LINE_BREAK.format(2), id="carriage-return"),
    pytest.param("X\x01", CONTROL, id="control"),
    pytest.param("é", NOT_ASCII.format(0), id="not-ascii"),
    pytest.param("a\x80", NOT_ASCII.format(1), id="first-past-ascii"),
    pytest.param("a\x7f", CONTROL, id="del"),
    pytest.param("\x7fé", CONTROL, id="first-problem-named-del"),
    pytest.param("\x01é", CONTROL, id="first-problem-named-control"),
    pytest.param("a b\x80", NOT_ASCII.format(3), id="after-inner-space"),
    pytest.param("a!b\x80", NOT_ASCII.format(3), id="after-punctuation"),
    pytest.param("a\tb\x80", NOT_ASCII.format(3), id="after-inner-tab"),
    pytest.param("a\x1fb\x80", CONTROL, id="control-before-not-ascii"),
]


@pytest.mark.parametrize(("value", "problem"), HEADER_PROBLEMS)
def test_a_header_value_http_cannot_carry_is_refused_with_the_first_problem(
    api: respx.Router, value: Any, problem: str | None
) -> None:
    if problem is None:
        with R2RClient(BASE, default_headers={"X-Trace": value}) as client:
            complete(client)
        assert last(api).headers["X-Trace"] == value
        return
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, default_headers={"X-Trace": value})
    assert str(info.value) == f"default_headers['X-Trace'] {problem}"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("X-Custom_1.!#$%&'*+^`|~", None),
        ("bad name", BAD_NAME),
        ("", BAD_NAME),
        ("X-Tracé", BAD_NAME),
        ("X:Y", BAD_NAME),
        (5, "is not a valid header name: header names are strings, not int"),
    ],
)
def test_a_header_name_http_cannot_carry_is_refused(
    api: respx.Router, name: Any, problem: str | None
) -> None:
    if problem is None:
        with R2RClient(BASE, default_headers={name: "v"}) as client:
            complete(client)
        assert last(api).headers[name] == "v"
        return
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, default_headers={name: "v"})
    assert str(info.value) == f"default_headers[{name!r}] {problem}"


@pytest.mark.parametrize(
    ("headers", "field", "problem"),
    [
        ({"ok": "v", "bad name": "v"}, "['bad name']", BAD_NAME),
        ({"X-A": "v\r\n"}, "['X-A']", WHITESPACE),
        ({"X-N": 3}, "['X-N']", "must be a string, not int"),
    ],
)
def test_a_bad_header_is_refused_where_it_was_given(
    api: respx.Router, headers: dict[str, Any], field: str, problem: str
) -> None:
    for cls in (R2RClient, AsyncR2RClient):
        with pytest.raises(ConfigurationError) as info:
            cls(BASE, default_headers=headers)
        assert str(info.value) == f"default_headers{field} {problem}"
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError) as info:
        client.with_options(extra_headers=headers)
    assert str(info.value) == f"extra_headers{field} {problem}"
    with pytest.raises(InvalidRequestError) as call_info:
        complete(client, extra_headers=headers)
    assert str(call_info.value) == f"extra_headers{field}: {problem}"
    assert (call_info.value.field, call_info.value.problem) == (f"extra_headers{field}", problem)
    assert api.calls.call_count == 0


@pytest.mark.parametrize("given", [[("a", "b")], "X-A: b"])
def test_headers_that_are_not_a_mapping_are_refused(api: respx.Router, given: Any) -> None:
    kind = type(given).__name__
    problem = f"expected a mapping of header names to values (a dict), got {kind}"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, default_headers=given)
    assert str(info.value) == f"default_headers {problem}"
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError) as info:
        client.with_options(extra_headers=given)
    assert str(info.value) == f"extra_headers {problem}"
    with pytest.raises(InvalidRequestError) as call_info:
        complete(client, extra_headers=given)
    assert str(call_info.value) == f"extra_headers: {problem}"


# -- the http_client ---------------------------------------------------------------------------


def test_an_http_client_of_the_other_flavour_is_refused() -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    assert str(info.value) == "http_client must be an httpx.Client, got AsyncClient"
    with pytest.raises(ConfigurationError) as info:
        AsyncR2RClient(BASE, http_client=httpx.Client())  # type: ignore[arg-type]
    assert str(info.value) == "http_client must be an httpx.AsyncClient, got Client"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, custom_client=object())  # type: ignore[arg-type]
    assert str(info.value) == "http_client must be an httpx.Client, got object"


def test_the_http_clients_own_headers_are_checked_too() -> None:
    http = httpx.Client(headers={"X-Ok": "v"})
    http.headers["bad name"] = "v"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, http_client=http)
    assert str(info.value) == f"http_client.headers['bad name'] {BAD_NAME}"
    http = httpx.Client(headers={"X-Trace": "a\r\nb"})
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, http_client=http)
    assert str(info.value) == f"http_client.headers['x-trace'] {LINE_BREAK.format(1)}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["http_client", "custom_client"])
def test_the_given_http_client_sends_every_request(kind: str, name: str) -> None:
    server = ScriptedServer()
    http: Any = (
        httpx.Client(transport=httpx.MockTransport(server))
        if kind == "sync"
        else httpx.AsyncClient(transport=httpx.MockTransport(server))
    )
    result = call(kind, complete, **{name: http})
    assert result.results.choices
    assert [str(r.url) for r in server.seen] == [f"{BASE}{COMPLETION}"]


# -- repr -------------------------------------------------------------------------------------


def test_repr_masks_a_password_in_the_url_and_names_the_credential() -> None:
    client = R2RClient("https://user:pw@h.example/api/", api_key="k", max_retries=4)
    assert repr(client) == (
        "R2RClient(base_url='https://user:**********@h.example/api', auth='api_key in "
        "Authorization', max_retries=4)"
    )
    assert str(client) == repr(client)


@pytest.mark.parametrize(
    ("kwargs", "shown"),
    [
        ({"max_retries": -1}, "R2RClient(base_url='?', auth='none', max_retries=?)"),
        (
            {"api_key": "k", "max_retries": -1},
            "R2RClient(base_url='?', auth='api_key in Authorization', max_retries=?)",
        ),
        (
            {"access_token": "t", "token_header": "token", "default_headers": {"a b": "v"}},
            "R2RClient(base_url='?', auth='access_token in token', max_retries=2)",
        ),
    ],
)
def test_a_client_that_failed_half_way_shows_what_it_knows_in_a_traceback(
    kwargs: dict[str, Any], shown: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, **kwargs)
    report = traceback.TracebackException.from_exception(info.value, capture_locals=True)
    selves = {
        frame.locals["self"] for frame in report.stack if frame.locals and "self" in frame.locals
    }
    assert selves == {shown}


class _SealedVault(Mapping[str, str]):
    """Headers from a secrets store that fails when read (a sealed vault)."""

    def __getitem__(self, name: str) -> str:
        raise LookupError(f"the vault is sealed: {name} cannot be read")

    def __iter__(self) -> Iterator[str]:
        return iter(["X-Vault-Token"])

    def __len__(self) -> int:
        return 1


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
def test_a_client_that_failed_before_any_setting_shows_question_marks_in_a_traceback(
    cls: type[R2RClient | AsyncR2RClient],
) -> None:
    with pytest.raises(LookupError) as info:
        cls(BASE, default_headers=_SealedVault())
    report = traceback.TracebackException.from_exception(info.value, capture_locals=True)
    ours = f"{os.sep}r2r_client{os.sep}"
    selves = [
        frame.locals["self"]
        for frame in report.stack
        if ours in frame.filename and frame.locals and "self" in frame.locals
    ]
    assert selves == [f"{cls.__name__}(base_url='?', auth='?', max_retries=?)"]


# -- the async client's construction ---------------------------------------------------------


def test_an_async_client_marks_a_missing_sniffio_absent_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """httpcore imports sniffio for every lock; marked absent, each import fails at once."""
    looked_up: list[str] = []

    def find_spec(name: str) -> None:
        looked_up.append(name)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.delitem(sys.modules, "sniffio", raising=False)
    AsyncR2RClient(BASE)
    with pytest.raises(ImportError):
        import sniffio  # type: ignore[import-not-found]  # noqa: F401
    AsyncR2RClient(BASE)
    assert looked_up == ["sniffio"]


def test_a_sync_client_leaves_sniffio_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []
    monkeypatch.setattr(importlib.util, "find_spec", looked_up.append)
    monkeypatch.delitem(sys.modules, "sniffio", raising=False)
    R2RClient(BASE)
    assert looked_up == []
    assert "sniffio" not in sys.modules


def test_an_installed_sniffio_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.delitem(sys.modules, "sniffio", raising=False)
    AsyncR2RClient(BASE)
    assert "sniffio" not in sys.modules

"""Client configuration: exact messages, defaults, what reaches the request (mutation testing)."""

from __future__ import annotations

import asyncio
import importlib.util
import math
import sys
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from _helpers import BASE, fixture_response

from r2r_client import (
    AsyncR2RClient,
    ConfigurationError,
    InvalidRequestError,
    R2RClient,
)
from r2r_client import _config as config
from r2r_client._auth import InsecureTransportWarning
from r2r_client._config import (
    NOT_GIVEN,
    RequestOptions,
    _merge_headers,
    mark_sniffio_absent,
    to_timeout,
)

MESSAGES = [{"role": "user", "content": "hi"}]
BAD_NAME = (
    "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only, "
    "no spaces or other characters)"
)


def recording_client(
    base_url: str | None = BASE, **kwargs: Any
) -> tuple[R2RClient, list[httpx.Request]]:
    """A client whose http_client records every request and answers a completion."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return fixture_response("04-completion")

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return R2RClient(base_url, http_client=http, **kwargs), seen


def sent(base_url: str | None = BASE, call_kwargs: Any = None, **kwargs: Any) -> httpx.Request:
    client, seen = recording_client(base_url, **kwargs)
    client.retrieval.completion(MESSAGES, **(call_kwargs or {}))
    (request,) = seen
    return request


# -- timeouts and retries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (10, httpx.Timeout(10.0, connect=5.0)),
        (2, httpx.Timeout(2.0, connect=2.0)),
        (5.0, httpx.Timeout(5.0, connect=5.0)),
        (0.5, httpx.Timeout(0.5, connect=0.5)),
        (None, httpx.Timeout(None)),
    ],
)
def test_to_timeout(given: Any, expected: httpx.Timeout) -> None:
    assert to_timeout(given) == expected


def test_timeout_object_kept_as_is() -> None:
    timeout = httpx.Timeout(1.0, read=9.0)
    assert to_timeout(timeout) is timeout


@pytest.mark.parametrize("bad", [0, -1, 0.0, math.inf, math.nan, True, "5", [5]])
def test_bad_timeout_message(bad: Any) -> None:
    message = f"timeout must be a positive number of seconds (None: no timeout), got {bad!r}"
    with pytest.raises(ConfigurationError) as info:
        to_timeout(bad)
    assert str(info.value) == message
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, timeout=bad)
    assert str(info.value) == message
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError) as info:
        client.retrieval.completion(MESSAGES, timeout=bad)
    assert str(info.value) == message
    with pytest.raises(ConfigurationError) as info:
        client.with_options(timeout=bad)
    assert str(info.value) == message


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2", None])
def test_bad_max_retries_message(bad: Any) -> None:
    message = f"max_retries must be an integer >= 0, got {bad!r}"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, max_retries=bad)
    assert str(info.value) == message
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError) as info:
        client.with_options(max_retries=bad)
    assert str(info.value) == message
    with pytest.raises(ConfigurationError) as info:
        client.retrieval.completion(MESSAGES, max_retries=bad)
    assert str(info.value) == message


def test_defaults() -> None:
    client = R2RClient()
    assert client.timeout == httpx.Timeout(300.0, connect=5.0)
    assert client.max_retries == 2
    assert client.base_url == "https://api.intelligence.io.solutions/api/r2r"
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert R2RClient(BASE, max_retries=0).max_retries == 0


def test_request_options_as_raw_keeps_everything() -> None:
    timeout = httpx.Timeout(3.0)
    options = RequestOptions(timeout, 4, {"a": "b"}, False)
    raw = options.as_raw()
    assert (raw.timeout, raw.max_retries, raw.extra_headers, raw.raw) == (
        timeout,
        4,
        {"a": "b"},
        True,
    )


def test_per_call_options_reach_the_request() -> None:
    request = sent(call_kwargs={"timeout": 7, "extra_headers": {"X-Trace": "1"}})
    assert request.extensions["timeout"] == httpx.Timeout(7.0, connect=5.0).as_dict()
    assert request.headers["X-Trace"] == "1"


def test_merge_headers_later_wins_whatever_the_case() -> None:
    merged = _merge_headers({"Accept": "a", "Other": "o"}, {"accept": "b"}, {"ACCEPT": "c"})
    assert merged == {"Other": "o", "ACCEPT": "c"}


# -- credentials and headers ---------------------------------------------------------------


def test_both_credentials_refused() -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, api_key="k", access_token="t")
    assert str(info.value) == (
        "give either api_key or access_token, not both: the server refuses two credentials on "
        "one request"
    )


def test_env_key_problem_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2R_API_KEY", "key\n")
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE)
    assert str(info.value) == (
        "the R2R_API_KEY environment variable has leading or trailing whitespace (a newline read "
        "from a file?): strip it first, e.g. value.strip() (its value is not shown)"
    )
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, api_key="key\n")
    assert str(info.value).startswith("api_key has leading")


def test_env_key_and_base_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2R_API_KEY", "envkey")
    monkeypatch.setenv("R2R_API_BASE", "https://env.example/api")
    request = sent(None)
    assert str(request.url) == "https://env.example/api/v3/retrieval/completion"
    assert request.headers["Authorization"] == "Bearer envkey"
    monkeypatch.setenv("R2R_API_KEY", "")
    assert "authorization" not in sent(None).headers


def test_access_token_beats_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2R_API_KEY", "envkey")
    request = sent(access_token="tok", token_header="token")
    assert request.headers["token"] == "tok"
    assert "authorization" not in request.headers


@pytest.mark.parametrize(
    ("kwargs", "header", "value"),
    [
        ({"api_key": "k"}, "Authorization", "Bearer k"),
        ({"api_key": "k", "auth_header": "x-api-key"}, "X-API-Key", "k"),
        ({"access_token": "t"}, "Authorization", "Bearer t"),
        ({"access_token": "t", "token_header": "token"}, "token", "t"),
    ],
)
def test_credential_headers(kwargs: dict[str, str], header: str, value: str) -> None:
    assert sent(**kwargs).headers[header] == value


def test_set_api_key_uses_the_clients_auth_header() -> None:
    client, seen = recording_client(auth_header="x-api-key", token_header="token")
    client.set_api_key("k")
    client.retrieval.completion(MESSAGES)
    assert seen[-1].headers["X-API-Key"] == "k"
    client.set_api_key("k2", auth_header="bearer")
    client.retrieval.completion(MESSAGES)
    assert seen[-1].headers["Authorization"] == "Bearer k2"
    client.unset_api_key()
    client.set_access_token("t")
    client.retrieval.completion(MESSAGES)
    assert seen[-1].headers["token"] == "t"
    client.set_access_token("t2", token_header="bearer")
    client.retrieval.completion(MESSAGES)
    assert seen[-1].headers["Authorization"] == "Bearer t2"
    client.unset_access_token()
    client.retrieval.completion(MESSAGES)
    assert "authorization" not in seen[-1].headers
    assert "token" not in seen[-1].headers


def test_request_headers() -> None:
    client, seen = recording_client(
        api_key="sk-long-key",
        project_name="proj",
        default_headers={"X-Default": "d", "accept": "x/y"},
    )
    client.retrieval.completion(MESSAGES)
    request = seen[-1]
    assert request.headers["User-Agent"] == f"r2r-client/{config.__version__}"
    # Names go on the wire as spelled, in their usual casing.
    raw_names = [name for name, _ in request.headers.raw]
    assert {b"User-Agent", b"Content-Type", b"Authorization", b"accept", b"x-project-name"} <= set(
        raw_names
    )
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["x-project-name"] == "proj"
    assert request.headers["X-Default"] == "d"
    assert request.headers.get_list("accept") == ["x/y"]
    assert repr(request.headers).count("**********") == 1
    assert "'Bearer **********'" in repr(request.headers)
    client.unset_project_name()
    assert client.project_name is None
    client.retrieval.completion(MESSAGES)
    assert "x-project-name" not in seen[-1].headers
    client.set_project_name("p2")
    assert client.project_name == "p2"
    client.set_project_name(None)
    assert client.project_name is None


def test_accept_header_of_a_stream() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b"")

    client = R2RClient(BASE, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.retrieval.rag("q", stream=True).close()
    assert seen[0].headers["Accept"] == "text/event-stream"
    assert seen[0].headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("a\nb", "contains a line break (at index 1), which HTTP headers cannot carry"),
        (5, "must be a string, not int"),
    ],
)
def test_bad_project_name(value: Any, problem: str) -> None:
    message = f"project_name (sent as x-project-name) {problem}"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, project_name=value)
    assert str(info.value) == message
    client = R2RClient(BASE, project_name="ok")
    with pytest.raises(ConfigurationError) as info:
        client.set_project_name(value)
    assert str(info.value) == message
    assert client.project_name == "ok"


@pytest.mark.parametrize(
    ("headers", "field", "problem"),
    [
        ({"bad name": "v"}, "['bad name']", BAD_NAME),
        (
            {"X-A": "v\r\n"},
            "['X-A']",
            "has leading or trailing whitespace (a newline read from a "
            "file?): strip it first, e.g. value.strip()",
        ),
    ],
)
def test_bad_headers_name_where_they_came_from(
    headers: dict[str, str], field: str, problem: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, default_headers=headers)
    assert str(info.value) == f"default_headers{field} {problem}"
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError) as info:
        client.with_options(extra_headers=headers)
    assert str(info.value) == f"extra_headers{field} {problem}"
    with pytest.raises(InvalidRequestError) as call_info:
        client.retrieval.completion(MESSAGES, extra_headers=headers)
    assert str(call_info.value) == f"extra_headers{field}: {problem}"
    assert call_info.value.field == f"extra_headers{field}"


def test_http_client_of_the_wrong_kind() -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    assert str(info.value) == "http_client must be an httpx.Client, got AsyncClient"

    async def main() -> None:
        with pytest.raises(ConfigurationError) as info:
            AsyncR2RClient(BASE, http_client=httpx.Client())  # type: ignore[arg-type]
        assert str(info.value) == "http_client must be an httpx.AsyncClient, got Client"

    asyncio.run(main())


def test_http_client_headers_checked() -> None:
    http = httpx.Client(headers={"X-Ok": "v"})
    http.headers["bad name"] = "v"
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, http_client=http)
    assert str(info.value) == f"http_client.headers['bad name'] {BAD_NAME}"


def test_two_credentials_with_the_http_clients_headers() -> None:
    client, _ = recording_client(api_key="k")
    client._http.headers["x-api-key"] = "other"
    with pytest.raises(ConfigurationError) as info:
        client.retrieval.completion(MESSAGES)
    assert str(info.value) == (
        "a request may carry one credential, but it has 2 headers: authorization, x-api-key"
    )


def test_with_options_merges_headers_and_keeps_the_rest() -> None:
    client, seen = recording_client(default_headers={"X-D": "1", "X-E": "e"}, max_retries=5)
    clone = client.with_options(extra_headers={"x-e": "2"})
    clone.retrieval.completion(MESSAGES)
    assert seen[-1].headers["X-D"] == "1"
    assert seen[-1].headers.get_list("x-e") == ["2"]
    assert clone.max_retries == 5
    assert clone.timeout == client.timeout
    other = client.with_options(timeout=3, max_retries=1)
    assert (other.timeout, other.max_retries) == (httpx.Timeout(3.0, connect=3.0), 1)
    assert other._owns_http is False


# -- base URL and repr --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "shown", "url"),
    [
        ("https://h.example/api/r2r/", "https://h.example/api/r2r", "https://h.example/api/r2r/v3"),
        ("https://h.example", "https://h.example", "https://h.example/v3"),
        ("https://h.example/", "https://h.example", "https://h.example/v3"),
        ("https://h.example/APIX/", "https://h.example/APIX", "https://h.example/APIX/v3"),
        ("http://localhost:7272/p?x=1#f", "http://localhost:7272/p", "http://localhost:7272/p/v3"),
    ],
)
def test_base_url_joining(base_url: str, shown: str, url: str) -> None:
    request = sent(base_url)
    assert str(request.url) == f"{url}/retrieval/completion"
    client = R2RClient(base_url)
    assert client.base_url == shown
    assert repr(client) == f"R2RClient(base_url={shown!r}, auth='none', max_retries=2)"


@pytest.mark.parametrize("bad", ["ftp://h.example", "http://", "not a url", "", 5, "https://"])
def test_bad_base_url_message(bad: Any) -> None:
    message = f"base_url must be an http(s) URL, got {bad!r}"
    if bad != "":  # "" falls back to the default
        with pytest.raises(ConfigurationError) as info:
            R2RClient(bad)
        assert str(info.value) == message
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError) as info:
        client.set_base_url(bad)
    assert str(info.value) == message


def test_set_base_url_resets_the_cached_urls() -> None:
    client, seen = recording_client()
    client.retrieval.completion(MESSAGES)
    client.set_base_url("https://other.example/x/")
    client.retrieval.completion(MESSAGES)
    assert [str(r.url) for r in seen] == [
        f"{BASE}/v3/retrieval/completion",
        "https://other.example/x/v3/retrieval/completion",
    ]


def test_repr_masks_a_password_in_the_url_and_names_the_credential() -> None:
    client = R2RClient("https://user:pw@h.example/api/", api_key="k", max_retries=4)
    assert repr(client) == (
        "R2RClient(base_url='https://user:**********@h.example/api', auth='api_key in "
        "Authorization', max_retries=4)"
    )


def test_repr_of_a_half_built_client() -> None:
    client = R2RClient.__new__(R2RClient)
    assert repr(client) == "R2RClient(base_url='?', auth='?', max_retries=?)"


# -- insecure transport warnings ---------------------------------------------------------


def warned(action: Callable[[], object]) -> list[str]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        action()
    assert all(w.category is InsecureTransportWarning for w in record)
    return [str(w.message) for w in record]


PLAIN = "http://r2r.example"


def _sending(what: str) -> str:
    return f"sending {what} over plain http to r2r.example; use https"


@pytest.mark.parametrize(
    ("kwargs", "what"),
    [
        ({"api_key": "k"}, "an api key"),
        ({"access_token": "t"}, "an access token"),
        (
            {"default_headers": {"X-Auth": "v", "Accept": "a", "X-Token": "t"}},
            "a credential in default_headers (X-Auth, X-Token)",
        ),
        (
            {
                "http_client": httpx.Client(
                    headers={"X-API-Key": "k", "Accept": "a", "X-Token": "t"}
                )
            },
            "a credential in the http_client's headers (x-api-key, x-token)",
        ),
        ({"http_client": httpx.Client(auth=("u", "p"))}, "the http_client's auth"),
    ],
)
def test_insecure_warning_names_what_carries_the_credential(
    kwargs: dict[str, Any], what: str
) -> None:
    assert warned(lambda: R2RClient(PLAIN, **kwargs)) == [_sending(what)]


def test_no_warning_without_a_credential_or_over_https() -> None:
    assert warned(lambda: R2RClient(PLAIN, http_client=httpx.Client())) == []
    assert warned(lambda: R2RClient("https://r2r.example", api_key="k")) == []
    assert warned(lambda: R2RClient("http://127.0.0.1:7272", api_key="k")) == []


def test_warnings_of_later_calls() -> None:
    client = R2RClient(PLAIN)
    assert warned(lambda: client.set_api_key("k")) == [_sending("an api key")]
    client.unset_api_key()
    assert warned(lambda: client.set_access_token("t")) == [_sending("an access token")]
    assert (
        warned(lambda: client.with_options(extra_headers={"X-Key": "v", "X-Token": "w"}))
        == [
            _sending("a credential in extra_headers (X-Key, X-Token)"),
            _sending("an access token"),
        ][:1]
    )
    assert warned(lambda: client.with_options(extra_headers={"Accept": "a"})) == []
    secure = R2RClient("https://r2r.example", api_key="k")
    assert warned(lambda: secure.set_base_url(PLAIN)) == [_sending("an api key")]


def test_per_call_credential_header_warns() -> None:
    client, _ = recording_client(PLAIN)
    assert warned(
        lambda: client.retrieval.completion(MESSAGES, extra_headers={"X-Key": "v", "X-Token": "w"})
    ) == [_sending("a credential in extra_headers (X-Key, X-Token)")]
    secure, _ = recording_client("https://r2r.example")
    assert warned(lambda: secure.retrieval.completion(MESSAGES, extra_headers={"X-Key": "v"})) == []


# -- sniffio ------------------------------------------------------------------------------


def test_mark_sniffio_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []

    def find_spec(name: str) -> None:
        looked_up.append(name)
        return

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.delitem(sys.modules, "sniffio", raising=False)
    mark_sniffio_absent()
    assert looked_up == ["sniffio"]
    assert "sniffio" in sys.modules
    assert sys.modules["sniffio"] is None
    mark_sniffio_absent()  # already known: not looked up again
    assert looked_up == ["sniffio"]


def test_mark_sniffio_absent_leaves_an_installed_sniffio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.delitem(sys.modules, "sniffio", raising=False)
    mark_sniffio_absent()
    assert "sniffio" not in sys.modules


def test_url_cache_is_bounded() -> None:
    """Each document id is a new path: the parsed URLs kept stay few, the URLs stay right."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return fixture_response("02-put-metadata")

    client = R2RClient(BASE, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(66)]
    for doc_id in ids + ids[:2] + ids[-2:]:
        client.documents.replace_metadata(doc_id, [{"a": 1}])
    assert [str(r.url) for r in seen] == [
        f"{BASE}/v3/documents/{doc_id}/metadata" for doc_id in ids + ids[:2] + ids[-2:]
    ]
    assert len(client._urls) == 64
    assert all(str(url).endswith("/metadata") for url in client._urls.values())

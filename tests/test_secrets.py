"""Credentials never appear in clear: messages, reprs, vars(), traceback locals, logs.

Promises checked:
- a credential refused when given (a stray newline, not ASCII...) is named by where it came
  from, never echoed: not in the message, the repr, nor a traceback rendered with its locals
  (where it shows as `Secret('**********')`);
- the headers the client hands out (an error's `response.request.headers`, a raw response's,
  a stream's) print with every credential masked: the scheme of `Authorization` kept
  (`Bearer **********`), any header named like a credential masked, and any header whose value
  contains the credential masked whatever its name; a repeated header with each of its values;
- no object of ours shows a credential through repr, `vars()` or `__slots__`, and a header
  given in `default_headers`/`extra_headers` shows masked in a traceback's locals, where
  everything else shows as it is (other headers, an option left out as `NOT_GIVEN`);
- no log line shows it (ours, httpx's, httpcore's), at DEBUG, through retries and failures.

SECRET is a module constant: the test functions never hold it in a local variable, so a
traceback rendered with its locals shows it only if one of the client's frames does.
"""

from __future__ import annotations

import logging
import re
import socket
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _config_errors_helpers import rendered
from _helpers import BASE, KINDS, SECRET, call, fixture_response

from r2r_client import (
    APIConnectionError,
    AsyncR2RClient,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    R2RClient,
    R2RError,
    __version__,
)
from r2r_client.testing import FakeR2RServer

RAG = "/v3/retrieval/rag"
MASK = "**********"

CREDENTIAL_WAYS = [
    pytest.param({"api_key": SECRET}, id="api_key-bearer"),
    pytest.param({"api_key": SECRET, "auth_header": "x-api-key"}, id="api_key-x-api-key"),
    pytest.param({"access_token": SECRET}, id="access_token-bearer"),
    pytest.param({"access_token": SECRET, "token_header": "token"}, id="access_token-token"),
    pytest.param({"default_headers": {"X-API-Key": SECRET}}, id="default_headers"),
]


def assert_hidden(error: BaseException) -> None:
    for text in (str(error), repr(error), repr(error.args), rendered(error)):
        assert SECRET not in text
    assert SECRET not in "".join(traceback.format_exception(error))


# -- credentials refused when given ------------------------------------------------------------

BAD_KEYS = [
    pytest.param(SECRET + "\n", "whitespace", id="trailing-newline"),
    pytest.param(" " + SECRET, "whitespace", id="leading-space"),
    pytest.param(SECRET[:5] + "\r\n" + SECRET[5:], "line break", id="inner-crlf"),
    pytest.param(SECRET + "é", "ASCII", id="non-ascii"),
    pytest.param(SECRET + "\x00", "control", id="nul"),
]


@pytest.mark.parametrize(("key", "problem"), BAD_KEYS)
@pytest.mark.parametrize(
    "give",
    [
        pytest.param(lambda k: R2RClient(BASE, api_key=k), id="R2RClient-api_key"),
        pytest.param(lambda k: AsyncR2RClient(BASE, access_token=k), id="Async-access_token"),
        pytest.param(lambda k: R2RClient(BASE).set_api_key(k), id="set_api_key"),
        pytest.param(
            lambda k: R2RClient(BASE).set_access_token(k, token_header="token"),
            id="set_access_token",
        ),
    ],
)
def test_a_refused_credential_is_never_echoed(give: Any, key: str, problem: str) -> None:
    with respx.mock(base_url=BASE) as router, pytest.raises(ConfigurationError) as info:
        give(key)
    assert router.calls.call_count == 0
    assert problem in info.value.message
    assert info.value.message.endswith(" (its value is not shown)")
    assert_hidden(info.value)
    assert SECRET[3:12] not in rendered(info.value)
    # what a debugger's locals show: the mask, and nothing else
    assert re.search(r" = Secret\('\*{10}'\)$", rendered(info.value), re.MULTILINE)


def test_a_refused_key_from_the_environment_is_never_echoed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("R2R_API_KEY", SECRET + "\n")
    with pytest.raises(ConfigurationError, match="R2R_API_KEY") as info:
        R2RClient(BASE)
    assert_hidden(info.value)


@pytest.mark.parametrize("name", ["X-API-Key", "token", "X-My-Auth", "Authorization"])
def test_a_refused_credential_header_is_named_but_never_echoed(name: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, default_headers={name: SECRET + "\n"})
    assert info.value.message.startswith(f"default_headers[{name!r}] has leading or trailing")
    assert_hidden(info.value)
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE).with_options(extra_headers={name: SECRET + "\n"})
    assert info.value.message.startswith(f"extra_headers[{name!r}] has leading or trailing")
    assert_hidden(info.value)


@pytest.mark.parametrize(
    ("headers", "shown"),
    [
        ({"Authorization": f"Bearer {SECRET}"}, f"'Authorization': 'Bearer {MASK}'"),
        ({"X-API-Key": SECRET}, f"'X-API-Key': '{MASK}'"),
        ({"X-My-Auth": f"Token {SECRET}"}, f"'X-My-Auth': 'Token {MASK}'"),
    ],
)
def test_credential_headers_show_masked_in_a_tracebacks_locals(
    headers: dict[str, str], shown: str
) -> None:
    bad = {**headers, "bad name": "v"}
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, default_headers=bad)
    assert shown in rendered(info.value)
    assert_hidden(info.value)
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE).with_options(extra_headers=bad)
    assert shown in rendered(info.value)
    assert_hidden(info.value)


@pytest.mark.loopback
def test_a_key_read_with_its_newline_never_reaches_the_wire_or_a_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name in ("httpx", "httpcore", "r2r_client"):
        caplog.set_level(logging.DEBUG, logger=name)
    with FakeR2RServer() as server, R2RClient(server.base_url, max_retries=0) as client:
        with pytest.raises(ConfigurationError):
            client.set_api_key(SECRET + "\n")
        assert client.retrieval.rag("q").results.generated_answer
        assert server.requests
        assert all(SECRET not in repr(r.headers) for r in server.requests)
    assert caplog.records
    assert SECRET not in caplog.text


# -- headers we hand out -------------------------------------------------------------------------


def _headers_repr(*items: tuple[str, str]) -> str:
    base = [
        ("host", "api.intelligence.io.solutions"),
        ("accept-encoding", "gzip, deflate"),
        ("connection", "keep-alive"),
        ("accept", "application/json"),
        ("user-agent", f"r2r-client/{__version__}"),
        ("content-type", "application/json"),
    ]
    return f"MaskedHeaders({dict([*base, *items, ('content-length', '13')])!r})"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("kwargs", "shown"),
    [
        pytest.param(
            {"api_key": SECRET},
            _headers_repr(("authorization", f"Bearer {MASK}")),
            id="bearer-keeps-its-scheme",
        ),
        pytest.param(
            {"api_key": SECRET, "auth_header": "x-api-key"},
            _headers_repr(("x-api-key", MASK)),
            id="x-api-key",
        ),
        pytest.param(
            {"access_token": SECRET, "token_header": "token"},
            _headers_repr(("token", MASK)),
            id="token",
        ),
        pytest.param(
            {"default_headers": {"X-Gateway-Credential": SECRET}},
            _headers_repr(("x-gateway-credential", MASK)),
            id="credential-like-name",
        ),
        pytest.param(
            {"api_key": SECRET, "default_headers": {"X-Echo": f"user:{SECRET}", "X-Part": "TOP"}},
            _headers_repr(("authorization", f"Bearer {MASK}"), ("x-echo", MASK), ("x-part", "TOP")),
            id="the-key-under-a-harmless-name",
        ),
        pytest.param(
            {"api_key": SECRET, "auth_header": "x-api-key", "default_headers": {"X-Echo": SECRET}},
            _headers_repr(("x-api-key", MASK), ("x-echo", MASK)),
            id="the-key-again-beside-x-api-key",
        ),
        pytest.param(
            {"api_key": "two words", "default_headers": {"X-Echo": "words", "X-Both": "two words"}},
            _headers_repr(
                ("authorization", f"Bearer {MASK}"), ("x-echo", "words"), ("x-both", MASK)
            ),
            id="only-the-whole-key-is-masked",
        ),
    ],
)
def test_the_headers_of_an_errors_request_print_masked(
    kind: str, kwargs: dict[str, Any], shown: str
) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=fixture_response("18-rag-bad-bearer-on-noauth"))
        with pytest.raises(AuthenticationError) as info:
            call(kind, lambda c: c.retrieval.rag("q"), max_retries=0, **kwargs)
    request = info.value.response.request
    assert repr(request.headers) == shown
    assert str(request.headers) == shown
    assert repr(request) == f"<Request('POST', '{BASE}{RAG}')>"
    assert_hidden(info.value)


@pytest.mark.parametrize(
    "name",
    [
        "X-My-Auth",
        "X-Session-Token",
        "X-Key",
        "X-Secret",
        "Cookie",
        "X-Password",
        "X-Signature",
        "X-Credential",
        "X-SECRET-VALUE",
    ],
)
def test_a_header_named_like_a_credential_prints_masked_whatever_its_value(name: str) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=fixture_response("06-rag"))
        with R2RClient(BASE, default_headers={name: "plain value"}) as client:
            raw = client.with_raw_response.retrieval.rag("q")
    headers = raw.http_response.request.headers
    assert headers[name] == "plain value"
    assert f"{name.lower()!r}: '{MASK}'" in repr(headers)
    assert "plain value" not in repr(headers)


@pytest.mark.parametrize("name", ["X-Trace", "Content-Language", "X-Request-Id", "X-Kee"])
def test_other_headers_print_as_they_are(name: str) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=fixture_response("06-rag"))
        with R2RClient(BASE, default_headers={name: "plain value"}) as client:
            raw = client.with_raw_response.retrieval.rag("q")
    assert f"{name.lower()!r}: 'plain value'" in repr(raw.http_response.request.headers)


@pytest.mark.parametrize("kind", KINDS)
def test_a_repeated_header_prints_each_of_its_values(kind: str) -> None:
    repeated = [("X-Trace", "a"), ("X-Trace", "b"), ("X-Key", "k1"), ("X-Key", "k2")]
    http = httpx.Client(headers=repeated) if kind == "sync" else httpx.AsyncClient(headers=repeated)
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=fixture_response("06-rag"))
        raw = call(kind, lambda c: c.with_raw_response.retrieval.rag("q"), http_client=http)
    headers = [
        ("host", "api.intelligence.io.solutions"),
        ("accept-encoding", "gzip, deflate"),
        ("connection", "keep-alive"),
        ("x-trace", "a"),
        ("x-trace", "b"),
        ("x-key", MASK),
        ("x-key", MASK),
        ("accept", "application/json"),
        ("user-agent", f"r2r-client/{__version__}"),
        ("content-type", "application/json"),
        ("content-length", "13"),
    ]
    assert repr(raw.http_response.request.headers) == f"MaskedHeaders({headers!r})"


def test_raw_and_streamed_responses_mask_their_request_headers() -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(
            return_value=httpx.Response(200, headers={"content-type": "text/event-stream"})
        )
        with R2RClient(BASE, api_key=SECRET, auth_header="x-api-key") as client:
            raw = client.with_raw_response.retrieval.rag("q", stream=True)
            stream = client.retrieval.rag("q", stream=True)
            for response in (raw.http_response, stream.response):
                assert SECRET in response.request.headers["x-api-key"]  # sent...
                assert f"'x-api-key': '{MASK}'" in repr(response.request.headers)  # ...not shown
                assert SECRET not in repr(response.request.headers)
            stream.close()


# -- reprs, vars() and the locals of our frames ------------------------------------------------


def ours(value: object) -> bool:
    return type(value).__module__.startswith(("r2r_client", "r2r_api"))


def introspection(root: object) -> Iterator[str]:
    """repr() of everything vars() and __slots__ show on the client's own objects."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield repr(obj)
        fields: dict[str, Any] = dict(getattr(obj, "__dict__", {}))
        for cls in type(obj).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if hasattr(obj, slot):
                    fields[slot] = getattr(obj, slot)
        yield repr(fields)
        for value in fields.values():
            items = value.values() if isinstance(value, dict) else [value]
            todo.extend(v for v in items if ours(v))


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_no_object_of_ours_shows_the_credential(cls: type[Any], kwargs: dict[str, Any]) -> None:
    client = cls(BASE, **kwargs)
    clone = client.with_options(timeout=3.0)
    texts: list[str] = []
    for root in (client, clone, client.retrieval, client.documents, client.with_raw_response):
        texts.extend(introspection(root))
    assert len(texts) > 10
    for text in texts:
        assert SECRET not in text
    assert SECRET not in repr(vars(client))
    assert SECRET not in str(client)


@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_traceback_locals_of_a_refused_call_hide_the_credential(kwargs: dict[str, Any]) -> None:
    # A second credential is refused while the request's headers are being built.
    second = {"token": "t"} if "token_header" not in kwargs else {"X-API-Key": "k"}
    with (
        respx.mock(base_url=BASE),
        R2RClient(BASE, **kwargs) as client,
        pytest.raises(ConfigurationError) as info,
    ):
        client.retrieval.rag("q", extra_headers=second)
    assert_hidden(info.value)
    assert MASK in rendered(info.value)


@pytest.mark.parametrize("name", ["X-API-Key", "token", "X-Gateway-Auth"])
def test_traceback_locals_hide_a_credential_given_to_one_call(name: str) -> None:
    with (
        respx.mock(base_url=BASE),
        R2RClient(BASE) as client,
        pytest.raises(InvalidRequestError) as info,  # refused before sending
    ):
        client.retrieval.rag("q", extra_headers={name: SECRET, "bad name": "v"})
    assert_hidden(info.value)


@pytest.mark.parametrize("kind", KINDS)
def test_traceback_locals_show_all_but_credentials_as_they_are(kind: str) -> None:
    """Only credentials are masked: other headers show their values, and an option the call
    left out shows as NOT_GIVEN, as help() and the API record spell it."""
    with respx.mock(base_url=BASE), pytest.raises(ConfigurationError) as info:
        call(
            kind,
            lambda c: c.with_options(extra_headers={"X-Request-Id": "req-7"}).retrieval.rag(
                "q", extra_headers={"token": "t"}
            ),
            api_key=SECRET,
            default_headers={"X-Trace": "trace-1"},
        )
    shown = rendered(info.value)
    assert "'X-Trace': 'trace-1', 'X-Request-Id': 'req-7', 'token': '**********'}" in shown
    assert re.search(r"^    timeout = NOT_GIVEN$", shown, re.MULTILINE)
    assert_hidden(info.value)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.loopback
@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_traceback_locals_of_a_connection_error_hide_the_credential(
    kwargs: dict[str, Any],
) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    with (
        R2RClient(base, max_retries=0, **kwargs) as client,
        pytest.raises(APIConnectionError) as info,
    ):
        client.retrieval.rag("q")
    assert_hidden(info.value)


# -- logs ---------------------------------------------------------------------------------------


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything ours, httpx and httpcore log, down to DEBUG."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "r2r_client"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.mark.loopback
@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_no_log_line_shows_the_credential(
    kwargs: dict[str, Any], every_log: pytest.LogCaptureFixture
) -> None:
    errors: list[R2RError] = []
    with FakeR2RServer() as server:
        with R2RClient(server.base_url, max_retries=1, **kwargs) as client:
            for fault in ("status_503", "drop_mid_stream"):
                server.fail_next(fault, count=2)
                try:
                    client.retrieval.rag("q")
                except R2RError as exc:
                    errors.append(exc)
            assert client.retrieval.rag("q", stream=True).final_answer().generated_answer
            assert client.retrieval.rag("q").results.generated_answer
        assert all(SECRET in "".join(r.headers.values()) for r in server.requests)
    assert len(errors) == 2
    assert {r.name.split(".")[0] for r in every_log.records} >= {"httpcore", "httpx", "r2r_client"}
    for record in every_log.records:
        assert SECRET not in record.getMessage()
    assert SECRET not in every_log.text
    for error in errors:
        assert_hidden(error)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("sleeps")
def test_a_401_after_a_retry_shows_the_credential_nowhere(
    kind: str, every_log: pytest.LogCaptureFixture
) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post(RAG).mock(
            side_effect=[
                httpx.Response(503, json={"message": "busy"}),
                fixture_response("18-rag-bad-bearer-on-noauth"),
            ]
        )
        with pytest.raises(AuthenticationError) as info:
            call(kind, lambda c: c.retrieval.rag("q"), api_key=SECRET)
    assert route.call_count == 2
    assert route.calls.last.request.headers["authorization"] == f"Bearer {SECRET}"
    assert_hidden(info.value)
    assert SECRET not in repr(info.value.body)
    assert any(r.name == "r2r_client" for r in every_log.records)
    for record in every_log.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)
    assert SECRET not in every_log.text


@pytest.mark.usefixtures("sleeps")
def test_a_connection_error_shows_the_credential_nowhere(
    every_log: pytest.LogCaptureFixture,
) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(APIConnectionError) as info:
            call("sync", lambda c: c.retrieval.rag("q"), api_key=SECRET, max_retries=1)
    assert_hidden(info.value)
    assert SECRET not in every_log.text

"""Credentials never appear in clear: messages, logs, reprs, vars(), frame locals, redirects.

SECRET is a module constant: the test functions never hold it in a local variable, so a
traceback rendered with its locals shows it only if one of the client's frames does.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, SECRET, call, fixture_response

from r2r_client import (
    APIConnectionError,
    APIStatusError,
    AsyncR2RClient,
    AuthenticationError,
    ConfigurationError,
    InsecureTransportWarning,
    R2RClient,
    R2RError,
)
from r2r_client.testing import FakeR2RServer

RAG = "/v3/retrieval/rag"
OTHER = "https://elsewhere.example.net"
TESTS = str(Path(__file__).parent)

CREDENTIAL_WAYS = [
    pytest.param({"api_key": SECRET}, id="api_key-bearer"),
    pytest.param({"api_key": SECRET, "auth_header": "x-api-key"}, id="api_key-x-api-key"),
    pytest.param({"access_token": SECRET}, id="access_token-bearer"),
    pytest.param({"access_token": SECRET, "token_header": "token"}, id="access_token-token"),
    pytest.param({"default_headers": {"X-API-Key": SECRET}}, id="default_headers"),
]


def harness(filename: str) -> bool:
    """A frame of mutation testing's trampolines (`nox -s mutate`), which stand between a
    caller and our functions and hold the caller's arguments; not ours, not the user's."""
    return f"{os.sep}mutmut{os.sep}" in filename


def rendered(error: BaseException) -> str:
    """The error as Sentry, `pytest --showlocals` or rich show it: chain and frame locals.

    The tests' own frames are left out: their parameters hold the credential on purpose.
    """
    report = traceback.TracebackException.from_exception(error, capture_locals=True)
    todo, seen = [report], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.stack[:] = [
            f for f in current.stack if not f.filename.startswith(TESTS) and not harness(f.filename)
        ]
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return "".join(report.format())


def assert_hidden(error: BaseException) -> None:
    for text in (str(error), repr(error), repr(error.args), rendered(error)):
        assert SECRET not in text
    assert SECRET not in "".join(traceback.format_exception(error))


# -- credentials are checked when given, and never echoed ---------------------------------------

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
def test_bad_credential_is_a_configuration_error_that_never_echoes_it(
    give: Any, key: str, problem: str
) -> None:
    with respx.mock(base_url=BASE) as router, pytest.raises(ConfigurationError) as info:
        give(key)
    assert router.calls.call_count == 0
    assert problem in info.value.message
    assert_hidden(info.value)
    assert SECRET[3:12] not in rendered(info.value)


@pytest.mark.loopback
def test_a_key_read_with_its_newline_never_reaches_the_wire_or_a_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name in ("httpx", "httpcore", "r2r_client"):
        caplog.set_level(logging.DEBUG, logger=name)
    with FakeR2RServer() as server, R2RClient(server.base_url, max_retries=0) as client:
        with pytest.raises(ConfigurationError):
            client.set_api_key(SECRET + "\n")
        try:
            client.retrieval.rag("q")
        except R2RError as exc:
            assert_hidden(exc)
        assert all(SECRET not in repr(r.headers) for r in server.requests)
    assert caplog.records
    assert SECRET not in caplog.text


def test_bad_credential_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2R_API_KEY", SECRET + "\n")
    with pytest.raises(ConfigurationError, match="R2R_API_KEY") as info:
        R2RClient(BASE)
    assert_hidden(info.value)


@pytest.mark.parametrize("bad", [b"sk-bytes", 12345, ""])
def test_credential_that_is_not_a_string(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="string"):
        R2RClient(BASE, api_key=bad)


@pytest.mark.parametrize("name", ["X-API-Key", "token", "X-My-Auth"])
def test_bad_credential_in_default_headers_is_not_echoed(name: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, default_headers={name: SECRET + "\n"})
    assert name in info.value.message
    assert_hidden(info.value)


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


@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_no_object_of_ours_shows_the_credential(kwargs: dict[str, Any]) -> None:
    client = R2RClient(BASE, **kwargs)
    clone = client.with_options(timeout=3.0)
    for root in (client, clone, client.retrieval, client.with_raw_response):
        for text in introspection(root):
            assert SECRET not in text
    assert SECRET not in repr(vars(client))
    client.close()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_headers_we_hand_out_are_masked(kind: str, kwargs: dict[str, Any]) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=fixture_response("18-rag-bad-bearer-on-noauth"))
        with pytest.raises(AuthenticationError) as info:
            call(kind, lambda c: c.retrieval.rag("q"), max_retries=0, **kwargs)
    request = info.value.response.request
    sent = dict(request.headers)
    assert SECRET in "".join(sent.values())  # it was sent...
    for text in (repr(request.headers), str(request.headers), repr(request)):
        assert SECRET not in text  # ...but is never shown
    assert "**********" in repr(request.headers)
    assert_hidden(info.value)


def test_raw_and_stream_responses_mask_their_request_headers() -> None:
    status, headers, body = (200, [("content-type", "text/event-stream")], b"")
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=httpx.Response(status, headers=headers, content=body))
        with R2RClient(BASE, api_key=SECRET, auth_header="x-api-key") as client:
            raw = client.with_raw_response.retrieval.rag("q", stream=True)
            stream = client.retrieval.rag("q", stream=True)
            for response in (raw.http_response, stream.response):
                assert SECRET not in repr(response.request.headers)
            stream.close()


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


@pytest.mark.loopback
@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_no_log_line_shows_the_credential(
    kwargs: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "r2r_client"):
        caplog.set_level(logging.DEBUG, logger=name)
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
    assert {r.name.split(".")[0] for r in caplog.records} >= {"httpcore", "httpx", "r2r_client"}
    for record in caplog.records:
        assert SECRET not in record.getMessage()
    assert SECRET not in caplog.text
    for error in errors:
        assert_hidden(error)


# -- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        *CREDENTIAL_WAYS,
        pytest.param({"default_headers": {"X-Gateway-Credential": SECRET}}, id="any-name"),
    ],
)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_cross_origin_redirect_drops_every_credential(kwargs: dict[str, Any], status: int) -> None:
    with respx.mock() as router:
        router.post(f"{BASE}{RAG}").mock(
            return_value=httpx.Response(status, headers={"Location": f"{OTHER}/v3/retrieval/rag"})
        )
        elsewhere = router.route(host="elsewhere.example.net").mock(
            return_value=fixture_response("06-rag")
        )
        http = httpx.Client(follow_redirects=True)
        with R2RClient(BASE, http_client=http, **kwargs) as client:
            client.retrieval.rag("q")
        http.close()
    assert elsewhere.call_count == 1
    forwarded = elsewhere.calls.last.request
    assert SECRET not in repr(forwarded.headers.raw)
    assert forwarded.url.host == "elsewhere.example.net"


@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
def test_same_origin_redirect_keeps_the_credential(kwargs: dict[str, Any]) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(
            return_value=httpx.Response(307, headers={"Location": f"{BASE}/v3/retrieval/rag2"})
        )
        moved = router.post("/v3/retrieval/rag2").mock(return_value=fixture_response("06-rag"))
        http = httpx.Client(follow_redirects=True)
        with R2RClient(BASE, http_client=http, **kwargs) as client:
            result = client.retrieval.rag("q")
        http.close()
    assert result.results.generated_answer
    request = moved.calls.last.request
    assert SECRET in repr(request.headers.raw)
    assert request.content == b'{"query":"q"}'


def test_async_cross_origin_redirect_drops_the_credential() -> None:
    async def main() -> None:
        async with (
            httpx.AsyncClient(follow_redirects=True) as http,
            AsyncR2RClient(BASE, http_client=http, api_key=SECRET, auth_header="x-api-key") as c,
        ):
            await c.retrieval.rag("q")

    with respx.mock() as router:
        router.post(f"{BASE}{RAG}").mock(
            return_value=httpx.Response(308, headers={"Location": f"{OTHER}/rag"})
        )
        elsewhere = router.post(f"{OTHER}/rag").mock(return_value=fixture_response("06-rag"))
        asyncio.run(main())
    assert SECRET not in repr(elsewhere.calls.last.request.headers.raw)


def test_redirects_are_not_followed_unless_the_http_client_says_so() -> None:
    with respx.mock(assert_all_called=False) as router:
        router.post(f"{BASE}{RAG}").mock(
            return_value=httpx.Response(307, headers={"Location": f"{OTHER}/rag"})
        )
        elsewhere = router.post(f"{OTHER}/rag").mock(return_value=fixture_response("06-rag"))
        with R2RClient(BASE, api_key=SECRET) as client, pytest.raises(APIStatusError) as info:
            client.retrieval.rag("q")
    assert info.value.status_code == 307
    assert elsewhere.call_count == 0


def test_too_many_redirects_end_in_a_status_error() -> None:
    with respx.mock(base_url=BASE) as router:
        loop = router.post(RAG).mock(
            return_value=httpx.Response(307, headers={"Location": f"{BASE}{RAG}"})
        )
        http = httpx.Client(follow_redirects=True, max_redirects=3)
        with R2RClient(BASE, http_client=http) as client, pytest.raises(APIStatusError) as info:
            client.retrieval.rag("q")
        http.close()
    assert info.value.status_code == 307
    assert "redirect" in info.value.message
    assert loop.call_count == 4


# -- the insecure-transport warning --------------------------------------------------------------

PLAIN = "http://r2r.example.com:7272"


def assert_warned(record: list[warnings.WarningMessage]) -> None:
    assert [w.category for w in record] == [InsecureTransportWarning]
    message = str(record[0].message)
    assert "r2r.example.com" in message
    assert SECRET not in message
    assert record[0].filename == __file__ or harness(record[0].filename)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"default_headers": {"X-API-Key": SECRET}}, id="default_headers"),
        pytest.param({"default_headers": {"Authorization": f"Bearer {SECRET}"}}, id="auth"),
        pytest.param(
            {"http_client": httpx.Client(headers={"token": SECRET})}, id="http_client-headers"
        ),
        pytest.param({"http_client": httpx.Client(auth=("u", SECRET))}, id="http_client-auth"),
    ],
)
def test_insecure_warning_covers_every_way_of_passing_a_credential(kwargs: dict[str, Any]) -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        R2RClient(PLAIN, **kwargs)
    assert_warned(record)


def test_insecure_warning_for_per_call_and_with_options_headers() -> None:
    client = R2RClient(PLAIN)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        client.with_options(extra_headers={"X-API-Key": SECRET})
    assert_warned(record)
    with respx.mock(base_url=PLAIN) as router:
        router.post(RAG).mock(return_value=fixture_response("06-rag"))
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            client.retrieval.rag("q", extra_headers={"X-API-Key": SECRET})
    assert_warned(record)
    client.close()


def test_set_base_url_to_plain_http_warns_for_default_headers() -> None:
    client = R2RClient(BASE, default_headers={"X-API-Key": SECRET})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        client.set_base_url(PLAIN)
    assert_warned(record)


def test_no_insecure_warning_for_ordinary_headers_or_loopback() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        R2RClient(PLAIN, default_headers={"X-Trace": "t"}).close()
        R2RClient("http://127.0.0.1:7272", default_headers={"X-API-Key": SECRET}).close()

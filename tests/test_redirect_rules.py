"""Redirects, status and connection errors: which headers follow, exact messages (mutmut)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from _helpers import BASE, KINDS, async_connection_pool, call, connection_pool, fixture_response

from r2r_client import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncR2RClient,
    ClientClosedError,
    InternalServerError,
    InvalidRequestError,
    R2RClient,
    StreamDisconnectedError,
    UnprocessableEntityError,
)
from r2r_client._redirects import MAX_REDIRECTS_MESSAGE, redirect_request
from r2r_client.errors import status_error_from_response

MESSAGES = [{"role": "user", "content": "hi"}]
HEADERS = {
    "Accept": "application/json",
    "User-Agent": "r2r-client/x",
    "Content-Type": "application/json",
    "X-API-Key": "k",
    "token": "t",
    "X-Custom": "c",
}


def redirected(
    status: int,
    location: str,
    *,
    method: str = "POST",
    url: str = "https://a.example/api/x",
    headers: dict[str, str] | None = None,
) -> httpx.Request | None:
    request = httpx.Request(
        method,
        url,
        headers=HEADERS if headers is None else headers,
        content=b'{"a": 1}' if method not in ("GET", "HEAD") else None,
        extensions={"timeout": {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}},
    )
    response = httpx.Response(status, headers={"Location": location}, request=request)
    return redirect_request(response)


def names(request: httpx.Request | None) -> set[str]:
    assert request is not None
    return {name.lower() for name in request.headers if name.lower() != "host"}


@pytest.mark.parametrize(
    ("status", "method", "then"),
    [
        (301, "POST", "GET"),
        (302, "POST", "GET"),
        (303, "POST", "GET"),
        (303, "PUT", "GET"),
        (303, "HEAD", "HEAD"),
        (301, "PUT", "PUT"),
        (302, "PUT", "PUT"),
        (307, "POST", "POST"),
        (308, "PUT", "PUT"),
        (304, "POST", "POST"),
    ],
)
def test_method_after_a_redirect(status: int, method: str, then: str) -> None:
    new = redirected(status, "/api/y", method=method)
    assert new is not None
    assert new.method == then
    body_headers = {"content-type", "content-length"}
    if then == method:
        assert new.content == (b'{"a": 1}' if method != "HEAD" else b"")
        if method != "HEAD":
            assert body_headers <= names(new)
    else:
        assert new.content == b""
        assert not body_headers & names(new)


def test_same_origin_keeps_every_header_and_the_extensions() -> None:
    new = redirected(307, "/api/y")
    assert new is not None
    assert str(new.url) == "https://a.example/api/y"
    assert names(new) == {name.lower() for name in HEADERS} | {"content-length"}
    assert new.extensions == {"timeout": {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}}
    assert "**********" in repr(new.headers)


def test_cross_origin_keeps_only_harmless_headers() -> None:
    new = redirected(307, "https://b.example/y")
    assert names(new) == {"accept", "user-agent", "content-type", "content-length"}
    assert new is not None
    assert new.headers["host"] == "b.example"


def test_a_given_host_header_is_not_carried_over() -> None:
    new = redirected(302, "/y", method="GET", headers={"Host": "virtual.example", "Accept": "a"})
    assert new is not None
    assert new.headers.get_list("host") == ["a.example"]


@pytest.mark.parametrize(
    ("url", "location", "same"),
    [
        ("http://a.example/x", "https://a.example/y", True),  # upgrade to https
        ("http://a.example:80/x", "https://a.example:443/y", True),
        ("http://a.example:8080/x", "https://a.example/y", False),
        ("http://a.example/x", "https://a.example:8443/y", False),
        ("https://a.example/x", "http://a.example/y", False),  # downgrade
        ("https://a.example/x", "https://a.example:443/y", True),
        ("https://a.example/x", "https://a.example:444/y", False),
        ("https://a.example/x", "https://b.example/y", False),
        ("http://a.example/x", "http://a.example:80/y", True),
    ],
)
def test_what_counts_as_the_same_origin(url: str, location: str, same: bool) -> None:
    new = redirected(307, location, url=url)
    assert ("x-api-key" in names(new)) is same


@pytest.mark.parametrize("location", ["ftp://a.example/y", "http:/nohost", "http://a.example:abc/"])
def test_no_request_for_a_location_that_is_not_http(location: str) -> None:
    assert redirected(302, location) is None


def test_no_request_without_a_location() -> None:
    request = httpx.Request("GET", "https://a.example/")
    assert redirect_request(httpx.Response(302, request=request)) is None


# -- the clients following redirects -------------------------------------------------------


class Server:
    """Answers by path: a list of (status, headers) per path, the last one repeated."""

    def __init__(self, routes: dict[str, list[tuple[int, dict[str, str]]]]) -> None:
        self.routes = routes
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        assert len(self.seen) <= 10, "a redirect loop: the client should have stopped"
        key = f"{request.url.host}{request.url.path}"
        answers = self.routes[key]
        status, headers = answers.pop(0) if len(answers) > 1 else answers[0]
        if status == 200:
            return fixture_response("04-completion")
        return httpx.Response(status, headers=headers, json={"detail": f"{status} here"})


COMPLETION = "/api/r2r/v3/retrieval/completion"
HOST = "api.intelligence.io.solutions"


def run(kind: str, server: Server, fn: Callable[[Any], Any], **kwargs: Any) -> Any:
    transport = httpx.MockTransport(server)
    if kind == "sync":
        http: Any = httpx.Client(transport=transport, follow_redirects=True, max_redirects=2)
    else:
        http = httpx.AsyncClient(transport=transport, follow_redirects=True, max_redirects=2)
    try:
        return call(kind, fn, http_client=http, **kwargs)
    except Exception as exc:
        return exc


@pytest.mark.parametrize("kind", KINDS)
def test_redirect_chain_is_followed_with_history(kind: str) -> None:
    server = Server(
        {
            HOST + COMPLETION: [(307, {"Location": "/api/r2r/v3/other"})],
            HOST + "/api/r2r/v3/other": [(308, {"Location": "https://b.example/final"})],
            "b.example/final": [(200, {})],
        }
    )
    raw = run(
        kind,
        server,
        lambda c: c.with_raw_response.retrieval.completion(MESSAGES),
        api_key="sk-secret",
        auth_header="x-api-key",
    )
    history = raw.http_response.history
    assert [r.status_code for r in history] == [307, 308]
    assert [str(r.url) for r in history] == [
        f"https://{HOST}{COMPLETION}",
        f"https://{HOST}/api/r2r/v3/other",
    ]
    assert [r.headers.get("x-api-key") for r in server.seen] == ["sk-secret", "sk-secret", None]
    assert [r.method for r in server.seen] == ["POST", "POST", "POST"]


@pytest.mark.parametrize("kind", KINDS)
def test_too_many_redirects(kind: str) -> None:
    server = Server({HOST + COMPLETION: [(302, {"Location": COMPLETION})]})
    exc = run(kind, server, lambda c: c.retrieval.completion(MESSAGES))
    assert type(exc) is APIStatusError
    assert exc.message == MAX_REDIRECTS_MESSAGE
    assert str(exc) == (
        "Error code: 302 - too many redirects; the server keeps redirecting this request"
    )
    assert exc.response.status_code == 302
    assert len(server.seen) == 3  # the request and max_redirects=2 redirects


@pytest.mark.parametrize("location", ["ftp://files.example/x", "http:/nohost"])
@pytest.mark.parametrize("kind", KINDS)
def test_redirect_that_cannot_be_followed(kind: str, location: str) -> None:
    server = Server({HOST + COMPLETION: [(302, {"Location": location})]})
    exc = run(kind, server, lambda c: c.retrieval.completion(MESSAGES))
    assert type(exc) is APIStatusError
    assert exc.message == "302 here"
    assert exc.status_code == 302
    assert len(server.seen) == 1


@pytest.mark.parametrize("follow", [True, False])
@pytest.mark.parametrize("kind", KINDS)
def test_a_location_host_idna_cannot_read_is_a_typed_error(kind: str, follow: bool) -> None:
    # httpx builds the next request of every redirect and lets idna's error escape.
    server = Server({HOST + COMPLETION: [(302, {"Location": "http://xn--/"})]})
    transport = httpx.MockTransport(server)
    http: Any = (httpx.Client if kind == "sync" else httpx.AsyncClient)(
        transport=transport, follow_redirects=follow
    )
    with pytest.raises(APIResponseValidationError) as caught:
        call(kind, lambda c: c.retrieval.completion(MESSAGES), http_client=http)
    assert str(caught.value) == (
        "the server redirected to a URL that cannot be read (Malformed A-label, no Punycode "
        "eligible content found)"
    )
    assert caught.value.response is None
    assert len(server.seen) == 1  # not retried


@pytest.mark.parametrize("kind", KINDS)
def test_one_redirect_less_than_the_limit_is_followed(kind: str) -> None:
    server = Server(
        {
            HOST + COMPLETION: [(302, {"Location": "/a"})],
            HOST + "/a": [(302, {"Location": "/b"})],
            HOST + "/b": [(200, {})],
        }
    )
    result = run(kind, server, lambda c: c.with_raw_response.retrieval.completion(MESSAGES))
    assert [r.status_code for r in result.http_response.history] == [302, 302]
    assert [r.method for r in server.seen] == ["POST", "GET", "GET"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_redirected_stream_is_not_read_ahead(kind: str) -> None:
    pulled: list[int] = []

    class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            pulled.append(1)
            yield b"event: done\ndata: [DONE]\n\n"

        async def __aiter__(self) -> Any:
            pulled.append(1)
            yield b"event: done\ndata: [DONE]\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/final":
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=Body())
        return httpx.Response(307, headers={"Location": "/final"})

    transport = httpx.MockTransport(handler)

    if kind == "sync":
        with R2RClient(
            BASE, http_client=httpx.Client(transport=transport, follow_redirects=True)
        ) as c:
            stream = c.retrieval.rag("q", stream=True)
            assert pulled == []
            stream.close()
        return

    async def main() -> None:
        http = httpx.AsyncClient(transport=transport, follow_redirects=True)
        async with AsyncR2RClient(BASE, http_client=http) as c:
            stream = await c.retrieval.rag("q", stream=True)
            assert pulled == []
            await stream.close()

    asyncio.run(main())


# -- status errors and their messages ------------------------------------------------------


def status_error(status: int, content: bytes = b"", headers: Any = None) -> APIStatusError:
    request = httpx.Request("POST", "https://a.example/api/x?key=secret")
    response = httpx.Response(status, headers=headers, content=content, request=request)
    return status_error_from_response(response)


@pytest.mark.parametrize(
    ("location", "where"),
    [
        ("https://user:pw@b.example/p?key=1#frag", "https://b.example/p"),
        ("/other?x=1", "https://a.example/other"),
        ("http://a.example:abc/", "an address that is not a valid URL"),
    ],
)
def test_unfollowed_redirect_message(location: str, where: str) -> None:
    error = status_error(302, headers={"Location": location})
    assert error.message == (
        f"redirected to {where} (not followed: point base_url there, or give an http_client "
        "with follow_redirects=True)"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"detail": 5}, '{"detail": 5}'),
        ({"detail": []}, '{"detail": []}'),
        ({"detail": ["plain", {"loc": ["body", "x"]}]}, "plain; x: invalid"),
        ({"detail": [{"loc": ["body"], "msg": "m"}]}, "m"),
        ({"detail": [{"msg": "no loc"}]}, "no loc"),
    ],
)
def test_message_from_body(body: object, message: str) -> None:
    assert status_error(422, json.dumps(body).encode()).message == message


def test_html_body_and_excerpt() -> None:
    assert status_error(502, b"<html><b>Bad</b>gateway</html>").message == "Bad gateway"
    exact = "x" * 200
    assert status_error(500, exact.encode()).message == exact
    long = "y" * 201
    assert status_error(500, long.encode()).message == "y" * 199 + "…"
    assert status_error(599).message == "HTTP 599"
    assert type(status_error(599)) is InternalServerError


def test_validation_errors_skip_unreadable_items() -> None:
    good = {"loc": ["body", "x"], "msg": "bad", "type": "value_error"}
    error = status_error(422, json.dumps({"detail": [{}, good, 5, good]}).encode())
    assert isinstance(error, UnprocessableEntityError)
    assert len(error.errors) == 2
    assert error.errors[0].msg == "bad"


def test_connection_error_defaults() -> None:
    request = httpx.Request("GET", "https://a.example/")
    assert APIConnectionError(request=request).message == "Connection error."
    assert APIConnectionError(request=request).request is request
    timeout = APITimeoutError(request)
    assert (timeout.message, timeout.request) == ("Request timed out.", request)
    broken = StreamDisconnectedError("gone", request=request, text="t", events=[])
    assert (broken.request, broken.text, broken.events) == (request, "t", [])


# -- transport failures and closed clients -------------------------------------------------


def failing(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("kind", KINDS)
def test_unsendable_request(kind: str) -> None:
    transport = failing(httpx.LocalProtocolError("Illegal header value b'sk-secret '"))
    http: Any = (
        httpx.Client(transport=transport)
        if kind == "sync"
        else httpx.AsyncClient(transport=transport)
    )
    with pytest.raises(InvalidRequestError) as info:
        call(kind, lambda c: c.retrieval.completion(MESSAGES), http_client=http)
    assert info.value.field == "headers"
    assert str(info.value) == (
        "headers: the request is not valid HTTP: a header has a character HTTP does not allow "
        "(a line break, a control character, leading or trailing whitespace); check "
        "extra_headers, default_headers and the headers of the http_client"
    )
    assert info.value.__cause__ is None


@pytest.mark.parametrize("kind", KINDS)
def test_timeout_error_carries_the_request(kind: str) -> None:
    transport = failing(httpx.ReadTimeout("slow"))
    http: Any = (
        httpx.Client(transport=transport)
        if kind == "sync"
        else httpx.AsyncClient(transport=transport)
    )
    with pytest.raises(APITimeoutError) as info:
        call(kind, lambda c: c.retrieval.completion(MESSAGES), http_client=http, max_retries=0)
    assert info.value.message == "Request timed out."
    assert str(info.value.request.url) == f"{BASE}/v3/retrieval/completion"


@pytest.mark.parametrize(
    ("owned", "what"), [(True, "client"), (False, "HTTP client given to this client")]
)
def test_closed_client_message(owned: bool, what: str) -> None:
    message = (
        f"the {what} is closed (by close() or the end of its `with` block): make calls before "
        "closing it, or create a new client"
    )
    http = None if owned else httpx.Client()
    client = R2RClient(BASE, http_client=http)
    (client._http if not owned else client).close()
    with pytest.raises(ClientClosedError) as info:
        client.retrieval.completion(MESSAGES)
    assert str(info.value) == message

    async def main() -> None:
        given = None if owned else httpx.AsyncClient()
        aclient = AsyncR2RClient(BASE, http_client=given)
        await (aclient._http.aclose() if not owned else aclient.close())
        with pytest.raises(ClientClosedError) as info:
            await aclient.retrieval.completion(MESSAGES)
        assert str(info.value) == message

    asyncio.run(main())


def test_async_client_pool_settings() -> None:
    async def main() -> None:
        async with AsyncR2RClient(BASE, timeout=9) as client:
            assert client._http.timeout == httpx.Timeout(9.0, connect=5.0)
            assert client._stream_slots.keep == 20
            pool = async_connection_pool(client._http)
            assert (pool._max_connections, pool._max_keepalive_connections) == (1000, 20)
        async with AsyncR2RClient(BASE, http_client=httpx.AsyncClient()) as given:
            assert given._stream_slots.keep > 10**9

    asyncio.run(main())
    with R2RClient(BASE, timeout=9) as client:
        assert client._http.timeout == httpx.Timeout(9.0, connect=5.0)
        sync_pool = connection_pool(client._http)
        assert (sync_pool._max_connections, sync_pool._max_keepalive_connections) == (1000, 20)


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (httpx.ConnectError("refused"), "Connection error: refused"),
        (httpx.ConnectError(""), "Connection error: ConnectError"),
        (httpx.RemoteProtocolError(""), "Connection error: RemoteProtocolError"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_connection_error_message(kind: str, exc: Exception, message: str) -> None:
    transport = failing(exc)
    http: Any = (
        httpx.Client(transport=transport)
        if kind == "sync"
        else httpx.AsyncClient(transport=transport)
    )
    with pytest.raises(APIConnectionError) as info:
        call(kind, lambda c: c.retrieval.completion(MESSAGES), http_client=http, max_retries=0)
    assert type(info.value) is APIConnectionError
    assert info.value.message == message
    assert info.value.__cause__ is exc

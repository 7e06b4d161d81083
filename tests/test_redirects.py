"""Redirects: followed only when the http_client asks, never taking a credential elsewhere.

Promises checked:
- without `follow_redirects=True` on a given http_client, a redirect is an APIStatusError whose
  message says where it pointed (no user info, query or fragment) and how to follow it;
- with it, the client follows as browsers do (301/302 turn a POST into a GET, 303 anything
  into a GET, 307/308 keep the method and body; the body's headers go with the body), keeps
  the call's timeout, and records the hops in `response.history`;
- to the same origin (same scheme, host and port, or the same host moving from http to https
  on the default ports) every header goes along, credentials included; to another origin only
  Accept, Accept-Encoding, User-Agent and Content-Type do: no credential, under any name;
- the request's Host always matches the new URL;
- a Location that is not http(s) is not followed; more hops than the http_client's
  `max_redirects` end in an APIStatusError saying so; a Location that cannot be read, followed
  or not, is an APIResponseValidationError quoting why (`the server redirected to a URL that
  cannot be read (<why>)`), not retried;
- a redirected stream is not read ahead of its consumer.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from _config_errors_helpers import ScriptedServer, send_with
from _helpers import DOC_ID, KINDS, SECRET, Sleeps

from r2r_client import (
    APIResponseValidationError,
    APIStatusError,
    AsyncR2RClient,
    R2RClient,
)

HOST = "api.example"
BASE = f"https://{HOST}/api/r2r"
RAG = "/api/r2r/v3/retrieval/rag"
METADATA = f"/api/r2r/v3/documents/{DOC_ID}/metadata"
FOLLOW = {"follow_redirects": True, "max_redirects": 2}
NOT_FOLLOWED = (
    "(not followed: point base_url there, or give an http_client with follow_redirects=True)"
)


def redirect(status: int, location: str) -> httpx.Response:
    return httpx.Response(status, headers={"Location": location}, json={"detail": f"{status} here"})


def rag(client: Any) -> Any:
    return client.retrieval.rag("q")


def raw_rag(client: Any) -> Any:
    return client.with_raw_response.retrieval.rag("q")


def replace_metadata(client: Any) -> Any:
    return client.documents.replace_metadata(DOC_ID, [{"a": 1}])


def names(request: httpx.Request) -> set[str]:
    return {name.lower() for name in request.headers}


# -- not followed --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("location", "where"),
    [
        ("https://user:pw@b.example/p?key=1#frag", "https://b.example/p"),
        ("/other?x=1", f"https://{HOST}/other"),
        ("other", f"https://{HOST}/api/r2r/v3/retrieval/other"),
    ],
)
def test_a_redirect_is_not_followed_unless_the_http_client_says_so(
    kind: str, location: str, where: str
) -> None:
    server = ScriptedServer({HOST + RAG: [httpx.Response(307, headers={"Location": location})]})
    with pytest.raises(APIStatusError) as info:
        send_with(kind, server, rag, api_key=SECRET)
    error = info.value
    assert type(error) is APIStatusError
    assert error.status_code == 307
    assert error.message == f"redirected to {where} {NOT_FOLLOWED}"
    assert len(server.seen) == 1  # not followed, not retried


def test_a_redirect_with_a_body_says_what_the_body_says() -> None:
    server = ScriptedServer({HOST + RAG: [redirect(302, "https://b.example/x")]})
    with pytest.raises(APIStatusError) as info:
        send_with("sync", server, rag)
    assert info.value.message == "302 here"


# -- which method and body ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "use", "path", "method", "then"),
    [
        (301, rag, RAG, "POST", "GET"),
        (302, rag, RAG, "POST", "GET"),
        (303, rag, RAG, "POST", "GET"),
        (307, rag, RAG, "POST", "POST"),
        (308, rag, RAG, "POST", "POST"),
        (301, replace_metadata, METADATA, "PUT", "PUT"),
        (302, replace_metadata, METADATA, "PUT", "PUT"),
        (303, replace_metadata, METADATA, "PUT", "GET"),
        (307, replace_metadata, METADATA, "PUT", "PUT"),
    ],
)
def test_the_method_after_a_redirect_is_the_browsers(
    kind: str, status: int, use: Any, path: str, method: str, then: str
) -> None:
    moved = path.replace("/v3/", "/v3/moved/")
    server = ScriptedServer({HOST + path: [redirect(status, moved)]})
    send_with(kind, server, use, http_options=FOLLOW)
    first, second = server.seen
    assert (first.method, second.method) == (method, then)
    assert second.url.path == moved
    if then == method:
        assert second.content == first.content != b""
        assert {"content-type", "content-length"} <= names(second)
        assert second.headers["content-length"] == str(len(first.content))
    else:
        assert second.content == b""
        assert not {"content-type", "content-length", "transfer-encoding"} & names(second)


@pytest.mark.parametrize("kind", KINDS)
def test_a_redirect_keeps_the_calls_timeout(kind: str) -> None:
    server = ScriptedServer({HOST + RAG: [redirect(307, "/api/r2r/v3/moved/rag")]})
    send_with(kind, server, lambda c: c.retrieval.rag("q", timeout=7), http_options=FOLLOW)
    assert [r.extensions["timeout"] for r in server.seen] == [
        httpx.Timeout(7.0, connect=5.0).as_dict()
    ] * 2


# -- which headers ---------------------------------------------------------------------------------

CREDENTIAL_WAYS = [
    pytest.param({"api_key": SECRET}, id="api_key-bearer"),
    pytest.param({"api_key": SECRET, "auth_header": "x-api-key"}, id="api_key-x-api-key"),
    pytest.param({"access_token": SECRET}, id="access_token-bearer"),
    pytest.param({"access_token": SECRET, "token_header": "token"}, id="access_token-token"),
    pytest.param({"default_headers": {"X-API-Key": SECRET}}, id="default_headers"),
    pytest.param({"default_headers": {"X-Gateway-Credential": SECRET}}, id="any-name"),
    pytest.param({"default_headers": {"X-Trace": SECRET}}, id="a-harmless-name"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_takes_only_harmless_headers(
    kind: str, kwargs: dict[str, Any], status: int
) -> None:
    server = ScriptedServer({HOST + RAG: [redirect(status, "https://elsewhere.example/rag")]})
    send_with(kind, server, rag, http_options=FOLLOW, **kwargs)
    first, forwarded = server.seen
    assert SECRET in str(first.headers.raw)
    assert str(forwarded.url) == "https://elsewhere.example/rag"
    assert SECRET not in str(forwarded.headers.raw)
    kept = {"host", "accept", "accept-encoding", "user-agent"}
    if forwarded.method == "POST":
        kept |= {"content-type", "content-length"}
    assert names(forwarded) == kept
    assert forwarded.headers["host"] == "elsewhere.example"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kwargs", CREDENTIAL_WAYS[:-1])
def test_a_redirect_to_the_same_origin_keeps_every_header(
    kind: str, kwargs: dict[str, Any]
) -> None:
    server = ScriptedServer({HOST + RAG: [redirect(307, f"{BASE}/v3/retrieval/rag2")]})
    result = send_with(kind, server, rag, http_options=FOLLOW, project_name="p", **kwargs)
    assert result.results.generated_answer
    first, moved = server.seen
    assert moved.url.path == "/api/r2r/v3/retrieval/rag2"
    assert moved.headers.multi_items() == first.headers.multi_items()
    assert moved.content == b'{"query":"q"}'
    assert "**********" in repr(moved.headers)  # the new request prints masked too
    assert SECRET not in repr(moved.headers)


@pytest.mark.parametrize("kind", KINDS)
def test_the_host_header_follows_the_new_url(kind: str) -> None:
    server = ScriptedServer({HOST + RAG: [redirect(302, "/api/r2r/v3/moved/rag")]})
    send_with(kind, server, rag, http_options=FOLLOW, default_headers={"Host": "virtual.example"})
    first, second = server.seen
    assert first.headers.get_list("host") == ["virtual.example"]
    assert second.headers.get_list("host") == [HOST]


@pytest.mark.parametrize(
    ("base_url", "location", "same"),
    [
        ("http://a.example", "https://a.example/y/rag", True),  # an upgrade to https
        ("http://a.example:80", "https://a.example:443/y/rag", True),
        ("http://a.example", "http://a.example:80/y/rag", True),
        ("https://a.example", "https://a.example:443/y/rag", True),
        ("http://a.example:8080", "https://a.example/y/rag", False),
        ("http://a.example", "https://a.example:8443/y/rag", False),
        ("https://a.example", "http://a.example/y/rag", False),  # a downgrade
        ("https://a.example", "https://a.example:444/y/rag", False),
        ("https://a.example", "https://b.example/y/rag", False),
        ("https://a.example", "https://sub.a.example/y/rag", False),
    ],
)
def test_what_counts_as_the_same_origin(base_url: str, location: str, same: bool) -> None:
    host = httpx.URL(base_url).host
    server = ScriptedServer({f"{host}/v3/retrieval/rag": [redirect(307, location)]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # plain http with a credential: not the point here
        send_with("sync", server, rag, base_url=base_url, http_options=FOLLOW, api_key=SECRET)
    assert ("authorization" in names(server.seen[1])) is same


# -- chains, loops and Locations that cannot be followed -----------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_redirect_chain_is_followed_and_recorded_in_the_history(kind: str) -> None:
    server = ScriptedServer(
        {
            HOST + RAG: [redirect(307, "/api/r2r/v3/other")],
            HOST + "/api/r2r/v3/other": [redirect(308, "https://b.example/final/rag")],
        }
    )
    raw = send_with(
        kind, server, raw_rag, http_options=FOLLOW, api_key="k", auth_header="x-api-key"
    )
    history = raw.http_response.history
    assert [(r.status_code, str(r.url)) for r in history] == [
        (307, f"https://{HOST}{RAG}"),
        (308, f"https://{HOST}/api/r2r/v3/other"),
    ]
    assert str(raw.http_response.url) == "https://b.example/final/rag"
    assert [r.headers.get("x-api-key") for r in server.seen] == ["k", "k", None]
    assert [r.method for r in server.seen] == ["POST", "POST", "POST"]
    assert raw.parse().results.generated_answer


@pytest.mark.parametrize("kind", KINDS)
def test_as_many_redirects_as_allowed_are_followed(kind: str) -> None:
    server = ScriptedServer(
        {
            HOST + RAG: [redirect(302, "/a")],
            HOST + "/a": [redirect(302, "/b/rag")],
        }
    )
    raw = send_with(kind, server, raw_rag, http_options=FOLLOW)
    assert [r.status_code for r in raw.http_response.history] == [302, 302]
    assert [(r.method, r.url.path) for r in server.seen] == [
        ("POST", RAG),
        ("GET", "/a"),
        ("GET", "/b/rag"),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_too_many_redirects_end_in_a_status_error(kind: str, sleeps: Sleeps) -> None:
    server = ScriptedServer({HOST + RAG: [redirect(307, RAG)]})
    with pytest.raises(APIStatusError) as info:
        send_with(kind, server, rag, http_options=FOLLOW)
    error = info.value
    assert type(error) is APIStatusError
    assert str(error) == (
        "Error code: 307 - too many redirects; the server keeps redirecting this request"
    )
    assert error.response.status_code == 307
    assert len(server.seen) == 3  # the request and max_redirects=2 redirects, not retried
    assert sleeps.delays == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("location", ["ftp://files.example/x", "http:/nohost"])
def test_a_location_that_is_not_http_is_not_followed(kind: str, location: str) -> None:
    server = ScriptedServer({HOST + RAG: [redirect(302, location)]})
    with pytest.raises(APIStatusError) as info:
        send_with(kind, server, rag, http_options=FOLLOW)
    assert type(info.value) is APIStatusError
    assert (info.value.status_code, info.value.message) == (302, "302 here")
    assert len(server.seen) == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("follow", [True, False])
@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("http://xn--/", "Malformed A-label, no Punycode eligible content found"),  # idna's words
        ("mailto:a@b.c", "For absolute URLs, path must be empty or begin with '/'"),
        ("http://a.example:abc/", "Invalid URL in location header: Invalid port: 'abc'."),
    ],
    ids=["host-not-decodable", "no-hierarchy", "not-a-url"],
)
def test_a_location_that_cannot_be_read_is_a_typed_error_not_retried(
    kind: str, follow: bool, location: str, why: str, sleeps: Sleeps
) -> None:
    # httpx works out the next request of every redirect, even one it will not follow.
    server = ScriptedServer({HOST + RAG: [redirect(302, location)]})
    with pytest.raises(APIResponseValidationError) as info:
        send_with(kind, server, rag, http_options={"follow_redirects": follow})
    assert str(info.value) == f"the server redirected to a URL that cannot be read ({why})"
    assert info.value.response is None
    assert len(server.seen) == 1  # not retried
    assert sleeps.delays == []


# -- streams ---------------------------------------------------------------------------------------


class _CountedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A stream's body that records when it is first read."""

    def __init__(self, pulled: list[int]) -> None:
        self.pulled = pulled

    def __iter__(self) -> Iterator[bytes]:
        self.pulled.append(1)
        yield b"event: done\ndata: [DONE]\n\n"

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.pulled.append(1)
        yield b"event: done\ndata: [DONE]\n\n"


@pytest.mark.parametrize("kind", KINDS)
def test_a_redirected_stream_is_not_read_ahead(kind: str) -> None:
    pulled: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/final":
            return httpx.Response(
                200, headers={"content-type": "text/event-stream"}, stream=_CountedBody(pulled)
            )
        return httpx.Response(307, headers={"Location": "/final"})

    transport = httpx.MockTransport(handler)
    if kind == "sync":
        http = httpx.Client(transport=transport, follow_redirects=True)
        with R2RClient(BASE, http_client=http) as client:
            stream = client.retrieval.rag("q", stream=True)
            assert pulled == []
            assert [r.status_code for r in stream.response.history] == [307]
            stream.close()
        return

    async def main() -> None:
        http = httpx.AsyncClient(transport=transport, follow_redirects=True)
        async with AsyncR2RClient(BASE, http_client=http) as client:
            stream = await client.retrieval.rag("q", stream=True)
            assert pulled == []
            assert [r.status_code for r in stream.response.history] == [307]
            await stream.close()

    asyncio.run(main())

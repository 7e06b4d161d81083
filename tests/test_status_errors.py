"""Error answers become typed exceptions whose message tells a user of this client what to do.

Promises checked:
- one class per status (400, 401, 403, 404, 409, 422, 429, other 4xx, 5xx), all catchable as
  `R2RException` with `.status_code` and `.message` (the official SDK's names); `str()` is
  `Error code: <status> - <message>`;
- `.message` picks the server's words out of each of R2R's error shapes (its own
  `{"message"}`, `{"detail": "..."}`, `{"detail": {"message"}}`, validation lists, plain text
  or HTML cut to an excerpt); `.body` keeps what the server sent as it sent it; `.errors` of a
  422 are typed; `.request_id`, `.retry_after` (Retry-After, retry-after-ms, an HTTP date) and
  `.error_type` (R2R's name for the failure) are read from the answer;
- advice where the server's words would mislead: a 401 to a request without credentials says
  how to give this client a key (the server's words stay in `.body`); a 401 to one with a
  credential keeps the server's words and says what to check; a 404 from `replace_metadata`
  says only the owner may change metadata (and no other call's 404 does);
- a 429 names the limit from R2R's bodies (`.limit`: global_per_min, route_per_min,
  monthly_limit, or None), the monthly one is a QuotaExceededError, and a message that was not
  retried says why;
- a successful answer whose body is not what the API promises (cut off, another shape, JSON
  where a stream was asked for) is an APIResponseValidationError saying so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import (
    BASE,
    DOC_ID,
    KINDS,
    MODEL,
    Sleeps,
    call,
    fixture_json,
    fixture_response,
    load_fixture,
)

import r2r_client
from r2r_client import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    R2RClient,
    R2RError,
    R2RException,
    RateLimitError,
    UnprocessableEntityError,
)
from r2r_client.testing import FakeR2RServer, FakeUser, Limits

MESSAGES = [{"role": "user", "content": "hi"}]
META = f"/v3/documents/{DOC_ID}/metadata"
KEY = "sk-test-key"

CALLS: dict[str, tuple[str, str, Any]] = {
    "completion": (
        "POST",
        "/v3/retrieval/completion",
        lambda c: c.retrieval.completion(MESSAGES, MODEL),
    ),
    "rag": ("POST", "/v3/retrieval/rag", lambda c: c.retrieval.rag("q")),
    "metadata": ("PUT", META, lambda c: c.documents.replace_metadata(DOC_ID, [{"a": 1}])),
}

NO_CREDENTIALS = (
    "no credentials were sent: give the client an API key (R2RClient(api_key=...) or the "
    "R2R_API_KEY environment variable), or a login token (access_token=...)"
)
CHECK_CREDENTIALS = (
    "(check the API key (api_key= or R2R_API_KEY) or the login token (access_token=) given to "
    "the client)"
)
OWNER = (
    "(only the document's owner may change its metadata: a document shared with you through a "
    "collection answers 404 too)"
)
GLOBAL = "Global per-minute rate limit exceeded"
ROUTE = "Per-route per-minute rate limit exceeded"
MONTHLY = "Monthly rate limit exceeded"
GLOBAL_ADVICE = "your requests per minute on all routes (global_per_min) ran out"
ROUTE_ADVICE = "your requests per minute on this route (route_per_min) ran out"
MONTHLY_ADVICE = (
    "this route's monthly quota (monthly_limit) is used up; it frees at the start of the next "
    "month (UTC), so it was not retried: ask the service for a higher limit"
)
NOT_RETRIED = "not retried ({}); the limit frees within a minute"
NOT_RETRIED_UNKNOWN = "not retried ({})"  # a 429 of unknown shape: no promise when it frees


def failing_call(
    kind: str, which: str, response: httpx.Response, **client_kwargs: Any
) -> tuple[R2RError, respx.Route]:
    """Run `which` against a server answering `response`; the raised error and the route."""
    method, path, fn = CALLS[which]
    client_kwargs.setdefault("max_retries", 0)
    with respx.mock(base_url=BASE) as router:
        route = router.route(method=method, path=path).mock(return_value=response)
        with pytest.raises(R2RError) as info:
            call(kind, fn, **client_kwargs)
    return info.value, route


def status_error(
    response: httpx.Response, which: str = "rag", **client_kwargs: Any
) -> APIStatusError:
    error, _ = failing_call("sync", which, response, **client_kwargs)
    assert isinstance(error, APIStatusError)
    return error


# -- recorded answers of a real R2R 3.6.6 ----------------------------------------------------

# (fixture, call, client kwargs, class, whole message, [(loc, msg)] of a 422)
RECORDED = [
    (
        "10-put-metadata-malformed-json",
        "metadata",
        {},
        UnprocessableEntityError,
        "9: JSON decode error",
        [(["body", 9], "JSON decode error")],
    ),
    (
        "11-put-metadata-object-not-list",
        "metadata",
        {},
        UnprocessableEntityError,
        "Input should be a valid list",
        [(["body"], "Input should be a valid list")],
    ),
    (
        "13-put-metadata-non-uuid",
        "metadata",
        {},
        UnprocessableEntityError,
        "path.id: Input should be a valid UUID, invalid character: expected an optional prefix "
        "of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1",
        [(["path", "id"], None)],
    ),
    (
        "15-completion-missing-messages",
        "completion",
        {},
        UnprocessableEntityError,
        "messages: Field required",
        [(["body", "messages"], "Field required")],
    ),
    (
        "17-rag-missing-query",
        "rag",
        {},
        UnprocessableEntityError,
        "query: Field required",
        [(["body", "query"], "Field required")],
    ),
    (
        "12-put-metadata-unknown-doc",
        "metadata",
        {},
        NotFoundError,
        f"Document not found. {OWNER}",
        None,
    ),
    (
        "18-rag-bad-bearer-on-noauth",
        "rag",
        {"api_key": KEY},
        AuthenticationError,
        f"Invalid token or API key {CHECK_CREDENTIALS}",
        None,
    ),
    ("18-rag-bad-bearer-on-noauth", "rag", {}, AuthenticationError, NO_CREDENTIALS, None),
    (
        "05b-completion-no-model",
        "completion",
        {},
        InternalServerError,
        "An error ''NoneType' object has no attribute 'startswith'' occurred during completion; "
        "R2R failed with AttributeError, which this request meets every time: not retried (each "
        "attempt would count against your quota)",
        None,
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fixture", "which", "client_kwargs", "cls", "message", "items"),
    [pytest.param(*case, id=f"{case[0]}-{len(case[2])}") for case in RECORDED],
)
def test_a_recorded_error_answer_becomes_its_typed_error(
    kind: str,
    fixture: str,
    which: str,
    client_kwargs: dict[str, Any],
    cls: type[APIStatusError],
    message: str,
    items: Any,
    sleeps: Sleeps,
) -> None:
    response = fixture_response(fixture, x_request_id="rid-7")
    error, route = failing_call(kind, which, response, max_retries=2, **client_kwargs)
    assert type(error) is cls
    assert isinstance(error, APIStatusError)
    assert error.message == message
    assert str(error) == f"Error code: {response.status_code} - {message}"
    assert error.args == (message,)
    assert error.status_code == response.status_code
    assert error.body == fixture_json(fixture)
    assert error.response.status_code == response.status_code
    assert error.response.request.url.path == f"/api/r2r{CALLS[which][1]}"
    assert error.request_id == "rid-7"
    assert route.call_count == 1  # none of these is worth retrying
    assert sleeps.delays == []
    if items is not None:
        assert isinstance(error, UnprocessableEntityError)
        assert [item.loc for item in error.errors] == [loc for loc, _ in items]
        for item, (_, msg) in zip(error.errors, items, strict=True):
            assert item.msg == msg or (msg is None and item.msg.startswith("Input should be"))


def test_a_422_item_carries_its_type_and_input() -> None:
    error = status_error(fixture_response("13-put-metadata-non-uuid"), "metadata")
    assert isinstance(error, UnprocessableEntityError)
    [item] = error.errors
    assert (item.type_, item.input_) == ("uuid_parsing", "not-a-uuid")


def test_a_422_keeps_the_items_it_can_read() -> None:
    good = {"loc": ["body", "x"], "msg": "bad", "type": "value_error"}
    error = status_error(httpx.Response(422, json={"detail": [{}, good, 5, good]}))
    assert isinstance(error, UnprocessableEntityError)
    assert [(item.loc, item.msg) for item in error.errors] == [(["body", "x"], "bad")] * 2
    assert error.message == "invalid; x: bad; 5; x: bad"


@pytest.mark.parametrize("body", [{"detail": "not a list"}, ["no", "detail"], "text"])
def test_a_422_without_a_list_of_items_has_none(body: Any) -> None:
    response = httpx.Response(422, json=body) if body != "text" else httpx.Response(422, text=body)
    error = status_error(response)
    assert isinstance(error, UnprocessableEntityError)
    assert error.errors == []


# -- the request id ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "request_id"),
    [
        ({"x-request-id": "a", "request-id": "b", "x-correlation-id": "c"}, "a"),
        ({"request-id": "b", "x-correlation-id": "c"}, "b"),
        ({"x-correlation-id": "c"}, "c"),
        ({"x-request-id": "", "request-id": "b"}, "b"),
        ({}, None),
    ],
)
def test_the_request_id_comes_from_the_first_header_that_has_one(
    headers: dict[str, str], request_id: str | None
) -> None:
    response = httpx.Response(404, headers=headers, json={"message": "m"})
    assert status_error(response).request_id == request_id


# -- the message, from each shape of body ------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"message": "R2R says no", "error_type": "R2RException"}, "R2R says no"),
        ({"message": "first", "detail": "second"}, "first"),
        ({"detail": "Not authenticated"}, "Not authenticated"),
        ({"detail": {"message": "inner message", "error": "x"}}, "inner message"),
        (
            {"detail": [{"loc": ["body", "a", 0], "msg": "bad a", "type": "t"}, {"msg": "bad"}]},
            "a.0: bad a; bad",
        ),
        ({"detail": [{"loc": ["body"], "msg": "m"}]}, "m"),
        ({"detail": ["plain", {"loc": ["body", "x"]}]}, "plain; x: invalid"),
        ({"unexpected": "shape"}, '{"unexpected": "shape"}'),
        ({"message": 5}, '{"message": 5}'),
        ({"detail": 5}, '{"detail": 5}'),
        ({"detail": []}, '{"detail": []}'),
        ({"detail": {"message": 5}}, '{"detail": {"message": 5}}'),
        (["a", "list"], "Bad Request"),
    ],
)
def test_the_message_is_the_servers_words_from_each_shape_of_body(
    kind: str, body: Any, message: str
) -> None:
    error, _ = failing_call(kind, "rag", httpx.Response(400, json=body))
    assert type(error) is BadRequestError
    assert error.message == message
    assert error.body == body


HTML_502 = b"""<html>
<head><title>502 Bad Gateway</title><style>body { color: red; }</style></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>
<SCRIPT>var x = "<b>not shown</b>";</SCRIPT></body></html>"""


@pytest.mark.parametrize("kind", KINDS)
def test_an_html_page_becomes_its_text(kind: str) -> None:
    response = httpx.Response(502, content=HTML_502, headers={"content-type": "text/html"})
    error, _ = failing_call(kind, "rag", response)
    assert type(error) is InternalServerError
    assert error.message == "502 Bad Gateway 502 Bad Gateway nginx"
    assert error.body == HTML_502.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 200, "x" * 200),
        ("y" * 201, "y" * 199 + "…"),
        ("  spaced \n\t out  ", "spaced out"),
        ("<b>Bad</b>gateway", "Bad gateway"),
        ('{"broken": json', '{"broken": json'),
    ],
)
def test_a_text_body_becomes_an_excerpt_of_200_characters_at_most(text: str, message: str) -> None:
    error = status_error(httpx.Response(503, text=text))
    assert type(error) is InternalServerError
    assert error.message == message
    assert error.body == text


@pytest.mark.parametrize(
    ("response", "cls", "message"),
    [
        (httpx.Response(404, content=b""), NotFoundError, "Not Found"),
        (httpx.Response(503, content=b"  \n "), InternalServerError, "Service Unavailable"),
        (httpx.Response(599), InternalServerError, "HTTP 599"),
        (httpx.Response(499), APIStatusError, "HTTP 499"),
    ],
)
def test_an_empty_body_gives_the_status_phrase(
    response: httpx.Response, cls: type[APIStatusError], message: str
) -> None:
    error = status_error(response)
    assert type(error) is cls
    assert error.message == message


@pytest.mark.parametrize("kind", KINDS)
def test_a_redirect_to_an_address_that_is_no_url_says_so_without_quoting_it(kind: str) -> None:
    # httpx reads it as a path on the same host; joined to the request's URL, :abc is a port
    response = httpx.Response(302, headers={"Location": "http:////:abc"})
    error, route = failing_call(kind, "rag", response)
    assert type(error) is APIStatusError
    assert error.message == (
        "redirected to an address that is not a valid URL (not followed: point base_url there, "
        "or give an http_client with follow_redirects=True)"
    )
    assert route.call_count == 1


def test_a_body_that_is_not_utf8_is_shown_with_replacements() -> None:
    error = status_error(httpx.Response(400, content=b"\xff\xfe bad \x80"))
    assert type(error) is BadRequestError
    assert error.message == "\ufffd\ufffd bad \ufffd"


# -- one class per status ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (418, APIStatusError),
        (422, UnprocessableEntityError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
    ],
)
def test_each_status_has_its_class(kind: str, status: int, cls: type[APIStatusError]) -> None:
    error, _ = failing_call(kind, "completion", httpx.Response(status, json={"message": "m"}))
    assert type(error) is cls
    assert (error.status_code, error.message, str(error)) == (
        status,
        "m",
        f"Error code: {status} - m",
    )


def test_the_classes_know_their_status() -> None:
    assert {
        cls.__name__: cls.status_code
        for cls in (
            BadRequestError,
            AuthenticationError,
            PermissionDeniedError,
            NotFoundError,
            ConflictError,
            UnprocessableEntityError,
            RateLimitError,
            QuotaExceededError,
        )
    } == {
        "BadRequestError": 400,
        "AuthenticationError": 401,
        "PermissionDeniedError": 403,
        "NotFoundError": 404,
        "ConflictError": 409,
        "UnprocessableEntityError": 422,
        "RateLimitError": 429,
        "QuotaExceededError": 429,
    }
    assert issubclass(QuotaExceededError, RateLimitError)
    assert (RateLimitError.limit, QuotaExceededError.limit) == (None, "monthly_limit")


def test_r2r_exception_is_the_root_of_every_error() -> None:
    assert R2RException is R2RError
    assert r2r_client.R2RException is r2r_client.R2RError
    for name in r2r_client.errors.__all__:
        assert issubclass(getattr(r2r_client, name), R2RError), name


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 502])
def test_code_written_for_the_official_sdk_catches_every_status(kind: str, status: int) -> None:
    _method, path, fn = CALLS["rag"]
    with respx.mock(base_url=BASE) as router:
        router.post(path).mock(return_value=httpx.Response(status, json={"message": "nope"}))
        try:
            call(kind, fn, api_key=KEY, max_retries=0)
        except R2RException as e:
            caught = e
        else:
            pytest.fail("no exception")
    assert caught.status_code == status
    assert caught.message.startswith("nope")


def test_code_written_for_the_official_sdk_catches_client_side_errors() -> None:
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/rag").mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(R2RException) as info:
            call("sync", lambda c: c.retrieval.rag("q"), max_retries=0)
    assert isinstance(info.value, APIConnectionError)
    assert info.value.status_code is None
    with pytest.raises(R2RException) as refused:
        call("sync", lambda c: c.retrieval.completion([], MODEL))
    assert refused.value.status_code is None
    assert refused.value.message.startswith("messages: ")


# -- error_type and retry_after ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        ({"message": "m", "error_type": "R2RException"}, "R2RException"),
        ({"detail": {"message": "m", "error": "e", "error_type": "KeyError"}}, "KeyError"),
        ({"detail": {"message": "m", "error_type": 5}}, None),
        ({"detail": {"message": "m"}, "error_type": "Outer"}, None),
        ({"detail": "m", "error_type": "Beside"}, "Beside"),
        ({"message": "m", "error_type": ""}, None),
        ({"message": "m", "error_type": ["KeyError"]}, None),
        ({"message": "m"}, None),
        ("plain text", None),
    ],
)
def test_error_type_is_r2rs_name_for_the_failure(body: Any, error_type: str | None) -> None:
    response = (
        httpx.Response(400, json=body)
        if not isinstance(body, str)
        else httpx.Response(400, text=body)
    )
    assert status_error(response).error_type == error_type


@pytest.mark.parametrize(
    ("headers", "retry_after"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "-2"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "-5"}, 0.0),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5),
        ({"retry-after-ms": "soon", "Retry-After": "3"}, 3.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date past: now
        ({}, None),
    ],
)
def test_retry_after_is_the_wait_the_server_asked_for(
    headers: dict[str, str], retry_after: float | None
) -> None:
    response = httpx.Response(503, headers=headers, json={"detail": "Service Unavailable"})
    error = status_error(response)
    assert error.retry_after == retry_after
    assert error.message == "Service Unavailable"  # max_retries=0: nothing to explain


def test_retry_after_as_a_date_to_come_counts_the_seconds_until_then() -> None:
    response = httpx.Response(
        503, headers={"Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"}, json={"detail": "later"}
    )
    error = status_error(response)
    assert error.retry_after is not None
    assert 2_000_000_000 < error.retry_after < 4_102_444_800  # 2100-01-01 is 4102444800


# -- advice: credentials -------------------------------------------------------------------------

INVALID = {"message": "Invalid token or API key", "error_type": "R2RException"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("client_kwargs", "extra_headers", "message"),
    [
        ({}, None, NO_CREDENTIALS),
        ({}, {"X-Gateway-Auth": "not one R2R reads"}, NO_CREDENTIALS),
        ({"api_key": KEY}, None, f"Invalid token or API key {CHECK_CREDENTIALS}"),
        (
            {"api_key": KEY, "auth_header": "x-api-key"},
            None,
            f"Invalid token or API key {CHECK_CREDENTIALS}",
        ),
        (
            {"access_token": KEY, "token_header": "token"},
            None,
            f"Invalid token or API key {CHECK_CREDENTIALS}",
        ),
        ({}, {"X-API-Key": KEY}, f"Invalid token or API key {CHECK_CREDENTIALS}"),
        ({}, {"TOKEN": KEY}, f"Invalid token or API key {CHECK_CREDENTIALS}"),
    ],
)
def test_a_401_says_how_to_give_a_credential_or_which_to_check(
    kind: str, client_kwargs: dict[str, Any], extra_headers: Any, message: str
) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/rag").mock(return_value=httpx.Response(401, json=INVALID))
        with pytest.raises(AuthenticationError) as info:
            call(
                kind,
                lambda c: c.retrieval.rag("q", extra_headers=extra_headers),
                max_retries=0,
                **client_kwargs,
            )
    assert info.value.message == message
    assert info.value.body == INVALID  # the server's words, as they came


@pytest.mark.loopback
def test_a_server_that_wants_a_key_gets_advice_for_this_client() -> None:
    with FakeR2RServer(api_key=KEY) as server, R2RClient(server.base_url, max_retries=0) as client:
        with pytest.raises(AuthenticationError) as info:
            client.retrieval.rag("q")
        client.set_api_key("wrong")
        with pytest.raises(AuthenticationError) as wrong:
            client.retrieval.rag("q")
        client.set_api_key(KEY)
        assert client.retrieval.rag("q").results.generated_answer
    assert info.value.message == NO_CREDENTIALS
    assert isinstance(info.value.body, dict)
    assert str(info.value.body["message"]).startswith("No credentials provided.")
    assert wrong.value.message == f"Invalid token or API key {CHECK_CREDENTIALS}"


# -- advice: who may change metadata -----------------------------------------------------------

NOT_FOUND = {"message": "Document not found.", "error_type": "R2RException"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("metadata", f"Document not found. {OWNER}"),
        ("rag", "Document not found."),
        ("completion", "Document not found."),
    ],
)
def test_only_replace_metadata_explains_a_404_by_ownership(
    kind: str, which: str, message: str
) -> None:
    error, _ = failing_call(kind, which, httpx.Response(404, json=NOT_FOUND))
    assert type(error) is NotFoundError
    assert error.message == message
    assert error.body == NOT_FOUND


def test_replace_metadata_explains_only_a_404() -> None:
    for status in (403, 400, 422):
        assert status_error(httpx.Response(status, json=NOT_FOUND), "metadata").message == (
            "Document not found."
        )


@pytest.mark.loopback
def test_another_users_document_answers_404_with_the_ownership_advice() -> None:
    reader = FakeUser("key-reader", name="reader")
    with FakeR2RServer(users=[reader]) as server:
        document = server.document_ids[0]
        server.share_document(document, reader)
        with R2RClient(server.base_url, api_key="key-reader", max_retries=0) as client:
            assert client.retrieval.rag("Zorblax").results.generated_answer  # may read it
            with pytest.raises(NotFoundError) as info:
                client.documents.replace_metadata(document, [{"tag": "mine"}])
    assert info.value.message == f"Document not found. {OWNER}"


# -- rate limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("detail", "cls", "limit", "message"),
    [
        (GLOBAL, RateLimitError, "global_per_min", f"{GLOBAL}: {GLOBAL_ADVICE}; {NOT_RETRIED}"),
        (ROUTE, RateLimitError, "route_per_min", f"{ROUTE}: {ROUTE_ADVICE}; {NOT_RETRIED}"),
        (MONTHLY, QuotaExceededError, "monthly_limit", f"{MONTHLY}: {MONTHLY_ADVICE}"),
        ("Too many requests", RateLimitError, None, f"Too many requests; {NOT_RETRIED_UNKNOWN}"),
    ],
)
@pytest.mark.parametrize(
    ("client_kwargs", "why"),
    [
        ({"max_retries": 0}, "max_retries=0"),
        ({"max_retries": 2, "rate_limit_wait": 0}, "rate_limit_wait=0"),
    ],
)
def test_a_429_names_the_limit_that_ran_out(
    kind: str,
    detail: str,
    cls: type[RateLimitError],
    limit: str | None,
    message: str,
    client_kwargs: dict[str, Any],
    why: str,
    sleeps: Sleeps,
) -> None:
    body = {"detail": detail}
    error, route = failing_call(kind, "rag", httpx.Response(429, json=body), **client_kwargs)
    assert type(error) is cls
    assert isinstance(error, RateLimitError)
    assert error.limit == limit
    assert error.message == message.format(why)
    assert str(error) == f"Error code: 429 - {message.format(why)}"
    assert error.body == body
    assert (error.retry_after, error.error_type) == (None, None)
    assert route.call_count == 1
    assert sleeps.delays == []


@pytest.mark.parametrize(
    ("body", "limit"),
    [
        ({"detail": "per-route per-minute rate limit exceeded."}, "route_per_min"),
        ({"detail": "  MONTHLY RATE LIMIT EXCEEDED  "}, "monthly_limit"),
        ({"detail": "Global per-minute rate limit exceeded!"}, None),
        ({"detail": "Monthly rate limit exceededXX."}, None),  # R2R's words run into others
        ({"message": ROUTE}, None),
        ({"detail": {"message": ROUTE}}, None),
        (ROUTE, "route_per_min"),
    ],
)
def test_the_limit_is_read_from_the_detail_as_r2r_words_it(body: Any, limit: str | None) -> None:
    response = (
        httpx.Response(429, json=body)
        if not isinstance(body, str)
        else httpx.Response(429, text=body)
    )
    error = status_error(response, max_retries=2, rate_limit_wait=0)
    assert isinstance(error, RateLimitError)
    assert error.limit == limit
    assert isinstance(error, QuotaExceededError) is (limit == "monthly_limit")


def test_only_a_429_is_read_for_a_limit() -> None:
    error = status_error(httpx.Response(503, json={"detail": MONTHLY}))
    assert type(error) is InternalServerError
    assert error.message == MONTHLY


def test_a_429_keeps_the_wait_the_server_asked_for() -> None:
    response = httpx.Response(429, headers={"Retry-After": "7"}, json={"detail": ROUTE})
    error = status_error(response, max_retries=0)
    assert isinstance(error, RateLimitError)
    assert (error.limit, error.retry_after) == ("route_per_min", 7.0)


@pytest.mark.loopback
def test_a_regular_users_limits_on_a_server_that_counts_like_r2r() -> None:
    route_limited = FakeUser("key-route", limits=Limits(route_per_min=1))
    quota_limited = FakeUser("key-quota", limits=Limits(monthly_limit=0))
    errors: list[RateLimitError] = []
    with FakeR2RServer(users=[route_limited, quota_limited]) as server:
        for key in ("key-route", "key-quota"):
            with R2RClient(server.base_url, api_key=key, max_retries=0) as client:
                answered = 0
                try:
                    for _ in range(3):
                        client.retrieval.rag("q")
                        answered += 1
                except RateLimitError as exc:
                    errors.append(exc)
                assert answered == (2 if key == "key-route" else 1)  # R2R refuses count > limit
    route_error, quota_error = errors
    assert type(route_error) is RateLimitError
    assert route_error.limit == "route_per_min"
    assert route_error.message == f"{ROUTE}: {ROUTE_ADVICE}; {NOT_RETRIED.format('max_retries=0')}"
    assert type(quota_error) is QuotaExceededError
    assert quota_error.limit == "monthly_limit"
    assert quota_error.message == f"{MONTHLY}: {MONTHLY_ADVICE}"


# -- successful answers that are not what the API promises -------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("which", "fixture"),
    [("completion", "04-completion"), ("rag", "06-rag"), ("metadata", "02-put-metadata")],
)
def test_a_cut_off_200_body_is_a_response_validation_error(
    kind: str, which: str, fixture: str
) -> None:
    good = fixture_response(fixture)
    response = httpx.Response(200, headers=good.headers, content=good.content[:100])
    response.headers["content-length"] = "100"
    error, route = failing_call(kind, which, response, max_retries=2)
    assert type(error) is APIResponseValidationError
    assert error.status_code == 200
    assert error.response is not None
    assert error.body == good.content[:100].decode()
    assert error.message.startswith("the 200 response is not valid JSON (")
    assert not isinstance(error, ValueError)
    assert route.call_count == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_200_body_that_does_not_fit_the_schema_is_a_response_validation_error(
    kind: str,
) -> None:
    error, _ = failing_call(kind, "completion", httpx.Response(200, json={"results": 5}))
    assert type(error) is APIResponseValidationError
    assert error.body == {"results": 5}
    assert error.message.startswith("the response body does not fit the API's schema: ")


class _JSONBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The recorded JSON answer of rag, as a body that knows whether it was closed."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield load_fixture("06-rag")[2]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield load_fixture("06-rag")[2]

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


@pytest.mark.parametrize("kind", KINDS)
def test_a_stream_answered_with_json_is_named_before_the_first_event(kind: str) -> None:
    status, headers, body = load_fixture("06-rag")  # a proxy or an older server: 200 JSON
    stream = _JSONBody()

    def consume(c: Any) -> Any:
        if kind == "sync":
            return list(c.retrieval.rag("q", stream=True))

        async def go() -> Any:
            return [e async for e in await c.retrieval.rag("q", stream=True)]

        return go()

    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/rag").mock(
            return_value=httpx.Response(status, headers=headers, stream=stream)
        )
        with pytest.raises(APIResponseValidationError) as info:
            call(kind, consume)
    error = info.value
    excerpt = " ".join(body.decode()[:200].split())
    assert error.message == (
        "asked for a stream (stream=True), but the server answered 200 with application/json "
        "instead of text/event-stream: a proxy or an older server may not stream; call rag() "
        f"without stream=True for a JSON answer. The body starts: {excerpt!r}"
    )
    assert error.status_code == 200
    assert error.body == body.decode()
    assert stream.closed

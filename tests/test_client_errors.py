"""Error responses become typed exceptions carrying the server's message."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, DOC_ID, KINDS, call, fixture_json, fixture_response

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
    R2RError,
    R2RException,
    RateLimitError,
    UnprocessableEntityError,
)

MESSAGES = [{"role": "user", "content": "hi"}]
META = f"/v3/documents/{DOC_ID}/metadata"

CALLS: dict[str, tuple[str, str, Any]] = {
    "completion": ("POST", "/v3/retrieval/completion", lambda c: c.retrieval.completion(MESSAGES)),
    "rag": ("POST", "/v3/retrieval/rag", lambda c: c.retrieval.rag("q")),
    "metadata": ("PUT", META, lambda c: c.documents.replace_metadata(DOC_ID, [{"a": 1}])),
}


def failing_call(kind: str, which: str, response: httpx.Response) -> tuple[R2RError, respx.Route]:
    """Run `which` against a server answering `response`; the raised error and the route."""
    method, path, fn = CALLS[which]
    with respx.mock(base_url=BASE) as router:
        route = router.route(method=method, path=path).mock(return_value=response)
        with pytest.raises(R2RError) as info:
            call(kind, fn, max_retries=0)
    return info.value, route


# (fixture, call, class, message, [(loc, msg)] for 422)
FIXTURE_ERRORS = [
    (
        "10-put-metadata-malformed-json",
        "metadata",
        UnprocessableEntityError,
        "9: JSON decode error",
        [(["body", 9], "JSON decode error")],
    ),
    (
        "11-put-metadata-object-not-list",
        "metadata",
        UnprocessableEntityError,
        "Input should be a valid list",
        [(["body"], "Input should be a valid list")],
    ),
    (
        "13-put-metadata-non-uuid",
        "metadata",
        UnprocessableEntityError,
        "path.id: Input should be a valid UUID",
        [(["path", "id"], None)],
    ),
    (
        "15-completion-missing-messages",
        "completion",
        UnprocessableEntityError,
        "messages: Field required",
        [(["body", "messages"], "Field required")],
    ),
    (
        "17-rag-missing-query",
        "rag",
        UnprocessableEntityError,
        "query: Field required",
        [(["body", "query"], "Field required")],
    ),
    ("12-put-metadata-unknown-doc", "metadata", NotFoundError, "Document not found.", None),
    ("18-rag-bad-bearer-on-noauth", "rag", AuthenticationError, "Invalid token or API key", None),
    (
        "05b-completion-no-model",
        "completion",
        InternalServerError,
        "An error ''NoneType' object has no attribute 'startswith'' occurred during completion",
        None,
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fixture", "which", "cls", "message", "items"),
    [pytest.param(*case, id=case[0]) for case in FIXTURE_ERRORS],
)
def test_fixture_errors(
    kind: str, fixture: str, which: str, cls: type, message: str, items: Any
) -> None:
    response = fixture_response(fixture, x_request_id="rid-7")
    error, route = failing_call(kind, which, response)
    assert type(error) is cls
    assert isinstance(error, APIStatusError)
    assert error.status_code == response.status_code
    assert error.message.startswith(message)
    assert error.body == fixture_json(fixture)
    assert error.response.status_code == response.status_code
    assert error.response.request.url.path.startswith("/api/r2r/v3/")
    assert error.request_id == "rid-7"
    assert str(error) == f"Error code: {response.status_code} - {error.message}"
    assert route.call_count == 1
    if items is not None:
        assert isinstance(error, UnprocessableEntityError)
        assert len(error.errors) == len(items)
        for item, (loc, msg) in zip(error.errors, items, strict=True):
            assert item.loc == loc
            if msg is not None:
                assert item.msg == msg
            else:
                assert item.msg.startswith("Input should be a valid UUID")


def test_422_items_are_typed() -> None:
    error, _ = failing_call("sync", "metadata", fixture_response("13-put-metadata-non-uuid"))
    assert isinstance(error, UnprocessableEntityError)
    item = error.errors[0]
    assert item.type_ == "uuid_parsing"
    assert item.input_ == "not-a-uuid"


def test_request_id_alternatives() -> None:
    for header in ("request-id", "x-correlation-id"):
        response = fixture_response("12-put-metadata-unknown-doc", **{header: "abc"})
        error, _ = failing_call("sync", "metadata", response)
        assert isinstance(error, APIStatusError)
        assert error.request_id == "abc"
    error, _ = failing_call("sync", "metadata", fixture_response("12-put-metadata-unknown-doc"))
    assert isinstance(error, APIStatusError)
    assert error.request_id is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"message": "R2R says no", "error_type": "R2RException"}, "R2R says no"),
        ({"detail": "Not authenticated"}, "Not authenticated"),
        ({"detail": {"message": "inner message", "error": "x"}}, "inner message"),
        (
            {"detail": [{"loc": ["body", "a", 0], "msg": "bad a", "type": "t"}, {"msg": "bad"}]},
            "a.0: bad a; bad",
        ),
        ({"unexpected": "shape"}, '{"unexpected": "shape"}'),
    ],
)
def test_message_from_each_body_shape(kind: str, body: Any, message: str) -> None:
    error, _ = failing_call(kind, "rag", httpx.Response(400, json=body))
    assert type(error) is BadRequestError
    assert error.message == message
    assert error.body == body


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (418, APIStatusError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
    ],
)
def test_status_classes(kind: str, status: int, cls: type) -> None:
    error, _ = failing_call(kind, "completion", httpx.Response(status, json={"message": "m"}))
    assert type(error) is cls
    assert error.status_code == status
    assert error.message == "m"


def test_class_status_code_defaults() -> None:
    assert BadRequestError.status_code == 400
    assert AuthenticationError.status_code == 401
    assert PermissionDeniedError.status_code == 403
    assert NotFoundError.status_code == 404
    assert ConflictError.status_code == 409
    assert UnprocessableEntityError.status_code == 422
    assert RateLimitError.status_code == 429


HTML_502 = b"""<html>
<head><title>502 Bad Gateway</title><style>body { color: red; }</style></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>
<script>var x = "<b>not shown</b>";</script></body></html>"""


@pytest.mark.parametrize("kind", KINDS)
def test_html_502_gives_excerpt(kind: str) -> None:
    response = httpx.Response(502, content=HTML_502, headers={"content-type": "text/html"})
    error, _ = failing_call(kind, "rag", response)
    assert type(error) is InternalServerError
    assert "502 Bad Gateway" in error.message
    assert "nginx" in error.message
    assert "<" not in error.message
    assert "color: red" not in error.message
    assert "not shown" not in error.message
    assert error.body == HTML_502.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_plain_text_body_gives_excerpt(kind: str) -> None:
    text = "upstream connect error or disconnect/reset before headers. " * 20
    response = httpx.Response(503, text=text)
    error, _ = failing_call(kind, "completion", response)
    assert type(error) is InternalServerError
    assert error.message.startswith("upstream connect error")
    assert len(error.message) <= 200
    assert error.message.endswith("…")


def test_empty_error_body_uses_reason_phrase() -> None:
    error, _ = failing_call("sync", "rag", httpx.Response(404, content=b""))
    assert type(error) is NotFoundError
    assert error.message == "Not Found"


def test_non_utf8_error_body_does_not_crash() -> None:
    error, _ = failing_call("sync", "rag", httpx.Response(400, content=b"\xff\xfe bad \x80"))
    assert type(error) is BadRequestError
    assert "bad" in error.message


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", ["completion", "rag", "metadata"])
def test_truncated_200_body(kind: str, which: str) -> None:
    fixture = {"completion": "04-completion", "rag": "06-rag", "metadata": "02-put-metadata"}
    good = fixture_response(fixture[which])
    response = httpx.Response(200, headers=good.headers, content=good.content[:100])
    response.headers["content-length"] = "100"
    error, _ = failing_call(kind, which, response)
    assert type(error) is APIResponseValidationError
    assert error.status_code == 200
    assert error.response is not None
    assert "not valid JSON" in error.message
    assert not isinstance(error, ValueError)


@pytest.mark.parametrize("kind", KINDS)
def test_200_body_that_does_not_fit_schema(kind: str) -> None:
    error, _ = failing_call(kind, "completion", httpx.Response(200, json={"results": 5}))
    assert type(error) is APIResponseValidationError
    assert error.body == {"results": 5}


def test_r2r_exception_is_r2r_error() -> None:
    assert R2RException is R2RError
    assert r2r_client.R2RException is r2r_client.R2RError
    for name in r2r_client.errors.__all__:
        assert issubclass(getattr(r2r_client, name), R2RError), name


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 502])
def test_r2r_exception_catches_every_status(kind: str, status: int) -> None:
    _method, path, fn = CALLS["rag"]
    with respx.mock(base_url=BASE) as router:
        router.post(path).mock(return_value=httpx.Response(status, json={"message": "nope"}))
        try:
            call(kind, fn, max_retries=0)
        except R2RException as e:
            caught = e
        else:
            pytest.fail("no exception")
    assert caught.status_code == status
    assert caught.message == "nope"


def test_r2r_exception_catches_client_side_errors() -> None:
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/rag").mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(R2RException) as info:
            call("sync", lambda c: c.retrieval.rag("q"), max_retries=0)
    assert isinstance(info.value, APIConnectionError)
    assert info.value.status_code is None
    with pytest.raises(R2RException) as info2:
        call("sync", lambda c: c.retrieval.completion([]))
    assert info2.value.message.startswith("messages: ")  # the document's minItems

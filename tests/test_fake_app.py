"""The fake server's rules, called as a plain function: no sockets, no threads."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from r2r_client.testing import RecordedRequest
from r2r_client.testing._app import FakeApp
from r2r_client.testing._corpus import SEED_DOCUMENTS, DocumentStore
from r2r_client.testing._faults import Fault
from r2r_client.testing._messages import JsonReply, StreamReply
from r2r_client.testing._validation import RequestValidator


def app(api_key: str | None = None, stream_deltas: int | None = None) -> FakeApp:
    store = DocumentStore()
    for title, text, metadata in SEED_DOCUMENTS:
        store.add(title, text, metadata, None)
    return FakeApp(store, api_key=api_key, stream_deltas=stream_deltas)


def request(
    method: str, path: str, body: object = None, *, raw: bytes | None = None, **headers: str
) -> RecordedRequest:
    if raw is None:
        raw = b"" if body is None else json.dumps(body).encode()
    return RecordedRequest(
        method, path, "", {k.replace("_", "-"): v for k, v in headers.items()}, raw
    )


def test_a_rag_request_gets_a_json_answer_or_a_stream_by_its_config() -> None:
    fake = app(stream_deltas=7)
    answer = fake(request("POST", "/v3/retrieval/rag", {"query": "Who invented Zorblax?"}))
    assert isinstance(answer, JsonReply)
    assert answer.status == 200
    streamed = fake(
        request(
            "POST",
            "/v3/retrieval/rag",
            {"query": "Who invented Zorblax?", "rag_generation_config": {"stream": True}},
        )
    )
    assert isinstance(streamed, StreamReply)
    assert len(streamed.answer.deltas) == 7


def test_checks_run_in_the_real_servers_order() -> None:
    fake = app(api_key="sk-1")
    # FastAPI 0.115 (R2R 3.6.6): JSON syntax first, then credentials (dependencies), then the
    # body's fields; an empty body is a missing field, found after the credentials.
    broken = fake(request("POST", "/v3/retrieval/rag", raw=b"{bad"))
    assert isinstance(broken, JsonReply)
    assert (broken.status, broken.body) == (
        422,
        {
            "detail": [
                {
                    "type": "json_invalid",
                    "loc": ["body", 1],
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": "Expecting property name enclosed in double quotes"},
                }
            ]
        },
    )
    no_body = fake(request("POST", "/v3/retrieval/rag"))
    assert isinstance(no_body, JsonReply)
    assert no_body.status == 401
    no_key = fake(request("POST", "/v3/retrieval/rag", {"query": 1}))
    assert isinstance(no_key, JsonReply)
    assert no_key.status == 401
    bad_schema = fake(
        request("POST", "/v3/retrieval/rag", {"query": 1}, authorization="Bearer sk-1")
    )
    assert isinstance(bad_schema, JsonReply)
    assert bad_schema.status == 422
    missing = {"type": "missing", "msg": "Field required", "input": None}
    empty = fake(request("POST", "/v3/retrieval/rag", authorization="Bearer sk-1"))
    assert empty == JsonReply(422, {"detail": [{**missing, "loc": ["body", "query"]}]})
    doc_id = fake.documents.all()[0].id
    empty_put = fake(request("PUT", f"/v3/documents/{doc_id}/metadata", x_api_key="sk-1"))
    assert empty_put == JsonReply(422, {"detail": [{**missing, "loc": ["body"]}]})


def test_unknown_route_and_wrong_method() -> None:
    fake = app()
    assert fake(request("GET", "/v3/nowhere")) == JsonReply(404, {"detail": "Not Found"})
    assert fake(request("GET", "/v3/retrieval/rag")) == JsonReply(
        405, {"detail": "Method Not Allowed"}
    )


def test_metadata_replace_and_read_back() -> None:
    fake = app()
    doc_id = fake.documents.all()[0].id
    replaced = fake(
        request("PUT", f"/v3/documents/{doc_id}/metadata", [{"a": 1}, {"a": 2, "b": 3}])
    )
    assert isinstance(replaced, JsonReply)
    assert replaced.status == 200
    read = fake(request("GET", f"/v3/documents/{doc_id}"))
    assert isinstance(read, JsonReply)
    assert read.status == 200
    body: Any = read.body
    assert body["results"]["metadata"] == {"a": 2, "b": 3}
    missing = fake(request("GET", "/v3/documents/00000000-0000-4000-8000-000000000000"))
    assert missing == JsonReply(
        404, {"message": "Document not found.", "error_type": "R2RException"}
    )


def test_a_fault_disarmed_by_its_with_block_is_not_taken_again() -> None:
    with Fault("status_503", None, {}, None) as fault:
        assert fault.take()
        assert fault.take()
    assert fault.exhausted
    assert not fault.take()


def test_without_jsonschema_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'r2r-client\[testing\]'"):
        RequestValidator()

"""Raw-HTTP contract tests: what the real R2R 3.6.6 server actually sends.

These use httpx only and pin down the wire facts the client library relies on.
Every response body is also validated against openapi/r2r-v3.yaml when that file
exists (see conftest.OpenAPIChecker).
"""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from conftest import ANSWER_PREFIX, DOC_QUERY, SHORT_ID_RE, parse_sse


def _error_shape(body: dict) -> None:
    """R2R's own errors: {"message": str, "error_type": "R2RException"}."""
    assert set(body) == {"message", "error_type"}, body
    assert isinstance(body["message"], str)
    assert body["message"]
    assert body["error_type"] == "R2RException"


def _validation_shape(body: dict) -> list[dict]:
    """FastAPI request validation errors: {"detail": [{"type","loc","msg","input",("ctx")}]}."""
    assert set(body) == {"detail"}, body
    assert isinstance(body["detail"], list)
    assert body["detail"]
    for item in body["detail"]:
        assert {"type", "loc", "msg", "input"} <= set(item), item
        assert isinstance(item["loc"], list)
        assert isinstance(item["msg"], str)
    return body["detail"]


# --------------------------------------------------------------------------
# main instance (no authentication required)
# --------------------------------------------------------------------------
def test_health(http: httpx.Client, openapi) -> None:
    r = http.get("/v3/health")
    assert r.status_code == 200
    assert r.json() == {"results": {"message": "ok"}}
    openapi.check(r, "/v3/health")


def test_completion_json(http: httpx.Client, cfg, openapi) -> None:
    r = http.post(
        "/v3/retrieval/completion",
        json={
            "messages": [{"role": "user", "content": "Say hello"}],
            "generation_config": {"model": cfg.model, "max_tokens": 64},
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"results"}
    results = body["results"]
    assert results["object"] == "chat.completion"
    choice = results["choices"][0]
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"] == ANSWER_PREFIX + "Say hello"
    assert choice["finish_reason"] == "stop"
    assert results["usage"]["total_tokens"] > 0
    openapi.check(r, "/v3/retrieval/completion")


def test_rag_json(http: httpx.Client, cfg, openapi) -> None:
    r = http.post(
        "/v3/retrieval/rag",
        json={"query": DOC_QUERY, "rag_generation_config": {"model": cfg.model}},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"results"}
    res = body["results"]
    assert {"generated_answer", "search_results", "citations", "metadata", "completion"} <= set(res)
    answer = res["generated_answer"]
    assert answer.startswith(ANSWER_PREFIX + DOC_QUERY)
    assert res["completion"] == answer

    chunks = res["search_results"]["chunk_search_results"]
    assert chunks, "expected chunk search results"
    assert any(c["document_id"] == cfg.doc_id for c in chunks)
    assert any("Quenella Marsh" in c["text"] for c in chunks)
    for key in ("graph_search_results", "web_search_results", "document_search_results"):
        assert key in res["search_results"]

    cits = res["citations"]
    assert cits, "the stand-in LLM cites the first source; R2R should return it"
    cit = cits[0]
    assert cit["object"] == "citation"
    assert SHORT_ID_RE.match(cit["id"]), cit["id"]
    assert f"[{cit['id']}]" in answer
    # the short id is the prefix of the cited chunk's UUID
    assert cit["payload"]["id"].startswith(cit["id"])
    assert cit["payload"]["document_id"] == cfg.doc_id
    # the completion metadata has the LLM response without the message content
    assert "content" not in res["metadata"]["choices"][0]["message"]
    openapi.check(r, "/v3/retrieval/rag")


SSE_SCHEMAS = {
    "search_results": "RAGSearchResultsEventData",
    "message": "RAGMessageEventData",
    "citation": "Citation",
    "final_answer": "RAGFinalAnswerEventData",
    "thinking": "RAGThinkingEventData",
    "tool_call": "RAGToolCallEventData",
    "tool_result": "RAGToolResultEventData",
    "error": "RAGErrorEventData",
}


def test_rag_stream(http: httpx.Client, cfg, openapi) -> None:
    payload = {"query": DOC_QUERY, "rag_generation_config": {"model": cfg.model, "stream": True}}
    with http.stream("POST", "/v3/retrieval/rag", json=payload) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(r.iter_lines())
    names = [e for e, _ in events]
    assert names[0] == "search_results", names
    assert names[-2:] == ["final_answer", "done"], names
    assert events[-1][1] == "[DONE]"
    assert "message" in names, names
    assert "citation" in names, names
    first_msg = names.index("message")
    assert all(n == "message" for n in names[first_msg : names.index("citation")])
    assert set(names) <= {"search_results", "message", "citation", "final_answer", "done"}, names

    data = {i: json.loads(d) for i, (e, d) in enumerate(events) if e != "done"}
    for i, obj in data.items():
        openapi.check_component(obj, SSE_SCHEMAS[events[i][0]], f"SSE event {events[i][0]!r} data")
    sr = data[0]
    assert sr["object"] == "rag.search_results"
    assert sr["data"]["chunk_search_results"]

    text = "".join(
        part["payload"]["value"]
        for i, (e, _) in enumerate(events)
        if e == "message"
        for part in data[i]["delta"]["content"]
        if part["type"] == "text"
    )
    for i, (e, _) in enumerate(events):
        if e == "message":
            assert data[i]["object"] == "agent.message.delta"

    final = data[len(events) - 2]
    assert final["object"] == "rag.final_answer"
    assert final["generated_answer"] == text
    assert text.startswith(ANSWER_PREFIX + DOC_QUERY)

    cit_event = data[names.index("citation")]
    assert cit_event["object"] == "citation"
    assert cit_event["is_new"] is True
    assert SHORT_ID_RE.match(cit_event["id"])
    span = cit_event["span"]
    assert text[span["start"] : span["end"]] == f"[{cit_event['id']}]"
    assert cit_event["payload"]["document_id"] == cfg.doc_id
    assert final["citations"][0]["id"] == cit_event["id"]
    assert final["citations"][0]["spans"] == [span]


def test_metadata_replace_and_read_back(http: httpx.Client, cfg, openapi) -> None:
    r = http.put(f"/v3/documents/{cfg.doc_id}/metadata", json=[{"e2e_a": 1}, {"e2e_b": "two"}])
    assert r.status_code == 200, r.text
    openapi.check(r, "/v3/documents/{id}/metadata")
    doc = r.json()["results"]
    assert doc["id"] == cfg.doc_id
    # PUT replaces the whole metadata with the merge of the array's objects
    assert doc["metadata"] == {"e2e_a": 1, "e2e_b": "two"}

    r = http.get(f"/v3/documents/{cfg.doc_id}")
    assert r.status_code == 200, r.text
    openapi.check(r, "/v3/documents/{id}")
    doc = r.json()["results"]
    assert doc["metadata"] == {"e2e_a": 1, "e2e_b": "two"}
    assert doc["ingestion_status"] == "success"
    assert doc["document_type"] == "txt"


def test_metadata_patch_appends(http: httpx.Client, cfg, openapi) -> None:
    r = http.put(f"/v3/documents/{cfg.doc_id}/metadata", json=[{"base": True}])
    assert r.status_code == 200, r.text
    r = http.patch(f"/v3/documents/{cfg.doc_id}/metadata", json=[{"extra": 1}])
    assert r.status_code == 200, r.text
    openapi.check(r, "/v3/documents/{id}/metadata")
    assert r.json()["results"]["metadata"] == {"base": True, "extra": 1}


def test_unknown_document_is_404(http: httpx.Client, openapi) -> None:
    r = http.get(f"/v3/documents/{uuid.uuid4()}")
    assert r.status_code == 404
    _error_shape(r.json())
    assert r.json()["message"] == "Document not found."
    openapi.check(r, "/v3/documents/{id}")


def test_non_uuid_id_is_422(http: httpx.Client, openapi) -> None:
    r = http.get("/v3/documents/not-a-uuid")
    assert r.status_code == 422
    detail = _validation_shape(r.json())
    assert detail[0]["loc"] == ["path", "id"]
    assert detail[0]["type"] == "uuid_parsing"
    assert detail[0]["input"] == "not-a-uuid"
    openapi.check(r, "/v3/documents/{id}")


def test_non_uuid_id_in_metadata_path_is_422(http: httpx.Client, openapi) -> None:
    r = http.put("/v3/documents/not-a-uuid/metadata", json=[{"a": 1}])
    assert r.status_code == 422
    detail = _validation_shape(r.json())
    assert detail[0]["loc"] == ["path", "id"]
    openapi.check(r, "/v3/documents/{id}/metadata")


def test_unknown_document_metadata_is_404(http: httpx.Client, openapi) -> None:
    r = http.put(f"/v3/documents/{uuid.uuid4()}/metadata", json=[{"a": 1}])
    assert r.status_code == 404
    _error_shape(r.json())
    openapi.check(r, "/v3/documents/{id}/metadata")


def test_invalid_metadata_body_is_422(http: httpx.Client, cfg, openapi) -> None:
    r = http.put(f"/v3/documents/{cfg.doc_id}/metadata", json={"not": "a list"})
    assert r.status_code == 422
    detail = _validation_shape(r.json())
    assert detail[0]["loc"] == ["body"]
    assert detail[0]["type"] == "list_type"
    openapi.check(r, "/v3/documents/{id}/metadata")


def test_invalid_completion_body_is_422(http: httpx.Client, openapi) -> None:
    r = http.post("/v3/retrieval/completion", json={"generation_config": {}})
    assert r.status_code == 422
    detail = _validation_shape(r.json())
    assert any(d["loc"] == ["body", "messages"] and d["type"] == "missing" for d in detail), detail
    openapi.check(r, "/v3/retrieval/completion")


def test_wrong_bearer_token_is_401_even_without_required_auth(
    http: httpx.Client, cfg, openapi
) -> None:
    r = http.get(
        f"/v3/documents/{cfg.doc_id}", headers={"Authorization": "Bearer not-a-real-token"}
    )
    assert r.status_code == 401
    _error_shape(r.json())
    assert r.json()["message"] == "Invalid token or API key"
    openapi.check(r, "/v3/documents/{id}")


# --------------------------------------------------------------------------
# auth-required instance
# --------------------------------------------------------------------------
def test_auth_no_credentials_is_401(auth_http: httpx.Client, openapi) -> None:
    r = auth_http.get("/v3/users/me")
    assert r.status_code == 401
    _error_shape(r.json())
    assert r.json()["message"].startswith("No credentials provided")
    openapi.check(r, "/v3/users/me")


def test_auth_health_is_public(auth_http: httpx.Client) -> None:
    r = auth_http.get("/v3/health")
    assert r.status_code == 200
    assert r.json() == {"results": {"message": "ok"}}


def test_auth_login_response(auth_http: httpx.Client, cfg, openapi) -> None:
    r = auth_http.post(
        "/v3/users/login", data={"username": cfg.admin_email, "password": cfg.admin_password}
    )
    assert r.status_code == 200, r.text
    openapi.check(r, "/v3/users/login")
    res = r.json()["results"]
    assert res["access_token"]["token_type"] == "access"
    assert res["refresh_token"]["token_type"] == "refresh"
    assert res["access_token"]["token"].count(".") == 2  # a JWT


def test_auth_login_wrong_password(auth_http: httpx.Client, cfg, openapi) -> None:
    r = auth_http.post(
        "/v3/users/login", data={"username": cfg.admin_email, "password": "wrong-password"}
    )
    assert r.status_code == 401, r.text
    _error_shape(r.json())
    openapi.check(r, "/v3/users/login")


def test_auth_login_token_as_bearer(
    auth_http: httpx.Client, cfg, admin_token: str, openapi
) -> None:
    r = auth_http.get("/v3/users/me", headers={"Authorization": f"Bearer {admin_token}"})
    assert r.status_code == 200, r.text
    openapi.check(r, "/v3/users/me")
    me = r.json()["results"]
    assert me["email"] == cfg.admin_email
    assert me["is_superuser"] is True


def test_auth_create_api_key_response(
    auth_http: httpx.Client, admin_token: str, admin_user_id: str, openapi
) -> None:
    r = auth_http.post(
        f"/v3/users/{admin_user_id}/api-keys",
        json={"name": "e2e-shape", "description": "shape check"},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert r.status_code == 200, r.text
    openapi.check(r, "/v3/users/{id}/api-keys")
    res = r.json()["results"]
    assert {"public_key", "api_key", "key_id", "name"} <= set(res)
    assert res["api_key"].startswith(res["public_key"] + ".")
    assert res["name"] == "e2e-shape"
    uuid.UUID(res["key_id"])


@pytest.mark.parametrize("header", ["authorization-bearer", "x-api-key"])
def test_auth_api_key(
    auth_http: httpx.Client, cfg, admin_api_key: str, header: str, openapi
) -> None:
    headers = (
        {"Authorization": f"Bearer {admin_api_key}"}
        if header == "authorization-bearer"
        else {"X-API-Key": admin_api_key}
    )
    r = auth_http.get("/v3/users/me", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["results"]["email"] == cfg.admin_email
    openapi.check(r, "/v3/users/me")
    # and a retrieval call works with it too
    r = auth_http.post(
        "/v3/retrieval/completion",
        json={
            "messages": [{"role": "user", "content": "ping"}],
            "generation_config": {"model": cfg.model},
        },
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["results"]["choices"][0]["message"]["content"] == ANSWER_PREFIX + "ping"


def test_auth_wrong_api_key_is_401(auth_http: httpx.Client, openapi) -> None:
    r = auth_http.get("/v3/users/me", headers={"X-API-Key": "key_nope.secret"})
    assert r.status_code == 401
    _error_shape(r.json())
    openapi.check(r, "/v3/users/me")


def test_auth_bearer_and_api_key_together_is_400(
    auth_http: httpx.Client, admin_api_key: str, admin_token: str, openapi
) -> None:
    r = auth_http.get(
        "/v3/users/me",
        headers={"Authorization": f"Bearer {admin_token}", "X-API-Key": admin_api_key},
    )
    assert r.status_code == 400
    _error_shape(r.json())
    assert r.json()["message"] == "Cannot have both Bearer token and API key"
    openapi.check(r, "/v3/users/me")

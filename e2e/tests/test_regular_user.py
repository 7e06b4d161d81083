"""Raw-HTTP contract tests as a REGULAR user of the auth-required instance.

io.net's customers are regular users: R2R applies rate and quota limits to them, shows them only
their own documents and those shared with them through a collection, and rewrites their search
filters (shared/abstractions/search.py, select_search_filters). The superuser, which every other
e2e test uses, sees none of that. Requests use the user's login JWT unless the API key itself is
under test (each API-key request costs the server a bcrypt, ~0.3-0.6 s).

Every answer of a documented operation is validated against openapi/r2r-v3.yaml.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import httpx
import pytest
from conftest import ANSWER_PREFIX, OpenAPIChecker, parse_sse
from regular_users import COMPLETION, RAG, RegularUser
from test_contract import _error_shape, _validation_shape

METADATA = "/v3/documents/{id}/metadata"
QUERY = "What does the blue lantern mean?"
NewUser = Callable[..., RegularUser]


def _rag(cfg, **extra: object) -> dict[str, object]:
    return {"query": QUERY, "rag_generation_config": {"model": cfg.model}, **extra}


def _completion(cfg, content: str = "Say hello") -> dict[str, object]:
    return {
        "messages": [{"role": "user", "content": content}],
        "generation_config": {"model": cfg.model},
    }


def _doc_ids(r: httpx.Response) -> set[str]:
    return {c["document_id"] for c in r.json()["results"]["search_results"]["chunk_search_results"]}


def _used(user: RegularUser) -> int:
    """The server's count of the user's counted requests this month (all routes)."""
    return int(user.limits()["usage"]["monthly_limit"]["used"])


# --------------------------------------------------------------------------
# the three operations, as a regular user
# --------------------------------------------------------------------------
def test_completion(
    auth_http: httpx.Client, cfg, shared_regular_user: RegularUser, openapi
) -> None:
    r = auth_http.post(COMPLETION, json=_completion(cfg), headers=shared_regular_user.jwt_headers)
    assert r.status_code == 200, r.text
    openapi.check(r, COMPLETION)
    assert r.json()["results"]["choices"][0]["message"]["content"] == ANSWER_PREFIX + "Say hello"


@pytest.mark.parametrize("header", ["authorization-bearer", "x-api-key"])
def test_api_key(
    auth_http: httpx.Client, cfg, shared_regular_user: RegularUser, header: str
) -> None:
    key = shared_regular_user.api_key
    assert key is not None
    headers = {"Authorization": f"Bearer {key}"} if header != "x-api-key" else {"X-API-Key": key}
    r = auth_http.post(COMPLETION, json=_completion(cfg, "ping"), headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["results"]["choices"][0]["message"]["content"] == ANSWER_PREFIX + "ping"


def test_rag_sees_own_and_shared_documents_only(
    auth_http: httpx.Client,
    cfg,
    shared_regular_user: RegularUser,
    new_regular_user: NewUser,
    admin,
    openapi,
) -> None:
    other = new_regular_user(own_doc=True)
    user = shared_regular_user
    body = _rag(cfg, search_settings={"limit": 100})
    r = auth_http.post(RAG, json=body, headers=user.jwt_headers)
    assert r.status_code == 200, r.text
    openapi.check(r, RAG)
    assert _doc_ids(r) == {user.own_doc_id, user.shared_doc_id}
    # the superuser searches everything, the other user's document included
    r = auth_http.post(RAG, json=body, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert {user.own_doc_id, user.shared_doc_id, other.own_doc_id} <= _doc_ids(r)


def test_rag_stream(
    auth_http: httpx.Client, cfg, shared_regular_user: RegularUser, openapi
) -> None:
    body = {"query": QUERY, "rag_generation_config": {"model": cfg.model, "stream": True}}
    with auth_http.stream("POST", RAG, json=body, headers=shared_regular_user.jwt_headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(r.iter_lines())
    names = [e for e, _ in events]
    assert names[0] == "search_results"
    assert names[-2:] == ["final_answer", "done"], names
    final = json.loads(events[-2][1])
    openapi.check_component(final, "RAGFinalAnswerEventData", "final_answer event data")
    assert final["generated_answer"].startswith(ANSWER_PREFIX + QUERY)


def test_metadata_of_own_document(
    auth_http: httpx.Client, shared_regular_user: RegularUser, openapi
) -> None:
    user = shared_regular_user
    path = f"/v3/documents/{user.own_doc_id}/metadata"
    r = auth_http.put(path, json=[{"regular": True}, {"n": 2}], headers=user.jwt_headers)
    assert r.status_code == 200, r.text
    openapi.check(r, METADATA)
    assert r.json()["results"]["metadata"] == {"regular": True, "n": 2}
    assert r.json()["results"]["owner_id"] == user.id


def test_metadata_of_shared_document_is_404(
    auth_http: httpx.Client, shared_regular_user: RegularUser, openapi
) -> None:
    """Shared through a collection: searchable, but only the owner may change its metadata."""
    user = shared_regular_user
    r = auth_http.put(
        f"/v3/documents/{user.shared_doc_id}/metadata", json=[{"a": 1}], headers=user.jwt_headers
    )
    assert r.status_code == 404, r.text
    _error_shape(r.json())
    assert r.json()["message"] == "Document not found."
    openapi.check(r, METADATA)


def test_metadata_of_another_users_document_is_404(
    auth_http: httpx.Client, shared_regular_user: RegularUser, new_regular_user: NewUser, openapi
) -> None:
    other = new_regular_user(own_doc=True)
    r = auth_http.put(
        f"/v3/documents/{other.own_doc_id}/metadata",
        json=[{"a": 1}],
        headers=shared_regular_user.jwt_headers,
    )
    assert r.status_code == 404, r.text
    assert r.json()["message"] == "Document not found."
    openapi.check(r, METADATA)


def test_invalid_body_is_422(
    auth_http: httpx.Client, shared_regular_user: RegularUser, openapi
) -> None:
    r = auth_http.post(COMPLETION, json={}, headers=shared_regular_user.jwt_headers)
    assert r.status_code == 422
    _validation_shape(r.json())
    openapi.check(r, COMPLETION)


def test_no_credentials_is_401(auth_http: httpx.Client, cfg, openapi) -> None:
    r = auth_http.post(COMPLETION, json=_completion(cfg))
    assert r.status_code == 401
    _error_shape(r.json())
    assert r.json()["message"].startswith("No credentials provided.")
    assert "r2r configure key" in r.json()["message"]
    openapi.check(r, COMPLETION)


# --------------------------------------------------------------------------
# how R2R rewrites a regular user's filters
# --------------------------------------------------------------------------
def test_collection_filter_does_not_hide_own_documents(
    auth_http: httpx.Client, cfg, shared_regular_user: RegularUser
) -> None:
    """R2R turns a regular user's filters into (owner is me OR in the chosen collections) AND
    (the rest): filtering on a collection still finds the user's own documents."""
    user = shared_regular_user
    filters = {"collection_ids": {"$overlap": [user.shared_collection_id]}}
    r = auth_http.post(
        RAG, json=_rag(cfg, search_settings={"filters": filters}), headers=user.jwt_headers
    )
    assert r.status_code == 200, r.text
    assert _doc_ids(r) == {user.own_doc_id, user.shared_doc_id}


@pytest.mark.parametrize(
    ("form", "error_type"),
    [("$in", "KeyError"), ("$eq", "KeyError"), ("bare list", "TypeError")],
)
def test_collection_filter_other_than_overlap_fails_for_a_regular_user(
    auth_http: httpx.Client,
    cfg,
    shared_regular_user: RegularUser,
    admin,
    form: str,
    error_type: str,
    openapi,
) -> None:
    """R2R reads filters["collection_ids"]["$overlap"] for every non-superuser: any other form
    is a 500 for them (a server bug the superuser never meets; see e2e/regular-user-findings.md)."""
    user = shared_regular_user
    coll = user.shared_collection_id
    condition = {"$in": {"$in": [coll]}, "$eq": {"$eq": coll}, "bare list": [coll]}[form]
    # graph search off: with it on, the bare list fails for the superuser as well
    settings = {"filters": {"collection_ids": condition}, "graph_settings": {"enabled": False}}
    body = _rag(cfg, search_settings=settings)
    r = auth_http.post(RAG, json=body, headers=user.jwt_headers)
    assert r.status_code == 500, r.text
    assert r.json()["detail"]["error_type"] == error_type
    openapi.check(r, RAG)
    r = auth_http.post(RAG, json=body, headers=admin.headers)
    assert r.status_code == 200, r.text


# --------------------------------------------------------------------------
# rate limits and the monthly quota
# --------------------------------------------------------------------------
def test_a_429_is_not_counted_a_500_is(
    auth_http: httpx.Client, cfg, new_regular_user: NewUser, openapi: OpenAPIChecker
) -> None:
    """R2R logs a request after the route ran (also when it failed) and refuses before it."""
    user = new_regular_user(shared=True)
    user.set_limits(global_per_min=1)
    failing = _rag(
        cfg, search_settings={"filters": {"collection_ids": {"$in": [user.shared_collection_id]}}}
    )
    before = _used(user)
    for n in (1, 2):  # count > limit refuses, so limit + 1 requests pass
        r = auth_http.post(RAG, json=failing, headers=user.jwt_headers)
        assert r.status_code == 500, r.text
        assert _used(user) == before + n
    r = auth_http.post(COMPLETION, json=_completion(cfg), headers=user.jwt_headers)
    assert r.status_code == 429, r.text
    assert r.json() == {"detail": "Global per-minute rate limit exceeded"}
    assert "retry-after" not in r.headers
    openapi.check(r, COMPLETION)
    assert _used(user) == before + 2


def test_limits_per_route_and_global(
    auth_http: httpx.Client, cfg, new_regular_user: NewUser, openapi: OpenAPIChecker
) -> None:
    user = new_regular_user(own_doc=True)
    user.set_limits(routes={COMPLETION: {"route_per_min": 1}})
    for _ in range(2):
        r = auth_http.post(COMPLETION, json=_completion(cfg), headers=user.jwt_headers)
        assert r.status_code == 200, r.text
    r = auth_http.post(COMPLETION, json=_completion(cfg), headers=user.jwt_headers)
    assert r.status_code == 429
    assert r.json() == {"detail": "Per-route per-minute rate limit exceeded"}
    openapi.check(r, COMPLETION)
    # another route has its own per-route count
    r = auth_http.post(RAG, json=_rag(cfg), headers=user.jwt_headers)
    assert r.status_code == 200, r.text
    # the global count covers every route, and is checked for PUT too (which is never counted)
    user.set_limits(global_per_min=2)
    path = f"/v3/documents/{user.own_doc_id}/metadata"
    r = auth_http.put(path, json=[{"a": 1}], headers=user.jwt_headers)
    assert r.status_code == 429
    assert r.json() == {"detail": "Global per-minute rate limit exceeded"}
    openapi.check(r, METADATA)


def test_regular_user_fixture(regular_user: RegularUser, auth_http: httpx.Client) -> None:
    """The fixture the client tests build on: a real user, a working key, its documents."""
    assert regular_user.own_doc_id
    assert regular_user.shared_doc_id
    assert regular_user.api_key is not None
    assert regular_user.api_key not in repr(regular_user)
    assert regular_user.jwt not in repr(regular_user)
    r = auth_http.get("/v3/users/me", headers=regular_user.key_headers)
    assert r.status_code == 200, r.text
    me = r.json()["results"]
    assert (me["id"], me["is_superuser"]) == (regular_user.id, False)
    assert regular_user.shared_collection_id in me["collection_ids"]
    overrides = regular_user.set_limits(monthly_limit=7, routes={RAG: {"route_per_min": 3}})
    assert overrides == {"monthly_limit": 7, "route_overrides": {RAG: {"route_per_min": 3}}}
    effective = regular_user.limits()["effective_limits"]
    assert effective["monthly_limit"] == 7
    uuid.UUID(regular_user.id)

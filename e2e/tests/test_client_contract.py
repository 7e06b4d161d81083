"""The r2r_client package against the real R2R 3.6.6 server (skipped if r2r_client is absent)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from conftest import ANSWER_PREFIX, DOC_QUERY, SHORT_ID_RE

r2r_client = pytest.importorskip("r2r_client")

from r2r_client import (  # noqa: E402
    AsyncR2RClient,
    AuthenticationError,
    NotFoundError,
    R2RClient,
    R2RException,
    UnprocessableEntityError,
)


def _get(obj, name):
    """Attribute or mapping access (results.metadata may be a model or a dict-like)."""
    if isinstance(obj, dict):
        return obj[name]
    try:
        return obj[name]
    except (TypeError, KeyError):
        return getattr(obj, name)


def _as_dict(obj) -> dict:
    if isinstance(obj, dict):
        return dict(obj)
    for attr in ("to_dict", "model_dump", "dict"):
        fn = getattr(obj, attr, None)
        if callable(fn):
            return dict(fn())
    return dict(obj)


@pytest.fixture
def client(cfg):
    c = R2RClient(cfg.base)
    try:
        yield c
    finally:
        close = getattr(c, "close", None)
        if callable(close):
            close()


def test_client_completion(client, cfg) -> None:
    r = client.retrieval.completion(
        messages=[{"role": "user", "content": "Say hello"}],
        generation_config={"model": cfg.model, "max_tokens": 64},
    )
    content = r.results.choices[0].message.content
    assert isinstance(content, str)
    assert content == ANSWER_PREFIX + "Say hello"


def test_client_rag(client, cfg) -> None:
    r = client.retrieval.rag(query=DOC_QUERY, rag_generation_config={"model": cfg.model})
    answer = r.results.generated_answer
    assert answer.startswith(ANSWER_PREFIX + DOC_QUERY)
    chunks = r.results.search_results.chunk_search_results
    assert chunks
    assert any(str(c.document_id) == cfg.doc_id for c in chunks)
    cits = r.results.citations
    assert cits, "expected at least one citation"
    assert SHORT_ID_RE.match(cits[0].id)
    assert f"[{cits[0].id}]" in answer


def test_client_rag_stream(client, cfg) -> None:
    with client.retrieval.rag(
        query=DOC_QUERY, rag_generation_config={"model": cfg.model, "stream": True}
    ) as stream:
        events = list(stream)
    names = [e.event for e in events]
    assert names[0] == "search_results", names
    assert names[-1] == "final_answer", names  # iteration ends at `done`, which is not yielded
    assert "message" in names, names
    assert "citation" in names, names
    text = "".join(
        part.payload.value
        for e in events
        if e.event == "message"
        for part in e.data.delta.content
        if getattr(part, "type", "text") == "text"
    )
    final = events[-1].data
    assert final.generated_answer == text
    assert text.startswith(ANSWER_PREFIX + DOC_QUERY)
    cit = next(e for e in events if e.event == "citation").data
    assert SHORT_ID_RE.match(cit.id)
    assert final.citations
    assert final.citations[0].id == cit.id


def test_client_replace_metadata(client, cfg) -> None:
    r = client.documents.replace_metadata(cfg.doc_id, metadata=[{"a": 1}, {"b": 2}])
    md = r.results.metadata
    assert _get(md, "a") == 1
    assert _get(md, "b") == 2
    assert _as_dict(md) == {"a": 1, "b": 2}


def test_client_not_found(client) -> None:
    with pytest.raises(NotFoundError) as ei:
        client.documents.replace_metadata(str(uuid.uuid4()), metadata=[{"a": 1}])
    assert ei.value.status_code == 404
    assert isinstance(ei.value, R2RException)
    assert "Document not found" in str(ei.value)


def test_client_rejects_bad_ids_locally(client) -> None:
    """r2r_client checks a document id before sending (no request is made)."""
    with pytest.raises((ValueError, R2RException)):
        client.documents.replace_metadata("not-a-uuid", metadata=[{"a": 1}])


def test_client_unprocessable(cfg) -> None:
    """A real server 422 (the client validates ids locally, so break the path on the wire)."""

    def break_path(request: httpx.Request) -> None:
        request.url = request.url.copy_with(path="/v3/documents/not-a-uuid/metadata")

    http_client = httpx.Client(event_hooks={"request": [break_path]}, timeout=60)
    c = R2RClient(cfg.base, http_client=http_client)
    try:
        with pytest.raises(UnprocessableEntityError) as ei:
            c.documents.replace_metadata(cfg.doc_id, metadata=[{"a": 1}])
    finally:
        http_client.close()
    assert ei.value.status_code == 422
    errors = ei.value.errors
    assert errors
    first = errors[0]
    assert list(_get(first, "loc")) == ["path", "id"]
    assert isinstance(_get(first, "msg"), str)


def test_client_wrong_token_is_authentication_error(cfg) -> None:
    c = R2RClient(cfg.base, api_key="key_nope.secret")
    with pytest.raises(AuthenticationError) as ei:
        c.retrieval.completion(
            messages=[{"role": "user", "content": "x"}], generation_config={"model": cfg.model}
        )
    assert ei.value.status_code == 401


def test_client_auth_required_without_credentials(cfg) -> None:
    c = R2RClient(cfg.auth_base)
    with pytest.raises(AuthenticationError):
        c.retrieval.completion(
            messages=[{"role": "user", "content": "x"}], generation_config={"model": cfg.model}
        )


@pytest.mark.parametrize("mode", ["bearer", "x-api-key", "set_api_key"])
def test_client_api_key(cfg, admin_api_key: str, mode: str) -> None:
    if mode == "bearer":
        c = R2RClient(cfg.auth_base, api_key=admin_api_key)
    elif mode == "x-api-key":
        c = R2RClient(cfg.auth_base, api_key=admin_api_key, auth_header="x-api-key")
    else:
        c = R2RClient(cfg.auth_base)
        c.set_api_key(admin_api_key)
    r = c.retrieval.completion(
        messages=[{"role": "user", "content": "ping"}], generation_config={"model": cfg.model}
    )
    assert r.results.choices[0].message.content == ANSWER_PREFIX + "ping"


def test_client_access_token(cfg, admin_token: str) -> None:
    c = R2RClient(cfg.auth_base, access_token=admin_token)
    r = c.retrieval.completion(
        messages=[{"role": "user", "content": "ping"}], generation_config={"model": cfg.model}
    )
    assert r.results.choices[0].message.content == ANSWER_PREFIX + "ping"


def test_async_client_completion(cfg) -> None:
    async def go() -> str:
        async with AsyncR2RClient(cfg.base) as ac:
            r = await ac.retrieval.completion(
                messages=[{"role": "user", "content": "Say hello"}],
                generation_config={"model": cfg.model, "max_tokens": 64},
            )
            return r.results.choices[0].message.content

    assert asyncio.run(go()) == ANSWER_PREFIX + "Say hello"


def test_async_client_rag_stream(cfg) -> None:
    async def go() -> list:
        async with AsyncR2RClient(cfg.base) as ac:
            stream = ac.retrieval.rag(
                query=DOC_QUERY, rag_generation_config={"model": cfg.model, "stream": True}
            )
            if asyncio.iscoroutine(stream):
                stream = await stream
            async with stream as s:
                return [e async for e in s]

    events = asyncio.run(go())
    names = [e.event for e in events]
    assert names[0] == "search_results", names
    assert names[-1] == "final_answer", names

"""Contract fidelity without a server: the document's rules, the client's extra checks, and the
fake server's imitation of the real one's failures (each case below was seen on R2R 3.6.6; the
e2e corpus and property-based run prove them against the real server)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import respx
from _helpers import BASE, DOC_ID, call, fixture_response
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from r2r_client import InvalidRequestError
from r2r_client._body_checks import check_rag_body
from r2r_client.testing import RecordedRequest
from r2r_client.testing._app import FakeApp
from r2r_client.testing._corpus import SEED_DOCUMENTS, DocumentStore
from r2r_client.testing._messages import JsonReply, TextReply
from r2r_client.testing._validation import openapi_document

U = "00000000-0000-4000-8000-000000000000"


def _validator(schema: str) -> jsonschema.Draft202012Validator:
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(openapi_document()))
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:doc#/components/schemas/{schema}"}, registry=registry
    )


def _filters_ok(filters: object) -> bool:
    return _validator("SearchFilters").is_valid(filters)


# -- the document ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        {"document_id": {"$eq": U}},
        {"document_id": U},
        {"document_id": None},
        {"document_id": {"$in": [U]}},
        {"$and": [{"topic": "a"}, {"chunk_order": {"$gt": 1}}]},
        {"$or": []},
        {"collection_ids": {"$overlap": [U]}},
        {"collection_id": U},
        {"text": {"$ilike": "%zorb%"}},
        {"topic": {"$in": ["a", 1, None]}},
        {"tags": {"$contains": ["a"]}},
        {"source": {"$json_contains": {"k": [1]}}},
        {"outer": {"inner": {"$lt": 3}}},
        {"metadata": {"a.b": {"$like": "x%"}}},
        {"parent_id": {"$eq": U}},
        {},
    ],
)
def test_filters_r2r_runs_are_accepted(filters: object) -> None:
    assert _filters_ok(filters)


@pytest.mark.parametrize(
    "filters",
    [
        {"document_id": {"$neq": U}},  # not an operator
        {"document_id": {"$regex": "a"}},
        {"$and": {"document_id": {"$eq": U}}},  # $and takes a list
        {"$and": [{"a": 1}, 5]},
        {"document_id": {"$in": U}},  # $in takes a list
        {"topic": {"$in": "a"}},
        {"document_id": "not-a-uuid"},
        {"document_id": {"$like": "%a%"}},  # not on a UUID column
        {"document_id": {"$eq": U, "$ne": U}},  # exactly one operator
        {"topic": {}},
        {"topic": {"$overlap": ["a"]}},  # only on collections
        {"topic": {"$like": 5}},
        {"text": {"$gt": 1}},
        {"topic": {"$eq": "a\u0000"}},
        {"it's": 1},
        {"": 1},
        {"created_at": {"$gt": "2020"}},
        {"collection_ids": [U]},
        {"metadata": 5},
        {"parent_id": "x"},
    ],
)
def test_filters_r2r_fails_on_are_refused(filters: object) -> None:
    assert not _filters_ok(filters)


def test_metadata_may_not_hold_u0000_anywhere() -> None:
    metadata = _validator("MetadataObject")
    assert metadata.is_valid({"a": [{"b": "c"}], "n": 1.5, "t": None})
    for bad in ({"a": "b\u0000"}, {"a\u0000": 1}, {"a": [{"b": ["c\u0000"]}]}):
        assert not metadata.is_valid(bad)


def test_messages_accept_what_the_server_handles() -> None:
    request = _validator("CompletionRequest")
    ok = [
        {"role": "tool", "content": None, "tool_call_id": "c"},
        {"role": "assistant", "tool_calls": []},
        {"role": "user", "content": [{"type": "text", "text": "hi"}]},
        {"role": "user", "content": 5},
        {"role": "user", "metadata": {"k": "a\u0000"}},  # not stored
    ]
    for message in ok:
        assert request.is_valid({"messages": [message], "generation_config": None}), message
    bad = [
        {"role": ""},
        {"role": "user", "content": [None]},
        {"role": "user", "image_data": {"data": 5}},
    ]
    for message in bad:
        assert not request.is_valid({"messages": [message]}), message
    assert not request.is_valid(
        {"messages": [{"role": "user"}], "generation_config": {"stream": True}}
    )


def test_optional_rag_fields_may_be_null_and_search_cannot_be_turned_off() -> None:
    rag = _validator("RAGRequest")
    nulls = dict.fromkeys(
        (
            "search_mode",
            "search_settings",
            "rag_generation_config",
            "task_prompt",
            "include_title_if_available",
            "include_web_search",
        )
    )
    assert rag.is_valid({"query": "q", **nulls})
    assert rag.is_valid({"query": "q", "search_settings": {"limit": 5.0}})  # 5.0 is an integer
    off = {"use_semantic_search": False}
    assert not rag.is_valid({"query": "q", "search_settings": off})
    assert rag.is_valid({"query": "q", "search_mode": "advanced", "search_settings": off})
    assert rag.is_valid({"query": "q", "search_settings": {**off, "use_fulltext_search": True}})
    assert not rag.is_valid({"query": "a\u0000"})


# -- the client's checks the document cannot express --------------------------------------


@pytest.mark.parametrize("prompt", ["{}", "{0}", "a { b", "a } b", "{query.x}", "{query:d}"])
def test_task_prompt_the_server_cannot_format_is_refused(prompt: str) -> None:
    with pytest.raises(InvalidRequestError) as info:
        check_rag_body({"query": "q", "task_prompt": prompt})
    assert info.value.field == "task_prompt"
    assert "{{" in info.value.problem  # says how to write a literal brace


@pytest.mark.parametrize("prompt", ["{query} {context}", "Hi {name}", "{{json}} {query}", ""])
def test_task_prompt_the_server_formats_is_sent(prompt: str) -> None:
    check_rag_body({"query": "q", "task_prompt": prompt})


def test_metadata_prefixed_filter_keys_must_suit_graph_search() -> None:
    def settings(filters: dict[str, Any], **more: Any) -> dict[str, Any]:
        return {"query": "q", "search_settings": {"filters": filters, **more}}

    for bad, field in (
        ({"metadata.a": 5}, "search_settings.filters.metadata.a"),
        ({"$or": [{"metadata.a": {"$eq": 1}}]}, "search_settings.filters.$or[0].metadata.a.$eq"),
        ({"metadata.a": {"$gt": "x"}}, "search_settings.filters.metadata.a.$gt"),
    ):
        with pytest.raises(InvalidRequestError) as info:
            check_rag_body(settings(bad))
        assert info.value.field == field
    check_rag_body(settings({"metadata.a": "x"}))
    check_rag_body(settings({"metadata": {"a": 5}}))
    check_rag_body(settings({"metadata.a": 5}, graph_settings={"enabled": False}))


def test_hybrid_search_needs_full_text_limit_at_least_limit() -> None:
    with pytest.raises(InvalidRequestError) as info:
        check_rag_body({"query": "q", "search_settings": {"use_hybrid_search": True, "limit": 300}})
    assert info.value.field == "search_settings.hybrid_settings.full_text_limit"
    with pytest.raises(InvalidRequestError):
        check_rag_body({"query": "q", "search_mode": "advanced", "search_settings": {"limit": 201}})
    check_rag_body({"query": "q", "search_settings": {"limit": 300}})
    check_rag_body(
        {
            "query": "q",
            "search_settings": {
                "use_hybrid_search": True,
                "limit": 300,
                "hybrid_settings": {"full_text_limit": 300},
            },
        }
    )


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post("/v3/retrieval/completion").mock(return_value=fixture_response("04-completion"))
        router.post("/v3/retrieval/rag").mock(return_value=fixture_response("06-rag"))
        yield router


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_client_sends_messages_without_content(api: respx.Router, kind: str) -> None:
    messages = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": None, "tool_calls": []},
        {"role": "tool", "tool_call_id": "c"},
    ]
    call(kind, lambda c: c.retrieval.completion(messages))
    assert json.loads(api.calls.last.request.content)["messages"] == messages


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_client_sends_null_optional_fields(api: respx.Router, kind: str) -> None:
    extra = {"search_settings": None, "search_mode": None, "include_web_search": None}
    call(kind, lambda c: c.retrieval.rag("q", extra_body=extra))
    assert json.loads(api.calls.last.request.content) == {"query": "q", **extra}


def test_client_refuses_a_bad_task_prompt_before_sending(api: respx.Router) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call("sync", lambda c: c.retrieval.rag("q", task_prompt="Answer {} now"))
    assert info.value.field == "task_prompt"
    assert api.calls.call_count == 0


# -- the fake server imitates the real one's failures -------------------------------------


def _app() -> FakeApp:
    store = DocumentStore()
    for title, text, metadata in SEED_DOCUMENTS:
        store.add(title, text, metadata, None)
    store.add("doc", "text", {}, DOC_ID)
    return FakeApp(store, api_key=None, stream_deltas=None)


def _post(app: FakeApp, path: str, body: object, method: str = "POST") -> Any:
    return app(RecordedRequest(method, path, "", {}, json.dumps(body).encode()))


@pytest.mark.parametrize(
    ("path", "body", "status", "kind"),
    [
        (
            "/v3/retrieval/rag",
            {"query": "q", "search_settings": {"filters": "a=b"}},
            500,
            TextReply,
        ),
        ("/v3/retrieval/rag", {"query": "q", "search_settings": {"filters": None}}, 500, TextReply),
        (
            "/v3/retrieval/rag",
            {"query": "q", "search_settings": {"filters": {"document_id": {"$neq": U}}}},
            500,
            JsonReply,
        ),
        ("/v3/retrieval/rag", {"query": "q", "task_prompt": "{}"}, 500, JsonReply),
        (
            "/v3/retrieval/rag",
            {"query": "q", "search_settings": {"use_semantic_search": False}},
            500,
            JsonReply,
        ),
        ("/v3/retrieval/rag", {"query": "a\u0000"}, 200, JsonReply),
        (
            "/v3/retrieval/rag",
            {"query": "a\u0000", "search_settings": {"use_hybrid_search": True}},
            500,
            JsonReply,
        ),
        ("/v3/retrieval/rag", {"query": "q", "search_settings": {"limit": 0}}, 422, JsonReply),
        (
            "/v3/retrieval/rag",
            {"query": "q", "search_settings": {"limit": 0, "filters": {"a": {}}}},
            422,
            JsonReply,
        ),
        (
            "/v3/retrieval/completion",
            {"messages": [{"role": "user"}], "generation_config": {"stream": True}},
            500,
            JsonReply,
        ),
        (
            "/v3/retrieval/completion",
            {"messages": [{"role": "user", "content": [None]}]},
            500,
            JsonReply,
        ),
        ("/v3/retrieval/completion", {"messages": [{"role": "tool"}]}, 200, JsonReply),
    ],
)
def test_fake_answers_like_the_real_server(
    path: str, body: object, status: int, kind: type[JsonReply | TextReply]
) -> None:
    reply = _post(_app(), path, body)
    assert isinstance(reply, kind)
    assert reply.status == status
    if isinstance(reply, TextReply):
        assert reply.text == "Internal Server Error"
    elif status == 500:
        assert isinstance(reply.body, dict)
        assert set(reply.body["detail"]) == {"message", "error", "error_type"}


def test_fake_refuses_unstorable_metadata_like_the_real_server() -> None:
    fake = _app()
    path = f"/v3/documents/{DOC_ID}/metadata"
    assert _post(fake, path, [{"a": "b\u0000"}], "PUT").status == 500
    assert _post(fake, path, [{"a": "b"}], "PUT").status == 200
    assert _post(fake, path, {"a": "b"}, "PUT").status == 422

"""What the client sends (method, URL, headers, exact JSON) and what it hands back."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
import respx
from _helpers import (
    BASE,
    DOC_ID,
    KINDS,
    call,
    connection_pool,
    fixture_json,
    fixture_response,
    load_fixture,
    present,
    sent_json,
)

from r2r_api.models.chat_completion import ChatCompletion
from r2r_api.models.citation import Citation
from r2r_api.models.generation_config import GenerationConfig
from r2r_api.models.message import Message
from r2r_api.models.metadata_object import MetadataObject
from r2r_api.models.rag_response import RAGResponse
from r2r_api.models.search_mode import SearchMode
from r2r_api.models.search_settings import SearchSettings
from r2r_api.models.wrapped_completion_response import WrappedCompletionResponse
from r2r_api.models.wrapped_document_response import WrappedDocumentResponse
from r2r_api.models.wrapped_rag_response import WrappedRAGResponse
from r2r_client import (
    DEFAULT_BASE_URL,
    APIResponse,
    AsyncR2RClient,
    InvalidRequestError,
    R2RClient,
    RAGStream,
)

MESSAGES = [{"role": "user", "content": "Say hello"}]
META_PATH = f"/v3/documents/{DOC_ID}/metadata"


@pytest.fixture
def api() -> Any:
    """respx routes for the three endpoints, answering with the real captures."""
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post("/v3/retrieval/completion", name="completion").mock(
            return_value=fixture_response("04-completion")
        )
        router.post("/v3/retrieval/rag", name="rag").mock(return_value=fixture_response("06-rag"))
        router.put(META_PATH, name="metadata").mock(
            return_value=fixture_response("02-put-metadata")
        )
        yield router


def last_request(router: respx.Router) -> httpx.Request:
    assert router.calls.call_count >= 1
    return router.calls.last.request


# -- method, path, headers, body ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_completion_request(api: respx.Router, kind: str) -> None:
    resp = call(kind, lambda c: c.retrieval.completion(MESSAGES), api_key="k")
    request = last_request(api)
    assert api["completion"].call_count == 1
    assert request.method == "POST"
    assert request.url == f"{BASE}/v3/retrieval/completion"
    assert request.url.path == "/api/r2r/v3/retrieval/completion"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("r2r-client/")
    assert "x-project-name" not in request.headers
    assert json.loads(request.content) == {"messages": MESSAGES}
    assert isinstance(resp, WrappedCompletionResponse)


@pytest.mark.parametrize("kind", KINDS)
def test_rag_request(api: respx.Router, kind: str) -> None:
    resp = call(
        kind,
        lambda c: c.retrieval.rag(
            "Who invented the Zorblax protocol?",
            rag_generation_config={"model": "m", "temperature": 0.1},
            search_mode="advanced",
            search_settings={"limit": 3, "use_semantic_search": True},
            task_prompt="Answer: {query} {context}",
            include_title_if_available=True,
            include_web_search=False,
        ),
    )
    request = last_request(api)
    assert request.method == "POST"
    assert request.url.path == "/api/r2r/v3/retrieval/rag"
    assert request.headers["accept"] == "application/json"
    assert json.loads(request.content) == {
        "query": "Who invented the Zorblax protocol?",
        "rag_generation_config": {"model": "m", "temperature": 0.1},
        "search_mode": "advanced",
        "search_settings": {"limit": 3, "use_semantic_search": True},
        "task_prompt": "Answer: {query} {context}",
        "include_title_if_available": True,
        "include_web_search": False,
    }
    assert isinstance(resp, WrappedRAGResponse)


@pytest.mark.parametrize("kind", KINDS)
def test_rag_minimal_body_has_only_query(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.rag("q"))
    assert sent_json(api["rag"]) == {"query": "q"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("doc_id", [DOC_ID, uuid.UUID(DOC_ID), DOC_ID.upper()])
def test_replace_metadata_request(api: respx.Router, kind: str, doc_id: Any) -> None:
    metadata = [{"source": "x", "tags": ["a"]}, {"reviewed": True}]
    resp = call(kind, lambda c: c.documents.replace_metadata(doc_id, metadata))
    request = last_request(api)
    assert request.method == "PUT"
    assert request.url.path == f"/api/r2r{META_PATH}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == metadata
    assert isinstance(resp, WrappedDocumentResponse)


@pytest.mark.parametrize("kind", KINDS)
def test_project_name_header(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.completion(MESSAGES), project_name="proj-a")
    assert last_request(api).headers["x-project-name"] == "proj-a"


def test_set_and_unset_project_name(api: respx.Router) -> None:
    client = R2RClient(BASE)
    client.set_project_name("proj-b")
    client.retrieval.completion(MESSAGES)
    assert last_request(api).headers["x-project-name"] == "proj-b"
    client.unset_project_name()
    client.retrieval.completion(MESSAGES)
    assert "x-project-name" not in last_request(api).headers
    client.close()


@pytest.mark.parametrize("kind", KINDS)
def test_default_headers_are_sent(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.rag("q"), default_headers={"X-Trace": "t1"})
    assert last_request(api).headers["x-trace"] == "t1"


# -- base URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        (BASE, f"{BASE}/v3/retrieval/completion"),
        (BASE + "/", f"{BASE}/v3/retrieval/completion"),
        ("http://localhost:7272", "http://localhost:7272/v3/retrieval/completion"),
        ("http://localhost:7272/", "http://localhost:7272/v3/retrieval/completion"),
        ("https://example.com/a/b//", "https://example.com/a/b/v3/retrieval/completion"),
    ],
)
def test_base_url_prefix_and_trailing_slash(kind: str, base_url: str, expected: str) -> None:
    with respx.mock() as router:
        route = router.post(expected).mock(return_value=fixture_response("04-completion"))
        call(kind, lambda c: c.retrieval.completion(MESSAGES), base_url=base_url)
    assert route.call_count == 1
    assert str(route.calls.last.request.url) == expected


def test_base_url_property_has_no_trailing_slash() -> None:
    assert R2RClient(BASE + "/").base_url == BASE
    assert R2RClient("http://localhost:7272/").base_url == "http://localhost:7272"


def test_set_base_url_changes_target() -> None:
    client = R2RClient(BASE)
    client.set_base_url("http://127.0.0.1:9/x/")
    with respx.mock() as router:
        route = router.post("http://127.0.0.1:9/x/v3/retrieval/rag").mock(
            return_value=fixture_response("06-rag")
        )
        client.retrieval.rag("q")
    assert route.call_count == 1
    client.close()


@pytest.mark.parametrize("bad", ["ftp://example.com", "example.com/api", "/v3"])
def test_bad_base_url_rejected(bad: str) -> None:
    from r2r_client import ConfigurationError

    with pytest.raises(ConfigurationError, match="base_url"):
        R2RClient(bad)


@pytest.mark.parametrize("kind", KINDS)
def test_env_fallback(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("R2R_API_BASE", "https://env.example.com/prefix")
    monkeypatch.setenv("R2R_API_KEY", "env-key")
    with respx.mock() as router:
        route = router.post("https://env.example.com/prefix/v3/retrieval/completion").mock(
            return_value=fixture_response("04-completion")
        )
        call(kind, lambda c: c.retrieval.completion(MESSAGES), base_url=None)
    assert route.calls.last.request.headers["authorization"] == "Bearer env-key"


def test_explicit_arguments_beat_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2R_API_BASE", "https://env.example.com")
    monkeypatch.setenv("R2R_API_KEY", "env-key")
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(return_value=fixture_response("06-rag"))
        with R2RClient(BASE, api_key="arg-key") as client:
            client.retrieval.rag("q")
    assert route.calls.last.request.headers["authorization"] == "Bearer arg-key"


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
def test_hosted_default(monkeypatch: pytest.MonkeyPatch, cls: type) -> None:
    monkeypatch.delenv("R2R_API_BASE", raising=False)
    monkeypatch.delenv("R2R_API_KEY", raising=False)
    client = cls()
    assert client.base_url == DEFAULT_BASE_URL == "https://api.intelligence.io.solutions/api/r2r"
    assert "none" in repr(client)


def test_hosted_default_is_requested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("R2R_API_BASE", raising=False)
    monkeypatch.delenv("R2R_API_KEY", raising=False)
    with respx.mock() as router:
        route = router.post(f"{DEFAULT_BASE_URL}/v3/retrieval/completion").mock(
            return_value=fixture_response("04-completion")
        )
        with R2RClient() as client:
            client.retrieval.completion(MESSAGES)
    assert "authorization" not in route.calls.last.request.headers


# -- dicts and generated models; what the body contains ------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_generated_models_accepted(api: respx.Router, kind: str) -> None:
    def go(c: Any) -> Any:
        return c.retrieval.completion(
            [Message(role="system", content="Be brief."), {"role": "user", "content": "Hi"}],
            GenerationConfig(model="m", temperature=0.5, max_tokens_to_sample=20),
        )

    call(kind, go)
    assert sent_json(api["completion"]) == {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi"},
        ],
        "generation_config": {"model": "m", "temperature": 0.5, "max_tokens_to_sample": 20},
    }


@pytest.mark.parametrize("kind", KINDS)
def test_search_settings_and_mode_models_accepted(api: respx.Router, kind: str) -> None:
    call(
        kind,
        lambda c: c.retrieval.rag(
            "q",
            rag_generation_config=GenerationConfig(model="m"),
            search_mode=SearchMode.BASIC,
            search_settings=SearchSettings(limit=7, offset=2),
        ),
    )
    assert sent_json(api["rag"]) == {
        "query": "q",
        "rag_generation_config": {"model": "m"},
        "search_mode": "basic",
        "search_settings": {"limit": 7, "offset": 2},
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["completion", "rag"])
def test_max_tokens_sent_as_max_tokens_to_sample(api: respx.Router, kind: str, method: str) -> None:
    config = {"model": "m", "max_tokens": 150}
    if method == "completion":
        call(kind, lambda c: c.retrieval.completion(MESSAGES, config))
        sent = sent_json(api["completion"])["generation_config"]
    else:
        call(kind, lambda c: c.retrieval.rag("q", rag_generation_config=config))
        sent = sent_json(api["rag"])["rag_generation_config"]
    assert sent == {"model": "m", "max_tokens_to_sample": 150}
    assert config == {"model": "m", "max_tokens": 150}, "the caller's dict must not be changed"


def test_max_tokens_equal_pair_accepted(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        client.retrieval.completion(MESSAGES, {"max_tokens": 9, "max_tokens_to_sample": 9})
    assert sent_json(api["completion"])["generation_config"] == {"max_tokens_to_sample": 9}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["completion", "rag"])
def test_conflicting_max_tokens_rejected(api: respx.Router, kind: str, method: str) -> None:
    config = {"max_tokens": 10, "max_tokens_to_sample": 20}

    def go(c: Any) -> Any:
        if method == "completion":
            return c.retrieval.completion(MESSAGES, config)
        return c.retrieval.rag("q", rag_generation_config=config)

    with pytest.raises(InvalidRequestError) as info:
        call(kind, go)
    assert info.value.field.endswith("generation_config.max_tokens")
    assert api.calls.call_count == 0


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_keys_are_passed_through(api: respx.Router, kind: str) -> None:
    messages = [{"role": "user", "content": "hi", "x_custom": {"a": 1}}]
    config = {"model": "m", "reasoning_effort": "low", "top_k": 5}
    call(kind, lambda c: c.retrieval.completion(messages, config))
    assert sent_json(api["completion"]) == {"messages": messages, "generation_config": config}

    settings = {"limit": 2, "brand_new_setting": [1, 2], "chunk_settings": {"weird": True}}
    call(
        kind, lambda c: c.retrieval.rag("q", rag_generation_config=config, search_settings=settings)
    )
    assert sent_json(api["rag"]) == {
        "query": "q",
        "rag_generation_config": config,
        "search_settings": settings,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_keys_on_models_are_passed_through(api: respx.Router, kind: str) -> None:
    message = Message(role="user", content="hi")
    message.additional_properties["x_custom"] = 1
    config = GenerationConfig(model="m")
    config.additional_properties["new_knob"] = "on"
    call(kind, lambda c: c.retrieval.completion([message], config))
    assert sent_json(api["completion"]) == {
        "messages": [{"role": "user", "content": "hi", "x_custom": 1}],
        "generation_config": {"model": "m", "new_knob": "on"},
    }


@pytest.mark.parametrize("kind", KINDS)
def test_extra_body(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.completion(MESSAGES, extra_body={"future_flag": [1]}))
    assert sent_json(api["completion"]) == {"messages": MESSAGES, "future_flag": [1]}
    call(kind, lambda c: c.retrieval.rag("q", extra_body={"conversation_id": "c1"}))
    assert sent_json(api["rag"]) == {"query": "q", "conversation_id": "c1"}


def test_extra_body_cannot_repeat_an_argument(api: respx.Router) -> None:
    with R2RClient(BASE) as client, pytest.raises(InvalidRequestError) as info:
        client.retrieval.rag("q", extra_body={"query": "other"})
    assert info.value.field == "extra_body.query"
    assert api.calls.call_count == 0


def test_stream_shorthand_sets_rag_generation_config_stream() -> None:
    status, headers, body = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            return_value=httpx.Response(status, headers=headers, content=body)
        )
        with R2RClient(BASE) as client:
            stream = client.retrieval.rag("q", rag_generation_config={"model": "m"}, stream=True)
            assert isinstance(stream, RAGStream)
            stream.close()
    request = route.calls.last.request
    assert json.loads(request.content) == {
        "query": "q",
        "rag_generation_config": {"model": "m", "stream": True},
    }
    assert request.headers["accept"] == "text/event-stream"


def test_stream_false_shorthand_and_contradiction(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        resp = client.retrieval.rag("q", stream=False)
        assert isinstance(resp, WrappedRAGResponse)
        assert sent_json(api["rag"]) == {"query": "q", "rag_generation_config": {"stream": False}}
        with pytest.raises(InvalidRequestError) as info:
            client.retrieval.rag("q", rag_generation_config={"stream": False}, stream=True)
    assert info.value.field == "stream"
    assert api["rag"].call_count == 1


# -- typed results ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_completion_result_is_typed(api: respx.Router, kind: str) -> None:
    resp = call(kind, lambda c: c.retrieval.completion(MESSAGES))
    assert isinstance(resp.results, ChatCompletion)
    expected = fixture_json("04-completion")["results"]["choices"][0]["message"]["content"]
    assert resp.results.choices[0].message.content == expected
    assert present(resp.results.choices[0].message.content).startswith(
        "FAKE-LLM deterministic answer"
    )
    assert resp.results.choices[0].finish_reason == "stop"


@pytest.mark.parametrize("kind", KINDS)
def test_rag_result_is_typed(api: respx.Router, kind: str) -> None:
    resp = call(kind, lambda c: c.retrieval.rag("Who invented the Zorblax protocol?"))
    raw = fixture_json("06-rag")["results"]
    assert isinstance(resp.results, RAGResponse)
    assert resp.results.generated_answer == raw["generated_answer"]
    citations = present(resp.results.citations)
    assert isinstance(citations[0], Citation)
    assert citations[0].id == raw["citations"][0]["id"]
    chunks = present(resp.results.search_results.chunk_search_results)
    assert chunks[0].text.startswith("The Zorblax protocol")


@pytest.mark.parametrize("kind", KINDS)
def test_document_result_is_typed(api: respx.Router, kind: str) -> None:
    resp = call(kind, lambda c: c.documents.replace_metadata(DOC_ID, [{"source": "x"}]))
    assert isinstance(resp.results.metadata, MetadataObject)
    assert resp.results.metadata.to_dict() == fixture_json("02-put-metadata")["results"]["metadata"]
    assert str(resp.results.id) == DOC_ID


# -- bad input is refused before sending -----------------------------------------------------

GOOD_MSG = [{"role": "user", "content": "x"}]
BAD_INPUTS = [
    ("doc-id", lambda c: c.documents.replace_metadata("not-a-uuid", [{}]), "id"),
    ("doc-id-int", lambda c: c.documents.replace_metadata(12, [{}]), "id"),
    ("metadata-dict", lambda c: c.documents.replace_metadata(DOC_ID, {"a": 1}), "metadata"),
    ("metadata-str", lambda c: c.documents.replace_metadata(DOC_ID, "a"), "metadata"),
    ("metadata-item", lambda c: c.documents.replace_metadata(DOC_ID, [1]), "metadata[0]"),
    ("empty-messages", lambda c: c.retrieval.completion([]), "messages"),
    ("messages-dict", lambda c: c.retrieval.completion({"role": "user"}), "messages"),
    ("no-role", lambda c: c.retrieval.completion([{"content": "x"}]), "messages[0].role"),
    (
        "offset-str",
        lambda c: c.retrieval.rag("q", search_settings={"offset": "0"}),
        "search_settings.offset",
    ),
    (
        "filters-str",
        lambda c: c.retrieval.rag("q", search_settings={"filters": "a=b"}),
        "search_settings.filters",
    ),
    (
        "limit-0",
        lambda c: c.retrieval.rag("q", search_settings={"limit": 0}),
        "search_settings.limit",
    ),
    (
        "limit-5000",
        lambda c: c.retrieval.rag("q", search_settings={"limit": 5000}),
        "search_settings.limit",
    ),
    ("search-mode", lambda c: c.retrieval.rag("q", search_mode="fast"), "search_mode"),
    (
        "temperature",
        lambda c: c.retrieval.completion(GOOD_MSG, {"temperature": "hot"}),
        "generation_config.temperature",
    ),
    (
        "rag-temperature",
        lambda c: c.retrieval.rag("q", rag_generation_config={"temperature": [1]}),
        "rag_generation_config.temperature",
    ),
    ("query-none", lambda c: c.retrieval.rag(None), "query"),
    ("config-str", lambda c: c.retrieval.completion(GOOD_MSG, "cfg"), "generation_config"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fn", "field"),
    [pytest.param(fn, field, id=name) for name, fn, field in BAD_INPUTS],
)
def test_bad_input_refused_before_sending(
    api: respx.Router, kind: str, fn: Any, field: str
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call(kind, fn)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert isinstance(info.value, ValueError)
    assert api.calls.call_count == 0


@pytest.mark.parametrize("limit", [1, 1000])
def test_limit_bounds_are_inclusive(api: respx.Router, limit: int) -> None:
    with R2RClient(BASE) as client:
        client.retrieval.rag("q", search_settings={"limit": limit})
    assert sent_json(api["rag"])["search_settings"] == {"limit": limit}


def test_tool_call_message_may_omit_content(api: respx.Router) -> None:
    call_msg = {
        "role": "assistant",
        "tool_calls": [
            {"id": "t1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    }
    with R2RClient(BASE) as client:
        client.retrieval.completion([*GOOD_MSG, call_msg])
    assert sent_json(api["completion"])["messages"][1] == call_msg


# -- options ------------------------------------------------------------------------------


def timeout_of(request: httpx.Request) -> dict[str, Any]:
    return dict(request.extensions["timeout"])


@pytest.mark.parametrize("kind", KINDS)
def test_per_call_timeout_and_headers(api: respx.Router, kind: str) -> None:
    call(
        kind,
        lambda c: c.retrieval.completion(MESSAGES, timeout=12.0, extra_headers={"X-Debug": "1"}),
    )
    request = last_request(api)
    assert timeout_of(request)["read"] == 12.0
    assert timeout_of(request)["connect"] == 5.0
    assert request.headers["x-debug"] == "1"
    call(kind, lambda c: c.retrieval.completion(MESSAGES))
    request = last_request(api)
    assert timeout_of(request)["read"] == 300.0
    assert "x-debug" not in request.headers


def test_timeout_object_and_none(api: respx.Router) -> None:
    with R2RClient(BASE, timeout=httpx.Timeout(7.0)) as client:
        client.retrieval.rag("q")
        assert timeout_of(last_request(api)) == {
            "connect": 7.0,
            "read": 7.0,
            "write": 7.0,
            "pool": 7.0,
        }
        client.retrieval.rag("q", timeout=None)
        assert timeout_of(last_request(api))["read"] is None


@pytest.mark.parametrize("bad", [0, -1, "10", True])
def test_bad_timeout_rejected(bad: Any) -> None:
    from r2r_client import ConfigurationError

    with pytest.raises(ConfigurationError, match="timeout"):
        R2RClient(BASE, timeout=bad)


@pytest.mark.parametrize("kind", KINDS)
def test_with_options(api: respx.Router, kind: str) -> None:
    def go(c: Any) -> Any:
        other = c.with_options(timeout=3.0, max_retries=0, extra_headers={"X-Team": "t"})
        assert other is not c
        assert other.max_retries == 0
        assert c.max_retries == 2
        assert other._http is c._http
        return other.retrieval.rag("q")

    call(kind, go, api_key="k")
    request = last_request(api)
    assert timeout_of(request)["read"] == 3.0
    assert request.headers["x-team"] == "t"
    assert request.headers["authorization"] == "Bearer k"


def test_with_options_does_not_change_original(api: respx.Router) -> None:
    with R2RClient(BASE, api_key="k") as client:
        other = client.with_options(extra_headers={"X-Team": "t"})
        other.unset_api_key()
        client.retrieval.rag("q")
        request = last_request(api)
        assert "x-team" not in request.headers
        assert request.headers["authorization"] == "Bearer k"
        other.retrieval.rag("q")
        assert "authorization" not in last_request(api).headers


def test_with_options_clone_close_keeps_pool_open(api: respx.Router) -> None:
    client = R2RClient(BASE)
    client.with_options(max_retries=1).close()
    assert not client._http.is_closed
    client.retrieval.rag("q")
    client.close()
    assert client._http.is_closed


# -- raw responses ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_with_raw_response(kind: str) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/completion").mock(
            return_value=fixture_response("04-completion", x_request_id="req-42")
        )
        raw = call(kind, lambda c: c.with_raw_response.retrieval.completion(MESSAGES))
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/json"
    assert raw.headers["server"] == "uvicorn"
    assert raw.request_id == "req-42"
    parsed = raw.parse()
    assert isinstance(parsed, WrappedCompletionResponse)
    assert present(parsed.results.choices[0].message.content).startswith("FAKE-LLM")
    assert raw.parse() is parsed
    assert "200" in repr(raw)


@pytest.mark.parametrize("kind", KINDS)
def test_with_raw_response_rag_and_metadata(api: respx.Router, kind: str) -> None:
    raw = call(kind, lambda c: c.with_raw_response.retrieval.rag("q"))
    assert raw.request_id is None
    assert isinstance(raw.parse(), WrappedRAGResponse)
    raw = call(kind, lambda c: c.with_raw_response.documents.replace_metadata(DOC_ID, [{}]))
    assert raw.status_code == 200
    assert isinstance(raw.parse(), WrappedDocumentResponse)
    # Afterwards normal calls return parsed results again.
    assert isinstance(call(kind, lambda c: c.retrieval.rag("q")), WrappedRAGResponse)


# -- the HTTP client ---------------------------------------------------------------------------


class CountingTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        name = "06-rag" if request.url.path.endswith("/rag") else "04-completion"
        return fixture_response(name)


class AsyncCountingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return fixture_response("04-completion")


@pytest.mark.parametrize("how", ["http_client", "custom_client_kw", "custom_client_positional"])
def test_user_http_client_used_and_not_closed(how: str) -> None:
    transport = CountingTransport()
    http = httpx.Client(transport=transport, headers={"X-From-Http": "yes"})
    if how == "http_client":
        client = R2RClient(BASE, http_client=http)
    elif how == "custom_client_kw":
        client = R2RClient(BASE, custom_client=http)
    else:
        client = R2RClient(BASE, None, http)
    assert client._http is http
    client.retrieval.completion(MESSAGES)
    client.retrieval.rag("q")
    assert len(transport.requests) == 2
    assert transport.requests[0].url.path == "/api/r2r/v3/retrieval/completion"
    assert transport.requests[0].headers["x-from-http"] == "yes"
    client.close()
    assert not http.is_closed
    with client:
        pass
    assert not http.is_closed
    http.close()


@pytest.mark.parametrize("how", ["http_client", "custom_client_kw", "custom_client_positional"])
def test_user_async_http_client_used_and_not_closed(how: str) -> None:
    transport = AsyncCountingTransport()

    async def main() -> None:
        http = httpx.AsyncClient(transport=transport)
        if how == "http_client":
            client = AsyncR2RClient(BASE, http_client=http)
        elif how == "custom_client_kw":
            client = AsyncR2RClient(BASE, custom_client=http)
        else:
            client = AsyncR2RClient(BASE, None, http)
        await client.retrieval.completion(MESSAGES)
        await client.close()
        assert not http.is_closed
        await http.aclose()

    asyncio.run(main())
    assert len(transport.requests) == 1


def test_owned_http_client_closed_by_close() -> None:
    client = R2RClient(BASE)
    http = client._http
    with client:
        pass
    assert http.is_closed


def test_owned_async_http_client_closed_by_close() -> None:
    async def main() -> httpx.AsyncClient:
        async with AsyncR2RClient(BASE) as client:
            return client._http

    assert asyncio.run(main()).is_closed


def test_one_pooled_client_for_every_call_including_streams(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    senders: list[httpx.Client] = []
    original_send = httpx.Client.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        senders.append(self)
        return original_send(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", send)
    status, headers, body = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/completion").mock(return_value=fixture_response("04-completion"))
        router.put(META_PATH).mock(return_value=fixture_response("02-put-metadata"))

        def rag(request: httpx.Request) -> httpx.Response:
            if json.loads(request.content).get("rag_generation_config", {}).get("stream"):
                return httpx.Response(status, headers=headers, content=body)
            return fixture_response("06-rag")

        router.post("/v3/retrieval/rag").mock(side_effect=rag)
        with R2RClient(BASE) as client:
            client.retrieval.completion(MESSAGES)
            client.retrieval.rag("q")
            client.documents.replace_metadata(DOC_ID, [{}])
            with client.retrieval.rag("q", stream=True) as stream:
                assert len(list(stream)) == 14
            client.with_options(timeout=5).retrieval.rag("q")
            client.with_raw_response.retrieval.completion(MESSAGES)
            pooled = client._http
    assert len(senders) == 6
    assert all(sender is pooled for sender in senders)


def test_one_pooled_async_client_for_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    senders: list[httpx.AsyncClient] = []
    original_send = httpx.AsyncClient.send

    async def send(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> Any:
        senders.append(self)
        return await original_send(self, request, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "send", send)
    status, headers, body = load_fixture("07-rag-stream")

    async def main() -> httpx.AsyncClient:
        async with AsyncR2RClient(BASE) as client:
            await client.retrieval.completion(MESSAGES)
            await client.documents.replace_metadata(DOC_ID, [{}])
            stream = await client.retrieval.rag("q", stream=True)
            async with stream:
                assert len([e async for e in stream]) == 14
            return client._http

    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/completion").mock(return_value=fixture_response("04-completion"))
        router.put(META_PATH).mock(return_value=fixture_response("02-put-metadata"))
        router.post("/v3/retrieval/rag").mock(
            return_value=httpx.Response(status, headers=headers, content=body)
        )
        pooled = asyncio.run(main())
    assert len(senders) == 3
    assert all(sender is pooled for sender in senders)


def test_default_pool_limits() -> None:
    client = R2RClient(BASE)
    pool = connection_pool(client._http)
    assert pool._max_connections == 1000  # hundreds of streams at once do not queue
    assert pool._max_keepalive_connections == 20
    client.close()


def test_extra_header_replaces_ours_whatever_its_case() -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(return_value=fixture_response("06-rag"))
        with R2RClient(BASE, default_headers={"user-agent": "mine/1"}) as client:
            client.retrieval.rag("q", extra_headers={"ACCEPT": "application/x-test"})
    sent = route.calls.last.request.headers
    assert sent.get_list("user-agent") == ["mine/1"]
    assert sent.get_list("accept") == ["application/x-test"]

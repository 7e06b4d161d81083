"""The checks a body passes before it is sent, and the switch that decides what they do.

Promises checked here:
- a body the API does not accept is refused before anything is sent, with an
  InvalidRequestError (a ValueError) naming the field and what is wrong, in whole words;
- completion without `generation_config.model` is refused (R2R 3.6.6 answers 500 without one),
  and sent when the checks are off;
- the rules the document cannot express (task_prompt templates, `metadata.` filters that graph
  search compares as text, hybrid search limits) refuse exactly the bodies R2R fails on;
- the document's rules refuse the filters, metadata and messages R2R fails on, and let through
  those it runs;
- `validation="strict" | "warn" | "off"`, per client, per call and through `with_options`:
  "warn" sends with a RequestValidationWarning attributed to the caller's own line, "off" sends
  unchecked and silently; values JSON cannot carry and arguments that cannot be built into a
  request are refused whatever the setting;
- the fake server answers those bodies as the real one does (500s, 422s).
How arguments become bytes is in test_request_building.py; the validator's own messages for
every JSON Schema keyword are in test_schema_validator.py.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
import respx
from _helpers import BASE, DOC_ID, KINDS, MODEL, call, fixture_response
from _request_helpers import FLAVOURS, Server, call_in, recording_server

from r2r_api.models import CompletionGenerationConfig
from r2r_client import (
    AsyncR2RClient,
    ConfigurationError,
    InternalServerError,
    InvalidRequestError,
    R2RClient,
    RequestValidationWarning,
)
from r2r_client._body_checks import check_body, check_rag_body
from r2r_client.testing import RecordedRequest
from r2r_client.testing._app import FakeApp
from r2r_client.testing._corpus import SEED_DOCUMENTS, DocumentStore
from r2r_client.testing._messages import JsonReply, TextReply

if TYPE_CHECKING:  # r2r_client.params does not import at run time (a bug, see below)
    from r2r_client.params import MessageParam

MESSAGES: list[MessageParam] = [{"role": "user", "content": "x"}]
U = "00000000-0000-4000-8000-000000000000"
NO_MODEL = (
    "generation_config.model: R2R 3.6.6 has no default model for completion (without one it "
    "fails with 500 AttributeError after retrying the LLM call): give one, e.g. "
    'generation_config={"model": "openai/gpt-4.1-mini"}; for a server configured with a default '
    "model, pass validation='off'"
)
BAD_MODE = "search_mode: must be one of 'basic', 'advanced', 'custom', got 'fast'"
NUL_PATTERN = "must match the pattern '^[^\\\\u0000]*$'"


@pytest.fixture
def server() -> Iterator[Server]:
    with recording_server() as recorded:
        yield recorded


def refused(kind: str, fn: Callable[[Any], Any], **client_kwargs: Any) -> str:
    """The whole message of the InvalidRequestError that `fn(client)` raises."""
    with pytest.raises(InvalidRequestError) as info:
        call(kind, fn, **client_kwargs)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == f"{info.value.field}: {info.value.problem}"
    return str(info.value)


# -- refused before sending --------------------------------------------------------------------

BAD_ARGUMENTS: list[Any] = [
    pytest.param(
        lambda c: c.documents.replace_metadata("not-a-uuid", [{}]),
        "id: expected a UUID, got 'not-a-uuid'",
        id="id-str",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(12, [{}]), "id: expected a UUID, got 12", id="id-int"
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(None, [{}]),
        "id: expected a UUID, got None",
        id="id-none",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, {"a": 1}),
        "metadata: expected a list, got a single object (wrap it: [metadata])",
        id="metadata-dict",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, "ab"),
        "metadata: expected a list, got str",
        id="metadata-str",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, b"ab"),
        "metadata: expected a list, got bytes",
        id="metadata-bytes",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, 5),
        "metadata: expected a list, got int",
        id="metadata-int",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, [{"a": 1}, 5]),
        "metadata[1]: expected object, got int 5",
        id="metadata-item",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(DOC_ID, [{"a": 1}, {"b": "x\x00"}]),
        f"metadata[1].b: {NUL_PATTERN}, got 'x\\x00'",
        id="metadata-nul",
    ),
    pytest.param(
        lambda c: c.retrieval.completion([], MODEL),
        "messages: needs at least 1 item, got 0",
        id="no-messages",
    ),
    pytest.param(
        lambda c: c.retrieval.completion({"role": "user"}, MODEL),
        "messages: expected array, got dict {'role': 'user'}",
        id="messages-dict",
    ),
    pytest.param(
        lambda c: c.retrieval.completion("hi", MODEL),
        "messages: expected array, got str 'hi'",
        id="messages-str",
    ),
    pytest.param(
        lambda c: c.retrieval.completion([{"content": "x"}], MODEL),
        "messages[0].role: required but missing",
        id="no-role",
    ),
    pytest.param(
        lambda c: c.retrieval.completion([*MESSAGES, 5], MODEL),
        "messages[1]: expected object, got int 5",
        id="message-int",
    ),
    pytest.param(
        lambda c: c.retrieval.completion([*MESSAGES, {"role": "user", "name": 5}], MODEL),
        "messages[1].name: expected string or null, got int 5",
        id="message-name",
    ),
    pytest.param(
        lambda c: c.retrieval.completion(MESSAGES, {"model": "m", "temperature": "hot"}),
        "generation_config.temperature: expected number, got str 'hot'",
        id="temperature",
    ),
    pytest.param(
        lambda c: c.retrieval.completion(MESSAGES, {"model": "m", "stream": True}),
        "generation_config.stream: must be False, got True",
        id="completion-stream",
    ),
    pytest.param(
        lambda c: c.retrieval.completion(MESSAGES, "cfg"),
        "generation_config: expected object or null, got str 'cfg'",
        id="config-str",
    ),
    pytest.param(
        lambda c: c.retrieval.completion(b"hi", MODEL),
        "messages: bytes are not JSON; convert them first, e.g. value.decode() (or base64 them)",
        id="messages-bytes",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", 5),
        "rag_generation_config: expected object or null, got int 5",
        id="rag-config-int",
    ),
    pytest.param(lambda c: c.retrieval.rag(None), "query: required but missing", id="query-none"),
    pytest.param(lambda c: c.retrieval.rag(5), "query: expected string, got int 5", id="query-int"),
    pytest.param(
        lambda c: c.retrieval.rag("a\x00"), f"query: {NUL_PATTERN}, got 'a\\x00'", id="query-nul"
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_mode="fast"),
        "search_mode: must be one of 'basic', 'advanced', 'custom', got 'fast'",
        id="search-mode",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings=5),
        "search_settings: expected object or null, got int 5",
        id="settings-int",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings={"offset": "0"}),
        "search_settings.offset: expected integer, got str '0'",
        id="offset-str",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings={"filters": "a=b"}),
        "search_settings.filters: expected object, got str 'a=b'",
        id="filters-str",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings={"limit": 0}),
        "search_settings.limit: must be >= 1, got 0",
        id="limit-0",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings={"limit": 1001}),
        "search_settings.limit: must be <= 1000, got 1001",
        id="limit-1001",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings={"limit": 5.5}),
        "search_settings.limit: expected integer, got float 5.5",
        id="limit-float",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings={"limit": True}),
        "search_settings.limit: expected integer, got bool True",
        id="limit-bool",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", rag_generation_config={"temperature": [1]}),
        "rag_generation_config.temperature: expected number, got list [1]",
        id="rag-temperature",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", rag_generation_config={"stream": 1}),
        "rag_generation_config.stream: expected boolean, got int 1",
        id="rag-stream-int",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", search_settings={"use_semantic_search": False}),
        "body: must not be search settings that turn every kind of chunk search off while chunk "
        "search is enabled (use_semantic_search false without full-text or hybrid search; R2R "
        "answers 500), got {'query': 'q', 'search_settings': {'use_semantic_search':...",
        id="no-search",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("q", task_prompt="Answer {} now"),
        "task_prompt: the server fills it in with str.format(query=..., context=...), which fails "
        "here (Replacement index 0 out of range for positional args tuple); use {query} and "
        "{context}, and write literal braces as {{ and }}",
        id="task-prompt",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("fn", "error"), BAD_ARGUMENTS)
def test_a_body_the_api_does_not_accept_is_refused_before_sending(
    server: Server, kind: str, fn: Any, error: str
) -> None:
    assert refused(kind, fn) == error
    assert server.requests == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_flavour_refuses_before_sending_and_sends_with_the_checks_off(
    server: Server, flavour: str
) -> None:
    for fn, error in [
        (lambda c: c.retrieval.completion(MESSAGES), NO_MODEL),
        (lambda c: c.retrieval.rag("q", search_mode="fast"), BAD_MODE),
        (
            lambda c: c.documents.replace_metadata(DOC_ID, {"a": 1}),
            "metadata: expected a list, got a single object (wrap it: [metadata])",
        ),
        (
            lambda c: c.documents.replace_metadata(DOC_ID, [5]),
            "metadata[0]: expected object, got int 5",
        ),
    ]:
        with pytest.raises(InvalidRequestError) as info:
            call_in(flavour, fn)
        assert str(info.value) == error
    assert server.requests == []
    call_in(flavour, lambda c: c.retrieval.completion(MESSAGES, validation="off"))
    call_in(flavour, lambda c: c.retrieval.rag("q", search_mode="fast", validation="off"))
    call_in(flavour, lambda c: c.documents.replace_metadata(DOC_ID, [5], validation="off"))
    assert [r.content for r in server.requests] == [
        b'{"messages":[{"role":"user","content":"x"}]}',
        b'{"query":"q","search_mode":"fast"}',
        b"[5]",
    ]


@pytest.mark.parametrize("limit", [1, 1000])
def test_the_limits_bounds_are_inclusive(server: Server, limit: int) -> None:
    call("sync", lambda c: c.retrieval.rag("q", search_settings={"limit": limit}))
    assert server.body() == {"query": "q", "search_settings": {"limit": limit}}


def test_messages_the_server_handles_without_content_are_sent(server: Server) -> None:
    messages = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": None, "tool_calls": []},
        {
            "role": "assistant",
            "tool_calls": [
                {"id": "t1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "c"},
        {"role": "tool", "content": None, "tool_call_id": "c"},
        {"role": "user", "content": [{"type": "text", "text": "hi"}]},
        {"role": "user", "content": 5},
        {"role": "user", "metadata": {"k": "a\x00"}},  # not stored: U+0000 does no harm
    ]
    call("sync", lambda c: c.retrieval.completion(messages, {**MODEL, "stream": False}))
    assert server.body() == {"messages": messages, "generation_config": {**MODEL, "stream": False}}


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"role": ""}, "messages[0].role: needs at least 1 character, got 0"),
        (
            {"role": "user", "content": [None]},
            "messages[0].content: must not be a list with an item that is not an object, got "
            "[None]",
        ),
        (
            {"role": "user", "image_data": {"data": 5}},
            "messages[0].image_data.data: expected string, got int 5",
        ),
    ],
)
def test_messages_the_server_fails_on_are_refused(
    server: Server, message: dict[str, Any], error: str
) -> None:
    assert refused("sync", lambda c: c.retrieval.completion([message], MODEL)) == error
    assert server.requests == []


# -- completion needs a model ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "config",
    [None, {}, {"model": None}, {"temperature": 0.1}, CompletionGenerationConfig()],
    ids=["none", "empty", "model-none", "no-model", "model-object"],
)
def test_completion_without_a_model_is_refused_naming_generation_config_model(
    server: Server, kind: str, config: Any
) -> None:
    assert refused(kind, lambda c: c.retrieval.completion(MESSAGES, config)) == NO_MODEL
    assert server.requests == []


@pytest.mark.parametrize(
    "config",
    [{"model": "openai/gpt-4o-mini"}, CompletionGenerationConfig(model="openai/gpt-4o-mini")],
    ids=["dict", "model"],
)
def test_completion_with_a_model_is_sent(server: Server, config: Any) -> None:
    call("sync", lambda c: c.retrieval.completion(MESSAGES, config))
    assert server.body() == {
        "messages": MESSAGES,
        "generation_config": {"model": "openai/gpt-4o-mini"},
    }


@pytest.mark.parametrize("kind", KINDS)
def test_completion_without_a_model_is_sent_when_the_checks_are_off(kind: str) -> None:
    """A server configured with a default model takes it; R2R 3.6.6 answers its 500."""
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/completion").mock(
            return_value=fixture_response("05b-completion-no-model")
        )
        with pytest.raises(InternalServerError) as info:
            call(kind, lambda c: c.retrieval.completion(MESSAGES, validation="off"), max_retries=0)
    assert info.value.status_code == 500
    assert info.value.error_type == "AttributeError"
    assert json.loads(route.calls.last.request.content) == {"messages": MESSAGES}


# -- the rules the document cannot express, as users meet them -----------------------------------


def _prompt(reason: str) -> str:
    return (
        "task_prompt: the server fills it in with str.format(query=..., context=...), which fails "
        f"here ({reason}); use {{query}} and {{context}}, and write literal braces as {{{{ and }}}}"
    )


def _text(field: str, got: str, name: str = "a") -> str:
    return (
        f"search_settings.filters.{field}: graph search compares a 'metadata.' key as text: give "
        f'a string or null, got {got} (or write it as {{"metadata": {{"{name}": ...}}}})'
    )


def _number(field: str, got: str) -> str:
    return (
        f"search_settings.filters.{field}: graph search compares a 'metadata.' key with $gt as a "
        f'number: give a number, got {got} (or write it as {{"metadata": {{"a": ...}}}})'
    )


def _hybrid(full_text_limit: object, limit: object) -> str:
    return (
        "search_settings.hybrid_settings.full_text_limit: hybrid search needs full_text_limit >= "
        f"limit ({full_text_limit} < {limit}; the server's default full_text_limit is 200)"
    )


def _filters(filters: object, **settings: Any) -> dict[str, Any]:
    return {"search_settings": {"filters": filters, **settings}}


def _settings(**settings: Any) -> dict[str, Any]:
    return {"search_settings": settings}


# (rag's arguments beside query="q", the whole error; None: sent as given)
RAG_RULES: list[tuple[dict[str, Any], str | None]] = [
    # task_prompt: the server fills it in with str.format(query=..., context=...)
    ({"task_prompt": "a } b"}, _prompt("Single '}' encountered in format string")),
    ({"task_prompt": "a { b"}, _prompt("expected '}' before end of string")),
    ({"task_prompt": "{}"}, _prompt("Replacement index 0 out of range for positional args tuple")),
    ({"task_prompt": "{0}"}, _prompt("Replacement index 0 out of range for positional args tuple")),
    ({"task_prompt": "{query.x}"}, _prompt("'str' object has no attribute 'x'")),
    ({"task_prompt": "{query:d}"}, _prompt("Unknown format code 'd' for object of type 'str'")),
    ({"task_prompt": "{query[1]}"}, _prompt("string index out of range")),  # query "q"
    ({"task_prompt": "{context[4117]}"}, _prompt("string index out of range")),
    ({"task_prompt": "{query[0]}{context[0]}{query:>5}"}, None),
    ({"task_prompt": "{query[0]}{context[4116]}{other} {{x}}"}, None),
    ({"task_prompt": "{query} {context}"}, None),
    ({"task_prompt": "Hi {name}"}, None),  # a name R2R does not fill in: sent as written
    ({"task_prompt": "{{json}} {query}"}, None),
    ({"task_prompt": ""}, None),
    # filters on 'metadata.<name>' keys also reach graph search, which compares them as text
    (_filters({"metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"metadata.ab": [1]}), _text("metadata.ab", "list", "ab")),
    (_filters({"metadata.a": "x", "metadata.b": None, "metadata": {"c": 1}}), None),
    (_filters({"metadata.a": {"$eq": 1}}), _text("metadata.a.$eq", "int")),
    (_filters({"metadata.a": {"$ne": True}}), _text("metadata.a.$ne", "bool")),
    (_filters({"metadata.a": {"$eq": None}, "metadata.b": {"$ne": "x"}}), None),
    (_filters({"metadata.a": {"$gt": "x"}}), _number("metadata.a.$gt", "str")),
    (_filters({"metadata.a": {"$gt": True}}), _number("metadata.a.$gt", "bool")),
    (
        _filters(
            {"metadata.a": {"$gt": 1}, "metadata.b": {"$gt": 1.5}, "metadata.c": {"$gt": None}}
        ),
        None,
    ),
    (_filters({"metadata.a": {"$lt": "x"}, "metadata.b": {"$in": [1]}}), None),
    (_filters({"other": 1, "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"$and": [{"x": 1}], "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"$or": [{"x": 1}, {"metadata.a": 2}]}), _text("$or[1].metadata.a", "int")),
    (
        _filters({"$and": [{"$or": [{"metadata.a": {"$eq": 2.5}}]}]}),
        _text("$and[0].$or[0].metadata.a.$eq", "float"),
    ),
    (_filters({"metadata.a": 1}, graph_settings={"enabled": False}), None),
    (_filters({"metadata.a": 1}, graph_settings={"enabled": True}), _text("metadata.a", "int")),
    (_filters({"metadata.a": 1}, graph_settings={}), _text("metadata.a", "int")),
    # hybrid search: full_text_limit (default 200) >= limit (default 10)
    (_settings(limit=201, use_hybrid_search=True), _hybrid(200, 201)),
    (_settings(limit=200, use_hybrid_search=True), None),
    (_settings(limit=300, use_hybrid_search=True), _hybrid(200, 300)),
    ({"search_mode": "advanced", **_settings(limit=201)}, _hybrid(200, 201)),
    ({"search_mode": "basic", **_settings(limit=201)}, None),
    ({"search_mode": "custom", **_settings(limit=201)}, None),
    (_settings(limit=201), None),
    (
        {"search_mode": "advanced", **_settings(limit=201, use_hybrid_search=False)},
        _hybrid(200, 201),
    ),
    (
        {
            "search_mode": "advanced",
            **_settings(limit=201, use_hybrid_search=False, use_fulltext_search=False),
        },
        None,
    ),
    (
        {
            "search_mode": "advanced",
            **_settings(
                limit=201,
                use_hybrid_search=False,
                use_semantic_search=False,
                chunk_settings={"enabled": False},
            ),
        },
        None,
    ),
    (_settings(limit=201, use_fulltext_search=True), _hybrid(200, 201)),
    (_settings(use_fulltext_search=True, hybrid_settings={"full_text_limit": 5}), _hybrid(5, 10)),
    (_settings(use_fulltext_search=True, hybrid_settings={"full_text_limit": 10}), None),
    (_settings(use_hybrid_search=True, limit=201, hybrid_settings={}), _hybrid(200, 201)),
    (
        _settings(use_hybrid_search=True, limit=300, hybrid_settings={"full_text_limit": 300}),
        None,
    ),
]


@pytest.mark.parametrize(("arguments", "error"), RAG_RULES)
def test_a_rag_body_the_server_fails_on_is_refused_and_one_it_runs_is_sent(
    server: Server, arguments: dict[str, Any], error: str | None
) -> None:
    if error is None:
        call("sync", lambda c: c.retrieval.rag("q", **arguments))
        assert server.body() == {"query": "q", **arguments}
    else:
        assert refused("sync", lambda c: c.retrieval.rag("q", **arguments)) == error
        assert server.requests == []


# The same rules hold for any body, also one the document refuses (the fake server applies them
# to what it is sent, the e2e corpus to every body it records): none fails or names a wrong field.
ANY_BODY_RULES: list[tuple[dict[str, Any], str | None]] = [
    ({"task_prompt": "{query[0]}"}, _prompt("string index out of range")),  # no query: ""
    ({"query": 5, "task_prompt": "{query[0]}"}, _prompt("string index out of range")),
    ({"query": "q", "task_prompt": None}, None),
    ({"query": "q", "task_prompt": 5}, None),
    (_filters({"metadata.a": {"$eq": 1, "$ne": 2}}), None),  # two operators: the document's
    (
        _filters({"metadata.a": {"$eq": 1, "$ne": 2}, "metadata.b": 1}),
        _text("metadata.b", "int", "b"),
    ),
    (_filters({1: 2, "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"$and": "x", "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"$or": [1, {"metadata.a": 2}]}), _text("$or[1].metadata.a", "int")),
    (_filters({"metadata.a": 1}, graph_settings="off"), _text("metadata.a", "int")),
    (_filters([{"metadata.a": 1}]), None),
    ({"query": "q", "search_settings": "x"}, None),
    (_settings(limit=201, use_hybrid_search=1), None),
    (
        _settings(use_hybrid_search=True, limit=11, hybrid_settings={"full_text_limit": 10.5}),
        _hybrid(10.5, 11),
    ),
    (_settings(use_hybrid_search=True, limit=201, hybrid_settings=5), _hybrid(200, 201)),
    (_settings(use_hybrid_search=True, limit=True), None),
    (_settings(use_hybrid_search=True, limit="300"), None),
    (_settings(use_hybrid_search=True, hybrid_settings={"full_text_limit": False}), None),
    (_settings(use_hybrid_search=True, hybrid_settings={"full_text_limit": "1"}), None),
]


@pytest.mark.parametrize(("operation", "body"), [("rag", ["q"]), ("rag", "q"), ("completion", [])])
def test_a_body_that_is_not_an_object_is_left_to_the_document(operation: str, body: object) -> None:
    check_body(operation, body)  # no rule applies, nothing fails


@pytest.mark.parametrize(("body", "error"), ANY_BODY_RULES)
def test_the_rag_rules_hold_for_bodies_the_document_refuses(
    body: dict[str, Any], error: str | None
) -> None:
    if error is None:
        check_rag_body(body)
        return
    with pytest.raises(InvalidRequestError) as info:
        check_rag_body(body)
    assert str(info.value) == error


# -- the document's rules: what R2R runs is sent, what it fails on is refused -------------------


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
        # null operands that mean what they say (R2R: no match), null list items (skipped)
        {"document_id": {"$like": None}},
        {"owner_id": {"$in": [U, None]}},
        {"topic": {"$ilike": None}},
        {"parent_id": {"$like": None}},
        {"$and": [{"topic": "a"}, None]},
    ],
)
def test_filters_r2r_runs_are_sent(server: Server, filters: dict[str, Any]) -> None:
    call("sync", lambda c: c.retrieval.rag("q", search_settings={"filters": filters}))
    assert server.body() == {"query": "q", "search_settings": {"filters": filters}}


UUID_PATTERN = (
    "must match the pattern '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    "[0-9A-Fa-f]{12}$'"
)
METADATA_KEY = "must match the pattern '^[^$\\'\"\\\\\\\\\\\\u0000][^\\'\"\\\\\\\\\\\\u0000]*$'"


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"document_id": {"$neq": U}}, "document_id.$neq: unknown field"),  # not an operator
        ({"document_id": {"$regex": "a"}}, "document_id.$regex: unknown field"),
        (
            {"$and": {"document_id": U}},
            f"$and: expected array, got dict {{'document_id': '{U}'}}",
        ),
        ({"$and": [{"a": 1}, 5]}, "$and[1]: expected object or null, got int 5"),
        ({"document_id": {"$in": U}}, f"document_id.$in: expected array, got str '{U}'"),
        (
            {"topic": {"$in": "a"}},
            f"topic: $in: expected array, got str 'a' or $in: not an allowed field name: "
            f"{METADATA_KEY}, got '$in'",
        ),
        ({"document_id": "not-a-uuid"}, f"document_id: {UUID_PATTERN}, got 'not-a-uuid'"),
        # on UUIDs only null (no match): a pattern fails in R2R
        ({"document_id": {"$like": "%a%"}}, "document_id.$like: expected null, got str '%a%'"),
        ({"document_id": {"$eq": U, "$ne": U}}, "document_id: allows at most 1 field, got 2"),
        ({"topic": {}}, "topic: needs at least 1 field, got 0"),
        (
            {"topic": {"$overlap": ["a"]}},  # only on collections
            f"topic: $overlap: unknown field or $overlap: not an allowed field name: "
            f"{METADATA_KEY}, got '$overlap'",
        ),
        (
            {"topic": {"$like": 5}},
            f"topic: $like: expected string or null, got int 5 or $like: not an allowed field "
            f"name: "
            f"{METADATA_KEY}, got '$like'",
        ),
        ({"text": {"$gt": 1}}, "text.$gt: expected string or null, got int 1"),
        (
            {"topic": {"$eq": "a\x00"}},
            f"topic: $eq: {NUL_PATTERN}, got 'a\\x00' or $eq: not an allowed field name: "
            f"{METADATA_KEY}, got '$eq'",
        ),
        (
            {"it's": 1},
            "it's: not an allowed field name: must be one of '$and', '$or', got \"it's\" or "
            f'{METADATA_KEY}, got "it\'s"',
        ),
        (
            {"": 1},
            ": not an allowed field name: must be one of '$and', '$or', got '' or needs at least "
            "1 character, got 0",
        ),
        (
            {"created_at": {"$gt": "2020"}},
            "created_at: must not be a condition on a column R2R's chunks table does not have "
            "(R2R fails with 500), got {'$gt': '2020'}",
        ),
        ({"collection_ids": [U]}, f"collection_ids: expected object, got list ['{U}']"),
        ({"metadata": 5}, "metadata: expected object, got int 5"),
        ({"parent_id": "x"}, f"parent_id: {UUID_PATTERN}, got 'x'"),
        # R2R runs these but matches nothing, against their reading (known-divergences.yaml)
        ({"document_id": {"$nin": None}}, "document_id.$nin: expected array, got NoneType None"),
        ({"collection_id": {"$ne": None}}, "collection_id.$ne: expected string, got NoneType None"),
        ({"document_id": {"$overlap": None}}, "document_id.$overlap: unknown field"),
        ({"$or": [{"a": 1}, 0]}, "$or[1]: expected object or null, got int 0"),
    ],
)
def test_filters_r2r_fails_on_are_refused(
    server: Server, filters: dict[str, Any], error: str
) -> None:
    fn = lambda c: c.retrieval.rag("q", search_settings={"filters": filters})  # noqa: E731
    assert refused("sync", fn) == f"search_settings.filters.{error}"
    assert server.requests == []


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ({"a": "b\x00"}, f"metadata[0].a: {NUL_PATTERN}, got 'b\\x00'"),
        (
            {"a\x00": 1},
            f"metadata[0].a\x00: not an allowed field name: {NUL_PATTERN}, got 'a\\x00'",
        ),
        ({"a": [{"b": ["c\x00"]}]}, f"metadata[0].a[0].b[0]: {NUL_PATTERN}, got 'c\\x00'"),
    ],
)
def test_metadata_may_not_hold_u0000_anywhere(
    server: Server, metadata: dict[str, Any], error: str
) -> None:
    assert refused("sync", lambda c: c.documents.replace_metadata(DOC_ID, [metadata])) == error
    call("sync", lambda c: c.documents.replace_metadata(DOC_ID, [{"a": [{"b": True}], "n": 1.5}]))
    assert server.body() == [{"a": [{"b": True}], "n": 1.5}]


@pytest.mark.parametrize(
    "settings",
    [
        {"use_semantic_search": False, "use_fulltext_search": True},
        {"use_semantic_search": False, "use_hybrid_search": True},
        {"use_semantic_search": False, "chunk_settings": {"enabled": False}},
    ],
)
def test_search_turned_off_only_where_r2r_allows_it_is_sent(
    server: Server, settings: dict[str, Any]
) -> None:
    call("sync", lambda c: c.retrieval.rag("q", search_settings=settings))
    call("sync", lambda c: c.retrieval.rag("q", search_mode="advanced", search_settings=settings))
    assert [json.loads(r.content)["search_settings"] for r in server.requests] == [settings] * 2


# -- the validation switch ------------------------------------------------------------------------


def _sent_anyway(error: str) -> str:
    return f"{error} (sent anyway: validation='warn')"


@pytest.mark.introspects
def test_warn_sends_with_a_warning_on_the_callers_line(server: Server) -> None:
    with (
        R2RClient(BASE, validation="warn") as client,
        warnings.catch_warnings(record=True) as record,
    ):
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        client.retrieval.rag("q", search_mode="fast")  # type: ignore[call-overload]
        client.with_raw_response.documents.replace_metadata(DOC_ID, [5])  # type: ignore[list-item]
    assert [w.category for w in record] == [RequestValidationWarning] * 2
    assert [(w.filename, w.lineno) for w in record] == [(__file__, line), (__file__, line + 1)]
    assert [str(w.message) for w in record] == [
        _sent_anyway(BAD_MODE),
        _sent_anyway("metadata[0]: expected object, got int 5"),
    ]
    assert [r.content for r in server.requests] == [b'{"query":"q","search_mode":"fast"}', b"[5]"]


@pytest.mark.introspects
def test_warn_on_the_async_client_points_at_the_callers_line(server: Server) -> None:
    async def main() -> tuple[list[warnings.WarningMessage], int]:
        async with AsyncR2RClient(BASE) as client:
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
                await client.retrieval.completion(MESSAGES, validation="warn")
                await client.with_raw_response.retrieval.rag("q", "x", validation="warn")  # type: ignore[call-overload]
        return record, line

    record, line = asyncio.run(main())
    assert [w.category for w in record] == [RequestValidationWarning] * 2
    assert [(w.filename, w.lineno) for w in record] == [(__file__, line), (__file__, line + 1)]
    assert [str(w.message) for w in record] == [
        _sent_anyway(NO_MODEL),
        _sent_anyway("rag_generation_config: expected object or null, got str 'x'"),
    ]
    assert [r.content for r in server.requests] == [
        b'{"messages":[{"role":"user","content":"x"}]}',
        b'{"query":"q","rag_generation_config":"x"}',
    ]


def _warnings_of(fn: Callable[[], object]) -> list[str]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in record if issubclass(w.category, RequestValidationWarning)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("client_kwargs", "fn", "warned"),
    [
        ({"validation": "warn"}, lambda c: c.retrieval.rag("q", search_mode="fast"), True),
        ({}, lambda c: c.retrieval.rag("q", search_mode="fast", validation="warn"), True),
        (
            {},
            lambda c: c.with_options(validation="warn").retrieval.rag("q", search_mode="fast"),
            True,
        ),
        ({"validation": "off"}, lambda c: c.retrieval.rag("q", search_mode="fast"), False),
        ({}, lambda c: c.retrieval.rag("q", search_mode="fast", validation="off"), False),
        (
            {"validation": "warn"},
            lambda c: c.with_options(validation="off").retrieval.rag("q", search_mode="fast"),
            False,
        ),
        (
            {"validation": "strict"},
            lambda c: c.retrieval.rag("q", search_mode="fast", validation="off"),
            False,
        ),
    ],
    ids=[
        "warn-client",
        "warn-call",
        "warn-with_options",
        "off-client",
        "off-call",
        "off-with_options",
        "off-call-over-strict-client",
    ],
)
def test_warn_and_off_send_the_body_unchanged(
    server: Server, kind: str, client_kwargs: dict[str, Any], fn: Any, warned: bool
) -> None:
    shown = _warnings_of(lambda: call(kind, fn, **client_kwargs))
    assert shown == ([_sent_anyway(BAD_MODE)] if warned else [])
    assert server.last.content == b'{"query":"q","search_mode":"fast"}'


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("client_kwargs", "fn"),
    [
        ({}, lambda c: c.retrieval.rag("q", search_mode="fast")),
        ({"validation": "strict"}, lambda c: c.retrieval.rag("q", search_mode="fast")),
        (
            {"validation": "off"},
            lambda c: c.retrieval.rag("q", search_mode="fast", validation="strict"),
        ),
        (
            {"validation": "warn"},
            lambda c: c.with_options(validation="strict").retrieval.rag("q", search_mode="fast"),
        ),
    ],
    ids=["default", "strict-client", "strict-call-over-off-client", "strict-with_options"],
)
def test_strict_refuses_whatever_the_client_says_below_it(
    server: Server, kind: str, client_kwargs: dict[str, Any], fn: Any
) -> None:
    assert refused(kind, fn, **client_kwargs) == BAD_MODE
    assert server.requests == []


def test_with_options_leaves_the_originals_validation_alone(server: Server) -> None:
    with R2RClient(BASE) as client:
        unchecked = client.with_options(validation="off")
        unchecked.retrieval.rag("q", search_mode="fast")  # type: ignore[call-overload]
        with pytest.raises(InvalidRequestError):
            client.retrieval.rag("q", search_mode="fast")  # type: ignore[call-overload]
    assert len(server.requests) == 1


@pytest.mark.parametrize("validation", ["warn", "off"])
@pytest.mark.parametrize(
    ("fn", "error"),
    [
        (
            lambda c, v: c.retrieval.rag("q", {"temperature": float("nan")}, validation=v),
            "rag_generation_config.temperature: NaN is not allowed in JSON; send a finite number "
            "or None",
        ),
        (
            lambda c, v: c.documents.replace_metadata(DOC_ID, [{"tags": {"a"}}], validation=v),
            "metadata[0].tags: a set is not JSON; convert it first with list(value)",
        ),
        (
            lambda c, v: c.retrieval.rag("q\udc80", validation=v),
            "query: contains a lone surrogate (U+DC80) at index 1, which UTF-8 cannot encode; the "
            "text was decoded wrongly (errors='surrogateescape'?) or cut inside a character",
        ),
        (
            lambda c, v: c.documents.replace_metadata("x", [], validation=v),
            "id: expected a UUID, got 'x'",
        ),
        (
            lambda c, v: c.documents.replace_metadata(DOC_ID, {"a": 1}, validation=v),
            "metadata: expected a list, got a single object (wrap it: [metadata])",
        ),
        (
            lambda c, v: c.retrieval.rag("q", {"stream": False}, stream=True, validation=v),
            "stream: contradicts rag_generation_config.stream; give it once",
        ),
        (
            lambda c, v: c.retrieval.rag("q", extra_body={"query": "q2"}, validation=v),
            "extra_body.query: already given as an argument; pass it once",
        ),
    ],
    ids=["nan", "set", "surrogate", "uuid", "single-object", "stream", "extra_body"],
)
def test_what_cannot_be_sent_at_all_is_refused_whatever_the_setting(
    server: Server, validation: str, fn: Any, error: str
) -> None:
    errors: list[str] = []
    shown = _warnings_of(lambda: errors.append(refused("sync", lambda c: fn(c, validation))))
    assert (errors, shown) == ([error], [])
    assert server.requests == []


@pytest.mark.parametrize("bad", ["loose", "", None, True, "STRICT"])
def test_an_unknown_validation_setting_is_a_configuration_error(server: Server, bad: Any) -> None:
    message = f"validation must be one of ['strict', 'warn', 'off'], got {bad!r}"
    for make in (
        lambda: R2RClient(BASE, validation=bad),
        lambda: AsyncR2RClient(BASE, validation=bad),
        lambda: R2RClient(BASE).with_options(validation=bad),
        lambda: R2RClient(BASE).retrieval.rag("q", validation=bad),
        lambda: R2RClient(BASE).documents.replace_metadata(DOC_ID, [], validation=bad),
    ):
        with pytest.raises(ConfigurationError) as info:
            make()
        assert str(info.value) == message
    assert server.requests == []


@pytest.mark.parametrize("kind", KINDS)
def test_checks_off_send_even_a_body_the_document_refuses(server: Server, kind: str) -> None:
    call(
        kind,
        lambda c: c.retrieval.rag(
            "q", {"temperature": "hot"}, "fast", {"limit": 0}, "{}", validation="off"
        ),
    )
    assert server.body() == {
        "query": "q",
        "rag_generation_config": {"temperature": "hot"},
        "search_mode": "fast",
        "search_settings": {"limit": 0},
        "task_prompt": "{}",
    }


# -- the fake server answers those bodies as the real one does ------------------------------------


def _app() -> FakeApp:
    store = DocumentStore()
    for title, text, metadata in SEED_DOCUMENTS:
        store.add(title, text, metadata, None)
    store.add("doc", "text", {}, DOC_ID)
    return FakeApp(store, api_key=None, stream_deltas=None)


def _send(app: FakeApp, path: str, body: object, method: str = "POST") -> Any:
    return app(RecordedRequest(method, path, "", {}, json.dumps(body).encode()))


@pytest.mark.parametrize(
    ("path", "body", "status", "kind"),
    [
        ("/v3/retrieval/rag", {"query": "q", **_filters("a=b")}, 500, TextReply),
        ("/v3/retrieval/rag", {"query": "q", **_filters(None)}, 500, TextReply),
        (
            "/v3/retrieval/rag",
            {"query": "q", **_filters({"document_id": {"$neq": U}})},
            500,
            JsonReply,
        ),
        ("/v3/retrieval/rag", {"query": "q", "task_prompt": "{}"}, 500, JsonReply),
        (
            "/v3/retrieval/rag",
            {"query": "q", **_settings(use_semantic_search=False)},
            500,
            JsonReply,
        ),
        ("/v3/retrieval/rag", {"query": "a\x00"}, 200, JsonReply),
        (
            "/v3/retrieval/rag",
            {"query": "a\x00", **_settings(use_hybrid_search=True)},
            500,
            JsonReply,
        ),
        ("/v3/retrieval/rag", {"query": "q", **_settings(limit=0)}, 422, JsonReply),
        (
            "/v3/retrieval/rag",
            {"query": "q", **_settings(limit=0, filters={"a": {}})},
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
def test_the_fake_server_answers_like_the_real_one(
    path: str, body: object, status: int, kind: type[JsonReply | TextReply]
) -> None:
    reply = _send(_app(), path, body)
    assert isinstance(reply, kind)
    assert reply.status == status
    if isinstance(reply, TextReply):
        assert reply.text == "Internal Server Error"
    elif status == 500:
        assert isinstance(reply.body, dict)
        assert set(reply.body["detail"]) == {"message", "error", "error_type"}


def test_the_fake_server_refuses_unstorable_metadata_like_the_real_one() -> None:
    fake = _app()
    path = f"/v3/documents/{DOC_ID}/metadata"
    assert _send(fake, path, [{"a": "b\x00"}], "PUT").status == 500
    assert _send(fake, path, [{"a": "b"}], "PUT").status == 200
    assert _send(fake, path, {"a": "b"}, "PUT").status == 422


def test_a_body_refused_by_the_rules_fails_on_the_fake_server_with_their_words() -> None:
    """With the checks off, a task_prompt R2R cannot fill in reaches the server: a 500."""
    reply = _send(_app(), "/v3/retrieval/rag", {"query": "q", "task_prompt": "a } b"})
    assert isinstance(reply, JsonReply)
    assert reply.status == 500
    assert isinstance(reply.body, dict)
    assert reply.body["detail"]["message"] == (
        "An error '500: Internal RAG Error - the server fills it in with str.format(query=..., "
        "context=...), which fails here (Single '}' encountered in format string); use {query} "
        "and {context}, and write literal braces as {{ and }}' occurred during rag_app"
    )

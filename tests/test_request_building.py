"""Arguments become bytes on the wire, the same way for every operation and every flavour.

Promises checked here (what a server sees, byte for byte, and what the caller gets back):
- each operation, called sync, async, and through `with_raw_response` of either, sends its
  method, URL, headers, per-call options and exact JSON body, and hands back the parsed result;
- every field of the document's request schemas reaches the wire under its own name, and each
  generated method takes exactly the document's fields as parameters (both derived from the
  document, so a field it gains is covered without a test edit);
- arguments may be plain dicts or the generated models (and enums, tuples, extra fields of
  models, keys the document does not know yet); None leaves a field out, the caller's objects
  are never changed;
- path parameters: a document id is sent as a canonical UUID;
- `max_tokens` is sent as `max_tokens_to_sample`; `stream=` and `rag_generation_config.stream`
  are one switch (body, Accept header and the kind of result follow it);
- `extra_body` is sent as given, deep-merged into object arguments, unchecked;
- one pooled HTTP client (the user's, if given, never closed by us) sends every call.
What the pre-send checks refuse is in test_request_checks.py.
"""

from __future__ import annotations

import asyncio
import enum
import importlib
import inspect
import json
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import respx
from _helpers import BASE, DOC_ID, KINDS, MODEL, call, fixture_json, fixture_response
from _request_helpers import (
    FLAVOURS,
    OPTIONS,
    DocumentOperation,
    Server,
    call_in,
    document_operations,
    method_of,
    recording_server,
    shipped_document,
)

from r2r_api.models import (
    GenerationConfig,
    Message,
    MetadataObject,
    SearchMode,
    SearchSettings,
    WrappedCompletionResponse,
    WrappedDocumentResponse,
    WrappedRAGResponse,
)
from r2r_client import (
    APIResponse,
    AsyncR2RClient,
    InvalidRequestError,
    NotAStreamError,
    R2RClient,
    RAGAnswer,
    RAGStream,
)
from r2r_client._operations import COMPLETION, RAG
from r2r_client._requests import Operation, prepare

if TYPE_CHECKING:  # r2r_client.params does not import at run time (a bug, see below)
    from r2r_client.params import (
        GenerationConfigParam,
        MessageParam,
        SearchSettingsParam,
    )

MESSAGES: list[MessageParam] = [{"role": "user", "content": "Say hello"}]
MODEL_ARG = MODEL
SENT_MESSAGES = b'{"messages":[{"role":"user","content":"Say hello"}]'
HEADERS = {"X-Call-Header": "per-call"}
TIMEOUT = {"connect": 5.0, "read": 7.5, "write": 7.5, "pool": 7.5}
META_PATH = f"/api/r2r/v3/documents/{DOC_ID}/metadata"
OPERATIONS = document_operations(shipped_document())


@pytest.fixture
def server() -> Iterator[Server]:
    with recording_server() as recorded:
        yield recorded


# -- each operation, each flavour: method, URL, headers, options, bytes, result -----------------

RAG_ARGS: dict[str, Any] = {
    "rag_generation_config": {"model": "openai/gpt-4o-mini", "temperature": 0.25},
    "search_mode": "basic",
    "search_settings": {"limit": 3},
    "task_prompt": "Answer {query} from {context}",
    "include_title_if_available": True,
    "include_web_search": False,
    "extra_body": {"x_custom": "v"},
    "extra_headers": HEADERS,
    "timeout": 7.5,
}
RAG_BYTES = (
    b'{"query":"What is Zorblax?","rag_generation_config":{"model":"openai/gpt-4o-mini",'
    b'"temperature":0.25%s},"search_mode":"basic","search_settings":{"limit":3},'
    b'"task_prompt":"Answer {query} from {context}","include_title_if_available":true,'
    b'"include_web_search":false,"x_custom":"v"}'
)
COMPLETION_ANSWER = fixture_json("04-completion")["results"]["choices"][0]["message"]["content"]
RAG_ANSWER = fixture_json("06-rag")["results"]["generated_answer"]  # the stream's final answer too

CALLS: list[Any] = [
    pytest.param(
        lambda c: c.retrieval.completion(
            MESSAGES,
            {"model": "openai/gpt-4o-mini", "temperature": 0.25},
            extra_body={"x_custom": [1]},
            extra_headers=HEADERS,
            timeout=7.5,
        ),
        "POST",
        "/api/r2r/v3/retrieval/completion",
        "application/json",
        SENT_MESSAGES
        + b',"generation_config":{"model":"openai/gpt-4o-mini","temperature":0.25},"x_custom":[1]}',
        lambda result: (
            isinstance(result, WrappedCompletionResponse)
            and result.results.choices[0].message.content == COMPLETION_ANSWER
        ),
        id="completion",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("What is Zorblax?", **RAG_ARGS),
        "POST",
        "/api/r2r/v3/retrieval/rag",
        "application/json",
        RAG_BYTES % b"",
        lambda result: (
            isinstance(result, WrappedRAGResponse) and result.results.generated_answer == RAG_ANSWER
        ),
        id="rag",
    ),
    pytest.param(
        lambda c: c.retrieval.rag("What is Zorblax?", **RAG_ARGS, stream=True),
        "POST",
        "/api/r2r/v3/retrieval/rag",
        "text/event-stream",
        RAG_BYTES % b',"stream":true',
        lambda result: isinstance(result, RAGAnswer) and result.generated_answer == RAG_ANSWER,
        id="rag-stream",
    ),
    pytest.param(
        lambda c: c.documents.replace_metadata(
            DOC_ID, [{"a": 1}, {"b": "two"}], extra_headers=HEADERS, timeout=7.5
        ),
        "PUT",
        META_PATH,
        "application/json",
        b'[{"a":1},{"b":"two"}]',
        lambda result: (
            isinstance(result, WrappedDocumentResponse) and str(result.results.id) == DOC_ID
        ),
        id="replace_metadata",
    ),
]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(("fn", "method", "path", "accept", "content", "expected"), CALLS)
def test_each_operation_sends_its_request_and_returns_its_result_in_every_flavour(
    server: Server,
    flavour: str,
    fn: Any,
    method: str,
    path: str,
    accept: str,
    content: bytes,
    expected: Any,
) -> None:
    result = call_in(flavour, fn)
    request = server.last
    assert (request.method, request.url.scheme, request.url.host, request.url.path) == (
        method,
        "https",
        "api.intelligence.io.solutions",
        path,
    )
    assert request.content == content
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == accept
    assert request.headers["x-call-header"] == "per-call"
    assert request.extensions["timeout"] == TIMEOUT
    assert expected(result), result


@pytest.mark.parametrize("kind", KINDS)
def test_per_call_options_apply_to_that_call_only(server: Server, kind: str) -> None:
    def calls(c: Any) -> Any:
        first = c.retrieval.rag("q", extra_headers=HEADERS, timeout=7.5)
        if inspect.isawaitable(first):

            async def both() -> Any:
                await first
                return await c.retrieval.rag("q")

            return both()
        return c.retrieval.rag("q")

    call(kind, calls)
    first, second = server.requests
    assert (first.headers["x-call-header"], first.extensions["timeout"]) == ("per-call", TIMEOUT)
    assert "x-call-header" not in second.headers
    assert second.extensions["timeout"] == {
        "connect": 5.0,
        "read": 300.0,
        "write": 300.0,
        "pool": 300.0,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_the_raw_flavour_hands_back_the_http_response_and_the_result_on_demand(kind: str) -> None:
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/completion").mock(
            return_value=fixture_response("04-completion", x_request_id="req-42")
        )

        def parsed_twice(raw: Any) -> Any:
            return raw, raw.parse(), raw.parse()

        def go(c: Any) -> Any:
            result = c.with_raw_response.retrieval.completion(MESSAGES, MODEL)
            if inspect.isawaitable(result):

                async def awaited() -> Any:
                    return parsed_twice(await result)

                return awaited()
            return parsed_twice(result)

        raw, parsed, again = call(kind, go)
    assert isinstance(raw, APIResponse)
    assert (raw.status_code, raw.request_id) == (200, "req-42")
    assert (raw.headers["content-type"], raw.headers["server"]) == ("application/json", "uvicorn")
    assert repr(raw) == "<APIResponse [200] /api/r2r/v3/retrieval/completion>"
    assert isinstance(parsed, WrappedCompletionResponse)
    assert parsed.results.choices[0].message.content == COMPLETION_ANSWER
    assert again is parsed, "parsed once"


# -- the document's fields: every one reaches the wire, each method takes them all --------------


def _arguments(operation: DocumentOperation, body: Any) -> dict[str, Any]:
    """Keyword arguments sending `body` (an object's fields, or the array) to DOC_ID."""
    arguments: dict[str, Any] = dict.fromkeys(operation.path_params, DOC_ID)
    if operation.array_body is not None:
        arguments[operation.array_body] = body
    else:
        arguments.update(body)
    return arguments


def _path(operation: DocumentOperation) -> str:
    path = operation.path
    for name in operation.path_params:
        path = path.replace(f"{{{name}}}", DOC_ID)
    return f"/api/r2r{path}"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_every_field_of_the_document_reaches_the_wire_under_its_name(
    server: Server, flavour: str, operation: DocumentOperation
) -> None:
    """Unchecked (validation="off"), so that any value shows where it lands."""
    body: Any = (
        [{"sent_as": operation.array_body}]
        if operation.array_body is not None
        else {name: f"<{name}>" for name in operation.body_fields}
    )
    call_in(
        flavour,
        lambda c: method_of(c, operation)(**_arguments(operation, body), validation="off"),
    )
    assert (server.last.method, server.last.url.path) == (operation.method, _path(operation))
    assert server.body() == body


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_the_documents_example_body_is_sent_as_given(
    server: Server, flavour: str, operation: DocumentOperation
) -> None:
    call_in(flavour, lambda c: method_of(c, operation)(**_arguments(operation, operation.example)))
    assert server.body() == operation.example


def _signatures(operation: DocumentOperation) -> list[inspect.Signature]:
    clients: list[Any] = [R2RClient(BASE), AsyncR2RClient(BASE)]
    targets = [*clients, *(client.with_raw_response for client in clients)]
    return [inspect.signature(method_of(target, operation)) for target in targets]


@pytest.mark.introspects
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_each_method_takes_the_documents_fields_as_its_parameters(
    operation: DocumentOperation,
) -> None:
    """The official SDK's positional order (`x-python.positional`), every other field keyword-only,
    then the per-call options; the same in all four flavours."""
    document = shipped_document()
    signatures = _signatures(operation)
    shown = [[(p.name, p.kind, p.default) for p in s.parameters.values()] for s in signatures]
    assert all(one == shown[0] for one in shown), "the four flavours differ"
    parameters = signatures[0].parameters
    fields = [*operation.path_params, *(operation.body_fields or [operation.array_body])]
    options = set(OPTIONS) - ({"extra_body"} if operation.array_body else set())
    if operation.stream is not None:
        options.add("stream")
        assert operation.stream.partition(".")[0] in operation.body_fields
    assert sorted(parameters) == sorted([*fields, *options])
    positional = [name for name, p in parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == list(operation.positional)
    for name in set(fields) - set(operation.positional):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    for name in options:
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    body = document["paths"][operation.path][operation.method.lower()]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    required = set(operation.path_params)
    if operation.array_body is not None:
        required.add(operation.array_body)
    else:
        name = schema["$ref"].rsplit("/", 1)[1]
        required |= set(document["components"]["schemas"][name].get("required", ()))
    for name in fields:
        default = parameters[name].default
        assert (default is inspect.Parameter.empty) == (name in required), name
        assert default in (inspect.Parameter.empty, None), name


# -- dicts and generated models -----------------------------------------------------------------


class Mode(enum.Enum):  # a user's own enum: its value is sent
    ADVANCED = "advanced"


@pytest.mark.parametrize("kind", KINDS)
def test_generated_models_are_sent_as_their_fields(server: Server, kind: str) -> None:
    call(
        kind,
        lambda c: c.retrieval.completion(
            (Message(role="system", content="Be brief."), {"role": "user", "content": "Hi"}),
            GenerationConfig(model="m", temperature=0.5, max_tokens_to_sample=20),
        ),
    )
    assert server.last.content == (
        b'{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],'
        b'"generation_config":{"model":"m","temperature":0.5,"max_tokens_to_sample":20}}'
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", [SearchMode.BASIC, Mode.ADVANCED], ids=["generated", "users"])
def test_rag_models_and_enums_are_sent_as_their_values(
    server: Server, kind: str, mode: enum.Enum
) -> None:
    call(
        kind,
        lambda c: c.retrieval.rag(
            "q",
            rag_generation_config=GenerationConfig(model="m"),
            search_mode=mode,
            search_settings=SearchSettings(limit=7, offset=2),
        ),
    )
    assert server.last.content == (
        b'{"query":"q","rag_generation_config":{"model":"m"},"search_mode":"%s",'
        b'"search_settings":{"limit":7,"offset":2}}' % mode.value.encode()
    )


def test_metadata_items_may_be_models_or_dicts_in_a_list_or_a_tuple(server: Server) -> None:
    with R2RClient(BASE) as client:
        client.documents.replace_metadata(DOC_ID, (MetadataObject.from_dict({"a": 1}), {"b": 2}))
        client.documents.replace_metadata(DOC_ID, [])
    assert [r.content for r in server.requests] == [b'[{"a":1},{"b":2}]', b"[]"]


@pytest.mark.parametrize("kind", KINDS)
def test_fields_the_document_does_not_know_are_sent_from_dicts_and_models(
    server: Server, kind: str
) -> None:
    message = Message(role="user", content="hi")
    message.additional_properties["x_custom"] = 1
    config = GenerationConfig(model="m")
    config.additional_properties["new_knob"] = "on"
    call(kind, lambda c: c.retrieval.completion([message, {"role": "user", "x": [2]}], config))
    settings = {"limit": 2, "brand_new_setting": [1, 2], "chunk_settings": {"weird": True}}
    generation = {"model": "m", "reasoning_effort": "low", "top_k": 5}
    call(
        kind,
        lambda c: c.retrieval.rag("q", rag_generation_config=generation, search_settings=settings),
    )
    assert [json.loads(r.content) for r in server.requests] == [
        {
            "messages": [
                {"role": "user", "content": "hi", "x_custom": 1},
                {"role": "user", "x": [2]},
            ],
            "generation_config": {"model": "m", "new_knob": "on"},
        },
        {"query": "q", "rag_generation_config": generation, "search_settings": settings},
    ]


def test_none_leaves_a_field_out_and_false_or_empty_values_are_sent(server: Server) -> None:
    with R2RClient(BASE) as client:
        client.retrieval.rag("q")
        client.retrieval.rag("q", None, None, None, "", False, False)
        client.retrieval.completion(MESSAGES, None, validation="off")
    assert [r.content for r in server.requests] == [
        b'{"query":"q"}',
        b'{"query":"q","task_prompt":"","include_title_if_available":false,'
        b'"include_web_search":false}',
        SENT_MESSAGES + b"}",
    ]


def test_whole_floats_for_integer_fields_are_sent_as_given(server: Server) -> None:
    with R2RClient(BASE) as client:
        # the types say int, as the document does; a whole float is an integer in JSON
        client.retrieval.rag("q", search_settings={"limit": 5.0, "offset": 0.0})  # type: ignore[call-overload]
    assert server.last.content == b'{"query":"q","search_settings":{"limit":5.0,"offset":0.0}}'


class ListModel:
    """An object whose to_dict gives no object."""

    def to_dict(self) -> list[int]:
        return [1]


class NotCallable:
    to_dict = 5


NOT_JSON = "is not JSON; convert it to a str, number, bool, None, list or dict first (a generated "
NOT_JSON += "model: model.to_dict())"


@pytest.mark.parametrize(
    ("fn", "error"),
    [
        (
            lambda c: c.retrieval.completion(MESSAGES, ListModel()),
            f"generation_config: a ListModel {NOT_JSON}",
        ),
        (
            lambda c: c.retrieval.completion([*MESSAGES, ListModel()], MODEL),
            f"messages[1]: a ListModel {NOT_JSON}",
        ),
        (
            lambda c: c.retrieval.rag("q", search_settings=NotCallable()),
            f"search_settings: a NotCallable {NOT_JSON}",
        ),
        (
            lambda c: c.retrieval.rag("q", search_settings={"filters": NotCallable()}),
            f"search_settings.filters: a NotCallable {NOT_JSON}",
        ),
        (
            lambda c: c.documents.replace_metadata(DOC_ID, [ListModel()]),
            f"metadata[0]: a ListModel {NOT_JSON}",
        ),
        (
            lambda c: c.documents.replace_metadata(DOC_ID, [{"a": 1}, MetadataObject]),
            f"metadata[1]: a type {NOT_JSON}",
        ),
        (
            lambda c: c.retrieval.completion([Message], MODEL),
            f"messages[0]: a type {NOT_JSON}",
        ),
    ],
)
def test_an_argument_json_cannot_carry_is_refused_naming_its_field(
    server: Server, fn: Any, error: str
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call("sync", fn)
    assert str(info.value) == error
    assert server.requests == []


def test_a_model_class_instead_of_an_instance_is_refused_naming_its_field(server: Server) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call("sync", lambda c: c.retrieval.rag("q", search_settings=SearchSettings))
    assert str(info.value) == f"search_settings: a type {NOT_JSON}"
    assert server.requests == []


def test_the_argument_types_import_at_run_time() -> None:
    params = importlib.import_module("r2r_client.params")
    message: Any = params.MessageParam(role="user", content="hi")
    assert message == {"role": "user", "content": "hi"}


# -- path parameters ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "doc_id",
    [DOC_ID, uuid.UUID(DOC_ID), DOC_ID.upper(), f"{{{DOC_ID}}}", f"urn:uuid:{DOC_ID}"],
    ids=["str", "UUID", "upper-case", "braces", "urn"],
)
def test_a_document_id_is_sent_as_its_canonical_uuid(
    server: Server, kind: str, doc_id: Any
) -> None:
    call(kind, lambda c: c.documents.replace_metadata(doc_id, [{"source": "x"}]))
    assert server.last.url.path == META_PATH


def _hypothetical(**given: Any) -> Operation[Any]:
    """An operation of a shape the document does not have yet (the builder is generic)."""
    shape: dict[str, Any] = {
        "operation_id": "get_thing",
        "method": "GET",
        "path": "/v3/things/{name}/{n}",
        "path_params": (("name", None), ("n", None)),
        "body": None,
        "stream_param": None,
        "result": "WrappedDocumentResponse",
        "aliases": (),
    }
    return Operation(**(shape | given))


def test_the_request_builder_serves_operations_the_document_does_not_have_yet() -> None:
    """`_requests.prepare` builds every generated method's request from a description of its
    operation; the document has one shape of each today, so other shapes (a string path
    parameter, no body) are built here from hand-made descriptions."""
    call = prepare(_hypothetical(), {"name": "a/b c?", "n": 7}, None, "strict")
    assert (call.operation_id, call.method, call.path, call.content, call.stream) == (
        "get_thing",
        "GET",
        "/v3/things/a%2Fb%20c%3F/7",
        None,
        False,
    )
    for value, problem in [
        (True, "name: expected a string, got bool"),
        (1.5, "name: expected a string, got float"),
        (None, "name: expected a string, got NoneType"),
    ]:
        with pytest.raises(InvalidRequestError) as info:
            prepare(_hypothetical(), {"name": value, "n": 1}, None, "strict")
        assert str(info.value) == problem


def test_an_object_body_of_any_operation_is_built_with_its_aliases() -> None:
    operation = _hypothetical(
        method="POST",
        path="/v3/things",
        path_params=(),
        body="object",
        aliases=(("config", "max_tokens", "max_tokens_to_sample"),),
    )
    call = prepare(operation, {"config": {"max_tokens": 1}, "unset": None}, None, "off")
    assert (call.path, call.content) == ("/v3/things", b'{"config":{"max_tokens_to_sample":1}}')


def test_an_operation_parses_its_answer_and_a_streamable_ones_refuses_iteration() -> None:
    plain = _hypothetical()
    for _ in range(2):  # the model is loaded once, then reused
        document = plain.parse(fixture_json("02-put-metadata"))
        assert isinstance(document, WrappedDocumentResponse)
        assert str(document.results.id) == DOC_ID
    streamable = _hypothetical(result="WrappedRAGResponse", stream_param="rag_generation_config")
    answer = streamable.parse(fixture_json("06-rag"))
    assert isinstance(answer, WrappedRAGResponse)
    assert answer.results.generated_answer == RAG_ANSWER
    with pytest.raises(NotAStreamError) as info:
        iter(answer)  # type: ignore[call-overload]
    assert str(info.value) == (
        "this answer was not streamed, so it has no events to iterate: call it with stream=True "
        "for a stream, or read the answer's fields (e.g. .results.generated_answer and "
        ".results.citations)"
    )


def test_only_an_operation_with_a_stream_switch_asks_for_a_stream() -> None:
    config = {"model": "m", "stream": True}
    completion = prepare(
        COMPLETION, {"messages": MESSAGES, "generation_config": config}, None, "off"
    )
    rag = prepare(RAG, {"query": "q", "rag_generation_config": config}, None, "off")
    assert (completion.stream, rag.stream) == (False, True)
    assert (completion.operation_id, rag.operation_id) == ("completion", "rag")
    assert repr(RAG) == "<Operation rag: POST /v3/retrieval/rag>"


# -- max_tokens, an alias of max_tokens_to_sample --------------------------------------------


EVERY_GENERATION_CONFIG = pytest.mark.parametrize(
    ("fn", "field"),
    [
        (lambda c, config: c.retrieval.completion(MESSAGES, config), "generation_config"),
        (lambda c, config: c.retrieval.rag("q", config), "rag_generation_config"),
    ],
    ids=["completion", "rag"],
)
"""Each operation's generation config, as `fn(client, config)`, and its field in the body."""


@pytest.mark.parametrize("kind", KINDS)
@EVERY_GENERATION_CONFIG
def test_max_tokens_is_sent_as_max_tokens_to_sample(
    server: Server, kind: str, fn: Any, field: str
) -> None:
    config = {"model": "m", "max_tokens": 150}
    equal = {"model": "m", "max_tokens": 9, "max_tokens_to_sample": 9}
    model = GenerationConfig(model="m")
    model.additional_properties["max_tokens"] = 5
    for given in (config, equal, model):
        call(kind, lambda c, given=given: fn(c, given))  # type: ignore[misc]
    assert [json.loads(r.content)[field] for r in server.requests] == [
        {"model": "m", "max_tokens_to_sample": 150},
        {"model": "m", "max_tokens_to_sample": 9},
        {"model": "m", "max_tokens_to_sample": 5},
    ]
    assert config == {"model": "m", "max_tokens": 150}, "the caller's dict is not changed"
    assert model.additional_properties == {"max_tokens": 5}


@pytest.mark.parametrize("kind", KINDS)
@EVERY_GENERATION_CONFIG
def test_max_tokens_and_max_tokens_to_sample_that_differ_are_refused(
    server: Server, kind: str, fn: Any, field: str
) -> None:
    config = {"model": "m", "max_tokens": 10, "max_tokens_to_sample": 20}
    for validation in ("strict", "off"):
        with pytest.raises(InvalidRequestError) as info:
            call(kind, lambda c: fn(c, config), validation=validation)
        assert str(info.value) == (
            f"{field}.max_tokens: is an alias of max_tokens_to_sample, and both were given with "
            "different values"
        )
    assert server.requests == []


# -- the stream switch: stream= and rag_generation_config.stream ----------------------------------


@pytest.mark.parametrize(
    ("arguments", "config", "streamed"),
    [
        ({"stream": True}, {"stream": True}, True),
        ({"stream": False}, {"stream": False}, False),
        ({"rag_generation_config": {"stream": True}}, {"stream": True}, True),
        ({"rag_generation_config": {"stream": False}}, {"stream": False}, False),
        ({"rag_generation_config": {"stream": True}, "stream": True}, {"stream": True}, True),
        ({"rag_generation_config": {"stream": False}, "stream": False}, {"stream": False}, False),
        (
            {"rag_generation_config": {"model": "m"}, "stream": True},
            {"model": "m", "stream": True},
            True,
        ),
        (
            {"rag_generation_config": GenerationConfig(model="m"), "stream": True},
            {"model": "m", "stream": True},
            True,
        ),
        ({"rag_generation_config": {}}, {}, False),
        ({}, None, False),
    ],
)
def test_stream_and_rag_generation_config_stream_are_one_switch(
    server: Server, arguments: dict[str, Any], config: Any, streamed: bool
) -> None:
    with R2RClient(BASE) as client:
        result = client.retrieval.rag("q", **arguments)
        assert isinstance(result, RAGStream if streamed else WrappedRAGResponse)
        if isinstance(result, RAGStream):
            result.close()
    assert server.body().get("rag_generation_config") == config
    assert server.last.headers["accept"] == (
        "text/event-stream" if streamed else "application/json"
    )


def test_stream_does_not_change_the_callers_config(server: Server) -> None:
    config: GenerationConfigParam = {"model": "m"}
    with R2RClient(BASE) as client:
        client.retrieval.rag("q", config, stream=False)
    assert server.body()["rag_generation_config"] == {"model": "m", "stream": False}
    assert config == {"model": "m"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("config", "stream"), [(True, False), (False, True)])
def test_stream_contradicting_the_config_is_refused(
    server: Server, kind: str, config: bool, stream: bool
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call(kind, lambda c: c.retrieval.rag("q", {"stream": config}, stream=stream))
    assert str(info.value) == "stream: contradicts rag_generation_config.stream; give it once"
    assert server.requests == []


def test_stream_with_a_config_that_is_not_an_object_is_refused(server: Server) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call("sync", lambda c: c.retrieval.rag("q", 5, stream=True))
    assert str(info.value) == "rag_generation_config: expected object or null, got int 5"
    assert server.requests == []


# -- extra_body: sent as given, merged into the arguments ------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fn", "sent"),
    [
        (
            lambda c: c.retrieval.rag("q", extra_body={"search_mode": "research"}),
            {"query": "q", "search_mode": "research"},
        ),
        (
            lambda c: c.retrieval.rag(
                "q", search_settings={"limit": 3}, extra_body={"search_settings": {"new_knob": 1}}
            ),
            {"query": "q", "search_settings": {"limit": 3, "new_knob": 1}},
        ),
        (
            lambda c: c.retrieval.rag(
                "q",
                search_settings=SearchSettings(limit=3),
                extra_body={"search_settings": {"hybrid_settings": {"rrf_k": "unchecked"}}},
            ),
            {
                "query": "q",
                "search_settings": {"limit": 3, "hybrid_settings": {"rrf_k": "unchecked"}},
            },
        ),
        (
            lambda c: c.retrieval.rag(
                "q",
                search_settings={"hybrid_settings": {"rrf_k": 5}},
                extra_body={"search_settings": {"hybrid_settings": {"new": [1]}}},
            ),
            {"query": "q", "search_settings": {"hybrid_settings": {"rrf_k": 5, "new": [1]}}},
        ),
        (
            lambda c: c.retrieval.rag(
                "q", extra_body={"conversation_id": None, "search_mode": None}
            ),
            {"query": "q", "conversation_id": None, "search_mode": None},
        ),
        (
            lambda c: c.retrieval.rag("q", extra_body={"rag_generation_config": {"stream": False}}),
            {"query": "q", "rag_generation_config": {"stream": False}},
        ),
        (lambda c: c.retrieval.rag("q", extra_body={}), {"query": "q"}),
        (
            lambda c: c.retrieval.completion(MESSAGES, MODEL, extra_body={"future_flag": [1]}),
            {"messages": MESSAGES, "generation_config": MODEL, "future_flag": [1]},
        ),
        (
            lambda c: c.retrieval.completion(
                MESSAGES, MODEL, extra_body={"generation_config": {"top_k": "unchecked"}}
            ),
            {"messages": MESSAGES, "generation_config": {**MODEL, "top_k": "unchecked"}},
        ),
    ],
)
def test_extra_body_is_sent_as_given_merged_into_the_arguments(
    server: Server, kind: str, fn: Any, sent: dict[str, Any]
) -> None:
    call(kind, fn)
    assert server.body() == sent


def test_extra_body_is_added_after_the_arguments_in_order(server: Server) -> None:
    with R2RClient(BASE) as client:
        client.retrieval.rag("q", search_mode="basic", extra_body={"z": 1, "a": 2})
    assert server.last.content == b'{"query":"q","search_mode":"basic","z":1,"a":2}'


def test_extra_body_changes_none_of_the_callers_objects(server: Server) -> None:
    settings: SearchSettingsParam = {"hybrid_settings": {"rrf_k": 5}}
    extra = {"search_settings": {"hybrid_settings": {"new": 1}, "other": {"a": 1}}}
    with R2RClient(BASE) as client:
        client.retrieval.rag("q", search_settings=settings, extra_body=extra)
        client.retrieval.rag("q", search_settings=settings)
    assert settings == {"hybrid_settings": {"rrf_k": 5}}
    assert extra == {"search_settings": {"hybrid_settings": {"new": 1}, "other": {"a": 1}}}
    assert json.loads(server.requests[1].content) == {"query": "q", "search_settings": settings}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fn", "error"),
    [
        (
            lambda c: c.retrieval.rag("q", extra_body={"query": "other"}),
            "extra_body.query: already given as an argument; pass it once",
        ),
        (
            lambda c: c.retrieval.rag(
                "q", search_settings={"limit": 3}, extra_body={"search_settings": {"limit": 4}}
            ),
            "extra_body.search_settings.limit: already given as an argument; pass it once",
        ),
        (
            lambda c: c.retrieval.rag(
                "q",
                search_settings={"hybrid_settings": {"rrf_k": 5}},
                extra_body={"search_settings": {"hybrid_settings": {"rrf_k": 5}}},
            ),
            "extra_body.search_settings.hybrid_settings.rrf_k: already given as an argument; "
            "pass it once",
        ),
        (
            lambda c: c.retrieval.rag(
                "q", search_settings={"limit": 3}, extra_body={"search_settings": 5}
            ),
            "extra_body.search_settings: already given as an argument; pass it once",
        ),
        (
            lambda c: c.retrieval.rag("q", search_mode="basic", extra_body={"search_mode": {}}),
            "extra_body.search_mode: already given as an argument; pass it once",
        ),
        (
            lambda c: c.retrieval.rag(
                "q", stream=True, extra_body={"rag_generation_config": {"stream": True}}
            ),
            "extra_body.rag_generation_config.stream: already given as an argument; pass it once",
        ),
        (
            lambda c: c.retrieval.completion(
                MESSAGES,
                {"model": "m", "max_tokens": 3},
                extra_body={"generation_config": {"max_tokens_to_sample": 4}},
            ),
            "extra_body.generation_config.max_tokens_to_sample: already given as an argument; "
            "pass it once",
        ),
        (
            lambda c: c.retrieval.rag("q", extra_body={"rag_generation_config": {"stream": True}}),
            "extra_body.rag_generation_config.stream: ask for a stream with stream=True or "
            "rag_generation_config, not extra_body",
        ),
        (
            lambda c: c.retrieval.rag(
                "q", {"model": "m"}, extra_body={"rag_generation_config": {"stream": True}}
            ),
            "extra_body.rag_generation_config.stream: ask for a stream with stream=True or "
            "rag_generation_config, not extra_body",
        ),
        (
            lambda c: c.retrieval.rag("q", extra_body=[("a", 1)]),
            "extra_body: expected an object (dict), got list",
        ),
        (
            lambda c: c.retrieval.completion(MESSAGES, MODEL, extra_body="x"),
            "extra_body: expected an object (dict), got str",
        ),
        (
            lambda c: c.retrieval.completion(MESSAGES, MODEL, extra_body={"x": {1, 2}}),
            "extra_body.x: a set is not JSON; convert it first with list(value)",
        ),
        (
            lambda c: c.retrieval.rag(
                "q", search_settings={}, extra_body={"search_settings": {"w": float("inf")}}
            ),
            "extra_body.search_settings.w: inf is not allowed in JSON; send a finite number or "
            "None",
        ),
    ],
)
def test_extra_body_that_repeats_an_argument_or_is_not_json_is_refused(
    server: Server, kind: str, fn: Any, error: str
) -> None:
    for validation in ("strict", "off"):
        with pytest.raises(InvalidRequestError) as info:
            call(kind, fn, validation=validation)
        assert str(info.value) == error
    assert server.requests == []


# -- the HTTP client that sends ---------------------------------------------------------------


class RecordingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.paths: list[str] = []

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return fixture_response("06-rag" if request.url.path.endswith("/rag") else "04-completion")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)


@pytest.mark.parametrize("how", ["http_client", "custom_client", "custom_client positionally"])
def test_a_given_http_client_sends_every_call_and_stays_open(how: str) -> None:
    transport = RecordingTransport()
    http = httpx.Client(transport=transport, headers={"X-From-Http": "yes"})
    if how == "http_client":
        client = R2RClient(BASE, http_client=http)
    elif how == "custom_client":
        client = R2RClient(BASE, custom_client=http)
    else:
        client = R2RClient(BASE, None, http)
    with client:
        client.retrieval.completion(MESSAGES, MODEL_ARG)
        client.with_options(timeout=3).retrieval.rag("q")
    assert transport.paths == ["/api/r2r/v3/retrieval/completion", "/api/r2r/v3/retrieval/rag"]
    assert not http.is_closed
    http.close()


@pytest.mark.parametrize("how", ["http_client", "custom_client", "custom_client positionally"])
def test_a_given_async_http_client_sends_every_call_and_stays_open(how: str) -> None:
    transport = RecordingTransport()

    async def main() -> bool:
        async with httpx.AsyncClient(transport=transport) as http:
            if how == "http_client":
                client = AsyncR2RClient(BASE, http_client=http)
            elif how == "custom_client":
                client = AsyncR2RClient(BASE, custom_client=http)
            else:
                client = AsyncR2RClient(BASE, None, http)
            async with client:
                await client.retrieval.completion(MESSAGES, MODEL_ARG)
                await client.with_options(timeout=3).retrieval.rag("q")
            return http.is_closed

    assert asyncio.run(main()) is False
    assert transport.paths == ["/api/r2r/v3/retrieval/completion", "/api/r2r/v3/retrieval/rag"]


def _senders(monkeypatch: pytest.MonkeyPatch, cls: Any) -> list[object]:
    """The httpx clients that send, recorded by wrapping `cls.send`."""
    senders: list[object] = []
    original = cls.send

    def send(self: Any, request: httpx.Request, **kwargs: Any) -> Any:
        senders.append(self)
        return original(self, request, **kwargs)

    monkeypatch.setattr(cls, "send", send)
    return senders


def test_one_pooled_http_client_sends_every_call_and_closes_with_the_client(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    senders = _senders(monkeypatch, httpx.Client)
    with R2RClient(BASE) as client:
        client.retrieval.completion(MESSAGES, MODEL_ARG)
        client.retrieval.rag("q")
        client.documents.replace_metadata(DOC_ID, [{}])
        with client.retrieval.rag("q", stream=True) as stream:
            assert len(list(stream)) == 14
        client.with_options(timeout=5).retrieval.rag("q")
        client.with_options(max_retries=1).close()  # a copy leaves the pool open
        client.with_raw_response.retrieval.completion(MESSAGES, MODEL_ARG)
    assert len(senders) == len(server.requests) == 6
    assert all(sender is senders[0] for sender in senders)
    sender = senders[0]
    assert isinstance(sender, httpx.Client)
    assert sender.is_closed


def test_one_pooled_async_http_client_sends_every_call_and_closes_with_the_client(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    senders = _senders(monkeypatch, httpx.AsyncClient)

    async def main() -> None:
        async with AsyncR2RClient(BASE) as client:
            await client.retrieval.completion(MESSAGES, MODEL_ARG)
            await client.documents.replace_metadata(DOC_ID, [{}])
            async with await client.retrieval.rag("q", stream=True) as stream:
                assert len([event async for event in stream]) == 14
            await client.with_options(max_retries=1).close()
            await client.with_raw_response.retrieval.rag("q")

    asyncio.run(main())
    assert len(senders) == len(server.requests) == 4
    assert all(sender is senders[0] for sender in senders)
    sender = senders[0]
    assert isinstance(sender, httpx.AsyncClient)
    assert sender.is_closed


def test_with_options_leaves_the_original_clients_settings_alone(server: Server) -> None:
    with R2RClient(BASE, api_key="k") as client:
        other = client.with_options(extra_headers={"X-Team": "t"}, validation="off")
        other.unset_api_key()
        other.retrieval.completion(MESSAGES)  # unchecked: no model needed
        with pytest.raises(InvalidRequestError):
            client.retrieval.completion(MESSAGES)
        client.retrieval.completion(MESSAGES, MODEL_ARG)
    first, second = server.requests
    assert "authorization" not in first.headers
    assert first.headers["x-team"] == "t"
    assert second.headers["authorization"] == "Bearer k"
    assert "x-team" not in second.headers

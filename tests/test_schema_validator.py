"""The compiled request validator: its messages, its keywords, and that it compiles once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import respx
from _helpers import BASE, fixture_response, sent_json

from r2r_client import InvalidRequestError, R2RClient, _schema

# -- the document uses only what the validator implements ---------------------------------

SUBSCHEMA = ("items", "additionalProperties", "propertyNames", "not")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


def _keywords_reachable_from(schema: Any, document: dict[str, Any]) -> dict[str, str]:
    """Every keyword of every schema a request body reaches (through $refs), with where."""
    found: dict[str, str] = {}
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(schema, "body")]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        for key in node:
            found.setdefault(key, where)
        if "$ref" in node:
            stack.append((_schema.resolve(document, node["$ref"]), node["$ref"]))
        for key in SUBSCHEMA:
            if key in node:
                stack.append((node[key], f"{where}/{key}"))
        for key in SUBSCHEMA_LISTS:
            stack += [(s, f"{where}/{key}/{i}") for i, s in enumerate(node.get(key, ()))]
        for name, sub in node.get("properties", {}).items():
            stack.append((sub, f"{where}/properties/{name}"))
        for name, sub in node.get("$defs", {}).items():
            stack.append((sub, f"{where}/$defs/{name}"))
    return found


@pytest.mark.parametrize("operation", ["completion", "rag", "replace_document_metadata"])
def test_request_schemas_use_only_implemented_keywords(
    openapi: dict[str, Any], operation: str
) -> None:
    body = _schema.resolve(openapi, _schema._body_pointer(operation))
    used = _keywords_reachable_from(body, openapi)
    unknown = {k: where for k, where in used.items() if k not in _schema.KEYWORDS}
    unknown = {k: where for k, where in unknown.items() if k not in _schema.ANNOTATIONS}
    assert not unknown, f"keywords _schema.py does not implement: {unknown}"
    assert {"$ref", "type"} <= used.keys()  # the walk did follow the $refs


def test_a_keyword_it_does_not_implement_fails_loudly_when_compiled() -> None:
    with pytest.raises(NotImplementedError, match="dependentRequired"):
        _schema.compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}})
    with pytest.raises(NotImplementedError, match="only local"):
        _schema.compile_schema({"$ref": "https://example.com/other.json"})


# -- JSON Schema's rules, where they differ from Python's ------------------------------


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"query": "q", "search_settings": {"limit": 5.0}}, True),
        ({"query": "q", "search_settings": {"limit": 5.5}}, False),
        ({"query": "q", "search_settings": {"limit": True}}, False),
        ({"query": "q", "rag_generation_config": {"max_tokens_to_sample": 64.0}}, True),
        ({"query": "q", "rag_generation_config": {"temperature": 1}}, True),
        ({"query": "q", "rag_generation_config": {"stream": 1}}, False),
    ],
)
def test_json_schema_numbers(body: dict[str, Any], ok: bool) -> None:
    if ok:
        _schema.validate(body, "RAGRequest")
    else:
        with pytest.raises(InvalidRequestError):
            _schema.validate(body, "RAGRequest")


def test_whole_float_for_an_integer_field_is_sent_as_given() -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(return_value=fixture_response("06-rag"))
        with R2RClient(BASE) as client:
            client.retrieval.rag("q", search_settings={"limit": 5.0, "offset": 0.0})
    assert sent_json(route) == {"query": "q", "search_settings": {"limit": 5.0, "offset": 0.0}}


# -- messages: the field, and what is wrong with it --------------------------------------

NUL_FREE_JSON: dict[str, Any] = {
    "$defs": {
        "Value": {
            "anyOf": [
                {"type": "string", "pattern": "^[^\u0000]*$"},
                {"type": ["number", "boolean", "null"]},
                {"type": "array", "items": {"$ref": "#/$defs/Value"}},
                {"type": "object", "additionalProperties": {"$ref": "#/$defs/Value"}},
            ]
        }
    },
    "type": "object",
    "properties": {"metadata": {"$ref": "#/$defs/Value"}},
}

MESSAGES: list[tuple[Any, Any, str, str | None]] = [
    ({"type": "integer"}, "1", "body", "expected integer, got str '1'"),
    ({"type": ["string", "null"]}, 1, "body", "expected string or null, got int 1"),
    ({"enum": ["a", "b"]}, "c", "body", "must be one of 'a', 'b', got 'c'"),
    ({"const": 0}, False, "body", "must be 0, got False"),
    ({"minimum": 1}, 0, "body", "must be >= 1, got 0"),
    ({"maximum": 1000}, 1001, "body", "must be <= 1000, got 1001"),
    ({"exclusiveMinimum": 0}, 0, "body", "must be > 0, got 0"),
    ({"exclusiveMaximum": 1}, 1.0, "body", "must be < 1, got 1.0"),
    ({"multipleOf": 0.5}, 0.7, "body", "must be a multiple of 0.5, got 0.7"),
    ({"minLength": 1}, "", "body", "needs at least 1 character, got 0"),
    ({"maxLength": 2}, "a\U0001f600c", "body", "allows at most 2 characters, got 3"),
    ({"pattern": "b"}, "aaa", "body", "must match the pattern 'b', got 'aaa'"),
    ({"minItems": 1}, [], "body", "needs at least 1 item, got 0"),
    ({"maxItems": 1}, [1, 2], "body", "allows at most 1 item, got 2"),
    ({"uniqueItems": True}, [1, 1.0], "body", "items must be unique, and some are equal"),
    ({"minProperties": 2}, {"a": 1}, "body", "needs at least 2 fields, got 1"),
    ({"maxProperties": 0}, {"a": 1}, "body", "allows at most 0 fields, got 1"),
    (
        {"type": "object", "required": ["role"]},
        {},
        "role",
        "required but missing",
    ),
    (
        {"type": "object", "additionalProperties": False, "properties": {"a": {}}},
        {"a": 1, "b": 2},
        "b",
        "unknown field",
    ),
    (
        {"type": "object", "propertyNames": {"enum": ["$eq", "$ne"]}},
        {"$neq": 1},
        "$neq",
        "not an allowed field name: must be one of '$eq', '$ne', got '$neq'",
    ),
    ({"type": "object"}, {1: "x"}, "1", "object keys must be strings"),
    (
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
        ["a", "b"],
        "[1]",
        "no more than 1 item allowed here",
    ),
    (
        {"items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
        [{"n": 1}, {"n": "2"}],
        "[1].n",
        "expected integer, got str '2'",
    ),
    (
        {"anyOf": [{"type": "object", "properties": {"n": {"minimum": 1}}}, {"type": "null"}]},
        {"n": 0},
        "n",
        "must be >= 1, got 0",
    ),
    ({"anyOf": [{"type": "object"}, {"type": "null"}]}, "x", "body", None),
    (
        {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]},
        12,
        "body",
        "fits 2 of the allowed forms; it must fit exactly one of them",
    ),
    ({"not": {"const": "x"}}, "x", "body", 'must not match {"const": "x"}, got \'x\''),
    ({"allOf": [{"type": "string"}, {"minLength": 2}]}, "a", "body", None),
    (NUL_FREE_JSON, {"metadata": {"a": ["ok", 1, "b\x00"]}}, "metadata.a[2]", None),
    (False, 1, "body", "not allowed here"),
]


@pytest.mark.parametrize(("schema", "value", "field", "problem"), MESSAGES)
def test_messages_name_the_field_and_the_problem(
    schema: Any, value: Any, field: str, problem: str | None
) -> None:
    check = _schema.compile_schema(schema)
    with pytest.raises(InvalidRequestError) as info:
        check(value)
    assert info.value.field == field
    if problem is not None:
        assert info.value.problem == problem
    assert str(info.value) == f"{field}: {info.value.problem}"


def test_a_union_of_types_names_them_all() -> None:
    check = _schema.compile_schema({"anyOf": [{"type": "object"}, {"type": "null"}]})
    with pytest.raises(InvalidRequestError) as info:
        check("x")
    assert info.value.problem == "expected object or null, got str 'x'"


def test_a_deep_path_in_the_document() -> None:
    body = {"messages": [{"role": "user", "content": "x"}, {"role": "user", "name": 5}]}
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate(body, "CompletionRequest")
    assert info.value.field == "messages[1].name"
    assert info.value.problem == "expected string or null, got int 5"


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(InvalidRequestError) as info:
        _schema.compile_schema({"type": "integer"})("x" * 1000)
    assert len(str(info.value)) < 100


def test_path_prefix() -> None:
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate({"limit": "1"}, "SearchSettings", path="search_settings")
    assert info.value.field == "search_settings.limit"


# -- compiled once ---------------------------------------------------------------------


def test_no_schema_is_looked_up_once_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"query": "q", "search_settings": {"limit": 3, "filters": {"a": {"$eq": 1}}}}
    _schema.validate(body, "RAGRequest")
    _schema.validate_request_body([{"a": 1}], "replace_document_metadata")

    def looked_up(*args: object) -> None:
        raise AssertionError("a schema was resolved at call time")

    monkeypatch.setattr(_schema, "resolve", looked_up)
    monkeypatch.setattr(_schema, "document", looked_up)
    _schema.validate(body, "RAGRequest")
    _schema.validate_request_body([{"a": 1}], "replace_document_metadata")
    with pytest.raises(InvalidRequestError):
        _schema.validate({"query": 1}, "RAGRequest")


def test_recursive_schema_checks_any_depth() -> None:
    check = _schema.compile_schema(NUL_FREE_JSON)
    deep: Any = "ok"
    for _ in range(50):
        deep = [{"k": deep}]
    check({"metadata": deep})
    bad: Any = "no\x00"
    for _ in range(3):
        bad = {"k": [bad]}
    with pytest.raises(InvalidRequestError) as info:
        check({"metadata": bad})
    assert info.value.field == "metadata.k[0].k[0].k[0]"


def test_first_use_from_many_threads_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiling is guarded: threads racing on the first call all get a complete check."""
    monkeypatch.setattr(_schema, "_named", {})
    _schema._document_compiler.cache_clear()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []
    body = {"messages": [{"role": "user", "content": "x", "metadata": {"a": 1}}]}

    def first_call() -> None:
        barrier.wait()
        try:
            _schema.validate(body, "CompletionRequest")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

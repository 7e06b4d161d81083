"""The compiled request validator (`r2r_client._schema`): what it accepts, and its words.

Promises checked here:
- for each JSON Schema keyword it compiles, a value that does not fit gets one exact message,
  "field: problem", naming the innermost field (paths start from the prefix given), and a value
  that fits passes; values JSON cannot carry are told how to convert them;
- JSON's rules, not Python's: 1 == 1.0 but true is not 1, whole floats are integers, arrays and
  objects compare deeply;
- in `anyOf`/`oneOf`, options of another type are skipped, so the message is the fitting
  option's own, or names every type allowed;
- the document uses only keywords the validator implements; a schema with any other keyword
  (OpenAPI's `x-` extensions aside, which are ignored) fails to compile, saying where;
- each schema is compiled once, on first use, also when threads race to it; a check leaves no
  garbage cycle behind.
Whether it accepts exactly what jsonschema accepts is test_schema_agreement.py's job.
"""

from __future__ import annotations

import decimal
import gc
import importlib
import sys
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from r2r_client import InvalidRequestError, _schema

X58, X59 = "x" * 58, "x" * 59
XS = "'" + "x" * 56 + "..."  # a long string as messages show it: 57 characters of its repr
NESTED_TOO_DEEP = "is nested too deeply to be encoded as JSON (several hundred levels)"
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
OBJECT_WITH_A = {"type": "object", "required": ["a"]}
# A string type with every annotation the validator ignores: still a plain type.
ANNOTATED_STRING = {"type": "string"} | {
    name: {} if name in ("$defs", "discriminator", "contentSchema") else "x"
    for name in _schema.ANNOTATIONS
}
# Any JSON value whose strings hold no U+0000, recursively (as the document's metadata).
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


@pytest.fixture
def fresh_validator() -> Iterator[None]:
    """The validator as on first use (nothing compiled yet), and again afterwards."""
    importlib.reload(_schema)
    yield
    importlib.reload(_schema)


def _error(check: Any, value: object) -> str | None:
    """The whole message `check(value)` raises, or None if the value fits."""
    try:
        check(value)
    except InvalidRequestError as exc:
        error = exc
    else:
        return None
    assert str(error) == f"{error.field}: {error.problem}"
    return str(error)


# -- one message per keyword ---------------------------------------------------------------------

# (schema, value, the whole error as str(): "field: problem"; None: the value fits)
CASES: list[tuple[Any, Any, str | None]] = [
    # type
    (STRING, 1, "body: expected string, got int 1"),
    (STRING, "a", None),
    (STRING, {1}, "body: a set is not JSON; convert it first with list(value)"),
    ({"type": "object"}, [1], "body: expected object, got list [1]"),
    (
        {"type": "object"},
        b"x",
        "body: bytes are not JSON; convert them first, e.g. value.decode() (or base64 them)",
    ),
    (INTEGER, 1.5, "body: expected integer, got float 1.5"),
    (INTEGER, 2.0, None),
    (INTEGER, True, "body: expected integer, got bool True"),
    ({"type": "number"}, False, "body: expected number, got bool False"),
    ({"type": "number"}, 3, None),
    ({"type": "boolean"}, 1, "body: expected boolean, got int 1"),
    ({"type": "boolean"}, False, None),
    ({"type": "null"}, 0, "body: expected null, got int 0"),
    ({"type": "array"}, (1, 2), None),
    ({"type": "array"}, "ab", "body: expected array, got str 'ab'"),
    ({"type": ["integer", "number"]}, "x", "body: expected number, got str 'x'"),
    ({"type": ["number", "integer", "null"]}, "x", "body: expected number or null, got str 'x'"),
    ({"type": ["string", "null"]}, 1, "body: expected string or null, got int 1"),
    (
        {"type": ["string", "null"]},
        uuid.UUID(int=1),
        "body: a UUID is not JSON; convert it first with str(value)",
    ),
    # long values are cut at 60 characters
    (INTEGER, X58, f"body: expected integer, got str '{X58}'"),
    (INTEGER, X59, f"body: expected integer, got str {XS}"),
    # enum and const
    ({"const": "a"}, "b", "body: must be 'a', got 'b'"),
    ({"const": 1}, True, "body: must be 1, got True"),
    ({"const": 1}, 1.0, None),
    ({"const": None}, 0, "body: must be None, got 0"),
    ({"enum": ["a", "b"]}, "c", "body: must be one of 'a', 'b', got 'c'"),
    ({"enum": ["a", "b"]}, 1, "body: must be one of 'a', 'b', got 1"),
    ({"enum": ["a", "b"]}, "b", None),
    ({"enum": [1, "a", None]}, 2, "body: must be one of 1, 'a', None, got 2"),
    ({"enum": [1, "a", None]}, None, None),
    ({"enum": [1, "a", None]}, "a", None),
    ({"enum": [[1, 2], {"a": 1}]}, (1.0, 2), None),
    ({"enum": [[1, 2], {"a": 1}]}, {"a": 1.0}, None),
    (
        {"enum": [[1, 2], {"a": 1}]},
        [1, True],
        "body: must be one of [1, 2], {'a': 1}, got [1, True]",
    ),
    ({"type": "string", "enum": ["a"]}, 5, "body: expected string, got int 5"),
    ({"type": "string", "const": "a", "minLength": 3}, "b", "body: must be 'a', got 'b'"),
    # bounds: numbers only, booleans are not numbers
    ({"minimum": 1}, 1, None),
    ({"minimum": 1}, 0.5, "body: must be >= 1, got 0.5"),
    ({"maximum": 1}, 1, None),
    ({"maximum": 1}, 2, "body: must be <= 1, got 2"),
    ({"exclusiveMinimum": 1}, 1, "body: must be > 1, got 1"),
    ({"exclusiveMinimum": 1}, 2, None),
    ({"exclusiveMaximum": 1}, 1, "body: must be < 1, got 1"),
    ({"exclusiveMaximum": 1}, 0, None),
    ({"minimum": 1}, "0", None),
    ({"minimum": 5}, True, None),
    ({"minimum": 1, "maximum": 3}, 4, "body: must be <= 3, got 4"),
    ({"multipleOf": 3}, 9, None),
    ({"multipleOf": 3}, 10, "body: must be a multiple of 3, got 10"),
    ({"multipleOf": 3}, 0, None),
    ({"multipleOf": 0.5}, 2.5, None),
    ({"multipleOf": 0.5}, 2.25, "body: must be a multiple of 0.5, got 2.25"),
    ({"multipleOf": 2.0}, 3, "body: must be a multiple of 2.0, got 3"),
    ({"multipleOf": 2.0}, 4, None),
    ({"multipleOf": 0.5}, 1e308, None),  # the quotient overflows: exact fractions decide
    ({"multipleOf": 0.1}, 1e308, "body: must be a multiple of 0.1, got 1e+308"),
    ({"multipleOf": 2}, "3", None),
    ({"multipleOf": 2}, True, None),
    # string lengths count code points (a lone surrogate is one)
    ({"minLength": 2}, "ab", None),
    ({"minLength": 2}, "a", "body: needs at least 2 characters, got 1"),
    ({"minLength": 1}, "", "body: needs at least 1 character, got 0"),
    ({"maxLength": 2}, "ab", None),
    ({"maxLength": 2}, "", None),
    ({"maxLength": 2}, "abc", "body: allows at most 2 characters, got 3"),
    ({"maxLength": 1}, "ab", "body: allows at most 1 character, got 2"),
    ({"maxLength": 1}, "\U0001f600", None),
    ({"maxLength": 1}, "\ud83d\ude00", "body: allows at most 1 character, got 2"),
    ({"minLength": 2}, "\udc80", "body: needs at least 2 characters, got 1"),
    ({"minLength": 2}, 5, None),
    ({"pattern": "^a+$"}, "ab", "body: must match the pattern '^a+$', got 'ab'"),
    ({"pattern": "b"}, "abc", None),
    ({"pattern": "^a$"}, 1, None),
    # arrays
    ({"minItems": 2}, [1], "body: needs at least 2 items, got 1"),
    ({"maxItems": 1}, (1, 2), "body: allows at most 1 item, got 2"),
    ({"maxItems": 2}, [1, 2], None),
    ({"maxItems": 2}, "abc", None),
    ({"uniqueItems": True}, [1, 2], None),
    ({"uniqueItems": True}, [2, 1, 2.0], "body: items must be unique, and some are equal"),
    ({"uniqueItems": True}, [1, True, [1], (True,)], None),
    ({"uniqueItems": True}, [[1], (1.0,)], "body: items must be unique, and some are equal"),
    ({"uniqueItems": False}, [1, 1], None),
    ({"uniqueItems": True}, "aa", None),
    ({"items": STRING}, ["a", 1], "[1]: expected string, got int 1"),
    ({"items": STRING}, {"a": 1}, None),
    ({"items": True}, [1], None),
    ({"items": False}, [1], "[0]: no more than 0 items allowed here"),
    ({"items": False}, [], None),
    ({"prefixItems": [STRING, INTEGER]}, ["a", "b"], "[1]: expected integer, got str 'b'"),
    ({"prefixItems": [STRING, INTEGER]}, [1, "b"], "[0]: expected string, got int 1"),
    ({"prefixItems": [STRING, INTEGER]}, ["a"], None),
    ({"prefixItems": [STRING, INTEGER]}, ["a", 1, None], None),
    (
        {"prefixItems": [STRING], "items": INTEGER},
        ["a", 1, "c"],
        "[2]: expected integer, got str 'c'",
    ),
    (
        {"prefixItems": [STRING, STRING], "items": False},
        ["a", "b", "c"],
        "[2]: no more than 2 items allowed here",
    ),
    (
        {"prefixItems": [STRING], "items": False},
        ["a", "b"],
        "[1]: no more than 1 item allowed here",
    ),
    ({"prefixItems": [STRING], "items": False}, ["a"], None),
    (
        {"items": {"properties": {"a": {"items": {"type": "null"}}}}},
        [{}, {"a": [None, 0]}],
        "[1].a[1]: expected null, got int 0",
    ),
    # objects
    ({"required": ["a", "b"]}, {"a": 1}, "b: required but missing"),
    ({"required": ["a", "b"]}, {}, "a: required but missing"),
    ({"required": ["a"]}, [1], None),
    ({"properties": {"a": STRING}}, {"a": 1}, "a: expected string, got int 1"),
    ({"properties": {"a": STRING}}, {"b": 1}, None),
    (
        {"properties": {"a": {}}, "additionalProperties": False},
        {"a": 1, "b": 2},
        "b: unknown field",
    ),
    ({"additionalProperties": INTEGER}, {"a": 1, "b": "x"}, "b: expected integer, got str 'x'"),
    ({"additionalProperties": True, "type": "object"}, {"b": "x"}, None),
    (
        {"propertyNames": {"maxLength": 2}},
        {"ab": 1, "abc": 2},
        "abc: not an allowed field name: allows at most 2 characters, got 3",
    ),
    ({"propertyNames": True, "type": "object"}, {"abc": 2}, None),
    ({"minProperties": 2}, {"a": 1}, "body: needs at least 2 fields, got 1"),
    ({"maxProperties": 1}, {"a": 1, "b": 2}, "body: allows at most 1 field, got 2"),
    ({"maxProperties": 1}, [1, 2], None),
    # keys JSON cannot carry: refused wherever the schema looks at an object's fields
    ({"type": "object"}, {1: 2}, "1: object keys must be strings"),
    ({"type": ["object", "null"]}, {(1, 2): 2}, "(1, 2): object keys must be strings"),
    ({}, {1: 2}, None),
    ({"minLength": 1}, {1: 2}, None),
    ({"type": "string"}, {1: 2}, "body: expected string, got dict {1: 2}"),
    ({"properties": {"a": {}}}, {"a": 1, 2: 3}, "2: object keys must be strings"),
    ({"required": ["a"]}, {"a": 1, 2: 3}, "2: object keys must be strings"),
    ({"additionalProperties": False}, {2: 3}, "2: object keys must be strings"),
    ({"additionalProperties": STRING}, {2: 3}, "2: object keys must be strings"),
    ({"propertyNames": STRING}, {2: 3}, "2: object keys must be strings"),
    # boolean schemas
    (False, 1, "body: not allowed here"),
    (True, {1}, None),
    ({"properties": {"a": False}}, {"a": None}, "a: not allowed here"),
    # allOf
    ({"type": "string", "allOf": [{"minLength": 2}]}, 5, "body: expected string, got int 5"),
    (
        {"type": "string", "allOf": [{"minLength": 2}]},
        "a",
        "body: needs at least 2 characters, got 1",
    ),
    (
        {"allOf": [{"minLength": 2}, {"maxLength": 3}]},
        "abcd",
        "body: allows at most 3 characters, got 4",
    ),
    ({"allOf": [{"minLength": 2}, {"maxLength": 3}, {"pattern": "b"}]}, "aba", None),
    (
        {"allOf": [{"minLength": 2}, {"maxLength": 3}, {"pattern": "b"}]},
        "aa",
        "body: must match the pattern 'b', got 'aa'",
    ),
    # anyOf: options of another type are skipped; a plain union of types is one type check
    ({"anyOf": [{"type": "null"}, STRING]}, 1, "body: expected string or null, got int 1"),
    ({"anyOf": [{"type": "null"}, STRING]}, None, None),
    ({"anyOf": [INTEGER, {"type": "number"}]}, "1", "body: expected number, got str '1'"),
    (
        {"$defs": {"o": OBJECT_WITH_A}, "anyOf": [{"$ref": "#/$defs/o"}, {"type": "null"}]},
        {},
        "a: required but missing",
    ),
    (
        {"anyOf": [OBJECT_WITH_A, {"type": "object", "required": ["b"]}]},
        {},
        "body: a: required but missing or b: required but missing",
    ),
    ({"anyOf": [OBJECT_WITH_A, {"type": "object", "required": ["b"]}]}, {"b": 1}, None),
    (
        {"anyOf": [{"type": "string", "minLength": 3}, {"type": "string", "minLength": 3}]},
        "a",
        "body: needs at least 3 characters, got 1",
    ),
    (
        {"anyOf": [{"type": "string", "minLength": 3}, {"type": "string", "pattern": "x"}]},
        "a",
        "body: needs at least 3 characters, got 1 or must match the pattern 'x', got 'a'",
    ),
    (
        {"anyOf": [{"type": "string", "minLength": 3}, {"type": "string", "pattern": "a"}]},
        "a",
        None,
    ),
    ({"anyOf": [{"minLength": 2}, INTEGER]}, "a", "body: needs at least 2 characters, got 1"),
    ({"anyOf": [{"minLength": 2}, INTEGER]}, 1.5, None),
    ({"anyOf": [{"minLength": 2}, {"maxLength": 1}]}, "a", None),
    ({"anyOf": [{"maxLength": 1}, {"minLength": 2}]}, "a", None),
    (
        {"anyOf": [{"minLength": 2}, {"maxLength": 0}, INTEGER]},
        "a",
        "body: needs at least 2 characters, got 1 or allows at most 0 characters, got 1",
    ),
    ({"anyOf": [False, False]}, 1, "body: expected one of the allowed forms, got int 1"),
    (
        {"anyOf": [{"type": ["string", "null"], "minLength": 1}, INTEGER]},
        "",
        "body: needs at least 1 character, got 0",
    ),
    ({"anyOf": [{"type": ["string", "null"], "minLength": 1}, INTEGER]}, None, None),
    (
        {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array"}]},
        1,
        "body: expected string or array, got int 1",
    ),
    (
        {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array"}]},
        decimal.Decimal(1),
        "body: a Decimal is not JSON; convert it first with float(value) or str(value)",
    ),
    ({"anyOf": [{"enum": ["a"]}, {"enum": [1]}]}, 1, None),
    (
        {"anyOf": [{"const": True}, {"const": 1.5}, {"const": [1]}, {"const": {"a": 1}}]},
        "x",
        "body: expected boolean or number or array or object, got str 'x'",
    ),
    (
        {"anyOf": [{"const": None}, {"const": "s"}, {"const": 2}]},
        [1],
        "body: expected null or string or integer, got list [1]",
    ),
    (
        {"anyOf": [{"const": None}, {"const": "s"}, {"const": 2}], "type": ["string", "integer"]},
        None,
        "body: expected string or integer, got NoneType None",
    ),
    (
        {"anyOf": [{"allOf": [{"type": ["string", "null"]}, STRING], "minLength": 2}, INTEGER]},
        None,
        "body: expected string or integer, got NoneType None",
    ),
    (
        {"anyOf": [{"allOf": [{}, {"type": "null"}], "not": {"const": None}}, {"type": "array"}]},
        "a",
        "body: expected null or array, got str 'a'",
    ),
    (
        {"anyOf": [{"type": "null"}, ANNOTATED_STRING]},
        1,
        "body: expected string or null, got int 1",
    ),
    (
        {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 1}]},
        1,
        "body: expected null or string, got int 1",
    ),
    (
        {"anyOf": [{"type": "array", "items": STRING}, {"type": "array", "items": INTEGER}]},
        [1.5],
        "body: [0]: expected string, got float 1.5 or [0]: expected integer, got float 1.5",
    ),
    # oneOf: exactly one
    ({"oneOf": [STRING, INTEGER]}, 1, None),
    ({"oneOf": [STRING, INTEGER]}, "a", None),
    (
        {"oneOf": [{"type": "number"}, INTEGER]},
        1,
        "body: fits 2 of the allowed forms; it must fit exactly one of them",
    ),
    ({"oneOf": [{"type": "number"}, INTEGER]}, 1.5, None),
    (
        {"oneOf": [{"minimum": 0}, {"maximum": 5}, INTEGER]},
        1,
        "body: fits 3 of the allowed forms; it must fit exactly one of them",
    ),
    ({"oneOf": [{"minimum": 0}, {"maximum": 5}, INTEGER]}, 9.5, None),
    ({"oneOf": [{"minimum": 0}, {"maximum": 5}, INTEGER]}, -1.5, None),
    (
        {"oneOf": [{"type": "string", "minLength": 2}, INTEGER]},
        "a",
        "body: needs at least 2 characters, got 1",
    ),
    (
        {"oneOf": [{"type": "object", "properties": {"a": STRING}}, INTEGER]},
        {"a": 1},
        "a: expected string, got int 1",
    ),
    (
        {"oneOf": [{"minLength": 2}, {"maxLength": 0}]},
        "a",
        "body: needs at least 2 characters, got 1 or allows at most 0 characters, got 1",
    ),
    ({"oneOf": [STRING, INTEGER]}, None, "body: expected string or integer, got NoneType None"),
    # not
    ({"not": STRING}, "a", 'body: must not match {"type": "string"}, got \'a\''),
    ({"not": STRING}, 1, None),
    (
        {"not": {"type": "string", "description": "a string"}},
        "a",
        "body: must not be a string, got 'a'",
    ),
    (
        {"not": {"type": "string", "description": 5}},
        "a",
        'body: must not match {"type": "string", "description": 5}, got \'a\'',
    ),
    (
        {"not": {"const": "\u00e9"}},
        "\u00e9",
        'body: must not match {"const": "\\u00e9"}, got \'é\'',
    ),
    ({"not": {"pattern": "x" * 65}}, X58, None),
    (
        {"not": {"maxLength": 1, "title": "x" * 51}},
        "x",
        f'body: must not match {{"maxLength": 1, "title": "{"x" * 51}"}}, got \'x\'',
    ),
    (
        {"not": {"maxLength": 1, "title": "x" * 52}},
        "x",
        f'body: must not match {{"maxLength": 1, "title": "{"x" * 50}..., got \'x\'',
    ),
    ({"not": True}, 1, "body: must not match true, got 1"),
    ({"not": {"not": STRING}}, 1, "body: expected string, got int 1"),
    ({"not": {"description": "d", "not": STRING}}, 1, "body: expected string, got int 1"),
    ({"not": {"not": STRING}}, "a", None),
    (
        {"not": {"not": STRING, "type": "integer"}},
        1,
        'body: must not match {"not": {"type": "string"}, "type": "integer"}, got 1',
    ),
    # $ref
    (
        {"$defs": {"s": STRING}, "properties": {"a": {"$ref": "#/$defs/s"}}},
        {"a": 1},
        "a: expected string, got int 1",
    ),
    (
        {"allOf": [STRING], "properties": {"a": {"$ref": "#/allOf/0"}}},
        {"a": 1},
        "a: expected string, got int 1",
    ),
    (
        {"$defs": {"a/b~c d": STRING}, "items": {"$ref": "#/$defs/a~1b~0c%20d"}},
        [1],
        "[0]: expected string, got int 1",
    ),
    (
        {
            "$defs": {
                "t": {
                    "type": "object",
                    "properties": {"c": {"$ref": "#/$defs/t"}},
                    "additionalProperties": False,
                }
            },
            "$ref": "#/$defs/t",
        },
        {"c": {"c": {"d": 1}}},
        "c.c.d: unknown field",
    ),
    (
        {"$defs": {"s": {"minLength": 2}}, "$ref": "#/$defs/s", "type": "string"},
        "a",
        "body: needs at least 2 characters, got 1",
    ),
    (
        {"$defs": {"s": {"minLength": 2}}, "$ref": "#/$defs/s", "type": "string"},
        1,
        "body: expected string, got int 1",
    ),
]


MORE_CASES: list[tuple[Any, Any, str | None]] = [
    (
        {"type": "object", "propertyNames": {"enum": ["$eq", "$ne"]}},
        {"$neq": 1},
        "$neq: not an allowed field name: must be one of '$eq', '$ne', got '$neq'",
    ),
    (
        {"anyOf": [{"type": "object"}, {"type": "null"}]},
        "x",
        "body: expected object or null, got str 'x'",
    ),
    ({"allOf": [STRING, {"minLength": 2}]}, "a", "body: needs at least 2 characters, got 1"),
    (
        NUL_FREE_JSON,
        {"metadata": {"a": ["ok", 1, "b\x00"]}},
        "metadata.a[2]: must match the pattern '^[^\\x00]*$', got 'b\\x00'",
    ),
    (NUL_FREE_JSON, {"metadata": {"a": ["ok", 1, None, {"b": [True, 1.5]}]}}, None),
]


@pytest.mark.parametrize(("schema", "value", "error"), CASES + MORE_CASES)
def test_a_value_that_does_not_fit_gets_one_exact_message(
    schema: Any, value: Any, error: str | None
) -> None:
    assert _error(_schema.compile_schema(schema), value) == error


def test_paths_start_from_the_prefix_given() -> None:
    def error(value: object, schema: str, path: str) -> str | None:
        return _error(lambda v: _schema.validate(v, schema, path=path), value)

    assert error({"limit": "1"}, "SearchSettings", "search_settings") == (
        "search_settings.limit: expected integer, got str '1'"
    )
    assert error(5, "MetadataObject", "metadata[2]") == (
        "metadata[2]: expected object, got int 5"  # no field below: the prefix itself
    )
    assert error(["x"], "SearchSettings", "search_settings") == (
        "search_settings: expected object, got list ['x']"
    )
    assert error({"limit": "1"}, "SearchSettings", "") == "limit: expected integer, got str '1'"


def test_too_deep_a_value_names_the_prefix_or_the_body() -> None:
    deep: Any = []
    for _ in range(sys.getrecursionlimit() + 100):
        deep = [deep]
    check = _schema.compile_schema(
        {"$defs": {"a": {"items": {"$ref": "#/$defs/a"}}}, "$ref": "#/$defs/a"}
    )
    assert _error(check, deep) == f"body: {NESTED_TOO_DEEP}"
    assert _error(
        lambda v: _schema.validate(v, "MetadataObject", path="metadata[0]"), {"a": deep}
    ) == (f"metadata[0]: {NESTED_TOO_DEEP}")


def test_a_recursive_schema_checks_any_depth() -> None:
    check = _schema.compile_schema(NUL_FREE_JSON)
    deep: Any = "ok"
    for _ in range(50):
        deep = [{"k": deep}]
    check({"metadata": deep})
    bad: Any = "no\x00"
    for _ in range(3):
        bad = {"k": [bad]}
    assert _error(check, {"metadata": bad}) == (
        "metadata.k[0].k[0].k[0]: must match the pattern '^[^\\x00]*$', got 'no\\x00'"
    )


def test_a_deep_path_in_the_document() -> None:
    body = {"messages": [{"role": "user", "content": "x"}, {"role": "user", "name": 5}]}
    assert _error(lambda v: _schema.validate(v, "CompletionRequest"), body) == (
        "messages[1].name: expected string or null, got int 5"
    )


# -- JSON's rules, where they differ from Python's ------------------------------------------------


@pytest.mark.parametrize(
    ("one", "two", "equal"),
    [
        ("a", "a", True),
        ("1", 1, False),
        (1, "1", False),
        ("a", ["a"], False),
        (1, 1.0, True),
        (1, True, False),
        (True, 1, False),
        (True, True, True),
        (False, 0, False),
        (None, None, True),
        (None, 0, False),
        ([1, [2]], (1.0, (2,)), True),
        ([1], [1, 2], False),
        ([1, 2], [1], False),
        ([1, 2], [1, 3], False),
        ([2, 1], [1, 2], False),
        ([1, True], [1, 1], False),
        ([], [], True),
        ({"a": 1}, {"a": 1.0}, True),
        ({"a": 1, "b": [1]}, {"b": [1.0], "a": 1}, True),
        ({"a": 1}, {"b": 1}, False),
        ({"a": 1}, {"a": 2}, False),
        ({"a": 1}, {"a": True}, False),
        ({"a": 1}, ["a"], False),
        (["a"], {"a": 1}, False),
        ({}, [], False),
        ([1], 1, False),
        (1, [1], False),
        ({"a": 1}, 1, False),
    ],
)
def test_json_equality_decides_enum_const_and_unique_items(one: Any, two: Any, equal: bool) -> None:
    unique = _schema.compile_schema({"uniqueItems": True})
    assert (_error(unique, [one, two]) is None) is not equal
    one_of = _schema.compile_schema({"enum": [two, {"never": "equal"}]})
    assert (_error(one_of, one) is None) is equal


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"query": "q", "search_settings": {"limit": 5.0}}, None),
        (
            {"query": "q", "search_settings": {"limit": 5.5}},
            "search_settings.limit: expected integer, got float 5.5",
        ),
        (
            {"query": "q", "search_settings": {"limit": True}},
            "search_settings.limit: expected integer, got bool True",
        ),
        ({"query": "q", "rag_generation_config": {"max_tokens_to_sample": 64.0}}, None),
        ({"query": "q", "rag_generation_config": {"temperature": 1}}, None),
        (
            {"query": "q", "rag_generation_config": {"stream": 1}},
            "rag_generation_config.stream: expected boolean, got int 1",
        ),
    ],
)
def test_json_numbers_in_the_document(body: dict[str, Any], error: str | None) -> None:
    assert _error(lambda v: _schema.validate(v, "RAGRequest"), body) == error


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        (
            "rag",
            {"query": "q"}
            | dict.fromkeys(
                (
                    "search_mode",
                    "search_settings",
                    "rag_generation_config",
                    "task_prompt",
                    "include_title_if_available",
                    "include_web_search",
                )
            ),
        ),
        ("completion", {"messages": [{"role": "user"}], "generation_config": None}),
    ],
)
def test_the_documents_optional_fields_may_be_null(operation: str, body: dict[str, Any]) -> None:
    """R2R treats null as absent: the checks must let it through (extra_body or validation="off"
    are not needed to send it)."""
    assert _error(lambda v: _schema.validate_request_body(v, operation), body) is None


# -- anyOf / oneOf: which options a value is tried against --------------------------------------

ROOT: dict[str, Any] = {
    "$defs": {
        "s": STRING,
        "a": {"const": "a"},
        "any": {},
        "loop": {"enum": [[1]], "allOf": [{"$ref": "#/$defs/loop"}]},
        "only_itself": {"anyOf": [{"$ref": "#/$defs/only_itself"}, {"type": "null"}]},
    }
}


# (an option, a value, the error when it is the only option that may fit; None: it fits)
@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        (False, 1, "body: expected one of the allowed forms, got int 1"),
        (True, 1, None),
        ({}, 1, None),
        ({"minLength": 1}, 5, None),  # any type: a number is tried, and fits
        (STRING, 1, "body: expected string, got int 1"),
        ({"type": ["number", "null"]}, "x", "body: expected number or null, got str 'x'"),
        ({"type": ["number", "null"]}, 1, None),
        ({"const": None}, 1, "body: expected null, got int 1"),
        ({"const": True}, 1, "body: expected boolean, got int 1"),
        ({"const": 1}, "x", "body: expected integer, got str 'x'"),
        ({"const": 1}, 1.0, None),
        ({"const": 1.5}, "x", "body: expected number, got str 'x'"),
        ({"const": "a"}, 1, "body: expected string, got int 1"),
        ({"const": [1]}, 1, "body: expected array, got int 1"),
        ({"const": {"a": 1}}, 1, "body: expected object, got int 1"),
        ({"enum": ["a", None]}, 1, "body: expected string or null, got int 1"),
        (
            {"type": ["string", "integer"], "enum": ["a", None]},
            1,
            "body: expected string, got int 1",
        ),
        ({"type": ["string", "integer"], "const": 1}, "a", "body: expected integer, got str 'a'"),
        ({"$ref": "#/$defs/s"}, 1, "body: expected string, got int 1"),
        ({"$ref": "#/$defs/a"}, 1, "body: expected string, got int 1"),  # not tried: no 'must be'
        ({"type": "number", "allOf": [INTEGER]}, 1, None),  # a number may be an integer
        ({"type": "number", "allOf": [INTEGER]}, "x", "body: expected integer, got str 'x'"),
        # tried (its types are unknown): itself again and again, as jsonschema would, too deep
        ({"$ref": "#/$defs/only_itself"}, 1, f"body: {NESTED_TOO_DEEP}"),
        (
            {
                "type": ["integer", "string", "null"],
                "anyOf": [STRING, {}],
                "oneOf": [{"const": 1}, {"const": "b"}],
            },
            None,
            "body: expected string or integer, got NoneType None",  # not tried: its oneOf
        ),
        ({"$ref": "#/$defs/any"}, 1, None),
        ({"$ref": "#/$defs/any", "type": "null"}, 1, "body: expected null, got int 1"),
        (
            {"$ref": "#/$defs/s", "type": ["string", "null"]},
            None,
            "body: expected string, got NoneType None",
        ),
        ({"$ref": "#/$defs/loop"}, 1, "body: expected array, got int 1"),  # not tried: no 'must be'
        (
            {"allOf": [{"type": ["string", "null"]}, STRING]},
            None,
            "body: expected string, got NoneType None",
        ),
        ({"allOf": [{}, {"type": "null"}]}, 1, "body: expected null, got int 1"),
        ({"allOf": [{"type": "null"}, {}]}, 1, "body: expected null, got int 1"),
        ({"anyOf": [STRING, {"type": "null"}]}, 1, "body: expected string or null, got int 1"),
        ({"oneOf": [STRING, {"type": "null"}]}, 1, "body: expected string or null, got int 1"),
        ({"anyOf": [STRING, {}]}, 1, None),
        ({"anyOf": [{}, STRING]}, 1, None),
        ({"oneOf": [STRING, {}]}, 1, None),
        (
            {"anyOf": [STRING, INTEGER], "oneOf": [INTEGER, {"type": "null"}]},
            "a",
            "body: expected integer, got str 'a'",
        ),
        (
            {"type": "string", "anyOf": [STRING, {"type": "null"}]},
            None,
            "body: expected string, got NoneType None",
        ),
        ({"type": "string", "anyOf": [{}, STRING]}, 1, "body: expected string, got int 1"),
        ({"type": "string", "oneOf": [STRING, {}]}, 1, "body: expected string, got int 1"),
        ({"anyOf": [False, STRING]}, 1, "body: expected string, got int 1"),
    ],
)
def test_an_option_is_tried_only_for_the_types_it_can_accept(
    option: Any, value: Any, error: str | None
) -> None:
    check = _schema.compile_schema({"anyOf": [option, False]}, ROOT)
    assert _error(check, value) == error


# -- the keywords it implements, and where a schema is wrong -------------------------------------

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
def test_the_document_uses_only_keywords_the_validator_implements(
    openapi: dict[str, Any], operation: str
) -> None:
    body = _schema.resolve(openapi, _schema.body_pointer(operation))
    used = _keywords_reachable_from(body, openapi)
    known = _schema.KEYWORDS | _schema.ANNOTATIONS
    unknown = {k: where for k, where in used.items() if k not in known and not k.startswith("x-")}
    assert not unknown, f"keywords _schema.py does not implement: {unknown}"
    assert {"$ref", "type"} <= used.keys()  # the walk did follow the $refs


@pytest.mark.parametrize(
    ("schema", "error"),
    [
        ({"foo": 1}, "#: JSON Schema keyword(s) ['foo'] are not implemented"),
        (
            {"type": "object", "dependentRequired": {"a": ["b"]}},
            "#: JSON Schema keyword(s) ['dependentRequired'] are not implemented",
        ),
        (
            {"x-a": 1, "y-a": 1, "X-b": 2},
            "#: JSON Schema keyword(s) ['X-b', 'y-a'] are not implemented",
        ),
        (5, "#: a schema must be an object or a boolean"),
        (
            {"properties": {"a": {"x": 1, "y": 2}}},
            "#/properties/a: JSON Schema keyword(s) ['x', 'y'] are not implemented",
        ),
        ({"items": {"x": 1}}, "#/items: JSON Schema keyword(s) ['x'] are not implemented"),
        (
            {"prefixItems": [{}, {"x": 1}]},
            "#/prefixItems/1: JSON Schema keyword(s) ['x'] are not implemented",
        ),
        (
            {"additionalProperties": {"x": 1}},
            "#/additionalProperties: JSON Schema keyword(s) ['x'] are not implemented",
        ),
        (
            {"propertyNames": {"x": 1}},
            "#/propertyNames: JSON Schema keyword(s) ['x'] are not implemented",
        ),
        ({"allOf": [{}, {"x": 1}]}, "#/allOf/1: JSON Schema keyword(s) ['x'] are not implemented"),
        ({"anyOf": [{"x": 1}]}, "#/anyOf/0: JSON Schema keyword(s) ['x'] are not implemented"),
        (
            {"oneOf": [{}, {}, {"x": 1}]},
            "#/oneOf/2: JSON Schema keyword(s) ['x'] are not implemented",
        ),
        ({"not": {"x": 1}}, "#/not: JSON Schema keyword(s) ['x'] are not implemented"),
        ({"not": {"not": {"x": 1}}}, "#/not/not: JSON Schema keyword(s) ['x'] are not implemented"),
        (
            {"$defs": {"d": {"x": 1}}, "$ref": "#/$defs/d"},
            "#/$defs/d: JSON Schema keyword(s) ['x'] are not implemented",
        ),
        ({"items": 5}, "#/items: a schema must be an object or a boolean"),
        (
            {"$ref": "https://example.com/other.json"},
            "only local $refs are supported, got 'https://example.com/other.json'",
        ),
    ],
)
def test_a_schema_it_cannot_compile_fails_loudly_saying_where(schema: Any, error: str) -> None:
    with pytest.raises((NotImplementedError, TypeError)) as info:
        _schema.compile_schema(schema)
    assert str(info.value) == error


EXTENSIONS = {"x-python": {"resource": "r"}, "x-": 1, "x-end-event": "done"}


@pytest.mark.parametrize(
    ("schema", "value", "error"),
    [
        (STRING | EXTENSIONS, 1, "body: expected string, got int 1"),
        (STRING | EXTENSIONS, "a", None),
        (
            {"properties": {"a": INTEGER | EXTENSIONS}} | EXTENSIONS,
            {"a": "1"},
            "a: expected integer, got str '1'",
        ),
        ({"properties": {"x-a": STRING}}, {"x-a": 1}, "x-a: expected string, got int 1"),  # a field
        (EXTENSIONS, {1}, None),
    ],
)
def test_openapi_extension_keys_are_ignored(schema: Any, value: Any, error: str | None) -> None:
    assert _error(_schema.compile_schema(schema), value) == error


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"anyOf": [{"type": "null"}, STRING]}, 1),
        ({"not": {"not": STRING}}, 1),
    ],
    ids=["union", "double-negation"],
)
def test_an_extension_key_changes_no_message(schema: dict[str, Any], value: Any) -> None:
    with_extension = {k: (v | {"x-a": 1} if k == "not" else v) for k, v in schema.items()}
    if "anyOf" in schema:
        with_extension = {"anyOf": [schema["anyOf"][0], STRING | {"x-a": 1}]}
    assert _error(_schema.compile_schema(with_extension), value) == _error(
        _schema.compile_schema(schema), value
    )


@pytest.mark.parametrize(
    ("ref", "target"),
    [("#/a~0b", 1), ("#/c~1d", 2), ("#/l/1/x", 6), ("#/l/0", 5), ("#/e%20f", 3)],
)
def test_resolve_follows_json_pointers(ref: str, target: int) -> None:
    root = {"a~b": 1, "c/d": 2, "l": [5, {"x": 6}], "e f": 3, "": 4}
    assert _schema.resolve(root, ref) == target
    assert _schema.resolve(root, "#") is root
    with pytest.raises(NotImplementedError) as info:
        _schema.resolve(root, "other.json#/a")
    assert str(info.value) == "only local $refs are supported, got 'other.json#/a'"


def test_refs_point_into_the_root_given() -> None:
    check = _schema.compile_schema({"items": {"$ref": "#/$defs/s"}}, {"$defs": {"s": STRING}})
    assert _error(check, ["a"]) is None
    assert _error(check, [1]) == "[0]: expected string, got int 1"


# -- compiled once, on first use -----------------------------------------------------------------


def test_each_ref_is_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []
    resolve = _schema.resolve

    def spy(root: object, ref: str) -> Any:
        looked_up.append(ref)
        return resolve(root, ref)

    monkeypatch.setattr(_schema, "resolve", spy)
    check = _schema.compile_schema(
        {
            "$defs": {"s": STRING},
            "properties": {"a": {"$ref": "#/$defs/s"}, "b": {"items": {"$ref": "#/$defs/s"}}},
        }
    )
    assert looked_up == ["#/$defs/s"]
    assert _error(check, {"a": "x", "b": ["y", 2]}) == "b[1]: expected string, got int 2"
    assert looked_up == ["#/$defs/s"]


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
    assert _error(lambda v: _schema.validate(v, "RAGRequest"), {"query": 1}) == (
        "query: expected string, got int 1"
    )


@pytest.mark.usefixtures("fresh_validator")
@pytest.mark.parametrize(
    ("operation", "good", "bad", "prefix", "error"),
    [
        (
            "completion",
            {"messages": [{"role": "user", "content": "x"}]},
            {"messages": {}},
            "",
            "messages: expected array, got dict {}",
        ),
        ("rag", {"query": "q"}, {"query": 1}, "", "query: expected string, got int 1"),
        (
            "replace_document_metadata",
            [{"a": 1}],
            {"a": 1},
            "",
            "body: expected array, got dict {'a': 1}",
        ),
        ("replace_document_metadata", [], [{}, 5], "", "[1]: expected object, got int 5"),
        (
            "replace_document_metadata",
            [],
            [{}, 5],
            "metadata",
            "metadata[1]: expected object, got int 5",
        ),
    ],
)
def test_each_operations_body_is_checked_from_its_first_use(
    operation: str, good: Any, bad: Any, prefix: str, error: str
) -> None:
    def check(value: object) -> None:
        if prefix:
            _schema.validate_request_body(value, operation, prefix)
        else:
            _schema.validate_request_body(value, operation)

    assert _error(check, good) is None
    assert _error(check, bad) == error
    assert _error(check, good) is None  # compiled once, then reused


@pytest.mark.usefixtures("fresh_validator")
def test_named_schemas_are_checked_from_their_first_use() -> None:
    def check(value: object) -> None:
        _schema.validate(value, "RAGRequest")

    assert _error(check, {"query": "q", "search_mode": "fast"}) == (
        "search_mode: must be one of 'basic', 'advanced', 'custom', got 'fast'"
    )
    assert _error(check, {"query": "q"}) is None


@pytest.mark.usefixtures("fresh_validator")
def test_a_schema_that_failed_to_compile_fails_again(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {"components": {"schemas": {"Bad": {"type": "object", "dependentRequired": {}}}}}
    monkeypatch.setattr(_schema, "document", lambda: broken)
    for _ in range(2):
        with pytest.raises(NotImplementedError) as info:
            _schema.validate({}, "Bad")
        assert str(info.value) == (
            "#/components/schemas/Bad: JSON Schema keyword(s) ['dependentRequired'] are not "
            "implemented"
        )


@pytest.mark.usefixtures("fresh_validator")
def test_first_use_from_many_threads_at_once() -> None:
    """Compiling is guarded: threads racing on the first call all get a complete check."""
    barrier = threading.Barrier(8)
    outcomes: list[object] = []
    body = {"messages": [{"role": "user", "content": "x", "metadata": {"a": 1}}], "x": 1}
    bad = {"messages": [{"role": "user", "name": 5}]}

    def first_call() -> None:
        barrier.wait()
        try:
            _schema.validate(body, "CompletionRequest")
            outcomes.append(_error(lambda v: _schema.validate(v, "CompletionRequest"), bad))
        except BaseException as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=first_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["messages[0].name: expected string or null, got int 5"] * 8


def test_an_unknown_operation_is_a_key_error() -> None:
    with pytest.raises(KeyError) as info:
        _schema.body_pointer("nope")
    assert info.value.args == ("no operation 'nope' in the document",)


def test_body_pointers_escape_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = {
        "paths": {
            "/a": {"parameters": [], "get": {"operationId": "first"}},
            "/b~c/{id}": {"put": {"operationId": "second"}, "post": {"operationId": "third"}},
        }
    }
    monkeypatch.setattr(_schema, "document", lambda: fake)
    tail = "requestBody/content/application~1json/schema"
    assert _schema.body_pointer("first") == f"#/paths/~1a/get/{tail}"
    assert _schema.body_pointer("second") == f"#/paths/~1b~0c~1{{id}}/put/{tail}"
    assert _schema.body_pointer("third") == f"#/paths/~1b~0c~1{{id}}/post/{tail}"


@pytest.mark.usefixtures("fresh_validator")
def test_the_document_is_the_one_shipped_with_the_generated_package(
    openapi: dict[str, Any],
) -> None:
    assert _schema.document() == openapi
    assert _schema.document() is _schema.document()


# -- no garbage left behind ---------------------------------------------------------------------

GARBAGE_BODIES = [
    # anyOf branches that fail before one fits; `not` over `required`; nullable fields
    {
        "query": "q",
        "search_mode": None,
        "search_settings": {
            "limit": 5.0,
            "filters": {"$and": [{"document_id": {"$eq": "927d1a3f-8a57-5829-aa2e-c577fbc00d81"}}]},
        },
        "rag_generation_config": {"stream": True, "max_tokens_to_sample": 64},
    },
    {"query": "q", "search_settings": {"use_semantic_search": False, "use_fulltext_search": True}},
]


@pytest.fixture
def no_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("body", GARBAGE_BODIES)
def test_a_valid_body_leaves_no_cycle_to_collect(body: dict[str, object]) -> None:
    """The checks signal a failed branch with an exception; one kept with its traceback while its
    frame keeps it is a cycle, holding every frame up the stack (an open stream included) until
    a garbage collection runs."""
    for _ in range(3):
        _schema.validate(body, "RAGRequest")
    assert gc.collect() == 0

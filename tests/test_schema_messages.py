"""The validator's exact message for each keyword it compiles, and the field it names.

Every case is a small schema built here: what a user reads when a body does not fit (the field,
what was expected, what was given) is asserted whole, so a changed word, bound or path fails.
"""

from __future__ import annotations

import decimal
import sys
import uuid
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


@pytest.mark.parametrize(("schema", "value", "error"), CASES)
def test_message(schema: Any, value: Any, error: str | None) -> None:
    check = _schema.compile_schema(schema)
    if error is None:
        check(value)
        return
    with pytest.raises(InvalidRequestError) as info:
        check(value)
    assert str(info.value) == error
    assert f"{info.value.field}: {info.value.problem}" == error


def test_paths_start_from_the_prefix_given() -> None:
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate({"limit": "1"}, "SearchSettings", path="search_settings")
    assert str(info.value) == "search_settings.limit: expected integer, got str '1'"
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate(5, "MetadataObject", path="metadata[2]")
    assert info.value.field == "metadata[2]"  # no field below: the prefix itself
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate(["x"], "SearchSettings", path="search_settings")
    assert str(info.value) == "search_settings: expected object, got list ['x']"


def test_too_deep_a_body_names_the_prefix_or_the_body() -> None:
    deep: Any = []
    for _ in range(sys.getrecursionlimit() + 100):
        deep = [deep]
    check = _schema.compile_schema(
        {"$defs": {"a": {"items": {"$ref": "#/$defs/a"}}}, "$ref": "#/$defs/a"}
    )
    with pytest.raises(InvalidRequestError) as info:
        check(deep)
    assert str(info.value) == f"body: {NESTED_TOO_DEEP}"
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate({"a": deep}, "MetadataObject", path="metadata[0]")
    assert str(info.value) == f"metadata[0]: {NESTED_TOO_DEEP}"


# -- JSON equality and types, as enum, const and uniqueItems use them ------------------------


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
def test_json_equality(one: Any, two: Any, equal: bool) -> None:
    assert _schema._equal(one, two) is equal


ROOT: dict[str, Any] = {
    "$defs": {
        "s": STRING,
        "any": {},
        "loop": {"type": "array", "allOf": [{"$ref": "#/$defs/loop"}]},
        "loop2": {"anyOf": [{"$ref": "#/$defs/loop2"}, {"type": "null"}]},
    }
}


@pytest.mark.parametrize(
    ("schema", "types"),
    [
        (False, set()),
        (True, None),
        ({}, None),
        ({"minLength": 1}, None),
        (STRING, {"string"}),
        ({"type": ["number", "null"]}, {"number", "integer", "null"}),
        ({"const": None}, {"null"}),
        ({"const": True}, {"boolean"}),
        ({"const": 1}, {"integer"}),
        ({"const": 1.5}, {"number", "integer"}),
        ({"const": "a"}, {"string"}),
        ({"const": [1]}, {"array"}),
        ({"const": (1,)}, {"object"}),  # not a JSON value: whatever it is, not an array
        ({"const": {"a": 1}}, {"object"}),
        ({"enum": ["a", None]}, {"string", "null"}),
        ({"type": ["string", "integer"], "enum": ["a", None]}, {"string"}),
        ({"type": ["string", "integer"], "const": 1}, {"integer"}),
        ({"$ref": "#/$defs/s"}, {"string"}),
        ({"$ref": "#/$defs/any"}, None),
        ({"$ref": "#/$defs/any", "type": "null"}, {"null"}),
        ({"$ref": "#/$defs/s", "type": ["string", "null"]}, {"string"}),
        ({"$ref": "#/$defs/loop"}, {"array"}),
        ({"$ref": "#/$defs/loop2"}, None),
        ({"allOf": [{"type": ["string", "null"]}, STRING]}, {"string"}),
        ({"allOf": [{}, {"type": "null"}]}, {"null"}),
        ({"allOf": [{"type": "null"}, {}]}, {"null"}),
        ({"anyOf": [STRING, {"type": "null"}]}, {"string", "null"}),
        ({"oneOf": [STRING, {"type": "null"}]}, {"string", "null"}),
        ({"anyOf": [STRING, {}]}, None),
        ({"anyOf": [{}, STRING]}, None),
        ({"oneOf": [STRING, {}]}, None),
        ({"anyOf": [STRING, INTEGER], "oneOf": [INTEGER, {"type": "null"}]}, {"integer"}),
        ({"type": "string", "anyOf": [STRING, {"type": "null"}]}, {"string"}),
        ({"type": "string", "anyOf": [{}, STRING]}, {"string"}),
        ({"type": "string", "oneOf": [STRING, {}]}, {"string"}),
        ({"anyOf": [False, STRING]}, {"string"}),
    ],
)
def test_types_a_schema_can_accept(schema: Any, types: set[str] | None) -> None:
    assert _schema._Compiler(ROOT)._types(schema) == types


def test_resolve_follows_json_pointers() -> None:
    root = {"a~b": 1, "c/d": 2, "l": [5, {"x": 6}], "e f": 3, "": 4}
    assert _schema.resolve(root, "#/a~0b") == 1
    assert _schema.resolve(root, "#/c~1d") == 2
    assert _schema.resolve(root, "#/l/1/x") == 6
    assert _schema.resolve(root, "#/l/0") == 5
    assert _schema.resolve(root, "#/e%20f") == 3
    assert _schema.resolve(root, "#") is root
    with pytest.raises(NotImplementedError) as info:
        _schema.resolve(root, "other.json#/a")
    assert str(info.value) == "only local $refs are supported, got 'other.json#/a'"


# -- compiling: where a schema is wrong ------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "error"),
    [
        ({"foo": 1}, "#: JSON Schema keyword(s) ['foo'] are not implemented"),
        (5, "#: a schema must be an object or a boolean"),
        (
            {"properties": {"a": {"x": 1, "y": 2}}},
            "#/properties/a: JSON Schema keyword(s) ['x', 'y']",
        ),
        ({"items": {"x": 1}}, "#/items: JSON Schema keyword(s) ['x']"),
        ({"prefixItems": [{}, {"x": 1}]}, "#/prefixItems/1: JSON Schema keyword(s) ['x']"),
        (
            {"additionalProperties": {"x": 1}},
            "#/additionalProperties: JSON Schema keyword(s) ['x']",
        ),
        ({"propertyNames": {"x": 1}}, "#/propertyNames: JSON Schema keyword(s) ['x']"),
        ({"allOf": [{}, {"x": 1}]}, "#/allOf/1: JSON Schema keyword(s) ['x']"),
        ({"anyOf": [{"x": 1}]}, "#/anyOf/0: JSON Schema keyword(s) ['x']"),
        ({"oneOf": [{}, {}, {"x": 1}]}, "#/oneOf/2: JSON Schema keyword(s) ['x']"),
        ({"not": {"x": 1}}, "#/not: JSON Schema keyword(s) ['x']"),
        ({"not": {"not": {"x": 1}}}, "#/not/not: JSON Schema keyword(s) ['x']"),
        (
            {"$defs": {"d": {"x": 1}}, "$ref": "#/$defs/d"},
            "#/$defs/d: JSON Schema keyword(s) ['x']",
        ),
        ({"items": 5}, "#/items: a schema must be an object or a boolean"),
    ],
)
def test_compile_errors_say_where(schema: Any, error: str) -> None:
    with pytest.raises((NotImplementedError, TypeError)) as info:
        _schema.compile_schema(schema)
    assert str(info.value).startswith(error)


def test_a_ref_that_failed_to_compile_fails_again() -> None:
    compiler = _schema._Compiler({"$defs": {"bad": {"x": 1}}})
    for _ in range(2):
        with pytest.raises(NotImplementedError, match=r"#/\$defs/bad"):
            compiler.ref("#/$defs/bad")


def test_a_ref_is_compiled_once() -> None:
    compiler = _schema._Compiler({"$defs": {"s": STRING}})
    assert compiler.ref("#/$defs/s") is compiler.ref("#/$defs/s")


def test_refs_point_into_the_root_given() -> None:
    root = {"$defs": {"s": STRING}}
    check = _schema.compile_schema({"items": {"$ref": "#/$defs/s"}}, root)
    check(["a"])
    with pytest.raises(InvalidRequestError) as info:
        check([1])
    assert str(info.value) == "[0]: expected string, got int 1"


# -- the document's schemas, compiled on first use -------------------------------------------


@pytest.fixture
def fresh_document_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compile the document's checks again (earlier tests may have compiled them already)."""
    monkeypatch.setattr(_schema, "_named", {})
    monkeypatch.setattr(_schema, "_bodies", {})
    _schema._document_compiler.cache_clear()


@pytest.mark.usefixtures("fresh_document_cache")
@pytest.mark.parametrize(
    ("operation", "good", "bad", "error"),
    [
        (
            "completion",
            {"messages": [{"role": "user", "content": "x"}]},
            {"messages": {}},
            "messages: expected array, got dict {}",
        ),
        ("rag", {"query": "q"}, {"query": 1}, "query: expected string, got int 1"),
        (
            "replace_document_metadata",
            [{"a": 1}],
            {"a": 1},
            "body: expected array, got dict {'a': 1}",
        ),
        ("replace_document_metadata", [], [{}, 5], "[1]: expected object, got int 5"),
    ],
)
def test_request_bodies_of_each_operation(operation: str, good: Any, bad: Any, error: str) -> None:
    _schema.validate_request_body(good, operation)
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate_request_body(bad, operation)
    assert str(info.value) == error
    _schema.validate_request_body(good, operation)  # compiled once, then reused


@pytest.mark.usefixtures("fresh_document_cache")
def test_named_schemas_compile_on_first_use() -> None:
    with pytest.raises(InvalidRequestError) as info:
        _schema.validate({"query": "q", "search_mode": "fast"}, "RAGRequest")
    assert info.value.field == "search_mode"
    _schema.validate({"query": "q"}, "RAGRequest")


def test_an_unknown_operation_is_a_key_error() -> None:
    with pytest.raises(KeyError) as info:
        _schema._body_pointer("nope")
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
    assert _schema._body_pointer("first") == f"#/paths/~1a/get/{tail}"
    assert _schema._body_pointer("second") == f"#/paths/~1b~0c~1{{id}}/put/{tail}"
    assert _schema._body_pointer("third") == f"#/paths/~1b~0c~1{{id}}/post/{tail}"


def test_the_document_is_the_one_shipped_with_the_generated_package(
    openapi: dict[str, Any],
) -> None:
    _schema.document.cache_clear()
    try:
        assert _schema.document() == openapi
        assert _schema.document() is _schema.document()
    finally:
        _schema.document.cache_clear()

"""The compiled validator (`r2r_client._schema`) accepts exactly what jsonschema (draft
2020-12) accepts, so that the client refuses nothing the document allows and lets nothing
through that it forbids.

Bodies are generated from the document's request schemas (hypothesis-jsonschema), then mutated
(a value replaced by one of another type or range, a key dropped or added, ...); both validators
judge each body and must agree. The same runs over a synthetic schema that uses every keyword
`_schema` implements, recursion and OpenAPI `x-` extension keys included, since the document
itself uses only some of them today. A deterministic sweep around each example body runs beside
the random one. Derandomized and bounded, so it is cheap in CI (and left out of mutation runs,
where test_schema_validator.py's exact messages meet the validator's mutants).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from r2r_client import InvalidRequestError, _schema

OPERATIONS = tuple(
    operation["operationId"]
    for item in _schema.document()["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and "requestBody" in operation
)
EXAMPLES = 120
RECURSION_DEPTH = 1  # how often a recursive $ref is unrolled for generation (2 is minutes)

# Every keyword, a recursive JSON value whose strings exclude U+0000, $ref with siblings.
SYNTHETIC: dict[str, Any] = {
    "$defs": {
        "JsonValue": {
            "anyOf": [
                {"type": "string", "not": {"pattern": "\u0000"}},
                {"type": ["number", "boolean", "null"]},
                {"type": "array", "items": {"$ref": "#/$defs/JsonValue"}},
                {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/$defs/JsonValue"},
                    "propertyNames": {"pattern": "^[^\u0000]*$"},
                },
            ]
        },
        "Operator": {"type": "string", "enum": ["$eq", "$ne", "$in"]},
    },
    "type": "object",
    "required": ["kind", "size"],
    "additionalProperties": False,
    "x-python": {"resource": "ignored"},  # OpenAPI extensions: ignored by both validators
    "properties": {
        "kind": {"const": "thing", "x-note": "ignored"},
        "size": {"type": "integer", "minimum": 1, "maximum": 100, "multipleOf": 2},
        "ratio": {
            "type": "number",
            "exclusiveMinimum": 0,
            "exclusiveMaximum": 1,
            "multipleOf": 0.25,
        },
        "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]"},
        "tags": {
            "type": "array",
            "items": {"type": "string"},
            "uniqueItems": True,
            "minItems": 1,
            "maxItems": 3,
        },
        "pair": {
            "type": "array",
            "prefixItems": [{"type": "string"}, {"type": "integer"}],
            "items": False,
        },
        "metadata": {"$ref": "#/$defs/JsonValue", "description": "free-form, no NUL"},
        "filters": {
            "type": "object",
            "propertyNames": {"$ref": "#/$defs/Operator"},
            "minProperties": 1,
            "maxProperties": 2,
        },
        "choice": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]},
        "both": {"allOf": [{"type": "string"}, {"minLength": 2}]},
        "nullable": {"anyOf": [{"$ref": "#/$defs/Operator"}, {"type": "null"}]},
        "not_negative": {"not": {"type": "number", "maximum": -1}},
        "mixed_enum": {"enum": [1, "1", True, None, [1], {"a": 1}]},
        "zero": {"const": 0},
        "truth": {"enum": [True, "yes", [0]]},
        "example_only": {"format": "uuid", "examples": ["x"], "deprecated": True},
    },
}

# Replacement values: every JSON type, edges of ranges, whole floats, NUL, look-alikes.
POOL: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    5.0,
    0.5,
    -0.0,
    1e300,
    2**63,
    "",
    "x",
    "\x00",
    "a\x00b",
    "0.5",
    "user",
    "basic",
    "$eq",
    "thing",
    [],
    [None],
    [1, 1.0],
    ["a", 1],
    {},
    {"a": 1},
    {"$eq": "x"},
    {"role": "user", "content": "x"},
]


# What generation puts where the schema allows any value: small, of every JSON type.
ANY_SMALL: dict[str, Any] = {
    "anyOf": [
        {"type": ["null", "boolean", "integer", "number"]},
        {"type": "string", "maxLength": 3},
        {"type": "array", "maxItems": 2, "items": {"type": ["integer", "string"]}},
        {"type": "object", "maxProperties": 2, "additionalProperties": {"type": "integer"}},
    ]
}


def _for_generation(schema: Any, root: Any, depth: dict[str, int]) -> Any:
    """The schema with $refs inlined (recursion cut after a few levels) in draft 7 terms,
    which is what hypothesis-jsonschema generates from; objects and arrays are kept small
    and free-form values simple, so that generation is fast. The generated bodies need not
    be valid: what is tested is that both validators judge them alike."""
    if schema is True or schema == {}:
        return ANY_SMALL
    if not isinstance(schema, dict):
        return schema
    negated = schema.get("not")
    if isinstance(negated, dict) and negated.keys() - _schema.ANNOTATIONS == {"not"}:
        # `not: {not: X}` is X (the document hides recursion from its generator that way):
        # generate from X, which hypothesis-jsonschema does far faster than from a negation.
        rest = {k: v for k, v in schema.items() if k != "not"}
        schema = {**rest, "allOf": [*rest.get("allOf", []), negated["not"]]}
    out: dict[str, Any] = {}
    if schema.get("type") == "array":
        out["maxItems"] = max(3, schema.get("minItems", 0))
    elif schema.get("type") == "object" or "properties" in schema:
        least = max(len(schema.get("required", ())), schema.get("minProperties", 0))
        out["maxProperties"] = max(3, least)
    for key, value in schema.items():
        if key in ("properties",):
            out[key] = {n: _for_generation(s, root, depth) for n, s in value.items()}
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [_for_generation(s, root, depth) for s in value]
        elif key in ("additionalProperties", "propertyNames", "not"):
            out[key] = value if value is True else _for_generation(value, root, depth)
        elif key == "prefixItems":
            out["items"] = [_for_generation(s, root, depth) for s in value]
            out["additionalItems"] = _for_generation(schema.get("items", True), root, depth)
        elif key == "items":
            if "prefixItems" not in schema:
                out["items"] = _for_generation(value, root, depth)
        elif key in ("maxItems", "maxProperties"):
            out[key] = min(value, out.get(key, value))
        elif key in ("minItems", "minProperties") and key.replace("min", "max") in out:
            out[key] = value
            other = key.replace("min", "max")
            out[other] = max(out[other], value)
        elif key.startswith("x-"):
            continue  # an extension: no keyword, nothing to generate from
        elif key == "format" or key not in _schema.ANNOTATIONS | {"$ref"}:
            out[key] = value
    ref = schema.get("$ref")
    if ref is None:
        return out
    seen = depth.get(ref, 0)
    target = (
        False
        if seen >= RECURSION_DEPTH
        else _for_generation(_schema.resolve(root, ref), root, {**depth, ref: seen + 1})
    )
    return {"allOf": [target, out]} if out else target


def _locations(value: Any) -> list[tuple[Any, Any]]:
    """(container, key) for every value nested in `value`."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node)
        for key, item in list(pairs):
            found.append((node, key))
            if isinstance(item, (dict, list)):
                stack.append(item)
    return found


NUMBER_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
SIZE_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties")


def _edges(root: Any) -> tuple[list[Any], list[str]]:
    """Values at the edges of the schema's constraints, and every property name it knows."""
    edges: list[Any] = []
    names: set[str] = {"unknown_field"}
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack += node
            continue
        if not isinstance(node, dict):
            continue
        for key in NUMBER_KEYWORDS:
            c = node.get(key)
            if isinstance(c, (int, float)) and not isinstance(c, bool):
                edges += [c, c - 1, c + 1, c - 0.5, c + 0.5, float(c), -c, c * 3]
        for key in SIZE_KEYWORDS:
            n = node.get(key)
            if isinstance(n, int) and n < 64:
                edges += ["a" * n, "a" * (n + 1), ["a"] * (n + 1), [1] * max(n - 1, 0)]
        edges += node.get("enum", [])
        if "const" in node:
            edges.append(node["const"])
        if isinstance(node.get("properties"), dict):
            names |= set(node["properties"])
        stack += node.values()
    unique: list[Any] = []
    for edge in edges:  # JSON-distinct values only (1 and True and 1.0 are kept apart)
        if not any(type(edge) is type(u) and edge == u for u in unique):
            unique.append(edge)
    return unique, sorted(names)


def _neighbours(value: Any) -> list[Any]:
    """Values close to `value`: the same number as a float, one more, the string with NUL..."""
    if isinstance(value, bool):
        return [not value, int(value), None]
    if isinstance(value, int):
        return [float(value), value + 1, value - 1, -value, value + 0.5, str(value), True]
    if isinstance(value, float):
        whole = [int(value)] if value == value and abs(value) < 1e18 else []
        return [*whole, value + 1, -value, value / 3, str(value)]
    if isinstance(value, str):
        return ["", value + "\x00", "\x00" + value, value[:-1], value * 2, value.upper()]
    if isinstance(value, list):
        return [[], value + value[:1], value[1:], [*value, None], {}]
    if isinstance(value, dict):
        return [{}, dict(list(value.items())[1:]), [value], None]
    return [0, "", [], {}]


def _mutate(draw: Callable[[Any], Any], value: Any, edges: list[Any], names: list[str]) -> Any:
    places: list[tuple[Any, Any]] = _locations(value) if isinstance(value, (dict, list)) else []
    action = draw(st.sampled_from(["near", "near", "edge", "pool", "delete", "add", "root"]))
    if action == "root" or not places:
        return copy.deepcopy(draw(st.sampled_from(POOL + _neighbours(value))))
    container, key = draw(st.sampled_from(places))
    target = container[key]
    if action == "delete":
        del container[key]
    elif action == "add" and isinstance(target, dict):
        target[draw(st.sampled_from(names))] = copy.deepcopy(draw(st.sampled_from(POOL + edges)))
    elif action == "add" and isinstance(target, list):
        target.append(copy.deepcopy(draw(st.sampled_from(POOL + edges))))
    else:
        choices = {"near": _neighbours(target), "edge": edges}.get(action) or POOL
        container[key] = copy.deepcopy(draw(st.sampled_from(choices)))
    return value


def _judge(ours: Callable[[Any], None], theirs: Draft202012Validator, body: Any) -> bool:
    """Whether both accept or both refuse `body` (with the details in the assertion)."""
    try:
        ours(body)
    except InvalidRequestError as exc:
        accepted, why = False, str(exc)
    else:
        accepted, why = True, "accepted"
    expected = theirs.is_valid(body)
    assert accepted == expected, (
        f"_schema: {why}; jsonschema: "
        f"{[e.message for e in theirs.iter_errors(body)] or 'accepted'}; body: {body!r}"
    )
    return accepted


def _differential(
    schema: Any, root: Any, ours: Callable[[Any], None], theirs: Draft202012Validator
) -> None:
    edges, names = _edges(root)
    valid = from_schema(_for_generation(schema, root, {}))
    verdicts: Counter[bool] = Counter()

    @st.composite
    def bodies(draw: Callable[[Any], Any]) -> Any:
        value = copy.deepcopy(draw(valid))
        for _ in range(draw(st.sampled_from([0, 1, 1, 2, 3]))):
            value = _mutate(draw, value, edges, names)
        return value

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(bodies())
    def agree(body: Any) -> None:
        verdicts[_judge(ours, theirs, body)] += 1

    agree()
    # Both verdicts must have been exercised, or the comparison proves little.
    assert verdicts[True] >= EXAMPLES // 10, verdicts
    assert verdicts[False] >= EXAMPLES // 10, verdicts


def _document_validators(operation: str) -> tuple[Any, Callable[[Any], None], Any]:
    document = _schema.document()
    pointer = _schema.body_pointer(operation)
    registry = Registry().with_resource("urn:r2r", DRAFT202012.create_resource(document))
    theirs = Draft202012Validator({"$ref": f"urn:r2r{pointer}"}, registry=registry)

    def ours(body: Any) -> None:
        _schema.validate_request_body(body, operation)

    return _schema.resolve(document, pointer), ours, theirs


@pytest.mark.parametrize("operation", OPERATIONS)
def test_validator_agrees_with_jsonschema_on_request_bodies(operation: str) -> None:
    schema, ours, theirs = _document_validators(operation)
    _differential(schema, _schema.document(), ours, theirs)


def test_validator_agrees_with_jsonschema_on_every_keyword() -> None:
    Draft202012Validator.check_schema(SYNTHETIC)
    _differential(
        SYNTHETIC, SYNTHETIC, _schema.compile_schema(SYNTHETIC), Draft202012Validator(SYNTHETIC)
    )


def _grid(example: Any, root: Any, ours: Callable[[Any], None], theirs: Any) -> Counter[bool]:
    """Every value of `example` replaced in turn by each edge, neighbour and pool value, and
    every object given each known field: a deterministic sweep next to the random one."""
    edges, names = _edges(root)
    verdicts: Counter[bool] = Counter([_judge(ours, theirs, example)])
    for index in range(len(_locations(example))):
        for action in ("near", "edge", "pool", "delete", "add"):
            body = copy.deepcopy(example)
            container, key = _locations(body)[index]
            target = container[key]
            if action == "delete":
                del container[key]
                verdicts[_judge(ours, theirs, body)] += 1
                continue
            if action == "add":
                if isinstance(target, dict):
                    for name in names:
                        for value in (None, "x", 1):
                            trial = copy.deepcopy(body)
                            _locations(trial)[index][0][key][name] = value
                            verdicts[_judge(ours, theirs, trial)] += 1
                continue
            pool = {"near": _neighbours(target), "edge": edges, "pool": POOL}[action]
            for value in pool:
                container[key] = copy.deepcopy(value)
                verdicts[_judge(ours, theirs, body)] += 1
    return verdicts


@pytest.mark.parametrize("operation", OPERATIONS)
def test_validator_agrees_with_jsonschema_around_the_documents_examples(operation: str) -> None:
    _, ours, theirs = _document_validators(operation)
    document = _schema.document()
    operation_path = _schema.body_pointer(operation).rsplit("/schema", 1)[0]
    example = _schema.resolve(document, operation_path)["example"]
    verdicts = _grid(example, document, ours, theirs)
    assert verdicts[True], verdicts
    assert verdicts[False], verdicts


SYNTHETIC_EXAMPLE: dict[str, Any] = {
    "kind": "thing",
    "size": 4,
    "ratio": 0.5,
    "name": "abc",
    "tags": ["a", "b"],
    "pair": ["a", 1],
    "metadata": {"a": ["x", 1, None, {"b": True}]},
    "filters": {"$eq": 1},
    "choice": 3,
    "both": "ab",
    "nullable": None,
    "not_negative": 0,
    "mixed_enum": [1],
    "example_only": "anything",
}


def test_validator_agrees_with_jsonschema_around_a_synthetic_example() -> None:
    verdicts = _grid(
        SYNTHETIC_EXAMPLE,
        SYNTHETIC,
        _schema.compile_schema(SYNTHETIC),
        Draft202012Validator(SYNTHETIC),
    )
    assert verdicts[True], verdicts
    assert verdicts[False], verdicts

"""`--field PATH=VALUE` of the CLI: any field of a request, typed by the OpenAPI document.

The path is followed through the request body's schema in the document the package ships
(`$ref`s, nullable options, `allOf`), so a field the document gains is reachable without a
change to the CLI, and a misspelt one is refused with the names that exist. The value is text
where the document wants text, and JSON (numbers, booleans, lists, objects, null) otherwise.
"""

from __future__ import annotations

import json
from typing import Any

from ._schema import body_pointer, document, resolve


class FieldError(ValueError):
    """A `--field` the request does not have, or a value it cannot take."""


def field_value(operation_id: str, path: str, text: str) -> object:
    """The value `text` for the field at `path` of the operation's body."""
    schemas = [resolve(document(), body_pointer(operation_id))]
    walked: list[str] = []
    for part in path.split("."):
        schemas = _child(schemas, part, path, walked)
        walked.append(part)
    types = _types(schemas)
    if types is not None and types <= {"string", "null"}:
        return text
    try:
        return json.loads(text)
    except ValueError:
        if types is None or "string" in types:
            return text
        raise FieldError(
            f"--field {path}: expected {' or '.join(sorted(types))} (as JSON), got {text!r}"
        ) from None


def merge_field(kwargs: dict[str, Any], path: str, value: object) -> None:
    """Put `value` at `path` into the call's arguments (copying what it goes into)."""
    parts = path.split(".")
    into = kwargs
    for index, part in enumerate(parts[:-1]):
        inner = into.get(part)
        if inner is None:
            inner = {}
        elif not isinstance(inner, dict):
            where = ".".join(parts[: index + 1])
            raise FieldError(f"--field {path}: {where} is already given as a value")
        into[part] = inner = dict(inner)
        into = inner
    if into.get(parts[-1]) is not None:
        raise FieldError(f"--field {path}: given twice (by --field or another option)")
    into[parts[-1]] = value


def _branches(schema: Any, seen: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    """The object schemas a value of `schema` may match: refs followed, options flattened."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return []
    seen = seen | {id(schema)}
    if isinstance(schema.get("$ref"), str):
        return _branches(resolve(document(), schema["$ref"]), seen)
    found = [schema]
    for keyword in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(keyword) or []:
            found += _branches(option, seen)
    negated = schema.get("not")
    if isinstance(negated, dict) and "not" in negated:  # `not: {not: X}` is X
        found += _branches(negated["not"], seen)
    return found


def _child(schemas: list[Any], part: str, path: str, walked: list[str]) -> list[Any]:
    properties: dict[str, Any] = {}
    extra: list[Any] = []
    for branch in (b for s in schemas for b in _branches(s)):
        properties.update(branch.get("properties") or {})
        additional = branch.get("additionalProperties")
        if additional not in (None, False):
            extra.append(additional)
    if part in properties:
        return [properties[part]]
    if extra:
        return extra
    where = ".".join(walked) or "the request"
    known = ", ".join(sorted(properties)) or "none"
    raise FieldError(f"--field {path}: {where} has no field {part!r} (its fields: {known})")


def _types(schemas: list[Any]) -> set[str] | None:
    """The JSON types the schemas admit (None: any)."""
    found: set[str] = set()
    for branch in (b for s in schemas for b in _branches(s)):
        declared = branch.get("type")
        if isinstance(declared, str):
            found.add(declared)
        elif isinstance(declared, list):
            found.update(declared)
        elif "enum" in branch or "const" in branch:
            values = branch.get("enum") or [branch.get("const")]
            found.update(_json_type(value) for value in values)
    return found or None


def _json_type(value: object) -> str:
    """The JSON type of a value the document lists (enum, const)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"

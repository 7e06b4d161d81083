"""Check a request body against the OpenAPI document before sending it.

The document ships inside the generated package (`r2r_api/openapi.json`), so the rules live in
one place: this module only interprets the small part of JSON Schema the document uses
(`$ref`, `type`, `properties`, `required`, `items`, `anyOf`, `enum`, `minItems`, `minimum`,
`maximum`, `additionalProperties`). Unknown keys are allowed wherever the document allows them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from .errors import InvalidRequestError

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list, tuple),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


@cache
def _components() -> dict[str, Any]:
    text = resources.files("r2r_api").joinpath("openapi.json").read_text(encoding="utf-8")
    schemas: dict[str, Any] = json.loads(text)["components"]["schemas"]
    return schemas


def validate(value: object, schema_name: str, path: str = "") -> None:
    """Raise InvalidRequestError naming the first field that does not fit the schema."""
    _check(value, {"$ref": f"#/components/schemas/{schema_name}"}, path)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _components()[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _matches_type(value: object, type_name: str) -> bool:
    if isinstance(value, bool) and type_name in ("integer", "number"):
        return False
    return isinstance(value, _JSON_TYPES[type_name])


def _describe(value: object) -> str:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{type(value).__name__} {shown}"


def _check(value: object, schema: dict[str, Any], path: str) -> None:
    schema = _resolve(schema)
    where = path or "body"
    if "anyOf" in schema:
        problems = []
        for option in schema["anyOf"]:
            try:
                _check(value, option, path)
                return
            except InvalidRequestError as exc:
                problems.append(exc.problem)
        raise InvalidRequestError(where, " or ".join(dict.fromkeys(problems)))
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_matches_type(value, name) for name in names):
            raise InvalidRequestError(
                where, f"expected {' or '.join(names)}, got {_describe(value)}"
            )
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(repr(v) for v in schema["enum"])
        raise InvalidRequestError(where, f"must be one of {choices}, got {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise InvalidRequestError(where, f"must be >= {schema['minimum']}, got {value!r}")
        if "maximum" in schema and value > schema["maximum"]:
            raise InvalidRequestError(where, f"must be <= {schema['maximum']}, got {value!r}")
    if isinstance(value, dict):
        _check_object(value, schema, path)
    elif isinstance(value, (list, tuple)):
        if len(value) < schema.get("minItems", 0):
            raise InvalidRequestError(where, f"needs at least {schema['minItems']} item(s)")
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value):
                _check(item, items, f"{path}[{index}]")


def _check_object(value: dict[Any, Any], schema: dict[str, Any], path: str) -> None:
    prefix = f"{path}." if path else ""
    for name in schema.get("required", ()):
        if name not in value:
            raise InvalidRequestError(f"{prefix}{name}", "required but missing")
    properties: dict[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidRequestError(f"{prefix}{key!r}", "object keys must be strings")
        if key in properties:
            _check(item, properties[key], f"{prefix}{key}")
        elif isinstance(extra, dict):
            _check(item, extra, f"{prefix}{key}")
        elif extra is False:
            raise InvalidRequestError(f"{prefix}{key}", "unknown field")

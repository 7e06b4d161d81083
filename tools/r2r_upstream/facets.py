"""The words of a report line: a place's facets as text, in one canonical spelling and order.

Two documents can write one constraint differently (pydantic writes `1000.0` for the bound
`1000`, keys come in any order), so every value is rendered as canonical JSON before it is
compared, and facets are listed in one fixed order so that a report line never changes unless
the contract does.
"""

from __future__ import annotations

import json
from typing import Any

Facets = dict[str, str]  # {"type": "integer", "maximum": "1000", ...}
NONE = "(none)"  # a facet one side does not declare
FACET_ORDER = [
    "type", "required", "enum", "default", "format", "pattern", "minimum", "exclusiveMinimum",
    "maximum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems",
    "uniqueItems", "minProperties", "maxProperties", "additionalProperties", "not", "recursive",
]  # fmt: skip


def _number(value: Any) -> Any:
    """1000.0 and 1000 are the same bound (pydantic writes floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_number(v) for v in value]
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    return value


def canonical_json(value: Any) -> str:
    """One spelling per JSON value: sorted keys, no spaces, whole floats as integers."""
    return json.dumps(_number(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def json_type(value: Any) -> str:
    """The JSON Schema type of a decoded JSON value (a whole float counts as an integer)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def facet_text(key: str, value: Any) -> str:
    """One facet's value as the report writes it."""
    if key == "not" and isinstance(value, dict) and isinstance(value.get("description"), str):
        return str(value["description"])  # our `not` schemas say in words what they exclude
    if key == "default" or not isinstance(value, str):
        return canonical_json(value)
    return value


def ordered(facets: Facets) -> list[tuple[str, str]]:
    """The facets in report order: FACET_ORDER first, any other keyword after, by name."""
    rank = {k: i for i, k in enumerate(FACET_ORDER)}
    return sorted(facets.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def facets_text(facets: Facets) -> str:
    """All facets of a place on one line: `type integer, optional, default 0, minimum 0`."""
    parts = []
    for key, value in ordered(facets):
        if key == "required":
            parts.append("required" if value == "true" else "optional")
        else:
            parts.append(f"{key} {value}")
    return ", ".join(parts)

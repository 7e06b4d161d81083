"""Request validation against the OpenAPI document, reported like FastAPI/pydantic.

jsonschema does the validating (the document is OpenAPI 3.1, i.e. JSON Schema 2020-12); this
module only translates its errors into the `{"type", "loc", "msg", "input"}` items of a real
422, so a client sees the same errors from the fake as from the real server.
"""

from __future__ import annotations

import importlib
import json
import uuid
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "RequestValidator",
    "SchemaProblem",
    "ValidationItem",
    "json_error",
    "missing_body",
    "uuid_error",
]

ValidationItem = dict[str, Any]
_URI = "urn:r2r-openapi"
_HEX = frozenset("0123456789abcdefABCDEF-")

_TYPE_ERRORS: dict[str, tuple[str, str]] = {
    "string": ("string_type", "Input should be a valid string"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "array": ("list_type", "Input should be a valid list"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "null": ("none_required", "Input should be None"),
}


@cache
def openapi_document() -> dict[str, Any]:
    text = resources.files("r2r_api").joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@dataclass(frozen=True)
class SchemaProblem:
    """One leaf reason why a body does not fit the document."""

    path: tuple[str | int, ...]
    keyword: str
    instance: Any


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


class RequestValidator:
    """Validates request bodies by operation; jsonschema is imported here, on first use."""

    def __init__(self) -> None:
        try:
            jsonschema: Any = importlib.import_module("jsonschema")
            referencing: Any = importlib.import_module("referencing")
            specifications: Any = importlib.import_module("referencing.jsonschema")
        except ImportError as exc:
            raise ModuleNotFoundError(
                "the fake R2R server validates requests with jsonschema, which is not "
                "installed: pip install 'r2r-client[testing]'",
                name=exc.name,
            ) from exc
        resource = specifications.DRAFT202012.create_resource(openapi_document())
        self._registry = referencing.Registry().with_resource(_URI, resource)
        self._validator_class = jsonschema.Draft202012Validator
        self._best_match = jsonschema.exceptions.best_match
        self._validators: dict[tuple[str, str], Any] = {}

    def _validator(self, method: str, path_template: str) -> Any:
        key = (method, path_template)
        if key not in self._validators:
            pointer = _pointer(
                "paths", path_template, method.lower(), "requestBody", "content",
                "application/json", "schema",
            )  # fmt: skip
            schema = {"$ref": f"{_URI}#{pointer}"}
            self._validators[key] = self._validator_class(schema, registry=self._registry)
        return self._validators[key]

    def validate(self, method: str, path_template: str, body: object) -> list[ValidationItem]:
        """The 422 detail items for `body`, or [] when it fits the operation's schema."""
        validator = self._validator(method, path_template)
        items: list[ValidationItem] = []
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        for error in errors:
            items.extend(self._translate(error))
        return items

    def leaves(self, method: str, path_template: str, body: object) -> list[SchemaProblem]:
        """Where and by which keyword `body` misses the schema: one entry per leaf error (an
        anyOf/oneOf is followed into its most relevant branch, all of that branch's errors)."""
        validator = self._validator(method, path_template)
        found: list[SchemaProblem] = []
        for error in validator.iter_errors(body):
            self._leaves(error, found)
        return found

    def _leaves(self, error: Any, found: list[SchemaProblem]) -> None:
        if error.validator in ("anyOf", "oneOf") and error.context:
            branches: dict[Any, list[Any]] = {}
            for sub in error.context:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
            best = self._best_non_null(error.context)
            for sub in branches[best.relative_schema_path[0]]:
                self._leaves(sub, found)
            return
        found.append(
            SchemaProblem(tuple(error.absolute_path), str(error.validator), error.instance)
        )

    def _translate(self, error: Any) -> list[ValidationItem]:
        kind = error.validator
        if kind in ("anyOf", "oneOf") and error.context:
            best = self._best_non_null(error.context)
            if best is not None:
                return self._translate(best)
        loc: list[str | int] = ["body", *error.absolute_path]
        instance = error.instance
        value = error.validator_value
        if kind == "required":
            return [
                {"type": "missing", "loc": [*loc, name], "msg": "Field required", "input": None}
                for name in value
                if isinstance(instance, dict) and name not in instance
            ]
        if kind == "type":
            names = [value] if isinstance(value, str) else [t for t in value if t != "null"]
            type_, msg = _TYPE_ERRORS.get(names[0] if names else "null", ("value_error", ""))
            return [{"type": type_, "loc": loc, "msg": msg or error.message, "input": instance}]
        if kind == "enum":
            expected = _or_list([repr(v) for v in value])
            return [
                {
                    "type": "enum",
                    "loc": loc,
                    "msg": f"Input should be {expected}",
                    "input": instance,
                    "ctx": {"expected": expected},
                }
            ]
        if kind in ("minimum", "maximum"):
            ge = kind == "minimum"
            word = "greater" if ge else "less"
            return [
                {
                    "type": "greater_than_equal" if ge else "less_than_equal",
                    "loc": loc,
                    "msg": f"Input should be {word} than or equal to {value}",
                    "input": instance,
                    "ctx": {"ge" if ge else "le": value},
                }
            ]
        if kind == "minItems":
            plural = "item" if value == 1 else "items"
            return [
                {
                    "type": "too_short",
                    "loc": loc,
                    "msg": f"List should have at least {value} {plural} after validation, "
                    f"not {len(instance)}",
                    "input": instance,
                    "ctx": {
                        "field_type": "List",
                        "min_length": value,
                        "actual_length": len(instance),
                    },
                }
            ]
        if kind == "additionalProperties":
            extra = [k for k in instance if k not in error.schema.get("properties", {})]
            return [
                {"type": "extra_forbidden", "loc": [*loc, k], "msg": "Extra inputs are not "
                 "permitted", "input": instance[k]}
                for k in extra
            ]  # fmt: skip
        return [{"type": "value_error", "loc": loc, "msg": error.message, "input": instance}]

    def _best_non_null(self, errors: list[Any]) -> Any:
        """Of an anyOf's branch errors, the one that is not just 'is not of type null'."""
        useful = [e for e in errors if not (e.validator == "type" and e.validator_value == "null")]
        return self._best_match(useful or errors)


def _or_list(options: list[str]) -> str:
    if len(options) <= 1:
        return "".join(options)
    return f"{', '.join(options[:-1])} or {options[-1]}"


def json_error(exc: json.JSONDecodeError) -> ValidationItem:
    """The 10-put-metadata-malformed-json.http item."""
    return {
        "type": "json_invalid",
        "loc": ["body", exc.pos],
        "msg": "JSON decode error",
        "input": {},
        "ctx": {"error": exc.msg},
    }


def missing_body() -> ValidationItem:
    return {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}


def uuid_error(value: str, loc: list[str | int]) -> ValidationItem | None:
    """The 13-put-metadata-non-uuid.http item, or None when `value` is a UUID."""
    try:
        uuid.UUID(value)
    except ValueError:
        pass
    else:
        return None
    body = value.removeprefix("urn:uuid:")
    skipped = len(value) - len(body)
    bad = next(((i, c) for i, c in enumerate(body) if c not in _HEX), None)
    if bad is not None:
        index, char = bad
        error = (
            "invalid character: expected an optional prefix of `urn:uuid:` followed by "
            f"[0-9a-fA-F-], found `{char}` at {index + skipped + 1}"
        )
    else:
        error = f"invalid length: expected length 32 for simple format, found {len(body)}"
    return {
        "type": "uuid_parsing",
        "loc": loc,
        "msg": f"Input should be a valid UUID, {error}",
        "input": value,
        "ctx": {"error": error},
    }

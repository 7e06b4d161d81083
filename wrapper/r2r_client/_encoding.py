"""Request bodies to JSON bytes; a value JSON cannot carry is an error naming its field.

The body is encoded here, once, exactly as httpx would (compact, UTF-8, no NaN), so the check
costs nothing on a good body; only a failed encoding walks the body to find the culprit.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .errors import InvalidRequestError

TOO_DEEP = "is nested too deeply to be encoded as JSON (several hundred levels)"
_UNKNOWN = ("body", "cannot be encoded as JSON")
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def encode_json(body: object, where: str | None = None) -> bytes:
    """`body` as JSON bytes, or InvalidRequestError naming the first value JSON cannot carry.

    Fields are named from `where` (e.g. `extra_body`); by default from the body's own fields.
    """
    try:
        return _ENCODER.encode(body).encode()  # UTF-8
    except RecursionError:
        raise InvalidRequestError("body", TOO_DEEP) from None
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        pass
    # A list body is replace_metadata's `metadata`; the others are objects of named fields.
    start = where if where is not None else "metadata" if isinstance(body, list) else ""
    try:
        field, problem = _culprit(body, start, set()) or _UNKNOWN
    except RecursionError:
        field, problem = _UNKNOWN
    raise InvalidRequestError(field, problem)


def _culprit(value: object, path: str, parents: set[int]) -> tuple[str, str] | None:
    """(field, problem) of the first value in `value` that JSON cannot carry, or None."""
    if isinstance(value, str):
        problem = _text_problem(value)
        return (path or "body", problem) if problem else None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            int.__repr__(value)
        except ValueError:  # past sys.get_int_max_str_digits()
            return path or "body", "is an integer with too many digits for JSON; send it as a str"
        return None
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        return (
            path or "body",
            f"{_float_name(value)} is not allowed in JSON; send a finite number or None",
        )
    if isinstance(value, (dict, list, tuple)):
        if id(value) in parents:
            # never the body itself: a container is only met again below itself, under a field
            return path, "contains itself (a circular reference): JSON cannot carry it"
        parents.add(id(value))
        try:
            if isinstance(value, dict):
                return _dict_culprit(value, path, parents)
            for index, item in enumerate(value):
                found = _culprit(item, f"{path}[{index}]", parents)
                if found:
                    return found
            return None
        finally:
            parents.discard(id(value))
    return path or "body", not_json_problem(value)


def _dict_culprit(value: dict[Any, Any], path: str, parents: set[int]) -> tuple[str, str] | None:
    for key, item in value.items():
        problem = _key_problem(key)
        if problem:
            return path or "body", problem
        found = _culprit(item, f"{path}.{key}" if path else str(key), parents)
        if found:
            return found
    return None


def _key_problem(key: object) -> str | None:
    if isinstance(key, str):
        problem = _text_problem(key)
        return f"has a key that {problem}" if problem else None
    if key is None or isinstance(key, int):
        return None
    if isinstance(key, float):
        return (
            None
            if math.isfinite(key)
            else f"has the key {_float_name(key)}, which JSON cannot carry"
        )
    return f"has a key that is a {type(key).__name__}; JSON object keys must be strings"


def _float_name(value: float) -> str:
    return "NaN" if math.isnan(value) else str(value)  # the others: "inf", "-inf"


def _text_problem(text: str) -> str | None:
    try:
        text.encode()  # UTF-8
    except UnicodeEncodeError as exc:
        return (
            f"contains a lone surrogate (U+{ord(text[exc.start]):04X}) at index {exc.start}, "
            "which UTF-8 cannot encode; the text was decoded wrongly (errors='surrogateescape'?) "
            "or cut inside a character"
        )
    return None


def not_json_problem(value: object) -> str:
    """What to do about a value of a type JSON has no form for (a datetime, a UUID, ...)."""
    import datetime  # only a refused body needs these: not imported with r2r_client
    import decimal
    import enum
    import uuid

    name = type(value).__name__
    if isinstance(value, (datetime.date, datetime.time)):
        return f"a {name} is not JSON; convert it first, e.g. value.isoformat()"
    if isinstance(value, uuid.UUID):
        return "a UUID is not JSON; convert it first with str(value)"
    if isinstance(value, decimal.Decimal):
        return "a Decimal is not JSON; convert it first with float(value) or str(value)"
    if isinstance(value, (set, frozenset)):
        return f"a {name} is not JSON; convert it first with list(value)"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"{name} are not JSON; convert them first, e.g. value.decode() (or base64 them)"
    if isinstance(value, enum.Enum):
        return f"the enum member {value!s} is not JSON; send its value (member.value)"
    return (
        f"a {name} is not JSON; convert it to a str, number, bool, None, list or dict first "
        "(a generated model: model.to_dict())"
    )

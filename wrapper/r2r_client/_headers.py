"""Headers the user gives, checked once when given: a name and value HTTP can carry.

httpx finds a bad header only while sending, as a protocol error quoting the value (which may
be a key); these checks find it when it is given, and never quote a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ._masking import SecretValue, is_secret_header, secret_names
from .errors import R2RError

__all__ = ["checked_headers", "concealed", "name_problem", "secret_names", "value_problem"]

# RFC 9110: a token for a header name; visible ASCII with inner spaces or tabs for a value.
_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"(?:[\x21-\x7e]+(?:[ \t]+[\x21-\x7e]+)*)?")


def name_problem(name: object) -> str | None:
    """Why `name` cannot be a header name, or None."""
    if not isinstance(name, str):
        return f"is not a valid header name: header names are strings, not {type(name).__name__}"
    if _NAME.fullmatch(name) is None:
        return (
            "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only, "
            "no spaces or other characters)"
        )
    return None


def value_problem(value: object) -> str | None:
    """Why `value` cannot be a header value, or None. Never quotes the value: it may be a key.

    httpx finds out only while sending, as a protocol error quoting the value; this finds out
    when the value is given.
    """
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if _VALUE.fullmatch(value) is not None:
        return None
    if value != value.strip():
        return (
            "has leading or trailing whitespace (a newline read from a file?): strip it first, "
            "e.g. value.strip()"
        )
    for index, char in enumerate(value):
        if char in "\r\n":
            return f"contains a line break (at index {index}), which HTTP headers cannot carry"
        if ord(char) > 0x7F:
            return (
                f"contains a character that is not ASCII (at index {index}); HTTP header values "
                "must be ASCII"
            )
        if (ord(char) < 0x20 and char != "\t") or ord(char) == 0x7F:
            break
    return "contains a control character, which HTTP headers cannot carry"


def checked_headers(
    headers: Mapping[Any, Any],
    where: str,
    error: Callable[[str, str], R2RError],
) -> dict[str, str]:
    """A copy of `headers` once every name and value is sendable; `error(field, problem)` else.

    Values under credential-like names are kept as SecretValue, so no repr shows them.
    """
    if not isinstance(headers, Mapping):
        raise error(
            where,
            f"expected a mapping of header names to values (a dict), got {type(headers).__name__}",
        )
    checked: dict[str, str] = {}
    for name, value in headers.items():
        problem = name_problem(name) or value_problem(value)
        if problem is not None:
            raise error(f"{where}[{name!r}]", problem)
        checked[name] = SecretValue(value) if is_secret_header(name) else value
    return checked


def concealed(headers: Mapping[Any, Any] | None) -> dict[Any, Any] | None:
    """A copy whose credential-like values no repr shows; nothing checked yet, nothing raised."""
    if not isinstance(headers, Mapping):
        return headers  # refused, by name, when checked
    return {
        name: SecretValue(value)
        if isinstance(name, str) and isinstance(value, str) and is_secret_header(name)
        else value
        for name, value in headers.items()
    }

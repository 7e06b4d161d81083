"""Headers the user gives, checked once when given; header reprs that never show a credential."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

from ._auth import SecretValue, is_secret_header, mask_headers, name_problem, value_problem
from .errors import R2RError


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


def secret_names(names: Iterable[str]) -> list[str]:
    """The names that may carry a credential, for messages (names are never secret)."""
    return [name for name in names if is_secret_header(name)]


class MaskedHeaders(httpx.Headers):
    """httpx.Headers whose repr masks every credential, whatever the header's name.

    httpx masks only Authorization; X-API-Key, token or a key under any name would show.
    """

    def __repr__(self) -> str:
        items = self.multi_items()
        secrets = [value for name, value in items if is_secret_header(name)]
        secrets += [value.partition(" ")[2] for value in secrets if " " in value]
        masked = mask_headers(items, secrets)
        as_dict = dict(masked)
        shown: object = as_dict if len(as_dict) == len(masked) else masked
        return f"{type(self).__name__}({shown!r})"


def mask_request_headers(request: httpx.Request) -> httpx.Request:
    """Make `request.headers` print masked. The class is swapped, not the headers copied:
    this runs on every call."""
    request.headers.__class__ = MaskedHeaders
    return request

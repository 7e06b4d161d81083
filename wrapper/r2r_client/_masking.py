"""How credentials are hidden from everything that prints: header reprs, logs, messages.

A header is masked when its name may carry a credential (`Authorization`, `X-API-Key`, `token`,
any name with "auth", "key", "secret"...), or when its value contains a credential the client
knows, whatever the header's name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import httpx

MASK = "**********"
# Header names that carry secrets by convention, whatever the service (`X-My-Auth`, `Cookie`...).
_SECRET_NAME_PARTS = (
    "auth",
    "token",
    "key",
    "secret",
    "cookie",
    "password",
    "signature",
    "credential",
)


def is_secret_header(name: str) -> bool:
    """Whether a header of this name may carry a credential."""
    lowered = name.lower()
    return any(part in lowered for part in _SECRET_NAME_PARTS)


def secret_names(names: Iterable[str]) -> list[str]:
    """The names that may carry a credential, for messages (names are never secret)."""
    return [name for name in names if is_secret_header(name)]


def mask_headers(
    headers: Iterable[tuple[str, str]], secrets: Collection[str] = ()
) -> list[tuple[str, str]]:
    """The headers with every credential masked, for logs and reprs.

    A value is masked when its name may carry a credential, or when it contains one of
    `secrets` (a known key sent under a name nobody could guess). The scheme of an
    `Authorization` value stays visible (`Bearer **********`), which helps debugging.
    """
    masked = []
    for name, value in headers:
        if is_secret_header(name) or any(secret and secret in value for secret in secrets):
            scheme, space, _ = value.partition(" ")
            value = f"{scheme} {MASK}" if space and name.lower() == "authorization" else MASK
        masked.append((name, value))
    return masked


class SecretValue(str):
    """A header value that carries a credential: sent as itself, shown masked by repr()."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(mask_headers([("authorization", self)])[0][1])


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

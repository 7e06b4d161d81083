"""Credentials, and the headers that carry them. Secrets never reach a repr or a message."""

from __future__ import annotations

import ipaddress
import warnings
from collections.abc import Collection, Iterable
from typing import Literal

import httpx

from .errors import ConfigurationError

ApiKeyHeader = Literal["bearer", "x-api-key"]
TokenHeader = Literal["bearer", "token"]

_API_KEY_HEADERS: dict[str, str] = {"bearer": "Authorization", "x-api-key": "X-API-Key"}
_TOKEN_HEADERS: dict[str, str] = {"bearer": "Authorization", "token": "token"}
# Every header the server (or the hosted gateway) reads a credential from.
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "token"})
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
MASK = "**********"


def is_secret_header(name: str) -> bool:
    """Whether a header of this name may carry a credential."""
    lowered = name.lower()
    return any(part in lowered for part in _SECRET_NAME_PARTS)


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


class InsecureTransportWarning(UserWarning):
    """A credential is about to travel over plain http to a host that is not this machine."""


class Secret:
    """Holds a credential; prints as a mask so it cannot leak into logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ConfigurationError("a credential must be a non-empty string")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def _header_choice(value: str, table: dict[str, str], option: str) -> str:
    key = value.lower()
    if key == "authorization":
        key = "bearer"
    if key not in table:
        raise ConfigurationError(f"{option} must be one of {sorted(table)}, not {value!r}")
    return key


class Credentials:
    """At most one credential, and the header it goes in."""

    __slots__ = ("_header", "_headers", "_secret", "kind")

    def __init__(self) -> None:
        self._secret: Secret | None = None
        self._header = ""
        self._headers: dict[str, str] = {}  # built once per change, read on every request
        self.kind: Literal["api_key", "access_token"] | None = None

    def set_api_key(self, api_key: str, header: str = "bearer") -> None:
        self._set(
            "api_key",
            api_key,
            _API_KEY_HEADERS[_header_choice(header, _API_KEY_HEADERS, "auth_header")],
        )

    def set_access_token(self, token: str, header: str = "bearer") -> None:
        self._set(
            "access_token",
            token,
            _TOKEN_HEADERS[_header_choice(header, _TOKEN_HEADERS, "token_header")],
        )

    def _set(self, kind: Literal["api_key", "access_token"], value: str, header: str) -> None:
        if self.kind is not None and self.kind != kind:
            other = "an API key" if self.kind == "api_key" else "an access token"
            raise ConfigurationError(
                f"cannot set {kind.replace('_', ' ')}: the client already has {other}; the server "
                "refuses two credentials on one request (unset the other one first)"
            )
        self._secret = Secret(value)
        self._header = header
        self.kind = kind
        shown = f"Bearer {value}" if header == "Authorization" else value
        self._headers = {header: shown}

    def clear(self, kind: Literal["api_key", "access_token"]) -> None:
        if self.kind == kind:
            self._secret, self._header, self.kind = None, "", None
            self._headers = {}

    def headers(self) -> dict[str, str]:
        return self._headers

    def describe(self) -> str:
        """For repr(): which credential and header, never its value."""
        if self.kind is None:
            return "none"
        return f"{self.kind} in {self._header}"


def check_single_credential(headers: dict[str, str], client_headers: httpx.Headers) -> None:
    """Refuse a request that would carry two credentials (the server answers 400).

    `client_headers` are the httpx client's own defaults, sent too unless replaced.
    """
    names = {name.lower() for name in headers}
    present = [name for name in CREDENTIAL_HEADERS if name in names or name in client_headers]
    if len(present) > 1:
        raise ConfigurationError(
            f"a request may carry one credential, but it has {len(present)} headers: "
            f"{', '.join(sorted(present))}"
        )


def warn_if_insecure(base_url: httpx.URL, credentials: Credentials, *, stacklevel: int = 3) -> None:
    """Warn, pointing at the user's line (stacklevel counts frames up from here)."""
    if credentials.kind is None or base_url.scheme != "http" or _is_loopback(base_url.host):
        return
    warnings.warn(
        f"sending an {credentials.kind.replace('_', ' ')} over plain http to {base_url.host}; "
        "use https",
        InsecureTransportWarning,
        stacklevel=stacklevel,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

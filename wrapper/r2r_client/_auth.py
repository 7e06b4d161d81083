"""Credentials: at most one per client, in the header the server reads it from.

A credential is held as a `Secret`, which never prints; the header that carries it is a
`SecretValue`, which prints masked (`_masking`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import httpx

from ._headers import value_problem
from ._masking import SecretValue
from .errors import ConfigurationError

ApiKeyHeader = Literal["bearer", "x-api-key"]
TokenHeader = Literal["bearer", "token"]

_API_KEY_HEADERS: dict[str, str] = {"bearer": "Authorization", "x-api-key": "X-API-Key"}
_TOKEN_HEADERS: dict[str, str] = {"bearer": "Authorization", "token": "token"}
# Every header the server (or the hosted gateway) reads a credential from.
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "token"})


class Secret:
    """Holds a credential; prints as a mask so it cannot leak into logs, reprs or tracebacks.

    Building one never raises: a bad credential is refused later, by a frame that holds only
    this object, so a traceback rendered with its locals cannot show the credential. The value
    sits in a closure, so debuggers and object inspectors that list attributes do not show it.
    """

    __slots__ = ("_reveal", "problem")

    def __init__(self, value: object) -> None:
        text = value if isinstance(value, str) else ""
        self._reveal: Callable[[], str] = lambda: text
        self.problem: str | None
        if not isinstance(value, str) or not value:
            self.problem = f"must be a non-empty string, not {_kind(value)}"
        else:
            self.problem = value_problem(value)

    @classmethod
    def of(cls, value: object) -> Secret | None:
        """`value` held as a Secret (None stays None)."""
        if value is None or isinstance(value, Secret):
            return value
        return cls(value)

    def reveal(self) -> str:
        return self._reveal()

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def _kind(value: object) -> str:
    return "an empty string" if value == "" else type(value).__name__


def check_header_choices(auth_header: object, token_header: object) -> None:
    """Refuse an `auth_header` or `token_header` no server reads, when it is given."""
    _header_choice(auth_header, _API_KEY_HEADERS, "auth_header")
    _header_choice(token_header, _TOKEN_HEADERS, "token_header")


def _header_choice(value: object, table: dict[str, str], option: str) -> str:
    key = value.lower() if isinstance(value, str) else ""
    if key == "authorization":
        key = "bearer"
    if key not in table:
        raise ConfigurationError(f"{option} must be one of {sorted(table)}, not {value!r}")
    return key


class Credentials:
    """At most one credential, and the header it goes in."""

    __slots__ = ("_header", "_headers", "kind")
    _header: str  # the credential's header, set with it (describe() reads it only then)

    def __init__(self) -> None:
        self._headers: dict[str, str] = {}  # built once per change, read on every request
        self.kind: Literal["api_key", "access_token"] | None = None

    def set_api_key(self, api_key: Secret, header: str, *, source: str = "") -> None:
        self._set(
            "api_key",
            api_key,
            _API_KEY_HEADERS[_header_choice(header, _API_KEY_HEADERS, "auth_header")],
            source or "api_key",
        )

    def set_access_token(self, token: Secret, header: str, *, source: str = "") -> None:
        self._set(
            "access_token",
            token,
            _TOKEN_HEADERS[_header_choice(header, _TOKEN_HEADERS, "token_header")],
            source or "access_token",
        )

    def _set(
        self,
        kind: Literal["api_key", "access_token"],
        secret: Secret,
        header: str,
        source: str,
    ) -> None:
        if secret.problem is not None:
            raise ConfigurationError(f"{source} {secret.problem} (its value is not shown)")
        if self.kind is not None and self.kind != kind:
            other = "an API key" if self.kind == "api_key" else "an access token"
            raise ConfigurationError(
                f"cannot set {kind.replace('_', ' ')}: the client already has {other}; the server "
                "refuses two credentials on one request (unset the other one first)"
            )
        self._header = header
        self.kind = kind
        if header == "Authorization":
            self._headers = {header: SecretValue(f"Bearer {secret.reveal()}")}
        else:
            self._headers = {header: SecretValue(secret.reveal())}

    def clear(self, kind: Literal["api_key", "access_token"]) -> None:
        if self.kind == kind:
            self.kind, self._headers = None, {}  # describe() reads _header only with a kind

    def headers(self) -> dict[str, str]:
        return self._headers

    def describe(self) -> str:
        """For repr(): which credential and header, never its value."""
        if self.kind is None:
            return "none"
        return f"{self.kind} in {self._header}"

    def __repr__(self) -> str:
        return f"Credentials({self.describe()})"


def check_single_credential(
    headers: dict[str, str], client_headers: httpx.Headers, *, url_userinfo: bool = False
) -> None:
    """Refuse a request that would carry two credentials (the server answers 400).

    `client_headers` are the httpx client's own defaults, sent too unless replaced. A user name
    and password in the URL is one more: httpx sends it as Basic auth, replacing an
    `Authorization` header silently.
    """
    names = {name.lower() for name in headers}
    present = [name for name in CREDENTIAL_HEADERS if name in names or name in client_headers]
    if url_userinfo and present:
        raise ConfigurationError(
            "base_url carries a user name and password, which go out as Basic auth beside the "
            f"credential in {', '.join(sorted(present))}: a request may carry one credential "
            "(take them out of base_url, or unset the other)"
        )
    if len(present) > 1:
        raise ConfigurationError(
            f"a request may carry one credential, but it has {len(present)} headers: "
            f"{', '.join(sorted(present))}"
        )

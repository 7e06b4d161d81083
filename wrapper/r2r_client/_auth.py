"""Credentials, and the headers that carry them. Secrets never reach a repr or a message."""

from __future__ import annotations

import ipaddress
import re
import sys
import warnings
from collections.abc import Callable, Collection, Iterable
from types import FrameType
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


class SecretValue(str):
    """A header value that carries a credential: sent as itself, shown masked by repr()."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(mask_headers([("authorization", self)])[0][1])


class InsecureTransportWarning(UserWarning):
    """A credential is about to travel over plain http to a host that is not this machine."""


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


def _header_choice(value: str, table: dict[str, str], option: str) -> str:
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


def is_insecure(base_url: httpx.URL) -> bool:
    """Whether what is sent to `base_url` travels in clear to another machine."""
    return base_url.scheme == "http" and not _is_loopback(base_url.host)


def warn_if_insecure(base_url: httpx.URL, credential: str | None) -> None:
    """Warn that `credential` (what it is, never its value) is about to travel in clear.

    The warning points at the first frame outside this package: the user's line.
    """
    if credential is None or not is_insecure(base_url):
        return
    warnings.warn(
        f"sending {credential} over plain http to {base_url.host}; use https",
        InsecureTransportWarning,
        # 2: warn_if_insecure's caller, then past every frame of ours above it.
        stacklevel=2 + _frames_in_package(sys._getframe(1)),
    )


_PACKAGE = __name__.partition(".")[0]  # "r2r_client"


def _frames_in_package(frame: FrameType | None) -> int:
    """How many frames, from `frame` outwards, run code of this package (its subpackages too)."""
    count = 0
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == _PACKAGE:
        frame = frame.f_back
        count += 1
    return count


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback  # httpx gives IPv6 hosts unbracketed
    except ValueError:
        return False

"""What the sync and async clients share: configuration, credentials and request building."""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

import httpx

if TYPE_CHECKING:
    from ._requests import PreparedCall

from ._auth import Credentials, check_single_credential, warn_if_insecure
from ._logging import configure_from_env
from .errors import ConfigurationError

__version__ = "0.1.0"

DEFAULT_BASE_URL = "https://api.intelligence.io.solutions/api/r2r"
# A short connect timeout finds a dead host fast; RAG answers can take long to generate.
DEFAULT_TIMEOUT = httpx.Timeout(300.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)

log = logging.getLogger("r2r_client")
_USER_AGENT = f"r2r-client/{__version__}"


class NotGiven:
    """Marks an option the caller did not pass (None can be a meaningful value)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = NotGiven()

TimeoutTypes = float | httpx.Timeout | None


def to_timeout(value: TimeoutTypes) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigurationError(f"timeout must be a positive number of seconds, got {value!r}")
    return httpx.Timeout(float(value), connect=min(float(value), DEFAULT_TIMEOUT.connect or 5.0))


def _check_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, got {value!r}")
    return value


def _merge_headers(base: dict[str, str], *extras: Mapping[str, str]) -> dict[str, str]:
    """Later headers replace earlier ones whatever their case, as HTTP header names intend."""
    merged = dict(base)
    spelled = {name.lower(): name for name in merged}
    for extra in extras:
        for name, value in extra.items():
            previous = spelled.pop(name.lower(), None)
            if previous is not None:
                del merged[previous]
            merged[name] = value
            spelled[name.lower()] = name
    return merged


class RequestOptions:
    """Per-call settings, resolved against the client's."""

    __slots__ = ("extra_headers", "max_retries", "timeout")

    def __init__(self, timeout: httpx.Timeout, max_retries: int, extra_headers: dict[str, str]):
        self.timeout = timeout
        self.max_retries = max_retries
        self.extra_headers = extra_headers


class ClientConfig:
    """Configuration and request building common to R2RClient and AsyncR2RClient."""

    _base_url: httpx.URL

    def __init__(
        self,
        base_url: str | None,
        timeout: TimeoutTypes | NotGiven,
        *,
        api_key: str | None,
        access_token: str | None,
        auth_header: str,
        token_header: str,
        project_name: str | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        configure_from_env()  # R2R_LOG, R2R_LOG_BODIES
        self._credentials = Credentials()
        self._auth_header = auth_header
        self._token_header = token_header
        if api_key is None and access_token is None:  # an explicit credential beats the env
            api_key = os.environ.get("R2R_API_KEY") or None
        if api_key is not None and access_token is not None:
            raise ConfigurationError(
                "give either api_key or access_token, not both: the server refuses two "
                "credentials on one request"
            )
        if api_key is not None:
            self._credentials.set_api_key(api_key, auth_header)
        if access_token is not None:
            self._credentials.set_access_token(access_token, token_header)
        self.timeout = to_timeout(DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout)
        self.max_retries = _check_retries(max_retries)
        self.project_name = project_name
        self._default_headers = dict(default_headers or {})
        self._set_base_url(base_url or os.environ.get("R2R_API_BASE") or DEFAULT_BASE_URL)
        # stack: warn_if_insecure < here < R2RClient.__init__ < the user's line
        warn_if_insecure(self._base_url, self._credentials, stacklevel=4)

    # -- the official SDK's configuration calls --------------------------------------------

    @property
    def base_url(self) -> str:
        """The server's base URL, path prefix included (e.g. `.../api/r2r`)."""
        return str(self._base_url.copy_with(path=self._path_prefix or "/")).rstrip("/")

    def set_base_url(self, base_url: str) -> None:
        """Send later requests to another server (the official SDK's call)."""
        self._set_base_url(base_url)
        warn_if_insecure(self._base_url, self._credentials)

    def _set_base_url(self, base_url: str) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(f"base_url must be an http(s) URL, got {base_url!r}")
        self._base_url = url.copy_with(query=None, fragment=None)
        self._path_prefix = url.path.rstrip("/")
        self._urls: dict[str, str] = {}  # request path -> full URL

    def set_api_key(self, api_key: str, *, auth_header: str | None = None) -> None:
        """Send `api_key` on every request (as `Authorization: Bearer` unless told otherwise)."""
        self._credentials.set_api_key(api_key, auth_header or self._auth_header)
        warn_if_insecure(self._base_url, self._credentials)

    def unset_api_key(self) -> None:
        """Stop sending the API key."""
        self._credentials.clear("api_key")

    def set_access_token(self, access_token: str, *, token_header: str | None = None) -> None:
        """Send a login JWT on every request (as `Authorization: Bearer`, or the `token` header)."""
        self._credentials.set_access_token(access_token, token_header or self._token_header)
        warn_if_insecure(self._base_url, self._credentials)

    def unset_access_token(self) -> None:
        """Stop sending the access token."""
        self._credentials.clear("access_token")

    def set_project_name(self, project_name: str | None) -> None:
        """Send `x-project-name` on every request (None: stop sending it)."""
        self.project_name = project_name

    def unset_project_name(self) -> None:
        """Stop sending `x-project-name`."""
        self.project_name = None

    # -- per-call options ----------------------------------------------------------------

    def _options(
        self,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_headers: Mapping[str, str] | None,
    ) -> RequestOptions:
        return RequestOptions(
            self.timeout if isinstance(timeout, NotGiven) else to_timeout(timeout),
            self.max_retries if isinstance(max_retries, NotGiven) else _check_retries(max_retries),
            dict(extra_headers) if extra_headers else {},
        )

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A client with other defaults, sharing this one's connection pool."""
        clone = copy.copy(self)
        clone._credentials = copy.copy(self._credentials)
        clone._default_headers = {**self._default_headers, **(extra_headers or {})}
        if not isinstance(timeout, NotGiven):
            clone.timeout = to_timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = _check_retries(max_retries)
        clone._owns_http = False  # the original owns (and closes) the connection pool
        clone._bind_resources()
        return clone

    def _bind_resources(self) -> None:
        raise NotImplementedError

    _owns_http: bool

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        call: PreparedCall[Any],
        options: RequestOptions,
        *,
        stream: bool,
    ) -> httpx.Request:
        # A plain dict: this runs on every call, and httpx.Headers is slow to build.
        headers = {"Accept": "text/event-stream" if stream else "application/json"}
        headers["User-Agent"] = _USER_AGENT
        headers.update(self._credentials.headers())
        if self.project_name:
            headers["x-project-name"] = self.project_name
        if self._default_headers or options.extra_headers:
            headers = _merge_headers(headers, self._default_headers, options.extra_headers)
        check_single_credential(headers, http.headers)
        url = self._urls.get(call.path)
        if url is None:
            url = str(self._base_url.copy_with(path=self._path_prefix + call.path))
            self._urls[call.path] = url
        return http.build_request(
            call.method, url, json=call.json, headers=headers, timeout=options.timeout
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"auth={self._credentials.describe()!r}, max_retries={self.max_retries})"
        )

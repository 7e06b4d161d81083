"""BaseClient: what R2RClient and AsyncR2RClient share (configuration, credentials, options,
request building), so that the two clients differ only in how they send."""

from __future__ import annotations

import copy
import math
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, cast, get_args, overload

import httpx

if TYPE_CHECKING:
    from ._requests import PreparedCall

from ._auth import Credentials, Secret, check_header_choices, check_single_credential
from ._headers import checked_headers, concealed, secret_names, value_problem
from ._insecure import is_insecure, warn_if_insecure
from ._logging import configure_from_env
from ._masking import mask_request_headers
from ._stream_slots import StreamSlots
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes, Validation
from ._version import __version__
from .errors import ConfigurationError, InvalidRequestError

DEFAULT_BASE_URL = "https://api.intelligence.io.solutions/api/r2r"
# A short connect timeout finds a dead host fast; RAG answers can take long to generate.
DEFAULT_TIMEOUT = httpx.Timeout(300.0, connect=5.0)
_DEFAULT_CONNECT = cast(float, DEFAULT_TIMEOUT.connect)  # for min(): never None
# Enough connections that hundreds of concurrent streams never queue (httpcore's pool walks
# every queued request against every connection on each change), and few idle ones kept:
# httpcore recounts all connections for each idle one on each change (encode/httpcore#1035).
# Chosen by measurement, see the README's "Benchmarks"; finished streams past the keep-alive
# limit close their connection instead of pooling it (`_streaming.StreamSlots`).
DEFAULT_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=20)

_MAX_CACHED_URLS = 64
_VALIDATIONS: tuple[str, ...] = get_args(Validation)

_USER_AGENT = f"r2r-client/{__version__}"


def mark_sniffio_absent() -> None:
    """Let httpcore's async locks learn cheaply that `sniffio` is not installed.

    httpcore 1.0 runs `import sniffio` for every async lock and event it creates (about ten per
    request); when sniffio is not installed (anyio 4 no longer needs it) each failed import
    searches sys.path again, some 70 us. Marking it absent in sys.modules makes the import
    fail at once, which is the outcome httpcore expects (it then assumes asyncio, as before).
    Nothing changes when sniffio is installed.
    """
    import importlib.util  # here, not at the top: it is not otherwise imported with us

    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def to_timeout(value: TimeoutTypes) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
        raise ConfigurationError(
            f"timeout must be a positive number of seconds (None: no timeout), got {value!r}"
        )
    return httpx.Timeout(float(value), connect=min(float(value), _DEFAULT_CONNECT))


def _check_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, got {value!r}")
    return value


def _check_wait(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
        raise ConfigurationError(
            f"rate_limit_wait must be a number of seconds >= 0 (0: never wait), got {value!r}"
        )
    return float(value)


def _check_validation(value: object) -> Validation:
    if value not in _VALIDATIONS:
        raise ConfigurationError(f"validation must be one of {list(_VALIDATIONS)}, got {value!r}")
    return cast(Validation, value)


def stream_slots(given: object) -> StreamSlots:
    """The release policy for our own pool; a pool the user brings keeps every connection."""
    keep = DEFAULT_LIMITS.max_keepalive_connections
    return StreamSlots(sys.maxsize if given is not None or keep is None else keep)


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


RawT = TypeVar("RawT", bound=bool, covariant=True)


class RequestOptions(Generic[RawT]):
    """Per-call settings, resolved against the client's.

    `raw` says whether the call hands back the APIResponse (`with_raw_response`) instead of the
    parsed result; its literal type lets the clients' `_request` overloads type both returns.
    """

    __slots__ = ("extra_headers", "max_retries", "rate_limit_wait", "raw", "timeout", "validation")

    def __init__(
        self,
        timeout: httpx.Timeout,
        max_retries: int,
        extra_headers: dict[str, str],
        rate_limit_wait: float,
        validation: Validation,
        raw: RawT,
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.extra_headers = extra_headers
        self.rate_limit_wait = rate_limit_wait
        self.validation = validation
        self.raw: RawT = raw


def _configuration_error(field: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"{field} {problem}")


def _check_project_name(value: str | None) -> str | None:
    problem = None if value is None else value_problem(value)
    if problem is not None:
        raise ConfigurationError(f"project_name (sent as x-project-name) {problem}")
    return value


class BaseClient:
    """Configuration and request building common to R2RClient and AsyncR2RClient.

    Everything that can be checked is checked when given (credentials, headers, options), once,
    so that a call only builds and sends its request.
    """

    _base_url: httpx.URL
    _http_type: type[httpx.Client | httpx.AsyncClient]  # what http_client must be

    def __init__(
        self,
        base_url: str | None,
        timeout: TimeoutTypes | NotGiven,
        *,
        api_key: Secret | None,
        access_token: Secret | None,
        auth_header: str,
        token_header: str,
        project_name: str | None,
        max_retries: int,
        rate_limit_wait: float,
        validation: Validation,
        default_headers: Mapping[str, str] | None,
        http_client: httpx.Client | httpx.AsyncClient | None,
    ) -> None:
        configure_from_env()  # R2R_LOG, R2R_LOG_BODIES
        self._credentials = Credentials()
        check_header_choices(auth_header, token_header)
        self._auth_header = auth_header
        self._token_header = token_header
        from_env = api_key is None and access_token is None  # an explicit credential wins
        if from_env:
            api_key = Secret.of(os.environ.get("R2R_API_KEY") or None)
        if api_key is not None and access_token is not None:
            raise ConfigurationError(
                "give either api_key or access_token, not both: the server refuses two "
                "credentials on one request"
            )
        if api_key is not None:
            source = "the R2R_API_KEY environment variable" if from_env else "api_key"
            self._credentials.set_api_key(api_key, auth_header, source=source)
        if access_token is not None:
            self._credentials.set_access_token(access_token, token_header)
        self.timeout: httpx.Timeout = to_timeout(
            DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        )
        self.max_retries: int = _check_retries(max_retries)
        self.rate_limit_wait: float = _check_wait(rate_limit_wait)
        self.validation: Validation = _check_validation(validation)
        self.project_name: str | None = _check_project_name(project_name)
        self._default_headers = checked_headers(
            default_headers or {}, "default_headers", _configuration_error
        )
        if http_client is not None:
            if not isinstance(http_client, self._http_type):
                raise ConfigurationError(
                    f"http_client must be an httpx.{self._http_type.__qualname__}, got "
                    f"{type(http_client).__name__}"
                )
            checked_headers(http_client.headers, "http_client.headers", _configuration_error)
        self._given_http = http_client
        self._set_base_url(base_url or os.environ.get("R2R_API_BASE") or DEFAULT_BASE_URL)
        warn_if_insecure(self._base_url, self._credential_in_use())

    def _credential_in_use(self) -> str | None:
        """What carries a credential on every request (for the insecure-transport warning)."""
        if self._credentials.kind is not None:
            return f"an {self._credentials.kind.replace('_', ' ')}"
        names = secret_names(self._default_headers)
        if names:
            return f"a credential in default_headers ({', '.join(names)})"
        http = self._given_http
        if http is not None:
            names = secret_names(http.headers)
            if names:
                return f"a credential in the http_client's headers ({', '.join(names)})"
            if http.auth is not None:
                return "the http_client's auth"
        return None

    # -- the official SDK's configuration calls --------------------------------------------

    @property
    def base_url(self) -> str:
        """The server's base URL, path prefix included (e.g. `.../api/r2r`)."""
        return str(self._base_url.copy_with(path=self._path_prefix or "/")).rstrip("/")

    def set_base_url(self, base_url: str) -> None:
        """Send later requests to another server (the official SDK's call).

        Args:
            base_url: An http(s) URL, with the path prefix of the API if it has one.
        """
        self._set_base_url(base_url)
        warn_if_insecure(self._base_url, self._credential_in_use())

    def _set_base_url(self, base_url: str) -> None:
        try:
            url = httpx.URL(base_url)
        except (TypeError, httpx.InvalidURL):
            url = httpx.URL()
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(f"base_url must be an http(s) URL, got {base_url!r}")
        self._base_url = url.copy_with(query=None, fragment=None)
        self._path_prefix = url.path.rstrip("/")
        self._insecure = is_insecure(self._base_url)
        self._urls: dict[str, httpx.URL] = {}  # request path -> full URL (parsed once)

    def set_api_key(self, api_key: str, *, auth_header: str | None = None) -> None:
        """Send `api_key` on every request (as `Authorization: Bearer` unless told otherwise).

        Args:
            api_key: The API key; it replaces an API key set before.
            auth_header: `"bearer"` (`Authorization: Bearer <key>`) or `"x-api-key"`; the
                client's `auth_header` when None.

        Raises:
            ConfigurationError: An access token is set (the server refuses two credentials;
                `unset_access_token()` first).
        """
        secret = Secret(api_key)
        del api_key  # from here on, no local of this frame holds the key in clear
        self._credentials.set_api_key(
            secret, self._auth_header if auth_header is None else auth_header
        )
        warn_if_insecure(self._base_url, self._credential_in_use())

    def unset_api_key(self) -> None:
        """Stop sending the API key."""
        self._credentials.clear("api_key")

    def set_access_token(self, access_token: str, *, token_header: str | None = None) -> None:
        """Send a login JWT on every request (as `Authorization: Bearer`, or the `token` header).

        Args:
            access_token: The JWT; it replaces an access token set before.
            token_header: `"bearer"` or `"token"`; the client's `token_header` when None.

        Raises:
            ConfigurationError: An API key is set (the server refuses two credentials;
                `unset_api_key()` first).
        """
        secret = Secret(access_token)
        del access_token
        self._credentials.set_access_token(
            secret, self._token_header if token_header is None else token_header
        )
        warn_if_insecure(self._base_url, self._credential_in_use())

    def unset_access_token(self) -> None:
        """Stop sending the access token."""
        self._credentials.clear("access_token")

    def set_project_name(self, project_name: str | None) -> None:
        """Send `x-project-name` on every request.

        Args:
            project_name: The project; None stops sending the header.
        """
        self.project_name = _check_project_name(project_name)

    def unset_project_name(self) -> None:
        """Stop sending `x-project-name`."""
        self.project_name = None

    # -- per-call options ----------------------------------------------------------------

    @overload
    def _options(
        self,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_headers: Mapping[str, str] | None,
        rate_limit_wait: float | NotGiven,
        validation: Validation | NotGiven,
    ) -> RequestOptions[Literal[False]]: ...
    @overload
    def _options(
        self,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_headers: Mapping[str, str] | None,
        rate_limit_wait: float | NotGiven,
        validation: Validation | NotGiven,
        *,
        raw: Literal[True],
    ) -> RequestOptions[Literal[True]]: ...
    def _options(
        self,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_headers: Mapping[str, str] | None,
        rate_limit_wait: float | NotGiven,
        validation: Validation | NotGiven,
        *,
        raw: bool = False,
    ) -> RequestOptions[bool]:
        """A call's options: what it gives, the client's settings for the rest."""
        headers = {}
        if extra_headers:
            headers = checked_headers(extra_headers, "extra_headers", InvalidRequestError)
            if self._insecure:
                self._warn_for_headers(headers, "extra_headers")
        return RequestOptions(
            self.timeout if isinstance(timeout, NotGiven) else to_timeout(timeout),
            self.max_retries if isinstance(max_retries, NotGiven) else _check_retries(max_retries),
            headers,
            (
                self.rate_limit_wait
                if isinstance(rate_limit_wait, NotGiven)
                else _check_wait(rate_limit_wait)
            ),
            self.validation if isinstance(validation, NotGiven) else _check_validation(validation),
            raw,
        )

    def _warn_for_headers(self, headers: Mapping[str, str], where: str) -> None:
        names = secret_names(headers)
        if names:
            warn_if_insecure(self._base_url, f"a credential in {where} ({', '.join(names)})")

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A client with other defaults, sharing this one's connection pool and credentials.

        Args:
            timeout: The new client's timeout in seconds (or an `httpx.Timeout`).
            max_retries: The new client's number of retries of a failed attempt.
            extra_headers: Headers the new client sends with every request, over these.
            rate_limit_wait: The new client's budget, in seconds, for waiting out rate limits.
            validation: The new client's pre-send checks: "strict", "warn" or "off".
        """
        extra_headers = concealed(extra_headers)  # no local shows a credential in clear
        headers = checked_headers(extra_headers or {}, "extra_headers", _configuration_error)
        if self._insecure:
            self._warn_for_headers(headers, "extra_headers")
        clone = copy.copy(self)
        clone._credentials = copy.copy(self._credentials)
        clone._default_headers = _merge_headers(self._default_headers, headers)
        if not isinstance(timeout, NotGiven):
            clone.timeout = to_timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = _check_retries(max_retries)
        if not isinstance(rate_limit_wait, NotGiven):
            clone.rate_limit_wait = _check_wait(rate_limit_wait)
        if not isinstance(validation, NotGiven):
            clone.validation = _check_validation(validation)
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
        options: RequestOptions[bool],
        *,
        stream: bool,
    ) -> httpx.Request:
        # A plain dict: this runs on every call, and httpx.Headers is slow to build.
        headers = {"Accept": "text/event-stream" if stream else "application/json"}
        headers["User-Agent"] = _USER_AGENT
        if call.content is not None:
            headers["Content-Type"] = "application/json"
        headers.update(self._credentials.headers())
        if self.project_name:
            headers["x-project-name"] = self.project_name
        if self._default_headers or options.extra_headers:
            headers = _merge_headers(headers, self._default_headers, options.extra_headers)
        check_single_credential(headers, http.headers, url_userinfo=bool(self._base_url.userinfo))
        url = self._urls.get(call.path)
        if url is None:  # an httpx.URL, not a str: httpx would parse a str on every call
            url = httpx.URL(str(self._base_url.copy_with(path=self._path_prefix + call.path)))
            if len(self._urls) < _MAX_CACHED_URLS:  # paths with a document id are many
                self._urls[call.path] = url
        return mask_request_headers(
            http.build_request(
                call.method, url, content=call.content, headers=headers, timeout=options.timeout
            )
        )

    def __repr__(self) -> str:
        # Also for a client whose __init__ failed half-way (tracebacks rendered with locals).
        url: httpx.URL | None = getattr(self, "_base_url", None)
        shown = "?"
        if url is not None:
            if url.password:  # a credential in the URL itself
                url = url.copy_with(username=url.username, password="**********")
            shown = str(url.copy_with(path=self._path_prefix or "/")).rstrip("/")
        credentials: Credentials | None = getattr(self, "_credentials", None)
        auth = credentials.describe() if credentials is not None else "?"
        return (
            f"{type(self).__name__}(base_url={shown!r}, auth={auth!r}, "
            f"max_retries={getattr(self, 'max_retries', '?')})"
        )

"""R2RClient and AsyncR2RClient: one pooled connection, retries, typed errors."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, overload

import httpx

if TYPE_CHECKING:
    from ._requests import PreparedCall

from ._auth import Secret
from ._config import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_RETRIES,
    NOT_GIVEN,
    ClientConfig,
    NotGiven,
    RequestOptions,
    TimeoutTypes,
    log,
    mark_sniffio_absent,
)
from ._headers import concealed
from ._logging import alogged_send, logged_send, note_retry
from ._redirects import MAX_REDIRECTS_MESSAGE, redirect_request
from ._response import APIResponse, parse_json
from ._retry import is_retryable_status, retry_delay
from ._streaming import AsyncRAGStream, RAGStream, StreamSlots
from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ClientClosedError,
    InvalidRequestError,
    status_error_from_response,
)
from .resources import (
    AsyncDocumentsResource,
    AsyncRawDocumentsResource,
    AsyncRawRetrievalResource,
    AsyncRetrievalResource,
    DocumentsResource,
    RawDocumentsResource,
    RawRetrievalResource,
    RetrievalResource,
)

T = TypeVar("T")


def _connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request)
    why = str(exc) or type(exc).__name__  # anyio's errors can have no message
    return APIConnectionError(f"Connection error: {why}", request=request)


def _closed_error(owned: bool) -> ClientClosedError:
    what = "client" if owned else "HTTP client given to this client"
    return ClientClosedError(
        f"the {what} is closed (by close() or the end of its `with` block): make calls before "
        "closing it, or create a new client"
    )


def _undecodable(exc: httpx.DecodingError) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"the response body could not be decoded ({exc})", response=None
    )


def _unreadable_redirect(exc: UnicodeError) -> APIResponseValidationError:
    # httpx works out the next request of every redirect, even one it will not follow, and
    # lets idna's error for a Location host it cannot decode escape (other bad Location
    # headers become RemoteProtocolError).
    return APIResponseValidationError(
        f"the server redirected to a URL that cannot be read ({exc})", response=None
    )


def _unsendable() -> InvalidRequestError:
    # httpx's message quotes the offending header, which may be a credential: never shown.
    return InvalidRequestError(
        "headers",
        "the request is not valid HTTP: a header has a character HTTP does not allow (a line "
        "break, a control character, leading or trailing whitespace); check extra_headers, "
        "default_headers and the headers of the http_client",
    )


def _stream_slots(given: object) -> StreamSlots:
    """The release policy for our own pool; a pool the user brings keeps every connection."""
    keep = DEFAULT_LIMITS.max_keepalive_connections
    return StreamSlots(sys.maxsize if given is not None or keep is None else keep)


def _retry_wait(
    attempt: int,
    options: RequestOptions[bool],
    request: httpx.Request,
    why: str,
    headers: httpx.Headers | None,
) -> float | None:
    """Seconds to wait before retrying, or None when no retry is left."""
    if attempt >= options.max_retries:
        return None
    delay = retry_delay(attempt, headers)
    note_retry()
    log.info("Retrying %s %s in %.2f s (%s)", request.method, request.url.path, delay, why)
    return delay


class R2RClient(ClientConfig):
    """Synchronous client for the R2R v3 API.

    `R2RClient(base_url)` then `set_api_key(key)` works as in the official SDK. base_url falls
    back to `R2R_API_BASE`, then to the hosted service; api_key to `R2R_API_KEY`.

    Threads: one client may serve many threads at once (its connection pool is thread-safe);
    configure it (set_api_key, set_base_url...) before sharing it. Each RAGStream it returns is
    read by one thread at a time.
    """

    retrieval: RetrievalResource
    documents: DocumentsResource
    _http_type = httpx.Client

    def __init__(
        self,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        custom_client: httpx.Client | None = None,
        *,
        api_key: str | None = None,
        access_token: str | None = None,
        auth_header: str = "bearer",
        token_header: str = "bearer",
        project_name: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        """Configure the client; nothing is sent until the first call.

        Args:
            base_url: The server, e.g. `http://localhost:7272`; `R2R_API_BASE` when None, else
                the hosted service.
            timeout: Seconds (or an `httpx.Timeout`) for every call; 300 s read, 5 s connect
                by default; None waits forever.
            custom_client: The official SDK's name for `http_client`.
            api_key: An API key (sent as `Authorization: Bearer`); `R2R_API_KEY` when neither
                it nor `access_token` is given.
            access_token: A login JWT instead of an API key.
            auth_header: How the API key goes out: `"bearer"` or `"x-api-key"`.
            token_header: How the access token goes out: `"bearer"` or `"token"`.
            project_name: Sent as `x-project-name` on every request.
            max_retries: Retries of a failed attempt (connection errors, 408, 429, >= 500).
            default_headers: Headers sent with every request.
            http_client: An `httpx.Client` to send with (its pool, proxies, TLS); the client
                then does not close it.

        Raises:
            ConfigurationError: A setting is invalid (e.g. both api_key and access_token).
        """
        # From here on no local holds a credential in clear (tracebacks rendered with locals).
        key, token, headers = (
            Secret.of(api_key),
            Secret.of(access_token),
            concealed(default_headers),
        )
        del api_key, access_token, default_headers
        given = http_client or custom_client
        super().__init__(
            base_url,
            timeout,
            api_key=key,
            access_token=token,
            auth_header=auth_header,
            token_header=token_header,
            project_name=project_name,
            max_retries=max_retries,
            default_headers=headers,
            http_client=given,
        )
        self._http = given or httpx.Client(timeout=self.timeout, limits=DEFAULT_LIMITS)
        self._owns_http = given is None
        self._stream_slots = _stream_slots(given)
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.retrieval = RetrievalResource(self)
        self.documents = DocumentsResource(self)

    @property
    def with_raw_response(self) -> RawR2RClient:
        """The same calls, returning the `APIResponse` (status, headers, request id) instead.

        `client.with_raw_response.retrieval.completion(...).parse()` is the parsed result.
        """
        return RawR2RClient(self)

    def close(self) -> None:
        """Close the connection pool (unless it was given by the caller)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        """The client itself; leaving the block closes it."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sending ---------------------------------------------------------------------

    @logged_send
    def _send(
        self, call: PreparedCall[Any], options: RequestOptions[bool], *, stream: bool
    ) -> httpx.Response:
        if self._http.is_closed:
            raise _closed_error(self._owns_http)
        request = self._build_request(self._http, call, options, stream=stream)
        attempt = 0
        while True:
            try:
                response = self._http.send(request, stream=stream, follow_redirects=False)
                if not response.is_success:
                    if response.is_redirect and self._http.follow_redirects:
                        response = self._follow_redirects(response, stream=stream)
                    if not response.is_success:
                        try:  # the error body carries the message; read it, free the connection
                            response.read()
                        finally:
                            response.close()
            except httpx.LocalProtocolError:
                raise _unsendable() from None
            except httpx.DecodingError as exc:
                raise _undecodable(exc) from exc
            except UnicodeError as exc:
                raise _unreadable_redirect(exc) from exc
            except httpx.TransportError as exc:
                delay = _retry_wait(attempt, options, request, type(exc).__name__, None)
                if delay is None:
                    raise _connection_error(exc, request) from exc
            else:
                if response.is_success:
                    return response
                delay = None
                if is_retryable_status(response.status_code):
                    why = f"status {response.status_code}"
                    delay = _retry_wait(attempt, options, request, why, response.headers)
                if delay is None:
                    raise status_error_from_response(response)
            time.sleep(delay)
            attempt += 1

    def _follow_redirects(self, response: httpx.Response, *, stream: bool) -> httpx.Response:
        """Follow redirects as the given http_client asks, never taking a credential elsewhere.

        httpx keeps every header but Authorization on a cross-origin redirect (X-API-Key,
        token...), so the client follows redirects itself (see _redirects).
        """
        history: list[httpx.Response] = []
        while response.is_redirect:
            next_request = redirect_request(response)
            response.read()
            response.close()
            if next_request is None or len(history) >= self._http.max_redirects:
                raise status_error_from_response(
                    response, message=None if next_request is None else MAX_REDIRECTS_MESSAGE
                )
            history.append(response)
            response = self._http.send(next_request, stream=stream, follow_redirects=False)
        response.history = history
        return response

    @overload
    def _request(self, call: PreparedCall[T], options: RequestOptions[Literal[False]]) -> T: ...
    @overload
    def _request(
        self, call: PreparedCall[T], options: RequestOptions[Literal[True]]
    ) -> APIResponse[T]: ...
    def _request(self, call: PreparedCall[T], options: RequestOptions[bool]) -> T | APIResponse[T]:
        response = self._send(call, options, stream=False)
        if options.raw:
            return APIResponse(response, lambda: parse_json(response, call.parse))
        return parse_json(response, call.parse)

    @overload
    def _request_stream(
        self, call: PreparedCall[Any], options: RequestOptions[Literal[False]]
    ) -> RAGStream: ...
    @overload
    def _request_stream(
        self, call: PreparedCall[Any], options: RequestOptions[Literal[True]]
    ) -> APIResponse[RAGStream]: ...
    def _request_stream(
        self, call: PreparedCall[Any], options: RequestOptions[bool]
    ) -> RAGStream | APIResponse[RAGStream]:
        with self._stream_slots:  # the stream counts as open from its request on
            response = self._send(call, options, stream=True)
        stream = RAGStream(response, self._http)._counted_in(self._stream_slots)
        if options.raw:
            return APIResponse(response, lambda: stream)
        return stream


class AsyncR2RClient(ClientConfig):
    """Asynchronous client for the R2R v3 API; the same calls as R2RClient, awaited.

    Threads: it belongs to the event loop it is first used on; share it between tasks of that
    loop, not between threads or loops.
    """

    retrieval: AsyncRetrievalResource
    documents: AsyncDocumentsResource
    _http_type = httpx.AsyncClient

    def __init__(
        self,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        custom_client: httpx.AsyncClient | None = None,
        *,
        api_key: str | None = None,
        access_token: str | None = None,
        auth_header: str = "bearer",
        token_header: str = "bearer",
        project_name: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        """Configure the client; nothing is sent until the first call.

        Args:
            base_url: The server, e.g. `http://localhost:7272`; `R2R_API_BASE` when None, else
                the hosted service.
            timeout: Seconds (or an `httpx.Timeout`) for every call; 300 s read, 5 s connect
                by default; None waits forever.
            custom_client: The official SDK's name for `http_client`.
            api_key: An API key (sent as `Authorization: Bearer`); `R2R_API_KEY` when neither
                it nor `access_token` is given.
            access_token: A login JWT instead of an API key.
            auth_header: How the API key goes out: `"bearer"` or `"x-api-key"`.
            token_header: How the access token goes out: `"bearer"` or `"token"`.
            project_name: Sent as `x-project-name` on every request.
            max_retries: Retries of a failed attempt (connection errors, 408, 429, >= 500).
            default_headers: Headers sent with every request.
            http_client: An `httpx.AsyncClient` to send with (its pool, proxies, TLS); the client
                then does not close it.

        Raises:
            ConfigurationError: A setting is invalid (e.g. both api_key and access_token).
        """
        # From here on no local holds a credential in clear (tracebacks rendered with locals).
        key, token, headers = (
            Secret.of(api_key),
            Secret.of(access_token),
            concealed(default_headers),
        )
        del api_key, access_token, default_headers
        given = http_client or custom_client
        super().__init__(
            base_url,
            timeout,
            api_key=key,
            access_token=token,
            auth_header=auth_header,
            token_header=token_header,
            project_name=project_name,
            max_retries=max_retries,
            default_headers=headers,
            http_client=given,
        )
        mark_sniffio_absent()
        self._http = given or httpx.AsyncClient(timeout=self.timeout, limits=DEFAULT_LIMITS)
        self._owns_http = given is None
        self._stream_slots = _stream_slots(given)
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.retrieval = AsyncRetrievalResource(self)
        self.documents = AsyncDocumentsResource(self)

    @property
    def with_raw_response(self) -> AsyncRawR2RClient:
        """The same calls, returning the `APIResponse` (status, headers, request id) instead.

        `(await client.with_raw_response.retrieval.completion(...)).parse()` is the parsed
        result.
        """
        return AsyncRawR2RClient(self)

    async def close(self) -> None:
        """Close the connection pool (unless it was given by the caller)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        """The client itself; leaving the block closes it."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @alogged_send
    async def _send(
        self, call: PreparedCall[Any], options: RequestOptions[bool], *, stream: bool
    ) -> httpx.Response:
        if self._http.is_closed:
            raise _closed_error(self._owns_http)
        request = self._build_request(self._http, call, options, stream=stream)
        attempt = 0
        while True:
            try:
                response = await self._http.send(request, stream=stream, follow_redirects=False)
                if not response.is_success:
                    if response.is_redirect and self._http.follow_redirects:
                        response = await self._follow_redirects(response, stream=stream)
                    if not response.is_success:
                        try:
                            await response.aread()
                        finally:
                            await response.aclose()
            except httpx.LocalProtocolError:
                raise _unsendable() from None
            except httpx.DecodingError as exc:
                raise _undecodable(exc) from exc
            except UnicodeError as exc:
                raise _unreadable_redirect(exc) from exc
            except httpx.TransportError as exc:
                delay = _retry_wait(attempt, options, request, type(exc).__name__, None)
                if delay is None:
                    raise _connection_error(exc, request) from exc
            else:
                if response.is_success:
                    return response
                delay = None
                if is_retryable_status(response.status_code):
                    why = f"status {response.status_code}"
                    delay = _retry_wait(attempt, options, request, why, response.headers)
                if delay is None:
                    raise status_error_from_response(response)
            await asyncio.sleep(delay)
            attempt += 1

    async def _follow_redirects(self, response: httpx.Response, *, stream: bool) -> httpx.Response:
        history: list[httpx.Response] = []
        while response.is_redirect:
            next_request = redirect_request(response)
            await response.aread()
            await response.aclose()
            if next_request is None or len(history) >= self._http.max_redirects:
                raise status_error_from_response(
                    response, message=None if next_request is None else MAX_REDIRECTS_MESSAGE
                )
            history.append(response)
            response = await self._http.send(next_request, stream=stream, follow_redirects=False)
        response.history = history
        return response

    @overload
    async def _request(
        self, call: PreparedCall[T], options: RequestOptions[Literal[False]]
    ) -> T: ...
    @overload
    async def _request(
        self, call: PreparedCall[T], options: RequestOptions[Literal[True]]
    ) -> APIResponse[T]: ...
    async def _request(
        self, call: PreparedCall[T], options: RequestOptions[bool]
    ) -> T | APIResponse[T]:
        response = await self._send(call, options, stream=False)
        if options.raw:
            return APIResponse(response, lambda: parse_json(response, call.parse))
        return parse_json(response, call.parse)

    @overload
    async def _request_stream(
        self, call: PreparedCall[Any], options: RequestOptions[Literal[False]]
    ) -> AsyncRAGStream: ...
    @overload
    async def _request_stream(
        self, call: PreparedCall[Any], options: RequestOptions[Literal[True]]
    ) -> APIResponse[AsyncRAGStream]: ...
    async def _request_stream(
        self, call: PreparedCall[Any], options: RequestOptions[bool]
    ) -> AsyncRAGStream | APIResponse[AsyncRAGStream]:
        with self._stream_slots:  # the stream counts as open from its request on
            response = await self._send(call, options, stream=True)
        stream = AsyncRAGStream(response, self._http)._counted_in(self._stream_slots)
        if options.raw:
            return APIResponse(response, lambda: stream)
        return stream


class RawR2RClient:
    """`client.with_raw_response`: the client's calls, returning their `APIResponse`."""

    __slots__ = ("documents", "retrieval")

    def __init__(self, client: R2RClient) -> None:
        self.retrieval = RawRetrievalResource(client)
        self.documents = RawDocumentsResource(client)


class AsyncRawR2RClient:
    """`client.with_raw_response` of the async client: calls returning their `APIResponse`."""

    __slots__ = ("documents", "retrieval")

    def __init__(self, client: AsyncR2RClient) -> None:
        self.retrieval = AsyncRawRetrievalResource(client)
        self.documents = AsyncRawDocumentsResource(client)

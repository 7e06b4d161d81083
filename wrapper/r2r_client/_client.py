# Generated from _async_client.py by generator/unasync.py (nox -s generate): do not edit.
"""R2RClient: one pooled connection, retries that can succeed, typed errors.

Generated from `_async_client.py` by generator/unasync.py: edit that file, not this one.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, overload

import httpx

from ._auth import Secret
from ._base_client import (
    DEFAULT_LIMITS,
    BaseClient,
    RequestOptions,
    stream_slots,
)
from ._defaults import DEFAULT_MAX_RETRIES, DEFAULT_RATE_LIMIT_WAIT
from ._headers import concealed
from ._logging import call_started, log_answer, log_failure, log_retry
from ._redirects import MAX_REDIRECTS_MESSAGE, redirect_request
from ._response import APIResponse, parse_json
from ._retry import Retries
from ._status import status_error
from ._transport_errors import (
    closed_error,
    connection_error,
    is_bad_location,
    undecodable,
    unreadable_redirect,
    unsendable,
)
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes, Validation
from .resources import ClientResources

if TYPE_CHECKING:
    from ._requests import PreparedCall
    from ._stream import RAGStream

__all__ = ["R2RClient"]

T = TypeVar("T")


class R2RClient(ClientResources, BaseClient):
    """Synchronous client for the R2R v3 API: `client.retrieval.rag(...)`.

    `R2RClient(base_url)` then `set_api_key(key)` works as in the official SDK. base_url
    falls back to `R2R_API_BASE`, then to the hosted service; api_key to `R2R_API_KEY`.

    Concurrency: one client may serve many threads at once (its connection pool is
    thread-safe); configure it (set_api_key, set_base_url...) before sharing it.
    """

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
        rate_limit_wait: float = DEFAULT_RATE_LIMIT_WAIT,
        validation: Validation = "strict",
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
            max_retries: Retries of an attempt that failed for a transient cause (connection
                errors, 408, 502-504, a 500 from an LLM provider outage); 0 turns every retry
                off, rate-limit waits included.
            rate_limit_wait: Seconds a call may spend waiting out a per-minute rate limit
                (429) before raising RateLimitError; the default covers R2R's one-minute
                window. 0 raises at once.
            validation: The pre-send checks: "strict" refuses a body the API does not accept,
                "warn" sends it with a warning, "off" sends it unchecked.
            default_headers: Headers sent with every request.
            http_client: An `httpx.Client` to send with (its pool, proxies, TLS); the
                client then does not close it.

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
            rate_limit_wait=rate_limit_wait,
            validation=validation,
            default_headers=headers,
            http_client=given,
        )
        self._http = given or httpx.Client(timeout=self.timeout, limits=DEFAULT_LIMITS)
        self._owns_http = given is None
        self._stream_slots = stream_slots(given)
        self._bind_resources()

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

    # -- sending ---------------------------------------------------------------------------

    def _send(
        self, call: PreparedCall[Any], options: RequestOptions[bool], *, stream: bool
    ) -> httpx.Response:
        """Send until an answer succeeds or a failure should not be retried (`_retry`)."""
        if self._http.is_closed:
            raise closed_error(self._given_http is None)
        request = self._build_request(self._http, call, options, stream=stream)
        retries = Retries(options.max_retries, options.rate_limit_wait)
        started = call_started()
        while True:
            try:
                response = self._http.send(request, stream=stream, follow_redirects=False)
                if not response.is_success:
                    if response.is_redirect and self._http.follow_redirects:
                        response = self._follow_redirects(response, call, stream=stream)
                    if not response.is_success:
                        try:  # the error body carries the message; read it, free the connection
                            response.read()
                        finally:
                            response.close()
            except httpx.LocalProtocolError:
                raise unsendable() from None
            except httpx.DecodingError as exc:
                raise undecodable(exc) from exc
            except (UnicodeError, httpx.InvalidURL) as exc:
                raise unreadable_redirect(exc) from exc
            except httpx.TransportError as exc:
                if is_bad_location(exc):  # the same answer every time: not a connection error
                    raise unreadable_redirect(exc) from exc
                delay = retries.after_connection_error()
                if delay is None:
                    error = connection_error(exc, request)
                    log_failure(call, error, started, retries.retries, cause=exc)
                    raise error from exc
                why = type(exc).__name__
            else:
                if response.is_success:
                    log_answer(response, started, retries.retries, stream=stream)
                    return response
                status = status_error(response, operation_id=call.operation_id)
                delay = retries.after(status)
                if delay is None:
                    log_failure(call, status, started, retries.retries)
                    raise status
                why = f"status {response.status_code}"
            if started is not None:
                log_retry(request, delay, why)
            time.sleep(delay)

    def _follow_redirects(
        self, response: httpx.Response, call: PreparedCall[Any], *, stream: bool
    ) -> httpx.Response:
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
                raise status_error(
                    response,
                    operation_id=call.operation_id,
                    message=None if next_request is None else MAX_REDIRECTS_MESSAGE,
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
        from ._stream import RAGStream  # the stream machinery loads with a first stream

        with self._stream_slots:  # the stream counts as open from its request on
            response = self._send(call, options, stream=True)
        stream = RAGStream(response, self._http)._counted_in(self._stream_slots)
        if options.raw:
            return APIResponse(response, lambda: stream)
        return stream

"""R2RClient and AsyncR2RClient: one pooled connection, retries, typed errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

if TYPE_CHECKING:
    from ._requests import PreparedCall

from ._config import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_RETRIES,
    NOT_GIVEN,
    ClientConfig,
    NotGiven,
    RequestOptions,
    TimeoutTypes,
    log,
)
from ._logging import alogged_send, logged_send, note_retry
from ._response import RAW_RESPONSE, APIResponse, parse_json
from ._retry import is_retryable_status, retry_delay
from ._streaming import AsyncRAGStream, RAGStream
from .errors import APIConnectionError, APITimeoutError, status_error_from_response
from .resources import (
    AsyncDocumentsResource,
    AsyncRetrievalResource,
    DocumentsResource,
    RetrievalResource,
)

T = TypeVar("T")


def _connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request)
    return APIConnectionError(f"Connection error: {exc}", request=request)


def _retry_wait(
    attempt: int,
    options: RequestOptions,
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
    """

    retrieval: RetrievalResource
    documents: DocumentsResource

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
        super().__init__(
            base_url,
            timeout,
            api_key=api_key,
            access_token=access_token,
            auth_header=auth_header,
            token_header=token_header,
            project_name=project_name,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        given = http_client or custom_client
        self._http = given or httpx.Client(timeout=self.timeout, limits=DEFAULT_LIMITS)
        self._owns_http = given is None
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.retrieval = RetrievalResource(self)
        self.documents = DocumentsResource(self)

    @property
    def with_raw_response(self) -> _RawR2RClient:
        """Calls that return the APIResponse (status, headers, request id) instead."""
        return _RawR2RClient(self)

    def close(self) -> None:
        """Close the connection pool (unless it was given by the caller)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
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
        self, call: PreparedCall[Any], options: RequestOptions, *, stream: bool
    ) -> httpx.Response:
        request = self._build_request(self._http, call, options, stream=stream)
        attempt = 0
        while True:
            try:
                response = self._http.send(request, stream=stream)
                if not response.is_success:
                    try:  # the error body carries the message; read it, then free the connection
                        response.read()
                    finally:
                        response.close()
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

    def _request(self, call: PreparedCall[T], options: RequestOptions) -> T:
        response = self._send(call, options, stream=False)
        if RAW_RESPONSE.get():
            return APIResponse(response, lambda: parse_json(response, call.parse))  # type: ignore[return-value]
        return parse_json(response, call.parse)

    def _request_stream(self, call: PreparedCall[Any], options: RequestOptions) -> RAGStream:
        response = self._send(call, options, stream=True)
        stream = RAGStream(response)
        if RAW_RESPONSE.get():
            return APIResponse(response, lambda: stream)  # type: ignore[return-value]
        return stream


class AsyncR2RClient(ClientConfig):
    """Asynchronous client for the R2R v3 API; the same calls as R2RClient, awaited."""

    retrieval: AsyncRetrievalResource
    documents: AsyncDocumentsResource

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
        super().__init__(
            base_url,
            timeout,
            api_key=api_key,
            access_token=access_token,
            auth_header=auth_header,
            token_header=token_header,
            project_name=project_name,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        given = http_client or custom_client
        self._http = given or httpx.AsyncClient(timeout=self.timeout, limits=DEFAULT_LIMITS)
        self._owns_http = given is None
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.retrieval = AsyncRetrievalResource(self)
        self.documents = AsyncDocumentsResource(self)

    @property
    def with_raw_response(self) -> _AsyncRawR2RClient:
        """Calls that return the APIResponse (status, headers, request id) instead."""
        return _AsyncRawR2RClient(self)

    async def close(self) -> None:
        """Close the connection pool (unless it was given by the caller)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
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
        self, call: PreparedCall[Any], options: RequestOptions, *, stream: bool
    ) -> httpx.Response:
        request = self._build_request(self._http, call, options, stream=stream)
        attempt = 0
        while True:
            try:
                response = await self._http.send(request, stream=stream)
                if not response.is_success:
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
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

    async def _request(self, call: PreparedCall[T], options: RequestOptions) -> T:
        response = await self._send(call, options, stream=False)
        if RAW_RESPONSE.get():
            return APIResponse(response, lambda: parse_json(response, call.parse))  # type: ignore[return-value]
        return parse_json(response, call.parse)

    async def _request_stream(
        self, call: PreparedCall[Any], options: RequestOptions
    ) -> AsyncRAGStream:
        response = await self._send(call, options, stream=True)
        stream = AsyncRAGStream(response)
        if RAW_RESPONSE.get():
            return APIResponse(response, lambda: stream)  # type: ignore[return-value]
        return stream


class _RawR2RClient:
    def __init__(self, client: R2RClient) -> None:
        from .resources import RawDocuments, RawRetrieval

        self.retrieval = RawRetrieval(client.retrieval)
        self.documents = RawDocuments(client.documents)


class _AsyncRawR2RClient:
    def __init__(self, client: AsyncR2RClient) -> None:
        from .resources import AsyncRawDocuments, AsyncRawRetrieval

        self.retrieval = AsyncRawRetrieval(client.retrieval)
        self.documents = AsyncRawDocuments(client.documents)

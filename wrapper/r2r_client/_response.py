"""Raw access to the HTTP response of any call (`client.with_raw_response`)."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, TypeVar

import httpx

from .errors import APIResponseValidationError, request_id_of

T = TypeVar("T")
P = ParamSpec("P")

# Set while a `with_raw_response` call runs, so the client hands back the APIResponse.
RAW_RESPONSE: contextvars.ContextVar[bool] = contextvars.ContextVar("r2r_raw", default=False)


class APIResponse(Generic[T]):
    """The HTTP response of a call, with the parsed result one `parse()` away."""

    __slots__ = ("_parse", "_parsed", "http_response")

    def __init__(self, http_response: httpx.Response, parse: Callable[[], T]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's request id (`x-request-id` or a variant), if it sent one."""
        return request_id_of(self.http_response)

    @property
    def elapsed(self) -> float:
        """Seconds from sending the request to receiving the response headers."""
        return self.http_response.elapsed.total_seconds()

    def parse(self) -> T:
        """The same result the call returns without `with_raw_response`."""
        if not self._parsed:
            self._parsed.append(self._parse())
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.http_response.request.url.path}>"


def parse_json(response: httpx.Response, parse: Callable[[dict[str, Any]], T]) -> T:
    """Parse a successful JSON body with a generated model; a bad body is a typed error."""
    try:
        body = response.json()
    except ValueError as exc:
        raise APIResponseValidationError(
            f"the {response.status_code} response is not valid JSON ({exc})",
            response=response,
            body=response.text[:200],
        ) from exc
    try:
        return parse(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise APIResponseValidationError(
            f"the response body does not fit the API's schema: {exc!r}",
            response=response,
            body=body,
        ) from exc


def raw(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            RAW_RESPONSE.reset(token)

    return wrapper


def araw(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return await method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            RAW_RESPONSE.reset(token)

    return wrapper

"""Raw access to the HTTP response of any call (`client.with_raw_response`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

from ._status import request_id_of
from .errors import APIResponseValidationError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class APIResponse(Generic[T_co]):
    """The HTTP response of a call (`client.with_raw_response...`), the result one `parse()` away.

    For a stream, `parse()` is the `RAGStream`; its body is read as it is iterated.
    """

    __slots__ = ("_parse", "_parsed", "http_response")

    def __init__(self, http_response: httpx.Response, parse: Callable[[], T_co]) -> None:
        """Wrap `http_response`; `parse` makes the result (called once, on first `parse()`)."""
        self.http_response = http_response
        self._parse = parse
        self._parsed: list[T_co] = []

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
        """The server's id for the request (`x-request-id` and the like), if it sent one."""
        return request_id_of(self.http_response)

    @property
    def elapsed(self) -> float:
        """Seconds from sending the request to the end of the response headers."""
        return self.http_response.elapsed.total_seconds()

    def parse(self) -> T_co:
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

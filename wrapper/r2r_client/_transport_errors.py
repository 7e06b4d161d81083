"""What a failed exchange becomes when no status arrived: typed errors that say what to do.

Nothing raw from httpx escapes a call: its exceptions become these (the error for an answer
with an error status is `_status.status_error`).
"""

from __future__ import annotations

import httpx

from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ClientClosedError,
    InvalidRequestError,
)


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request)
    why = str(exc) or type(exc).__name__  # anyio's errors can have no message
    return APIConnectionError(f"Connection error: {why}", request=request)


def closed_error(owned: bool) -> ClientClosedError:
    what = "client" if owned else "HTTP client given to this client"
    return ClientClosedError(
        f"the {what} is closed (by close() or the end of its `with` block): make calls before "
        "closing it, or create a new client"
    )


def undecodable(exc: httpx.DecodingError) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"the response body could not be decoded ({exc})", response=None
    )


def unreadable_redirect(exc: Exception) -> APIResponseValidationError:
    # httpx works out the next request of every redirect, even one it will not follow, and
    # lets idna's error for a Location host it cannot decode escape (other bad Location
    # headers become RemoteProtocolError).
    return APIResponseValidationError(
        f"the server redirected to a URL that cannot be read ({exc})", response=None
    )


def is_bad_location(exc: httpx.TransportError) -> bool:
    """Whether httpx refused a redirect's Location (its next request), not the connection.

    httpx works out the next request of every redirect, even one it will not follow, and raises
    RemoteProtocolError("Invalid URL in location header ...") when it cannot: the server answers
    the same every time, so it is not retried as a broken connection would be.
    """
    return isinstance(exc, httpx.RemoteProtocolError) and str(exc).startswith(
        "Invalid URL in location header"
    )


def unsendable() -> InvalidRequestError:
    # httpx's message quotes the offending header, which may be a credential: never shown.
    return InvalidRequestError(
        "headers",
        "the request is not valid HTTP: a header has a character HTTP does not allow (a line "
        "break, a control character, leading or trailing whitespace); check extra_headers, "
        "default_headers and the headers of the http_client",
    )

"""The exceptions raised by r2r_client.

Everything derives from `R2RError`, also exported as `R2RException` so that code written for
the official SDK (`except R2RException as e: e.status_code, e.message`) keeps working.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from r2r_api import models  # a lazy package: names the models without loading them

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "IncompleteStreamError",
    "InternalServerError",
    "InvalidRequestError",
    "NotAStreamError",
    "NotFoundError",
    "PermissionDeniedError",
    "R2RError",
    "R2RException",
    "RateLimitError",
    "StreamConsumedError",
    "StreamDisconnectedError",
    "StreamEventError",
    "UnprocessableEntityError",
]

_EXCERPT_CHARS = 200
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id")


class R2RError(Exception):
    """Root of every error this client raises."""

    message: str
    status_code: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


R2RException = R2RError
"""Alias kept for code written against the official SDK."""


class ConfigurationError(R2RError, ValueError):
    """The client's configuration is contradictory (e.g. two credentials at once)."""


class InvalidRequestError(R2RError, ValueError):
    """An argument is wrong; raised before anything is sent. `field` names it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class ClientClosedError(R2RError, RuntimeError):
    """The client (or the HTTP client it was given) is closed: create a new one."""


class NotAStreamError(R2RError, TypeError):
    """A result that was not streamed was iterated: ask for a stream with `stream=True`."""


class StreamConsumedError(R2RError, RuntimeError):
    """A stream was iterated after it ended or was closed: a stream is read once."""


class APIConnectionError(R2RError):
    """The server could not be reached, or the connection broke."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""

    def __init__(self, request: httpx.Request, message: str = "Request timed out.") -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(R2RError):
    """A successful response whose body is not what the API promises (e.g. truncated JSON)."""

    def __init__(
        self, message: str, *, response: httpx.Response | None, body: object = None
    ) -> None:
        super().__init__(message)
        self.response = response
        self.status_code: int | None = response.status_code if response is not None else None
        self.body = body


class APIStatusError(R2RError):
    """The server answered with an error status (4xx or 5xx)."""

    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id: str | None = request_id_of(response)

    def __str__(self) -> str:
        return f"Error code: {self.status_code} - {self.message}"


class BadRequestError(APIStatusError):
    """400: the server refused the request (e.g. two credentials)."""

    status_code = 400


class AuthenticationError(APIStatusError):
    """401: no credential, or a wrong one."""

    status_code = 401


class PermissionDeniedError(APIStatusError):
    """403: the credential may not do this."""

    status_code = 403


class NotFoundError(APIStatusError):
    """404: no such document (or route)."""

    status_code = 404


class ConflictError(APIStatusError):
    """409: the request conflicts with the server's state."""

    status_code = 409


class UnprocessableEntityError(APIStatusError):
    """422: `errors` holds the server's validation errors (`loc`, `msg`, `type`, `input`)."""

    status_code = 422

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response=response, body=body)
        self.errors: list[models.ValidationErrorItem] = _validation_errors(body)


class RateLimitError(APIStatusError):
    """429: too many requests; retried after `Retry-After`."""

    status_code = 429


class InternalServerError(APIStatusError):
    """Any status >= 500."""


class StreamEventError(R2RError):
    """The server sent an `error` event in a stream."""

    def __init__(self, message: str, *, error_type: str | None, data: object) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.data = data


class IncompleteStreamError(R2RError):
    """A stream ended without `final_answer`/`done`: the answer is not complete.

    A real server does this, with status 200, when its LLM fails after the search. `text` is
    the answer received so far and `events` the events received (message deltas are in `text`).
    """

    def __init__(self, message: str, *, text: str, events: list[RAGEvent]) -> None:
        super().__init__(message)
        self.text = text
        self.events = events


class StreamDisconnectedError(APIConnectionError):
    """The connection broke in the middle of a stream. Carries what was received so far."""

    def __init__(
        self, message: str, *, request: httpx.Request, text: str, events: list[RAGEvent]
    ) -> None:
        super().__init__(message, request=request)
        self.text = text
        self.events = events


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def request_id_of(response: httpx.Response) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value: str | None = response.headers.get(name)
        if value:
            return value
    return None


def status_error_from_response(
    response: httpx.Response, *, message: str | None = None
) -> APIStatusError:
    """Build the typed error for an error response whose body has been read."""
    body = _decode_body(response)
    if message is None:
        message = _message_from_body(body, response)
    cls = _STATUS_CLASSES.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    return cls(message, response=response, body=body)


def _decode_body(response: httpx.Response) -> object:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return response.text


def _message_from_body(body: object, response: httpx.Response) -> str:
    """Pick the human message out of whichever of R2R's error shapes arrived."""
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):  # R2R's own errors
            return str(body["message"])
        detail = body.get("detail")
        if isinstance(detail, str):  # the web framework's plain errors
            return detail
        if isinstance(detail, dict) and isinstance(detail.get("message"), str):  # unexpected 500
            return str(detail["message"])
        if isinstance(detail, list) and detail:  # validation errors
            return "; ".join(_describe_validation_item(item) for item in detail)
        return _excerpt(json.dumps(body))
    if isinstance(body, str) and body.strip():
        return _excerpt(_strip_tags(body))
    if response.is_redirect:
        return (
            f"redirected to {_where(response)} (not followed: point base_url there, or give "
            "an http_client with follow_redirects=True)"
        )
    return response.reason_phrase or f"HTTP {response.status_code}"


def _where(response: httpx.Response) -> str:
    """A redirect's target without what may carry a secret (user info, query)."""
    try:
        url = response.request.url.join(response.headers["location"])
    except httpx.InvalidURL:
        return "an address that is not a valid URL"
    return str(url.copy_with(userinfo=b"", query=None, fragment=None))


def _describe_validation_item(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    loc = ".".join(str(part) for part in item.get("loc", []) if part not in ("body",))
    msg = str(item.get("msg", "invalid"))
    return f"{loc}: {msg}" if loc else msg


def _validation_errors(body: object) -> list[models.ValidationErrorItem]:
    if not isinstance(body, dict) or not isinstance(body.get("detail"), list):
        return []
    items = []
    for raw in body["detail"]:
        try:
            items.append(models.ValidationErrorItem.from_dict(raw))
        except (KeyError, TypeError, ValueError):
            continue
    return items


_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


def _strip_tags(text: str) -> str:
    return _TAG.sub(" ", text)


def _excerpt(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1] + "…"


# Last: events imports this module (RAGEvent names the events in the stream errors' hints).
from .events import RAGEvent  # noqa: E402

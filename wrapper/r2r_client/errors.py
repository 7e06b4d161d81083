"""The exceptions raised by r2r_client: data only (how a response becomes one: `_status`).

Everything derives from `R2RError`, also exported as `R2RException` so that code written for
the official SDK (`except R2RException as e: e.status_code, e.message`) keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import httpx

if TYPE_CHECKING:
    from r2r_api import models

    from .events import RAGEvent

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
    "QuotaExceededError",
    "R2RError",
    "R2RException",
    "RateLimitError",
    "StreamConsumedError",
    "StreamDisconnectedError",
    "StreamEventError",
    "UnprocessableEntityError",
]

RateLimit = Literal["global_per_min", "route_per_min", "monthly_limit"]
"""R2R's names for its limits: requests per minute on all routes, on one route, and a month's."""


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
    """The server answered with an error status (4xx or 5xx).

    `body` is what the server sent (parsed JSON, else text), `message` what to tell a user: the
    server's words, with advice for this client where they would mislead.
    """

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        request_id: str | None = None,
        retry_after: float | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id = request_id
        self.retry_after = retry_after
        """Seconds the server asked to wait before retrying (Retry-After), if it said."""
        self.error_type = error_type
        """The server's name for the failure (R2R's `error_type`, e.g. `AttributeError`)."""

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

    @property
    def errors(self) -> list[models.ValidationErrorItem]:
        """The server's validation errors (`loc`, `msg`, `type`, `input`), read from `body`."""
        from r2r_api import models  # a lazy package: loads the one model

        detail = self.body.get("detail") if isinstance(self.body, dict) else None
        items = []
        for raw in detail if isinstance(detail, list) else []:
            try:
                items.append(models.ValidationErrorItem.from_dict(raw))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
        return items


class RateLimitError(APIStatusError):
    """429: a rate limit ran out, and waiting did not help within `rate_limit_wait`.

    `limit` names it with R2R's own names: `"global_per_min"` (requests per minute on all
    routes), `"route_per_min"` (on this route), `"monthly_limit"` (this route's monthly quota:
    a QuotaExceededError), or None when the server did not say. `retry_after` is the wait the
    server asked for, in seconds, if it did.
    """

    status_code = 429
    limit: RateLimit | None = None


class QuotaExceededError(RateLimitError):
    """429: the monthly quota (`monthly_limit`) is used up; it frees next month, so it is never
    retried."""

    limit: RateLimit | None = "monthly_limit"


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

"""What an error response means: the typed error, with the server's words and advice that fits.

R2R answers errors in several shapes (its own `{"message", "error_type"}`, the web framework's
`{"detail": "..."}`, unexpected failures as `{"detail": {"message", "error", "error_type"}}`,
or plain text from outside its handlers). This module reads whichever arrived, keeps it in
`.body`, and phrases `.message` for a user of this client: which rate limit ran out, how to pass
a key here (not with R2R's own CLI), why a document the user can read answers 404.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx

from ._auth import CREDENTIAL_HEADERS
from .errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimit,
    RateLimitError,
    UnprocessableEntityError,
)

_EXCERPT_CHARS = 200
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id")
_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
# R2R 3.6.6's words for its limits (core/providers/database/limits.py, check_limits).
_LIMITS: dict[str, RateLimit] = {
    "global per-minute rate limit exceeded": "global_per_min",
    "per-route per-minute rate limit exceeded": "route_per_min",
    "monthly rate limit exceeded": "monthly_limit",
}
_LIMIT_ADVICE: dict[RateLimit, str] = {
    "global_per_min": "your requests per minute on all routes (global_per_min) ran out",
    "route_per_min": "your requests per minute on this route (route_per_min) ran out",
    "monthly_limit": (
        "this route's monthly quota (monthly_limit) is used up; it frees at the start of the "
        "next month (UTC), so it was not retried: ask the service for a higher limit"
    ),
}
NO_CREDENTIALS_ADVICE = (
    "no credentials were sent: give the client an API key (R2RClient(api_key=...) or the "
    "R2R_API_KEY environment variable), or a login token (access_token=...)"
)
REFUSED_CREDENTIALS_ADVICE = (
    "check the API key (api_key= or R2R_API_KEY) or the login token (access_token=) given to "
    "the client"
)
METADATA_OWNER_ADVICE = (
    "only the document's owner may change its metadata: a document shared with you through a "
    "collection answers 404 too"
)


def request_id_of(response: httpx.Response) -> str | None:
    """The server's id of the request, from the first header that carries one."""
    for name in _REQUEST_ID_HEADERS:
        value: str | None = response.headers.get(name)
        if value:
            return value
    return None


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait that the server asked for (`retry-after-ms`, `Retry-After`), if any."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    import email.utils  # only an HTTP date needs it: not imported with r2r_client

    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def status_error(
    response: httpx.Response, *, operation_id: str | None = None, message: str | None = None
) -> APIStatusError:
    """The typed error for an error response whose body has been read."""
    body = _decode(response)
    status = response.status_code
    limit = _rate_limit(body) if status == 429 else None
    cls = _STATUS_CLASSES.get(status)
    if limit == "monthly_limit":
        cls = QuotaExceededError
    elif cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    if message is None:
        message = _advised(_message(body, response), response, limit, operation_id)
    error = cls(
        message,
        response=response,
        body=body,
        request_id=request_id_of(response),
        retry_after=retry_after(response.headers),
        error_type=_error_type(body),
    )
    if isinstance(error, RateLimitError) and limit is not None:
        error.limit = limit
    return error


def _decode(response: httpx.Response) -> object:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return response.text


def _rate_limit(body: object) -> RateLimit | None:
    detail = body.get("detail") if isinstance(body, dict) else body
    if not isinstance(detail, str):
        return None
    return _LIMITS.get(detail.strip().rstrip(".").lower())


def _error_type(body: object) -> str | None:
    """R2R's `error_type` (the Python exception's class for an unexpected failure)."""
    if not isinstance(body, dict):
        return None
    detail = body.get("detail")
    found = detail.get("error_type") if isinstance(detail, dict) else body.get("error_type")
    return found if isinstance(found, str) and found else None


def _advised(
    said: str, response: httpx.Response, limit: RateLimit | None, operation_id: str | None
) -> str:
    status = response.status_code
    if limit is not None:
        return f"{said}: {_LIMIT_ADVICE[limit]}"
    if status == 401:
        sent = {name.lower() for name in response.request.headers}
        if not sent & CREDENTIAL_HEADERS:
            return NO_CREDENTIALS_ADVICE
        return f"{said} ({REFUSED_CREDENTIALS_ADVICE})"
    if status == 404 and operation_id == "replace_document_metadata":
        return f"{said} ({METADATA_OWNER_ADVICE})"
    return said


def _message(body: object, response: httpx.Response) -> str:
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


_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


def _strip_tags(text: str) -> str:
    return _TAG.sub(" ", text)


def _excerpt(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1] + "…"

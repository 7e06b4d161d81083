"""When to retry, and how long to wait first."""

from __future__ import annotations

import email.utils
import random
import time

import httpx

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0


def is_retryable_status(status_code: int) -> bool:
    return status_code in (408, 429) or status_code >= 500


def retry_delay(attempt: int, headers: httpx.Headers | None = None) -> float:
    """Seconds to wait before retry number `attempt` (0 for the first retry).

    The server's `retry-after-ms` / `Retry-After` (seconds or an HTTP date) wins when it is
    between 0 and 60 s; otherwise exponential backoff with jitter, capped at MAX_DELAY.
    """
    if headers is not None:
        asked = server_retry_after(headers)
        if asked is not None and 0 <= asked <= MAX_RETRY_AFTER:
            return asked
    delay = min(INITIAL_DELAY * 2.0**attempt, MAX_DELAY)
    return delay * (1.0 - 0.25 * random.random())


def server_retry_after(headers: httpx.Headers) -> float | None:
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return float(raw_ms) / 1000.0
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())

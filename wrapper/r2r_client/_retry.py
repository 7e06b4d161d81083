"""When to retry a failed attempt, and how long to wait first: only what can succeed.

Decided on evidence (R2R 3.6.6's source and the real server's answers, see
docs/pages/errors.md "Retries"):

- a connection error, 408, 502, 503 and 504 are transient: retried with exponential backoff and
  jitter, at most `max_retries` times, after the server's `Retry-After` when it gives one (up to
  a minute; a longer one is not waited for, and stays on the error as `retry_after`);
- a 500 is retried only when R2R's `error_type` names a transient cause: its LLM provider was
  unreachable, overloaded or too slow (litellm's and openai's `APIConnectionError`, `Timeout`,
  `RateLimitError`, `ServiceUnavailableError`, ...; R2R already retried its LLM call three times
  itself, core/base/providers/llm.py). An `error_type` that is a programming error
  (`AttributeError`, `KeyError`, `TypeError`, `ValidationError`, ...) or a refusal
  (`BadRequestError`, `AuthenticationError`, ...) fails the same way every time, and R2R counts
  every attempt against the user's quota (it logs a request in a `finally`, 500s included), so
  it is not retried; nor is one it does not name at all, except a bare 500 without R2R's body
  (a proxy's). The rag route hides the class in an `HTTPException`: there the wrapped text
  decides (`_wrapped_transient`);
- a per-minute 429 (`global_per_min`, `route_per_min`; R2R sends no Retry-After) is waited out:
  R2R counts a user's requests of the last 60 seconds, refused ones not included, so the window
  frees at most 60 s after the first refusal. The client polls on a growing schedule (2, 4, 8,
  then every 15 s) within the call's `rate_limit_wait` budget, with a last attempt at its end;
  `max_retries` does not cap these (only `max_retries=0` turns them off, with every retry);
- a monthly 429 (`monthly_limit`, QuotaExceededError) frees next month: never retried;
- any 4xx other than 408 and 429 is the request's fault: never retried.
"""

from __future__ import annotations

import random
import re
from functools import cache

from .errors import APIStatusError, QuotaExceededError, RateLimitError

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # the longest Retry-After waited for outside rate limits
RATE_LIMIT_STEPS = (2.0, 4.0, 8.0)  # then every RATE_LIMIT_POLL seconds
RATE_LIMIT_POLL = 15.0

_TRANSIENT_STATUSES = frozenset({408, 502, 503, 504})
# R2R's `error_type` for failures of its LLM provider or of the network to it (litellm and
# openai exception classes; TimeoutError is R2R's own request timeout).
TRANSIENT_ERROR_TYPES = frozenset(
    {
        "APIConnectionError",
        "APIError",
        "APITimeoutError",
        "ConnectError",
        "ConnectTimeout",
        "ConnectionError",
        "ConnectionResetError",
        "InternalServerError",
        "MidStreamFallbackError",
        "RateLimitError",
        "ReadTimeout",
        "RemoteProtocolError",
        "ServiceUnavailableError",
        "Timeout",
        "TimeoutError",
    }
)


@cache
def _wrapped_transient() -> re.Pattern[str]:
    """R2R's rag route wraps its failures as HTTPException("Internal RAG Error - <error>"),
    which hides the class; the text still names an outage: litellm's exception name
    ("litellm.ServiceUnavailableError: ..."), the openai SDK's words for a provider's status or
    lost connection ("Error code: 503 - ...", "Connection error.", "Request timed out.").
    R2R's own "502: Server not reachable or returned an invalid response" is what a provider's
    malformed answer gives (measured: one LLM call, the same each time), so it is not among
    them. Compiled on first use."""
    names = "|".join(sorted(TRANSIENT_ERROR_TYPES))
    return re.compile(
        rf"\b(?:litellm|openai)\.(?:{names})\b|Error code: (?:408|429|5\d\d)\b"
        r"|Connection error\.|Request timed out\."
    )


def backoff(attempt: int) -> float:
    """Seconds before retry number `attempt` (0 first): exponential, jittered, capped."""
    delay = min(INITIAL_DELAY * 2.0**attempt, MAX_DELAY)
    return delay * (1.0 - 0.25 * random.random())


def rate_limit_delay(polls: int, waited: float, budget: float) -> float | None:
    """Seconds before the next try against a per-minute limit, or None when the budget is spent.

    `polls` tries have been waited for so far, `waited` seconds in all. The last wait ends at
    the budget's end exactly: the window has freed by then if the budget covers a minute.
    """
    left = budget - waited
    if left <= 0.05:
        return None
    step = RATE_LIMIT_STEPS[polls] if polls < len(RATE_LIMIT_STEPS) else RATE_LIMIT_POLL
    step *= 1.0 - 0.1 * random.random()
    return min(step, left)


def is_transient(error: APIStatusError) -> bool:
    """Whether a status error other than 429 may go away on its own (see the module's doc)."""
    status = error.status_code
    if status in _TRANSIENT_STATUSES:
        return True
    if status != 500:
        return False
    kind = error.error_type
    if kind is None:
        return not isinstance(error.body, dict)  # a bare 500, not R2R's own body: a proxy's
    if kind in TRANSIENT_ERROR_TYPES:
        return True
    if kind != "HTTPException" or not isinstance(error.body, dict):
        return False
    detail = error.body.get("detail")
    wrapped = detail.get("error") if isinstance(detail, dict) else None
    return isinstance(wrapped, str) and _wrapped_transient().search(wrapped) is not None


def is_rate_limit(error: APIStatusError) -> bool:
    """A 429 that waiting can fix (not a monthly quota)."""
    return isinstance(error, RateLimitError) and not isinstance(error, QuotaExceededError)


class Retries:
    """The retry decisions of one call: how long to wait before the next attempt, or None.

    Both clients' send loops drive it, so the policy is written once. On giving up, the error's
    message says why it was not retried (or what waiting was tried).
    """

    __slots__ = ("budget", "max_retries", "polls", "retries", "waited")

    def __init__(self, max_retries: int, rate_limit_wait: float) -> None:
        self.max_retries = max_retries
        self.budget = rate_limit_wait if max_retries else 0.0
        self.retries = 0  # attempts retried so far (for the log)
        self.polls = 0  # of which waits for a rate limit
        self.waited = 0.0  # seconds waited for rate limits

    def after_connection_error(self) -> float | None:
        if self.retries - self.polls >= self.max_retries:
            return None
        return self._retry(backoff(self.retries - self.polls))

    def after(self, error: APIStatusError) -> float | None:
        """The wait before retrying after `error`, or None (its message then says why)."""
        if is_rate_limit(error):
            return self._after_rate_limit(error)
        if isinstance(error, QuotaExceededError) or not is_transient(error):
            if error.status_code >= 500 and error.error_type is not None:
                _explain(
                    error,
                    f"R2R failed with {error.error_type}, which this request meets every time: "
                    "not retried (each attempt would count against your quota)",
                )
            return None
        if self.retries - self.polls >= self.max_retries:
            return None
        asked = error.retry_after
        if asked is not None:
            if asked > MAX_RETRY_AFTER:
                _explain(error, f"the server asks to wait {asked:g} s before retrying: not waited")
                return None
            return self._retry(asked)
        return self._retry(backoff(self.retries - self.polls))

    def _after_rate_limit(self, error: APIStatusError) -> float | None:
        if self.budget <= 0:
            why = "max_retries=0" if not self.max_retries else "rate_limit_wait=0"
            known = isinstance(error, RateLimitError) and error.limit is not None
            frees = "; the limit frees within a minute" if known else ""
            _explain(error, f"not retried ({why}){frees}")
            return None
        asked = error.retry_after
        if asked is not None:
            if self.waited + asked > self.budget:
                _explain(
                    error,
                    f"the server asks to wait {asked:g} s, more than is left of rate_limit_wait "
                    f"({self.budget:g} s): not retried",
                )
                return None
            delay: float | None = asked
        else:
            delay = rate_limit_delay(self.polls, self.waited, self.budget)
        if delay is None:
            _explain(
                error,
                f"still refused after waiting {self.waited:.0f} s (rate_limit_wait="
                f"{self.budget:g}): slow down, or ask the service for a higher limit",
            )
            return None
        self.polls += 1
        self.waited += delay
        return self._retry(delay)

    def _retry(self, delay: float) -> float:
        self.retries += 1
        return delay


def _explain(error: APIStatusError, note: str) -> None:
    """Add why the error was not retried to its message (and so to str())."""
    error.message = f"{error.message}; {note}"
    error.args = (error.message,)

"""Request logging: `R2R_LOG=info|debug`, or the standard `logging.getLogger("r2r_client")`.

- INFO: one line per call, once its response has arrived (or failed for good): method, path,
  status, elapsed time (retries and back-off included; for a stream, up to its headers), the
  retries taken and the server's request id.
- DEBUG: the request's and the response's headers too, every credential masked by
  `_masking.mask_headers`, whatever header it travels in.
- Bodies: never, unless `R2R_LOG_BODIES=1` (then at DEBUG; streamed bodies are not logged).

The environment is read when a client is created, like openai's `OPENAI_LOG`. With logging
off, the cost per call is one `isEnabledFor` check.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import TYPE_CHECKING, Any

import httpx

from ._masking import MASK, is_secret_header, mask_headers
from ._status import request_id_of
from .errors import APIConnectionError, APIStatusError

if TYPE_CHECKING:
    from ._requests import PreparedCall

log = logging.getLogger("r2r_client")

_LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
_BODY_LIMIT = 100_000  # characters of one body in a log line
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_log_bodies = False
_handler: logging.Handler | None = None


def configure_from_env() -> None:
    """Apply `R2R_LOG` and `R2R_LOG_BODIES`; called when a client is created.

    `R2R_LOG` sets the level of the `r2r_client` logger and, when neither it nor the root
    logger has a handler yet, gives it one that writes to stderr. Unset, it changes nothing,
    so an application's own logging configuration stays in charge.
    """
    global _log_bodies, _handler
    _log_bodies = os.environ.get("R2R_LOG_BODIES", "").strip() == "1"
    level = _LEVELS.get(os.environ.get("R2R_LOG", "").strip().lower())
    if level is None:
        return
    log.setLevel(level)
    if _handler is None and not log.handlers and not logging.getLogger().handlers:
        _handler = logging.StreamHandler(sys.stderr)
        _handler.setFormatter(logging.Formatter(_FORMAT))
        log.addHandler(_handler)


# -- what the clients' send loops call ------------------------------------------------------


def call_started() -> float | None:
    """When a logged call started, or None when INFO is off (then nothing else logs)."""
    return time.perf_counter() if log.isEnabledFor(logging.INFO) else None


def log_retry(request: httpx.Request, delay: float, why: str) -> None:
    log.info("Retrying %s %s in %.2f s (%s)", request.method, request.url.path, delay, why)


def log_answer(
    response: httpx.Response, started: float | None, retries: int, *, stream: bool
) -> None:
    """The call's line, once its answer arrived (`started`: from `call_started`)."""
    if started is not None:
        _log_response(response, time.perf_counter() - started, retries, stream=stream)


def log_failure(
    call: PreparedCall[Any],
    exc: APIStatusError | APIConnectionError,
    started: float | None,
    retries: int,
    *,
    cause: BaseException | None = None,
) -> None:
    """The call's line, when it failed for good (`cause`: httpx's error, for its class)."""
    if started is not None:
        _log_failure(call, exc, time.perf_counter() - started, retries, cause)


# -- formatting, shared by both twins ------------------------------------------------------


def _log_response(response: httpx.Response, elapsed: float, retries: int, *, stream: bool) -> None:
    request = response.request
    secrets = _secrets(request.headers)
    _debug_exchange(request, response, secrets, body_read=not stream)
    log.info(
        "%s %s %d %.3fs retries=%d request_id=%s%s",
        request.method,
        request.url.path,
        response.status_code,
        elapsed,
        retries,
        request_id_of(response) or "-",
        " (stream opened)" if stream else "",
    )


def _log_failure(
    call: PreparedCall[Any],
    exc: APIStatusError | APIConnectionError,
    elapsed: float,
    retries: int,
    cause: BaseException | None,
) -> None:
    if isinstance(exc, APIStatusError):
        _log_response(exc.response, elapsed, retries, stream=False)
        return
    request = exc.request
    _debug_exchange(request, None, _secrets(request.headers), body_read=False)
    log.info(
        "%s %s failed %.3fs retries=%d error=%s",
        call.method,
        request.url.path,
        elapsed,
        retries,
        type(cause).__name__ if cause is not None else type(exc).__name__,
    )


def _debug_exchange(
    request: httpx.Request,
    response: httpx.Response | None,
    secrets: list[str],
    *,
    body_read: bool,
) -> None:
    if not log.isEnabledFor(logging.DEBUG):
        return
    url = request.url
    log.debug(
        "request %s %s://%s%s headers=%s",
        request.method,
        url.scheme,
        url.netloc.decode("ascii"),  # never the userinfo
        url.path,
        _shown(request.headers, secrets),
    )
    if _log_bodies:
        log.debug("request body=%s", _body(request.content, secrets))
    if response is None:
        return
    log.debug(
        "response %d headers=%s",
        response.status_code,
        _shown(response.headers, secrets),
    )
    if _log_bodies:
        shown = _body(response.content, secrets) if body_read else "(streamed, not logged)"
        log.debug("response body=%s", shown)


def _shown(headers: httpx.Headers, secrets: list[str]) -> dict[str, str]:
    """The headers as sent or received (names in their own case), credentials masked."""
    items = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers.raw]
    return dict(mask_headers(items, secrets))


def _secrets(headers: httpx.Headers) -> list[str]:
    """The credentials this request carries, so that they are masked wherever they appear."""
    found = []
    for name, value in headers.multi_items():
        if is_secret_header(name):
            _scheme, space, rest = value.partition(" ")
            found.append(rest.strip() if space and name.lower() == "authorization" else value)
    return [secret for secret in found if secret]


def _body(content: bytes, secrets: list[str]) -> str:
    text = content.decode("utf-8", errors="replace")
    for secret in secrets:  # a key echoed in a body stays out of the log too
        text = text.replace(secret, MASK)
    if len(text) > _BODY_LIMIT:
        return f"{text[:_BODY_LIMIT]}… ({len(text) - _BODY_LIMIT} more characters)"
    return text

"""Request logging in detail, in-process: what R2R_LOG configures, and each line exactly.

test_logging.py shows the behaviour through whole calls; here configure_from_env's effect on
the logger, the handler it adds, and the formatting helpers are pinned one by one.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from r2r_client import _logging as r2r_logging
from r2r_client._auth import MASK
from r2r_client.errors import APIConnectionError, APIStatusError

LOGGER = logging.getLogger("r2r_client")


@contextlib.contextmanager
def bare_root() -> Iterator[None]:
    """The root logger without handlers (pytest adds its own during a test), then as it was."""
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers.clear()
    try:
        yield
    finally:
        root.handlers[:] = saved


URL = "http://user:pw@h:8/api/v3/retrieval/rag"


@pytest.fixture(autouse=True)
def _pristine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No handler on r2r_client, logging off; all restored after."""
    monkeypatch.delenv("R2R_LOG", raising=False)
    monkeypatch.delenv("R2R_LOG_BODIES", raising=False)
    monkeypatch.setattr(LOGGER, "handlers", [])
    monkeypatch.setattr(r2r_logging, "_handler", None)
    monkeypatch.setattr(r2r_logging, "_log_bodies", False)
    level = LOGGER.level
    yield
    LOGGER.setLevel(level)


@pytest.mark.parametrize(
    ("value", "level"), [("info", logging.INFO), (" DEBUG\n", logging.DEBUG), ("Info", 20)]
)
def test_r2r_log_sets_the_level_and_adds_one_stderr_handler(
    value: str, level: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("R2R_LOG", value)
    LOGGER.setLevel(logging.NOTSET)
    with bare_root():
        r2r_logging.configure_from_env()
        assert LOGGER.level == level
        [handler] = LOGGER.handlers
        assert handler is r2r_logging._handler
        assert isinstance(handler, logging.StreamHandler)
        assert handler.stream is stderr
        r2r_logging.configure_from_env()  # a second client adds no second handler
    assert LOGGER.handlers == [handler]
    LOGGER.info("hello %s", "there")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO r2r_client: hello there\n", stderr.getvalue()
    ), stderr.getvalue()


@pytest.mark.parametrize("value", [None, "", "warning", "1", "verbose"])
def test_other_values_change_nothing(value: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if value is not None:
        monkeypatch.setenv("R2R_LOG", value)
    LOGGER.setLevel(logging.WARNING)
    with bare_root():
        r2r_logging.configure_from_env()
    assert LOGGER.level == logging.WARNING
    assert LOGGER.handlers == []
    assert r2r_logging._handler is None


@pytest.mark.parametrize("where", ["root", "r2r_client"])
def test_an_existing_handler_stays_in_charge(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = logging.NullHandler()
    logger = logging.getLogger() if where == "root" else LOGGER
    monkeypatch.setenv("R2R_LOG", "debug")
    with bare_root():
        logger.addHandler(theirs)
        try:
            r2r_logging.configure_from_env()
            added = [h for h in LOGGER.handlers if h is not theirs]
        finally:
            logger.removeHandler(theirs)
    assert LOGGER.level == logging.DEBUG
    assert r2r_logging._handler is None
    assert added == []


def test_the_handler_is_not_added_twice_even_when_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    with bare_root():
        r2r_logging.configure_from_env()
        assert LOGGER.handlers == [r2r_logging._handler]
        LOGGER.handlers = []  # the application took it away: it stays away
        r2r_logging.configure_from_env()
    assert LOGGER.handlers == []


@pytest.mark.parametrize(("value", "on"), [("1", True), (" 1 ", True), ("0", False), ("", False)])
def test_r2r_log_bodies(value: str, on: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2R_LOG_BODIES", value)
    r2r_logging.configure_from_env()
    assert r2r_logging._log_bodies is on
    monkeypatch.delenv("R2R_LOG_BODIES")
    r2r_logging.configure_from_env()
    assert r2r_logging._log_bodies is False


# -- the helpers ----------------------------------------------------------------------------


def test_body_limit_is_exact() -> None:
    limit = r2r_logging._BODY_LIMIT
    assert limit == 100_000
    assert r2r_logging._body(b"x" * limit, []) == "x" * limit
    assert r2r_logging._body(b"x" * (limit + 3), []) == "x" * limit + "… (3 more characters)"


def test_body_masks_secrets_and_replaces_bad_bytes() -> None:
    assert r2r_logging._body("é s3cr3t \xff".encode() + b"\xff", ["s3cr3t"]) == (
        f"é {MASK} \xff\ufffd"
    )


@pytest.mark.parametrize(
    ("headers", "secrets"),
    [
        ({"Authorization": "Bearer tok en"}, ["tok en"]),
        ({"Authorization": "tok"}, ["tok"]),
        ({"Authorization": "Bearer "}, []),
        ({"X-API-Key": "a b"}, ["a b"]),
        ({"x-api-key": "k", "token": "t", "accept": "x y"}, ["k", "t"]),
        ({"accept": "x"}, []),
    ],
)
def test_secrets_of_a_request(headers: dict[str, str], secrets: list[str]) -> None:
    assert r2r_logging._secrets(httpx.Headers(headers)) == secrets


def test_shown_headers_keep_their_case_and_latin1() -> None:
    headers = httpx.Headers([(b"X-Name", "é".encode("latin-1")), (b"X-API-Key", b"k")])
    assert r2r_logging._shown(headers, ["k"]) == {"X-Name": "é", "X-API-Key": MASK}


# -- the lines ------------------------------------------------------------------------------


def _messages(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "r2r_client"]


@pytest.mark.parametrize("cause", [None, OSError("x")])
def test_a_connection_failure_line(
    cause: Exception | None, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(r2r_logging, "_log_bodies", True)
    caplog.set_level(logging.DEBUG, logger="r2r_client")
    request = httpx.Request("POST", URL, headers={"X-API-Key": "k"}, content=b'{"q": "k"}')
    exc = APIConnectionError(request=request)
    exc.__cause__ = cause
    call: Any = type("Call", (), {"method": "PUT"})()
    r2r_logging._log_failure(call, exc, 1.23456, 2)
    name = "OSError" if cause else "APIConnectionError"
    assert _messages(caplog) == [
        (logging.DEBUG, f"request POST http://h:8/api/v3/retrieval/rag headers={{'Host': 'h:8', "
         f"'X-API-Key': '{MASK}', 'Content-Length': '10'}}"),
        (logging.DEBUG, f'request body={{"q": "{MASK}"}}'),
        (logging.INFO, f"PUT /api/v3/retrieval/rag failed 1.235s retries=2 error={name}"),
    ]  # fmt: skip


def test_a_status_failure_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="r2r_client")
    request = httpx.Request("POST", URL)
    response = httpx.Response(503, headers={"x-request-id": "r-1"}, request=request)
    exc = APIStatusError("no", response=response, body=None)
    r2r_logging._log_failure(None, exc, 0.5, 0)  # type: ignore[arg-type]
    assert _messages(caplog) == [
        (logging.INFO, "POST /api/v3/retrieval/rag 503 0.500s retries=0 request_id=r-1")
    ]


def _send_with_retries(retries: int) -> Any:
    def send(client: Any, call: Any, options: Any, *, stream: bool) -> httpx.Response:
        for _ in range(retries):
            r2r_logging.note_retry()
        request = httpx.Request("GET", "http://h/p")
        return httpx.Response(200, request=request)

    return send


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_retries_are_counted_sync_and_async(retries: int, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="r2r_client")
    sync = r2r_logging.logged_send(_send_with_retries(retries))
    assert sync(None, None, None, stream=True).status_code == 200
    inner = _send_with_retries(retries)

    async def asend(client: Any, call: Any, options: Any, *, stream: bool) -> httpx.Response:
        response: httpx.Response = inner(client, call, options, stream=stream)
        return response

    wrapped = r2r_logging.alogged_send(asend)
    assert asyncio.run(wrapped(None, None, None, stream=False)).status_code == 200
    lines = [message for _, message in _messages(caplog)]
    assert [re.sub(r" \d\.\d{3}s ", " T ", line) for line in lines] == [
        f"GET /p 200 T retries={retries} request_id=- (stream opened)",
        f"GET /p 200 T retries={retries} request_id=-",
    ]
    r2r_logging.note_retry()  # outside a logged call: nothing to count, no error

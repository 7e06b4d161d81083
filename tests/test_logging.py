"""Request logging: R2R_LOG levels, one INFO line per call, masked headers, bodies on demand."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, SECRET, call, fixture_response, load_fixture

from r2r_client import APIConnectionError, AuthenticationError, R2RClient
from r2r_client import _logging as r2r_logging
from r2r_client._auth import MASK

COMPLETION = "/v3/retrieval/completion"
MESSAGES = [{"role": "user", "content": "a question nobody else asks"}]
LOGGER = "r2r_client"


@pytest.fixture(autouse=True)
def _restore_logger(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with logging off and leaves the logger as it found it."""
    monkeypatch.delenv("R2R_LOG", raising=False)
    monkeypatch.delenv("R2R_LOG_BODIES", raising=False)
    logger = logging.getLogger(LOGGER)
    level, handler = logger.level, r2r_logging._handler
    yield
    logger.setLevel(level)
    r2r_logging._handler = handler
    r2r_logging._log_bodies = False


def complete(kind: str, responses: list[Any], **client_kwargs: Any) -> Any:
    with respx.mock(base_url=BASE) as router:
        router.post(COMPLETION).mock(side_effect=responses)
        try:
            return call(kind, lambda c: c.retrieval.completion(MESSAGES), **client_kwargs)
        except Exception as exc:
            return exc


def messages(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == level]


INFO_LINE = re.compile(
    r"^POST /api/r2r/v3/retrieval/completion (?P<status>\d{3}) (?P<elapsed>\d+\.\d{3})s "
    r"retries=(?P<retries>\d+) request_id=(?P<rid>\S+)$"
)


@pytest.mark.parametrize("kind", KINDS)
def test_info_is_one_line_per_call_with_status_time_retries_and_request_id(
    kind: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    retry_now = httpx.Response(503, headers={"retry-after-ms": "1"})
    result = complete(kind, [retry_now, fixture_response("04-completion", x_request_id="rid-7")])
    assert result.results.choices[0].message.content.startswith("FAKE-LLM")
    lines = [m for m in messages(caplog, logging.INFO) if not m.startswith("Retrying")]
    assert len(lines) == 1, lines
    match = INFO_LINE.match(lines[0])
    assert match, lines[0]
    assert match["status"] == "200"
    assert match["retries"] == "1"
    assert match["rid"] == "rid-7"
    assert not messages(caplog, logging.DEBUG)  # headers only at debug


def test_an_error_status_is_logged_with_its_status(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    status, headers, body = load_fixture("18-rag-bad-bearer-on-noauth")
    assert status == 401
    result = complete("sync", [httpx.Response(status, headers=headers, content=body)])
    assert isinstance(result, AuthenticationError)
    [line] = messages(caplog, logging.INFO)
    match = INFO_LINE.match(line)
    assert match, line
    assert (match["status"], match["retries"], match["rid"]) == ("401", "0", "-")


def test_a_connection_failure_is_logged_after_the_last_retry(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    monkeypatch.setattr("r2r_client._client.retry_delay", lambda attempt, headers: 0.0)
    refused = httpx.ConnectError("refused")
    result = complete("sync", [refused, refused], max_retries=1)
    assert isinstance(result, APIConnectionError)
    lines = [m for m in messages(caplog, logging.INFO) if not m.startswith("Retrying")]
    assert len(lines) == 1, lines
    assert re.match(
        r"^POST /api/r2r/v3/retrieval/completion failed \d+\.\d{3}s retries=1 error=ConnectError$",
        lines[0],
    ), lines[0]


def test_nothing_is_logged_when_logging_is_off(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER)
    complete("sync", [fixture_response("04-completion")])
    assert not [r for r in caplog.records if r.name == LOGGER]
    assert r2r_logging._retries.get() is None


def test_the_logger_can_be_configured_without_the_environment(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    complete("sync", [fixture_response("04-completion")])
    assert len(messages(caplog, logging.INFO)) == 1


# -- debug: headers, every credential masked ----------------------------------------------

AUTH_MODES: dict[str, tuple[dict[str, Any], str, str]] = {
    # mode: (client kwargs, header sent, value shown in the log)
    "api key as Bearer": ({"api_key": SECRET}, "Authorization", f"Bearer {MASK}"),
    "api key as X-API-Key": (
        {"api_key": SECRET, "auth_header": "x-api-key"},
        "X-API-Key",
        MASK,
    ),
    "access token as Bearer": ({"access_token": SECRET}, "Authorization", f"Bearer {MASK}"),
    "access token in token": (
        {"access_token": SECRET, "token_header": "token"},
        "token",
        MASK,
    ),
    "custom header in default_headers": (
        {"default_headers": {"X-Gateway-Credential": SECRET}},
        "X-Gateway-Credential",
        MASK,
    ),
    "the key again under a harmless name": (
        {"api_key": SECRET, "default_headers": {"X-Upstream": f"user:{SECRET}"}},
        "X-Upstream",
        MASK,
    ),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", list(AUTH_MODES))
def test_debug_shows_headers_with_every_credential_masked(
    mode: str, kind: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.delenv("R2R_API_KEY", raising=False)
    kwargs, header, shown = AUTH_MODES[mode]
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(
            return_value=fixture_response(
                "04-completion", set_cookie=f"session={SECRET}", x_request_id="rid-9"
            )
        )
        call(kind, lambda c: c.retrieval.completion(MESSAGES), **kwargs)
    assert SECRET in route.calls.last.request.headers[header]  # it was sent...
    debug = messages(caplog, logging.DEBUG)
    text = caplog.text + "\n".join(m for m in debug)
    assert SECRET not in text  # ...and never logged, in any form
    [request_line] = [m for m in debug if m.startswith("request ")]
    assert request_line.startswith(
        "request POST https://api.intelligence.io.solutions/api/r2r/v3/retrieval/completion "
    )
    assert f"'{header}': '{shown}'" in request_line
    assert "'Accept': 'application/json'" in request_line  # ordinary headers stay readable
    [response_line] = [m for m in debug if m.startswith("response ")]
    assert response_line.startswith("response 200 headers=")
    assert f"'set-cookie': '{MASK}'" in response_line
    assert "'x-request-id': 'rid-9'" in response_line
    assert MESSAGES[0]["content"] not in text  # no bodies unless asked for


def test_bodies_are_logged_only_when_asked_for_and_keep_secrets_out(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    question = [{"role": "user", "content": f"is {SECRET} my key?"}]
    with respx.mock(base_url=BASE) as router:
        router.post(COMPLETION).mock(return_value=fixture_response("04-completion"))
        with R2RClient(BASE, api_key=SECRET) as client:
            client.retrieval.completion(question)
    debug = messages(caplog, logging.DEBUG)
    [request_body] = [m for m in debug if m.startswith("request body=")]
    assert f"is {MASK} my key?" in request_body
    [response_body] = [m for m in debug if m.startswith("response body=")]
    assert "FAKE-LLM deterministic answer" in response_body
    assert SECRET not in caplog.text


def test_streamed_bodies_are_not_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    status, headers, body = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/rag").mock(
            return_value=httpx.Response(status, headers=headers, content=body)
        )
        with R2RClient(BASE) as client, client.retrieval.rag(query="q", stream=True) as stream:
            answer = stream.final_answer()
    assert answer.generated_answer
    assert "response body=(streamed, not logged)" in messages(caplog, logging.DEBUG)
    [info] = messages(caplog, logging.INFO)
    assert info.endswith(" (stream opened)")


def test_r2r_log_alone_prints_to_stderr(tmp_path: Any) -> None:
    """With no logging configured at all, R2R_LOG=debug still shows the lines (on stderr)."""
    script = (
        "import httpx, respx\n"
        "from r2r_client import R2RClient\n"
        f"with respx.mock(base_url={BASE!r}) as router:\n"
        f"    router.post({COMPLETION!r}).mock(return_value=httpx.Response(404, json={{}}))\n"
        f"    with R2RClient({BASE!r}, api_key={SECRET!r}) as client:\n"
        "        try:\n"
        "            client.retrieval.completion([{'role': 'user', 'content': 'x'}])\n"
        "        except Exception as exc:\n"
        "            print(type(exc).__name__)\n"
    )
    env = {**os.environ, "R2R_LOG": "debug"}
    env.pop("R2R_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "NotFoundError"
    assert "DEBUG r2r_client: request POST" in done.stderr
    assert "INFO r2r_client: POST /api/r2r/v3/retrieval/completion 404 " in done.stderr
    assert f"'Authorization': 'Bearer {MASK}'" in done.stderr
    assert SECRET not in done.stderr + done.stdout

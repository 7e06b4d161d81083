"""Request logging: what `R2R_LOG` turns on, and each line a user sees, credentials masked.

Promises checked:
- `R2R_LOG=info|debug` (any case, spaces ignored), read when a client is created, sets the
  `r2r_client` logger's level and, when no handler exists anywhere, adds one (once) writing
  `<time> <LEVEL> r2r_client: <line>` to stderr; other values change nothing; an application's
  own handler stays in charge, and a handler it removed stays removed; configuring the
  standard `logging.getLogger("r2r_client")` works without the environment;
- INFO: one line per call once its answer arrived or it failed for good (`POST <path> <status>
  <s>s retries=<n> request_id=<id>`, `... failed <s>s retries=<n> error=<class>`, a stream's
  ` (stream opened)`), and one line per retry (`Retrying POST <path> in <s> s (<why>)`);
  nothing at all when off, and a call's lines all or none (logging turned on while a call
  runs shows from the next call on);
- DEBUG: the request's URL (never its user info) and headers, the response's status and
  headers, as sent or received, every credential masked wherever it travels;
- bodies only with `R2R_LOG_BODIES=1`: the request's and the response's, credentials masked
  inside them too, bytes that are not UTF-8 replaced, cut after 100 000 characters with the
  count of the rest; a streamed body is never logged.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, MODEL, SECRET, Sleeps, call, fixture_response, load_fixture

from r2r_client import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    R2RClient,
    __version__,
)
from r2r_client import _logging as r2r_logging

COMPLETION = "/v3/retrieval/completion"
RAG = "/v3/retrieval/rag"
MESSAGES: Any = [{"role": "user", "content": "a question nobody else asks"}]
LOGGER = logging.getLogger("r2r_client")
MASK = "**********"
PATH = "/api/r2r/v3/retrieval/completion"


@pytest.fixture(autouse=True)
def _logging_as_a_new_process_has_it(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Logging off, no handler of ours yet; the logger as it was afterwards."""
    monkeypatch.delenv("R2R_LOG", raising=False)
    monkeypatch.delenv("R2R_LOG_BODIES", raising=False)
    monkeypatch.setattr(LOGGER, "handlers", [])
    monkeypatch.setattr(r2r_logging, "_handler", None)  # the module's memory of its handler
    level = LOGGER.level
    yield
    monkeypatch.delenv("R2R_LOG", raising=False)
    monkeypatch.delenv("R2R_LOG_BODIES", raising=False)
    r2r_logging.configure_from_env()  # bodies off again, as the next client would find it
    LOGGER.setLevel(level)


@contextlib.contextmanager
def no_logging_configured() -> Iterator[None]:
    """The root logger without handlers (pytest adds its own during a test), then as it was."""
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers.clear()
    try:
        yield
    finally:
        root.handlers[:] = saved


class Timed:
    """How long the last `complete()` took, seen from outside: a logged time fits within."""

    seconds = 0.0

    @classmethod
    def logged_time_fits(cls, line: str) -> bool:
        found = re.search(r" (\d+\.\d{3})s ", line)
        assert found, line
        return 0.0 <= float(found[1]) <= cls.seconds + 0.001  # printed to the millisecond


def complete(kind: str, answers: list[Any], **client_kwargs: Any) -> Any:
    """Run a completion against `answers` (responses or exceptions); its result or error."""
    started = time.perf_counter()
    try:
        with respx.mock(base_url=BASE) as router:
            router.post(COMPLETION).mock(side_effect=answers)
            try:
                return call(
                    kind, lambda c: c.retrieval.completion(MESSAGES, MODEL), **client_kwargs
                )
            except Exception as exc:
                return exc
    finally:
        Timed.seconds = time.perf_counter() - started


def lines(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "r2r_client" and r.levelno == level]


def timeless(line: str) -> str:
    """A line with its elapsed time (which varies) as `T`."""
    return re.sub(r" \d+\.\d{3}s ", " Ts ", line)


# -- what R2R_LOG configures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "level"), [("info", logging.INFO), (" DEBUG\n", logging.DEBUG), ("Info", 20)]
)
def test_r2r_log_sets_the_level_and_writes_to_stderr(
    value: str, level: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("R2R_LOG", value)
    LOGGER.setLevel(logging.NOTSET)
    with no_logging_configured():
        complete("sync", [fixture_response("04-completion")])
        complete("sync", [fixture_response("04-completion")])  # a second client: no 2nd handler
    assert LOGGER.level == level
    written = stderr.getvalue().splitlines()
    info = [line for line in written if " INFO " in line]
    assert len(info) == 2
    for line in info:
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO r2r_client: POST "
            + re.escape(PATH)
            + r" 200 \d+\.\d{3}s retries=0 request_id=-",
            line,
        ), line
    debug = [line for line in written if " DEBUG " in line]
    assert len(debug) == (4 if level == logging.DEBUG else 0)


@pytest.mark.parametrize("value", [None, "", "warning", "1", "verbose"])
def test_other_values_of_r2r_log_change_nothing(
    value: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    if value is not None:
        monkeypatch.setenv("R2R_LOG", value)
    LOGGER.setLevel(logging.WARNING)
    with no_logging_configured():
        complete("sync", [fixture_response("04-completion")])
    assert LOGGER.level == logging.WARNING
    assert LOGGER.handlers == []
    assert stderr.getvalue() == ""


@pytest.mark.parametrize("where", ["root", "r2r_client"])
def test_an_applications_handler_stays_in_charge(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("R2R_LOG", "debug")
    theirs = io.StringIO()
    handler = logging.StreamHandler(theirs)
    logger = logging.getLogger() if where == "root" else LOGGER
    with no_logging_configured():
        logger.addHandler(handler)
        try:
            complete("sync", [fixture_response("04-completion")])
            handlers = list(LOGGER.handlers)
        finally:
            logger.removeHandler(handler)
    assert LOGGER.level == logging.DEBUG
    assert handlers == ([handler] if where == "r2r_client" else [])
    assert stderr.getvalue() == ""
    assert f"POST {PATH} 200 " in theirs.getvalue()


def test_a_handler_the_application_removed_stays_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("R2R_LOG", "info")
    with no_logging_configured():
        complete("sync", [fixture_response("04-completion")])
        assert len(LOGGER.handlers) == 1
        LOGGER.handlers = []  # the application took it away
        written = stderr.getvalue()
        complete("sync", [fixture_response("04-completion")])
    assert LOGGER.handlers == []
    assert stderr.getvalue() == written


def test_the_standard_logging_configuration_works_without_the_environment(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="r2r_client")
    complete("sync", [fixture_response("04-completion")])
    assert len(lines(caplog, logging.INFO)) == 1
    assert LOGGER.handlers == []


def test_nothing_is_logged_when_logging_is_off(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="r2r_client")
    complete("sync", [httpx.Response(503), fixture_response("04-completion")], max_retries=1)
    assert [r for r in caplog.records if r.name == "r2r_client"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_call_started_with_logging_off_stays_silent_when_logging_comes_on(
    kind: str, caplog: pytest.LogCaptureFixture, sleeps: Sleeps
) -> None:
    """A call logs all its lines or none: logging turned on while it waits to retry shows
    from the next call on, never a final line without the retries before it."""
    caplog.set_level(logging.INFO, logger="r2r_client")  # what is captured...
    LOGGER.setLevel(logging.WARNING)  # ...once logging is on
    sleeps.on_sleep.append(lambda: LOGGER.setLevel(logging.INFO))
    complete(kind, [httpx.Response(503), fixture_response("04-completion")], max_retries=1)
    assert lines(caplog, logging.INFO) == []
    complete(kind, [fixture_response("04-completion")])
    assert [timeless(line) for line in lines(caplog, logging.INFO)] == [
        f"POST {PATH} 200 Ts retries=0 request_id=-"
    ]


@pytest.mark.introspects  # a fresh interpreter: the lines a user sees with nothing configured
def test_r2r_log_alone_prints_to_stderr() -> None:
    script = (
        "import httpx, respx\n"
        "from r2r_client import R2RClient\n"
        f"with respx.mock(base_url={BASE!r}) as router:\n"
        f"    router.post({COMPLETION!r}).mock(return_value=httpx.Response(404, json={{}}))\n"
        f"    with R2RClient({BASE!r}, api_key={SECRET!r}) as client:\n"
        "        try:\n"
        "            client.retrieval.completion([{'role': 'user', 'content': 'x'}],"
        " {'model': 'm'})\n"
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
    assert f"INFO r2r_client: POST {PATH} 404 " in done.stderr
    assert f"'Authorization': 'Bearer {MASK}'" in done.stderr
    assert SECRET not in done.stderr + done.stdout


# -- INFO: one line per call, one per retry -------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_info_is_one_line_per_call_with_status_time_retries_and_request_id(
    kind: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, sleeps: Sleeps
) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    retry_now = httpx.Response(503, headers={"retry-after-ms": "1"})
    result = complete(kind, [retry_now, fixture_response("04-completion", x_request_id="rid-7")])
    assert result.results.choices[0].message.content.startswith("FAKE-LLM")
    logged = lines(caplog, logging.INFO)
    assert [timeless(line) for line in logged] == [
        f"Retrying POST {PATH} in 0.00 s (status 503)",
        f"POST {PATH} 200 Ts retries=1 request_id=rid-7",
    ]
    assert Timed.logged_time_fits(logged[1])
    assert lines(caplog, logging.DEBUG) == []  # headers only at DEBUG


@pytest.mark.parametrize("kind", KINDS)
def test_an_error_status_is_logged_with_its_status(
    kind: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    result = complete(kind, [fixture_response("18-rag-bad-bearer-on-noauth", request_id="r-1")])
    assert isinstance(result, AuthenticationError)
    [logged] = lines(caplog, logging.INFO)
    assert timeless(logged) == f"POST {PATH} 401 Ts retries=0 request_id=r-1"
    assert Timed.logged_time_fits(logged)


@pytest.mark.parametrize("kind", KINDS)
def test_a_connection_failure_is_logged_after_the_last_retry(
    kind: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, sleeps: Sleeps
) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    refused = httpx.ConnectError("refused")
    result = complete(kind, [refused, refused], max_retries=1)
    assert isinstance(result, APIConnectionError)
    logged = [timeless(line) for line in lines(caplog, logging.INFO)]
    assert re.fullmatch(
        rf"Retrying POST {re.escape(PATH)} in 0\.\d\d s \(ConnectError\)", logged[0]
    ), logged[0]
    assert logged[1:] == [f"POST {PATH} failed Ts retries=1 error=ConnectError"]
    assert f"{sleeps.delays[0]:.2f}" in logged[0]


@pytest.mark.parametrize("kind", KINDS)
def test_a_stream_is_logged_when_it_opens(
    kind: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    status, headers, body = load_fixture("07-rag-stream")

    def answer(client: Any) -> Any:
        if kind == "sync":
            with client.retrieval.rag("q", stream=True) as stream:
                return stream.final_answer()

        async def read() -> Any:
            async with await client.retrieval.rag("q", stream=True) as stream:
                return await stream.final_answer()

        return read()

    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=httpx.Response(status, headers=headers, content=body))
        assert call(kind, answer).generated_answer
    assert [timeless(line) for line in lines(caplog, logging.INFO)] == [
        "POST /api/r2r/v3/retrieval/rag 200 Ts retries=0 request_id=- (stream opened)"
    ]
    debug = lines(caplog, logging.DEBUG)
    assert "response body=(streamed, not logged)" in debug
    assert 'request body={"query":"q","rag_generation_config":{"stream":true}}' in debug


# -- DEBUG: headers, every credential masked -------------------------------------------------------

AUTH_MODES: dict[str, tuple[dict[str, Any], str, str]] = {
    # mode: (client kwargs, header sent, value shown in the log)
    "api key as Bearer": ({"api_key": SECRET}, "Authorization", f"Bearer {MASK}"),
    "api key as X-API-Key": ({"api_key": SECRET, "auth_header": "x-api-key"}, "X-API-Key", MASK),
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
def test_debug_shows_the_headers_with_every_credential_masked(
    mode: str, kind: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    kwargs, header, shown = AUTH_MODES[mode]
    with respx.mock(base_url=BASE) as router:
        route = router.post(COMPLETION).mock(
            return_value=fixture_response(
                "04-completion", set_cookie=f"session={SECRET}", x_request_id="rid-9"
            )
        )
        call(kind, lambda c: c.retrieval.completion(MESSAGES, MODEL), **kwargs)
    request = route.calls.last.request
    assert SECRET in request.headers[header]  # it was sent...
    debug = lines(caplog, logging.DEBUG)
    assert SECRET not in caplog.text + "\n".join(debug)  # ...and never logged
    sent = {name.decode(): value.decode() for name, value in request.headers.raw}
    sent[header] = shown
    if "default_headers" in kwargs and "api_key" in kwargs:
        sent["Authorization"] = f"Bearer {MASK}"
    assert debug[0] == f"request POST {BASE}{COMPLETION} headers={sent!r}"
    response_line = debug[1]
    assert response_line.startswith("response 200 headers={")
    assert f"'set-cookie': '{MASK}'" in response_line
    assert "'x-request-id': 'rid-9'" in response_line
    assert "'content-type': 'application/json'" in response_line
    assert len(debug) == 2  # no bodies unless asked for
    assert MESSAGES[0]["content"] not in caplog.text


def test_debug_never_shows_the_user_info_of_the_url(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, sleeps: Sleeps
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    with respx.mock() as router:
        router.route().mock(side_effect=httpx.ConnectError("refused"))
        with (
            R2RClient("https://user:pw-secret@api.example:8443/api", max_retries=0) as client,
            pytest.raises(APIConnectionError),
        ):
            client.retrieval.rag("q")
    [request_line] = lines(caplog, logging.DEBUG)
    assert request_line.startswith(
        "request POST https://api.example:8443/api/v3/retrieval/rag headers={'Host': "
        "'api.example:8443', "
    )
    assert f"'Authorization': 'Basic {MASK}'" in request_line
    assert "pw-secret" not in caplog.text


def test_response_headers_are_shown_as_received(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    headers = [(b"X-Name", "é".encode("latin-1")), (b"X-API-Key", b"echoed")]
    with respx.mock(base_url=BASE) as router:
        router.post(COMPLETION).mock(return_value=httpx.Response(404, headers=headers, json={}))
        with R2RClient(BASE, max_retries=0) as client, pytest.raises(NotFoundError):
            client.retrieval.completion(MESSAGES, {"model": "m"})
    [response_line] = [line for line in lines(caplog, logging.DEBUG) if line.startswith("resp")]
    assert response_line == (
        f"response 404 headers={{'X-Name': 'é', 'X-API-Key': '{MASK}', "
        "'Content-Length': '2', 'Content-Type': 'application/json'}"
    )


# -- bodies, on demand --------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "on"), [("1", True), (" 1 ", True), ("0", False), ("", False)])
def test_bodies_are_logged_only_when_asked_for(
    value: str, on: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", value)
    complete("sync", [fixture_response("04-completion")])
    bodies = [line for line in lines(caplog, logging.DEBUG) if " body=" in line]
    if not on:
        assert bodies == []
        return
    request_body, response_body = bodies
    assert request_body == (
        'request body={"messages":[{"role":"user","content":"a question nobody else asks"}],'
        '"generation_config":{"model":"openai/test-model"}}'
    )
    assert response_body == f"response body={load_fixture('04-completion')[2].decode()}"


def test_bodies_are_off_again_for_a_client_created_without_the_setting(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    complete("sync", [fixture_response("04-completion")])
    monkeypatch.delenv("R2R_LOG_BODIES")
    caplog.clear()
    complete("sync", [fixture_response("04-completion")])
    assert [line for line in lines(caplog, logging.DEBUG) if " body=" in line] == []


@pytest.mark.parametrize(
    ("kwargs", "secret"),
    [
        ({"api_key": "sk-tok en"}, "sk-tok en"),
        ({"api_key": "sk-key", "auth_header": "x-api-key"}, "sk-key"),
        ({"access_token": "jwt-tok", "token_header": "token"}, "jwt-tok"),
        ({"default_headers": {"Authorization": "bare-tok"}}, "bare-tok"),
        ({"default_headers": {"X-Auth": "Token two words"}}, "Token two words"),
    ],
)
def test_a_credential_echoed_in_a_body_is_masked(
    kwargs: dict[str, Any],
    secret: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    echo = httpx.Response(400, json={"message": f"bad key {secret}!"})
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(return_value=echo)
        with R2RClient(BASE, max_retries=0, **kwargs) as client, pytest.raises(BadRequestError):
            client.retrieval.rag(f"is {secret} my key?")
    bodies = [line for line in lines(caplog, logging.DEBUG) if " body=" in line]
    assert bodies == [
        f'request body={{"query":"is {MASK} my key?"}}',
        f'response body={{"message":"bad key {MASK}!"}}',
    ]


def test_a_body_that_is_not_utf8_is_logged_with_replacements(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    complete("sync", [httpx.Response(400, content="é ".encode() + b"\xff")], max_retries=0)
    assert "response body=é \ufffd" in lines(caplog, logging.DEBUG)


@pytest.mark.parametrize(("size", "shown"), [(100_000, 100_000), (100_003, 100_000)])
def test_a_long_body_is_cut_after_100000_characters(
    size: int, shown: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    body = "x" * size
    complete("sync", [httpx.Response(400, text=body)], max_retries=0)
    [line] = [line for line in lines(caplog, logging.DEBUG) if line.startswith("response body=")]
    rest = f"… ({size - shown} more characters)" if size > shown else ""
    assert line == f"response body={'x' * shown}{rest}"


def test_the_request_of_a_failed_connection_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_LOG_BODIES", "1")
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(side_effect=httpx.ReadError("reset"))
        with (
            R2RClient(BASE, max_retries=0, api_key=SECRET, auth_header="x-api-key") as client,
            pytest.raises(APIConnectionError),
        ):
            client.retrieval.rag(f"my key is {SECRET}")
    length = len(f'{{"query":"my key is {SECRET}"}}')
    assert lines(caplog, logging.DEBUG) == [
        f"request POST {BASE}{RAG} headers={{'Host': 'api.intelligence.io.solutions', "
        "'Accept-Encoding': 'gzip, deflate', 'Connection': 'keep-alive', "
        f"'Accept': 'application/json', 'User-Agent': 'r2r-client/{__version__}', "
        f"'Content-Type': 'application/json', 'X-API-Key': '{MASK}', "
        f"'Content-Length': '{length}'}}",
        f'request body={{"query":"my key is {MASK}"}}',
    ]
    [failed] = lines(caplog, logging.INFO)
    assert timeless(failed).startswith("POST /api/r2r/v3/retrieval/rag failed Ts retries=0 error=")


def test_a_failed_call_is_logged_with_the_time_it_took(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("R2R_LOG", "info")
    result = complete("sync", [httpx.ReadError("reset")], max_retries=0)
    assert isinstance(result, APIConnectionError)
    [failed] = lines(caplog, logging.INFO)
    assert Timed.logged_time_fits(failed)

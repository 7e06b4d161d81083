"""The `r2r-client` command, run in-process (`main(argv)`, as the console script calls it).

Promises checked, each on what a user sees (the request on the wire, standard output, standard
error, the exit status):
- `--help` of every command matches the committed snapshot (tests/snapshots/cli_help.txt);
- the options reach the request (server, key and how it is sent, retries, timeout), before or
  after the sub-command;
- completion, rag (whole, `--stream`, `--json`, `--stream --json`) and `metadata replace` print
  exactly what they promise and send exactly the request the options say;
- `--field PATH=VALUE` reaches any field of the request, typed by the OpenAPI document shipped in
  the package, merged with the named options; a field given twice, unknown or malformed is a
  usage error (status 2) and nothing is sent; a field the document gains needs no CLI change;
- every failure is one line on stderr with the status `EXIT_CODES` documents; credentials never
  appear; Ctrl-C ends a half-printed line (130); a closed pipe stops the command quietly (141).

Answers the fake server never gives (unknown events, odd citations, other statuses) come from
respx. What needs a real process (a terminal's Ctrl-C, `python -m`, pipes, R2R_LOG's handler,
import cost) is in test_cli_process.py.
"""

from __future__ import annotations

import builtins
import copy
import io
import json
import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from errno import ECONNREFUSED
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from _cli_helpers import DOC, KEY, MODEL, QUESTION, delta, sse
from _helpers import Sleeps, fixture_json

from r2r_client import _cli_fields
from r2r_client import _logging as r2r_logging
from r2r_client._version import __version__
from r2r_client.cli import main
from r2r_client.testing import ANSWER_PREFIX, FakeR2RServer

pytestmark = pytest.mark.loopback

SNAPSHOT = Path(__file__).parent / "snapshots" / "cli_help.txt"
HELP_COMMANDS = [[], ["completion"], ["rag"], ["metadata"], ["metadata", "replace"]]
CITATIONS = (
    "\n\nCitations:\n"
    "  [8920c95] The Zorblax protocol was invented in 1987 by Dr. Quenella Marsh at the Harwick"
    " Institute. It uses t…\n"
    "  [dd92fd1] Zorblax handshakes are exchanged every 40 milliseconds. A missed handshake"
    " triggers a resynchroniza…\n"
)
RAG_ANSWER = f"{ANSWER_PREFIX} [8920c95] [dd92fd1]. You asked: {QUESTION}"
RAG_TEXT = f"{RAG_ANSWER}{CITATIONS}"
MASK = "**********"
REFUSED = f"error: Connection error: [Errno {ECONNREFUSED}] {os.strerror(ECONNREFUSED)}\n"
STUB = "http://stub.localhost"
"""The server respx answers for (nothing listens there)."""
NO_MODEL = (
    "error: generation_config.model: R2R 3.6.6 has no default model for completion: give one"
    " with --model (e.g. --model openai/gpt-4.1-mini)\n"
)

Run = tuple[int | str | None, str, str]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeR2RServer]:
    with FakeR2RServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, sleeps: Sleeps) -> Iterator[None]:
    """What the command changes for its whole process is put back after each test: the warning
    format, and the logging that R2R_LOG turns on. Retries never sleep (`sleeps` records)."""
    monkeypatch.delenv("R2R_LOG", raising=False)
    monkeypatch.delenv("R2R_LOG_BODIES", raising=False)
    monkeypatch.setattr(warnings, "formatwarning", warnings.formatwarning)
    monkeypatch.setattr(r2r_logging, "_handler", r2r_logging._handler)
    logger = logging.getLogger("r2r_client")
    level, handlers = logger.level, logger.handlers[:]
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.fixture
def env(server: FakeR2RServer, monkeypatch: pytest.MonkeyPatch) -> FakeR2RServer:
    """The command pointed at the module's fake server through the environment."""
    monkeypatch.setenv("R2R_API_BASE", server.base_url)
    monkeypatch.setenv("R2R_API_KEY", KEY)
    return server


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[respx.MockRouter]:
    """The command pointed at a server whose answers each test writes (respx)."""
    monkeypatch.setenv("R2R_API_BASE", STUB)
    monkeypatch.setenv("R2R_API_KEY", KEY)
    with respx.mock(base_url=STUB, assert_all_called=False) as router:
        yield router


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """The command's exit status, standard output and standard error."""
    status: int | str | None
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def stream_reply(*events: tuple[str, object]) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=sse(*events))


# -- help and version -----------------------------------------------------------------------


def test_the_help_of_every_command_matches_the_snapshot(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regenerate deliberately, after reading the diff: R2R_UPDATE_SNAPSHOTS=1 pytest ..."""
    monkeypatch.setenv("COLUMNS", "100")
    parts = []
    for command in HELP_COMMANDS:
        status, out, err = run(capsys, *command, "--help")
        assert (status, err) == (0, "")
        parts.append(f"$ r2r-client {' '.join([*command, '--help'])}\n{out}")
    text = "\n".join(parts)
    if os.environ.get("R2R_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8")
    if sys.version_info[:2] == (3, 11):
        assert text == expected
    else:  # argparse lays out help a little differently from one Python to the next
        assert text.split() == expected.split()


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"r2r-client {__version__}\n", "")


# -- the connection options -----------------------------------------------------------------

COMPLETION = ["completion", "hi", "--model", MODEL]
ANSWER_HI = f"{ANSWER_PREFIX}. You asked: hi\n"


def placed(where: str, options: list[str]) -> list[str]:
    """The completion command with `options` before or after its sub-command."""
    return [*options, *COMPLETION] if where == "before" else [*COMPLETION, *options]


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_base_url_option_wins_over_the_environment(
    where: str,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("R2R_API_BASE", "http://127.0.0.1:9")  # nothing listens there
    assert run(capsys, *placed(where, ["--base-url", env.base_url])) == (0, ANSWER_HI, "")


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_api_key_option_wins_over_the_environment(
    where: str,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("R2R_API_KEY", "sk-from-the-environment")
    assert run(capsys, *placed(where, ["--api-key", KEY])) == (0, ANSWER_HI, "")
    assert env.requests[-1].headers["authorization"] == f"Bearer {KEY}"


def test_the_key_from_the_environment_goes_as_a_bearer_token(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, *COMPLETION) == (0, ANSWER_HI, "")
    assert env.requests[-1].headers["authorization"] == f"Bearer {KEY}"
    assert "x-api-key" not in env.requests[-1].headers


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_key_goes_in_the_header_asked_for(
    where: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, *placed(where, ["--auth-header", "x-api-key"])) == (0, ANSWER_HI, "")
    headers = env.requests[-1].headers
    assert headers["x-api-key"] == KEY
    assert "authorization" not in headers


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_connection_options_reach_metadata_replace_too(
    where: str,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("R2R_API_BASE", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("R2R_API_KEY")
    options = ["--base-url", env.base_url, "--api-key", KEY, "--auth-header", "x-api-key"]
    command = ["metadata", "replace", DOC, "--set", "a=1"]
    argv = [*options, *command] if where == "before" else [*command, *options]
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, "")
    assert out.startswith(f"Replaced the metadata of {DOC}")
    assert env.requests[-1].headers["x-api-key"] == KEY


@pytest.mark.parametrize(
    ("options", "attempts"),
    [([], 3), (["--max-retries", "1"], 2), (["--max-retries", "0"], 1)],
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_failing_server_is_tried_as_often_as_max_retries_says(
    options: list[str],
    attempts: int,
    where: str,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    before = len(env.requests)
    with env.fail_next("status_503", 3):
        status, out, err = run(capsys, *placed(where, options))
    assert (status, out, err) == (5, "", "error: 503 Service Unavailable\n")
    assert len(env.requests) - before == attempts


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_timeout_option_bounds_the_wait_for_an_answer(
    where: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    with env.fail_next("slow_headers", seconds=2.0):
        status, out, err = run(capsys, *placed(where, ["--timeout", "0.2", "--max-retries", "0"]))
    assert (status, out, err) == (5, "", "error: Request timed out.\n")


@pytest.mark.parametrize("value", ["7", "1.5", "1e3"])
def test_a_positive_timeout_is_accepted(
    value: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, *COMPLETION, "--timeout", value) == (0, ANSWER_HI, "")


def test_an_infinite_timeout_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, _out, err = run(capsys, *COMPLETION, "--timeout", "inf")
    assert (status, err) == (
        2,
        "error: argument --timeout: expected a positive number of seconds, got 'inf'"
        " (see: r2r-client completion --help)\n",
    )


# -- usage errors ---------------------------------------------------------------------------


def _usage(argv: list[str], line: str) -> Any:
    return pytest.param(argv, line, id=" ".join(argv) or "nothing")


USAGE_ERRORS = [
    _usage([], "the following arguments are required: COMMAND (see: r2r-client --help)"),
    _usage(["rag"], "the following arguments are required: QUESTION (see: r2r-client rag --help)"),
    _usage(["metadata"], "the following arguments are required: ACTION"
           " (see: r2r-client metadata --help)"),
    _usage(["metadata", "replace"], "the following arguments are required: DOCUMENT_ID"
           " (see: r2r-client metadata replace --help)"),
    _usage(["metadata", "replace", DOC], "one of the arguments --set --json is required"
           " (see: r2r-client metadata replace --help)"),
    _usage(["metadata", "replace", DOC, "--set", "a=1", "--json", "f"], "argument --json: not"
           " allowed with argument --set (see: r2r-client metadata replace --help)"),
    _usage(["rag", "q", "--limit", "-1"], "argument --limit: expected an integer >= 0, got '-1'"
           " (see: r2r-client rag --help)"),
    _usage(["rag", "q", "--max-tokens", "x"], "argument --max-tokens: expected an integer >= 0,"
           " got 'x' (see: r2r-client rag --help)"),
    _usage(["rag", "q", "--max-tokens", "1.5"], "argument --max-tokens: expected an integer >= 0,"
           " got '1.5' (see: r2r-client rag --help)"),
    _usage(["rag", "q", "--max-tokens", ""], "argument --max-tokens: expected an integer >= 0,"
           " got '' (see: r2r-client rag --help)"),
    _usage(["completion", "q", "--timeout", "0"], "argument --timeout: expected a positive number"
           " of seconds, got '0' (see: r2r-client completion --help)"),
    _usage(["completion", "q", "--timeout", "-0.5"], "argument --timeout: expected a positive"
           " number of seconds, got '-0.5' (see: r2r-client completion --help)"),
    _usage(["completion", "q", "--timeout", "nan"], "argument --timeout: expected a positive"
           " number of seconds, got 'nan' (see: r2r-client completion --help)"),
    _usage(["completion", "q", "--timeout", ""], "argument --timeout: expected a positive"
           " number of seconds, got '' (see: r2r-client completion --help)"),
    _usage(["--timeout", "soon", "rag", "q"], "argument --timeout: expected a positive number of"
           " seconds, got 'soon' (see: r2r-client --help)"),
    _usage(["--max-retries", "-2", "rag", "q"], "argument --max-retries: expected an integer"
           " >= 0, got '-2' (see: r2r-client --help)"),
    _usage(["rag", "q", "--filter", "[1]"], "argument --filter: expected a JSON object, got '[1]'"
           " (see: r2r-client rag --help)"),
    _usage(["rag", "q", "--filter", "3"], "argument --filter: expected a JSON object, got '3'"
           " (see: r2r-client rag --help)"),
    _usage(["rag", "q", "--filter", "{x"], "argument --filter: not JSON (Expecting property name"
           " enclosed in double quotes: line 1 column 2 (char 1)): '{x' (see: r2r-client rag"
           " --help)"),
    _usage(["rag", "q", "--filter", ""], "argument --filter: not JSON (Expecting value: line 1"
           " column 1 (char 0)): '' (see: r2r-client rag --help)"),
    _usage(["metadata", "replace", DOC, "--set", "novalue"], "argument --set: expected KEY=VALUE,"
           " got 'novalue' (see: r2r-client metadata replace --help)"),
    _usage(["metadata", "replace", DOC, "--set", "=1"], "argument --set: expected KEY=VALUE, got"
           " '=1' (see: r2r-client metadata replace --help)"),
    _usage(["--auth-header", "token", "rag", "q"], "argument --auth-header: invalid choice:"
           " 'token' (choose from 'bearer', 'x-api-key') (see: r2r-client --help)"),
    _usage(["--json", "metadata", "replace", DOC, "--set", "a=1", "--json"], "argument --json:"
           " expected one argument (see: r2r-client metadata replace --help)"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "line"), USAGE_ERRORS)
def test_a_usage_error_is_one_exact_line_status_2_and_sends_nothing(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    assert run(capsys, *argv) == (2, "", f"error: {line}\n")
    assert len(env.requests) == before


# -- completion -----------------------------------------------------------------------------


def test_completion_prints_the_answer_and_sends_every_option(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(
        capsys, "completion", "Say hi", "--system", "Be brief.", "--model", "m-1",
        "--temperature", "0.5", "--max-tokens", "20",
    )  # fmt: skip
    assert (status, out, err) == (0, f"{ANSWER_PREFIX}. You asked: Say hi\n", "")
    request = env.requests[-1]
    assert (request.method, request.path) == ("POST", "/v3/retrieval/completion")
    # `max_tokens` goes out under R2R's own name for it.
    assert request.json == {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Say hi"},
        ],
        "generation_config": {"model": "m-1", "temperature": 0.5, "max_tokens_to_sample": 20},
    }


@pytest.mark.parametrize(
    ("options", "config"),
    [
        (["--temperature", "0", "--max-tokens", "0"],
         {"temperature": 0.0, "max_tokens_to_sample": 0}),
        (["--max-tokens", "12"], {"max_tokens_to_sample": 12}),
        ([], {}),
    ],
)  # fmt: skip
def test_completion_sends_only_the_generation_options_given(
    options: list[str],
    config: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    assert run(capsys, *COMPLETION, *options) == (0, ANSWER_HI, "")
    assert env.requests[-1].json == {
        "messages": [{"role": "user", "content": "hi"}],
        "generation_config": {"model": MODEL, **config},
    }


def test_completion_without_a_model_is_refused_before_sending(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    assert run(capsys, "completion", "hi", "--temperature", "0.5") == (3, "", NO_MODEL)
    assert len(env.requests) == before


def test_completion_takes_its_model_from_a_field_too(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, "completion", "hi", "--field", f"generation_config.model={MODEL}") == (
        0, ANSWER_HI, "",
    )  # fmt: skip
    assert env.requests[-1].json["generation_config"] == {"model": MODEL}


@pytest.mark.parametrize("where", ["before", "after"])
def test_completion_json_is_the_whole_result_indented(
    where: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    argv = ["--json", *COMPLETION] if where == "before" else [*COMPLETION, "--json"]
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["results"]["choices"][0]["message"]["content"] == ANSWER_HI.strip()
    assert result["results"]["usage"]["total_tokens"] > 0
    assert out == json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def test_completion_without_choices_prints_an_empty_line(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    body = fixture_json("04-completion")
    body["results"]["choices"] = []
    stub.post("/v3/retrieval/completion").respond(200, json=body)
    assert run(capsys, *COMPLETION) == (0, "\n", "")


def test_an_answer_that_is_not_a_json_object_is_a_server_side_error(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    stub.post("/v3/retrieval/completion").respond(200, json=[fixture_json("04-completion")])
    assert run(capsys, *COMPLETION) == (
        5,
        "",
        "error: the response body does not fit the API's schema: the answer: expected dict, "
        "got list\n",
    )


def test_completion_with_a_null_content_prints_an_empty_line(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    body = fixture_json("04-completion")
    body["results"]["choices"][0]["message"]["content"] = None
    stub.post("/v3/retrieval/completion").respond(200, json=body)
    assert run(capsys, *COMPLETION) == (0, "\n", "")


def test_rag_without_citations_prints_the_answer_alone(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    body = fixture_json("06-rag")
    body["results"]["citations"] = None
    stub.post("/v3/retrieval/rag").respond(200, json=body)
    assert run(capsys, "rag", QUESTION) == (0, f"{body['results']['generated_answer']}\n", "")


@pytest.mark.parametrize("title", [None, ""])
def test_metadata_of_a_document_without_a_title_names_it_by_id_alone(
    title: str | None, capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    body = fixture_json("02-put-metadata")
    body["results"]["title"] = title
    stub.put(f"/v3/documents/{DOC}/metadata").respond(200, json=body)
    status, out, err = run(capsys, "metadata", "replace", DOC, "--set", "a=1")
    assert (status, err) == (0, "")
    assert out.startswith(f"Replaced the metadata of {body['results']['id']}:\n{{")


@pytest.mark.parametrize(
    ("argv", "path", "fixture", "break_it", "problem"),
    [
        (COMPLETION, "/v3/retrieval/completion", "04-completion",
         lambda b: b.pop("results"), "results: expected dict, got NoneType"),
        (COMPLETION, "/v3/retrieval/completion", "04-completion",
         lambda b: b.update(results=[b.pop("results")]), "results: expected dict, got list"),
        (COMPLETION, "/v3/retrieval/completion", "04-completion",
         lambda b: b["results"].update(choices=[3]), "results.choices[0]: expected dict, got int"),
        (COMPLETION, "/v3/retrieval/completion", "04-completion",
         lambda b: b["results"].update(choices="none"),
         "results.choices: expected list, got str"),
        (COMPLETION, "/v3/retrieval/completion", "04-completion",
         lambda b: b["results"]["choices"][0].update(message=[]),
         "results.choices[0].message: expected dict, got list"),
        (["rag", QUESTION], "/v3/retrieval/rag", "06-rag",
         lambda b: b["results"].update(generated_answer=7),
         "results.generated_answer: expected str, got int"),
        (["rag", QUESTION], "/v3/retrieval/rag", "06-rag",
         lambda b: b["results"].update(citations={"id": 1}),
         "results.citations: expected list, got dict"),
        (["metadata", "replace", DOC, "--set", "a=1"], f"/v3/documents/{DOC}/metadata",
         "02-put-metadata", lambda b: b["results"].pop("metadata"),
         "results.metadata: expected dict, got NoneType"),
    ],
)  # fmt: skip
def test_an_answer_that_does_not_fit_the_api_is_a_server_side_error_naming_the_field(
    argv: list[str],
    path: str,
    fixture: str,
    break_it: Callable[[dict[str, Any]], object],
    problem: str,
    capsys: pytest.CaptureFixture[str],
    stub: respx.MockRouter,
) -> None:
    body = fixture_json(fixture)
    break_it(body)
    stub.route(path=path).respond(200, json=body)
    status, out, err = run(capsys, *argv)
    assert (status, out) == (5, "")
    assert err == f"error: the response body does not fit the API's schema: {problem}\n"


@pytest.mark.parametrize(
    ("argv", "path", "fixture"),
    [
        (COMPLETION, "/v3/retrieval/completion", "04-completion"),
        (["rag", QUESTION], "/v3/retrieval/rag", "06-rag"),
        (["metadata", "replace", DOC, "--set", "a=1"], f"/v3/documents/{DOC}/metadata",
         "02-put-metadata"),
    ],
)  # fmt: skip
def test_json_prints_the_answer_as_the_server_sent_it_fields_the_client_does_not_know_included(
    argv: list[str],
    path: str,
    fixture: str,
    capsys: pytest.CaptureFixture[str],
    stub: respx.MockRouter,
) -> None:
    body = fixture_json(fixture)
    body["results"]["served_by"] = {"region": "eu-1"}
    body["trace"] = [1, 2]
    stub.route(path=path).respond(200, json=body)
    status, out, err = run(capsys, "--json", *argv)
    assert (status, err) == (0, "")
    assert json.loads(out) == body


# -- rag ------------------------------------------------------------------------------------


def test_rag_prints_the_answer_then_its_citations_and_sends_every_option(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    search_filter = {"document_id": {"$eq": DOC}}
    status, out, err = run(
        capsys, "rag", QUESTION, "--limit", "3", "--filter", json.dumps(search_filter),
        "--model", "m", "--temperature", "0", "--max-tokens", "9",
    )  # fmt: skip
    assert (status, out, err) == (0, RAG_TEXT, "")
    request = env.requests[-1]
    assert (request.method, request.path) == ("POST", "/v3/retrieval/rag")
    assert request.json == {
        "query": QUESTION,
        "search_settings": {"limit": 3, "filters": search_filter},
        "rag_generation_config": {"model": "m", "temperature": 0.0, "max_tokens_to_sample": 9},
    }


@pytest.mark.parametrize(
    ("options", "sent"),
    [
        ([], {}),
        (["--limit", "2"], {"search_settings": {"limit": 2}}),
        (["--filter", "{}"], {"search_settings": {"filters": {}}}),
    ],
)
def test_rag_sends_only_the_settings_given(
    options: list[str],
    sent: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    assert run(capsys, "rag", QUESTION, *options) == (0, RAG_TEXT, "")
    assert env.requests[-1].json == {"query": QUESTION, **sent}


@pytest.mark.parametrize("where", ["before", "after"])
def test_rag_json_is_the_whole_result_indented(
    where: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    argv = ["--json", "rag", QUESTION] if where == "before" else ["rag", QUESTION, "--json"]
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["results"]["generated_answer"] == RAG_ANSWER
    assert [c["id"] for c in result["results"]["citations"]] == ["8920c95", "dd92fd1"]
    assert out == json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def test_a_streamed_rag_prints_what_the_whole_answer_prints(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, "rag", QUESTION, "--stream", "--limit", "5") == (0, RAG_TEXT, "")
    request = env.requests[-1]
    assert request.json == {
        "query": QUESTION,
        "search_settings": {"limit": 5},
        "rag_generation_config": {"stream": True},
    }
    assert request.headers["accept"] == "text/event-stream"


def test_a_streamed_rag_as_json_is_one_event_per_line(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(capsys, "rag", QUESTION, "--stream", "--json")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    events = [json.loads(line) for line in lines]
    assert [json.dumps(event) for event in events] == lines  # one compact object a line
    assert all(set(event) == {"event", "data"} for event in events)
    names = [event["event"] for event in events]
    assert names[0] == "search_results"
    assert names[-1] == "final_answer"
    assert set(names) == {"search_results", "message", "citation", "final_answer"}
    text = "".join(
        e["data"]["delta"]["content"][0]["payload"]["value"] for e in events
        if e["event"] == "message"
    )  # fmt: skip
    assert text == RAG_ANSWER
    assert events[-1]["data"]["generated_answer"] == RAG_ANSWER
    assert "Citations" not in out


def test_a_streamed_rag_as_json_keeps_an_unknown_events_wire_name(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    stub.post("/v3/retrieval/rag").mock(
        return_value=stream_reply(
            ("message", delta("An")),
            ("tool_progress", {"step": 1}),
            ("ping", "not JSON"),
            ("citation", [1, 2]),  # a named event whose data is not an object
            ("done", "[DONE]"),
        )
    )
    status, out, err = run(capsys, "rag", QUESTION, "--stream", "--json")
    assert (status, err) == (0, "")
    assert out == (
        '{"event": "message", "data": {"delta": {"content": [{"type": "text", "payload":'
        ' {"value": "An"}}]}}}\n'
        '{"event": "tool_progress", "data": {"step": 1}}\n'
        '{"event": "ping", "data": "not JSON"}\n'
        '{"event": "citation", "data": [1, 2]}\n'
    )


def test_a_streamed_rag_as_text_skips_unknown_events_and_cites_from_citation_events(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    """Without a final answer (the stream ends with `done`), the citation events are cited."""
    stub.post("/v3/retrieval/rag").mock(
        return_value=stream_reply(
            ("message", delta("An")),
            ("tool_progress", {"step": 1}),
            ("message", delta("swer")),
            ("citation", {"id": "c1", "payload": {"text": "one"}}),
            ("done", "[DONE]"),
        )
    )
    assert run(capsys, "rag", QUESTION, "--stream") == (
        0, "Answer\n\nCitations:\n  [c1] one\n", "",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("citations", "printed"),
    [
        ([], ""),
        (None, ""),
        ([{"id": "a", "payload": {"text": "  two\n words  "}}], "  [a] two words\n"),
        ([{"id": "b"}], "  [b]\n"),
        ([{"id": "c", "payload": "text"}], "  [c]\n"),
        ([{"id": "d", "payload": {"text": ""}}], "  [d]\n"),
        ([{"payload": {"text": 42}}], "  [None] 42\n"),
        ([{"id": "e", "payload": {"text": "x" * 100}}], f"  [e] {'x' * 100}\n"),
        ([{"id": "f", "payload": {"text": "x" * 101}}], f"  [f] {'x' * 99}…\n"),
        ([{"id": "g", "payload": {"text": "é" * 101}}], f"  [g] {'é' * 99}…\n"),
        ([{"id": 1, "payload": {"text": "one"}}, "junk", {"id": 2, "payload": {"text": "two"}}],
         "  [1] one\n  [2] two\n"),
    ],
)  # fmt: skip
def test_a_streamed_rag_cites_what_its_final_answer_cites(
    citations: list[Any] | None,
    printed: str,
    capsys: pytest.CaptureFixture[str],
    stub: respx.MockRouter,
) -> None:
    """The final answer's citations win over the citation events; each is one line, its text
    squeezed to 100 characters."""
    stub.post("/v3/retrieval/rag").mock(
        return_value=stream_reply(
            ("message", delta("A")),
            ("citation", {"id": "early", "payload": {"text": "from a citation event"}}),
            ("final_answer", {"generated_answer": "A", "citations": citations}),
            ("done", "[DONE]"),
        )
    )
    expected = "A\n" + (f"\nCitations:\n{printed}" if printed else "")
    assert run(capsys, "rag", QUESTION, "--stream") == (0, expected, "")


def test_a_streamed_rag_that_asks_for_a_stream_by_field_too_is_sent_once(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    argv = ["rag", QUESTION, "--stream", "--field", "rag_generation_config.stream=true"]
    assert run(capsys, *argv) == (0, RAG_TEXT, "")
    assert env.requests[-1].json["rag_generation_config"] == {"stream": True}


def test_a_stream_asked_for_by_field_alone_is_printed_as_a_stream(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    argv = ["rag", QUESTION, "--field", "rag_generation_config.stream=true"]
    assert run(capsys, *argv) == (0, RAG_TEXT, "")
    assert env.requests[-1].json["rag_generation_config"] == {"stream": True}


def test_a_stream_contradicted_by_field_is_refused_before_sending(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    argv = ["rag", QUESTION, "--stream", "--field", "rag_generation_config.stream=false"]
    assert run(capsys, *argv) == (
        3, "", "error: stream: contradicts rag_generation_config.stream; give it once\n",
    )  # fmt: skip
    assert len(env.requests) == before


# -- --field PATH=VALUE ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "sent"),
    [
        # a string field keeps the text, even when it reads like JSON
        ("task_prompt=Answer {query} from {context}",
         {"task_prompt": "Answer {query} from {context}"}),
        ("task_prompt=5", {"task_prompt": "5"}),
        ("task_prompt=null", {"task_prompt": "null"}),
        ("task_prompt=", {"task_prompt": ""}),
        ("rag_generation_config.model=5", {"rag_generation_config": {"model": "5"}}),
        ("search_mode=advanced", {"search_mode": "advanced"}),
        # anything else is JSON
        ("search_settings.limit=5", {"search_settings": {"limit": 5}}),
        ("search_settings.use_hybrid_search=true",
         {"search_settings": {"use_hybrid_search": True}}),
        ("include_title_if_available=false", {"include_title_if_available": False}),
        ("rag_generation_config.temperature=0.25",
         {"rag_generation_config": {"temperature": 0.25}}),
        ('search_settings.filters={"document_id": {"$eq": "' + DOC + '"}}',
         {"search_settings": {"filters": {"document_id": {"$eq": DOC}}}}),
        ('search_settings={"limit": 2, "offset": 1}',
         {"search_settings": {"limit": 2, "offset": 1}}),
        ("rag_generation_config.tools=[]", {"rag_generation_config": {"tools": []}}),
        ("rag_generation_config.thinking_budget=null",
         {"rag_generation_config": {"thinking_budget": None}}),
        # a field the document leaves open takes JSON when it is JSON, else text
        ('search_settings.filters.document_id={"$eq": "' + DOC + '"}',
         {"search_settings": {"filters": {"document_id": {"$eq": DOC}}}}),
        ("search_settings.filters.title=zorblax.txt",
         {"search_settings": {"filters": {"title": "zorblax.txt"}}}),
        ("search_settings.filters.title=a=b",
         {"search_settings": {"filters": {"title": "a=b"}}}),
    ],
)  # fmt: skip
def test_a_field_is_typed_as_the_document_says(
    field: str, sent: dict[str, Any], capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, _out, err = run(capsys, "rag", QUESTION, "--field", field)
    assert (status, err) == (0, "")
    assert env.requests[-1].json == {"query": QUESTION, **sent}


def test_fields_merge_with_the_named_options_into_one_request(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    search_filter = {"document_id": {"$eq": DOC}}
    status, out, err = run(
        capsys, "rag", QUESTION, "--limit", "3", "--filter", json.dumps(search_filter),
        "--field", "search_settings.offset=0", "--model", "m",
        "--field", "rag_generation_config.top_p=0.5", "--field", "search_mode=custom",
        "--field", "search_settings.filters.title=zorblax.txt",
    )  # fmt: skip
    assert (status, out, err) == (0, RAG_TEXT, "")
    assert env.requests[-1].json == {
        "query": QUESTION,
        "search_mode": "custom",
        "search_settings": {
            "limit": 3,
            "offset": 0,
            "filters": {"document_id": {"$eq": DOC}, "title": "zorblax.txt"},
        },
        "rag_generation_config": {"model": "m", "top_p": 0.5},
    }


def test_completion_fields_reach_the_wire(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    argv = [*COMPLETION, "--temperature", "0", "--field", "generation_config.top_p=0.5"]
    assert run(capsys, *argv) == (0, ANSWER_HI, "")
    assert env.requests[-1].json == {
        "messages": [{"role": "user", "content": "hi"}],
        "generation_config": {"model": MODEL, "temperature": 0.0, "top_p": 0.5},
    }


def test_a_streamed_rag_takes_fields_too(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    argv = ["rag", QUESTION, "--stream", "--field", "include_title_if_available=true"]
    assert run(capsys, *argv) == (0, RAG_TEXT, "")
    assert env.requests[-1].json == {
        "query": QUESTION,
        "include_title_if_available": True,
        "rag_generation_config": {"stream": True},
    }


TWICE = "given twice (by --field or another option)"


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["rag", QUESTION, "--limit", "3", "--field", "search_settings.limit=5"],
         f"search_settings.limit: {TWICE}"),
        (["rag", QUESTION, "--field", "search_settings.limit=5",
          "--field", "search_settings.limit=5"],
         f"search_settings.limit: {TWICE}"),
        (["rag", QUESTION, "--model", "m", "--field", "rag_generation_config.model=n"],
         f"rag_generation_config.model: {TWICE}"),
        (["rag", QUESTION, "--filter", "{}", "--field", "search_settings.filters={}"],
         f"search_settings.filters: {TWICE}"),
        (["rag", QUESTION, "--limit", "3", "--field", 'search_settings={"offset": 1}'],
         f"search_settings: {TWICE}"),
        (["rag", QUESTION, "--field", "query=another question"], f"query: {TWICE}"),
        (["completion", "hi", "--field", 'messages=[{"role": "user", "content": "hi"}]'],
         f"messages: {TWICE}"),
        (["completion", "hi", "--temperature", "1", "--field", "generation_config.temperature=0"],
         f"generation_config.temperature: {TWICE}"),
        (["rag", QUESTION, "--field", "search_settings.filters=[1]",
          "--field", "search_settings.filters.title=x"],
         "search_settings.filters.title: search_settings.filters is already given as a value"),
        (["rag", QUESTION, "--field", "search_settings.limit=x"],
         "search_settings.limit: expected integer (as JSON), got 'x'"),
        (["rag", QUESTION, "--field", "search_settings.limit="],
         "search_settings.limit: expected integer (as JSON), got ''"),
        (["rag", QUESTION, "--field", "search_settings.use_hybrid_search=yes"],
         "search_settings.use_hybrid_search: expected boolean (as JSON), got 'yes'"),
        (["rag", QUESTION, "--field", "include_web_search=yes"],
         "include_web_search: expected boolean or null (as JSON), got 'yes'"),
        (["rag", QUESTION, "--field", "search_settings.limit.max=1"],
         "search_settings.limit.max: search_settings.limit has no field 'max' (its fields: none)"),
    ],
)  # fmt: skip
def test_a_field_given_twice_or_of_the_wrong_type_is_a_usage_error(
    argv: list[str], problem: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    assert run(capsys, *argv) == (
        2, "", f"error: --field {problem} (see: r2r-client {argv[0]} --help)\n",
    )  # fmt: skip
    assert len(env.requests) == before


def _fields_of(openapi: dict[str, Any], schema: str) -> str:
    return ", ".join(sorted(openapi["components"]["schemas"][schema]["properties"]))


@pytest.mark.parametrize(
    ("command", "path", "where", "schema"),
    [
        ("rag", "nope", "the request", "RAGRequest"),
        ("rag", "search_settings.nope", "search_settings", "SearchSettings"),
        ("rag", "search_settings.hybrid_settings.nope", "search_settings.hybrid_settings",
         "HybridSearchSettings"),
        ("rag", "rag_generation_config.nope", "rag_generation_config", "GenerationConfig"),
        ("completion", "nope", "the request", "CompletionRequest"),
        ("completion", "generation_config.nope", "generation_config", "GenerationConfig"),
    ],
)  # fmt: skip
def test_an_unknown_field_is_a_usage_error_naming_the_fields_there(
    command: str,
    path: str,
    where: str,
    schema: str,
    openapi: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    before = len(env.requests)
    known = _fields_of(openapi, schema)
    assert run(capsys, command, "hi", "--model", MODEL, "--field", f"{path}=1") == (
        2,
        "",
        f"error: --field {path}: {where} has no field 'nope' (its fields: {known})"
        f" (see: r2r-client {command} --help)\n",
    )
    assert len(env.requests) == before


@pytest.mark.parametrize("command", ["completion", "rag"])
@pytest.mark.parametrize(
    "text", ["novalue", "=5", ".limit=5", "search_settings.=5", "search_settings..limit=5", ""]
)
def test_a_malformed_field_is_a_usage_error(
    command: str, text: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    assert run(capsys, command, "hi", "--field", text) == (
        2,
        "",
        "error: argument --field: expected PATH=VALUE (e.g. search_settings.limit=5), got"
        f" {text!r} (see: r2r-client {command} --help)\n",
    )
    assert len(env.requests) == before


def test_a_field_the_document_gains_is_reachable_without_a_cli_change(
    openapi: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fields come from the document: a copy with new fields is all it takes.

    (A new top-level field also needs the generated method to take it as an argument:
    `nox -s generate` gives it one, from the same document.)"""
    status, out, err = run(capsys, "rag", QUESTION, "--field", "search_settings.rerank_depth=7")
    assert (status, out) == (2, "")
    assert "search_settings has no field 'rerank_depth'" in err

    gained = copy.deepcopy(openapi)
    schemas = gained["components"]["schemas"]
    schemas["SearchSettings"]["properties"]["rerank_depth"] = {"type": "integer"}
    schemas["SearchSettings"]["properties"]["rerank_mode"] = {"enum": ["fast", 2]}
    schemas["GenerationConfig"]["properties"]["seed_name"] = {"type": ["string", "null"]}
    load: Callable[[], dict[str, Any]] = lambda: gained  # noqa: E731
    monkeypatch.setattr(_cli_fields, "document", load)

    argv = ["rag", QUESTION, "--field", "search_settings.rerank_depth=7"]
    argv += [
        "--field",
        "rag_generation_config.seed_name=7",
        "--field",
        "search_settings.rerank_mode=2",
    ]
    assert run(capsys, *argv) == (0, RAG_TEXT, "")
    assert env.requests[-1].json == {
        "query": QUESTION,
        # JSON where the document says integer, or allows a number
        "search_settings": {"rerank_depth": 7, "rerank_mode": 2},
        "rag_generation_config": {"seed_name": "7"},  # text: the document says string
    }
    assert run(capsys, "rag", QUESTION, "--field", "search_settings.rerank_mode=fast")[0] == 0
    assert env.requests[-1].json["search_settings"] == {"rerank_mode": "fast"}
    assert run(capsys, *COMPLETION, "--field", "generation_config.seed_name=42") == (
        0, ANSWER_HI, "",
    )  # fmt: skip
    assert env.requests[-1].json["generation_config"] == {"model": MODEL, "seed_name": "42"}


SHAPES: dict[str, Any] = {
    "type": "object",
    "properties": {
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "open": {"type": "object", "additionalProperties": True},
        "closed": {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
            "additionalProperties": False,
        },
        "either": {"oneOf": [{"type": "integer"}, {"type": "boolean"}]},
        "one": {"oneOf": [{"$ref": "#/components/schemas/HybridSearchSettings"}, {"type": "null"}]},
        "hidden": {"not": {"not": {"$ref": "#/components/schemas/HybridSearchSettings"}}},
        "both": {
            "properties": {"a": {"type": "integer"}},
            "not": {"not": {"properties": {"b": {"type": "integer"}}}},
        },
        "loop": {"$ref": "#/components/schemas/Loop"},
        "level": {"enum": ["1", "2"]},
        "rank": {"enum": [1, 5]},
        "switch": {"const": "5"},
        "fixed": {"const": 5},
        "mixed": {"enum": [None, True, [1], {"a": 1}]},
    },
}
"""Schema shapes the document may use for a field, added under `search_settings.shapes`."""


@pytest.fixture
def shaped(openapi: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The `--field`s read a copy of the document with SHAPES in it (and a schema `Loop`
    that refers to itself)."""
    gained = copy.deepcopy(openapi)
    schemas = gained["components"]["schemas"]
    schemas["SearchSettings"]["properties"]["shapes"] = SHAPES
    loop = {"anyOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "integer"}]}
    schemas["Loop"] = {"not": {"not": loop}}  # hidden as the document hides recursive schemas
    load: Callable[[], dict[str, Any]] = lambda: gained  # noqa: E731
    monkeypatch.setattr(_cli_fields, "document", load)


@pytest.mark.parametrize(
    ("field", "sent"),
    [
        ("labels.any=5", {"labels": {"any": "5"}}),  # additionalProperties: a string
        ("open.any=5", {"open": {"any": 5}}),  # additionalProperties: anything
        ("either=5", {"either": 5}),
        ("one.rrf_k=5", {"one": {"rrf_k": 5}}),  # through a oneOf option's $ref
        ("hidden.rrf_k=5", {"hidden": {"rrf_k": 5}}),  # `not: {not: X}` is X
        ("both.a=1", {"both": {"a": 1}}),
        ("both.b=2", {"both": {"b": 2}}),
        ("loop=5", {"loop": 5}),  # a schema that refers to itself
        ("level=1", {"level": "1"}),  # an enum of strings keeps text
        ("rank=5", {"rank": 5}),  # an enum of numbers is JSON
        ("switch=5", {"switch": "5"}),  # a string constant keeps text
        ("fixed=5", {"fixed": 5}),  # a number constant is JSON
        ("mixed=[1]", {"mixed": [1]}),  # an enum of other JSON values is JSON
    ],
)
@pytest.mark.usefixtures("shaped")
def test_a_field_is_typed_through_every_shape_of_schema(
    field: str,
    sent: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    status, _out, err = run(capsys, "rag", QUESTION, "--field", f"search_settings.shapes.{field}")
    assert (status, err) == (0, "")
    assert env.requests[-1].json == {"query": QUESTION, "search_settings": {"shapes": sent}}


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("closed.b=1", "search_settings.shapes.closed has no field 'b' (its fields: a)"),
        ("either=x", "expected boolean or integer (as JSON), got 'x'"),
        ("loop=x", "expected integer (as JSON), got 'x'"),
        ("mixed=x", "expected array or boolean or null or object (as JSON), got 'x'"),
    ],
)
@pytest.mark.usefixtures("shaped")
def test_a_field_the_schema_refuses_is_a_usage_error_whatever_its_shape(
    field: str,
    problem: str,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    path = f"search_settings.shapes.{field}"
    assert run(capsys, "rag", QUESTION, "--field", path) == (
        2, "", f"error: --field {path.partition('=')[0]}: {problem} (see: r2r-client rag --help)\n",
    )  # fmt: skip


@pytest.mark.usefixtures("shaped")
def test_a_field_limited_to_some_numbers_names_them_when_refused(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, "rag", QUESTION, "--field", "search_settings.shapes.rank=x") == (
        2, "", "error: --field search_settings.shapes.rank: expected number (as JSON), got 'x'"
        " (see: r2r-client rag --help)\n",
    )  # fmt: skip


# -- metadata replace -----------------------------------------------------------------------


def test_metadata_replace_prints_the_new_metadata_and_sends_the_pairs(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(
        capsys, "metadata", "replace", DOC, "--set", "a=1", "--set", "b=x", "--set", "a=2"
    )
    assert (status, err) == (0, "")
    assert out == (
        f'Replaced the metadata of {DOC} (zorblax.txt):\n{{\n  "a": 2,\n  "b": "x"\n}}\n'
    )
    request = env.requests[-1]
    assert (request.method, request.path) == ("PUT", f"/v3/documents/{DOC}/metadata")
    assert request.json == [{"a": 2, "b": "x"}]


@pytest.mark.parametrize(
    ("pair", "entry"),
    [
        ("a=1", {"a": 1}),
        ("a=true", {"a": True}),
        ("a=null", {"a": None}),
        ("a=[1, 2]", {"a": [1, 2]}),
        ('a={"b": "c"}', {"a": {"b": "c"}}),
        ("a=text", {"a": "text"}),
        ("a=", {"a": ""}),
        ("a=b=c", {"a": "b=c"}),
        ("a = 1", {"a ": 1}),
    ],
)
def test_a_set_value_is_json_when_it_is_json_else_text(
    pair: str, entry: dict[str, Any], capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(capsys, "--json", "metadata", "replace", DOC, "--set", pair)
    assert (status, err) == (0, "")
    assert env.requests[-1].json == [entry]
    assert json.loads(out)["results"]["metadata"] == entry


@pytest.mark.parametrize(
    ("content", "sent"),
    [
        ('{"é": "ü"}', [{"é": "ü"}]),
        ('[{"a": 1}, {"b": 2}]', [{"a": 1}, {"b": 2}]),
    ],
)
@pytest.mark.parametrize("from_stdin", [False, True])
def test_metadata_replace_reads_a_json_file_or_stdin(
    content: str,
    sent: list[dict[str, Any]],
    from_stdin: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("-").write_text('{"from": "a file named -"}', encoding="utf-8")  # `-` is stdin
    if from_stdin:
        monkeypatch.setattr(sys, "stdin", io.StringIO(content))
        source = "-"
    else:
        (tmp_path / "m.json").write_bytes(content.encode("utf-8"))
        source = str(tmp_path / "m.json")
        monkeypatch.setattr(sys, "stdin", io.StringIO("not json"))
    status, out, err = run(capsys, "--json", "metadata", "replace", DOC, "--json", source)
    assert (status, err) == (0, "")
    assert env.requests[-1].json == sent
    merged = {k: v for item in sent for k, v in item.items()}
    assert json.loads(out)["results"]["metadata"] == merged
    if "é" in content:
        assert '"é": "ü"' in out  # not escaped


def test_the_metadata_text_output_shows_the_merged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    path = tmp_path / "m.json"
    path.write_text('[{"a": 1}, {"b": "two"}]', encoding="utf-8")
    assert run(capsys, "metadata", "replace", DOC, "--json", str(path)) == (
        0,
        f'Replaced the metadata of {DOC} (zorblax.txt):\n{{\n  "a": 1,\n  "b": "two"\n}}\n',
        "",
    )


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda path: None, "No such file or directory"),
        (lambda path: path.mkdir(), "Is a directory"),
        (lambda path: path.write_text("{nope", encoding="utf-8"),
         "not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
        (lambda path: path.write_bytes(b"\xff"),
         "not JSON ('utf-8' codec can't decode byte 0xff in position 0: invalid start byte)"),
    ],
)  # fmt: skip
def test_an_unreadable_metadata_file_is_a_usage_error(
    make: Callable[[Path], object],
    problem: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    path = tmp_path / "m.json"
    make(path)
    before = len(env.requests)
    assert run(capsys, "metadata", "replace", DOC, "--json", str(path)) == (
        2, "", f"error: --json {path}: {problem} (see: r2r-client metadata replace --help)\n",
    )  # fmt: skip
    assert len(env.requests) == before


def test_a_file_error_without_a_description_shows_the_error_itself(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = builtins.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if file == "m.json":
            raise OSError("refused")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    assert run(capsys, "metadata", "replace", DOC, "--json", "m.json") == (
        2, "", "error: --json m.json: refused (see: r2r-client metadata replace --help)\n",
    )  # fmt: skip


def test_metadata_of_an_unknown_document_is_status_4_with_the_owner_hint(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    unknown = "2997d84e-4408-5087-b818-dd5406d1b8f9"
    assert run(capsys, "metadata", "replace", unknown, "--set", "a=1") == (
        4,
        "",
        "error: 404 Document not found. (only the document's owner may change its metadata: a"
        " document shared with you through a collection answers 404 too)\n",
    )


# -- failures: one line, an exit status, no credential ----------------------------------------


@pytest.mark.parametrize(
    ("argv", "stdin", "line"),
    [
        (["metadata", "replace", "not-a-uuid", "--set", "a=1"], "",
         "error: id: expected a UUID, got 'not-a-uuid'\n"),
        (["metadata", "replace", DOC, "--json", "-"], '"not a list"',
         "error: metadata: expected a list, got str\n"),
        (["metadata", "replace", DOC, "--json", "-"], "[1]",
         "error: metadata[0]: expected object, got int 1\n"),
        (["rag", QUESTION, "--limit", "0"], "",
         "error: search_settings.limit: must be >= 1, got 0\n"),
        (["rag", QUESTION, "--field", "search_settings.limit=5.5"], "",
         "error: search_settings.limit: expected integer, got float 5.5\n"),
        (["rag", QUESTION, "--field", 'search_settings.limit="5"'], "",
         "error: search_settings.limit: expected integer, got str '5'\n"),
        ([*COMPLETION, "--field", "generation_config.stream=true"], "",
         "error: generation_config.stream: must be False, got True\n"),
        ([*COMPLETION, "--max-tokens", "5", "--field", "generation_config.max_tokens_to_sample=9"],
         "", "error: generation_config.max_tokens: is an alias of max_tokens_to_sample, and both"
         " were given with different values\n"),
    ],
)  # fmt: skip
def test_a_request_the_client_refuses_is_status_3_and_not_sent(
    argv: list[str],
    stdin: str,
    line: str,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    before = len(env.requests)
    assert run(capsys, *argv) == (3, "", line)
    assert len(env.requests) == before


def test_a_401_is_status_4_in_one_line(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    wrong = "sk-wrong-SECRET-0000"
    assert run(capsys, *COMPLETION, "--api-key", wrong) == (
        4,
        "",
        "error: 401 Invalid token or API key (check the API key (api_key= or R2R_API_KEY) or the"
        " login token (access_token=) given to the client)\n",
    )
    assert env.requests[-1].headers["authorization"] == f"Bearer {wrong}"


def test_a_401_without_a_key_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("R2R_API_KEY")
    assert run(capsys, *COMPLETION) == (
        4,
        "",
        "error: 401 no credentials were sent: give an API key with --api-key or R2R_API_KEY\n",
    )


@pytest.mark.parametrize(
    ("status_code", "request_id", "status", "line"),
    [
        (400, None, 4, "error: 400 Went wrong badly\n"),
        (422, "req-7", 4, "error: 422 Went wrong badly (request id req-7)\n"),
        (499, None, 4, "error: 499 Went wrong badly\n"),
        (500, "req-8", 5, "error: 500 Went wrong badly (request id req-8)\n"),
        (503, None, 5, "error: 503 Went wrong badly\n"),
    ],
)
def test_a_4xx_is_status_4_and_a_5xx_status_5(
    status_code: int,
    request_id: str | None,
    status: int,
    line: str,
    capsys: pytest.CaptureFixture[str],
    stub: respx.MockRouter,
) -> None:
    headers = {"x-request-id": request_id} if request_id else {}
    stub.post("/v3/retrieval/completion").respond(
        status_code, headers=headers, json={"detail": "Went  wrong\nbadly"}
    )
    assert run(capsys, *COMPLETION, "--max-retries", "0") == (status, "", line)


def test_a_rate_limit_names_the_limit_and_why_it_was_not_retried(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    stub.post("/v3/retrieval/completion").respond(
        429, json={"detail": "Per-route per-minute rate limit exceeded"}
    )
    assert run(capsys, *COMPLETION, "--max-retries", "0") == (
        4,
        "",
        "error: 429 Per-route per-minute rate limit exceeded: your requests per minute on this"
        " route (route_per_min) ran out; not retried (max_retries=0); the limit frees within a"
        " minute\n",
    )


def test_an_unreachable_server_is_status_5(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_API_BASE", "http://127.0.0.1:9")  # nothing listens there
    assert run(capsys, *COMPLETION, "--max-retries", "0") == (5, "", REFUSED)


@pytest.mark.parametrize("json_lines", [False, True])
def test_an_error_event_mid_stream_ends_the_line_and_is_status_5(
    json_lines: bool, capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    stub.post("/v3/retrieval/rag").mock(
        return_value=stream_reply(
            ("message", delta("half")),
            ("error", {"error": {"message": "the LLM  went\naway", "type": "ProviderError"}}),
        )
    )
    status, out, err = run(capsys, "rag", QUESTION, "--stream", *(["--json"] * json_lines))
    first = '{"event": "message", "data": ' + json.dumps(delta("half")) + "}\n"
    assert (status, out, err) == (
        5, first if json_lines else "half\n", "error: the LLM went away\n",
    )  # fmt: skip


def test_a_configuration_error_is_status_3(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, *COMPLETION, "--base-url", "ftp://nowhere") == (
        3, "", "error: base_url must be an http(s) URL, got 'ftp://nowhere'\n",
    )  # fmt: skip


def test_a_server_echoing_the_key_never_shows_it(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    stub.post("/v3/retrieval/completion").respond(400, json={"detail": f"bad key {KEY}"})
    assert run(capsys, *COMPLETION) == (4, "", f"error: 400 bad key {MASK}\n")


@pytest.mark.parametrize("log", ["", "info", " Debug "])
def test_an_internal_error_is_status_1_with_the_key_masked(
    log: str,
    capsys: pytest.CaptureFixture[str],
    stub: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug below the command (here: in the transport) is reported as one; R2R_LOG=debug
    adds its traceback."""
    monkeypatch.setenv("R2R_LOG", log)
    stub.post("/v3/retrieval/completion").mock(side_effect=RuntimeError(f"boom\n{KEY} x"))
    status, out, err = run(capsys, *COMPLETION, "--max-retries", "0")
    assert (status, out) == (1, "")
    last = f"error: internal error: RuntimeError: boom {MASK} x\n"
    assert err.endswith(last)
    assert KEY not in err
    if log.strip() == "Debug":
        assert err.startswith("Traceback (most recent call last):\n  File ")
        assert f"RuntimeError: boom\n{MASK} x\n{last}" in err
    else:
        assert err == last


def test_an_r2r_error_never_shows_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setenv("R2R_API_BASE", "http://127.0.0.1:9")
    assert run(capsys, *COMPLETION, "--max-retries", "0") == (5, "", REFUSED)


def test_the_key_from_the_option_is_masked_too(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("R2R_API_KEY")
    stub.post("/v3/retrieval/completion").mock(side_effect=ValueError("sk-opt-1 leaked"))
    assert run(capsys, *COMPLETION, "--api-key", "sk-opt-1") == (
        1, "", f"error: internal error: ValueError: {MASK} leaked\n",
    )  # fmt: skip


def test_without_a_key_nothing_is_masked(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("R2R_API_KEY")
    stub.post("/v3/retrieval/completion").mock(side_effect=ValueError("plain XXXX text"))
    assert run(capsys, *COMPLETION) == (
        1, "", "error: internal error: ValueError: plain XXXX text\n",
    )  # fmt: skip


def test_a_usage_error_found_after_parsing_masks_the_key(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, tmp_path: Path
) -> None:
    path = tmp_path / f"{KEY}.json"
    assert run(capsys, "metadata", "replace", DOC, "--json", str(path)) == (
        2,
        "",
        f"error: --json {tmp_path / MASK}.json: No such file or directory"
        " (see: r2r-client metadata replace --help)\n",
    )


class _Interrupted(httpx.SyncByteStream):
    """A body that arrives in part, then the user presses Ctrl-C."""

    def __init__(self, first: bytes) -> None:
        self.first = first

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("json_lines", "printed"),
    [
        (False, "half an answ\n"),  # the open line is ended, so the prompt starts on its own
        (True, '{"event": "message", "data": ' + json.dumps(delta("half an answ")) + "}\n"),
    ],
)
def test_ctrl_c_mid_stream_is_status_130_and_ends_the_open_line(
    json_lines: bool, printed: str, capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    route = stub.post("/v3/retrieval/rag").mock(
        return_value=httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            stream=_Interrupted(sse(("message", delta("half an answ")))),
        )
    )
    argv = ["rag", QUESTION, "--stream", *(["--json"] * json_lines)]
    assert run(capsys, *argv) == (130, printed, "")
    assert route.call_count == 1


def test_ctrl_c_before_an_answer_is_status_130_and_prints_nothing(
    capsys: pytest.CaptureFixture[str], stub: respx.MockRouter
) -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    stub.post("/v3/retrieval/completion").mock(side_effect=interrupt)
    assert run(capsys, *COMPLETION) == (130, "", "")


def test_a_closed_pipe_is_status_141_and_silences_stdout(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`r2r-client ... | head`: the reader has gone; the command stops without a word, and the
    interpreter's last flush of stdout at exit has nowhere to fail."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w", encoding="utf-8") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)
        assert main(COMPLETION) == 141
        os.write(stdout.fileno(), b"after")  # the null device now: no BrokenPipeError
    assert capsys.readouterr().err == ""


def test_a_warning_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_API_BASE", "http://0.0.0.0:9")  # not loopback: the key goes in clear
    monkeypatch.setenv("R2R_API_KEY", KEY)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, out, err = run(capsys, *COMPLETION, "--max-retries", "0")
    assert (status, out, err) == (5, "", REFUSED)
    shown = [warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught]
    assert shown == ["warning: sending an api key over plain http to 0.0.0.0; use https\n"]

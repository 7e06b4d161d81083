"""The `r2r-client` command run in-process (`main(argv)`, as the console script calls it).

Exact output, exit statuses and what reaches the server, against the fake server on loopback.
test_cli.py keeps what needs a real process (a terminal's Ctrl-C, `python -m`, the installed
script); here every line of the command's output is pinned, and the `--help` texts are compared
with a committed snapshot (tests/snapshots/cli_help.txt).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from r2r_client import _logging as r2r_logging
from r2r_client import cli
from r2r_client._config import DEFAULT_MAX_RETRIES, NOT_GIVEN, __version__
from r2r_client.cli import main
from r2r_client.errors import (
    APIConnectionError,
    APIStatusError,
    ConfigurationError,
    InvalidRequestError,
    R2RError,
)
from r2r_client.testing import ANSWER_PREFIX, FakeR2RServer

pytestmark = pytest.mark.loopback

KEY = "sk-cli-TOPSECRET-42"
QUESTION = "Who invented the Zorblax protocol?"
DOC = "2997d84e-4408-5087-b818-dd5406d1b8f1"  # the fake server's seeded zorblax.txt
SNAPSHOT = Path(__file__).parent / "snapshots" / "cli_help.txt"
HELP_COMMANDS = [[], ["completion"], ["rag"], ["metadata"], ["metadata", "replace"]]
CITATIONS = (
    "\n\nCitations:\n"
    "  [8920c95] The Zorblax protocol was invented in 1987 by Dr. Quenella Marsh at the Harwick"
    " Institute. It uses t…\n"
    "  [dd92fd1] Zorblax handshakes are exchanged every 40 milliseconds. A missed handshake"
    " triggers a resynchroniza…\n"
)
RAG_TEXT = f"{ANSWER_PREFIX} [8920c95] [dd92fd1]. You asked: {QUESTION}{CITATIONS}"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeR2RServer]:
    with FakeR2RServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def env(server: FakeR2RServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeR2RServer]:
    """The command pointed at the module's server through the environment; the logging that
    R2R_LOG turns on in a test is turned off after it."""
    monkeypatch.setenv("R2R_API_BASE", server.base_url)
    monkeypatch.setenv("R2R_API_KEY", KEY)
    monkeypatch.delenv("R2R_LOG", raising=False)
    monkeypatch.delenv("R2R_LOG_BODIES", raising=False)
    monkeypatch.setattr(warnings, "formatwarning", warnings.formatwarning)
    monkeypatch.setattr(r2r_logging, "_handler", r2r_logging._handler)
    monkeypatch.setattr(r2r_logging, "_log_bodies", r2r_logging._log_bodies)
    logger = logging.getLogger("r2r_client")
    level, handlers = logger.level, logger.handlers[:]
    yield server
    logger.setLevel(level)
    logger.handlers[:] = handlers


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int | str | None, str, str]:
    """The command's exit status, standard output and standard error."""
    status: int | str | None
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- help and version -----------------------------------------------------------------------


def help_texts(capsys: pytest.CaptureFixture[str]) -> str:
    parts = []
    for command in HELP_COMMANDS:
        status, out, err = run(capsys, *command, "--help")
        assert (status, err) == (0, "")
        parts.append(f"$ r2r-client {' '.join([*command, '--help'])}\n{out}")
    return "\n".join(parts)


def test_help_of_every_command_matches_the_snapshot(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regenerate deliberately, after reading the diff: R2R_UPDATE_SNAPSHOTS=1 pytest ..."""
    monkeypatch.setenv("COLUMNS", "100")
    text = help_texts(capsys)
    if os.environ.get("R2R_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8")
    if sys.version_info[:2] == (3, 11):
        assert text == expected
    else:  # argparse lays out help a little differently from one Python to the next
        assert text.split() == expected.split()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"r2r-client {__version__}\n", "")


# -- the parsed command line ----------------------------------------------------------------

COMMON_DEFAULTS: dict[str, Any] = {
    "base_url": None,
    "api_key": None,
    "auth_header": "bearer",
    "timeout": None,
    "max_retries": DEFAULT_MAX_RETRIES,
    "json": False,
}
GENERATION_DEFAULTS = {"model": None, "temperature": None, "max_tokens": None}
COMMON_GIVEN = ["--base-url", "http://h:1", "--api-key", "k", "--auth-header", "x-api-key"]
COMMON_GIVEN += ["--timeout", "2.5", "--max-retries", "0"]
COMMON_VALUES = {
    "base_url": "http://h:1",
    "api_key": "k",
    "auth_header": "x-api-key",
    "timeout": 2.5,
    "max_retries": 0,
}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["completion", "q"],
            {**COMMON_DEFAULTS, **GENERATION_DEFAULTS, "command": "completion", "question": "q",
             "system": None, "run": cli._completion},
        ),
        (
            ["completion", "q", "--system", "s", "--model", "m", "--temperature", "0.5",
             "--max-tokens", "7", *COMMON_GIVEN, "--json"],
            {**COMMON_DEFAULTS, **COMMON_VALUES, "json": True, "command": "completion",
             "question": "q", "system": "s", "model": "m", "temperature": 0.5, "max_tokens": 7,
             "run": cli._completion},
        ),
        (
            [*COMMON_GIVEN, "--json", "completion", "q"],
            {**COMMON_DEFAULTS, **COMMON_VALUES, **GENERATION_DEFAULTS, "json": True,
             "command": "completion", "question": "q", "system": None, "run": cli._completion},
        ),
        (
            ["rag", "q"],
            {**COMMON_DEFAULTS, **GENERATION_DEFAULTS, "command": "rag", "question": "q",
             "stream": False, "limit": None, "filter": None, "run": cli._rag},
        ),
        (
            ["rag", "q", "--stream", "--limit", "0", "--filter", '{"a": 1}', *COMMON_GIVEN],
            {**COMMON_DEFAULTS, **GENERATION_DEFAULTS, **COMMON_VALUES, "command": "rag",
             "question": "q", "stream": True, "limit": 0, "filter": {"a": 1}, "run": cli._rag},
        ),
        (
            ["metadata", "replace", "D", "--set", "a=1", "--set", "b=x"],
            {**COMMON_DEFAULTS, "command": "metadata", "action": "replace", "document_id": "D",
             "pairs": [("a", 1), ("b", "x")], "json_file": None,
             "run": cli._replace_metadata},
        ),
        (
            ["--json", "metadata", "replace", "D", "--json", "f.json", *COMMON_GIVEN],
            {**COMMON_DEFAULTS, **COMMON_VALUES, "json": True, "command": "metadata",
             "action": "replace", "document_id": "D", "pairs": None, "json_file": "f.json",
             "run": cli._replace_metadata},
        ),
        (
            [*COMMON_GIVEN, "--json", "rag", "q"],
            {**COMMON_DEFAULTS, **GENERATION_DEFAULTS, **COMMON_VALUES, "json": True,
             "command": "rag", "question": "q", "stream": False, "limit": None, "filter": None,
             "run": cli._rag},
        ),
        (
            [*COMMON_GIVEN, "metadata", "replace", "D", "--set", "a=1"],
            {**COMMON_DEFAULTS, **COMMON_VALUES, "command": "metadata", "action": "replace",
             "document_id": "D", "pairs": [("a", 1)], "json_file": None,
             "run": cli._replace_metadata},
        ),
    ],
)  # fmt: skip
def test_the_parsed_command_line(argv: list[str], expected: dict[str, Any]) -> None:
    assert vars(cli.build_parser().parse_args(argv)) == expected


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        ([], "error: the following arguments are required: COMMAND (see: r2r-client --help)"),
        (["metadata"], "error: the following arguments are required: ACTION"
         " (see: r2r-client metadata --help)"),
        (["metadata", "replace"], "error: the following arguments are required: DOCUMENT_ID"
         " (see: r2r-client metadata replace --help)"),
        (["metadata", "replace", DOC], "error: one of the arguments --set --json is required"
         " (see: r2r-client metadata replace --help)"),
        (["rag", "q", "--limit", "-1"], "error: argument --limit: expected an integer >= 0, got"
         " '-1' (see: r2r-client rag --help)"),
        (["rag", "q", "--max-tokens", "x"], "error: argument --max-tokens: expected an integer"
         " >= 0, got 'x' (see: r2r-client rag --help)"),
        (["completion", "q", "--timeout", "0"], "error: argument --timeout: expected a positive"
         " number of seconds, got '0' (see: r2r-client completion --help)"),
        (["--timeout", "soon", "rag", "q"], "error: argument --timeout: expected a positive"
         " number of seconds, got 'soon' (see: r2r-client --help)"),
        (["--max-retries", "-2", "rag", "q"], "error: argument --max-retries: expected an integer"
         " >= 0, got '-2' (see: r2r-client --help)"),
        (["rag", "q", "--filter", "[1]"], "error: argument --filter: expected a JSON object,"
         " got '[1]' (see: r2r-client rag --help)"),
        (["rag", "q", "--filter", "{x"], "error: argument --filter: not JSON (Expecting property"
         " name enclosed in double quotes: line 1 column 2 (char 1)): '{x'"
         " (see: r2r-client rag --help)"),
        (["metadata", "replace", DOC, "--set", "novalue"], "error: argument --set: expected"
         " KEY=VALUE, got 'novalue' (see: r2r-client metadata replace --help)"),
        (["metadata", "replace", DOC, "--set", "=1"], "error: argument --set: expected"
         " KEY=VALUE, got '=1' (see: r2r-client metadata replace --help)"),
        (["--auth-header", "token", "rag", "q"], "error: argument --auth-header: invalid choice:"
         " 'token' (choose from 'bearer', 'x-api-key') (see: r2r-client --help)"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_exact_line_and_status_2(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    assert run(capsys, *argv) == (2, "", line + "\n")
    assert len(env.requests) == before


@pytest.mark.parametrize(
    ("text", "value"), [("1.5", 1.5), ("1e-3", 0.001), ("7", 7.0), ("inf", float("inf"))]
)
def test_positive_float_accepts(text: str, value: float) -> None:
    assert cli._positive_float(text) == value


@pytest.mark.parametrize("text", ["0", "-0.5", "nan", "x", ""])
def test_positive_float_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        cli._positive_float(text)
    assert str(raised.value) == f"expected a positive number of seconds, got {text!r}"


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("1", 1), ("12", 12)])
def test_count_accepts(text: str, value: int) -> None:
    assert cli._count(text) == value


@pytest.mark.parametrize("text", ["-1", "1.5", "x", ""])
def test_count_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        cli._count(text)
    assert str(raised.value) == f"expected an integer >= 0, got {text!r}"


def test_json_object_accepts_an_object_only() -> None:
    assert cli._json_object('{"a": [1]}') == {"a": [1]}
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        cli._json_object("3")
    assert str(raised.value) == "expected a JSON object, got '3'"
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        cli._json_object("")
    assert str(raised.value) == "not JSON (Expecting value: line 1 column 1 (char 0)): ''"
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("a=1", ("a", 1)),
        ("a=true", ("a", True)),
        ("a=null", ("a", None)),
        ("a=[1, 2]", ("a", [1, 2])),
        ("a=text", ("a", "text")),
        ("a=", ("a", "")),
        ("a=b=c", ("a", "b=c")),
        ("a = 1", ("a ", 1)),
    ],
)
def test_key_value_reads_json_values_else_text(text: str, pair: tuple[str, Any]) -> None:
    assert cli._key_value(text) == pair


# -- the three calls ------------------------------------------------------------------------


def test_completion_text_and_what_is_sent(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(
        capsys, "completion", "Say hi", "--system", "Be brief.", "--model", "m-1",
        "--temperature", "0.5", "--max-tokens", "20",
    )  # fmt: skip
    assert (status, out, err) == (0, f"{ANSWER_PREFIX}. You asked: Say hi\n", "")
    request = env.requests[-1]
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.json == {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Say hi"},
        ],
        "generation_config": {"model": "m-1", "temperature": 0.5, "max_tokens_to_sample": 20},
    }


def test_completion_without_options_sends_the_question_alone(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, "completion", "hi") == (0, f"{ANSWER_PREFIX}. You asked: hi\n", "")
    assert env.requests[-1].json == {"messages": [{"role": "user", "content": "hi"}]}


def test_completion_json_is_the_whole_result_indented(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(capsys, "completion", "hi", "--json")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert (
        result["results"]["choices"][0]["message"]["content"] == f"{ANSWER_PREFIX}. You asked: hi"
    )
    assert out == json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def test_completion_without_choices_prints_an_empty_line(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from r2r_client import resources

    real = resources.RetrievalResource.completion

    def no_choices(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = real(self, *args, **kwargs)
        result.results.choices = []
        return result

    monkeypatch.setattr(resources.RetrievalResource, "completion", no_choices)
    assert run(capsys, "completion", "hi") == (0, "\n", "")


def test_rag_text_then_citations_and_what_is_sent(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    search_filter = {"document_id": {"$eq": DOC}}
    status, out, err = run(
        capsys, "rag", QUESTION, "--limit", "3", "--filter", json.dumps(search_filter),
        "--model", "m", "--temperature", "0", "--max-tokens", "9",
    )  # fmt: skip
    assert (status, out, err) == (0, RAG_TEXT, "")
    assert env.requests[-1].json == {
        "query": QUESTION,
        "search_settings": {"limit": 3, "filters": search_filter},
        "rag_generation_config": {"model": "m", "temperature": 0.0, "max_tokens_to_sample": 9},
    }


@pytest.mark.parametrize(
    ("options", "settings"),
    [([], None), (["--limit", "2"], {"limit": 2}), (["--filter", "{}"], {"filters": {}})],
)
def test_rag_sends_only_the_settings_given(
    options: list[str],
    settings: dict[str, Any] | None,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    status, _out, err = run(capsys, "rag", QUESTION, *options)
    assert (status, err) == (0, "")
    body = env.requests[-1].json
    assert body.get("search_settings") == settings
    assert "rag_generation_config" not in body


def test_rag_json_is_the_whole_result(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(capsys, "--json", "rag", QUESTION)
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["results"]["generated_answer"].startswith(ANSWER_PREFIX)
    assert out == json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def test_rag_stream_prints_what_the_whole_answer_prints(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    assert run(capsys, "rag", QUESTION, "--stream", "--limit", "5") == (0, RAG_TEXT, "")
    assert env.requests[-1].json == {
        "query": QUESTION,
        "search_settings": {"limit": 5},
        "rag_generation_config": {"stream": True},
    }
    assert env.requests[-1].headers["accept"] == "text/event-stream"


def test_rag_stream_json_is_one_event_per_line(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(capsys, "rag", QUESTION, "--stream", "--json")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    events = [json.loads(line) for line in lines]
    assert [json.dumps(event, default=str) for event in events] == lines
    names = [event["event"] for event in events]
    assert names[0] == "search_results"
    assert names[-1] == "final_answer"
    assert {"message", "citation"} <= set(names)
    assert all(set(event) == {"event", "data"} for event in events)
    text = "".join(
        e["data"]["delta"]["content"][0]["payload"]["value"] for e in events
        if e["event"] == "message"
    )  # fmt: skip
    assert text == f"{ANSWER_PREFIX} [8920c95] [dd92fd1]. You asked: {QUESTION}"
    assert events[-1]["data"]["generated_answer"] == text
    assert "Citations" not in out


class _Stream:
    """A stand-in for RAGStream's iteration, for event sequences the fake server never sends."""

    def __init__(self, events: list[Any]) -> None:
        self.events = events
        self.closed = False

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def __iter__(self) -> Iterator[Any]:
        return iter(self.events)


def _citation(cid: str, text: str) -> dict[str, Any]:
    return {"id": cid, "payload": {"text": text}}


def _stream_output(
    events: list[Any], json_lines: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, _Stream]:
    stream = _Stream(events)
    monkeypatch.setattr(cli, "RAGStream", _Stream)
    calls: list[dict[str, Any]] = []

    class Retrieval:
        def rag(self, **kwargs: Any) -> _Stream:
            calls.append(kwargs)
            return stream

    client: Any = type("Client", (), {"retrieval": Retrieval()})()
    buffer = io.StringIO()
    cli._rag_stream(client, {"query": "q"}, json_lines=json_lines, out=cli._Output(buffer))
    assert calls == [{"query": "q", "stream": True}]
    return buffer.getvalue(), stream


def test_rag_stream_citations_from_citation_events_when_no_final_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from r2r_client.events import CitationEvent, MessageEvent, UnknownEvent

    events = [
        MessageEvent({"delta": {"content": [{"type": "text", "payload": {"value": "An"}}]}}),
        UnknownEvent("ping", "x"),
        MessageEvent({"delta": {"content": [{"type": "text", "payload": {"value": "swer"}}]}}),
        CitationEvent(_citation("c1", "one")),
    ]  # fmt: skip
    out, stream = _stream_output(events, False, monkeypatch)
    assert out == "Answer\n\nCitations:\n  [c1] one\n"
    assert stream.closed


def test_rag_stream_final_answer_citations_win(monkeypatch: pytest.MonkeyPatch) -> None:
    from r2r_client.events import CitationEvent, FinalAnswerEvent

    events = [
        CitationEvent(_citation("c1", "one")),
        FinalAnswerEvent({"generated_answer": "A", "citations": [_citation("c2", "two"), "junk"]}),
    ]
    out, _ = _stream_output(events, False, monkeypatch)
    assert out == "\n\nCitations:\n  [c2] two\n"


def test_rag_stream_final_answer_without_citations_prints_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from r2r_client.events import CitationEvent, FinalAnswerEvent

    events = [
        CitationEvent(_citation("c1", "one")),
        FinalAnswerEvent({"generated_answer": "A", "citations": None}),
    ]
    out, _ = _stream_output(events, False, monkeypatch)
    assert out == "\n"


def test_rag_stream_json_lines_show_unknown_events_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from r2r_client.events import UnknownEvent

    out, _ = _stream_output([UnknownEvent("ping", {"n": 1})], True, monkeypatch)
    assert out == '{"event": "unknown", "data": {"n": 1}}\n'


# -- metadata -------------------------------------------------------------------------------


def test_metadata_replace_text_and_what_is_sent(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(
        capsys, "metadata", "replace", DOC, "--set", "a=1", "--set", "b=x", "--set", "a=2"
    )
    assert (status, err) == (0, "")
    assert out == (
        f'Replaced the metadata of {DOC} (zorblax.txt):\n{{\n  "a": 2,\n  "b": "x"\n}}\n'
    )
    assert env.requests[-1].json == [{"a": 2, "b": "x"}]
    assert env.requests[-1].path == f"/v3/documents/{DOC}/metadata"


@pytest.mark.parametrize(
    ("content", "sent"),
    [
        ('{"é": "ü"}', [{"é": "ü"}]),
        ('[{"a": 1}, {"b": 2}]', [{"a": 1}, {"b": 2}]),
    ],
)
@pytest.mark.parametrize("from_stdin", [False, True])
def test_metadata_replace_from_a_file_or_stdin(
    content: str,
    sent: list[dict[str, Any]],
    from_stdin: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "-"  # a file named like stdin's stand-in is read only as ./-
    path.write_bytes(content.encode("utf-8"))
    if from_stdin:
        monkeypatch.setattr(sys, "stdin", io.StringIO(content))
        source = "-"
    else:
        path.write_bytes(content.encode("utf-8"))
        source = str(path)
        monkeypatch.setattr(sys, "stdin", io.StringIO("not json"))
    status, out, err = run(capsys, "--json", "metadata", "replace", DOC, "--json", source)
    assert (status, err) == (0, "")
    assert env.requests[-1].json == sent
    merged = {k: v for item in sent for k, v in item.items()}
    assert json.loads(out)["results"]["metadata"] == merged
    if "é" in content:
        assert '"é": "ü"' in out  # not escaped


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "No such file or directory"),
        ("{nope", "not JSON (Expecting property name enclosed in double quotes: line 1 column 2"
         " (char 1))"),
    ],
)  # fmt: skip
def test_an_unreadable_metadata_file_is_a_usage_error(
    content: str | None,
    problem: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
) -> None:
    path = tmp_path / "m.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    before = len(env.requests)
    status, out, err = run(capsys, "metadata", "replace", DOC, "--json", str(path))
    assert (status, out) == (2, "")
    assert err == f"error: --json {path}: {problem} (see: r2r-client --help)\n"
    assert len(env.requests) == before


def test_read_json_file_without_strerror_shows_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("refused")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(cli._UsageError) as raised:
        cli._read_json_file("x.json")
    assert str(raised.value) == "--json x.json: refused"


# -- errors ---------------------------------------------------------------------------------


def test_a_401_is_status_4_one_line_without_the_key(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    wrong = "sk-wrong-SECRET-0000"
    assert run(capsys, "completion", "hi", "--api-key", wrong) == (
        4, "", "error: 401 Invalid token or API key\n",
    )  # fmt: skip
    assert env.requests[-1].headers["authorization"] == f"Bearer {wrong}"


def test_the_key_goes_in_the_header_asked_for(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, _out, err = run(capsys, "completion", "hi", "--auth-header", "x-api-key")
    assert (status, err) == (0, "")
    headers = env.requests[-1].headers
    assert headers["x-api-key"] == KEY
    assert "authorization" not in headers


def test_a_5xx_is_status_5_and_retries_follow_the_option(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    with env.fail_next("status_503", 2):
        assert run(capsys, "completion", "hi", "--max-retries", "1", "--timeout", "30") == (
            5, "", "error: 503 Service Unavailable\n",
        )  # fmt: skip
    assert len(env.requests) == before + 2


def test_the_base_url_option_wins_over_the_environment(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_API_BASE", "http://127.0.0.1:9")
    status, out, err = run(capsys, "completion", "hi", "--base-url", env.base_url)
    assert (status, out, err) == (0, f"{ANSWER_PREFIX}. You asked: hi\n", "")


def test_client_side_validation_is_status_3(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    before = len(env.requests)
    status, out, err = run(capsys, "metadata", "replace", "not-a-uuid", "--set", "a=1")
    assert (status, out) == (3, "")
    assert re.fullmatch(r"error: id: [^\n]+\n", err), err
    assert len(env.requests) == before


def test_a_configuration_error_is_status_3(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer
) -> None:
    status, out, err = run(capsys, "completion", "hi", "--base-url", "ftp://nowhere")
    assert (status, out) == (3, "")
    assert err.startswith("error: ")
    assert err.count("\n") == 1


def _raising(exc: BaseException, printed: str = "") -> Any:
    def command(client: Any, args: argparse.Namespace, out: cli._Output) -> None:
        assert client.__class__.__name__ == "R2RClient"
        assert isinstance(args, argparse.Namespace)
        out.write(printed)
        raise exc

    return command


@pytest.mark.parametrize("log", ["", "info", " Debug "])
def test_an_internal_error_is_status_1_with_the_key_masked(
    log: str,
    capsys: pytest.CaptureFixture[str],
    env: FakeR2RServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("R2R_LOG", log)
    monkeypatch.setattr(cli, "_completion", _raising(RuntimeError(f"boom\n{KEY} x"), "partial"))
    status, out, err = run(capsys, "completion", "hi")
    assert (status, out) == (1, "partial\n")
    last = "error: internal error: RuntimeError: boom ********** x\n"
    assert err.endswith(last)
    assert KEY not in err
    if log.strip() == "Debug":
        assert err.startswith("Traceback (most recent call last):\n  File ")
        assert "RuntimeError: boom\n********** x\n" + last in err
    else:
        assert err == last


def test_an_r2r_error_never_shows_a_traceback(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_LOG", "debug")
    monkeypatch.setattr(cli, "_completion", _raising(R2RError(f"broken  {KEY}")))
    status, out, err = run(capsys, "completion", "hi")
    assert (status, out) == (5, "")
    assert err.endswith("error: broken **********\n")
    assert "Traceback" not in err


def test_the_key_from_the_option_is_masked_too(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("R2R_API_KEY")
    monkeypatch.setattr(cli, "_completion", _raising(ValueError("sk-opt-1 leaked")))
    status, _out, err = run(capsys, "completion", "hi", "--api-key", "sk-opt-1")
    assert (status, err) == (1, "error: internal error: ValueError: ********** leaked\n")


def test_without_a_key_nothing_is_masked(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("R2R_API_KEY")
    monkeypatch.setattr(cli, "_completion", _raising(ValueError("plain XXXX text")))
    status, _out, err = run(capsys, "completion", "hi")
    assert (status, err) == (1, "error: internal error: ValueError: plain XXXX text\n")


def test_ctrl_c_ends_the_open_line_and_is_status_130(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_completion", _raising(KeyboardInterrupt(), "half an answ"))
    assert run(capsys, "completion", "hi") == (130, "half an answ\n", "")


def test_ctrl_c_after_a_whole_line_adds_nothing(
    capsys: pytest.CaptureFixture[str], env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_completion", _raising(KeyboardInterrupt(), "a line\n"))
    assert run(capsys, "completion", "hi") == (130, "a line\n", "")


def test_a_broken_pipe_is_status_141_and_silences_stdout(
    tmp_path: Path, env: FakeR2RServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "stdout"
    with open(path, "w", encoding="utf-8") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)
        monkeypatch.setattr(cli, "_completion", _raising(BrokenPipeError()))
        stdout.write("before")
        stdout.flush()
        assert main(["completion", "hi"]) == 141
        os.write(stdout.fileno(), b"after")  # now goes to the null device
    assert path.read_text(encoding="utf-8") == "before"


def test_warnings_are_one_line(capsys: pytest.CaptureFixture[str], env: FakeR2RServer) -> None:
    assert run(capsys, "completion", "hi")[0] == 0
    line = warnings.formatwarning("careful", UserWarning, "f.py", 3)
    assert line == "warning: careful\n"
    assert warnings.formatwarning(UserWarning("w"), UserWarning, "f.py", 3, "x") == "warning: w\n"


def _status_error(status: int, request_id: str | None = None) -> APIStatusError:
    headers = {"x-request-id": request_id} if request_id else {}
    request = httpx.Request("POST", "http://h/v3/retrieval/rag")
    response = httpx.Response(status, headers=headers, request=request)
    return APIStatusError("Went  wrong\nbadly", response=response, body=None)


def test_error_lines() -> None:
    request = httpx.Request("POST", "http://h/")
    assert cli._error_line(_status_error(429, "req-7")) == "429 Went wrong badly (request id req-7)"
    assert cli._error_line(_status_error(500)) == "500 Went wrong badly"
    assert cli._error_line(APIConnectionError(request=request)) == "Connection error."
    assert cli._error_line(KeyError("k")) == "internal error: KeyError: 'k'"


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (InvalidRequestError("f", "bad"), 3),
        (ConfigurationError("two keys"), 3),
        (_status_error(400), 4),
        (_status_error(499), 4),
        (_status_error(500), 5),
        (_status_error(503), 5),
        (APIConnectionError(request=httpx.Request("GET", "http://h/")), 5),
        (R2RError("event"), 5),
        (ValueError("x"), 1),
    ],
)
def test_exit_codes(exc: BaseException, status: int) -> None:
    assert cli._exit_code(exc) == status
    assert status in cli.EXIT_CODES


# -- output helpers -------------------------------------------------------------------------


def test_output_tracks_the_open_line() -> None:
    buffer = io.StringIO()
    out = cli._Output(buffer)
    assert out.open_line is False
    out.write("")
    assert out.open_line is False
    out.write("abc")
    assert out.open_line is True
    out.write("")
    assert out.open_line is True
    out.write("d\n")
    assert out.open_line is False
    out.finish_line()
    out.write("e")
    out.finish_line()
    out.finish_line()
    assert buffer.getvalue() == "abcd\ne\n"


@pytest.mark.parametrize(
    ("citations", "printed"),
    [
        ([], ""),
        ([{"id": "a", "payload": {"text": "  two\n words  "}}], "  [a] two words\n"),
        ([{"id": "b"}], "  [b]\n"),
        ([{"id": "c", "payload": "text"}], "  [c]\n"),
        ([{"id": "d", "payload": {"text": ""}}], "  [d]\n"),
        ([{"payload": {"text": 42}}], "  [None] 42\n"),
        ([{"id": "e", "payload": {"text": "x" * 100}}], f"  [e] {'x' * 100}\n"),
        ([{"id": "f", "payload": {"text": "x" * 101}}], f"  [f] {'x' * 99}…\n"),
        (
            [{"id": 1, "payload": {"text": "one"}}, {"id": 2, "payload": {"text": "two"}}],
            "  [1] one\n  [2] two\n",
        ),
    ],
)
def test_citations(citations: list[dict[str, Any]], printed: str) -> None:
    buffer = io.StringIO()
    cli._print_citations(citations, cli._Output(buffer))
    assert buffer.getvalue() == (f"\nCitations:\n{printed}" if printed else "")


def test_print_json_is_indented_unescaped_and_stringifies_the_rest() -> None:
    buffer = io.StringIO()
    cli._print_json({"a": ["é", Path("p")]}, cli._Output(buffer))
    assert buffer.getvalue() == '{\n  "a": [\n    "é",\n    "p"\n  ]\n}\n'


def test_generation_config_keeps_what_was_given() -> None:
    args = argparse.Namespace(model=None, temperature=0.0, max_tokens=0)
    assert cli._generation_config(args) == {"temperature": 0.0, "max_tokens": 0}
    args = argparse.Namespace(model="m", temperature=None, max_tokens=None)
    assert cli._generation_config(args) == {"model": "m"}
    args = argparse.Namespace(model=None, temperature=None, max_tokens=None)
    assert cli._generation_config(args) is None


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["completion", "q"],
            ((None, NOT_GIVEN), {"api_key": None, "auth_header": "bearer", "max_retries": 2}),
        ),
        (
            ["completion", "q", "--timeout", "2.5", "--api-key", "k", "--base-url", "http://h:1",
             "--auth-header", "x-api-key", "--max-retries", "0"],
            (("http://h:1", 2.5), {"api_key": "k", "auth_header": "x-api-key", "max_retries": 0}),
        ),
    ],
)  # fmt: skip
def test_the_client_gets_the_options(
    argv: list[str],
    expected: tuple[tuple[Any, ...], dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from r2r_client import _client

    created: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    ran: list[Any] = []

    class Recording(_client.R2RClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            created.append((args, kwargs))
            super().__init__("http://127.0.0.1:9", **{**kwargs, "api_key": None})

    def command(client: Any, args: argparse.Namespace, out: cli._Output) -> None:
        ran.append((type(client), args.question, out.open_line))

    monkeypatch.setattr(_client, "R2RClient", Recording)
    monkeypatch.setattr(cli, "_completion", command)
    assert run(capsys, *argv) == (0, "", "")
    assert created == [expected]
    assert ran == [(Recording, "q", False)]


def test_a_client_breaking_its_contract_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "RAGStream", _Stream)

    class Retrieval:
        def __init__(self, answer: Any) -> None:
            self.answer = answer

        def rag(self, **kwargs: Any) -> Any:
            return self.answer

    def client(answer: Any) -> Any:
        return type("Client", (), {"retrieval": Retrieval(answer)})()

    args = cli.build_parser().parse_args(["rag", "q"])
    out = cli._Output(io.StringIO())
    with pytest.raises(TypeError) as raised:
        cli._rag(client(_Stream([])), args, out)
    assert str(raised.value) == "expected a JSON answer, got a stream"
    with pytest.raises(TypeError) as raised:
        cli._rag_stream(client(object()), {}, json_lines=False, out=out)
    assert str(raised.value) == "expected a stream"

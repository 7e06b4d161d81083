"""The installed `r2r-client` command, run in a subprocess against the fake server."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from r2r_client.cli import main
from r2r_client.testing import ANSWER_PREFIX, FakeR2RServer

pytestmark = pytest.mark.loopback

KEY = "sk-cli-TOPSECRET-42"
QUESTION = "Who invented the Zorblax protocol?"
DOC = "2997d84e-4408-5087-b818-dd5406d1b8f1"  # the fake server's seeded zorblax.txt
GUARD = 60.0  # seconds before a hung command fails the test (a guard, not a measurement)


def installed_command() -> str:
    """The console script the package installed next to this interpreter."""
    path = Path(sysconfig.get_path("scripts")) / "r2r-client"
    if not path.exists():
        pytest.fail(f"{path} is missing: install the package (pip install -e .) first")
    return str(path)


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("R2R_", "PYTHONUNBUFFERED"))}
    return {**env, **extra}


def run(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_command(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(**env),
        timeout=GUARD,
    )


@pytest.fixture(scope="module")
def server() -> Iterator[FakeR2RServer]:
    with FakeR2RServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def auth(server: FakeR2RServer) -> dict[str, str]:
    """The environment that points the command at the module's server."""
    return {"R2R_API_BASE": server.base_url, "R2R_API_KEY": KEY}


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in done.stderr
    return lines[0]


# -- the three calls, as text and as JSON ----------------------------------------------------


def test_completion_prints_the_answer_and_sends_the_options(
    server: FakeR2RServer, auth: dict[str, str]
) -> None:
    done = run(
        "completion", "Say hi", "--system", "Be brief.", "--model", "m-1",
        "--temperature", "0.5", "--max-tokens", "20", **auth,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{ANSWER_PREFIX}. You asked: Say hi\n"
    body = server.requests[-1].json
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Say hi"},
    ]
    # The client sends `max_tokens` as R2R's own name for it.
    assert body["generation_config"] == {
        "model": "m-1",
        "temperature": 0.5,
        "max_tokens_to_sample": 20,
    }


@pytest.mark.parametrize("where", ["before", "after"])
def test_json_output_is_the_whole_typed_result(where: str, auth: dict[str, str]) -> None:
    args = ["--json", "completion", "Say hi"] if where == "before" else ["completion", "Say hi"]
    done = run(*args, *(["--json"] if where == "after" else []), **auth)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["results"]["choices"][0]["message"]["content"].endswith("You asked: Say hi")
    assert result["results"]["usage"]["total_tokens"] > 0


def test_rag_prints_the_answer_then_its_citations(
    server: FakeR2RServer, auth: dict[str, str]
) -> None:
    search_filter = {"document_id": {"$eq": DOC}}
    done = run(
        "rag", QUESTION, "--limit", "3", "--filter", json.dumps(search_filter), "--model", "m",
        **auth,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer, _, citations = done.stdout.partition("\n\nCitations:\n")
    assert answer.startswith(ANSWER_PREFIX)
    assert answer.endswith(QUESTION)
    lines = citations.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("  [") for line in lines)
    assert "Zorblax protocol was invented in 1987" in citations
    body = server.requests[-1].json
    assert body["search_settings"] == {"limit": 3, "filters": search_filter}
    assert body["rag_generation_config"] == {"model": "m"}


def test_rag_json_parses_and_carries_citations(auth: dict[str, str]) -> None:
    done = run("rag", QUESTION, "--json", **auth)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)["results"]
    assert results["generated_answer"].startswith(ANSWER_PREFIX)
    assert results["citations"][0]["payload"]["text"]


def test_metadata_replace_with_set_reads_values_as_json_when_they_are(
    server: FakeR2RServer, auth: dict[str, str]
) -> None:
    done = run(
        "--json", "metadata", "replace", DOC,
        "--set", "source=cli", "--set", "reviewed=true", "--set", "pages=[1, 2]", **auth,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    expected = {"source": "cli", "reviewed": True, "pages": [1, 2]}
    assert json.loads(done.stdout)["results"]["metadata"] == expected
    assert server.requests[-1].json == [expected]


@pytest.mark.parametrize("from_stdin", [False, True])
def test_metadata_replace_from_a_json_file(
    from_stdin: bool, tmp_path: Path, auth: dict[str, str]
) -> None:
    metadata = [{"a": 1}, {"b": "two"}]
    path = tmp_path / "metadata.json"
    path.write_text(json.dumps(metadata), encoding="utf-8")
    source = "-" if from_stdin else str(path)
    stdin = json.dumps(metadata) if from_stdin else None
    done = run("metadata", "replace", DOC, "--json", source, stdin=stdin, **auth)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Replaced the metadata of {DOC} (zorblax.txt):\n")
    assert json.loads(done.stdout.split("\n", 1)[1]) == {"a": 1, "b": "two"}


def test_python_dash_m_runs_the_same_command(auth: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "r2r_client", "completion", "Say hi"],
        capture_output=True,
        text=True,
        env=environment(**auth),
        timeout=GUARD,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{ANSWER_PREFIX}. You asked: Say hi\n"


# -- streaming ------------------------------------------------------------------------------


def test_streamed_answer_then_citations_match_the_json_answer(auth: dict[str, str]) -> None:
    streamed = run("rag", QUESTION, "--stream", **auth)
    assert streamed.returncode == 0, streamed.stderr
    whole = run("rag", QUESTION, **auth)
    assert streamed.stdout == whole.stdout
    assert "\n\nCitations:\n  [" in streamed.stdout


def test_streamed_json_is_one_parsable_event_per_line(auth: dict[str, str]) -> None:
    done = run("rag", QUESTION, "--stream", "--json", **auth)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    names = [event["event"] for event in events]
    assert names[0] == "search_results"
    assert names[-1] == "final_answer"
    assert {"message", "citation"} <= set(names)
    text = "".join(
        part["payload"]["value"]
        for event in events
        if event["event"] == "message"
        for part in event["data"]["delta"]["content"]
    )
    assert text == events[-1]["data"]["generated_answer"]


class Reader:
    """Reads a running command's stdout as it arrives, without waiting for it to end."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        self.process = process
        self.fd = process.stdout.fileno()
        self.data = b""

    def until(self, wanted: bytes) -> bytes:
        deadline = time.monotonic() + GUARD
        while wanted not in self.data:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {wanted!r}; got {self.data!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                assert chunk, f"stdout closed before {wanted!r}; got {self.data!r}"
                self.data += chunk
        return self.data

    def rest(self) -> tuple[bytes, bytes, int]:
        out, err = self.process.communicate(timeout=GUARD)
        return self.data + out, err, self.process.returncode


# Runs the command with Ctrl-C's default meaning, as in a terminal: a process started in the
# background of a non-interactive shell (CI scripts, `cmd &`) inherits SIGINT ignored, and a
# Python started that way never turns SIGINT into KeyboardInterrupt.
_AS_IN_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def start(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", _AS_IN_A_TERMINAL, installed_command(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(**env),
    )


@pytest.mark.parametrize("mode", ["text", "json lines"])
def test_the_first_delta_is_on_stdout_before_the_server_sends_the_last(mode: str) -> None:
    """The server paces its events; once the command has printed the first piece of the
    answer, the server is stopped: the rest of the answer is never sent, so the piece was on
    stdout (through a pipe, so flushed by the command) before the last event existed."""
    with FakeR2RServer(event_interval=0.5) as paced:
        args = ["rag", QUESTION, "--stream", *(["--json"] if mode == "json lines" else [])]
        process = start(*args, env={"R2R_API_BASE": paced.base_url})
        reader = Reader(process)
        try:
            if mode == "text":
                first = reader.until(ANSWER_PREFIX.encode())
            else:
                first = reader.until(b'"event": "message"')
                first = reader.until(b"\n")
        finally:
            paced.stop()
        out, err, code = reader.rest()
    assert code == 5, err  # the stream broke off: the server never sent its final answer
    if mode == "text":
        assert out.startswith(ANSWER_PREFIX.encode())
        assert QUESTION.encode() not in out  # the answer ends with the question: not reached
    else:
        lines = [json.loads(line) for line in out.splitlines()]
        assert [e["event"] for e in lines[:2]] == ["search_results", "message"]
        assert all(e["event"] != "final_answer" for e in lines)
    assert out.startswith(first)
    [line] = err.decode().splitlines()
    assert line.startswith("error: the connection broke mid-stream")


@pytest.mark.parametrize("mode", ["text", "json lines"])
def test_ctrl_c_during_a_stream_exits_130_and_closes_the_connection(mode: str) -> None:
    with FakeR2RServer(stream_pause=GUARD) as stalled:
        args = ["rag", QUESTION, "--stream", *(["--json"] if mode == "json lines" else [])]
        process = start(*args, env={"R2R_API_BASE": stalled.base_url})
        reader = Reader(process)
        if mode == "json lines":
            reader.until(b'"event": "search_results"')
        else:  # nothing is printed before the text: wait until the request is being answered
            deadline = time.monotonic() + GUARD
            while not stalled.requests:
                assert time.monotonic() < deadline, "the request never arrived"
                time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        out, err, code = reader.rest()
        assert code == 130, err
        assert b"Traceback" not in err
        assert err == b""
        assert out == b"" or out.endswith(b"\n")  # the prompt starts on its own line
        # The command closed its connection: the server's stream writer is free to stop.
        stalled.stop()
        assert not stalled.errors


# -- errors ---------------------------------------------------------------------------------


def test_a_401_exits_4_with_one_line_and_never_shows_the_key(server: FakeR2RServer) -> None:
    wrong = "sk-wrong-SECRET-0000"
    done = run("rag", QUESTION, "--api-key", wrong, "--base-url", server.base_url, R2R_LOG="debug")
    assert done.returncode == 4
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[-1] == "error: 401 Invalid token or API key"
    assert all(" r2r_client: " in line for line in lines[:-1])  # the debug log, nothing else
    assert "Authorization': 'Bearer **********'" in done.stderr
    assert wrong not in done.stderr + done.stdout


def test_a_401_without_logging_is_one_line(server: FakeR2RServer) -> None:
    done = run("completion", "hi", R2R_API_BASE=server.base_url, R2R_API_KEY="sk-nope-123")
    assert done.returncode == 4
    assert one_error_line(done) == "error: 401 Invalid token or API key"
    assert "sk-nope-123" not in done.stderr


def test_a_5xx_exits_5(server: FakeR2RServer, auth: dict[str, str]) -> None:
    server.fail_next("status_503")
    done = run("completion", "hi", "--max-retries", "0", **auth)
    assert done.returncode == 5
    assert one_error_line(done) == "error: 503 Service Unavailable"


def test_an_unreachable_server_exits_5() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run("completion", "hi", "--base-url", f"http://127.0.0.1:{port}", "--max-retries", "0")
    assert done.returncode == 5
    assert one_error_line(done).startswith("error: Connection error")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["metadata", "replace", "not-a-uuid", "--set", "a=1"], "id: "),
        (["--json", "metadata", "replace", DOC, "--json", "-"], "metadata"),
    ],
)
def test_client_side_validation_exits_3_before_sending(
    args: list[str], field: str, server: FakeR2RServer, auth: dict[str, str]
) -> None:
    before = len(server.requests)
    done = run(*args, stdin='"not a list"', **auth)
    assert done.returncode == 3, done.stderr
    assert one_error_line(done).startswith(f"error: {field}")
    assert len(server.requests) == before  # nothing was sent


USAGE_ERRORS = [
    [],
    ["rag"],
    ["rag", "q", "--limit", "-1"],
    ["rag", "q", "--filter", "{not json"],
    ["completion", "q", "--timeout", "0"],
    ["metadata", "replace", DOC],
    ["metadata", "replace", DOC, "--set", "novalue"],
    ["metadata", "replace", DOC, "--json", "/nonexistent/metadata.json"],
]


def test_a_usage_error_exits_2_with_one_line(auth: dict[str, str]) -> None:
    done = run("rag", **auth)
    assert done.returncode == 2
    assert one_error_line(done) == (
        "error: the following arguments are required: QUESTION (see: r2r-client rag --help)"
    )


@pytest.mark.parametrize("args", USAGE_ERRORS)
def test_every_usage_error_is_one_line_and_status_2(
    args: list[str],
    auth: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In-process (the command's main(), as the console script calls it): fast for many cases."""
    for name, value in auth.items():
        monkeypatch.setenv(name, value)
    status: int | str | None
    try:
        status = main(args)
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("error: ")
    assert line.endswith("--help)")


def test_help_lists_the_exit_statuses() -> None:
    done = run("--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    for code in ("2 usage", "3 client-side validation", "4 the server answered 4xx", "130"):
        assert code in text

"""The `r2r-client` command as a real process: what in-process tests cannot show.

Promises checked:
- the installed console script and `python -m r2r_client` are the same command;
- a streamed answer reaches a pipe as it arrives (each piece flushed), not at the end;
- Ctrl-C (SIGINT, as a terminal sends it) mid-stream exits 130 without a traceback, ends the
  half-printed line and closes the connection;
- a reader that goes away (`| head`) stops the command quietly with status 141;
- R2R_LOG=info|debug logs each request on stderr, credentials masked, before the error line;
- a warning is one line on stderr;
- `--help` and an argument error load no module of the client beyond the command itself
  (`r2r_client`, `.cli`, `._defaults`, `._version`) and the standard library.

The exact output of every command is pinned in-process, in test_cli.py.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from errno import ECONNREFUSED
from pathlib import Path

import pytest
from _cli_helpers import KEY, MODEL, QUESTION

from r2r_client.testing import ANSWER_PREFIX, FakeR2RServer

pytestmark = pytest.mark.loopback

GUARD = 60.0
"""Seconds before a hung command fails the test (a guard, not a measurement)."""


def installed_command() -> str:
    """The console script the package installed next to this interpreter."""
    path = Path(sysconfig.get_path("scripts")) / "r2r-client"
    if not path.exists():
        pytest.fail(f"{path} is missing: install the package (pip install -e .) first")
    return str(path)


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without R2R's settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("R2R_", "PYTHONUNBUFFERED"))}
    return {**env, **extra}


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_command(), *args],
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


# -- the two entry points -------------------------------------------------------------------


@pytest.mark.parametrize("entry", ["console script", "python -m r2r_client"])
def test_both_entry_points_run_the_same_command(
    entry: str, server: FakeR2RServer, auth: dict[str, str]
) -> None:
    command = [installed_command()]
    if entry != "console script":
        command = [sys.executable, "-m", "r2r_client"]
    done = subprocess.run(
        [*command, "completion", "Say hi", "--model", MODEL],
        capture_output=True,
        text=True,
        env=environment(**auth),
        timeout=GUARD,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0, f"{ANSWER_PREFIX}. You asked: Say hi\n", "",
    )  # fmt: skip
    assert server.requests[-1].json["messages"] == [{"role": "user", "content": "Say hi"}]


# -- streams through a pipe -----------------------------------------------------------------


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
def test_the_first_piece_is_on_stdout_before_the_server_sends_the_last(mode: str) -> None:
    """The server paces its events; once the command has printed the first piece of the
    answer, the server is stopped: the rest of the answer is never sent, so the piece was on
    stdout (a pipe, so flushed by the command) before the last event existed."""
    with FakeR2RServer(event_interval=0.5) as paced:
        args = ["rag", QUESTION, "--stream", *(["--json"] if mode == "json lines" else [])]
        process = start(*args, env={"R2R_API_BASE": paced.base_url})
        reader = Reader(process)
        try:
            if mode == "text":
                first = reader.until(ANSWER_PREFIX.encode())
            else:
                reader.until(b'"event": "message"')
                first = reader.until(b"\n")
        finally:
            paced.stop()
        out, err, code = reader.rest()
    assert out.startswith(first)
    if mode == "text":
        assert QUESTION.encode() not in out  # the answer ends with the question: not reached
        assert out.endswith(b"\n")  # the half-printed line is ended before the error
    else:
        events = [json.loads(line) for line in out.splitlines()]
        assert [e["event"] for e in events[:2]] == ["search_results", "message"]
        assert all(e["event"] != "final_answer" for e in events)
    # The stream broke off: the server never sent its final answer.
    assert code == 5, err
    [line] = err.decode().splitlines()
    assert line.startswith("error: the connection broke mid-stream")


@pytest.mark.parametrize("mode", ["text", "json lines"])
def test_ctrl_c_mid_stream_exits_130_and_ends_the_half_printed_line(mode: str) -> None:
    # A second between pieces: Ctrl-C comes as soon as the first one is out.
    with FakeR2RServer(event_interval=1.0) as stalled:
        args = ["rag", QUESTION, "--stream", *(["--json"] if mode == "json lines" else [])]
        process = start(*args, env={"R2R_API_BASE": stalled.base_url})
        reader = Reader(process)
        if mode == "text":
            reader.until(ANSWER_PREFIX.encode()[:4])
        else:
            reader.until(b'"event": "message"')
            reader.until(b"}\n")
        process.send_signal(signal.SIGINT)
        out, err, code = reader.rest()
        assert (code, err) == (130, b"")
        if mode == "text":  # the piece printed, and the line ended for the shell's prompt
            assert re.fullmatch(rb"FAKE[^\n]*\n", out), out
        else:  # whole lines only, nothing added
            names = [json.loads(line)["event"] for line in out.splitlines()]
            assert names[:2] == ["search_results", "message"]
            assert "final_answer" not in names
        # The command went away mid-answer: the server stops writing without an error.
        stalled.stop()
        assert not stalled.errors


def test_a_reader_that_goes_away_stops_the_command_quietly_with_141() -> None:
    """`r2r-client rag ... --stream | head -c 20`: the answer is far longer than the pipe holds,
    the reader closes its end after a few bytes, the command stops at its next write."""
    with FakeR2RServer(stream_deltas=50_000) as long_answers:
        process = start("rag", QUESTION, "--stream", env={"R2R_API_BASE": long_answers.base_url})
        assert process.stdout is not None
        reader = Reader(process)
        reader.until(b"FAKE")
        process.stdout.close()
        _out, err = process.communicate(timeout=GUARD)
    assert (process.returncode, err) == (141, b"")


# -- stderr: logs and warnings --------------------------------------------------------------


def test_r2r_log_debug_shows_the_exchange_masked_before_the_error_line(
    server: FakeR2RServer,
) -> None:
    wrong = "sk-wrong-SECRET-0000"
    done = run("rag", QUESTION, "--api-key", wrong, "--base-url", server.base_url, R2R_LOG="debug")
    assert (done.returncode, done.stdout) == (4, "")
    *logged, last = done.stderr.splitlines()
    assert last.startswith("error: 401 Invalid token or API key")
    assert logged
    assert all(" r2r_client: " in line for line in logged)  # the log, nothing else
    assert "'Authorization': 'Bearer **********'" in done.stderr
    assert wrong not in done.stderr
    assert "Traceback" not in done.stderr


def test_r2r_log_info_is_one_line_per_call(server: FakeR2RServer, auth: dict[str, str]) -> None:
    done = run("completion", "hi", "--model", MODEL, R2R_LOG="info", **auth)
    assert (done.returncode, done.stdout) == (0, f"{ANSWER_PREFIX}. You asked: hi\n")
    [line] = done.stderr.splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO r2r_client: POST /v3/retrieval/completion"
        r" 200 \d+\.\d{3}s retries=0 request_id=\S+",
        line,
    ), line
    assert KEY not in done.stderr


def test_a_warning_is_one_line_on_stderr() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # 0.0.0.0 is not a loopback name: the key would travel in clear.
    done = run(
        "completion", "hi", "--model", MODEL, "--max-retries", "0",
        R2R_API_BASE=f"http://0.0.0.0:{port}", R2R_API_KEY=KEY,
    )  # fmt: skip
    assert done.returncode == 5
    assert done.stderr.splitlines() == [
        "warning: sending an api key over plain http to 0.0.0.0; use https",
        f"error: Connection error: [Errno {ECONNREFUSED}] {os.strerror(ECONNREFUSED)}",
    ]


# -- import cost ----------------------------------------------------------------------------

# Runs the command as the console script does and prints the modules it loaded beyond those
# the interpreter had loaded at start-up.
_LOADED_BY_THE_COMMAND = """
import sys
before = set(sys.modules)
from r2r_client.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(sorted(set(sys.modules) - before)))
"""
# What the client needs once a command runs: its other modules, the generated package, and the
# distributions they import (the testing extra's jsonschema too).
_PACKAGES = {"r2r_client", "r2r_api", "httpx", "httpcore", "h11", "anyio", "sniffio", "idna"}
_PACKAGES |= {"certifi", "attr", "attrs", "jsonschema"}


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["rag", "--help"],
        ["--version"],
        ["rag"],
        ["completion", "q", "--timeout", "0"],
        ["rag", "q", "--field", "novalue"],
    ],
    ids=" ".join,
)
def test_help_and_argument_errors_load_only_the_command(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED_BY_THE_COMMAND, *args],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=GUARD,
    )
    loaded = done.stdout.splitlines()[-1].split()
    assert [m for m in loaded if m.partition(".")[0] in _PACKAGES] == [
        "r2r_client",
        "r2r_client._defaults",
        "r2r_client._version",
        "r2r_client.cli",
    ]
    # Nothing else but the standard library (mutation testing's trampolines aside).
    others = {m.partition(".")[0] for m in loaded} - set(sys.stdlib_module_names) - _PACKAGES
    assert others <= {"mutmut"}, others

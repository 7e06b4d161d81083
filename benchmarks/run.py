"""`nox -s bench`: this client against raw httpx (the floor) and the official SDK, on loopback.

Every figure comes from a fresh process (`_workloads.py`, `_concurrent.py`), talking to
FakeR2RServer running in a process of its own (`_server.py`), so the server's CPU never counts
as the client's. Each run measures the floor and the clients back to back, in a rotating
order; the tables show the median figure over the runs and the median of the per-run ratios
to the floor.

Three tables: start-up in cold processes (importing each client, `r2r-client --help`, a
one-shot CLI completion, each beside raw httpx doing the same; interleaved runs, medians of
per-run ratios), single calls and streams (this client, the floor, the official SDK; in-process
and whole-process), and many streams at once (this client with its defaults, the floor with a
pool of N that closes each stream at `done`, and the same floor code on pydantic's fork
`httpx2`). Every process runs with compiled bytecode, as installed packages do (pip compiles
them; PYTHONDONTWRITEBYTECODE, if set, is not passed on).

    python benchmarks/run.py            # the full suite (5 runs, with the official SDK, httpx2)
    python benchmarks/run.py --quick    # a smoke run: tiny workloads, 1 run, no peers

The official SDK (`r2r==3.6.6`) and `httpx2` are installed only into venvs of their own
(benchmarks/.venv-r2r, benchmarks/.venv-httpx2), made on first use; if that fails their
column says n/a.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "_workloads.py"
CLI_FLOOR = HERE / "_cli_floor.py"
ROOT = HERE.parent
CONCURRENT = HERE / "_concurrent.py"
SERVER = HERE / "_server.py"
OFFICIAL_VENV = HERE / ".venv-r2r"
OFFICIAL_PIN = "r2r==3.6.6"
HTTPX2_VENV = HERE / ".venv-httpx2"
HTTPX2_PIN = "httpx2==2.16.2"
CLIENTS = ("floor", "ours", "official")
CONCURRENT_CLIENTS = ("floor", "ours", "httpx2")
LABELS = {
    "floor": "httpx floor",
    "ours": "r2r_client",
    "official": "r2r 3.6.6",
    "httpx2": "httpx2 floor",
}
IMPORTS = {
    "floor": "import httpx",
    "ours": "from r2r_client import R2RClient",
    "official": "from r2r import R2RClient",
}
QUESTION = "What is the capital of France?"


class BenchError(RuntimeError):
    """A workload process failed; the message carries its stderr."""


@dataclass(frozen=True)
class Settings:
    """Sizes of the workloads and how often each is repeated."""

    runs: int
    calls: int
    deltas: int
    pause: float
    official: bool
    profile: bool
    startup_runs: int  # interleaved cold runs of each start-up workload
    concurrency: tuple[int, ...]  # streams at once on one async client
    thread_streams: int  # streams in all, over THREADS threads on one sync client
    stream_deltas: int  # message deltas per stream in the concurrent workloads
    httpx2: bool


FULL = Settings(
    runs=5,
    calls=2000,
    deltas=20000,
    pause=2.0,
    official=True,
    profile=True,
    startup_runs=15,
    concurrency=(50, 300, 600),
    thread_streams=256,
    stream_deltas=200,
    httpx2=True,
)
QUICK = Settings(
    runs=1,
    calls=50,
    deltas=500,
    pause=0.3,
    official=False,
    profile=False,
    startup_runs=2,
    concurrency=(5, 10, 20),
    thread_streams=64,
    stream_deltas=20,
    httpx2=False,
)
THREADS = 64


@dataclass(frozen=True)
class Row:
    """One line of the table: a metric, how it is judged, and its target."""

    key: str
    title: str
    unit: str
    scale: float  # multiply the raw figure (seconds or bytes) by this for display
    target: float  # a ratio to the floor, or (`additive`) a difference in ms
    additive: bool = False
    own: bool = False  # the target applies to the client's own figure, not to a ratio


STARTUP_ROWS = [
    Row("import_sync", "import the sync client (wall)", "ms", 1e3, 1.15),
    Row("import_async", "import the async client (wall)", "ms", 1e3, 1.15),
    Row("cli_help", "r2r-client --help (wall)", "ms", 1e3, 1.10),
    Row("cli_completion", "one-shot CLI completion (wall)", "ms", 1e3, 1.20),
]


def startup_commands(python: str, client: str) -> dict[str, list[str]]:
    """Each start-up workload's command for `client`: what the floor does is what it costs."""
    if client == "floor":
        return {
            "import_sync": [python, "-c", "import httpx"],
            "import_async": [python, "-c", "import asyncio, httpx"],
            "cli_help": [python, "-c", "import httpx"],
            "cli_completion": [python, str(CLI_FLOOR), QUESTION, "--model", "m"],
        }
    if client == "ours":
        script = str(Path(python).parent / "r2r-client")
        return {
            "import_sync": [python, "-c", "from r2r_client import R2RClient"],
            "import_async": [python, "-c", "from r2r_client import AsyncR2RClient"],
            "cli_help": [script, "--help"],
            "cli_completion": [script, "completion", QUESTION, "--model", "m"],
        }
    return {"import_sync": [python, "-c", IMPORTS[client]]}


def child_env(url: str | None = None) -> dict[str, str]:
    """The environment of every measured process: bytecode as installed, the server's URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "R2R_LOG")}
    env.pop("R2R_API_KEY", None)
    if url is not None:
        env["R2R_API_BASE"] = url
    return env


def rows(settings: Settings) -> list[Row]:
    """The first table's rows, titled with this run's workload sizes."""
    return [
        Row("calls_wall", f"{settings.calls:,} completion calls (wall)", "s", 1.0, 1.10),
        Row("calls_cpu", f"{settings.calls:,} completion calls (client CPU)", "s", 1.0, 1.15),
        Row("calls_process", f"{settings.calls:,} calls, whole process (wall)", "s", 1.0, 1.10),
        Row("stream_wall", f"{settings.deltas:,}-delta RAG stream (wall)", "s", 1.0, 1.20),
        Row("stream_cpu", f"{settings.deltas:,}-delta RAG stream (client CPU)", "s", 1.0, 1.20),
        Row(
            "stream_process",
            f"{settings.deltas:,}-delta stream, whole process (wall)",
            "s",
            1.0,
            1.15,
        ),
        Row("ttfe", f"time to first event, {settings.pause:g} s pause", "ms", 1e3, 5.0, True),
        Row("memory", "stream peak memory (tracemalloc)", "MiB", 2.0**-20, 1.4),
    ]


def concurrent_rows(settings: Settings) -> list[Row]:
    """The second table's rows: many streams at once, each of `stream_deltas` deltas."""
    found = [
        Row(f"async_{n}_wall", f"{n} streams at once, async (wall)", "s", 1.0, 1.25)
        for n in settings.concurrency
    ]
    most = settings.concurrency[-1]
    found.append(
        Row(f"async_{most}_cpu", f"{most} streams at once, async (client CPU)", "s", 1.0, 1.25)
    )
    if len(settings.concurrency) >= 2:
        low, high = settings.concurrency[-2:]
        found.append(
            Row("scaling", f"time at {high} / time at {low} streams", "x", 1.0, 2.2, own=True)
        )
    title = f"{THREADS} threads, {settings.thread_streams} streams, sync (wall)"
    found.append(Row("threads_wall", title, "s", 1.0, 1.20))
    return found


@dataclass
class Results:
    """Per client and metric, one figure per run (None where it failed)."""

    figures: dict[str, dict[str, list[float | None]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, client: str, key: str, value: float | None) -> None:
        self.figures.setdefault(client, {}).setdefault(key, []).append(value)

    def series(self, client: str, key: str) -> list[float | None]:
        return self.figures.get(client, {}).get(key, [])


# -- processes ---------------------------------------------------------------------------


@contextmanager
def fake_server(deltas: int, pause: float) -> Iterator[str]:
    """FakeR2RServer in its own process; yields its base URL, stops it on exit."""
    cmd = [sys.executable, str(SERVER), "--deltas", str(deltas), "--pause", str(pause)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise BenchError(f"the fake server did not start (exit code {proc.poll()})")
        yield url
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def workload(
    python: str, client: str, name: str, url: str, count: int, *, profile: bool = False
) -> dict[str, float]:
    """Run one workload in a fresh process and return its JSON result."""
    cmd = [python, str(WORKLOADS), client, name, url, "--count", str(count)]
    if profile:
        cmd.append("--profile")
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=child_env())
    process = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(f"{client} {name}: exit {done.returncode}\n{done.stderr.strip()}")
    if profile:  # the profile is the output; no figures
        print("\n".join((done.stdout + done.stderr).strip().splitlines()[:45]))
        return {}
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = process  # interpreter start-up, imports, warm-up and workload
    return result


def cold_run(command: list[str], env: dict[str, str]) -> float:
    """Wall time of one process running `command` to its end (interpreter start-up included)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, timeout=300)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(f"{command}: exit {done.returncode}\n{done.stderr.decode().strip()}")
    return took


def compile_bytecode(pythons: dict[str, str]) -> None:
    """Compile the project's packages as pip compiles an installed package (they are installed
    editable here), and warm each client's imports once: no run compiles anything."""
    for package in ("wrapper", "generated"):
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / package)],
            check=True, capture_output=True, env=child_env(),
        )  # fmt: skip
    for client, python in pythons.items():
        subprocess.run([python, "-c", IMPORTS.get(client, "pass")], env=child_env(), check=False)


def measure_startup(settings: Settings, pythons: dict[str, str]) -> Results:
    """The start-up workloads, interleaved: each run does every workload of every client."""
    results = Results()
    clients = [c for c in CLIENTS if c in pythons]
    commands = {c: startup_commands(pythons[c], c) for c in clients}
    with fake_server(20, 0.0) as url:
        env = child_env(url)
        for run in range(settings.startup_runs):
            order = clients[run % len(clients) :] + clients[: run % len(clients)]
            for row in STARTUP_ROWS:
                for client in order:
                    command = commands[client].get(row.key)
                    if command is None:
                        continue
                    try:
                        results.add(client, row.key, cold_run(command, env))
                    except (BenchError, OSError, subprocess.SubprocessError) as exc:
                        results.add(client, row.key, None)
                        results.errors.append(f"{client} {row.key}: {exc}")
    return results


def peer_python(venv: Path, pin: str, module: str) -> str | None:
    """The interpreter of a peer's own venv, made (with `pin`) when missing; None on failure."""
    python = venv / "bin" / "python"
    check = [str(python), "-c", f"import {module}"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return str(python)
    print(f"Installing {pin} into {venv} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, pin], check=True, timeout=900)
        subprocess.run(check, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"  could not install it ({exc}); its column says n/a", file=sys.stderr)
        return None
    print(f"  done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return str(python)


def concurrent_workload(
    python: str, client: str, mode: str, url: str, count: int, deltas: int
) -> dict[str, float]:
    """Run one concurrent workload (`_concurrent.py`) in a fresh process."""
    cmd = [python, str(CONCURRENT), client, mode, url, "--count", str(count)]
    cmd += ["--deltas", str(deltas)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise BenchError(f"{client} {mode} {count}: exit {done.returncode}\n{done.stderr.strip()}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- measuring ---------------------------------------------------------------------------


def measure_client(
    results: Results, client: str, python: str, urls: tuple[str, str], settings: Settings
) -> None:
    """One run of every workload for one client, each in a fresh process."""
    url, slow_url = urls

    def attempt(key: str, get: Callable[[], dict[str, float]], *figures: str) -> None:
        try:
            result = get()
        except (BenchError, OSError, subprocess.SubprocessError) as exc:
            result = {}
            results.errors.append(f"{client} {key}: {exc}")
        for name in figures:
            results.add(client, f"{key}_{name}" if len(figures) > 1 else key, result.get(name))

    attempt(
        "calls",
        lambda: workload(python, client, "calls", url, settings.calls),
        "wall",
        "cpu",
        "process",
    )
    attempt(
        "stream",
        lambda: workload(python, client, "stream", url, settings.deltas),
        "wall",
        "cpu",
        "process",
    )
    attempt("ttfe", lambda: workload(python, client, "ttfe", slow_url, 0), "wall")
    attempt(
        "memory", lambda: workload(python, client, "memory", url, settings.deltas), "peak_bytes"
    )


def measure(settings: Settings, pythons: dict[str, str]) -> Results:
    """All workloads, `settings.runs` times, each client in its own processes."""
    results = Results()
    clients = [c for c in CLIENTS if c in pythons]
    with (
        fake_server(settings.deltas, 0.0) as url,
        fake_server(20, settings.pause) as slow_url,
    ):
        for run in range(settings.runs):
            print(f"run {run + 1}/{settings.runs}", file=sys.stderr, flush=True)
            order = clients[run % len(clients) :] + clients[: run % len(clients)]
            for client in order:
                measure_client(results, client, pythons[client], (url, slow_url), settings)
    return results


def measure_concurrent_client(
    results: Results, client: str, python: str, url: str, settings: Settings
) -> None:
    """One run of the concurrent workloads for one client, each in a fresh process."""
    walls: dict[int, float | None] = {}
    for count in settings.concurrency:
        try:
            result = concurrent_workload(
                python, client, "async", url, count, settings.stream_deltas
            )
        except (BenchError, OSError, subprocess.SubprocessError) as exc:
            result = {}
            results.errors.append(f"{client} async {count}: {exc}")
        walls[count] = result.get("wall")
        results.add(client, f"async_{count}_wall", result.get("wall"))
        if count == settings.concurrency[-1]:
            results.add(client, f"async_{count}_cpu", result.get("cpu"))
    if len(settings.concurrency) >= 2:
        low, high = (walls[n] for n in settings.concurrency[-2:])
        results.add(client, "scaling", high / low if high and low else None)
    try:
        result = concurrent_workload(
            python, client, "threads", url, settings.thread_streams, settings.stream_deltas
        )
    except (BenchError, OSError, subprocess.SubprocessError) as exc:
        result = {}
        results.errors.append(f"{client} threads: {exc}")
    results.add(client, "threads_wall", result.get("wall"))


def measure_concurrent(settings: Settings, pythons: dict[str, str]) -> Results:
    """The concurrent workloads, `settings.runs` times, against a server of short streams."""
    results = Results()
    clients = [c for c in CONCURRENT_CLIENTS if c in pythons]
    with fake_server(settings.stream_deltas, 0.0) as url:
        for run in range(settings.runs):
            print(f"concurrent run {run + 1}/{settings.runs}", file=sys.stderr, flush=True)
            order = clients[run % len(clients) :] + clients[: run % len(clients)]
            for client in order:
                measure_concurrent_client(results, client, pythons[client], url, settings)
    return results


# -- the table ---------------------------------------------------------------------------


def _median(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def compare(results: Results, client: str, row: Row) -> float | None:
    """Median over runs of the ratio (or ms difference) to the floor of the same run."""
    if row.own:
        return _median(results.series(client, row.key))
    pairs = zip(results.series(client, row.key), results.series("floor", row.key), strict=False)
    if row.additive:
        return _median([(x - f) * 1e3 for x, f in pairs if x is not None and f is not None])
    return _median([x / f for x, f in pairs if x is not None and f])


def verdict(row: Row, value: float | None) -> str:
    if value is None:
        return "n/a"
    return "PASS" if value <= row.target else "FAIL"


def _figure(row: Row, value: float | None) -> str:
    if value is None:
        return "n/a"
    shown = value * row.scale
    if row.own:
        return f"{shown:.2f}x"
    return f"{shown:.3f}" if shown < 10 else f"{shown:.1f}"


def _relation(row: Row, value: float | None) -> str:
    if value is None:
        return "n/a"
    if row.own:
        return "-"
    return f"{value:+.1f} ms" if row.additive else f"{value:.2f}x"


def _target(row: Row) -> str:
    if row.own:
        return f"<= {row.target:g}x"
    return f"<= floor+{row.target:g} ms" if row.additive else f"<= {row.target:g}x"


def table(results: Results, table_rows: list[Row], peer: str | None) -> tuple[str, dict[str, str]]:
    """The table as text, and each row's verdict for this client."""
    header = ["workload", "unit", LABELS["floor"], LABELS["ours"], "vs floor"]
    if peer:
        header += [LABELS[peer], "vs floor"]
    header += ["target", "result"]
    lines: list[list[str]] = [header]
    verdicts: dict[str, str] = {}
    for row in table_rows:
        ours = compare(results, "ours", row)
        verdicts[row.key] = verdict(row, ours)
        line = [
            row.title,
            row.unit,
            _figure(row, _median(results.series("floor", row.key))),
            _figure(row, _median(results.series("ours", row.key))),
            _relation(row, ours),
        ]
        if peer:
            line += [
                _figure(row, _median(results.series(peer, row.key))),
                _relation(row, compare(results, peer, row)),
            ]
        line += [_target(row), verdicts[row.key]]
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        cells = [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out), verdicts


def machine() -> str:
    """Date, core count and CPU model, for the table's heading."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}, nproc={os.cpu_count()}, {model}, Python {platform.python_version()}"


def profile_failures(verdicts: dict[str, str], settings: Settings, python: str) -> None:
    """cProfile (or tracemalloc, or -X importtime) of this client for each failed target."""
    failed = {key for key, result in verdicts.items() if result == "FAIL"}
    if "import_sync" in failed:
        print("\n== from r2r_client import R2RClient: -X importtime, slowest cumulative ==")
        done = subprocess.run(
            [python, "-X", "importtime", "-c", IMPORTS["ours"]],
            capture_output=True,
            text=True,
        )
        entries = [line.split("|") for line in done.stderr.splitlines()[1:]]
        entries.sort(key=lambda e: -int(e[1]) if len(e) == 3 and e[1].strip().isdigit() else 0)
        for entry in entries[:15]:
            print("|".join(entry))
    jobs = [
        ("calls", settings.calls, {"calls_wall", "calls_cpu"}),
        ("stream", settings.deltas, {"stream_wall", "stream_cpu"}),
        ("memory", settings.deltas, {"memory"}),
    ]
    for name, count, keys in jobs:
        if keys & failed:
            with fake_server(settings.deltas, 0.0) as url:
                print(f"\n== r2r_client, {name} workload: profile ==")
                workload(python, "ours", name, url, count, profile=True)


def main(argv: list[str] | None = None) -> int:
    """Measure, print the tables; exit 0 whatever the verdicts (1 if nothing could run)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny workloads, 1 run, no peers")
    parser.add_argument("--runs", type=int, default=None, help="override the number of runs")
    parser.add_argument("--no-official", action="store_true", help="skip the official SDK")
    parser.add_argument("--no-httpx2", action="store_true", help="skip the httpx2 floor")
    parser.add_argument("--no-profile", action="store_true", help="no profiles for FAILs")
    parser.add_argument(
        "--only",
        choices=("startup", "calls", "concurrent"),
        default=None,
        help="run only one table: start-up, calls and streams, or many streams at once",
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    changes: dict[str, object] = {}
    if args.runs is not None:
        changes["runs"] = args.runs
    if args.no_official or args.only == "concurrent":
        changes["official"] = False
    if args.no_httpx2 or args.only in ("calls", "startup"):
        changes["httpx2"] = False
    if args.no_profile:
        changes["profile"] = False
    settings = replace(settings, **changes)  # type: ignore[arg-type]
    pythons = {"floor": sys.executable, "ours": sys.executable}
    if settings.official:
        official = peer_python(OFFICIAL_VENV, OFFICIAL_PIN, "r2r")
        if official is not None:
            pythons["official"] = official
    if settings.httpx2:
        httpx2 = peer_python(HTTPX2_VENV, HTTPX2_PIN, "httpx2")
        if httpx2 is not None:
            pythons["httpx2"] = httpx2
    print(f"\nr2r_client benchmarks: {machine()}", flush=True)
    compile_bytecode(pythons)
    verdicts: dict[str, str] = {}
    ours_ran = False
    if args.only in (None, "startup"):
        startup = measure_startup(settings, pythons)
        text, verdicts = table(startup, STARTUP_ROWS, "official" if settings.official else None)
        print(
            f"\nStart-up: {settings.startup_runs} interleaved cold runs of each process, "
            "medians; ratios are medians of the per-run ratios to the floor, which is raw httpx "
            "doing the same (import httpx; import asyncio and httpx; a script posting the same "
            "completion and printing its text)\n"
        )
        print(text)
        for error in startup.errors:
            print(f"error: {error}", file=sys.stderr)
        ours_ran = any(v is not None for v in startup.series("ours", "import_sync"))
    if args.only in (None, "calls"):
        results = measure(settings, pythons)
        text, call_verdicts = table(
            results, rows(settings), "official" if settings.official else None
        )
        verdicts.update(call_verdicts)
        print(
            f"\n{settings.runs} run(s), medians; ratios are per-run ratios to the floor "
            "measured in the same run; FakeR2RServer in its own process on 127.0.0.1\n"
        )
        print(text)
        print(
            "\nwall: time seen by the caller, server included; client CPU: the client "
            "process's own CPU time (time.process_time), which is what the client costs.\n"
            "whole process: the workload's process from start to exit (interpreter, imports, "
            "a warm-up call and the workload).\n"
            "memory: tracemalloc peak while reading the stream, after a warm-up call "
            "(Python allocations of the workload only, not interpreter or imports)."
        )
        if settings.official and "official" not in pythons:
            print(f"{LABELS['official']}: n/a (could not install {OFFICIAL_PIN})")
        for error in results.errors:
            print(f"error: {error}", file=sys.stderr)
        ours_ran = ours_ran or any(v is not None for v in results.series("ours", "calls_wall"))
    if args.only in (None, "concurrent"):
        concurrent = measure_concurrent(settings, pythons)
        text, _ = table(
            concurrent, concurrent_rows(settings), "httpx2" if settings.httpx2 else None
        )
        print(
            f"\nMany streams at once ({settings.stream_deltas} deltas each, every answer "
            f"checked); {settings.runs} run(s), medians of per-run ratios. The floors use a "
            "pool of N connections and close each stream at `done`; r2r_client runs with its "
            "defaults.\n"
        )
        print(text)
        if settings.httpx2 and "httpx2" not in pythons:
            print(f"{LABELS['httpx2']}: n/a (could not install {HTTPX2_PIN})")
        for error in concurrent.errors:
            print(f"error: {error}", file=sys.stderr)
        ours_ran = ours_ran or any(v is not None for v in concurrent.series("ours", "threads_wall"))
    if settings.profile and verdicts:
        profile_failures(verdicts, settings, sys.executable)
    return 0 if ours_ran else 1


if __name__ == "__main__":
    raise SystemExit(main())

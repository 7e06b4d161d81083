"""Mutation testing of the wrapper (`nox -s mutate`): does a small deliberate bug fail a test?

mutmut 3 names mutants after the module path of the file it mutates, which it derives from
the file's place under the working directory, knowing only `src/` layouts. So the run happens
in a staging folder (`.mutmut/`, ignored by git) where the packages sit under `src/`:

    .mutmut/src/r2r_client   <- wrapper/r2r_client (mutated, except testing/)
    .mutmut/src/r2r_api      <- generated/r2r_api
    .mutmut/tests, openapi/, benchmarks/, ... as the tests read them

Tests that start a subprocess (the CLI, `python -m ...`, the bench smoke) import the mutated
code through PYTHONPATH. Afterwards the survivors are compared with `mutation/survivors.md`,
the committed record of every surviving mutant and why it is harmless or equivalent:

    python tools/mutate.py              # run (resumes an interrupted run), then check
    python tools/mutate.py --fresh      # forget earlier results first
    python tools/mutate.py --report     # only compare the last results with the record
    python tools/mutate.py --update     # rewrite the record's list (reasons are kept)

The check fails when more than 5% of the mutants survive, or when a survivor has no reason in
the record. Mutant names contain the function they mutate and a number, so a change to a
function renames its mutants: re-run with --update and review the reasons.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / ".mutmut"
RECORD = ROOT / "mutation" / "survivors.md"
MAX_SURVIVING = 0.05
CRASH_ATTEMPTS = 3
# What the tests read, copied next to them; the packages go under src/.
COPIED = ("tests", "openapi", "benchmarks", "examples", "generator", "api", "tools", "e2e", "docs")
# Tests of other things than the wrapper's behaviour (the generator, the API record), slow and
# unaffected by a mutant of the wrapper. Tests marked `introspects` (signatures, docstrings,
# stack frames) are left out too: mutmut's trampolines change exactly those.
DESELECTED = (
    "tests/test_generation.py",
    "tests/test_api_record.py",
    # The validator's agreement with jsonschema over generated bodies (about 15 s): CI runs it;
    # here the validator's mutants meet test_schema_validator's exact checks instead.
    "tests/test_schema_agreement.py",
    # The benchmarks' smoke run (about 30 s, in subprocesses): it checks that the bench runs,
    # not what the wrapper does; the wrapper's own tests meet its mutants.
    "tests/test_bench_smoke.py",
    # Import structure in fresh interpreters, found from the source tree (not the staged one).
    "tests/test_imports.py",
    # The upstream drift tool (tools/), not the wrapper.
    "tests/test_upstream_tool.py",
    "tests/test_upstream_coverage.py",
    "tests/test_upstream_history.py",
)
# Single cases left out because CPython 3.11 dies of a segmentation fault under mutmut's stats
# trampoline there, every time (ContextVar.set while an async stream's generator is finalised
# after a cut); the same promise is checked for the sync client and by other async stream tests.
CRASHING = ("tests/test_retries.py::test_a_stream_is_never_retried_once_an_event_arrived[async]",)
# Generated modules that only declare types: nothing in them runs (TypedDicts, aliases).
NOT_MUTATED = ("src/r2r_client/testing/*", "src/r2r_client/_params.py")
STATUSES_SURVIVING = ("survived", "no tests", "suspicious", "timeout")
_ENTRY = re.compile(r"^### `(?P<name>[^`]+)`\n(?P<body>.*?)(?=^### |\Z)", re.M | re.S)
_REASON = re.compile(r"^Why: (?P<reason>.+?)\n(?=\n|```|\Z)", re.M | re.S)


def _config() -> str:
    """The [tool.mutmut] table, appended to the staged pyproject.toml."""
    pytest_args = ["-o", "pythonpath=src", "-p", "no:cacheprovider", "-q", "-m", "not introspects"]
    for path in DESELECTED:
        pytest_args += ["--ignore", path]
    for case in CRASHING:
        pytest_args += ["--deselect", case]
    quoted = ", ".join(f'"{arg}"' for arg in pytest_args)
    also = ", ".join(f'"{path}"' for path in ("src/r2r_api", *COPIED))
    skipped = ", ".join(f'"{path}"' for path in NOT_MUTATED)
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["src/r2r_client"]\n'
        f"do_not_mutate = [{skipped}]\n"
        f"also_copy = [{also}]\n"
        f"pytest_add_cli_args = [{quoted}]\n"
    )


def stage(fresh: bool) -> None:
    """Copy the code and what the tests read into .mutmut/ (results of earlier runs kept)."""
    if fresh and STAGE.exists():
        shutil.rmtree(STAGE)
    ignore = shutil.ignore_patterns("__pycache__", ".work", "*.pyc")
    src = STAGE / "src"
    for name, origin in (("r2r_client", "wrapper/r2r_client"), ("r2r_api", "generated/r2r_api")):
        shutil.rmtree(src / name, ignore_errors=True)
        shutil.copytree(ROOT / origin, src / name, ignore=ignore)
    for path in COPIED:
        shutil.rmtree(STAGE / path, ignore_errors=True)
        shutil.copytree(ROOT / path, STAGE / path, ignore=ignore)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (STAGE / "pyproject.toml").write_text(pyproject + _config(), encoding="utf-8")
    # Made before mutmut starts: a PYTHONPATH entry that does not exist yet when the
    # interpreter starts is cached as missing, and the in-process test run would not see it.
    (STAGE / "mutants" / "src").mkdir(parents=True, exist_ok=True)


def _mutmut(*args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(STAGE / "mutants" / "src"))
    mutmut = Path(sys.executable).parent / "mutmut"
    return subprocess.run(
        [str(mutmut), *args], cwd=STAGE, env=env, text=True, capture_output=capture, check=False
    )


def results() -> dict[str, str]:
    """Mutant name -> status of the last run."""
    out = _mutmut("results", "--all", "true", capture=True)
    if out.returncode != 0:
        raise SystemExit(f"mutmut results failed:\n{out.stdout}{out.stderr}")
    found = {}
    for line in out.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            found[name] = status
    return found


def diff(name: str) -> str:
    shown = _mutmut("show", name, capture=True).stdout
    lines = [line for line in shown.splitlines() if line.startswith(("+", "-", "@@"))]
    return "\n".join(line for line in lines if not line.startswith(("+++", "---")))


def reasons(record: str) -> dict[str, str]:
    """Mutant name -> the reason given in the record."""
    found = {}
    for entry in _ENTRY.finditer(record):
        reason = _REASON.search(entry["body"])
        if reason and "TODO" not in reason["reason"]:
            found[entry["name"]] = " ".join(reason["reason"].split())
    return found


def write_record(survivors: list[str], known: dict[str, str], total: int) -> None:
    share = len(survivors) / total if total else 0.0
    lines = [
        "# Surviving mutants",
        "",
        "<!-- Written by `nox -s mutate -- --update` (tools/mutate.py); the `Why:` lines are",
        "     kept when the list is rewritten. -->",
        "",
        f"{len(survivors)} of {total} mutants of `wrapper/r2r_client` (testing/ excluded) "
        f"survive the test suite ({share:.1%}; the limit is {MAX_SURVIVING:.0%}). Each one",
        "below changes the code in a way no user can tell apart, or that is harmless, and says",
        "why.",
        "",
    ]
    for name in survivors:
        lines += [f"### `{name}`", "", f"Why: {known.get(name, 'TODO')}", ""]
        lines += ["```diff", diff(name), "```", ""]
    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text("\n".join(lines), encoding="utf-8")


def check(update: bool) -> int:
    statuses = results()
    counted = {k: v for k, v in statuses.items() if v not in ("skipped", "not checked")}
    survivors = sorted(k for k, v in counted.items() if v in STATUSES_SURVIVING)
    by_status: dict[str, int] = {}
    for status in counted.values():
        by_status[status] = by_status.get(status, 0) + 1
    total = len(counted)
    print(f"mutants: {total}  " + "  ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
    if not total:
        print("no results: run the mutants first", file=sys.stderr)
        return 1
    record = RECORD.read_text(encoding="utf-8") if RECORD.exists() else ""
    known = reasons(record)
    # Reasons drafted beside the record (mutation/reasons-*.md) are folded in by --update.
    for draft in sorted(RECORD.parent.glob("reasons-*.md")):
        known = reasons(draft.read_text(encoding="utf-8")) | known
    if update:
        write_record(survivors, known, total)
        print(f"wrote {RECORD.relative_to(ROOT)}")
    share = len(survivors) / total
    unexplained = [name for name in survivors if name not in known]
    print(f"surviving: {len(survivors)} ({share:.1%}, limit {MAX_SURVIVING:.0%})")
    for name in unexplained:
        print(f"\nunexplained survivor {name}:\n{diff(name)}")
    failed = share > MAX_SURVIVING or bool(unexplained)
    if failed:
        print(
            f"\nmutation check failed: {len(unexplained)} survivor(s) without a reason in "
            f"{RECORD.relative_to(ROOT)}; add a test that kills each, or explain it there "
            "(`-- --update` writes the list).",
            file=sys.stderr,
        )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="forget earlier results first")
    parser.add_argument("--report", action="store_true", help="only compare with the record")
    parser.add_argument("--update", action="store_true", help="rewrite the record's list")
    parser.add_argument("mutants", nargs="*", help="mutant names or globs to run (default: all)")
    args = parser.parse_args(argv)
    if not args.report:
        stage(args.fresh)
        code = run_mutants(args.mutants)
        if code != 0:
            return code
    return check(args.update)


def run_mutants(names: list[str]) -> int:
    """`mutmut run`, started again when the interpreter crashes under it.

    CPython 3.11 sometimes dies of a segmentation fault in mutmut's stats phase (in the
    ContextVar.set of its trampoline, while a stream's generator is being finished); it is
    not reproducible on demand. mutmut keeps what it has done, so a second run resumes.
    """
    attempt = 1
    while True:
        code = _mutmut("run", *names).returncode
        crashed = code < 0 or code >= 128  # killed by a signal (245 = 256 - SIGSEGV)
        if not crashed or attempt == CRASH_ATTEMPTS:
            return code
        attempt += 1
        print(f"mutmut crashed (exit {code}); running it again", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())

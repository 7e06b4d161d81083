"""`benchmarks/run.py --quick` still runs and prints its table (no timing is asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
ROWS = (
    "import the sync client",
    "import the async client",
    "r2r-client --help",
    "one-shot CLI completion",
    "calls, whole process",
    "stream, whole process",
    "completion calls (wall)",
    "completion calls (client CPU)",
    "RAG stream (wall)",
    "RAG stream (client CPU)",
    "time to first event",
    "stream peak memory",
    "streams at once, async (wall)",
    "streams at once, async (client CPU)",
    "threads",
)
NUMBER = r"[0-9]+(?:\.[0-9]+)?"


@pytest.mark.loopback
def test_quick_bench_prints_a_table_with_our_row() -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    header = next(line for line in out.splitlines() if line.startswith("workload"))
    assert "httpx floor" in header
    assert "r2r_client" in header
    for title in ROWS:
        line = next((line for line in out.splitlines() if title in line), None)
        assert line is not None, f"no {title!r} row in:\n{out}"
        # floor figure, our figure, our relation to the floor, then a verdict
        pattern = rf"{NUMBER}\s+{NUMBER}\s+[+-]?{NUMBER}(?:x| ms)\s+.*\b(PASS|FAIL)$"
        assert re.search(pattern, line), line
    # the concurrent table: three sizes, and how the time grows from the middle one to the last
    assert len([line for line in out.splitlines() if "streams at once, async (wall)" in line]) == 3
    scaling = next(line for line in out.splitlines() if line.startswith("time at "))
    assert re.search(rf"{NUMBER}x\s+{NUMBER}x\s+-\s+<= 2.2x\s+(PASS|FAIL)$", scaling), scaling

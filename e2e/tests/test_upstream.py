"""Upstream drift: the real server's own /openapi.json against our snapshot, document and captures.

Runs tools/upstream.py against the open instance, as R2R of the version pinned in
e2e/requirements.lock: the trimmed contract of the three operations must equal
openapi/upstream/r2r-<that version>.json, and the coverage must be complete both ways (every
upstream place in openapi/r2r-v3.yaml or in openapi/upstream/left-out.yaml; every place of ours
upstream, in a capture or in openapi/upstream/divergences.yaml; every facet that differs listed).
When the R2R pin moves, this names exactly what changed upstream.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "upstream.py"
LOCK = Path(os.environ.get("E2E_LOCK") or ROOT / "e2e" / "requirements.lock")  # as e2e/run.py


def test_upstream_contract_unchanged_and_covered(cfg) -> None:
    result = subprocess.run(
        [sys.executable, str(TOOL), "--url", cfg.base, "--version-from-lock", str(LOCK)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "contract unchanged since openapi/upstream/r2r-" in result.stdout
    assert "two-way coverage: every upstream place" in result.stdout

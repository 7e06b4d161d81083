"""Upstream drift: the real server's own /openapi.json against our snapshot and our document.

Runs tools/upstream.py against the open instance: the trimmed contract of the three operations
must equal openapi/upstream/r2r-3.6.6.json, and every request field and parameter it declares
must be in openapi/r2r-v3.yaml or listed in openapi/upstream/left-out.yaml. When the R2R pin in
e2e/requirements.lock moves, this names exactly what changed upstream.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "upstream.py"


def test_upstream_contract_unchanged_and_covered(cfg) -> None:
    result = subprocess.run(
        [sys.executable, str(TOOL), "--url", cfg.base],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "upstream contract unchanged" in result.stdout
    assert "field coverage: every upstream request field" in result.stdout

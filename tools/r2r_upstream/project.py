"""Our side of the comparison: the three operations the client covers, and where the repository
keeps our document, the upstream snapshots and the real captures.

Every other module asks here instead of naming a path or an operation itself, so the report
compares exactly what the client implements. The paths are only defaults: the command's hidden
options (--ours, --upstream-dir, --captures) let the tests point it at copies.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "openapi" / "r2r-v3.yaml"
UPSTREAM_DIR = ROOT / "openapi" / "upstream"
CAPTURES = ROOT / "tests" / "fixtures"
E2E_DIVERGENCES = ROOT / "e2e" / "known-divergences.yaml"
OPERATIONS = (
    ("/v3/documents/{id}/metadata", "put"),
    ("/v3/retrieval/completion", "post"),
    ("/v3/retrieval/rag", "post"),
)


def op_label(path: str, method: str) -> str:
    """How the report names an operation: `POST /v3/retrieval/rag`."""
    return f"{method.upper()} {path}"

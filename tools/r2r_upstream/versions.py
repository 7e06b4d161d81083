"""Which R2R version a document is, and the committed snapshot of each version.

R2R does not serve its version (3.6.6 publishes FastAPI's placeholder `info.version` 0.1.0 and
no endpoint names it), so the version is, in order: what the caller says (`--version`); the r2r
pin of a lock (`--version-from-lock`); `info.version` unless it is the placeholder; the
committed snapshot whose document is identical. Snapshots are openapi/upstream/r2r-<version>.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .documents import load_json

FASTAPI_PLACEHOLDER_VERSION = "0.1.0"  # FastAPI's default info.version: the app set none


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def snapshots(directory: Path) -> dict[str, Path]:
    """{version: file} of the committed snapshots, oldest first."""
    found = {p.name[len("r2r-") : -len(".json")]: p for p in directory.glob("r2r-*.json")}
    return dict(sorted(found.items(), key=lambda kv: _version_key(kv[0])))


def version_from_lock(lock: Path) -> str:
    """The version of the `r2r==<version>` pin of a requirements lock."""
    match = re.search(r"^r2r(?:\[[^\]]*\])?==([^\s;#]+)", lock.read_text(encoding="utf-8"), re.M)
    if match is None:
        raise ValueError(f"{lock}: no r2r==<version> pin")
    return match.group(1)


def detect_version(document: dict[str, Any], known: dict[str, Path]) -> tuple[str | None, str]:
    """(version, how it was found) of a trimmed upstream document; None when nothing tells."""
    declared = str((document.get("info") or {}).get("version") or "")
    if declared and declared != FASTAPI_PLACEHOLDER_VERSION:
        return declared, "the document's info.version"
    same = [v for v, p in known.items() if load_json(p) == document]
    if len(same) == 1:
        return same[0], f"its document equals {known[same[0]].name}"
    return (
        None,
        "its document names none (info.version is FastAPI's placeholder) and equals no snapshot",
    )


def write_snapshot(path: Path, document: dict[str, Any]) -> None:
    """Record a trimmed document, written so that its diff in review is stable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")

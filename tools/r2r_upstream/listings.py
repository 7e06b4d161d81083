"""The two files where people answer the report: openapi/upstream/left-out.yaml (upstream places
we leave out on purpose) and openapi/upstream/divergences.yaml (differences we keep on purpose).

Every entry must carry its reason (the team's rule: every deliberate difference is written down
with why), so a file without one is refused here, naming the entry, before any comparison runs.
A divergence may borrow the reason of an e2e divergence (`see: <id>` in
e2e/known-divergences.yaml) instead of repeating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .project import E2E_DIVERGENCES, ROOT, op_label

LEFT_OUT_NAME = "left-out.yaml"
DIVERGENCES_NAME = "divergences.yaml"


@dataclass(frozen=True)
class LeftOut:
    """An upstream place (and everything under it) our document leaves out, and why."""

    operation: str
    location: str
    reason: str


def load_left_out(path: Path) -> list[LeftOut]:
    """The entries of left-out.yaml; one without a reason is refused."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = []
    for item in raw.get("left_out") or []:
        operation = op_label(item["path"], item["method"])
        if not str(item.get("reason", "")).strip():
            raise ValueError(f"{path}: {operation} {item['field']} has no reason")
        entries.append(LeftOut(operation, item["field"], item["reason"]))
    return entries


def load_divergences(path: Path, e2e_ids: set[str]) -> dict[str, str]:
    """{finding line: reason} from divergences.yaml; each line listed once, each entry with a
    reason or the id of the e2e divergence whose reason applies (`see`)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    listed: dict[str, str] = {}
    for item in (raw or {}).get("divergences") or []:
        reason = str(item.get("reason") or "").strip()
        see = item.get("see") or []
        for name in [see] if isinstance(see, str) else see:
            if name not in e2e_ids:
                raise ValueError(f"{path}: `see: {name}` names no entry of {E2E_DIVERGENCES.name}")
        if see and not reason:
            reason = f"see {E2E_DIVERGENCES.relative_to(ROOT)}: {see}"
        if not reason:
            raise ValueError(f"{path}: an entry has neither a reason nor `see`: {item}")
        for line in item.get("findings") or []:
            if line in listed:
                raise ValueError(f"{path}: listed twice: {line}")
            listed[line] = reason
    return listed


def e2e_divergence_ids(path: Path = E2E_DIVERGENCES) -> set[str]:
    """The ids of e2e/known-divergences.yaml, which a divergence's `see` may name."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(item["id"]) for item in raw.get("divergences") or []}

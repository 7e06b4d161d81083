"""Reading R2R's OpenAPI document (served or saved) and trimming it to the contract we compare.

R2R's document describes every endpoint of the server, with prose and code samples. A snapshot
keeps only our three operations, the components they reference (transitively) and the
security schemes they name, so a snapshot changes only when something we depend on changes, and
its diff in review is readable.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .project import OPERATIONS
from .refs import component_refs


def fetch(url: str) -> dict[str, Any]:
    """The document a running R2R serves at <url>/openapi.json."""
    with urllib.request.urlopen(url.rstrip("/") + "/openapi.json", timeout=60) as response:
        document: dict[str, Any] = json.load(response)
    return document


def load_json(path: Path) -> dict[str, Any]:
    """A saved document or snapshot."""
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def trim(document: dict[str, Any]) -> dict[str, Any]:
    """Our operations, the components they reference (transitively) and the security schemes
    they name; nothing else."""
    paths: dict[str, Any] = {}
    for path, method in OPERATIONS:
        operation = (document.get("paths") or {}).get(path, {}).get(method)
        if operation is not None:
            paths.setdefault(path, {})[method] = operation
    components = document.get("components") or {}
    wanted: set[tuple[str, str]] = set()
    pending = component_refs(paths)
    while pending:
        kind, name = pending.pop()
        if (kind, name) in wanted or name not in (components.get(kind) or {}):
            continue
        wanted.add((kind, name))
        pending |= component_refs(components[kind][name])
    schemes: set[str] = set()
    for requirement in _security(document, paths):
        schemes.update(requirement)
    for name in schemes:
        if name in (components.get("securitySchemes") or {}):
            wanted.add(("securitySchemes", name))
    trimmed: dict[str, Any] = {
        "openapi": document.get("openapi"),
        "info": document.get("info"),
        "paths": paths,
        "components": {},
    }
    if "security" in document:
        trimmed["security"] = document["security"]
    for kind, name in sorted(wanted):
        trimmed["components"].setdefault(kind, {})[name] = components[kind][name]
    return trimmed


def _security(document: dict[str, Any], paths: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for operations in paths.values():
        for operation in operations.values():
            yield from operation.get("security", document.get("security")) or []

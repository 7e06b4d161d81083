"""Upstream drift: the real R2R server's own OpenAPI document against our snapshot and our document.

    python tools/upstream.py --url http://127.0.0.1:7272            # diff + coverage, exit 1 on any
    python tools/upstream.py --url http://127.0.0.1:7272 --update   # rewrite the snapshot

1. Fetches `<url>/openapi.json`, trims it to our three operations and the components they
   reference, and compares it with the committed snapshot (openapi/upstream/r2r-<version>.json):
   added, removed and changed parameters, request fields, response codes, types, enums and
   required-ness, per operation. Any change exits 1 (with --update: the snapshot is rewritten).
2. Field coverage: every request field and parameter the upstream declares for the three
   operations is in openapi/r2r-v3.yaml, or listed in openapi/upstream/left-out.yaml with a reason.
Standard library and PyYAML only.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "openapi" / "r2r-v3.yaml"
UPSTREAM_DIR = ROOT / "openapi" / "upstream"
LEFT_OUT = UPSTREAM_DIR / "left-out.yaml"
R2R_VERSION = "3.6.6"  # the pin in e2e/requirements.in
SNAPSHOT = UPSTREAM_DIR / f"r2r-{R2R_VERSION}.json"
OPERATIONS = (
    ("/v3/documents/{id}/metadata", "put"),
    ("/v3/retrieval/completion", "post"),
    ("/v3/retrieval/rag", "post"),
)
MAX_DEPTH = 6  # how deep request fields are compared (recursive schemas stop here)


# --------------------------------------------------------------------------
# Trimming
# --------------------------------------------------------------------------
def fetch(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url.rstrip("/") + "/openapi.json", timeout=60) as response:
        document: dict[str, Any] = json.load(response)
    return document


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def trim(document: dict[str, Any]) -> dict[str, Any]:
    """Our three operations and the component schemas they reference (transitively)."""
    paths: dict[str, Any] = {}
    for path, method in OPERATIONS:
        operation = document["paths"][path][method]
        paths.setdefault(path, {})[method] = operation
    schemas = document.get("components", {}).get("schemas", {})
    wanted: set[str] = set()
    pending = _refs(paths)
    while pending:
        name = pending.pop()
        if name in wanted or name not in schemas:
            continue
        wanted.add(name)
        pending |= _refs(schemas[name])
    return {
        "openapi": document.get("openapi"),
        "info": document.get("info"),
        "paths": paths,
        "components": {"schemas": {name: schemas[name] for name in sorted(wanted)}},
    }


# --------------------------------------------------------------------------
# Flattening: an operation as {"<where>": "<description of type/enum/required>"}
# --------------------------------------------------------------------------
def _resolve(document: dict[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 50:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _types(document: dict[str, Any], schema: Any) -> list[str]:
    """The JSON types a schema admits, following $ref, anyOf/oneOf/allOf ("any" when open)."""
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return ["any"]
    found: list[str] = []
    declared = schema.get("type")
    if isinstance(declared, str):
        found.append(declared)
    elif isinstance(declared, list):
        found.extend(declared)
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key) or []:
            found.extend(_types(document, option))
    for option in schema.get("allOf") or []:
        found.extend(_types(document, option))
    if "enum" in schema and not found:
        found.append("enum")
    return sorted(set(found)) or ["any"]


def _children(document: dict[str, Any], schema: Any) -> tuple[dict[str, Any], set[str], Any]:
    """(properties, required names, items schema) of an object/array schema, merged over
    anyOf/oneOf/allOf branches."""
    schema = _resolve(document, schema)
    properties: dict[str, Any] = {}
    required: set[str] = set()
    items: Any = None
    if not isinstance(schema, dict):
        return properties, required, items
    properties.update(schema.get("properties") or {})
    required.update(schema.get("required") or [])
    items = schema.get("items")
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key) or []:
            sub_props, sub_required, sub_items = _children(document, option)
            for name, sub in sub_props.items():
                properties.setdefault(name, sub)
            if key == "allOf":
                required |= sub_required
            items = items or sub_items
    return properties, required, items


def _enum(document: dict[str, Any], schema: Any) -> list[Any] | None:
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return None
    if "enum" in schema:
        return list(schema["enum"])
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key) or []:
            found = _enum(document, option)
            if found is not None:
                return found
    return None


def _flatten_schema(
    document: dict[str, Any],
    schema: Any,
    where: str,
    required: bool,
    out: dict[str, str],
    depth: int,
) -> None:
    types = _types(document, schema)
    enum = _enum(document, schema)
    text = f"type {'|'.join(types)}" + (", required" if required else "")
    if enum is not None:
        text += f", enum {sorted(map(str, enum))}"
    out[where] = text
    if depth >= MAX_DEPTH:
        return
    properties, required_names, items = _children(document, schema)
    for name, sub in sorted(properties.items()):
        _flatten_schema(document, sub, f"{where}.{name}", name in required_names, out, depth + 1)
    if items is not None:
        _flatten_schema(document, items, f"{where}[]", False, out, depth + 1)


def flatten(document: dict[str, Any], path: str, method: str) -> dict[str, str]:
    """One operation as comparable lines: parameters, request body fields, response codes."""
    operation = document["paths"][path][method]
    out: dict[str, str] = {}
    for parameter in operation.get("parameters") or []:
        parameter = _resolve(document, parameter)
        where = f"parameter {parameter['in']} {parameter['name']}"
        out[where] = f"type {'|'.join(_types(document, parameter.get('schema')))}" + (
            ", required" if parameter.get("required") else ""
        )
    body = _resolve(document, operation.get("requestBody") or {})
    schema = (body.get("content") or {}).get("application/json", {}).get("schema")
    if schema is not None:
        _flatten_schema(document, schema, "body", bool(body.get("required")), out, 0)
    for status in sorted(operation.get("responses") or {}):
        out[f"response {status}"] = "documented"
    return out


def request_fields(document: dict[str, Any], path: str, method: str) -> set[str]:
    """The parameter and request-field keys of one operation (no responses)."""
    return {k for k in flatten(document, path, method) if not k.startswith("response ")}


# --------------------------------------------------------------------------
# Diff and coverage
# --------------------------------------------------------------------------
def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for path, method in OPERATIONS:
        before, after = flatten(old, path, method), flatten(new, path, method)
        changes = [f"  + {k}: {after[k]}" for k in sorted(after.keys() - before.keys())]
        changes += [f"  - {k}: {before[k]}" for k in sorted(before.keys() - after.keys())]
        changes += [
            f"  ~ {k}: {before[k]}  ->  {after[k]}"
            for k in sorted(before.keys() & after.keys())
            if before[k] != after[k]
        ]
        if changes:
            lines.append(f"{method.upper()} {path}:")
            lines.extend(changes)
    return lines


def _normalise(key: str) -> str:
    """Our document and the upstream one name the same body differently at the top."""
    return key


def load_left_out() -> dict[str, str]:
    with open(LEFT_OUT, encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    entries: dict[str, str] = {}
    for item in raw.get("left_out") or []:
        key = f"{item['method'].upper()} {item['path']} {item['field']}"
        if not str(item.get("reason", "")).strip():
            raise ValueError(f"{LEFT_OUT}: {key} has no reason")
        entries[key] = item["reason"]
    return entries


def coverage(upstream: dict[str, Any], ours: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(request fields upstream declares that we neither have nor list, stale left-out entries)."""
    left_out = load_left_out()
    missing: list[str] = []
    used: set[str] = set()
    for path, method in OPERATIONS:
        ours_keys = request_fields(ours, path, method)
        for key in sorted(request_fields(upstream, path, method)):
            full = f"{method.upper()} {path} {key}"
            if key in ours_keys:
                continue
            covering = [e for e in left_out if full == e or full.startswith((e + ".", e + "["))]
            if covering:
                used.update(covering)
            else:
                missing.append(full)
    stale = sorted(set(left_out) - used)
    return missing, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="base URL of a running R2R server")
    parser.add_argument("--update", action="store_true", help="rewrite the snapshot")
    args = parser.parse_args(argv)

    upstream = trim(fetch(args.url))
    with open(OURS, encoding="utf-8") as f:
        ours = yaml.safe_load(f)
    status = 0

    if args.update or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(upstream, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
    else:
        snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        changes = diff(snapshot, upstream)
        if changes:
            status = 1
            print(f"The server's contract differs from {SNAPSHOT.relative_to(ROOT)}:")
            print("\n".join(changes))
            print(
                "\nReview each change against openapi/r2r-v3.yaml, then record the new contract "
                "with: nox -s upstream -- --update"
            )
        else:
            print(f"upstream contract unchanged ({SNAPSHOT.relative_to(ROOT)})")

    missing, stale = coverage(upstream, ours)
    if missing:
        status = 1
        print(
            "\nUpstream request fields/parameters missing from openapi/r2r-v3.yaml (add them, or "
            f"list them with a reason in {LEFT_OUT.relative_to(ROOT)}):"
        )
        print("\n".join(f"  {m}" for m in missing))
    if stale:
        status = 1
        print(f"\nEntries of {LEFT_OUT.relative_to(ROOT)} that match nothing upstream any more:")
        print("\n".join(f"  {s}" for s in stale))
    if not missing and not stale:
        print(
            "field coverage: every upstream request field is in our document "
            "or left out with a reason"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())

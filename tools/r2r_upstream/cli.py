"""Upstream drift: R2R's own OpenAPI document against our snapshots, our document and our captures.

    python tools/upstream.py --url http://127.0.0.1:7272             # report; exit 1 on any finding
    python tools/upstream.py --url http://127.0.0.1:7272 --update    # record r2r-<version>.json
    python tools/upstream.py --document openapi.json --version 3.6.7  # a saved document instead
    python tools/upstream.py --compare OLD.json NEW.json              # two snapshots, no coverage

The command line, and the order of the report: the version, whether the server publishes each of
our operations, the drift against the snapshot of that version (or the newest one), recording a
snapshot on `--update`, then two-way coverage. Exit 0 when there is nothing to review, 1 on any
finding, 2 when `--update` cannot tell which version to record (and on a usage error).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from .captures import load_captures
from .coverage import coverage
from .documents import fetch, load_json, trim
from .listings import (
    DIVERGENCES_NAME,
    LEFT_OUT_NAME,
    e2e_divergence_ids,
    load_divergences,
    load_left_out,
)
from .project import CAPTURES, OPERATIONS, OURS, UPSTREAM_DIR, op_label
from .report import print_coverage, print_drift, relative
from .versions import detect_version, snapshots, version_from_lock, write_snapshot


def compare_files(old: Path, new: Path) -> int:
    """`--compare OLD NEW`: the drift between two saved documents; 1 when the contract moved."""
    return 1 if print_drift(relative(old), trim(load_json(old)), trim(load_json(new))) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="base URL of a running R2R server (reads <url>/openapi.json)")
    source.add_argument("--document", type=Path, help="a saved openapi.json of an R2R server")
    source.add_argument(
        "--compare", nargs=2, type=Path, metavar=("OLD", "NEW"), help="diff two snapshots"
    )
    version = parser.add_mutually_exclusive_group()
    version.add_argument("--version", help="the server's R2R version (it does not serve one)")
    version.add_argument(
        "--version-from-lock", type=Path, help="take the r2r==<version> pin of this lock"
    )
    parser.add_argument("--update", action="store_true", help="record the snapshot of this version")
    parser.add_argument("--ours", type=Path, default=OURS, help=argparse.SUPPRESS)
    parser.add_argument("--upstream-dir", type=Path, default=UPSTREAM_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--captures", type=Path, default=CAPTURES, help=argparse.SUPPRESS)
    return parser


def _which_version(
    args: argparse.Namespace, upstream: dict[str, Any], known: dict[str, Path]
) -> tuple[str | None, str]:
    """(version, how it was found): as given, as pinned in a lock, or as the document tells."""
    if args.version:
        return str(args.version), "given"
    if args.version_from_lock:
        lock: Path = args.version_from_lock
        return version_from_lock(lock), f"pinned in {relative(lock)}"
    return detect_version(upstream, known)


def main(argv: list[str] | None = None) -> int:
    """Run the command; the exit status (0 nothing to review, 1 findings, 2 cannot record)."""
    args = _parser().parse_args(argv)

    if args.compare:
        return compare_files(*args.compare)
    raw = fetch(args.url) if args.url else load_json(args.document)
    upstream = trim(raw)
    missing_ops = [op_label(p, m) for p, m in OPERATIONS if m not in upstream["paths"].get(p, {})]
    known = snapshots(args.upstream_dir)
    found, how = _which_version(args, upstream, known)
    print(f"R2R {found or '(version unknown)'}: {how}")
    status = 1 if missing_ops else 0
    for label in missing_ops:
        print(f"the server does not publish {label}")

    target = args.upstream_dir / f"r2r-{found}.json" if found else None
    if target is not None and target.exists():
        changed = print_drift(relative(target), load_json(target), upstream)
    elif known:
        newest = known[list(known)[-1]]
        which = f"R2R {found}" if found else "this version"
        print(f"no snapshot of {which}; comparing with the newest")
        changed = print_drift(relative(newest), load_json(newest), upstream) or True
    else:
        print("no snapshot to compare with")
        changed = True
    if args.update:
        if target is None:
            print("cannot record a snapshot without a version: pass --version")
            return 2
        write_snapshot(target, upstream)
        print(f"recorded R2R {found}'s contract in {relative(target)}")
    elif changed:
        status = 1
        print(
            "review each change against openapi/r2r-v3.yaml, then record the contract with --update"
            + ("" if found else " --version <the server's R2R version>")
        )

    ours = yaml.safe_load(args.ours.read_text(encoding="utf-8"))
    result = coverage(
        upstream,
        ours,
        load_captures(args.captures),
        load_left_out(args.upstream_dir / LEFT_OUT_NAME),
        load_divergences(args.upstream_dir / DIVERGENCES_NAME, e2e_divergence_ids()),
    )
    print_coverage(result, args.ours, args.upstream_dir)
    if result.missing or result.unlisted or result.stale:
        status = 1
    return status

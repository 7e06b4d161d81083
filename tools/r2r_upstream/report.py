"""The report as printed: drift first, then coverage, each finding on its own line.

Each block says what to do about its lines (add them, list them with a reason, remove stale
entries), because whoever runs the check after an R2R upgrade reads this text, not the code.
Paths are printed relative to the repository when they are inside it, so that the report reads
the same on every machine (docs/pages/upstream-history.md quotes it word for word).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .coverage import Coverage
from .drift import diff, documentation_changes
from .listings import DIVERGENCES_NAME, LEFT_OUT_NAME
from .places import flatten
from .project import OPERATIONS, ROOT


def relative(path: Path) -> str:
    """`path` relative to the repository's root, or as given when it is outside."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def print_drift(old_name: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Print what changed from `old` (named `old_name`) to `new`; whether the contract did."""
    changes = diff(old, new)
    docs = documentation_changes(old, new)
    places = sum(len(flatten(new, path, method)) for path, method in OPERATIONS)
    if changes:
        print(f"The contract differs from {old_name}:")
        print("\n".join(changes))
    else:
        print(f"contract unchanged since {old_name} ({places} places compared)")
    if docs:
        print(f"documentation changed (not compared) in {len(docs)} places:")
        print("\n".join(f"  {pointer}" for pointer in docs))
    return bool(changes)


def print_coverage(result: Coverage, ours: Path, upstream_dir: Path) -> None:
    """Print the coverage findings, or the one line saying there are none."""
    left_out = relative(upstream_dir / LEFT_OUT_NAME)
    divergences = relative(upstream_dir / DIVERGENCES_NAME)
    if result.missing:
        print(
            f"\nUpstream places missing from {relative(ours)} (add them, or list them with a "
            f"reason in {left_out}):"
        )
        print("\n".join(f"  {m}" for m in result.missing))
    if result.unlisted:
        print(
            f"\nDifferences between {relative(ours)} and upstream (resolve them, or list each "
            f"line with a reason in {divergences}):"
        )
        print("\n".join(f"  {m}" for m in result.unlisted))
    if result.stale:
        print("\nEntries that match nothing any more (remove them):")
        print("\n".join(f"  {s}" for s in result.stale))
    if not (result.missing or result.unlisted or result.stale):
        print(
            f"two-way coverage: every upstream place is in {relative(ours)} or left out with a "
            f"reason; every place of ours is upstream, in a capture ({result.confirmed}) or "
            f"listed with a reason; every difference is listed"
        )

"""Drift: one upstream document against another, as report lines.

What changed in R2R's contract between two documents (the server against the snapshot of its
version, or two snapshots): every place added (`+`), removed (`-`) or with a changed facet (`~`),
per operation. Documentation is not contract, but a reviewer wants to know it moved, so its
changes are listed apart, by JSON pointer.
"""

from __future__ import annotations

from typing import Any

from .facets import NONE, Facets, facets_text, ordered
from .places import Location, flatten, render
from .project import OPERATIONS, op_label
from .shapes import is_documentation


def _place_line(sign: str, location: Location, facets: Facets) -> str:
    text = facets_text(facets)
    return f"  {sign} {render(location)}" + (f": {text}" if text else "")


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Report lines per operation: `+ place: facets`, `- place: facets`, `~ place: facet a -> b`."""
    lines: list[str] = []
    for path, method in OPERATIONS:
        before, after = flatten(old, path, method), flatten(new, path, method)
        if not (before and after):  # the whole operation came or went: one line, not every place
            changes = [f"  + operation ({len(after)} places)"] if after else []
            changes += [f"  - operation ({len(before)} places)"] if before else []
        else:
            changes = [_place_line("+", k, after[k]) for k in sorted(after.keys() - before.keys())]
            changes += [
                _place_line("-", k, before[k]) for k in sorted(before.keys() - after.keys())
            ]
        for key in sorted(before.keys() & after.keys()):
            for facet in [f for f, _ in ordered({**before[key], **after[key]})]:
                a, b = before[key].get(facet, NONE), after[key].get(facet, NONE)
                if a != b:
                    changes.append(f"  ~ {render(key)}: {facet} {a} -> {b}")
        if changes:
            lines.append(f"{op_label(path, method)}:")
            lines.extend(changes)
    return lines


def documentation_changes(old: Any, new: Any, pointer: str = "") -> list[str]:
    """JSON pointers where only documentation (descriptions, examples, code samples) differs."""
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[str] = []
        for key in sorted(old.keys() | new.keys()):
            where = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            if is_documentation(key) or key == "info":
                if old.get(key) != new.get(key):
                    found.append(where)
            elif key in old and key in new:
                found.extend(documentation_changes(old[key], new[key], where))
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            p
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for p in documentation_changes(a, b, f"{pointer}/{i}")
        ]
    return []

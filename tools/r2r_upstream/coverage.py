"""Two-way coverage: upstream's places against our document's, each finding one line.

- every upstream place is in our document, or under an entry of left-out.yaml;
- every place of ours is declared upstream, or seen in a real capture (for what R2R sends but
  does not declare), or its line is listed in divergences.yaml;
- for places in both, each facet is equal, or the difference's line is listed in
  divergences.yaml (a default is compared only when both declare one; a type that upstream
  leaves open in a response is checked against the captured values instead).

divergences.yaml lists finding lines verbatim, so a change on either side brings a finding back;
an entry that matches nothing any more is a finding too, so the files cannot rot.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .captures import Captured
from .facets import NONE, Facets, ordered
from .listings import DIVERGENCES_NAME, LEFT_OUT_NAME, LeftOut
from .places import Flat, Location, flatten, matches, render
from .project import OPERATIONS, op_label


@dataclass
class Coverage:
    """The findings, by what answers them: our document, left-out.yaml or divergences.yaml."""

    missing: list[str]  # upstream places neither in our document nor left out
    unlisted: list[str]  # our places and facet differences not listed in divergences.yaml
    stale: list[str]  # entries of left-out.yaml / divergences.yaml that match nothing
    confirmed: int  # our places upstream does not declare that a capture shows


def _find(flat: Flat, location: Location) -> Facets | None:
    """The facets of `location` in `flat`, or of the `.*` place that admits it."""
    if location in flat:
        return flat[location]
    for key in sorted(flat):
        if matches(key, location):
            return flat[key]
    return None


def _fits(declared: str, seen: set[str]) -> bool:
    """Whether values of the JSON types `seen` fit the rendered type `declared`."""
    allowed = set(declared.split("|"))
    return "any" in allowed or all(
        t in allowed or (t == "integer" and "number" in allowed) for t in seen
    )


def _compare(
    label: str, key: Location, mine: Facets, theirs: Facets, captured: Captured
) -> Iterator[str]:
    for facet, _ in ordered({**mine, **theirs}):
        a, b = mine.get(facet, NONE), theirs.get(facet, NONE)
        if a == b or (facet == "default" and NONE in (a, b)):
            continue  # a default is documentation unless both declare one
        if facet == "required" and NONE in (a, b):
            continue  # a named key against a `.*` of the other side
        if facet == "type" and b == "any" and key[0].startswith("response "):
            seen = captured.types(key)  # upstream leaves it open: the captures decide
            if seen is not None and _fits(a, seen):
                continue
        yield f"{label} {render(key)}: {facet} ours {a}, upstream {b}"


def coverage(
    upstream: dict[str, Any],
    ours: dict[str, Any],
    captures: dict[tuple[str, str], Captured],
    left_out: list[LeftOut],
    divergences: dict[str, str],
) -> Coverage:
    """The findings of every operation, with the entries of the two files that matched none."""
    missing: list[str] = []
    findings: list[str] = []
    used_left_out: set[LeftOut] = set()
    confirmed = 0
    for path, method in OPERATIONS:
        label = op_label(path, method)
        theirs, mine = flatten(upstream, path, method), flatten(ours, path, method)
        captured = captures.get((path, method), Captured())
        entries = [e for e in left_out if e.operation == label]
        reported: set[Location] = set()  # places reported as missing on one side
        for key in sorted(theirs.keys() | mine.keys()):
            their_facets, my_facets = _find(theirs, key), _find(mine, key)
            if their_facets is not None and my_facets is not None:
                findings.extend(_compare(label, key, my_facets, their_facets, captured))
                continue
            if key[:-1] in reported:
                reported.add(key)  # reported with its parent
                continue
            if my_facets is None:
                covering = [
                    e
                    for e in entries
                    if any(render(key[:n]) == e.location for n in range(1, len(key) + 1))
                ]
                used_left_out.update(covering)
                if not covering:
                    missing.append(f"{label} {render(key)}")
                reported.add(key)
            elif (seen := captured.types(key)) is not None:
                confirmed += 1  # R2R sends it without declaring it: does what it sends fit?
                declared = my_facets.get("type", "any")
                if not _fits(declared, seen):
                    findings.append(
                        f"{label} {render(key)}: type ours {declared}, "
                        f"captured {'|'.join(sorted(seen))}"
                    )
            else:
                findings.append(f"{label} {render(key)}: ours only")
                reported.add(key)
    unlisted = [line for line in findings if line not in divergences]
    stale = [
        f"{LEFT_OUT_NAME}: {e.operation} {e.location}" for e in left_out if e not in used_left_out
    ] + [f"{DIVERGENCES_NAME}: {line}" for line in divergences if line not in findings]
    return Coverage(missing, unlisted, stale, confirmed)

"""What the real server sent: the places and value types of the captures in tests/fixtures/*.http.

R2R does not declare everything it sends (its RAG answer is declared as `{}`). Where upstream is
silent, what a real R2R 3.6.6 put on the wire is the evidence that a place of our document is
real, and which JSON types its values take.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .facets import json_type
from .places import Location, body_root, matches
from .project import OPERATIONS

# Which operation a capture answers, from its file name (tests/test_captures.py lists the same).
CAPTURE_OPERATIONS = {
    "put-metadata": ("/v3/documents/{id}/metadata", "put"),
    "completion": ("/v3/retrieval/completion", "post"),
    "rag": ("/v3/retrieval/rag", "post"),
}


@dataclass
class Captured:
    """Places seen in real responses of one operation, with the JSON types of their values."""

    places: dict[Location, set[str]] = field(default_factory=dict)

    def add(self, location: Location, value: Any) -> None:
        self.places.setdefault(location, set()).add(json_type(value))
        if isinstance(value, dict):
            for key, sub in value.items():
                self.add((*location, f".{key}"), sub)
        elif isinstance(value, list):
            for sub in value:
                self.add((*location, "[]"), sub)

    def types(self, location: Location) -> set[str] | None:
        """The JSON types seen at `location` (`.*` matches any key), None if never seen."""
        found: set[str] | None = None
        for place, types in self.places.items():
            if matches(location, place):
                found = (found or set()) | types
        return found


def capture_operation(name: str) -> tuple[str, str]:
    """The operation a capture answers, from the words of its file name."""
    found = {
        op for word, op in CAPTURE_OPERATIONS.items() if re.search(rf"(^|-){word}(-|\.|$)", name)
    }
    if len(found) != 1:
        raise ValueError(f"cannot tell which operation the capture {name} answers")
    return found.pop()


def load_captures(directory: Path) -> dict[tuple[str, str], Captured]:
    """{operation: what its captured responses show}, from every *.http file of `directory`."""
    captured: dict[tuple[str, str], Captured] = {op: Captured() for op in OPERATIONS}
    for file in sorted(directory.glob("*.http")):
        head, _, body = file.read_bytes().partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = lines[0].split()[1]
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        media = headers.get("content-type", "").split(";")[0].strip()
        target = captured[capture_operation(file.name)]
        target.add((f"response {status}",), {})
        root = (f"response {status}", f" {body_root(media)}")
        if media != "text/event-stream":
            text = body.decode("utf-8")
            target.add(root, json.loads(text) if media == "application/json" else text)
            continue
        for block in body.decode("utf-8").split("\n\n"):
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if "event" not in fields:
                continue
            target.add(root, dict.fromkeys(fields, ""))
            data: Any = fields.get("data", "")
            with contextlib.suppress(ValueError):  # `done` sends [DONE]
                data = json.loads(data)
            target.add((f"response {status}", f" event:{fields['event']}"), data)
    return captured

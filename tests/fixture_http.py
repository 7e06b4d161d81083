"""Load the real server captures in tests/fixtures (raw HTTP responses)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


class Capture:
    """One captured response: status, headers (lower-case names) and body bytes."""

    def __init__(self, name: str) -> None:
        raw = (FIXTURES / name).read_bytes()
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.name = name
        self.status = int(lines[0].split()[1])
        # the header lines as sent, in order, and by lower-case name
        self.header_items = [
            (key.strip(), value.strip())
            for key, _, value in (line.partition(":") for line in lines[1:])
        ]
        self.headers = {key.lower(): value for key, value in self.header_items}
        self.body = body

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def capture_names() -> list[str]:
    return sorted(p.name for p in FIXTURES.glob("*.http"))

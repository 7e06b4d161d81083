"""What passes between the fake server's transport and its app: a request as received, and
the reply to write. Plain values, so the app can be tested without sockets."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ._wire import WireAnswer

__all__ = ["JsonReply", "RecordedRequest", "Reply", "StreamReply", "TextReply"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it (header names lower-cased)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        """The body parsed as JSON; None when it is empty or not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass(frozen=True)
class JsonReply:
    """A JSON answer (success or error)."""

    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TextReply:
    """A non-JSON answer: a proxy's HTML page, or the real server's plain-text 500s."""

    status: int
    text: str
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamReply:
    """A RAG answer streamed as Server-Sent Events."""

    answer: WireAnswer


Reply = JsonReply | TextReply | StreamReply

"""How a reply, or a fault, goes onto the wire: JSON and text bodies, bodies cut in half,
chunked event streams with pauses, and connections dropped midway.

The transport provides the `Wire`; this module decides what bytes to write, and when.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ._faults import Fault
from ._messages import JsonReply, Reply, StreamReply, TextReply
from ._wire import WireAnswer

__all__ = ["StreamTiming", "Wire", "fault_reply", "write_reply"]

# Long streams are written in batches of about this size (one chunk each).
_BATCH_BYTES = 64 * 1024
_HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class Wire(Protocol):
    """One HTTP/1.1 response being written on a connection."""

    def start(self, status: int, headers: Sequence[tuple[str, str]]) -> None:
        """Write the status line and the headers."""

    def write(self, data: bytes) -> None:
        """Write body bytes (nothing for a HEAD request)."""

    def drop(self) -> None:
        """Close the connection abruptly, as a crashed worker or a proxy timeout does."""

    def wait(self, seconds: float) -> bool:
        """Sleep; True when the server is stopping meanwhile (stop writing then)."""


@dataclass
class StreamTiming:
    """Pauses in a streamed answer, in seconds."""

    first_event_delay: float = 0.0
    """Before the first event (after the response headers)."""
    stream_pause: float = 0.0
    """After the first event (`search_results`), before the answer's text."""
    event_interval: float = 0.0
    """Between every two events after the first."""


def _number(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def fault_reply(fault: Fault | None) -> Reply | None:
    """The canned answer of a fault that answers in the server's place, if it is one."""
    if fault is None:
        return None
    params = fault.params
    if fault.kind == "status_503":
        retry = params["retry_after"]
        headers = {} if retry is None else {"retry-after": _number(retry)}
        return JsonReply(503, {"detail": "Service Unavailable"}, headers)
    if fault.kind == "rate_limit_429":
        message = "Rate limit exceeded: too many requests, retry later."
        return JsonReply(429, {"detail": message}, {"retry-after": _number(params["seconds"])})
    if fault.kind == "html_502":
        return TextReply(502, _HTML_502, "text/html")
    return None


def write_reply(
    wire: Wire, reply: Reply, fault: Fault | None, timing: StreamTiming, *, batched: bool
) -> None:
    """Write `reply`, altered by `fault` (truncation, a cut stream, a silent end)."""
    kind = fault.kind if fault is not None else None
    if isinstance(reply, StreamReply):
        _write_stream(wire, reply.answer, fault, timing, batched=batched)
        return
    if isinstance(reply, TextReply):
        data, content_type = reply.text.encode(), reply.content_type
    else:
        data = json.dumps(reply.body, separators=(",", ":")).encode()
        content_type = "application/json"
    if kind == "truncated_json" and fault is not None:
        _write_truncated(wire, reply.status, data, str(fault.params["framing"]))
        return
    headers = [("content-type", content_type), ("content-length", str(len(data)))]
    wire.start(reply.status, [*headers, *reply.headers.items()])
    wire.write(data)


def _write_truncated(wire: Wire, status: int, data: bytes, framing: str) -> None:
    """Half a body: framed exactly (a bad 200), or promised whole and then cut off."""
    cut = data[: len(data) // 2]
    length = len(cut) if framing == "exact" else len(data)
    wire.start(status, [("content-type", "application/json"), ("content-length", str(length))])
    wire.write(cut)
    if framing == "close":
        wire.drop()


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%b\r\n" % (len(data), data)


_LAST_CHUNK = b"0\r\n\r\n"


def _write_stream(
    wire: Wire, answer: WireAnswer, fault: Fault | None, timing: StreamTiming, *, batched: bool
) -> None:
    wire.start(
        200,
        [("content-type", "text/event-stream; charset=utf-8"), ("transfer-encoding", "chunked")],
    )
    if timing.first_event_delay > 0 and wire.wait(timing.first_event_delay):
        wire.drop()
        return
    first = answer.search_event()
    kind = fault.kind if fault is not None else None
    if kind == "silent_end_after_search":
        wire.write(_chunk(first) + _LAST_CHUNK)
        return
    events = _events(first, answer)
    if kind == "drop_mid_stream" and fault is not None:
        for _, event in zip(range(int(fault.params["after_events"])), events, strict=False):
            wire.write(_chunk(event))
        wire.drop()
        return
    wire.write(_chunk(next(events)))
    if timing.stream_pause > 0 and wire.wait(timing.stream_pause):
        wire.drop()
        return
    if timing.event_interval > 0:
        for event in events:
            if wire.wait(timing.event_interval):
                wire.drop()
                return
            wire.write(_chunk(event))
    elif batched:
        for batch in _batches(events):
            wire.write(_chunk(batch))
    else:
        for event in events:  # one chunk per event: the client sees each as it is made
            wire.write(_chunk(event))
    wire.write(_LAST_CHUNK)


def _events(first: bytes, answer: WireAnswer) -> Iterator[bytes]:
    yield first
    yield from answer.body_events()
    yield from answer.final_events()


def _batches(events: Iterator[bytes]) -> Iterator[bytes]:
    batch: list[bytes] = []
    size = 0
    for event in events:
        batch.append(event)
        size += len(event)
        if size >= _BATCH_BYTES:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)

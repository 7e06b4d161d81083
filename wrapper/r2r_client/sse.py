"""Server-Sent Events decoding (WHATWG HTML, "Interpreting an event stream").

The decoder is incremental and yields events the moment the bytes that
complete them arrive, because a streaming client's time-to-first-token is
bounded by it. It works on whole buffers with ``bytes.rfind``/``str.split``
rather than per-byte loops, since it sits on the hot path of every stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any, NamedTuple

__all__ = ["SSEDecoder", "ServerSentEvent", "aiter_sse", "iter_sse"]

_BOM = b"\xef\xbb\xbf"
_CR = 0x0D
_LF = 0x0A
_new_event = tuple.__new__


class ServerSentEvent(NamedTuple):
    """One dispatched event; a NamedTuple so it is immutable and cheap to build."""

    event: str = "message"
    data: str = ""
    id: str = ""
    retry: int | None = None

    def json(self) -> Any:
        """Parse ``data`` as JSON, as most SSE APIs (R2R included) send JSON."""
        return json.loads(self.data)


def _parse_digits(value: str) -> int:
    """Base-ten parse that also accepts absurdly long values the spec allows.

    int() refuses more than 4300 digits (CPython >= 3.11); Decimal has no such limit. Imported
    here: a `retry` field is rare, and no import is paid for it until one arrives.
    """
    from decimal import Decimal

    return int(Decimal(value))


class SSEDecoder:
    """Incremental event-stream parser; feed it raw bytes as they arrive.

    A CR is treated as a line end as soon as it is seen (so CR-only streams
    are not delayed); if the next chunk then starts with LF, that LF is the
    second half of a CRLF and is dropped instead of being read as a blank line.
    """

    __slots__ = (
        "_at_start",
        "_block_retry",
        "_data",
        "_event_type",
        "_head",
        "_last_event_id",
        "_pending",
        "_retry",
        "_skip_lf",
    )

    def __init__(self) -> None:
        # Stream-scoped state; reset by close() so a decoder can be reused
        # across reconnections while keeping last_event_id and retry.
        self._pending: list[bytes] = []  # unterminated line, kept in pieces
        self._skip_lf = False  # previous chunk ended in CR
        self._at_start = True  # BOM not yet ruled out
        self._head = b""  # leading bytes that may still be a split BOM
        # Event-block state.
        self._data: list[str] = []
        self._event_type = ""
        self._block_retry: int | None = None
        # Survives blocks and reconnections.
        self._last_event_id = ""
        self._retry: int | None = None

    @property
    def last_event_id(self) -> str:
        """Last event ID buffer, for the ``Last-Event-ID`` header on reconnect."""
        return self._last_event_id

    @property
    def retry(self) -> int | None:
        """Latest reconnection time in ms; also set by blocks that dispatch nothing."""
        return self._retry

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Consume ``chunk`` and return the events it completes."""
        if self._at_start:
            head = self._head + chunk
            if _BOM.startswith(head):  # a BOM, or part of one: wait for what follows
                self._head = head
                return []
            self._at_start = False  # _head is not read again until close() empties it
            chunk = head[3:] if head.startswith(_BOM) else head
        if not chunk:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if chunk[0] == _LF:
                chunk = chunk[1:]
                if not chunk:
                    return []
        end = chunk.rfind(b"\n")
        cr = chunk.rfind(b"\r", end + 1)
        if cr >= 0:
            end = cr
        if end < 0:
            self._pending.append(chunk)
            return []
        self._skip_lf = chunk[-1] == _CR
        pending = self._pending
        if pending:
            pending.append(chunk[: end + 1])
            complete = b"".join(pending)
            pending.clear()
        else:
            complete = chunk[: end + 1]
        if end + 1 < len(chunk):
            pending.append(chunk[end + 1 :])
        # CR and LF never occur inside a UTF-8 sequence, so decoding whole
        # lines equals decoding the stream first, as the spec describes.
        # Each copy is dropped as soon as the next exists: a large event (a long final
        # answer) is then held twice at most, not four times.
        text = complete.decode("utf-8", "replace")
        del complete, chunk
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        del text
        lines.pop()  # empty: complete ends with a line terminator
        return self._process(lines)

    def close(self) -> list[ServerSentEvent]:
        """End of input: discard any unterminated line and undispatched block.

        The spec drops pending data at end of file; an unterminated final
        line is not even applied to ``last_event_id``/``retry``, since a cut
        connection may have truncated it (``id: 12`` of ``id: 123``).
        Returns a list (always empty) so callers can treat it like ``feed``.
        """
        self._pending.clear()
        self._skip_lf = False
        self._at_start = True
        self._head = b""
        self._data = []
        self._event_type = ""
        self._block_retry = None
        return []

    def _process(self, lines: list[str]) -> list[ServerSentEvent]:
        """Apply complete lines; locals instead of attributes for speed."""
        events: list[ServerSentEvent] = []
        add = events.append
        data = self._data
        event_type = self._event_type
        last_id = self._last_event_id
        block_retry = self._block_retry
        for line in lines:
            if not line:
                if data:
                    # tuple.__new__ skips the NamedTuple's Python-level __new__.
                    add(
                        _new_event(
                            ServerSentEvent,
                            (
                                event_type or "message",
                                "\n".join(data),
                                last_id,
                                block_retry,
                            ),
                        )
                    )
                    data = []
                event_type = ""
                block_retry = None
                continue
            # A comment (leading ":") gives name "", which matches no field below.
            name, _, value = line.partition(":")
            if value and value[0] == " ":
                value = value[1:]
            if name == "data":
                data.append(value)
            elif name == "event":
                event_type = value
            elif name == "id":
                if "\0" not in value:
                    last_id = value
            elif name == "retry" and value.isascii() and value.isdigit():
                block_retry = self._retry = _parse_digits(value)
        self._data = data
        self._event_type = event_type
        self._last_event_id = last_id
        self._block_retry = block_retry
        return events


def iter_sse(
    chunks: Iterable[bytes], *, decoder: SSEDecoder | None = None
) -> Iterator[ServerSentEvent]:
    """Yield events as each chunk completes them (no read-ahead).

    Pass ``decoder`` to keep ``last_event_id``/``retry`` across reconnections.
    """
    dec = SSEDecoder() if decoder is None else decoder
    for chunk in chunks:
        yield from dec.feed(chunk)
    yield from dec.close()


async def aiter_sse(
    chunks: AsyncIterable[bytes], *, decoder: SSEDecoder | None = None
) -> AsyncIterator[ServerSentEvent]:
    """Async twin of :func:`iter_sse`, for ``httpx``-style async byte streams."""
    dec = SSEDecoder() if decoder is None else decoder
    async for chunk in chunks:
        for event in dec.feed(chunk):
            yield event
    for event in dec.close():
        yield event

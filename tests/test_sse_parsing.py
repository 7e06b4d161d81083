"""The SSE decoder's edges that the main suite (test_sse.py) leaves implicit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from r2r_client.sse import ServerSentEvent, SSEDecoder, aiter_sse, iter_sse


async def _chunks(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def _acollect(decoder: SSEDecoder | None, *chunks: bytes) -> list[ServerSentEvent]:
    async def main() -> list[ServerSentEvent]:
        return [event async for event in aiter_sse(_chunks(*chunks), decoder=decoder)]

    return asyncio.run(main())


def test_aiter_sse_uses_the_decoder_it_is_given() -> None:
    decoder = SSEDecoder()
    first = _acollect(decoder, b"id: 7\nretry: 250\ndata: a\n\n")
    assert first == [ServerSentEvent("message", "a", "7", 250)]
    # A reconnection with the same decoder keeps the last event id and the retry time.
    assert _acollect(decoder, b"data: b\n\n") == [ServerSentEvent("message", "b", "7", None)]
    assert decoder.last_event_id == "7"
    assert decoder.retry == 250


def test_iter_sse_uses_the_decoder_it_is_given() -> None:
    decoder = SSEDecoder()
    [event] = iter_sse([b"id: 9\ndata: a\n\n"], decoder=decoder)
    assert event.id == "9"
    assert list(iter_sse([b"data: b\n\n"], decoder=decoder)) == [
        ServerSentEvent("message", "b", "9", None)
    ]
    # Without one, each call starts afresh.
    assert list(iter_sse([b"data: b\n\n"])) == [ServerSentEvent("message", "b", "", None)]
    assert _acollect(None, b"data: b\n\n") == [ServerSentEvent("message", "b", "", None)]


def test_lf_after_cr_is_skipped_once_even_when_the_chunk_ends_no_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\ndata: b") == []  # the LF of the CRLF, then an unfinished line
    # This LF ends "data: b"; the next one ends the block.
    assert decoder.feed(b"\n\n") == [ServerSentEvent("message", "a\nb", "", None)]

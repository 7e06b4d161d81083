"""A stream's life: read once, complete or refused as incomplete, and released when dropped."""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, async_connection_pool, call, connection_pool, load_fixture

from r2r_client import (
    AsyncR2RClient,
    AsyncRAGStream,
    ClientClosedError,
    IncompleteStreamError,
    MessageEvent,
    R2RClient,
    RAGStream,
    SearchResultsEvent,
    StreamConsumedError,
)
from r2r_client.testing import FakeR2RServer

RAG = "/v3/retrieval/rag"
STATUS, HEADERS, BODY = load_fixture("07-rag-stream")
HEAD = BODY.split(b"event: citation", 1)[0]  # search results and four deltas


def respond(router: respx.Router, *bodies: bytes) -> None:
    router.post(RAG).mock(
        side_effect=[httpx.Response(STATUS, headers=HEADERS, content=b) for b in bodies]
    )


def open_stream(client: R2RClient) -> RAGStream:
    stream = client.retrieval.rag("q", stream=True)
    assert isinstance(stream, RAGStream)
    return stream


async def aopen_stream(client: AsyncR2RClient) -> AsyncRAGStream:
    stream = await client.retrieval.rag("q", stream=True)
    assert isinstance(stream, AsyncRAGStream)
    return stream


# -- an unfinished stream is never taken for a finished one -------------------------------------


def test_final_answer_after_close_is_incomplete() -> None:
    with respx.mock(base_url=BASE) as router, R2RClient(BASE) as client:
        respond(router, BODY)
        stream = open_stream(client)
        assert isinstance(next(stream), SearchResultsEvent)
        assert isinstance(next(stream), MessageEvent)
        stream.close()
        with pytest.raises(IncompleteStreamError, match="closed before") as info:
            stream.final_answer()
    assert info.value.text == "FAKE-LLM "
    assert [e.event for e in info.value.events] == ["search_results"]


def test_final_answer_after_leaving_the_with_block_early_is_incomplete() -> None:
    with respx.mock(base_url=BASE) as router, R2RClient(BASE) as client:
        respond(router, BODY)
        with open_stream(client) as stream:
            for event in stream:
                if isinstance(event, MessageEvent):
                    break
        with pytest.raises(IncompleteStreamError):
            stream.final_answer()
        with pytest.raises(IncompleteStreamError) as info:
            _ = stream.text
    assert info.value.text == "FAKE-LLM "  # what arrived is on the exception


def test_text_is_the_answer_only_once_the_stream_is_complete() -> None:
    with respx.mock(base_url=BASE) as router, R2RClient(BASE) as client:
        respond(router, BODY)
        stream = open_stream(client)
        with pytest.raises(IncompleteStreamError, match="not been read to its end"):
            _ = stream.text
        next(stream)
        next(stream)
        with pytest.raises(IncompleteStreamError) as info:
            _ = stream.text
        assert info.value.text == "FAKE-LLM "
        answer = stream.final_answer()
    assert stream.text == answer.generated_answer
    assert stream.final_answer().generated_answer == answer.generated_answer  # again: the same


@pytest.mark.parametrize("kind", KINDS)
def test_text_of_a_stream_that_ended_without_its_answer(kind: str) -> None:
    def go(c: Any) -> Any:
        async def consume() -> Any:
            stream = await aopen_stream(c)
            with pytest.raises(IncompleteStreamError):
                await stream.final_answer()
            return stream

        if kind == "async":
            return consume()
        stream = open_stream(c)
        with pytest.raises(IncompleteStreamError):
            stream.final_answer()
        return stream

    with respx.mock(base_url=BASE) as router:
        respond(router, HEAD)
        stream = call(kind, go)
    with pytest.raises(IncompleteStreamError) as info:
        _ = stream.text
    assert info.value.text.startswith("FAKE-LLM ")


# -- a stream is read once ------------------------------------------------------------------------


def test_second_iteration_of_a_finished_stream_is_refused() -> None:
    with respx.mock(base_url=BASE) as router, R2RClient(BASE) as client:
        respond(router, BODY)
        stream = open_stream(client)
        assert len(list(stream)) == 14
        with pytest.raises(StreamConsumedError, match="once") as info:
            list(stream)
        assert isinstance(info.value, RuntimeError)
        with pytest.raises(StreamConsumedError):
            list(stream.text_stream())
        assert stream.final_answer().generated_answer  # the answer stays available


def test_iterating_a_closed_stream_is_refused() -> None:
    with respx.mock(base_url=BASE) as router, R2RClient(BASE) as client:
        respond(router, BODY)
        stream = open_stream(client)
        stream.close()
        with pytest.raises(StreamConsumedError, match="closed"):
            next(iter(stream))


def test_a_stream_left_early_can_be_continued() -> None:
    with respx.mock(base_url=BASE) as router, R2RClient(BASE) as client:
        respond(router, BODY)
        stream = open_stream(client)
        for _ in stream:
            break
        assert next(iter(stream)).event == "message"
        assert len(list(stream)) == 12


def test_async_second_iteration_is_refused() -> None:
    async def main(client: AsyncR2RClient) -> None:
        stream = await aopen_stream(client)
        assert len([e async for e in stream]) == 14
        with pytest.raises(StreamConsumedError):
            [e async for e in stream]
        closed = await aopen_stream(client)
        await closed.close()
        with pytest.raises(StreamConsumedError, match="closed"):
            await anext(closed)

    with respx.mock(base_url=BASE) as router:
        respond(router, BODY, BODY)
        call("async", main)


def test_stream_read_after_its_client_was_closed() -> None:
    with FakeR2RServer(stream_pause=0.5) as server:  # the rest arrives after the close
        client = R2RClient(server.base_url)
        stream = open_stream(client)
        next(stream)
        client.close()
        with pytest.raises(ClientClosedError, match="closed"):
            list(stream)


def test_async_stream_read_after_its_client_was_closed() -> None:
    async def main(base_url: str) -> None:
        client = AsyncR2RClient(base_url)
        stream = await aopen_stream(client)
        await anext(stream)
        await client.close()
        with pytest.raises(ClientClosedError, match="closed") as info:
            await stream.final_answer()
        assert not info.value.message.rstrip().endswith(":")  # never an empty explanation

    with FakeR2RServer(stream_pause=0.5) as server:
        asyncio.run(main(server.base_url))


# -- no read-ahead: each event is handed over as soon as its bytes arrive -----------------------


class Gated(httpx.SyncByteStream):
    """The first event; what follows is only produced when the client asks for it."""

    def __init__(self) -> None:
        self.asked_for_more = False

    def __iter__(self) -> Iterator[bytes]:
        head, rest = BODY.split(b"\n\n", 1)
        yield head + b"\n\n"
        self.asked_for_more = True
        yield rest


def test_first_event_without_reading_ahead() -> None:
    source = Gated()
    with respx.mock(base_url=BASE) as router, R2RClient(BASE) as client:
        router.post(RAG).mock(return_value=httpx.Response(200, headers=HEADERS, stream=source))
        stream = open_stream(client)
        assert isinstance(next(stream), SearchResultsEvent)
        assert not source.asked_for_more
        stream.close()


# -- a stream dropped without `with` gives its connection back at once ---------------------------

COUNTERS = re.compile(r"Requests: (\d+) active, \d+ queued \| Connections: (\d+) active")


def checked_out(http: httpx.Client | httpx.AsyncClient) -> tuple[int, int]:
    """(requests in flight, connections in use), as the connection pool counts them."""
    pool = connection_pool(http) if isinstance(http, httpx.Client) else async_connection_pool(http)
    match = COUNTERS.search(repr(pool))
    assert match is not None
    return int(match[1]), int(match[2])


@pytest.fixture
def no_gc() -> Iterator[None]:
    """Only reference counting may release what the test drops: no collection cycle runs."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def break_out(client: R2RClient) -> None:
    for _ in client.retrieval.rag("q", stream=True):
        break


def raise_inside(client: R2RClient) -> None:
    stream = open_stream(client)
    try:
        for _ in stream:
            raise KeyError("the consumer failed")
    except KeyError:
        pass


def never_read(client: R2RClient) -> None:
    open_stream(client)


def read_one_then_return(client: R2RClient) -> None:
    stream = open_stream(client)
    next(stream)


@pytest.mark.loopback
@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("drop", [break_out, raise_inside, never_read, read_one_then_return])
def test_a_dropped_stream_releases_its_connection_at_once(
    drop: Callable[[R2RClient], None],
) -> None:
    with FakeR2RServer() as server, R2RClient(server.base_url) as client:
        drop(client)
        assert checked_out(client._http) == (0, 0)
        assert client.retrieval.rag("q").results.generated_answer


async def abreak_out(client: AsyncR2RClient) -> None:
    async for _ in await aopen_stream(client):
        break


async def araise_inside(client: AsyncR2RClient) -> None:
    stream = await aopen_stream(client)
    try:
        async for _ in stream:
            raise KeyError("the consumer failed")
    except KeyError:
        pass


async def anever_read(client: AsyncR2RClient) -> None:
    await aopen_stream(client)


async def acancelled(client: AsyncR2RClient) -> None:
    started = asyncio.Event()

    async def consume() -> None:
        async for _ in await aopen_stream(client):
            started.set()
            await asyncio.Event().wait()  # the consumer waits for something else

    task = asyncio.create_task(consume())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    del task


@pytest.mark.loopback
@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("drop", [abreak_out, araise_inside, anever_read, acancelled])
def test_a_dropped_async_stream_releases_its_connection(
    drop: Callable[[AsyncR2RClient], Awaitable[None]],
) -> None:
    async def main(base_url: str) -> tuple[int, int]:
        async with AsyncR2RClient(base_url) as client:
            await drop(client)
            for _ in range(5):  # the loop closes dropped async generators on its next turns
                await asyncio.sleep(0)
            counts = checked_out(client._http)
            assert (await client.retrieval.rag("q")).results.generated_answer
            return counts

    with FakeR2RServer() as server:
        assert asyncio.run(main(server.base_url)) == (0, 0)

"""What becomes of a stream's connection: given back at once, however the stream ends.

Promises checked, for RAGStream and AsyncRAGStream alike:
- at `done` the client reads the small rest of the body (the chunked terminator) so that the
  connection can go back to the pool, but never more than 64 KiB of it; and while more streams
  are open on the client than its pool keeps idle connections (20, README "Connection pool and
  streams"), it reads nothing more and closes the connection instead. A pool the user brings
  keeps every connection its own limits allow;
- a stream counts as open from its request until its response is closed, exactly once, however
  it ends (read to its end, left early, closed twice, broken, refused, dropped);
- over real HTTP: a lone stream reuses one connection; past the keep-alive limit finished
  streams close theirs; hundreds of streams run at once without queueing (more than httpx's
  default of 100 connections); a stream dropped mid-way (`break` or an exception in a bare
  loop, never read, a cancelled task) releases its connection without waiting for the garbage
  collector, an async one on its own loop; a thousand streams ended every way leave no
  connection behind.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS
from _stream_helpers import (
    DONE,
    KIB,
    QUESTION,
    Driver,
    Pieces,
    answer,
    block,
    blocks,
    delta,
    serve_rag,
)

from r2r_client import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncR2RClient,
    AsyncRAGStream,
    IncompleteStreamError,
    InternalServerError,
    MessageEvent,
    R2RClient,
    RAGStream,
    StreamDisconnectedError,
    StreamEventError,
)
from r2r_client.testing import FakeR2RServer

KEEP_ALIVE = 20
"""The client's own pool keeps 20 idle connections (README, "Connection pool and streams")."""
TAIL = b": the rest of the body\n"
EVENTS = block("message", delta("A")) + DONE


@pytest.fixture(params=KINDS)
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    with Driver(request.param) as kind:
        yield kind


@pytest.fixture
def router() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE) as mock:
        yield mock


@pytest.fixture
def no_gc() -> Iterator[None]:
    """Only reference counting may release what the test drops: no collection cycle runs."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def turns() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def loop_turns(driver: Driver) -> None:
    """Let an async client's loop run what was scheduled (e.g. closing a dropped generator)."""
    if driver.is_async:
        driver.run(turns())


def response_of(opened: Any, raw: bool) -> httpx.Response:
    response: httpx.Response = opened.http_response if raw else opened.response
    return response


async def _adropped_unread(client: AsyncR2RClient, raw: bool) -> httpx.Response:
    calls: Any = client.with_raw_response if raw else client
    response = response_of(await calls.retrieval.rag(QUESTION, stream=True), raw)
    await turns()  # the loop runs what the drop scheduled
    return response


def dropped_unread_stream(driver: Driver, client: Any, *, raw: bool = False) -> httpx.Response:
    """The response of a stream opened and dropped unread (with `raw`: the raw response of
    one, never parsed), while the async client's loop runs, as in a program."""
    if driver.is_async:
        response: httpx.Response = driver.run(_adropped_unread(client, raw))
        return response
    calls = client.with_raw_response if raw else client
    return response_of(calls.retrieval.rag(QUESTION, stream=True), raw)


# -- what is read after `done` ----------------------------------------------------------------


def test_after_done_the_short_rest_of_the_body_is_read(
    driver: Driver, router: respx.Router
) -> None:
    body = Pieces(EVENTS, TAIL)
    serve_rag(router, answer(body))
    stream = driver.stream(driver.client())
    assert [e.text for e in driver.events(stream)] == ["A"]
    assert body.pulled == [EVENTS, TAIL]  # the whole body: the connection can be reused
    assert body.closed
    assert stream.response.is_closed


def test_after_done_at_most_64_kib_more_is_read(driver: Driver, router: respx.Router) -> None:
    filler = b":" + b"x" * (KIB - 2) + b"\n"  # a comment line of exactly 1 KiB
    body = Pieces(EVENTS, *[filler] * 100)
    serve_rag(router, answer(body))
    stream = driver.stream(driver.client())
    assert [e.text for e in driver.events(stream)] == ["A"]
    # 64 KiB more is not yet past the limit; the 65th KiB is, and reading stops there.
    assert body.pulled_bytes - len(EVENTS) == 65 * KIB
    assert body.closed


def open_streams(
    driver: Driver, router: respx.Router, client: Any, count: int
) -> list[tuple[Any, Pieces]]:
    """`count` streams open at once, each with the body it reads."""
    bodies = [Pieces(EVENTS, TAIL) for _ in range(count)]
    serve_rag(router, *(answer(body) for body in bodies))
    return [(driver.stream(client), body) for body in bodies]


def drained(driver: Driver, stream: Any, body: Pieces) -> bool:
    """Read the stream to its end: did the client read the rest of the body after `done`?"""
    assert driver.final_answer(stream).generated_answer == "A"
    assert body.closed
    return TAIL in body.pulled


def test_after_done_nothing_more_is_read_while_more_streams_are_open_than_the_pool_keeps(
    driver: Driver, router: respx.Router
) -> None:
    client = driver.client()
    streams = open_streams(driver, router, client, KEEP_ALIVE + 2)
    assert [drained(driver, *pair) for pair in streams] == [False, False] + [True] * KEEP_ALIVE


def test_a_pool_the_user_brings_gets_every_connection_back(
    driver: Driver, router: respx.Router
) -> None:
    http = httpx.AsyncClient() if driver.is_async else httpx.Client()
    try:
        client = driver.client(http_client=http)
        streams = open_streams(driver, router, client, KEEP_ALIVE + 2)
        assert all(drained(driver, *pair) for pair in streams)
    finally:
        driver.close_http(http)


# -- a stream counts as open from its request until its response is closed, once -------------


def read_to_its_end(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(EVENTS))
    driver.final_answer(driver.stream(client))


def left_by_its_with_block(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(blocks(("message", delta("A")), ("message", delta("B")))))
    driver.until(driver.stream(client), MessageEvent)


def closed_twice(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(EVENTS))
    stream = driver.stream(client)
    driver.next(stream)
    driver.close(stream)
    driver.close(stream)


def closed_unread(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(EVENTS))
    driver.close(driver.stream(client))


def dropped_unread(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(EVENTS))
    assert dropped_unread_stream(driver, client).is_closed


def dropped_after_a_loop_left_early(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(blocks(("message", delta("A")), ("message", delta("B")))))
    driver.take(driver.stream(client), 1)
    loop_turns(driver)


def ended_by_an_error_event(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(block("error", {"error": {"message": "boom"}})))
    with pytest.raises(StreamEventError):
        driver.events(driver.stream(client))


def broken_mid_stream(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(Pieces(block("message", delta("A")), httpx.ReadError("cut"))))
    with pytest.raises(StreamDisconnectedError):
        driver.events(driver.stream(client))


def ended_without_its_answer(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(block("message", delta("A"))))
    with pytest.raises(IncompleteStreamError):
        driver.final_answer(driver.stream(client))


def not_an_event_stream(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(b"{}", {"content-type": "application/json"}))
    with pytest.raises(APIResponseValidationError):
        driver.events(driver.stream(client))


def refused_with_a_503(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, httpx.Response(503, json={"detail": "busy"}))
    with pytest.raises(InternalServerError):
        driver.stream(client, max_retries=0)


def not_connected(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        driver.stream(client, max_retries=0)


def raw_response_read(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(EVENTS))
    raw = driver.run(client.with_raw_response.retrieval.rag(QUESTION, stream=True))
    driver.final_answer(raw.parse())


def raw_response_dropped_unparsed(driver: Driver, client: Any, router: respx.Router) -> None:
    serve_rag(router, answer(EVENTS))
    assert dropped_unread_stream(driver, client, raw=True).is_closed


Ending = Callable[[Driver, Any, respx.Router], None]


@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize(
    "ending",
    [
        read_to_its_end,
        left_by_its_with_block,
        closed_twice,
        closed_unread,
        dropped_unread,
        dropped_after_a_loop_left_early,
        ended_by_an_error_event,
        broken_mid_stream,
        ended_without_its_answer,
        not_an_event_stream,
        refused_with_a_503,
        not_connected,
        raw_response_read,
        raw_response_dropped_unparsed,
    ],
)
def test_a_stream_stops_counting_as_open_once_however_it_ends(
    driver: Driver, router: respx.Router, ending: Ending
) -> None:
    client = driver.client()
    for _ in range(2):
        ending(driver, client, router)
    # Were the count too high, the stream finishing with 20 open would not read on at `done`;
    # were it too low, the one finishing with 21 open would.
    streams = open_streams(driver, router, client, KEEP_ALIVE + 1)
    assert drained(driver, *streams[0]) is False
    assert drained(driver, *streams[1]) is True
    for stream, _ in streams[2:]:
        driver.close(stream)


# -- over real HTTP ---------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[FakeR2RServer]:
    with FakeR2RServer(keepalive_timeout=30.0) as fake:  # idle connections stay for the test
        yield fake


def started(driver: Driver, client: Any, count: int) -> list[Any]:
    """`count` streams, each with its first event read: all are being read at once."""
    streams = [driver.stream(client) for _ in range(count)]
    for stream in streams:
        driver.next(stream)
    return streams


@pytest.mark.loopback
def test_a_lone_stream_at_a_time_reuses_one_connection(
    driver: Driver, server: FakeR2RServer
) -> None:
    client = driver.client(server.base_url)
    for _ in range(3):
        events = driver.events(driver.stream(client))
        assert events[-1].event == "final_answer"
        assert driver.run(client.retrieval.rag(QUESTION)).results.generated_answer
    assert server.wait_until(open_connections=1)
    assert server.open_connections == 1
    assert len(server.requests) == 6


@pytest.mark.loopback
def test_past_the_keep_alive_limit_finished_streams_close_their_connection(
    driver: Driver, server: FakeR2RServer
) -> None:
    client = driver.client(server.base_url)
    streams = started(driver, client, KEEP_ALIVE + 2)
    assert server.open_connections == KEEP_ALIVE + 2
    for stream in streams:  # the first two finish with 22 and 21 open: they close theirs
        driver.final_answer(stream)
    assert server.wait_until(open_connections=KEEP_ALIVE)
    assert server.open_connections == KEEP_ALIVE
    more = started(driver, client, KEEP_ALIVE)  # the pooled connections serve the next ones
    assert server.open_connections == KEEP_ALIVE
    for stream in more:
        driver.close(stream)


@pytest.mark.loopback
def test_a_pool_the_user_brings_keeps_its_connections(
    driver: Driver, server: FakeR2RServer
) -> None:
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    http = httpx.AsyncClient(limits=limits) if driver.is_async else httpx.Client(limits=limits)
    try:
        client = driver.client(server.base_url, http_client=http)
        for stream in started(driver, client, KEEP_ALIVE + 2):
            driver.final_answer(stream)
        assert server.wait_until(open_connections=KEEP_ALIVE + 2)
        assert server.open_connections == KEEP_ALIVE + 2
    finally:
        driver.close_http(http)


@pytest.mark.loopback
def test_more_streams_than_httpx_default_pool_run_at_once(
    driver: Driver, server: FakeR2RServer
) -> None:
    # httpx's default pool has 100 connections: the 101st stream would wait for one.
    client = driver.client(server.base_url, timeout=5.0)
    streams = started(driver, client, 101)
    assert server.open_connections == 101
    for stream in streams:
        driver.close(stream)
    assert server.wait_until(open_connections=0)


# -- streams dropped mid-way give their connection back at once --------------------------------


def break_out(client: R2RClient) -> None:
    for _ in client.retrieval.rag(QUESTION, stream=True):
        break


def raise_inside(client: R2RClient) -> None:
    try:
        for _ in client.retrieval.rag(QUESTION, stream=True):
            raise KeyError("the consumer failed")
    except KeyError:
        pass


def never_read(client: R2RClient) -> None:
    client.retrieval.rag(QUESTION, stream=True)


def read_one_then_return(client: R2RClient) -> None:
    next(client.retrieval.rag(QUESTION, stream=True))


@pytest.mark.loopback
@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("drop", [break_out, raise_inside, never_read, read_one_then_return])
def test_a_dropped_stream_releases_its_connection_at_once(
    server: FakeR2RServer, drop: Callable[[R2RClient], None]
) -> None:
    with R2RClient(server.base_url) as client:
        drop(client)
        # Not read to its end, the connection cannot be reused: it is closed.
        assert server.wait_until(open_connections=0)
        assert client.retrieval.rag(QUESTION).results.generated_answer


async def abreak_out(client: AsyncR2RClient) -> None:
    async for _ in await client.retrieval.rag(QUESTION, stream=True):
        break


async def araise_inside(client: AsyncR2RClient) -> None:
    try:
        async for _ in await client.retrieval.rag(QUESTION, stream=True):
            raise KeyError("the consumer failed")
    except KeyError:
        pass


async def anever_read(client: AsyncR2RClient) -> None:
    await client.retrieval.rag(QUESTION, stream=True)


async def acancelled(client: AsyncR2RClient) -> None:
    reading = asyncio.Event()

    async def consume() -> None:
        async for _ in await client.retrieval.rag(QUESTION, stream=True):
            reading.set()
            await asyncio.Event().wait()  # the consumer waits for something else

    task = asyncio.create_task(consume())
    await reading.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.loopback
@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("drop", [abreak_out, araise_inside, anever_read, acancelled])
def test_a_dropped_async_stream_releases_its_connection_on_its_loop(
    server: FakeR2RServer, drop: Callable[[AsyncR2RClient], Any]
) -> None:
    with Driver("async") as driver:
        client = driver.client(server.base_url)
        driver.run(drop(client))
        loop_turns(driver)  # the loop closes what was dropped on its next turns
        # Checked while the loop is idle: whatever was to close it has run on the loop.
        assert server.wait_until(open_connections=0)
        assert driver.run(client.retrieval.rag(QUESTION)).results.generated_answer


@pytest.mark.usefixtures("no_gc")
def test_a_dropped_unread_stream_closes_its_response(
    driver: Driver, router: respx.Router, caplog: pytest.LogCaptureFixture
) -> None:
    body = Pieces(EVENTS)
    serve_rag(router, answer(body))
    with caplog.at_level(logging.DEBUG):
        response = dropped_unread_stream(driver, driver.client())
    assert response.is_closed
    assert body.closed
    assert body.pulled == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("cls", [RAGStream, AsyncRAGStream])
def test_a_stream_built_with_missing_arguments_fails_with_that_alone(
    cls: type[RAGStream | AsyncRAGStream],
) -> None:
    # The half-built object is finalized at once: its finalizer must not fail in turn (pytest
    # makes an exception ignored in __del__ an error here).
    with pytest.raises(TypeError, match="response"):
        cls()  # type: ignore[call-arg]


def test_an_async_stream_dropped_once_its_loop_is_gone_is_dropped_quietly(
    router: respx.Router,
) -> None:
    serve_rag(router, answer(EVENTS))

    async def opened() -> Any:
        async with AsyncR2RClient(BASE) as client:
            return await client.retrieval.rag(QUESTION, stream=True)

    stream = asyncio.run(opened())
    del stream  # no loop to close it on: nothing is raised, nothing is reported


@pytest.mark.usefixtures("no_gc")
def test_an_iterator_outlives_its_dropped_stream(driver: Driver, router: respx.Router) -> None:
    body = Pieces(blocks(("message", delta("A")), ("message", delta("B"))))
    serve_rag(router, answer(body))
    client = driver.client()
    iterator: Any  # of a stream dropped at once (inside the loop for an async one)
    if driver.is_async:
        iterator = driver.run(_aiterator_of_dropped(client))
    else:
        iterator = iter(client.retrieval.rag(QUESTION, stream=True))
    assert driver.next(iterator).text == "A"
    assert driver.next(iterator).text == "B"
    with pytest.raises(IncompleteStreamError):
        driver.next(iterator)
    assert body.closed


async def _aiterator_of_dropped(client: AsyncR2RClient) -> Any:
    """The iterator of an async stream dropped at once, while its loop runs."""
    iterator = aiter(await client.retrieval.rag(QUESTION, stream=True))
    await turns()  # a close the dropped stream scheduled would run now
    return iterator


# -- no connection left behind ----------------------------------------------------------------


WAYS = ["read", "break", "close", "dropped", "incomplete", "503"]


@pytest.mark.loopback
def test_streams_ended_every_way_leave_no_connection_behind(
    driver: Driver, server: FakeR2RServer
) -> None:
    client = driver.client(server.base_url, timeout=5.0, max_retries=0)
    outcomes: dict[str, int] = {}
    for i in range(600):
        how = WAYS[i % len(WAYS)]
        outcomes[how] = outcomes.get(how, 0) + 1
        if how == "read":
            driver.final_answer(driver.stream(client))
        elif how == "break":  # `break` inside `with`
            driver.until(driver.stream(client), MessageEvent)
        elif how == "close":  # a few events, then close()
            stream = driver.stream(client)
            driver.next(stream)
            driver.next(stream)
            driver.close(stream)
        elif how == "dropped":  # cut by the server
            server.fail_next("drop_mid_stream", after_events=2)
            with pytest.raises(StreamDisconnectedError):
                driver.final_answer(driver.stream(client))
        elif how == "incomplete":  # ends without an answer
            server.fail_next("silent_end_after_search")
            with pytest.raises(IncompleteStreamError):
                driver.final_answer(driver.stream(client))
        else:  # refused before streaming
            server.fail_next("status_503")
            with pytest.raises(InternalServerError):
                driver.stream(client)
        if i % 100 == 99:
            # One stream at a time: one connection at most, idle in the pool; any other left
            # open by the client would still be open on the server.
            assert server.wait_until(open_connections=1)
    assert outcomes == dict.fromkeys(WAYS, 100)
    driver.run(client.close())
    assert server.wait_until(open_connections=0), "the server still has open sockets"
    assert server.errors == []

"""What becomes of a finished stream's connection, and the pool defaults (over real HTTP).

A stream read to `done` hands its connection back to the pool while few streams are being
read; when more streams than the pool keeps idle connections are being read, it closes its
connection instead. A pool the user brings keeps every connection its own limits allow.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from r2r_client import AsyncR2RClient, InternalServerError, R2RClient, RAGStream
from r2r_client._config import DEFAULT_LIMITS
from r2r_client.testing import FakeR2RServer

pytest_plugins = ["r2r_client.testing.pytest_plugin"]
pytestmark = pytest.mark.loopback

QUESTION = "Who invented the Zorblax protocol?"


def pool_of(client: R2RClient | AsyncR2RClient) -> Any:
    return client._http._transport._pool  # type: ignore[union-attr]


def open_in_pool(client: R2RClient | AsyncR2RClient) -> int:
    return len([c for c in pool_of(client).connections if not c.is_closed()])


def started(client: R2RClient, count: int) -> list[RAGStream]:
    """`count` streams, each with its first event read (so all are being read at once)."""
    streams = []
    for _ in range(count):
        stream = client.retrieval.rag(QUESTION, stream=True)
        assert isinstance(stream, RAGStream)
        next(iter(stream))
        streams.append(stream)
    return streams


@pytest.fixture
def server() -> Iterator[FakeR2RServer]:
    with FakeR2RServer(keepalive_timeout=30.0) as fake:
        yield fake


def test_defaults_let_hundreds_of_streams_run_without_queueing() -> None:
    assert DEFAULT_LIMITS.max_connections is not None
    assert DEFAULT_LIMITS.max_connections >= 1000
    assert DEFAULT_LIMITS.max_keepalive_connections is not None
    assert 0 < DEFAULT_LIMITS.max_keepalive_connections <= 100  # bounded: httpcore's O(N^2)
    with R2RClient("http://127.0.0.1:1") as client:
        pool = pool_of(client)
        assert pool._max_connections == DEFAULT_LIMITS.max_connections
        assert pool._max_keepalive_connections == DEFAULT_LIMITS.max_keepalive_connections
        assert client._stream_slots.keep == DEFAULT_LIMITS.max_keepalive_connections


def test_a_lone_finished_stream_gives_its_connection_back(server: FakeR2RServer) -> None:
    with R2RClient(server.base_url) as client:
        for _ in range(3):
            client.retrieval.rag(QUESTION, stream=True).final_answer()
            assert open_in_pool(client) == 1
        assert server.wait_until(open_connections=1)
        assert server.open_connections == 1  # the three streams shared one connection
        assert client._stream_slots.open == 0


def test_past_the_keep_alive_limit_finished_streams_close_their_connection(
    server: FakeR2RServer,
) -> None:
    with R2RClient(server.base_url) as client:
        slots = client._stream_slots
        slots.keep = 2
        streams = started(client, 4)
        assert slots.open == 4
        assert open_in_pool(client) == 4
        streams[0].final_answer()  # 4 being read > 2: closed
        streams[1].final_answer()  # 3 > 2: closed
        assert open_in_pool(client) == 2  # the two still being read
        streams[2].final_answer()  # 2 <= 2: back to the pool
        streams[3].final_answer()  # 1 <= 2: back to the pool
        assert slots.open == 0
        assert open_in_pool(client) == 2
        assert server.wait_until(open_connections=2)
        assert server.open_connections == 2


def test_a_pool_the_user_brings_keeps_its_connections(server: FakeR2RServer) -> None:
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=10)
    with (
        httpx.Client(limits=limits) as http,
        R2RClient(server.base_url, http_client=http) as client,
    ):
        assert client._stream_slots.keep > 10**9  # never closes a connection itself
        for stream in started(client, 4):
            stream.final_answer()
        assert open_in_pool(client) == 4
        assert server.wait_until(open_connections=4)
        assert server.open_connections == 4


def test_streams_left_early_or_broken_leave_the_count(server: FakeR2RServer) -> None:
    with R2RClient(server.base_url, max_retries=0) as client:
        slots = client._stream_slots
        with client.retrieval.rag(QUESTION, stream=True) as stream:
            for _ in stream:
                break
        assert slots.open == 0
        server.fail_next("status_503")
        with pytest.raises(InternalServerError):
            client.retrieval.rag(QUESTION, stream=True)
        assert slots.open == 0  # no stream came of the request
        server.fail_next("drop_mid_stream", after_events=2)
        with pytest.raises(Exception), client.retrieval.rag(QUESTION, stream=True) as broken:  # noqa: B017, PT011
            broken.final_answer()
        assert slots.open == 0
        never_read = client.retrieval.rag(QUESTION, stream=True)
        assert slots.open == 1  # open from its response's arrival
        never_read.close()
        never_read.close()
        assert slots.open == 0


def test_async_streams_past_the_limit_close_and_the_last_ones_stay(server: FakeR2RServer) -> None:
    async def main() -> tuple[int, int]:
        async with AsyncR2RClient(server.base_url) as client:
            slots = client._stream_slots
            slots.keep = 3

            async def one() -> str:
                stream: Any = await client.retrieval.rag(QUESTION, stream=True)
                return str((await stream.final_answer()).generated_answer)

            answers = await asyncio.gather(*(one() for _ in range(12)))
            assert len(set(answers)) == 1
            return slots.open, open_in_pool(client)

    reading, kept = asyncio.run(main())
    assert reading == 0
    assert kept == 3  # all 12 were open at once: the first 9 to finish closed theirs

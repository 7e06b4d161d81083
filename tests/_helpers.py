"""Shared helpers for the client tests: recorded server responses, clients, call runners."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

import httpcore
import httpx
from fixture_http import Capture

from r2r_api.types import Unset
from r2r_client import AsyncR2RClient, R2RClient
from r2r_client.params import CompletionGenerationConfigParam

T = TypeVar("T")

BASE = "https://api.intelligence.io.solutions/api/r2r"
DOC_ID = "927d1a3f-8a57-5829-aa2e-c577fbc00d81"
SECRET = "sk-TOPSECRET-123"
MODEL: CompletionGenerationConfigParam = {"model": "openai/test-model"}
"""A generation config for completion calls: R2R 3.6.6 has no default completion model."""
KINDS = ["sync", "async"]

# Headers that describe the recorded wire framing, not the body we hand back.
_FRAMING = {"content-length", "transfer-encoding"}


def load_fixture(name: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """A recorded response (`tests/fixtures/<name>`): status, headers, body bytes.

    Framing headers are dropped so the (already de-chunked) body can be served as is.
    """
    capture = Capture(name if name.endswith(".http") else f"{name}.http")
    headers = [(k, v) for k, v in capture.header_items if k.lower() not in _FRAMING]
    return capture.status, headers, capture.body


def fixture_response(name: str, **extra_headers: str) -> httpx.Response:
    """The recorded response as an httpx.Response (for respx `return_value`/side effects)."""
    status, headers, body = load_fixture(name)
    headers = headers + [(k.replace("_", "-"), v) for k, v in extra_headers.items()]
    return httpx.Response(status, headers=headers, content=body)


def fixture_json(name: str) -> Any:
    return json.loads(load_fixture(name)[2])


class Chunked(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered as many small chunks, to the sync or the async client."""

    def __init__(self, body: bytes, size: int) -> None:
        self.body, self.size = body, size

    def _pieces(self) -> Iterator[bytes]:
        for start in range(0, len(self.body), self.size):
            yield self.body[start : start + self.size]

    def __iter__(self) -> Iterator[bytes]:
        return self._pieces()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._pieces():
            yield piece


class Sleeps:
    """The client's retry waits (the `sleeps` fixture), with checks run at each one."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.on_sleep: list[Callable[[], object]] = []

    def record(self, delay: float) -> None:
        for check in self.on_sleep:
            check()
        self.delays.append(delay)


def present(value: T | Unset | None) -> T:
    """A model field the test knows the server sent: asserted neither UNSET nor None, typed."""
    assert value is not None, "the field is None"
    assert not isinstance(value, Unset), "the field is UNSET"
    return value


def call(kind: str, fn: Callable[[Any], Any], *, base_url: str | None = BASE, **kwargs: Any) -> Any:
    """Build a client of `kind`, run `fn(client)` (awaiting it when async), close the client.

    For the async client everything happens inside one event loop.
    """
    if kind == "sync":
        with R2RClient(base_url, **kwargs) as client:
            return fn(client)

    async def main() -> Any:
        async with AsyncR2RClient(base_url, **kwargs) as client:
            result = fn(client)
            if inspect.isawaitable(result):
                result = await result
            return result

    return asyncio.run(main())


def sent_json(route: Any) -> Any:
    """The JSON body of the last request a respx route saw."""
    return json.loads(route.calls.last.request.content)


def connection_pool(http: httpx.Client) -> httpcore.ConnectionPool:
    """The connection pool behind a client's own (default) transport."""
    transport = http._transport
    assert isinstance(transport, httpx.HTTPTransport), transport
    return transport._pool


def async_connection_pool(http: httpx.AsyncClient) -> httpcore.AsyncConnectionPool:
    """The connection pool behind an async client's own (default) transport."""
    transport = http._transport
    assert isinstance(transport, httpx.AsyncHTTPTransport), transport
    return transport._pool

"""Shared helpers for the client tests: recorded server responses, clients, call runners."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx._transports.default as _httpx_default
import pytest
from fixture_http import Capture

from r2r_client import AsyncR2RClient, R2RClient

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://api.intelligence.io.solutions/api/r2r"
HOST = "https://api.intelligence.io.solutions"
DOC_ID = "927d1a3f-8a57-5829-aa2e-c577fbc00d81"
SECRET = "sk-TOPSECRET-123"

# Headers that describe the recorded wire framing, not the body we hand back.
_FRAMING = {"content-length", "transfer-encoding"}


_SSL_CONTEXT: list[Any] = []


def _cached_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
    if verify is not True or cert is not None:
        return httpx.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)
    if not _SSL_CONTEXT:
        _SSL_CONTEXT.append(httpx.create_ssl_context())
    return _SSL_CONTEXT[0]


def share_ssl_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the default TLS context once: each new httpx client otherwise spends ~60 ms
    loading CA certificates, which dominates a suite that creates hundreds of clients.
    No test here opens a TLS connection (respx answers everything)."""
    monkeypatch.setattr(_httpx_default, "create_ssl_context", _cached_ssl_context)


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


def chunked(body: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


class SyncChunks(httpx.SyncByteStream):
    """A response body delivered as many small chunks."""

    def __init__(self, body: bytes, size: int) -> None:
        self.body, self.size = body, size

    def __iter__(self) -> Iterator[bytes]:
        yield from chunked(self.body, self.size)


class AsyncChunks(httpx.AsyncByteStream):
    def __init__(self, body: bytes, size: int) -> None:
        self.body, self.size = body, size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in chunked(self.body, self.size):
            yield piece


class BothChunks(SyncChunks, AsyncChunks):
    """A chunked body that both the sync and the async client can read."""


def make_client(kind: str, base_url: str = BASE, **kwargs: Any) -> R2RClient | AsyncR2RClient:
    cls = R2RClient if kind == "sync" else AsyncR2RClient
    return cls(base_url, **kwargs)


def run(value: Any) -> Any:
    """The result of a sync call, or of an awaitable (run to completion)."""
    if inspect.isawaitable(value):

        async def wait() -> Any:
            return await value

        return asyncio.run(wait())
    return value


def call(kind: str, fn: Callable[[Any], Any], *, base_url: str = BASE, **kwargs: Any) -> Any:
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


async def collect(stream: Any) -> list[Any]:
    return [event async for event in stream]


def consume(kind: str, stream: Any) -> list[Any]:
    """All events of a sync or async stream (the async one must be consumed in a loop)."""
    if kind == "sync":
        return list(stream)
    raise AssertionError("use call() with an async consumer for async streams")


def sent_json(route_or_call: Any) -> Any:
    """The JSON body of the last request a respx route (or call) saw."""
    request = getattr(route_or_call, "request", None)
    if request is None:
        request = route_or_call.calls.last.request
    return json.loads(request.content)


def completion_messages() -> list[dict[str, str]]:
    return [{"role": "user", "content": "Say hello"}]


KINDS = ["sync", "async"]

"""What the streaming tests share: SSE bodies, a body that records what the client read, and a
driver that runs the same test against the sync and the async client.

The driver keeps one event loop for the whole test (asyncio.Runner), so an async client, its
streams and their generators live on one loop across the test's steps, as in a real program;
each step runs to completion before the test looks at the result.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Iterator
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
import respx
from _helpers import BASE, load_fixture

from r2r_client import AsyncR2RClient, AsyncRAGStream, R2RClient, RAGStream

T = TypeVar("T")

RAG = "/v3/retrieval/rag"
QUESTION = "Who invented the Zorblax protocol?"
STATUS, HEADERS, CAPTURE = load_fixture("07-rag-stream")
"""The real R2R 3.6.6 stream (tests/fixtures/07-rag-stream.http): status, headers, body."""
SSE = {"content-type": "text/event-stream"}
KIB = 1024


def delta(text: str) -> dict[str, Any]:
    """The payload of a `message` or `thinking` event carrying `text`, as R2R sends it."""
    return {
        "id": "msg_1",
        "object": "agent.message.delta",
        "delta": {"content": [{"type": "text", "payload": {"type": "text", "value": text}}]},
    }


def block(name: str, data: Any) -> bytes:
    """One SSE event: `data` is sent as given when a str, as JSON otherwise."""
    text = data if isinstance(data, str) else json.dumps(data)
    return f"event: {name}\ndata: {text}\n\n".encode()


def blocks(*events: tuple[str, Any]) -> bytes:
    return b"".join(block(name, data) for name, data in events)


DONE = block("done", "[DONE]")


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body served piece by piece to the sync or the async client.

    An Exception among the pieces is raised when the client asks for it (a broken connection,
    a stall). Records what the client pulled, byte for byte, and whether it closed the body:
    what a server would see of the client's reads.
    """

    def __init__(self, *pieces: bytes | Exception) -> None:
        self.pieces = pieces
        self.pulled: list[bytes] = []
        self.closed = False

    @property
    def pulled_bytes(self) -> int:
        return sum(len(piece) for piece in self.pulled)

    def _serve(self) -> Iterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, Exception):
                raise piece
            self.pulled.append(piece)
            yield piece

    def __iter__(self) -> Iterator[bytes]:
        return self._serve()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._serve():
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def answer(body: bytes | Pieces, headers: Any = None, status: int = 200) -> httpx.Response:
    """A response to a rag call: an event stream unless `headers` says otherwise."""
    headers = SSE if headers is None else headers
    if isinstance(body, Pieces):
        return httpx.Response(status, headers=headers, stream=body)
    return httpx.Response(status, headers=headers, content=body)


def serve_rag(router: respx.Router, *responses: httpx.Response | Exception) -> respx.Route:
    """Answer the next rag calls with `responses`, in order."""
    return router.post(RAG).mock(side_effect=list(responses))


async def _collect(stream: AsyncIterator[T]) -> list[T]:
    return [item async for item in stream]


async def _anext(stream: Any) -> Any:
    return await anext(stream)


class Driver:
    """Runs a test's steps with the sync or the async client (`kind`), the same way.

    `stream()` opens a streamed rag call; `events()`, `next()`, `text_stream()`,
    `final_answer()` and `close()` read it as a user would (`for`/`async for`, `next`/`anext`,
    `with`/`async with`). Clients it made are closed at the end of the `with` block.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.is_async = kind == "async"
        self._runner = asyncio.Runner() if self.is_async else None
        self._clients: list[R2RClient | AsyncR2RClient] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            for client in self._clients:
                self.run(client.close())
        finally:
            if self._runner is not None:
                self._runner.close()

    def run(self, step: Any) -> Any:
        """The step's result: awaited on the test's loop when it is awaitable (a call of the
        async client), as it is otherwise (a call of the sync one)."""
        if self._runner is not None and isinstance(step, Awaitable):
            return self._runner.run(_awaited(step))
        assert not isinstance(step, Awaitable), "an awaitable from the sync client"
        return step

    def close_http(self, http: httpx.Client | httpx.AsyncClient) -> None:
        """Close an httpx client the test made (an async one on the test's loop)."""
        if isinstance(http, httpx.AsyncClient):
            self.run(http.aclose())
        else:
            http.close()

    def client(self, base_url: str = BASE, **options: Any) -> Any:
        """A client of this kind (closed when the driver is)."""
        cls = AsyncR2RClient if self.is_async else R2RClient
        client = cls(base_url, **options)
        self._clients.append(client)
        return client

    def stream(self, client: Any, query: str = QUESTION, **kwargs: Any) -> Any:
        """A streamed rag answer (RAGStream or AsyncRAGStream, checked)."""
        stream = self.run(client.retrieval.rag(query, stream=True, **kwargs))
        assert isinstance(stream, AsyncRAGStream if self.is_async else RAGStream), stream
        return stream

    def events(self, stream: Any) -> list[Any]:
        """Every event, with `for` / `async for` (raising what reading raises)."""
        if self.is_async:
            result: list[Any] = self.run(_collect(stream))
            return result
        return list(stream)

    def next(self, stream: Any) -> Any:
        """One event, with `next()` / `anext()` on the stream itself."""
        if self.is_async:
            return self.run(_anext(stream))
        return next(stream)

    def text_stream(self, stream: Any) -> list[str]:
        if self.is_async:
            result: list[str] = self.run(_collect(stream.text_stream()))
            return result
        return list(stream.text_stream())

    def final_answer(self, stream: Any) -> Any:
        return self.run(stream.final_answer())

    def close(self, stream: Any) -> None:
        self.run(stream.close())

    def take(self, stream: Any, count: int) -> list[Any]:
        """`count` events with `for` / `async for`, then `break` (no `with`: the stream stays
        open)."""
        if self.is_async:
            result: list[Any] = self.run(_take_async(stream, count))
            return result
        taken: list[Any] = []
        for event in stream:
            taken.append(event)
            if len(taken) == count:
                break
        return taken

    def until(self, stream: Any, stop: type[Any]) -> list[Any]:
        """Read inside `with`/`async with` until an event of type `stop`, then break out."""
        if self.is_async:
            result: list[Any] = self.run(_until_async(stream, stop))
            return result
        seen = []
        with stream:
            for event in stream:
                seen.append(event)
                if isinstance(event, stop):
                    break
        return seen


async def _awaited(step: Awaitable[T]) -> T:
    return await step


async def _take_async(stream: Any, count: int) -> list[Any]:
    taken: list[Any] = []
    async for event in stream:
        taken.append(event)
        if len(taken) == count:
            break
    return taken


async def _until_async(stream: Any, stop: type[Any]) -> list[Any]:
    seen = []
    async with stream:
        async for event in stream:
            seen.append(event)
            if isinstance(event, stop):
                break
    return seen


def cut(body: bytes, size: int | None) -> Pieces:
    """`body` served in pieces of `size` bytes (None: in one piece)."""
    if size is None:
        return Pieces(body)
    return Pieces(*(body[i : i + size] for i in range(0, len(body), size)))


def capture_pieces(size: int | None) -> bytes | Pieces:
    """The captured stream whole (None) or cut into pieces of `size` bytes."""
    return CAPTURE if size is None else cut(CAPTURE, size)

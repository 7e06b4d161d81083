"""Many streams at once, run by one client in a fresh process; prints its result as JSON.

`python benchmarks/_concurrent.py CLIENT MODE BASE_URL --count N [--deltas D]`, where CLIENT is

- `floor`: raw httpx by hand, a pool of N connections, each stream closed at its `done` event;
- `httpx2`: the same code on pydantic's fork `httpx2` (run with the interpreter of the venv
  it is installed in, benchmarks/.venv-httpx2);
- `ours`: r2r_client with its defaults,

and MODE is `async` (N streamed RAG answers at once on one async client) or `threads` (64
threads sharing one sync client, N streams in all). Each stream's deltas are counted and its
final answer checked. Only the standard library is imported at the top, so the file runs in
any of the environments.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

QUERY = "Who invented the Zorblax protocol?"
API_KEY = "bench-key"
THREADS = 64
CLIENTS = ("floor", "httpx2", "ours")
MODES = ("async", "threads")
BODY = {"query": QUERY, "rag_generation_config": {"stream": True}}


class _Events:
    """SSE parsed line by line with json.loads per event, as a careful hand-written client."""

    def __init__(self) -> None:
        self.event = "message"
        self.data: list[str] = []
        self.deltas = 0
        self.final = False

    def line(self, line: str) -> bool:
        """Feed one line; True once `done` arrived."""
        if not line:
            if self.data:
                if self.event == "done":
                    return True
                payload = json.loads("\n".join(self.data))
                if self.event == "message":
                    payload["delta"]["content"][0]["payload"]["value"]
                    self.deltas += 1
                elif self.event == "final_answer":
                    self.final = bool(payload["generated_answer"])
            self.event, self.data = "message", []
        elif line.startswith("data:"):
            self.data.append(line[6:] if line.startswith("data: ") else line[5:])
        elif line.startswith("event:"):
            self.event = line[6:].strip()
        return False

    def result(self) -> int:
        if not self.final:
            raise RuntimeError("a stream ended without its final answer")
        return self.deltas


# -- raw httpx (or httpx2): the floor ------------------------------------------------------


def _raw_async(module: str, base_url: str, count: int) -> Runner:
    httpx: Any = importlib.import_module(module)
    url = f"{base_url}/v3/retrieval/rag"
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    http = httpx.AsyncClient(
        headers={"Authorization": f"Bearer {API_KEY}"}, timeout=120.0, limits=limits
    )

    async def one() -> int:
        events = _Events()
        async with http.stream("POST", url, json=BODY) as response:
            response.raise_for_status()
            async for line in response.aiter_lines():
                if events.line(line):
                    break  # leaving the block closes the response, and its connection
        return events.result()

    return _async_runner(one, http.aclose)


def _raw_threads(module: str, base_url: str, count: int) -> Runner:
    httpx: Any = importlib.import_module(module)
    url = f"{base_url}/v3/retrieval/rag"
    limits = httpx.Limits(max_connections=THREADS, max_keepalive_connections=THREADS)
    http = httpx.Client(
        headers={"Authorization": f"Bearer {API_KEY}"}, timeout=120.0, limits=limits
    )

    def one() -> int:
        events = _Events()
        with http.stream("POST", url, json=BODY) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if events.line(line):
                    break
        return events.result()

    return _thread_runner(one, http.close)


# -- this client -------------------------------------------------------------------------------


def _ours_async(base_url: str) -> Runner:
    from r2r_client import AsyncR2RClient, MessageEvent

    client = AsyncR2RClient(base_url, api_key=API_KEY)

    async def one() -> int:
        deltas = 0
        stream: Any = await client.retrieval.rag(QUERY, stream=True)
        async with stream:
            async for event in stream:
                if isinstance(event, MessageEvent):
                    event.text  # noqa: B018
                    deltas += 1
        if not stream._state.final:
            raise RuntimeError("a stream ended without its final answer")
        return deltas

    return _async_runner(one, client.close)


def _ours_threads(base_url: str) -> Runner:
    from r2r_client import MessageEvent, R2RClient

    client = R2RClient(base_url, api_key=API_KEY)

    def one() -> int:
        deltas = 0
        stream: Any = client.retrieval.rag(QUERY, stream=True)
        with stream:
            for event in stream:
                if isinstance(event, MessageEvent):
                    event.text  # noqa: B018
                    deltas += 1
        if not stream._state.final:
            raise RuntimeError("a stream ended without its final answer")
        return deltas

    return _thread_runner(one, client.close)


# -- running -------------------------------------------------------------------------------

Measured = tuple[list[int], float, float]  # deltas per stream, wall seconds, CPU seconds
Runner = Callable[[int], Measured]


def _async_runner(one: Callable[[], Any], close: Callable[[], Any]) -> Runner:
    """Warm up with one stream, then time `count` streams started at once."""

    def run(count: int) -> Measured:
        async def main() -> Measured:
            try:
                await one()  # imports, models, one connection
                wall, cpu = time.perf_counter(), time.process_time()
                results = list(await asyncio.gather(*(one() for _ in range(count))))
                return results, time.perf_counter() - wall, time.process_time() - cpu
            finally:
                await close()

        return asyncio.run(main())

    return run


def _thread_runner(one: Callable[[], int], close: Callable[[], Any]) -> Runner:
    """Warm up with one stream, then time THREADS threads sharing `count` streams."""

    def run(count: int) -> Measured:
        results: list[int] = []
        errors: list[BaseException] = []
        barrier = threading.Barrier(THREADS + 1)

        def work(n: int) -> None:
            barrier.wait()
            try:
                for _ in range(n):
                    results.append(one())
            except BaseException as exc:
                errors.append(exc)

        shares = [count // THREADS + (i < count % THREADS) for i in range(THREADS)]
        threads = [threading.Thread(target=work, args=(n,)) for n in shares]
        try:
            one()
            for thread in threads:
                thread.start()
            wall, cpu = time.perf_counter(), time.process_time()
            barrier.wait()
            for thread in threads:
                thread.join()
            measured = results, time.perf_counter() - wall, time.process_time() - cpu
        finally:
            close()
        if errors:
            raise errors[0]
        return measured

    return run


def main(argv: list[str] | None = None) -> int:
    """Run one concurrent workload and print the result as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("client", choices=CLIENTS)
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("base_url")
    parser.add_argument("--count", type=int, required=True, help="streams in all")
    parser.add_argument("--deltas", type=int, required=True, help="message deltas per stream")
    args = parser.parse_args(argv)
    module = "httpx2" if args.client == "httpx2" else "httpx"
    if args.client == "ours":
        run = (_ours_async if args.mode == "async" else _ours_threads)(args.base_url)
    else:
        run = (_raw_async if args.mode == "async" else _raw_threads)(
            module, args.base_url, args.count
        )
    results, wall, cpu = run(args.count)
    if len(results) != args.count or any(n != args.deltas for n in results):
        print(f"expected {args.count} streams of {args.deltas} deltas", file=sys.stderr)
        return 1
    print(json.dumps({"wall": wall, "cpu": cpu}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

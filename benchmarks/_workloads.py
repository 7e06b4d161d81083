"""One benchmark workload, run by one client in a fresh process; prints its result as JSON.

`python benchmarks/_workloads.py CLIENT WORKLOAD BASE_URL --count N`, where CLIENT is

- `floor`: httpx.Client by hand, SSE parsed line by line and json.loads per event;
- `ours`: r2r_client.R2RClient;
- `official`: the official SDK (`r2r`), run with the interpreter of the venv it is in.

and WORKLOAD is `calls` (N completion calls on one client), `stream` (one streamed RAG
answer of N message deltas, each delta's text touched), `ttfe` (time to the first event of a
stream) or `memory` (the `stream` workload under tracemalloc). Only the standard library is
imported at the top, so the file runs in any of the three environments.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Generator
from typing import Any

QUERY = "Who invented the Zorblax protocol?"
MESSAGES: Any = [{"role": "user", "content": "Say hello"}]  # each client types it its own way
GENERATION_CONFIG: Any = {"model": "fake-bench-model"}
API_KEY = "bench-key"
CLIENTS = ("floor", "ours", "official")
WORKLOADS = ("calls", "stream", "ttfe", "memory")


class FloorDriver:
    """The floor: what a careful hand-written httpx client does, and nothing more."""

    def __init__(self, base_url: str) -> None:
        import httpx

        self._http = httpx.Client(headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60.0)
        self._completion_url = f"{base_url}/v3/retrieval/completion"
        self._rag_url = f"{base_url}/v3/retrieval/rag"

    def complete(self) -> str:
        body = {"messages": MESSAGES, "generation_config": GENERATION_CONFIG}
        response = self._http.post(self._completion_url, json=body)
        response.raise_for_status()
        content: str = response.json()["results"]["choices"][0]["message"]["content"]
        return content

    def rag(self) -> str:
        response = self._http.post(self._rag_url, json={"query": QUERY})
        response.raise_for_status()
        answer: str = response.json()["results"]["generated_answer"]
        return answer

    def _events(self) -> Generator[tuple[str, Any], None, None]:
        body = {"query": QUERY, "rag_generation_config": {"stream": True}}
        with self._http.stream("POST", self._rag_url, json=body) as response:
            response.raise_for_status()
            event = "message"
            data: list[str] = []
            for line in response.iter_lines():
                if not line:
                    if data:
                        if event == "done":
                            return
                        yield event, json.loads("\n".join(data))
                    event, data = "message", []
                elif line.startswith("data:"):
                    data.append(line[6:] if line.startswith("data: ") else line[5:])
                elif line.startswith("event:"):
                    event = line[6:].strip()

    def stream(self) -> int:
        deltas = 0
        for event, payload in self._events():
            if event == "message":
                payload["delta"]["content"][0]["payload"]["value"]
                deltas += 1
        return deltas

    def first_event(self) -> str:
        events = self._events()
        event, _ = next(events)
        events.close()
        return event

    def close(self) -> None:
        self._http.close()


class OursDriver:
    """This project's client, used the documented way."""

    def __init__(self, base_url: str) -> None:
        from r2r_client import MessageEvent, R2RClient

        self._message_event = MessageEvent
        self.last_stream: Any = None
        self._client = R2RClient(base_url, api_key=API_KEY)

    def complete(self) -> str:
        resp = self._client.retrieval.completion(
            messages=MESSAGES, generation_config=GENERATION_CONFIG
        )
        content: Any = resp.results.choices[0].message.content
        return str(content)

    def rag(self) -> str:
        resp: Any = self._client.retrieval.rag(QUERY)
        answer: str = resp.results.generated_answer
        return answer

    def stream(self) -> int:
        deltas = 0
        message_event = self._message_event
        stream: Any = self._client.retrieval.rag(QUERY, stream=True)
        self.last_stream = stream  # kept so a memory profile sees what the stream retains
        with stream:
            for event in stream:
                if isinstance(event, message_event):
                    event.text  # noqa: B018
                    deltas += 1
        return deltas

    def first_event(self) -> str:
        stream: Any = self._client.retrieval.rag(QUERY, stream=True)
        event = next(iter(stream))
        stream.close()
        return str(event.event)

    def close(self) -> None:
        self._client.close()


class OfficialDriver:
    """The official SDK, r2r==3.6.6, used the documented way."""

    def __init__(self, base_url: str) -> None:
        from r2r import R2RClient  # type: ignore[import-not-found, unused-ignore]

        self._client = R2RClient(base_url)
        self._client.set_api_key(API_KEY)

    def complete(self) -> str:
        resp = self._client.retrieval.completion(
            messages=MESSAGES, generation_config=GENERATION_CONFIG
        )
        content: str = resp.results.choices[0].message.content
        return content

    def rag(self) -> str:
        # search_settings and rag_generation_config must be objects: the SDK sends None as
        # null, which the server's schema (and the fake server) refuse with a 422.
        resp: Any = self._client.retrieval.rag(
            QUERY, rag_generation_config={"stream": False}, search_settings={}
        )
        answer: str = resp.results.generated_answer
        return answer

    def _stream(self) -> Any:
        return self._client.retrieval.rag(
            QUERY, rag_generation_config={"stream": True}, search_settings={}
        )

    def stream(self) -> int:
        deltas = 0
        events = self._stream()
        for event in events:
            if event is not None and event.event == "message":
                event.data.delta.content[0].payload.value  # noqa: B018
                deltas += 1
        return deltas

    def first_event(self) -> str:
        events = self._stream()
        event = next(events)
        events.close()
        return str(event.event)

    def close(self) -> None:
        self._client.client.close()


Driver = FloorDriver | OursDriver | OfficialDriver
DRIVERS: dict[str, Callable[[str], Driver]] = {
    "floor": FloorDriver,
    "ours": OursDriver,
    "official": OfficialDriver,
}


def run_workload(driver: Driver, workload: str, count: int) -> dict[str, float]:
    """Warm up (imports, connection), then measure one workload; wall and CPU seconds."""
    if workload == "calls":
        driver.complete()
    else:
        driver.rag()  # loads the RAG models and opens the keep-alive connection
    result: dict[str, float] = {}
    if workload == "memory":
        tracemalloc.start()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if workload == "calls":
        for _ in range(count):
            driver.complete()
    elif workload in ("stream", "memory"):
        result["deltas"] = driver.stream()
    elif workload == "ttfe":
        result["first"] = float(driver.first_event() == "search_results")
    else:
        raise ValueError(f"unknown workload {workload!r}")
    result["wall"] = time.perf_counter() - wall0
    result["cpu"] = time.process_time() - cpu0
    if workload == "memory":
        result["peak_bytes"] = float(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    result["maxrss_kib"] = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return result


def _memory_profile(driver: Driver, count: int) -> int:
    """Print the 15 source lines holding the most memory right after a stream is read."""
    driver.rag()
    tracemalloc.start(5)
    driver.stream()
    snapshot = tracemalloc.take_snapshot()
    traced, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{count} deltas: peak {peak / 2**20:.1f} MiB, still held {traced / 2**20:.1f} MiB")
    for stat in snapshot.statistics("lineno")[:15]:
        print(f"  {stat}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one workload for one client and print the result as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("client", choices=CLIENTS)
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("base_url")
    parser.add_argument("--count", type=int, default=1, help="calls, or deltas expected")
    parser.add_argument("--profile", action="store_true", help="cProfile it; stats on stderr")
    args = parser.parse_args(argv)
    driver = DRIVERS[args.client](args.base_url)
    try:
        if args.profile:
            import cProfile
            import pstats

            if args.workload == "memory":
                return _memory_profile(driver, args.count)
            profiler = cProfile.Profile()
            result = profiler.runcall(run_workload, driver, args.workload, args.count)
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.strip_dirs().sort_stats("tottime").print_stats(25)
        else:
            result = run_workload(driver, args.workload, args.count)
    finally:
        driver.close()
    if args.workload in ("stream", "memory") and result["deltas"] != args.count:
        print(f"expected {args.count} deltas, got {result['deltas']:.0f}", file=sys.stderr)
        return 1
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

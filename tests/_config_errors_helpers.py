"""Helpers of the configuration, credentials, errors and logging tests (no other module's).

- `ScriptedServer`: an httpx MockTransport handler that answers by host and path from a
  script and records every request, for tests that give the client an `http_client`
  (redirects, a transport that fails, an http_client's own headers).
- `send_with`: run a call of either client through such a server.
- `failure`: the error a call raises, nothing else about it.
- `rendered`: an error as Sentry or `pytest --showlocals` show it, frame locals included.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from _helpers import call, fixture_response

from r2r_client import R2RError

TESTS = str(Path(__file__).parent)
Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class ScriptedServer:
    """Answers each request with the next answer scripted for its host and path.

    `routes` maps "host/path" (e.g. "api.example/v3/x") to a list of answers: a response, an
    exception to raise (a transport failure), or a function of the request. The last answer
    of a list repeats. Without a route, a request gets a recorded answer: rag's when "rag" is
    in its path, replace_metadata's when "metadata" is, else completion's.
    """

    def __init__(self, routes: dict[str, Sequence[Answer]] | None = None) -> None:
        self.routes = {key: list(answers) for key, answers in (routes or {}).items()}
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        assert len(self.seen) <= 20, "a request loop: the client should have stopped"
        answers = self.routes.get(f"{request.url.host}{request.url.path}")
        if answers is None:
            return fixture_response(_recorded_answer(request.url.path))
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            # a fresh copy: a response object can be read only once
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        return answer(request)


def _recorded_answer(path: str) -> str:
    if "metadata" in path:
        return "02-put-metadata"
    return "06-rag" if "rag" in path else "04-completion"


def http_client(kind: str, server: ScriptedServer, **kwargs: Any) -> Any:
    """An httpx.Client (sync) or httpx.AsyncClient (async) sending to `server`."""
    transport = httpx.MockTransport(server)
    if kind == "sync":
        return httpx.Client(transport=transport, **kwargs)
    return httpx.AsyncClient(transport=transport, **kwargs)


def send_with(
    kind: str,
    server: ScriptedServer,
    fn: Callable[[Any], Any],
    *,
    http_options: dict[str, Any] | None = None,
    base_url: str | None = "https://api.example/api/r2r",
    **client_kwargs: Any,
) -> Any:
    """Run `fn(client)` on a client of `kind` whose http_client sends to `server`."""
    http = http_client(kind, server, **(http_options or {}))
    return call(kind, fn, base_url=base_url, http_client=http, **client_kwargs)


def failure(kind: str, fn: Callable[[Any], Any], **client_kwargs: Any) -> R2RError:
    """The R2RError that `fn(client)` raises on a client of `kind` (respx or a server given)."""
    with pytest.raises(R2RError) as info:
        call(kind, fn, **client_kwargs)
    return info.value


def _harness(filename: str) -> bool:
    """A frame of mutation testing's trampolines (`nox -s mutate`), which stand between a
    caller and our functions and hold the caller's arguments; not ours, not the user's."""
    return f"{os.sep}mutmut{os.sep}" in filename


def rendered(error: BaseException) -> str:
    """The error as Sentry, `pytest --showlocals` or rich show it: chain and frame locals.

    The tests' own frames are left out: their parameters hold credentials on purpose.
    """
    report = traceback.TracebackException.from_exception(error, capture_locals=True)
    todo, seen = [report], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.stack[:] = [
            frame
            for frame in current.stack
            if not frame.filename.startswith(TESTS) and not _harness(frame.filename)
        ]
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return "".join(report.format())

"""What the request-building and request-check modules share: a stand-in server that records
every request and answers with the real captures, the four flavours of a call, and the
operations as the OpenAPI document lists them (so that a field the document gains is covered
without a test edit)."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import httpx
import respx
from _helpers import BASE, fixture_response, load_fixture

from r2r_client import APIResponse, AsyncR2RClient, AsyncRAGStream, R2RClient, RAGStream

FLAVOURS = ["sync", "sync-raw", "async", "async-raw"]
"""Every way to call an operation: `client.x.y(...)`, `client.with_raw_response.x.y(...)`, and
the same two on the async client."""

OPTIONS = frozenset(
    {"extra_body", "extra_headers", "timeout", "max_retries", "rate_limit_wait", "validation"}
)
"""The per-call options every generated method may take beside the document's fields."""


class Server:
    """The requests a respx-mocked server saw; each is answered with the real capture of its
    endpoint (a rag request asking for a stream gets the captured stream)."""

    def __init__(self, router: respx.Router) -> None:
        self.requests: list[httpx.Request] = []
        router.route().mock(side_effect=self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path.endswith("/v3/retrieval/completion"):
            return fixture_response("04-completion")
        if path.endswith("/v3/retrieval/rag"):
            config = json.loads(request.content).get("rag_generation_config")
            if isinstance(config, dict) and config.get("stream") is True:
                status, headers, body = load_fixture("07-rag-stream")
                return httpx.Response(status, headers=headers, content=body)
            return fixture_response("06-rag")
        return fixture_response("02-put-metadata")

    @property
    def last(self) -> httpx.Request:
        """The one request sent (a test that sends more reads `requests`)."""
        assert len(self.requests) == 1, f"{len(self.requests)} requests were sent"
        return self.requests[0]

    def body(self) -> Any:
        """The JSON body of the one request sent."""
        return json.loads(self.last.content)


@contextmanager
def recording_server() -> Iterator[Server]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield Server(router)


def call_in(flavour: str, fn: Callable[[Any], Any], **client_kwargs: Any) -> Any:
    """`fn(client)` on a fresh client of `flavour` (its `with_raw_response` for the raw ones).

    What users get back, in one form for every flavour: a raw flavour's APIResponse is checked
    and parsed; a stream is read to its final answer (inside the event loop, for async).
    """
    raw = flavour.endswith("-raw")

    def unwrap(result: Any) -> Any:
        assert isinstance(result, APIResponse) is raw, type(result)
        if raw:
            assert result.status_code == 200
            result = result.parse()
        return result

    if flavour.startswith("sync"):
        with R2RClient(BASE, **client_kwargs) as client:
            result = unwrap(fn(client.with_raw_response if raw else client))
            if isinstance(result, RAGStream):
                return result.final_answer()
            return result

    async def main() -> Any:
        async with AsyncR2RClient(BASE, **client_kwargs) as client:
            result = fn(client.with_raw_response if raw else client)
            assert inspect.isawaitable(result), "an async method returns an awaitable"
            result = unwrap(await result)
            if isinstance(result, AsyncRAGStream):
                return await result.final_answer()
            return result

    return asyncio.run(main())


# -- the operations, as the document says them ------------------------------------------------


@dataclass(frozen=True)
class DocumentOperation:
    """One operation of the document and how the client exposes it (its `x-python`)."""

    operation_id: str
    method: str
    path: str
    resource: str
    name: str
    positional: tuple[str, ...]
    path_params: tuple[str, ...]
    body_fields: tuple[str, ...]  # an object body's fields, in the document's order
    array_body: str | None  # the argument carrying an array body
    stream: str | None  # `x-python.stream`, e.g. "rag_generation_config.stream"
    example: Any  # the request body's example

    def __str__(self) -> str:
        return self.operation_id


@cache
def shipped_document() -> dict[str, Any]:
    """The document as shipped in the generated package (what the client checks against)."""
    text = resources.files("r2r_api").joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = document
        for token in schema["$ref"][2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        schema = target
    return schema


def document_operations(document: dict[str, Any]) -> list[DocumentOperation]:
    """Every operation the client exposes (those with `x-python`), from the document."""
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "x-python" not in operation:
                continue
            python = operation["x-python"]
            content = operation["requestBody"]["content"]["application/json"]
            schema = _resolve(document, content["schema"])
            array = schema.get("type") == "array"
            found.append(
                DocumentOperation(
                    operation_id=operation["operationId"],
                    method=method.upper(),
                    path=path,
                    resource=python["resource"],
                    name=python["method"],
                    positional=tuple(python.get("positional", ())),
                    path_params=tuple(
                        p["name"] for p in operation.get("parameters", ()) if p["in"] == "path"
                    ),
                    body_fields=() if array else tuple(schema["properties"]),
                    array_body=python["body"] if array else None,
                    stream=python.get("stream"),
                    example=content["example"],
                )
            )
    return found


def method_of(target: Any, operation: DocumentOperation) -> Any:
    """The bound method of `operation` on a client (or its `with_raw_response`)."""
    return getattr(getattr(target, operation.resource), operation.name)

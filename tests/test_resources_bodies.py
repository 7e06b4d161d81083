"""Every flavour of every call (sync, async, each also raw) passes every argument on exactly.

One call per flavour with every argument set, against respx: the JSON body, the per-call header
and the per-call timeout that reach the wire must be the same in all four flavours.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, DOC_ID, fixture_response, load_fixture

from r2r_api.models.wrapped_completion_response import WrappedCompletionResponse
from r2r_api.models.wrapped_document_response import WrappedDocumentResponse
from r2r_api.models.wrapped_rag_response import WrappedRAGResponse
from r2r_client import APIResponse, AsyncR2RClient, AsyncRAGStream, R2RClient, RAGStream

FLAVOURS = [("sync", False), ("sync", True), ("async", False), ("async", True)]
MESSAGES = [{"role": "user", "content": "Say hello"}]
HEADERS = {"x-call-header": "per-call"}
TIMEOUT = {"connect": 5.0, "read": 7.5, "write": 7.5, "pool": 7.5}


def run(kind: str, raw: bool, fn: Any) -> Any:
    """`fn(client_or_raw_client)` on a fresh client of `kind`; the result, awaited if async."""
    if kind == "sync":
        with R2RClient(BASE) as client:
            return fn(client.with_raw_response if raw else client)

    async def main() -> Any:
        async with AsyncR2RClient(BASE) as client:
            result = fn(client.with_raw_response if raw else client)
            if inspect.isawaitable(result):
                result = await result
            if isinstance(result, APIResponse):
                result.parse()
            return result

    return asyncio.run(main())


def unwrap(result: Any, raw: bool) -> Any:
    if raw:
        assert isinstance(result, APIResponse)
        assert result.status_code == 200
        return result.parse()
    return result


def sent(route: respx.Route) -> httpx.Request:
    assert route.call_count == 1
    request: httpx.Request = route.calls.last.request
    assert request.headers["x-call-header"] == "per-call"
    assert request.extensions["timeout"] == TIMEOUT
    return request


@pytest.mark.parametrize(("kind", "raw"), FLAVOURS)
def test_completion_passes_everything_on(kind: str, raw: bool) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/completion").mock(
            return_value=fixture_response("04-completion")
        )
        result = run(
            kind,
            raw,
            lambda c: c.retrieval.completion(
                MESSAGES,
                {"model": "openai/gpt-4o-mini", "temperature": 0.25},
                extra_body={"x_custom": [1]},
                extra_headers=HEADERS,
                timeout=7.5,
            ),
        )
    assert isinstance(unwrap(result, raw), WrappedCompletionResponse)
    assert json.loads(sent(route).content) == {
        "messages": MESSAGES,
        "generation_config": {"model": "openai/gpt-4o-mini", "temperature": 0.25},
        "x_custom": [1],
    }


RAG_ARGS: dict[str, Any] = {
    "rag_generation_config": {"model": "openai/gpt-4o-mini", "temperature": 0.25},
    "search_mode": "basic",
    "search_settings": {"limit": 3},
    "task_prompt": "Answer {query} from {context}",
    "include_title_if_available": True,
    "include_web_search": False,
    "extra_body": {"x_custom": "v"},
    "extra_headers": HEADERS,
    "timeout": 7.5,
}
RAG_BODY: dict[str, Any] = {
    "query": "What is Zorblax?",
    "rag_generation_config": {"model": "openai/gpt-4o-mini", "temperature": 0.25},
    "search_mode": "basic",
    "search_settings": {"limit": 3},
    "task_prompt": "Answer {query} from {context}",
    "include_title_if_available": True,
    "include_web_search": False,
    "x_custom": "v",
}


@pytest.mark.parametrize(("kind", "raw"), FLAVOURS)
def test_rag_passes_everything_on(kind: str, raw: bool) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(return_value=fixture_response("06-rag"))
        result = run(kind, raw, lambda c: c.retrieval.rag("What is Zorblax?", **RAG_ARGS))
    assert isinstance(unwrap(result, raw), WrappedRAGResponse)
    assert json.loads(sent(route).content) == RAG_BODY


@pytest.mark.parametrize(("kind", "raw"), FLAVOURS)
def test_streamed_rag_passes_everything_on(kind: str, raw: bool) -> None:
    status, headers, body = load_fixture("07-rag-stream")
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v3/retrieval/rag").mock(
            return_value=httpx.Response(status, headers=headers, content=body)
        )

        def go(c: Any) -> Any:
            return c.retrieval.rag("What is Zorblax?", **RAG_ARGS, stream=True)

        if kind == "sync":
            with R2RClient(BASE) as client:
                stream = unwrap(go(client.with_raw_response if raw else client), raw)
                assert isinstance(stream, RAGStream)
                answer = stream.final_answer()
        else:

            async def main() -> Any:
                async with AsyncR2RClient(BASE) as client:
                    stream = unwrap(await go(client.with_raw_response if raw else client), raw)
                    assert isinstance(stream, AsyncRAGStream)
                    return await stream.final_answer()

            answer = asyncio.run(main())
    assert answer.generated_answer
    expected = {
        **RAG_BODY,
        "rag_generation_config": {**RAG_BODY["rag_generation_config"], "stream": True},
    }
    assert json.loads(sent(route).content) == expected


@pytest.mark.parametrize(("kind", "raw"), FLAVOURS)
def test_replace_metadata_passes_everything_on(kind: str, raw: bool) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.put(f"/v3/documents/{DOC_ID}/metadata").mock(
            return_value=fixture_response("02-put-metadata")
        )
        result = run(
            kind,
            raw,
            lambda c: c.documents.replace_metadata(
                DOC_ID, [{"a": 1}, {"b": "two"}], extra_headers=HEADERS, timeout=7.5
            ),
        )
    assert isinstance(unwrap(result, raw), WrappedDocumentResponse)
    assert json.loads(sent(route).content) == [{"a": 1}, {"b": "two"}]

"""A user's asynchronous code, type-checked (never run) against the installed wheel.

The async twin of sync_usage.py: the same calls, awaited, and streams as async iterators.
"""

from __future__ import annotations

import asyncio
from typing import Any, assert_type

from r2r_api.models import (
    Citation,
    MetadataObject,
    RAGFinalAnswerEventData,
    WrappedCompletionResponse,
    WrappedDocumentResponse,
    WrappedRAGResponse,
)
from r2r_api.types import Unset
from r2r_client import (
    APIResponse,
    AsyncR2RClient,
    AsyncRAGStream,
    NotFoundError,
    RAGAnswer,
    RAGEvent,
)
from r2r_client.events import CitationEvent, MessageEvent, SearchResultsEvent


async def completion(client: AsyncR2RClient) -> str | Unset | None:
    response = await client.retrieval.completion(
        messages=[{"role": "user", "content": "What is the capital of France?"}],
        generation_config={"model": "hosted_vllm/openai/gpt-oss-120b", "max_tokens": 150},
    )
    assert_type(response, WrappedCompletionResponse)
    return response.results.choices[0].message.content


async def rag(client: AsyncR2RClient) -> None:
    answer = await client.retrieval.rag(
        query="Who invented the Zorblax protocol?",
        search_settings={"limit": 5},
        rag_generation_config={"model": "openai/gpt-4.1-mini"},
    )
    assert_type(answer, WrappedRAGResponse)
    print(answer.results.generated_answer, answer.results.citations)

    async with await client.retrieval.rag(query="...", stream=True) as stream:
        assert_type(stream, AsyncRAGStream)
        async for event in stream:
            assert_type(event, RAGEvent)
            if event.event == "message":
                assert_type(event, MessageEvent)
                print(event.text, end="", flush=True)
            elif event.event == "citation":
                assert_type(event, CitationEvent)
                assert_type(event.data, Citation)
            elif event.event == "search_results":
                assert_type(event, SearchResultsEvent)
                print(len(event.data.data.chunk_search_results or []))
            elif event.event == "final_answer":
                assert_type(event.data, RAGFinalAnswerEventData)

    streamed = await client.retrieval.rag("q", {"stream": True})
    assert_type(streamed, AsyncRAGStream)
    final = await streamed.final_answer()
    assert_type(final, RAGAnswer)
    async for piece in (await client.retrieval.rag("q", stream=True)).text_stream():
        assert_type(piece, str)


async def metadata_and_raw(client: AsyncR2RClient) -> int:
    try:
        document = await client.documents.replace_metadata(
            "00000000-0000-4000-8000-000000000000", metadata=[{"a": 1}]
        )
    except NotFoundError as e:
        print(e.status_code, e.message)
        return 0
    assert_type(document, WrappedDocumentResponse)
    meta = document.results.metadata
    assert_type(meta, MetadataObject)
    plain: dict[str, Any] = dict(meta)
    print(plain)

    raw = await client.with_raw_response.retrieval.rag("q")
    assert_type(raw, APIResponse[WrappedRAGResponse])
    raw_stream = await client.with_raw_response.retrieval.rag("q", stream=True)
    assert_type(raw_stream, APIResponse[AsyncRAGStream])
    async with raw_stream.parse() as stream:
        print(stream.text)
    return len(document.results.metadata.keys())


async def main() -> None:
    async with AsyncR2RClient("http://localhost:7272", api_key="k") as client:
        await completion(client)
        await rag(client)
        await metadata_and_raw(client)


if __name__ == "__main__":
    asyncio.run(main())

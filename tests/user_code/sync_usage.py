"""A user's synchronous code, type-checked (never run) against the installed wheel.

`nox -s user_typing` runs `mypy --strict` and basedpyright (strict) over this file, the async
one and every Python block of the README, with only the built wheel installed. No isinstance,
cast or `type: ignore`: the types the library declares must be enough. assert_type pins what
matters, so that a result turning into Any, or a union, fails.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal, assert_type

import httpx

from r2r_api.models import (
    AggregateSearchResult,
    ChatCompletion,
    Citation,
    CitationPayload,
    MetadataObject,
    RAGMessageEventData,
    WrappedCompletionResponse,
    WrappedDocumentResponse,
    WrappedRAGResponse,
)
from r2r_api.types import Unset
from r2r_client import (
    APIResponse,
    NotFoundError,
    QuotaExceededError,
    R2RClient,
    R2RException,
    RAGAnswer,
    RAGEvent,
    RAGStream,
    RateLimitError,
    UnprocessableEntityError,
)
from r2r_client.events import FinalAnswerEvent, MessageEvent, UnknownEvent
from r2r_client.params import (
    GenerationConfigParam,
    MessageParam,
    SearchSettingsParam,
    StreamingRAGGenerationConfig,
)

MODEL = "openai/gpt-4.1-mini"


def official_sdk_example() -> str | Unset | None:
    """The seed document's example, with only the import changed."""
    client = R2RClient("https://api.intelligence.io.solutions/api/r2r")
    client.set_api_key("<your-io-API-key>")
    response = client.retrieval.completion(
        messages=[{"role": "user", "content": "What is the capital of France?"}],
        generation_config={"model": "hosted_vllm/openai/gpt-oss-120b", "max_tokens": 150},
    )
    assert_type(response, WrappedCompletionResponse)
    assert_type(response.results, ChatCompletion)
    content = response.results.choices[0].message.content
    assert_type(content, str | Unset | None)  # Unset: the server did not send the key
    return content


def rag_as_json(client: R2RClient) -> str:
    rag = client.retrieval.rag(
        query="Who invented the Zorblax protocol?",
        search_settings={"limit": 5, "filters": {"document_id": {"$eq": "<uuid>"}}},
        rag_generation_config={"model": MODEL},
    )
    assert_type(rag, WrappedRAGResponse)
    assert_type(rag.results.search_results, AggregateSearchResult)
    for citation in rag.results.citations or []:
        assert_type(citation, Citation)
        payload = citation.payload
        if payload:  # free-form objects are dicts: .get, len, json.dumps work
            assert_type(payload, CitationPayload)
            text: Any = payload.get("text", "")
            print(citation.id, str(text)[:80], len(payload), json.dumps(payload))
    positional = client.retrieval.rag("q", {"model": MODEL, "stream": False}, "basic")
    assert_type(positional, WrappedRAGResponse)
    explicit = client.retrieval.rag("q", stream=False)
    assert_type(explicit, WrappedRAGResponse)
    return rag.results.generated_answer


def rag_streamed(client: R2RClient) -> None:
    with client.retrieval.rag(query="...", stream=True) as stream:
        assert_type(stream, RAGStream)
        for event in stream:
            assert_type(event, RAGEvent)
            if event.event == "message":
                assert_type(event, MessageEvent)
                assert_type(event.data, RAGMessageEventData)
                print(event.text, end="", flush=True)
            elif event.event == "final_answer":
                assert_type(event, FinalAnswerEvent)
                print("\n", event.data.citations)
            elif event.event == "unknown":
                assert_type(event, UnknownEvent)
                print(event.name, event.data)
    answer = client.retrieval.rag(query="...", stream=True).final_answer()
    assert_type(answer, RAGAnswer)
    assert_type(answer.citations, list[Citation])
    assert_type(answer.search_results, AggregateSearchResult | None)

    # The official SDK's way to ask for a stream: in the generation config.
    config_stream = client.retrieval.rag(
        "q", rag_generation_config={"model": MODEL, "stream": True}
    )
    assert_type(config_stream, RAGStream)
    config: StreamingRAGGenerationConfig = {"stream": True, "temperature": 0.2}
    assert_type(client.retrieval.rag("q", config), RAGStream)
    for piece in client.retrieval.rag("q", stream=True).text_stream():
        assert_type(piece, str)


def rag_with_runtime_config(client: R2RClient, config: GenerationConfigParam, stream: bool) -> None:
    """A config whose `stream` is a plain bool may ask for a stream: the type says so until
    narrowed. (Keys the document does not know go in extra_body, not in the config.)"""
    either = client.retrieval.rag("q", config)
    assert_type(either, WrappedRAGResponse | RAGStream)
    assert_type(client.retrieval.rag("q", config, stream=True), RAGStream)
    assert_type(client.retrieval.rag("q", config, stream=False), WrappedRAGResponse)
    assert_type(client.retrieval.rag("q", stream=stream), WrappedRAGResponse | RAGStream)


def metadata(client: R2RClient) -> int:
    try:
        document = client.documents.replace_metadata(
            "00000000-0000-4000-8000-000000000000", metadata=[{"a": 1}]
        )
    except NotFoundError as e:
        print(e.status_code, e.message)
        return 0
    except UnprocessableEntityError as e:
        print([error.msg for error in e.errors])
        return 0
    except R2RException as e:
        print(e.message)
        return 0
    assert_type(document, WrappedDocumentResponse)
    meta = document.results.metadata
    assert_type(meta, MetadataObject)
    # R2R's own test of metadata replace, unchanged:
    count = len(document.results.metadata.keys())
    plain: dict[str, Any] = dict(meta)
    same = meta == {"a": 1}
    for key, value in meta.items():
        print(key, value, meta.get(key), key in meta)
    print(json.dumps(meta.to_dict()), plain, same)
    client.documents.replace_metadata(uuid.uuid4(), [meta, {"b": 2}])
    return count


def raw_responses(client: R2RClient) -> None:
    raw = client.with_raw_response.retrieval.completion([{"role": "user", "content": "Hi"}])
    assert_type(raw, APIResponse[WrappedCompletionResponse])
    print(raw.status_code, raw.headers.get("content-type"), raw.request_id, raw.elapsed)
    assert_type(raw.parse(), WrappedCompletionResponse)
    raw_rag = client.with_raw_response.retrieval.rag("q")
    assert_type(raw_rag.parse(), WrappedRAGResponse)
    raw_stream = client.with_raw_response.retrieval.rag("q", stream=True)
    assert_type(raw_stream, APIResponse[RAGStream])
    with raw_stream.parse() as stream:
        print(stream.text)
    raw_doc = client.with_raw_response.documents.replace_metadata(uuid.uuid4(), [{}])
    assert_type(raw_doc.parse(), WrappedDocumentResponse)


def configuration() -> None:
    with R2RClient(
        "http://localhost:7272",
        timeout=30.0,
        api_key="k",
        auth_header="x-api-key",
        max_retries=0,
        http_client=httpx.Client(),
    ) as client:
        quick = client.with_options(timeout=httpx.Timeout(5.0), max_retries=1)
        assert_type(quick, R2RClient)
        client.unset_api_key()
        client.set_access_token("jwt", token_header="token")
        client.set_project_name("p")
        print(client.base_url, quick.max_retries)


def hosted_as_a_regular_user() -> None:
    """Rate limits, quotas and pre-send checks, as a user of the hosted service meets them."""
    client = R2RClient(api_key="k", rate_limit_wait=0, validation="warn")
    patient = client.with_options(rate_limit_wait=120.0, validation="strict")
    try:
        patient.retrieval.completion(
            [{"role": "user", "content": "Hi"}], {"model": MODEL}, rate_limit_wait=10.0
        )
    except QuotaExceededError as quota:
        assert_type(quota.limit, Literal["global_per_min", "route_per_min", "monthly_limit"] | None)
    except RateLimitError as limited:
        assert_type(limited.retry_after, float | None)
        print(limited.limit, limited.message)
    # What the document does not know yet goes in extra_body, as given, unchecked.
    client.retrieval.rag(
        "q", extra_body={"search_mode": "research", "search_settings": {"rerank": True}}
    )
    client.retrieval.completion(
        [{"role": "user", "content": "Hi"}], validation="off"
    )  # a server configured with a default model


def typed_params() -> None:
    """Settings built ahead are typed by the document's TypedDicts."""
    settings: SearchSettingsParam = {
        "limit": 3,
        "filters": {"metadata": {"topic": {"$in": ["a", "b"]}}, "$or": [{"id": None}]},
        "hybrid_settings": {"full_text_limit": 50},
        "chunk_settings": {"index_measure": "cosine_distance"},
        "graph_settings": {"limits": {"entities": 5}},
    }
    messages: list[MessageParam] = [{"role": "system", "content": "terse"}]
    with R2RClient() as client:
        client.retrieval.rag("q", search_settings=settings, search_mode="advanced")
        client.retrieval.completion(messages, {"model": MODEL, "max_tokens": 10})

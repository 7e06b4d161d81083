"""`client.retrieval` and `client.documents`, with the official SDK's call signatures.

Each method only prepares the call (`_requests`) and hands it to the client, so the sync and
async twins differ in nothing but `await`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ._config import NOT_GIVEN, NotGiven, TimeoutTypes
from ._response import araw, raw

if TYPE_CHECKING:  # the generated package is imported on first use, not with r2r_client
    from r2r_api.models.generation_config import GenerationConfig
    from r2r_api.models.message import Message
    from r2r_api.models.search_mode import SearchMode
    from r2r_api.models.search_settings import SearchSettings
    from r2r_api.models.wrapped_completion_response import WrappedCompletionResponse
    from r2r_api.models.wrapped_document_response import WrappedDocumentResponse
    from r2r_api.models.wrapped_rag_response import WrappedRAGResponse

    from ._client import AsyncR2RClient, R2RClient
    from ._streaming import AsyncRAGStream, RAGStream

    MessageInput = Mapping[str, Any] | Message
    ConfigInput = Mapping[str, Any] | GenerationConfig
    SettingsInput = Mapping[str, Any] | SearchSettings


class RetrievalResource:
    """`client.retrieval`: completion and RAG."""

    def __init__(self, client: R2RClient) -> None:
        self._client = client

    def completion(
        self,
        messages: Sequence[MessageInput],
        generation_config: ConfigInput | None = None,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WrappedCompletionResponse:
        """Chat completion without retrieval: `resp.results.choices[0].message.content`."""
        from ._requests import completion_call

        call = completion_call(messages, generation_config, extra_body)
        options = self._client._options(timeout, max_retries, extra_headers)
        return self._client._request(call, options)

    def rag(
        self,
        query: str,
        rag_generation_config: ConfigInput | None = None,
        search_mode: str | SearchMode | None = None,
        search_settings: SettingsInput | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WrappedRAGResponse | RAGStream:
        """A retrieval-augmented answer; a RAGStream of typed events when streaming.

        Streaming is asked for with `rag_generation_config={"stream": True}` or `stream=True`.
        """
        from ._requests import rag_call

        call, streaming = rag_call(
            query=query,
            rag_generation_config=rag_generation_config,
            search_mode=search_mode,
            search_settings=search_settings,
            task_prompt=task_prompt,
            include_title_if_available=include_title_if_available,
            include_web_search=include_web_search,
            stream=stream,
            extra_body=extra_body,
        )
        options = self._client._options(timeout, max_retries, extra_headers)
        if streaming:
            return self._client._request_stream(call, options)
        return self._client._request(call, options)


class DocumentsResource:
    """`client.documents`: metadata replacement."""

    def __init__(self, client: R2RClient) -> None:
        self._client = client

    def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WrappedDocumentResponse:
        """Replace the document's whole metadata with the objects of `metadata`, merged in order."""
        from ._requests import replace_metadata_call

        call = replace_metadata_call(id, metadata)
        options = self._client._options(timeout, max_retries, extra_headers)
        return self._client._request(call, options)


class AsyncRetrievalResource:
    """`client.retrieval` of the async client: completion and RAG, awaited."""

    def __init__(self, client: AsyncR2RClient) -> None:
        self._client = client

    async def completion(
        self,
        messages: Sequence[MessageInput],
        generation_config: ConfigInput | None = None,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WrappedCompletionResponse:
        """Chat completion without retrieval: `resp.results.choices[0].message.content`."""
        from ._requests import completion_call

        call = completion_call(messages, generation_config, extra_body)
        options = self._client._options(timeout, max_retries, extra_headers)
        return await self._client._request(call, options)

    async def rag(
        self,
        query: str,
        rag_generation_config: ConfigInput | None = None,
        search_mode: str | SearchMode | None = None,
        search_settings: SettingsInput | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WrappedRAGResponse | AsyncRAGStream:
        """A retrieval-augmented answer; an AsyncRAGStream of typed events when streaming."""
        from ._requests import rag_call

        call, streaming = rag_call(
            query=query,
            rag_generation_config=rag_generation_config,
            search_mode=search_mode,
            search_settings=search_settings,
            task_prompt=task_prompt,
            include_title_if_available=include_title_if_available,
            include_web_search=include_web_search,
            stream=stream,
            extra_body=extra_body,
        )
        options = self._client._options(timeout, max_retries, extra_headers)
        if streaming:
            return await self._client._request_stream(call, options)
        return await self._client._request(call, options)


class AsyncDocumentsResource:
    """`client.documents` of the async client."""

    def __init__(self, client: AsyncR2RClient) -> None:
        self._client = client

    async def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WrappedDocumentResponse:
        """Replace the document's whole metadata with the objects of `metadata`, merged in order."""
        from ._requests import replace_metadata_call

        call = replace_metadata_call(id, metadata)
        options = self._client._options(timeout, max_retries, extra_headers)
        return await self._client._request(call, options)


class RawRetrieval:
    """`client.with_raw_response.retrieval`: the same calls, returning APIResponse."""

    def __init__(self, resource: RetrievalResource) -> None:
        self.completion = raw(resource.completion)
        self.rag = raw(resource.rag)


class RawDocuments:
    """`client.with_raw_response.documents`: the same calls, returning APIResponse."""

    def __init__(self, resource: DocumentsResource) -> None:
        self.replace_metadata = raw(resource.replace_metadata)


class AsyncRawRetrieval:
    """The async twin of RawRetrieval."""

    def __init__(self, resource: AsyncRetrievalResource) -> None:
        self.completion = araw(resource.completion)
        self.rag = araw(resource.rag)


class AsyncRawDocuments:
    """The async twin of RawDocuments."""

    def __init__(self, resource: AsyncDocumentsResource) -> None:
        self.replace_metadata = araw(resource.replace_metadata)

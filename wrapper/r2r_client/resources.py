"""`client.retrieval` and `client.documents`, with the official SDK's call signatures.

Each method only prepares the call (`_requests`) and hands it to the client with its options, so
the sync and async twins differ in nothing but `await`, and a raw twin (`with_raw_response`) in
nothing but `options.as_raw()`. The overloads of `rag` type its answer: a `RAGStream` when
`stream=True` or `rag_generation_config={"stream": True, ...}`, a `WrappedRAGResponse` when the
stream is not asked for; tests/test_typing_runtime.py keeps the four flavours' parameters equal.

The generated models are named through `r2r_api.models`, a lazy package, so that
`typing.get_type_hints` resolves every signature without importing a model before it is used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload
from uuid import UUID

from r2r_api import models

# _client imports this module first; its classes are named as `_client.X` (resolved on use).
from . import _client
from ._config import NOT_GIVEN, NotGiven, TimeoutTypes
from ._response import APIResponse
from ._streaming import AsyncRAGStream, RAGStream
from .params import RAGGenerationConfig, StreamingRAGGenerationConfig

__all__ = [
    "AsyncDocumentsResource",
    "AsyncRawDocumentsResource",
    "AsyncRawRetrievalResource",
    "AsyncRetrievalResource",
    "DocumentsResource",
    "RawDocumentsResource",
    "RawRetrievalResource",
    "RetrievalResource",
]


class RetrievalResource:
    """`client.retrieval`: completion and RAG."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.R2RClient) -> None:
        self._client = client

    def completion(
        self,
        messages: Sequence[Mapping[str, Any] | models.Message],
        generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedCompletionResponse:
        """Chat completion without retrieval: `resp.results.choices[0].message.content`.

        Args:
            messages: The conversation, as dicts (`{"role": "user", "content": "..."}`) or
                `r2r_api.models.Message`; at least one.
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...), as a
                dict or `r2r_api.models.GenerationConfig`; the server's defaults when None.
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The chat completion (`WrappedCompletionResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import completion_call

        call = completion_call(messages, generation_config, extra_body)
        return self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers)
        )

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RAGStream: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: StreamingRAGGenerationConfig,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RAGStream: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: RAGGenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | RAGStream: ...

    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | RAGStream:
        """A retrieval-augmented answer with citations; a stream of typed events when asked.

        The answer streams with `stream=True` or `rag_generation_config={"stream": True}`: the
        overloads type the result accordingly (a dict whose `stream` is not a literal gives the
        union, narrowed by passing `stream=` explicitly).

        Args:
            query: The question.
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`,
                `stream`, ...), as a dict or `r2r_api.models.GenerationConfig`.
            search_mode: `"basic"`, `"advanced"` or `"custom"` (the server's default): presets
                that `search_settings` overrides.
            search_settings: Search configuration (`limit`, `offset`, `filters`, ...), as a
                dict or `r2r_api.models.SearchSettings`.
            task_prompt: A prompt template with `{query}` and `{context}` placeholders that
                replaces the server's.
            include_title_if_available: Put document titles in the context.
            include_web_search: Add web search results to the context.
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving
                both with different values is an error).
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The answer (`WrappedRAGResponse`), or a `RAGStream` of typed events when streaming; use
                the stream as a context manager to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
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
    """`client.documents`: document metadata."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.R2RClient) -> None:
        self._client = client

    def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedDocumentResponse:
        """Replace the document's whole metadata with the objects of `metadata`, merged in order.

        Args:
            id: The document's id (a UUID or its string).
            metadata: Objects whose keys and values become the metadata; later objects win.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The document with its new metadata (`WrappedDocumentResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            NotFoundError: No document has this id (or it is not visible to the caller).
            APIStatusError: The server answered with another error status.
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import replace_metadata_call

        call = replace_metadata_call(id, metadata)
        return self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers)
        )


class RawRetrievalResource:
    """`client.with_raw_response.retrieval`: completion and RAG, as `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.R2RClient) -> None:
        self._client = client

    def completion(
        self,
        messages: Sequence[Mapping[str, Any] | models.Message],
        generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedCompletionResponse]:
        """Chat completion without retrieval: `resp.results.choices[0].message.content`.

        Args:
            messages: The conversation, as dicts (`{"role": "user", "content": "..."}`) or
                `r2r_api.models.Message`; at least one.
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...), as a
                dict or `r2r_api.models.GenerationConfig`; the server's defaults when None.
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The HTTP response (`APIResponse`): status, headers, request id; `.parse()` is the chat
                completion (`WrappedCompletionResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import completion_call

        call = completion_call(messages, generation_config, extra_body)
        return self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers).as_raw()
        )

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[RAGStream]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: StreamingRAGGenerationConfig,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[RAGStream]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: RAGGenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | RAGStream]: ...

    def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | RAGStream]:
        """A retrieval-augmented answer with citations; a stream of typed events when asked.

        The answer streams with `stream=True` or `rag_generation_config={"stream": True}`: the
        overloads type the result accordingly (a dict whose `stream` is not a literal gives the
        union, narrowed by passing `stream=` explicitly).

        Args:
            query: The question.
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`,
                `stream`, ...), as a dict or `r2r_api.models.GenerationConfig`.
            search_mode: `"basic"`, `"advanced"` or `"custom"` (the server's default): presets
                that `search_settings` overrides.
            search_settings: Search configuration (`limit`, `offset`, `filters`, ...), as a
                dict or `r2r_api.models.SearchSettings`.
            task_prompt: A prompt template with `{query}` and `{context}` placeholders that
                replaces the server's.
            include_title_if_available: Put document titles in the context.
            include_web_search: Add web search results to the context.
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving
                both with different values is an error).
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The HTTP response (`APIResponse`): status, headers, request id; `.parse()` is the
                answer (`WrappedRAGResponse`), or a `RAGStream` of typed events when streaming; use
                the stream as a context manager to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
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
        options = self._client._options(timeout, max_retries, extra_headers).as_raw()
        if streaming:
            return self._client._request_stream(call, options)
        return self._client._request(call, options)


class RawDocumentsResource:
    """`client.with_raw_response.documents`: document metadata, as `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.R2RClient) -> None:
        self._client = client

    def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedDocumentResponse]:
        """Replace the document's whole metadata with the objects of `metadata`, merged in order.

        Args:
            id: The document's id (a UUID or its string).
            metadata: Objects whose keys and values become the metadata; later objects win.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The HTTP response (`APIResponse`): status, headers, request id; `.parse()` is the
                document with its new metadata (`WrappedDocumentResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            NotFoundError: No document has this id (or it is not visible to the caller).
            APIStatusError: The server answered with another error status.
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import replace_metadata_call

        call = replace_metadata_call(id, metadata)
        return self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers).as_raw()
        )


class AsyncRetrievalResource:
    """`client.retrieval` of the async client: completion and RAG."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.AsyncR2RClient) -> None:
        self._client = client

    async def completion(
        self,
        messages: Sequence[Mapping[str, Any] | models.Message],
        generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedCompletionResponse:
        """Chat completion without retrieval: `resp.results.choices[0].message.content`.

        Args:
            messages: The conversation, as dicts (`{"role": "user", "content": "..."}`) or
                `r2r_api.models.Message`; at least one.
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...), as a
                dict or `r2r_api.models.GenerationConfig`; the server's defaults when None.
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The chat completion (`WrappedCompletionResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import completion_call

        call = completion_call(messages, generation_config, extra_body)
        return await self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers)
        )

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncRAGStream: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: StreamingRAGGenerationConfig,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncRAGStream: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: RAGGenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | AsyncRAGStream: ...

    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | AsyncRAGStream:
        """A retrieval-augmented answer with citations; a stream of typed events when asked.

        The answer streams with `stream=True` or `rag_generation_config={"stream": True}`: the
        overloads type the result accordingly (a dict whose `stream` is not a literal gives the
        union, narrowed by passing `stream=` explicitly).

        Args:
            query: The question.
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`,
                `stream`, ...), as a dict or `r2r_api.models.GenerationConfig`.
            search_mode: `"basic"`, `"advanced"` or `"custom"` (the server's default): presets
                that `search_settings` overrides.
            search_settings: Search configuration (`limit`, `offset`, `filters`, ...), as a
                dict or `r2r_api.models.SearchSettings`.
            task_prompt: A prompt template with `{query}` and `{context}` placeholders that
                replaces the server's.
            include_title_if_available: Put document titles in the context.
            include_web_search: Add web search results to the context.
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving
                both with different values is an error).
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The answer (`WrappedRAGResponse`), or a `AsyncRAGStream` of typed events when
                streaming; use the stream as a context manager to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
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
            return await self._client._request_stream(call, options)
        return await self._client._request(call, options)


class AsyncDocumentsResource:
    """`client.documents` of the async client: document metadata."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.AsyncR2RClient) -> None:
        self._client = client

    async def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> models.WrappedDocumentResponse:
        """Replace the document's whole metadata with the objects of `metadata`, merged in order.

        Args:
            id: The document's id (a UUID or its string).
            metadata: Objects whose keys and values become the metadata; later objects win.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The document with its new metadata (`WrappedDocumentResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            NotFoundError: No document has this id (or it is not visible to the caller).
            APIStatusError: The server answered with another error status.
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import replace_metadata_call

        call = replace_metadata_call(id, metadata)
        return await self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers)
        )


class AsyncRawRetrievalResource:
    """`client.with_raw_response.retrieval` (async): completion and RAG, as `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.AsyncR2RClient) -> None:
        self._client = client

    async def completion(
        self,
        messages: Sequence[Mapping[str, Any] | models.Message],
        generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedCompletionResponse]:
        """Chat completion without retrieval: `resp.results.choices[0].message.content`.

        Args:
            messages: The conversation, as dicts (`{"role": "user", "content": "..."}`) or
                `r2r_api.models.Message`; at least one.
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...), as a
                dict or `r2r_api.models.GenerationConfig`; the server's defaults when None.
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The HTTP response (`APIResponse`): status, headers, request id; `.parse()` is the chat
                completion (`WrappedCompletionResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import completion_call

        call = completion_call(messages, generation_config, extra_body)
        return await self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers).as_raw()
        )

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[AsyncRAGStream]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: StreamingRAGGenerationConfig,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[AsyncRAGStream]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: RAGGenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | AsyncRAGStream]: ...

    async def rag(
        self,
        query: str,
        rag_generation_config: Mapping[str, Any] | models.GenerationConfig | None = None,
        search_mode: str | models.SearchMode | None = None,
        search_settings: Mapping[str, Any] | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | AsyncRAGStream]:
        """A retrieval-augmented answer with citations; a stream of typed events when asked.

        The answer streams with `stream=True` or `rag_generation_config={"stream": True}`: the
        overloads type the result accordingly (a dict whose `stream` is not a literal gives the
        union, narrowed by passing `stream=` explicitly).

        Args:
            query: The question.
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`,
                `stream`, ...), as a dict or `r2r_api.models.GenerationConfig`.
            search_mode: `"basic"`, `"advanced"` or `"custom"` (the server's default): presets
                that `search_settings` overrides.
            search_settings: Search configuration (`limit`, `offset`, `filters`, ...), as a
                dict or `r2r_api.models.SearchSettings`.
            task_prompt: A prompt template with `{query}` and `{context}` placeholders that
                replaces the server's.
            include_title_if_available: Put document titles in the context.
            include_web_search: Add web search results to the context.
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving
                both with different values is an error).
            extra_body: Keys sent in the JSON body beside the arguments (e.g. ones the
                document does not know yet); an argument's key may not be repeated here.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The HTTP response (`APIResponse`): status, headers, request id; `.parse()` is the
                answer (`WrappedRAGResponse`), or a `AsyncRAGStream` of typed events when
                streaming; use the stream as a context manager to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
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
        options = self._client._options(timeout, max_retries, extra_headers).as_raw()
        if streaming:
            return await self._client._request_stream(call, options)
        return await self._client._request(call, options)


class AsyncRawDocumentsResource:
    """`client.with_raw_response.documents` (async): document metadata, as `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: _client.AsyncR2RClient) -> None:
        self._client = client

    async def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedDocumentResponse]:
        """Replace the document's whole metadata with the objects of `metadata`, merged in order.

        Args:
            id: The document's id (a UUID or its string).
            metadata: Objects whose keys and values become the metadata; later objects win.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.

        Returns:
            The HTTP response (`APIResponse`): status, headers, request id; `.parse()` is the
                document with its new metadata (`WrappedDocumentResponse`).

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            NotFoundError: No document has this id (or it is not visible to the caller).
            APIStatusError: The server answered with another error status.
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        from ._requests import replace_metadata_call

        call = replace_metadata_call(id, metadata)
        return await self._client._request(
            call, self._client._options(timeout, max_retries, extra_headers).as_raw()
        )

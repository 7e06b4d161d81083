# Generated from openapi/r2r-v3.yaml by generator/surface.py (nox -s generate): do not edit.
"""The operations of the document as methods: `client.retrieval.rag(...)` and the others.

Four flavours of each resource, generated from one template so that they cannot drift: the sync
client's, the async client's (awaited), and their `with_raw_response` twins, which return the
`APIResponse` (status, headers, request id) instead of the parsed result. Each method only
prepares its call (`_requests.prepare`) and hands it to the client with its options; the
parameters, their types and their documentation come from the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, cast, overload

from r2r_api import models

from . import _operations
from ._headers import concealed
from ._requests import prepare
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes, Validation

if TYPE_CHECKING:
    from uuid import UUID

    from . import params
    from ._async_client import AsyncR2RClient
    from ._async_stream import AsyncRAGStream
    from ._client import R2RClient
    from ._response import APIResponse
    from ._stream import RAGStream

__all__ = [
    "AsyncClientResources",
    "AsyncDocumentsResource",
    "AsyncRawDocumentsResource",
    "AsyncRawR2RClient",
    "AsyncRawRetrievalResource",
    "AsyncRetrievalResource",
    "ClientResources",
    "DocumentsResource",
    "RawDocumentsResource",
    "RawR2RClient",
    "RawRetrievalResource",
    "RetrievalResource",
]


class DocumentsResource:
    """`client.documents`: Document management."""

    __slots__ = ("_client",)

    def __init__(self, client: R2RClient) -> None:
        self._client = client

    def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[params.MetadataObjectParam | models.MetadataObject],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedDocumentResponse:
        """Replace a document's metadata.

        Args:
            id: Document ID (a UUID; anything else is answered with 422).
            metadata: Metadata objects merged in order into the new metadata.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The document with its new metadata.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation
        )
        call = prepare(
            _operations.REPLACE_DOCUMENT_METADATA,
            {
                "id": id,
                "metadata": metadata,
            },
            None,
            options.validation,
        )
        return self._client._request(call, options)


class RetrievalResource:
    """`client.retrieval`: Completion and retrieval-augmented generation."""

    __slots__ = ("_client",)

    def __init__(self, client: R2RClient) -> None:
        self._client = client

    def completion(
        self,
        messages: Sequence[params.MessageParam | models.Message],
        generation_config: params.CompletionGenerationConfigParam
        | models.CompletionGenerationConfig
        | models.GenerationConfig
        | None = None,
        *,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedCompletionResponse:
        """Chat completion without retrieval.

        Args:
            messages: The conversation, as messages such as `{"role": "user", "content":
                "..."}`; at least one. Divergence from the published pages: an array (published:
                an object).
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...); null is
                the same as absent. R2R 3.6.6 has no default model for this endpoint (without
                `model` it answers 500), and cannot stream it (`stream: true` fails with 500).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The completion.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation
        )
        call = prepare(
            _operations.COMPLETION,
            {
                "messages": messages,
                "generation_config": generation_config,
            },
            extra_body,
            options.validation,
        )
        return self._client._request(call, options)

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> RAGStream: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.StreamingGenerationConfigParam,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> RAGStream: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.NonStreamingGenerationConfigParam | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | RAGStream: ...

    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam
        | params.StreamingGenerationConfigParam
        | params.NonStreamingGenerationConfigParam
        | models.GenerationConfig
        | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | RAGStream:
        """Retrieval-augmented answer with citations.

        The answer is a stream of typed events with `stream=True` or
        `rag_generation_config={"stream": True, ...}`; the overloads type the result accordingly (a
        dict whose `stream` is not a literal gives the union: pass `stream=` to narrow it).

        Args:
            query: The user's question. It may not contain U+0000 (full-text and hybrid search
                send it to PostgreSQL, which answers 500).
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`, `stream`,
                ...). Null is the same as absent.
            search_mode: `basic`, `advanced` or `custom` (the server's default): presets that
                `search_settings` overrides. Null is the same as absent.
            search_settings: How to search: `limit`, `offset`, `filters`, hybrid, chunk and
                graph settings. Null is the same as absent.
            task_prompt: A prompt template replacing the default. The server fills it in with
                Python's `str.format(query=..., context=...)`: `{query}` and `{context}` are
                replaced, other names leave the template as written, literal braces are written
                `{{` and `}}`; a positional `{}`, a lone brace or an attribute of
                `query`/`context` fails with 500 (the client refuses those before sending).
            include_title_if_available: Include document titles in the context (server default
                false; null is the same).
            include_web_search: Include web search results (server default false; null is the
                same).
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving both
                with different values is an error).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The answer: JSON when `rag_generation_config.stream` is false or absent, a stream of
                Server-Sent Events when it is true. A stream is an `RAGStream`: use it as a
                context manager to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation
        )
        call = prepare(
            _operations.RAG,
            {
                "query": query,
                "rag_generation_config": rag_generation_config,
                "search_mode": search_mode,
                "search_settings": search_settings,
                "task_prompt": task_prompt,
                "include_title_if_available": include_title_if_available,
                "include_web_search": include_web_search,
            },
            extra_body,
            options.validation,
            stream=stream,
        )
        if call.stream:
            return self._client._request_stream(call, options)
        return self._client._request(call, options)


class AsyncDocumentsResource:
    """`client.documents`: Document management (async client)."""

    __slots__ = ("_client",)

    def __init__(self, client: AsyncR2RClient) -> None:
        self._client = client

    async def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[params.MetadataObjectParam | models.MetadataObject],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedDocumentResponse:
        """Replace a document's metadata.

        Args:
            id: Document ID (a UUID; anything else is answered with 422).
            metadata: Metadata objects merged in order into the new metadata.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The document with its new metadata.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation
        )
        call = prepare(
            _operations.REPLACE_DOCUMENT_METADATA,
            {
                "id": id,
                "metadata": metadata,
            },
            None,
            options.validation,
        )
        return await self._client._request(call, options)


class AsyncRetrievalResource:
    """`client.retrieval`: Completion and retrieval-augmented generation (async client)."""

    __slots__ = ("_client",)

    def __init__(self, client: AsyncR2RClient) -> None:
        self._client = client

    async def completion(
        self,
        messages: Sequence[params.MessageParam | models.Message],
        generation_config: params.CompletionGenerationConfigParam
        | models.CompletionGenerationConfig
        | models.GenerationConfig
        | None = None,
        *,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedCompletionResponse:
        """Chat completion without retrieval.

        Args:
            messages: The conversation, as messages such as `{"role": "user", "content":
                "..."}`; at least one. Divergence from the published pages: an array (published:
                an object).
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...); null is
                the same as absent. R2R 3.6.6 has no default model for this endpoint (without
                `model` it answers 500), and cannot stream it (`stream: true` fails with 500).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The completion.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation
        )
        call = prepare(
            _operations.COMPLETION,
            {
                "messages": messages,
                "generation_config": generation_config,
            },
            extra_body,
            options.validation,
        )
        return await self._client._request(call, options)

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> AsyncRAGStream: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.StreamingGenerationConfigParam,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> AsyncRAGStream: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.NonStreamingGenerationConfigParam | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | AsyncRAGStream: ...

    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam
        | params.StreamingGenerationConfigParam
        | params.NonStreamingGenerationConfigParam
        | models.GenerationConfig
        | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> models.WrappedRAGResponse | AsyncRAGStream:
        """Retrieval-augmented answer with citations.

        The answer is a stream of typed events with `stream=True` or
        `rag_generation_config={"stream": True, ...}`; the overloads type the result accordingly (a
        dict whose `stream` is not a literal gives the union: pass `stream=` to narrow it).

        Args:
            query: The user's question. It may not contain U+0000 (full-text and hybrid search
                send it to PostgreSQL, which answers 500).
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`, `stream`,
                ...). Null is the same as absent.
            search_mode: `basic`, `advanced` or `custom` (the server's default): presets that
                `search_settings` overrides. Null is the same as absent.
            search_settings: How to search: `limit`, `offset`, `filters`, hybrid, chunk and
                graph settings. Null is the same as absent.
            task_prompt: A prompt template replacing the default. The server fills it in with
                Python's `str.format(query=..., context=...)`: `{query}` and `{context}` are
                replaced, other names leave the template as written, literal braces are written
                `{{` and `}}`; a positional `{}`, a lone brace or an attribute of
                `query`/`context` fails with 500 (the client refuses those before sending).
            include_title_if_available: Include document titles in the context (server default
                false; null is the same).
            include_web_search: Include web search results (server default false; null is the
                same).
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving both
                with different values is an error).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The answer: JSON when `rag_generation_config.stream` is false or absent, a stream of
                Server-Sent Events when it is true. A stream is an `AsyncRAGStream`: use it as a
                context manager to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation
        )
        call = prepare(
            _operations.RAG,
            {
                "query": query,
                "rag_generation_config": rag_generation_config,
                "search_mode": search_mode,
                "search_settings": search_settings,
                "task_prompt": task_prompt,
                "include_title_if_available": include_title_if_available,
                "include_web_search": include_web_search,
            },
            extra_body,
            options.validation,
            stream=stream,
        )
        if call.stream:
            return await self._client._request_stream(call, options)
        return await self._client._request(call, options)


class RawDocumentsResource:
    """`client.with_raw_response.documents`: Document management, as `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: R2RClient) -> None:
        self._client = client

    def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[params.MetadataObjectParam | models.MetadataObject],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedDocumentResponse]:
        """Replace a document's metadata.

        Args:
            id: Document ID (a UUID; anything else is answered with 422).
            metadata: Metadata objects merged in order into the new metadata.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The HTTP response (`APIResponse`); its `.parse()` is: The document with its new
                metadata.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation, raw=True
        )
        call = prepare(
            _operations.REPLACE_DOCUMENT_METADATA,
            {
                "id": id,
                "metadata": metadata,
            },
            None,
            options.validation,
        )
        return self._client._request(call, options)


class RawRetrievalResource:
    """`client.with_raw_response.retrieval`: Completion and retrieval-augmented generation, as
    `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: R2RClient) -> None:
        self._client = client

    def completion(
        self,
        messages: Sequence[params.MessageParam | models.Message],
        generation_config: params.CompletionGenerationConfigParam
        | models.CompletionGenerationConfig
        | models.GenerationConfig
        | None = None,
        *,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedCompletionResponse]:
        """Chat completion without retrieval.

        Args:
            messages: The conversation, as messages such as `{"role": "user", "content":
                "..."}`; at least one. Divergence from the published pages: an array (published:
                an object).
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...); null is
                the same as absent. R2R 3.6.6 has no default model for this endpoint (without
                `model` it answers 500), and cannot stream it (`stream: true` fails with 500).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The HTTP response (`APIResponse`); its `.parse()` is: The completion.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation, raw=True
        )
        call = prepare(
            _operations.COMPLETION,
            {
                "messages": messages,
                "generation_config": generation_config,
            },
            extra_body,
            options.validation,
        )
        return self._client._request(call, options)

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[RAGStream]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.StreamingGenerationConfigParam,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[RAGStream]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.NonStreamingGenerationConfigParam | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | RAGStream]: ...

    def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam
        | params.StreamingGenerationConfigParam
        | params.NonStreamingGenerationConfigParam
        | models.GenerationConfig
        | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | RAGStream]:
        """Retrieval-augmented answer with citations.

        The answer is a stream of typed events with `stream=True` or
        `rag_generation_config={"stream": True, ...}`; the overloads type the result accordingly (a
        dict whose `stream` is not a literal gives the union: pass `stream=` to narrow it).

        Args:
            query: The user's question. It may not contain U+0000 (full-text and hybrid search
                send it to PostgreSQL, which answers 500).
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`, `stream`,
                ...). Null is the same as absent.
            search_mode: `basic`, `advanced` or `custom` (the server's default): presets that
                `search_settings` overrides. Null is the same as absent.
            search_settings: How to search: `limit`, `offset`, `filters`, hybrid, chunk and
                graph settings. Null is the same as absent.
            task_prompt: A prompt template replacing the default. The server fills it in with
                Python's `str.format(query=..., context=...)`: `{query}` and `{context}` are
                replaced, other names leave the template as written, literal braces are written
                `{{` and `}}`; a positional `{}`, a lone brace or an attribute of
                `query`/`context` fails with 500 (the client refuses those before sending).
            include_title_if_available: Include document titles in the context (server default
                false; null is the same).
            include_web_search: Include web search results (server default false; null is the
                same).
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving both
                with different values is an error).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The HTTP response (`APIResponse`); its `.parse()` is: The answer: JSON when
                `rag_generation_config.stream` is false or absent, a stream of Server-Sent
                Events when it is true. A stream is an `RAGStream`: use it as a context manager
                to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation, raw=True
        )
        call = prepare(
            _operations.RAG,
            {
                "query": query,
                "rag_generation_config": rag_generation_config,
                "search_mode": search_mode,
                "search_settings": search_settings,
                "task_prompt": task_prompt,
                "include_title_if_available": include_title_if_available,
                "include_web_search": include_web_search,
            },
            extra_body,
            options.validation,
            stream=stream,
        )
        if call.stream:
            return self._client._request_stream(call, options)
        return self._client._request(call, options)


class AsyncRawDocumentsResource:
    """`client.with_raw_response.documents`: Document management (async client), as
    `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: AsyncR2RClient) -> None:
        self._client = client

    async def replace_metadata(
        self,
        id: str | UUID,
        metadata: Sequence[params.MetadataObjectParam | models.MetadataObject],
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedDocumentResponse]:
        """Replace a document's metadata.

        Args:
            id: Document ID (a UUID; anything else is answered with 422).
            metadata: Metadata objects merged in order into the new metadata.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The HTTP response (`APIResponse`); its `.parse()` is: The document with its new
                metadata.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation, raw=True
        )
        call = prepare(
            _operations.REPLACE_DOCUMENT_METADATA,
            {
                "id": id,
                "metadata": metadata,
            },
            None,
            options.validation,
        )
        return await self._client._request(call, options)


class AsyncRawRetrievalResource:
    """`client.with_raw_response.retrieval`: Completion and retrieval-augmented generation
    (async client), as `APIResponse`s."""

    __slots__ = ("_client",)

    def __init__(self, client: AsyncR2RClient) -> None:
        self._client = client

    async def completion(
        self,
        messages: Sequence[params.MessageParam | models.Message],
        generation_config: params.CompletionGenerationConfigParam
        | models.CompletionGenerationConfig
        | models.GenerationConfig
        | None = None,
        *,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedCompletionResponse]:
        """Chat completion without retrieval.

        Args:
            messages: The conversation, as messages such as `{"role": "user", "content":
                "..."}`; at least one. Divergence from the published pages: an array (published:
                an object).
            generation_config: LLM settings (`model`, `temperature`, `max_tokens`, ...); null is
                the same as absent. R2R 3.6.6 has no default model for this endpoint (without
                `model` it answers 500), and cannot stream it (`stream: true` fails with 500).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The HTTP response (`APIResponse`); its `.parse()` is: The completion.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation, raw=True
        )
        call = prepare(
            _operations.COMPLETION,
            {
                "messages": messages,
                "generation_config": generation_config,
            },
            extra_body,
            options.validation,
        )
        return await self._client._request(call, options)

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[AsyncRAGStream]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.StreamingGenerationConfigParam,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[True] | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[AsyncRAGStream]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: Literal[False],
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.NonStreamingGenerationConfigParam | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse]: ...

    @overload
    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam | models.GenerationConfig | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | AsyncRAGStream]: ...

    async def rag(
        self,
        query: str,
        rag_generation_config: params.GenerationConfigParam
        | params.StreamingGenerationConfigParam
        | params.NonStreamingGenerationConfigParam
        | models.GenerationConfig
        | None = None,
        search_mode: params.SearchModeParam | models.SearchMode | None = None,
        search_settings: params.SearchSettingsParam | models.SearchSettings | None = None,
        task_prompt: str | None = None,
        include_title_if_available: bool | None = None,
        include_web_search: bool | None = None,
        *,
        stream: bool | None = None,
        extra_body: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        rate_limit_wait: float | NotGiven = NOT_GIVEN,
        validation: Validation | NotGiven = NOT_GIVEN,
    ) -> APIResponse[models.WrappedRAGResponse | AsyncRAGStream]:
        """Retrieval-augmented answer with citations.

        The answer is a stream of typed events with `stream=True` or
        `rag_generation_config={"stream": True, ...}`; the overloads type the result accordingly (a
        dict whose `stream` is not a literal gives the union: pass `stream=` to narrow it).

        Args:
            query: The user's question. It may not contain U+0000 (full-text and hybrid search
                send it to PostgreSQL, which answers 500).
            rag_generation_config: LLM settings (`model`, `temperature`, `max_tokens`, `stream`,
                ...). Null is the same as absent.
            search_mode: `basic`, `advanced` or `custom` (the server's default): presets that
                `search_settings` overrides. Null is the same as absent.
            search_settings: How to search: `limit`, `offset`, `filters`, hybrid, chunk and
                graph settings. Null is the same as absent.
            task_prompt: A prompt template replacing the default. The server fills it in with
                Python's `str.format(query=..., context=...)`: `{query}` and `{context}` are
                replaced, other names leave the template as written, literal braces are written
                `{{` and `}}`; a positional `{}`, a lone brace or an attribute of
                `query`/`context` fails with 500 (the client refuses those before sending).
            include_title_if_available: Include document titles in the context (server default
                false; null is the same).
            include_web_search: Include web search results (server default false; null is the
                same).
            stream: Stream the answer (the same as `rag_generation_config["stream"]`; giving both
                with different values is an error).
            extra_body: Keys sent in the JSON body as given, beside (or inside) the arguments:
                for what the document does not know yet. Not checked, only encoded.
            extra_headers: Headers sent with this call only, over the client's.
            timeout: This call's timeout in seconds (or an `httpx.Timeout`); None waits
                forever.
            max_retries: This call's number of retries of a failed attempt.
            rate_limit_wait: This call's budget, in seconds, for waiting out rate limits
                (0: raise RateLimitError at once).
            validation: This call's pre-send checks: "strict" (refuse a body the API does not
                accept), "warn" (send it with a warning) or "off".

        Returns:
            The HTTP response (`APIResponse`); its `.parse()` is: The answer: JSON when
                `rag_generation_config.stream` is false or absent, a stream of Server-Sent
                Events when it is true. A stream is an `AsyncRAGStream`: use it as a context
                manager to release the connection early.

        Raises:
            InvalidRequestError: An argument does not fit the API, before anything is sent.
            RateLimitError: A rate limit or quota ran out (after waiting, when waiting helps).
            APIStatusError: The server answered with an error status (one subclass per status).
            APIConnectionError: The server could not be reached, or the answer was cut off.
        """
        extra_headers = concealed(extra_headers)  # no frame shows a credential in clear
        options = self._client._options(
            timeout, max_retries, extra_headers, rate_limit_wait, validation, raw=True
        )
        call = prepare(
            _operations.RAG,
            {
                "query": query,
                "rag_generation_config": rag_generation_config,
                "search_mode": search_mode,
                "search_settings": search_settings,
                "task_prompt": task_prompt,
                "include_title_if_available": include_title_if_available,
                "include_web_search": include_web_search,
            },
            extra_body,
            options.validation,
            stream=stream,
        )
        if call.stream:
            return await self._client._request_stream(call, options)
        return await self._client._request(call, options)


class RawR2RClient:
    """`client.with_raw_response`: the client's calls, returning their `APIResponse`."""

    __slots__ = (
        "documents",
        "retrieval",
    )

    def __init__(self, client: R2RClient) -> None:
        self.documents = RawDocumentsResource(client)
        self.retrieval = RawRetrievalResource(client)


class AsyncRawR2RClient:
    """`client.with_raw_response` of the async client: calls returning their `APIResponse`."""

    __slots__ = (
        "documents",
        "retrieval",
    )

    def __init__(self, client: AsyncR2RClient) -> None:
        self.documents = AsyncRawDocumentsResource(client)
        self.retrieval = AsyncRawRetrievalResource(client)


class ClientResources:
    """The resources of R2RClient, bound to it by `_bind_resources`."""

    documents: DocumentsResource
    retrieval: RetrievalResource

    def _bind_resources(self) -> None:
        client = cast("R2RClient", self)
        self.documents = DocumentsResource(client)
        self.retrieval = RetrievalResource(client)

    @property
    def with_raw_response(self) -> RawR2RClient:
        """The same calls, returning the `APIResponse` (status, headers, request id) instead.

        `client.with_raw_response.retrieval.completion(...).parse()` is the parsed result.
        """
        return RawR2RClient(cast("R2RClient", self))


class AsyncClientResources:
    """The resources of AsyncR2RClient, bound to it by `_bind_resources`."""

    documents: AsyncDocumentsResource
    retrieval: AsyncRetrievalResource

    def _bind_resources(self) -> None:
        client = cast("AsyncR2RClient", self)
        self.documents = AsyncDocumentsResource(client)
        self.retrieval = AsyncRetrievalResource(client)

    @property
    def with_raw_response(self) -> AsyncRawR2RClient:
        """The same calls, returning the `APIResponse` (status, headers, request id) instead.

        `(await client.with_raw_response.retrieval.completion(...)).parse()` is the parsed
        result.
        """
        return AsyncRawR2RClient(cast("AsyncR2RClient", self))

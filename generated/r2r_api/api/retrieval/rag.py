from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error_body import InternalErrorBody
from ...models.plain_error_body import PlainErrorBody
from ...models.r2r_error_body import R2RErrorBody
from ...models.rag_request import RAGRequest
from ...models.wrapped_rag_response import WrappedRAGResponse
from ...types import Response


def _get_kwargs(
    *,
    body: RAGRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v3/retrieval/rag",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedRAGResponse
    | None
):
    content_type = response.headers.get("content-type", "")
    if content_type.lower().startswith("text/event-stream"):
        raise errors.StreamedResponseError(response.status_code, content_type)
    if response.status_code == 200:
        response_200 = WrappedRAGResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:

        def _parse_response_400(data: object) -> InternalErrorBody | PlainErrorBody | R2RErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = R2RErrorBody.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_1 = InternalErrorBody.from_dict(data)

                return componentsschemas_error_body_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_2 = PlainErrorBody.from_dict(data)

            return componentsschemas_error_body_type_2

        response_400 = _parse_response_400(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = R2RErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = R2RErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = R2RErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = PlainErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:

        def _parse_response_500(data: object) -> InternalErrorBody | PlainErrorBody | R2RErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = R2RErrorBody.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_1 = InternalErrorBody.from_dict(data)

                return componentsschemas_error_body_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_2 = PlainErrorBody.from_dict(data)

            return componentsschemas_error_body_type_2

        response_500 = _parse_response_500(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedRAGResponse
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RAGRequest,
) -> Response[
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedRAGResponse
]:
    """Retrieval-augmented answer with citations

     Searches the document corpus and generates an answer grounded in the results, with
    citations. With `rag_generation_config.stream: true` the answer is a stream of
    Server-Sent Events (`text/event-stream`, chunked): `search_results` once, then `message`
    deltas with `citation` events right after the delta that completed a citation marker,
    then `final_answer`, then `done` whose data is the literal `[DONE]` (not JSON). Each event
    is `event: NAME`, one `data:` line of JSON, and a blank line. R2R also defines `thinking`,
    `tool_call`, `tool_result` and `error` events, and new names may appear. A server whose
    LLM fails after the search can end the stream without `final_answer` or `done`, still
    with status 200: that is not a complete answer. The payload schemas of the events are
    RAGSearchResultsEventData, RAGMessageEventData, Citation (for `citation`),
    RAGFinalAnswerEventData, RAGThinkingEventData, RAGToolCallEventData,
    RAGToolResultEventData and RAGErrorEventData.

    Divergence from the published pages: the request's `filters` is an object and `offset`
    an integer (published: strings), and the responses have real bodies (published:
    `{"key": "value"}`).

    Args:
        body (RAGRequest): The body of a RAG query: the question, how to search, and how to
            generate the answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedRAGResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: RAGRequest,
) -> (
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedRAGResponse
    | None
):
    """Retrieval-augmented answer with citations

     Searches the document corpus and generates an answer grounded in the results, with
    citations. With `rag_generation_config.stream: true` the answer is a stream of
    Server-Sent Events (`text/event-stream`, chunked): `search_results` once, then `message`
    deltas with `citation` events right after the delta that completed a citation marker,
    then `final_answer`, then `done` whose data is the literal `[DONE]` (not JSON). Each event
    is `event: NAME`, one `data:` line of JSON, and a blank line. R2R also defines `thinking`,
    `tool_call`, `tool_result` and `error` events, and new names may appear. A server whose
    LLM fails after the search can end the stream without `final_answer` or `done`, still
    with status 200: that is not a complete answer. The payload schemas of the events are
    RAGSearchResultsEventData, RAGMessageEventData, Citation (for `citation`),
    RAGFinalAnswerEventData, RAGThinkingEventData, RAGToolCallEventData,
    RAGToolResultEventData and RAGErrorEventData.

    Divergence from the published pages: the request's `filters` is an object and `offset`
    an integer (published: strings), and the responses have real bodies (published:
    `{"key": "value"}`).

    Args:
        body (RAGRequest): The body of a RAG query: the question, how to search, and how to
            generate the answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedRAGResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RAGRequest,
) -> Response[
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedRAGResponse
]:
    """Retrieval-augmented answer with citations

     Searches the document corpus and generates an answer grounded in the results, with
    citations. With `rag_generation_config.stream: true` the answer is a stream of
    Server-Sent Events (`text/event-stream`, chunked): `search_results` once, then `message`
    deltas with `citation` events right after the delta that completed a citation marker,
    then `final_answer`, then `done` whose data is the literal `[DONE]` (not JSON). Each event
    is `event: NAME`, one `data:` line of JSON, and a blank line. R2R also defines `thinking`,
    `tool_call`, `tool_result` and `error` events, and new names may appear. A server whose
    LLM fails after the search can end the stream without `final_answer` or `done`, still
    with status 200: that is not a complete answer. The payload schemas of the events are
    RAGSearchResultsEventData, RAGMessageEventData, Citation (for `citation`),
    RAGFinalAnswerEventData, RAGThinkingEventData, RAGToolCallEventData,
    RAGToolResultEventData and RAGErrorEventData.

    Divergence from the published pages: the request's `filters` is an object and `offset`
    an integer (published: strings), and the responses have real bodies (published:
    `{"key": "value"}`).

    Args:
        body (RAGRequest): The body of a RAG query: the question, how to search, and how to
            generate the answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedRAGResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RAGRequest,
) -> (
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedRAGResponse
    | None
):
    """Retrieval-augmented answer with citations

     Searches the document corpus and generates an answer grounded in the results, with
    citations. With `rag_generation_config.stream: true` the answer is a stream of
    Server-Sent Events (`text/event-stream`, chunked): `search_results` once, then `message`
    deltas with `citation` events right after the delta that completed a citation marker,
    then `final_answer`, then `done` whose data is the literal `[DONE]` (not JSON). Each event
    is `event: NAME`, one `data:` line of JSON, and a blank line. R2R also defines `thinking`,
    `tool_call`, `tool_result` and `error` events, and new names may appear. A server whose
    LLM fails after the search can end the stream without `final_answer` or `done`, still
    with status 200: that is not a complete answer. The payload schemas of the events are
    RAGSearchResultsEventData, RAGMessageEventData, Citation (for `citation`),
    RAGFinalAnswerEventData, RAGThinkingEventData, RAGToolCallEventData,
    RAGToolResultEventData and RAGErrorEventData.

    Divergence from the published pages: the request's `filters` is an object and `offset`
    an integer (published: strings), and the responses have real bodies (published:
    `{"key": "value"}`).

    Args:
        body (RAGRequest): The body of a RAG query: the question, how to search, and how to
            generate the answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedRAGResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

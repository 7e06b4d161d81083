from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.completion_request import CompletionRequest
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error_body import InternalErrorBody
from ...models.plain_error_body import PlainErrorBody
from ...models.r2r_error_body import R2RErrorBody
from ...models.wrapped_completion_response import WrappedCompletionResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CompletionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v3/retrieval/completion",
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
    | WrappedCompletionResponse
    | None
):
    content_type = response.headers.get("content-type", "")
    if content_type.lower().startswith("text/event-stream"):
        raise errors.StreamedResponseError(response.status_code, content_type)
    if response.status_code == 200:
        response_200 = WrappedCompletionResponse.from_dict(response.json())

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
    | WrappedCompletionResponse
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
    body: CompletionRequest,
) -> Response[
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedCompletionResponse
]:
    """Chat completion without retrieval

     Generates a completion for a list of messages, without any retrieval. The answer is an
    OpenAI-style `chat.completion`. R2R 3.6.6 cannot stream this endpoint, and needs
    `generation_config.model` in practice (without it the server answers 500).

    Divergence from the published pages: `messages` is an array (published: an object), and the
    response is a wrapped ChatCompletion (published: `{}`).

    Args:
        body (CompletionRequest): The body of a completion: the conversation and the LLM settings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedCompletionResponse]
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
    body: CompletionRequest,
) -> (
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedCompletionResponse
    | None
):
    """Chat completion without retrieval

     Generates a completion for a list of messages, without any retrieval. The answer is an
    OpenAI-style `chat.completion`. R2R 3.6.6 cannot stream this endpoint, and needs
    `generation_config.model` in practice (without it the server answers 500).

    Divergence from the published pages: `messages` is an array (published: an object), and the
    response is a wrapped ChatCompletion (published: `{}`).

    Args:
        body (CompletionRequest): The body of a completion: the conversation and the LLM settings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedCompletionResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CompletionRequest,
) -> Response[
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedCompletionResponse
]:
    """Chat completion without retrieval

     Generates a completion for a list of messages, without any retrieval. The answer is an
    OpenAI-style `chat.completion`. R2R 3.6.6 cannot stream this endpoint, and needs
    `generation_config.model` in practice (without it the server answers 500).

    Divergence from the published pages: `messages` is an array (published: an object), and the
    response is a wrapped ChatCompletion (published: `{}`).

    Args:
        body (CompletionRequest): The body of a completion: the conversation and the LLM settings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedCompletionResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CompletionRequest,
) -> (
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedCompletionResponse
    | None
):
    """Chat completion without retrieval

     Generates a completion for a list of messages, without any retrieval. The answer is an
    OpenAI-style `chat.completion`. R2R 3.6.6 cannot stream this endpoint, and needs
    `generation_config.model` in practice (without it the server answers 500).

    Divergence from the published pages: `messages` is an array (published: an object), and the
    response is a wrapped ChatCompletion (published: `{}`).

    Args:
        body (CompletionRequest): The body of a completion: the conversation and the LLM settings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedCompletionResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

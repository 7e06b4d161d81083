from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error_body import InternalErrorBody
from ...models.metadata_object import MetadataObject
from ...models.plain_error_body import PlainErrorBody
from ...models.r2r_error_body import R2RErrorBody
from ...models.wrapped_document_response import WrappedDocumentResponse
from ...types import Response


def _get_kwargs(
    id: UUID,
    *,
    body: list[MetadataObject],
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v3/documents/{id}/metadata".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = []
    for body_item_data in body:
        body_item = body_item_data.to_dict()
        _kwargs["json"].append(body_item)

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
    | WrappedDocumentResponse
    | None
):
    content_type = response.headers.get("content-type", "")
    if content_type.lower().startswith("text/event-stream"):
        raise errors.StreamedResponseError(response.status_code, content_type)
    if response.status_code == 200:
        response_200 = WrappedDocumentResponse.from_dict(response.json())

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
    | WrappedDocumentResponse
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: list[MetadataObject],
) -> Response[
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedDocumentResponse
]:
    """Replace a document's metadata

     Replaces the document's whole metadata. The body is a JSON array of objects, merged in
    order (later keys win); `[]` clears the metadata. Answers the full document.

    Divergence from the published pages: the published response schema is an untyped
    `results` object; the real answer is a DocumentResponse. The published `token`,
    `Authorization` and `x-api-key` header parameters are described as security schemes.

    Args:
        id (UUID):
        body (list[MetadataObject]): Metadata objects merged in order into the new metadata.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedDocumentResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: list[MetadataObject],
) -> (
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedDocumentResponse
    | None
):
    """Replace a document's metadata

     Replaces the document's whole metadata. The body is a JSON array of objects, merged in
    order (later keys win); `[]` clears the metadata. Answers the full document.

    Divergence from the published pages: the published response schema is an untyped
    `results` object; the real answer is a DocumentResponse. The published `token`,
    `Authorization` and `x-api-key` header parameters are described as security schemes.

    Args:
        id (UUID):
        body (list[MetadataObject]): Metadata objects merged in order into the new metadata.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedDocumentResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: list[MetadataObject],
) -> Response[
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedDocumentResponse
]:
    """Replace a document's metadata

     Replaces the document's whole metadata. The body is a JSON array of objects, merged in
    order (later keys win); `[]` clears the metadata. Answers the full document.

    Divergence from the published pages: the published response schema is an untyped
    `results` object; the real answer is a DocumentResponse. The published `token`,
    `Authorization` and `x-api-key` header parameters are described as security schemes.

    Args:
        id (UUID):
        body (list[MetadataObject]): Metadata objects merged in order into the new metadata.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedDocumentResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: list[MetadataObject],
) -> (
    HTTPValidationError
    | InternalErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | PlainErrorBody
    | R2RErrorBody
    | WrappedDocumentResponse
    | None
):
    """Replace a document's metadata

     Replaces the document's whole metadata. The body is a JSON array of objects, merged in
    order (later keys win); `[]` clears the metadata. Answers the full document.

    Divergence from the published pages: the published response schema is an untyped
    `results` object; the real answer is a DocumentResponse. The published `token`,
    `Authorization` and `x-api-key` header parameters are described as security schemes.

    Args:
        id (UUID):
        body (list[MetadataObject]): Metadata objects merged in order into the new metadata.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.StreamedResponseError: If the server answers with Server-Sent Events (read streams with r2r_client).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | InternalErrorBody | PlainErrorBody | R2RErrorBody | PlainErrorBody | R2RErrorBody | WrappedDocumentResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed

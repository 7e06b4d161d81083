from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DocumentResponse")


@_attrs_define
class DocumentResponse:
    """A document. Divergence from the published pages' example: several fields may be `null`."""

    id: UUID
    collection_ids: list[UUID]
    document_type: str
    """ e.g. `txt`, `pdf`, `md`. """
    metadata: MetadataObject
    """ A JSON object of metadata keys and values, stored by the server in PostgreSQL. Neither its
    keys nor any string inside its values may contain U+0000, which PostgreSQL cannot store
    (R2R answers such a body with 500).
     """
    version: str
    owner_id: None | Unset | UUID = UNSET
    title: None | str | Unset = UNSET
    size_in_bytes: int | None | Unset = UNSET
    ingestion_status: str | Unset = UNSET
    """ e.g. `pending`, `parsing`, `embedding`, `success`, `failed`. """
    extraction_status: str | Unset = UNSET
    """ e.g. `pending`, `processing`, `success`, `failed`. """
    created_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    ingestion_attempt_number: int | None | Unset = UNSET
    summary: None | str | Unset = UNSET
    summary_embedding: list[float] | None | Unset = UNSET
    total_tokens: int | None | Unset = UNSET
    chunks: list[DocumentChunk] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        collection_ids = []
        for collection_ids_item_data in self.collection_ids:
            collection_ids_item = str(collection_ids_item_data)
            collection_ids.append(collection_ids_item)

        document_type = self.document_type

        metadata = self.metadata.to_dict()

        version = self.version

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        elif isinstance(self.owner_id, UUID):
            owner_id = str(self.owner_id)
        else:
            owner_id = self.owner_id

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        size_in_bytes: int | None | Unset
        if isinstance(self.size_in_bytes, Unset):
            size_in_bytes = UNSET
        else:
            size_in_bytes = self.size_in_bytes

        ingestion_status = self.ingestion_status

        extraction_status = self.extraction_status

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        ingestion_attempt_number: int | None | Unset
        if isinstance(self.ingestion_attempt_number, Unset):
            ingestion_attempt_number = UNSET
        else:
            ingestion_attempt_number = self.ingestion_attempt_number

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

        summary_embedding: list[float] | None | Unset
        if isinstance(self.summary_embedding, Unset):
            summary_embedding = UNSET
        elif isinstance(self.summary_embedding, list):
            summary_embedding = self.summary_embedding

        else:
            summary_embedding = self.summary_embedding

        total_tokens: int | None | Unset
        if isinstance(self.total_tokens, Unset):
            total_tokens = UNSET
        else:
            total_tokens = self.total_tokens

        chunks: list[dict[str, Any]] | None | Unset
        if isinstance(self.chunks, Unset):
            chunks = UNSET
        elif isinstance(self.chunks, list):
            chunks = []
            for chunks_type_0_item_data in self.chunks:
                chunks_type_0_item = chunks_type_0_item_data.to_dict()
                chunks.append(chunks_type_0_item)

        else:
            chunks = self.chunks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "collection_ids": collection_ids,
                "document_type": document_type,
                "metadata": metadata,
                "version": version,
            }
        )
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id
        if title is not UNSET:
            field_dict["title"] = title
        if size_in_bytes is not UNSET:
            field_dict["size_in_bytes"] = size_in_bytes
        if ingestion_status is not UNSET:
            field_dict["ingestion_status"] = ingestion_status
        if extraction_status is not UNSET:
            field_dict["extraction_status"] = extraction_status
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if ingestion_attempt_number is not UNSET:
            field_dict["ingestion_attempt_number"] = ingestion_attempt_number
        if summary is not UNSET:
            field_dict["summary"] = summary
        if summary_embedding is not UNSET:
            field_dict["summary_embedding"] = summary_embedding
        if total_tokens is not UNSET:
            field_dict["total_tokens"] = total_tokens
        if chunks is not UNSET:
            field_dict["chunks"] = chunks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        collection_ids = []
        _collection_ids = d.pop("collection_ids")
        for collection_ids_item_data in _collection_ids:
            collection_ids_item = UUID(collection_ids_item_data)

            collection_ids.append(collection_ids_item)

        document_type = d.pop("document_type")

        metadata = MetadataObject.from_dict(d.pop("metadata"))

        version = d.pop("version")

        def _parse_owner_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                owner_id_type_0 = UUID(data)

                return owner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_size_in_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        size_in_bytes = _parse_size_in_bytes(d.pop("size_in_bytes", UNSET))

        ingestion_status = d.pop("ingestion_status", UNSET)

        extraction_status = d.pop("extraction_status", UNSET)

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        def _parse_ingestion_attempt_number(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ingestion_attempt_number = _parse_ingestion_attempt_number(
            d.pop("ingestion_attempt_number", UNSET)
        )

        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        def _parse_summary_embedding(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                summary_embedding_type_0 = cast(list[float], data)

                return summary_embedding_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        summary_embedding = _parse_summary_embedding(d.pop("summary_embedding", UNSET))

        def _parse_total_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_tokens = _parse_total_tokens(d.pop("total_tokens", UNSET))

        def _parse_chunks(data: object) -> list[DocumentChunk] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                chunks_type_0 = []
                _chunks_type_0 = data
                for chunks_type_0_item_data in _chunks_type_0:
                    chunks_type_0_item = DocumentChunk.from_dict(chunks_type_0_item_data)

                    chunks_type_0.append(chunks_type_0_item)

                return chunks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[DocumentChunk] | None | Unset, data)

        chunks = _parse_chunks(d.pop("chunks", UNSET))

        document_response = cls(
            id=id,
            collection_ids=collection_ids,
            document_type=document_type,
            metadata=metadata,
            version=version,
            owner_id=owner_id,
            title=title,
            size_in_bytes=size_in_bytes,
            ingestion_status=ingestion_status,
            extraction_status=extraction_status,
            created_at=created_at,
            updated_at=updated_at,
            ingestion_attempt_number=ingestion_attempt_number,
            summary=summary,
            summary_embedding=summary_embedding,
            total_tokens=total_tokens,
            chunks=chunks,
        )

        document_response.additional_properties = d
        return document_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# The models named in this one's code and annotations, imported last because models refer to
# each other: typing.get_type_hints (and attrs.resolve_types) resolve every annotation at run
# time, and to_dict/from_dict find them as globals instead of importing them on every call.
from ..models.document_chunk import DocumentChunk  # noqa: E402
from ..models.metadata_object import MetadataObject  # noqa: E402

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GraphSearchResult")


@_attrs_define
class GraphSearchResult:
    """A knowledge-graph result: an entity, relationship or community."""

    content: GraphSearchContent
    """ An entity (`name`, `description`), relationship (`subject`, `predicate`, `object`) or community (`name`,
    `summary`). """
    result_type: None | str | Unset = UNSET
    """ `entity`, `relationship` or `community`. """
    chunk_ids: list[UUID] | None | Unset = UNSET
    metadata: MetadataObject | Unset = UNSET
    """ A JSON object of metadata keys and values, stored by the server in PostgreSQL. Neither its
    keys nor any string inside its values may contain U+0000, which PostgreSQL cannot store
    (R2R answers such a body with 500).
     """
    score: float | None | Unset = UNSET
    id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content = self.content.to_dict()

        result_type: None | str | Unset
        if isinstance(self.result_type, Unset):
            result_type = UNSET
        else:
            result_type = self.result_type

        chunk_ids: list[str] | None | Unset
        if isinstance(self.chunk_ids, Unset):
            chunk_ids = UNSET
        elif isinstance(self.chunk_ids, list):
            chunk_ids = []
            for chunk_ids_type_0_item_data in self.chunk_ids:
                chunk_ids_type_0_item = str(chunk_ids_type_0_item_data)
                chunk_ids.append(chunk_ids_type_0_item)

        else:
            chunk_ids = self.chunk_ids

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        score: float | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content": content,
            }
        )
        if result_type is not UNSET:
            field_dict["result_type"] = result_type
        if chunk_ids is not UNSET:
            field_dict["chunk_ids"] = chunk_ids
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if score is not UNSET:
            field_dict["score"] = score
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content = GraphSearchContent.from_dict(d.pop("content"))

        def _parse_result_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        result_type = _parse_result_type(d.pop("result_type", UNSET))

        def _parse_chunk_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                chunk_ids_type_0 = []
                _chunk_ids_type_0 = data
                for chunk_ids_type_0_item_data in _chunk_ids_type_0:
                    chunk_ids_type_0_item = UUID(chunk_ids_type_0_item_data)

                    chunk_ids_type_0.append(chunk_ids_type_0_item)

                return chunk_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        chunk_ids = _parse_chunk_ids(d.pop("chunk_ids", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: MetadataObject | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = MetadataObject.from_dict(_metadata)

        def _parse_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        graph_search_result = cls(
            content=content,
            result_type=result_type,
            chunk_ids=chunk_ids,
            metadata=metadata,
            score=score,
            id=id,
        )

        graph_search_result.additional_properties = d
        return graph_search_result

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
from ..models.graph_search_content import GraphSearchContent  # noqa: E402
from ..models.metadata_object import MetadataObject  # noqa: E402

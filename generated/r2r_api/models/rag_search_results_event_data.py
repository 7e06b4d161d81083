from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RAGSearchResultsEventData")


@_attrs_define
class RAGSearchResultsEventData:
    """Data of the `search_results` event."""

    data: AggregateSearchResult
    """ All search results. In the JSON answer absent kinds are `null`; in the `search_results`
    stream event they are `[]`.
     """
    id: str | Unset = UNSET
    object_: str | Unset = UNSET
    """ Always `rag.search_results`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        id = self.id

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = AggregateSearchResult.from_dict(d.pop("data"))

        id = d.pop("id", UNSET)

        object_ = d.pop("object", UNSET)

        rag_search_results_event_data = cls(
            data=data,
            id=id,
            object_=object_,
        )

        rag_search_results_event_data.additional_properties = d
        return rag_search_results_event_data

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
from ..models.aggregate_search_result import AggregateSearchResult  # noqa: E402

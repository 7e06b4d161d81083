from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GraphSearchLimits")


@_attrs_define
class GraphSearchLimits:
    """Maximum results per graph result type: PostgreSQL LIMITs (0 to the bigint maximum; a
    negative one fails with 500). Other keys are ignored.

    """

    entities: int | Unset = UNSET
    relationships: int | Unset = UNSET
    communities: int | Unset = UNSET
    additional_properties: dict[str, int] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entities = self.entities

        relationships = self.relationships

        communities = self.communities

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if entities is not UNSET:
            field_dict["entities"] = entities
        if relationships is not UNSET:
            field_dict["relationships"] = relationships
        if communities is not UNSET:
            field_dict["communities"] = communities

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entities = d.pop("entities", UNSET)

        relationships = d.pop("relationships", UNSET)

        communities = d.pop("communities", UNSET)

        graph_search_limits = cls(
            entities=entities,
            relationships=relationships,
            communities=communities,
        )

        graph_search_limits.additional_properties = d
        return graph_search_limits

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> int:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: int) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

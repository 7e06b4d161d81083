from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.index_measure import IndexMeasure
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChunkSearchSettings")


@_attrs_define
class ChunkSearchSettings:
    """Server defaults: index_measure cosine_distance, probes 10, ef_search 40, enabled true.
    Divergence from the published pages: the default index_measure is `cosine_distance`
    (published: `l2_distance`).

    """

    index_measure: IndexMeasure | Unset = UNSET
    """ The distance measure of the vector index. """
    probes: int | Unset = UNSET
    ef_search: int | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index_measure: str | Unset = UNSET
        if not isinstance(self.index_measure, Unset):
            index_measure = self.index_measure.value

        probes = self.probes

        ef_search = self.ef_search

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if index_measure is not UNSET:
            field_dict["index_measure"] = index_measure
        if probes is not UNSET:
            field_dict["probes"] = probes
        if ef_search is not UNSET:
            field_dict["ef_search"] = ef_search
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _index_measure = d.pop("index_measure", UNSET)
        index_measure: IndexMeasure | Unset
        if isinstance(_index_measure, Unset):
            index_measure = UNSET
        else:
            index_measure = IndexMeasure(_index_measure)

        probes = d.pop("probes", UNSET)

        ef_search = d.pop("ef_search", UNSET)

        enabled = d.pop("enabled", UNSET)

        chunk_search_settings = cls(
            index_measure=index_measure,
            probes=probes,
            ef_search=ef_search,
            enabled=enabled,
        )

        chunk_search_settings.additional_properties = d
        return chunk_search_settings

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="HybridSearchSettings")


@_attrs_define
class HybridSearchSettings:
    """Server defaults: full_text_weight 1.0, semantic_weight 5.0, full_text_limit 200, rrf_k 50."""

    full_text_weight: float | Unset = UNSET
    semantic_weight: float | Unset = UNSET
    full_text_limit: int | Unset = UNSET
    """ The PostgreSQL LIMIT (bigint) of full-text search, also when it runs alone; hybrid
    search also needs it >= `limit`.
     """
    rrf_k: int | Unset = UNSET
    """ Reciprocal-rank-fusion constant: a result's score is 1 / (rrf_k + rank). A negative
    value fails (500, division by zero) as soon as -rrf_k is the rank of a result.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        full_text_weight = self.full_text_weight

        semantic_weight = self.semantic_weight

        full_text_limit = self.full_text_limit

        rrf_k = self.rrf_k

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if full_text_weight is not UNSET:
            field_dict["full_text_weight"] = full_text_weight
        if semantic_weight is not UNSET:
            field_dict["semantic_weight"] = semantic_weight
        if full_text_limit is not UNSET:
            field_dict["full_text_limit"] = full_text_limit
        if rrf_k is not UNSET:
            field_dict["rrf_k"] = rrf_k

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        full_text_weight = d.pop("full_text_weight", UNSET)

        semantic_weight = d.pop("semantic_weight", UNSET)

        full_text_limit = d.pop("full_text_limit", UNSET)

        rrf_k = d.pop("rrf_k", UNSET)

        hybrid_search_settings = cls(
            full_text_weight=full_text_weight,
            semantic_weight=semantic_weight,
            full_text_limit=full_text_limit,
            rrf_k=rrf_k,
        )

        hybrid_search_settings.additional_properties = d
        return hybrid_search_settings

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

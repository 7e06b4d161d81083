from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CitationSpan")


@_attrs_define
class CitationSpan:
    """Where a citation marker stands in the answer. Streamed events use `start`/`end`; R2R's
    JSON model names them `start_index`/`end_index` with optional context bounds.

    """

    start: int | Unset = UNSET
    end: int | Unset = UNSET
    start_index: int | Unset = UNSET
    end_index: int | Unset = UNSET
    context_start: int | None | Unset = UNSET
    context_end: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start = self.start

        end = self.end

        start_index = self.start_index

        end_index = self.end_index

        context_start: int | None | Unset
        if isinstance(self.context_start, Unset):
            context_start = UNSET
        else:
            context_start = self.context_start

        context_end: int | None | Unset
        if isinstance(self.context_end, Unset):
            context_end = UNSET
        else:
            context_end = self.context_end

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if start is not UNSET:
            field_dict["start"] = start
        if end is not UNSET:
            field_dict["end"] = end
        if start_index is not UNSET:
            field_dict["start_index"] = start_index
        if end_index is not UNSET:
            field_dict["end_index"] = end_index
        if context_start is not UNSET:
            field_dict["context_start"] = context_start
        if context_end is not UNSET:
            field_dict["context_end"] = context_end

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start = d.pop("start", UNSET)

        end = d.pop("end", UNSET)

        start_index = d.pop("start_index", UNSET)

        end_index = d.pop("end_index", UNSET)

        def _parse_context_start(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        context_start = _parse_context_start(d.pop("context_start", UNSET))

        def _parse_context_end(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        context_end = _parse_context_end(d.pop("context_end", UNSET))

        citation_span = cls(
            start=start,
            end=end,
            start_index=start_index,
            end_index=end_index,
            context_start=context_start,
            context_end=context_end,
        )

        citation_span.additional_properties = d
        return citation_span

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

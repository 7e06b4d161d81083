from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GraphSearchSettings")


@_attrs_define
class GraphSearchSettings:
    """Knowledge-graph search settings."""

    limits: GraphSearchLimits | Unset = UNSET
    """ Maximum results per graph result type: PostgreSQL LIMITs (0 to the bigint maximum; a
    negative one fails with 500). Other keys are ignored.
     """
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if limits is not UNSET:
            field_dict["limits"] = limits
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _limits = d.pop("limits", UNSET)
        limits: GraphSearchLimits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = GraphSearchLimits.from_dict(_limits)

        enabled = d.pop("enabled", UNSET)

        graph_search_settings = cls(
            limits=limits,
            enabled=enabled,
        )

        graph_search_settings.additional_properties = d
        return graph_search_settings

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
from ..models.graph_search_limits import GraphSearchLimits  # noqa: E402

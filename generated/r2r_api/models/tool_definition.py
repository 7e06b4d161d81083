from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T", bound="ToolDefinition")


class ToolDefinition(dict[str, Any]):
    """A tool the model may call (OpenAI style, free-form)."""

    __slots__ = ()

    @property
    def additional_properties(self) -> dict[str, Any]:
        """The keys and values: this object itself, which is a dict."""
        return self

    @additional_properties.setter
    def additional_properties(self, value: Mapping[str, Any]) -> None:
        if value is not self:
            self.clear()
            self.update(value)

    @property
    def additional_keys(self) -> list[str]:
        return list(self)

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        return cls(src_dict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"

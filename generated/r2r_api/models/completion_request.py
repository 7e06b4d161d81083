from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompletionRequest")


@_attrs_define
class CompletionRequest:
    messages: list[Message]
    """ The conversation. Divergence from the published pages: an array (published: an object). """
    generation_config: GenerationConfig | Unset = UNSET
    """ LLM settings. Keys the server does not know are silently dropped by it. Server defaults:
    temperature 0.1, top_p 1.0, max_tokens_to_sample 1024, stream false.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        generation_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.generation_config, Unset):
            generation_config = self.generation_config.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messages": messages,
            }
        )
        if generation_config is not UNSET:
            field_dict["generation_config"] = generation_config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generation_config import GenerationConfig  # noqa: PLC0415
        from ..models.message import Message  # noqa: PLC0415

        d = dict(src_dict)
        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = Message.from_dict(messages_item_data)

            messages.append(messages_item)

        _generation_config = d.pop("generation_config", UNSET)
        generation_config: GenerationConfig | Unset
        if isinstance(_generation_config, Unset):
            generation_config = UNSET
        else:
            generation_config = GenerationConfig.from_dict(_generation_config)

        completion_request = cls(
            messages=messages,
            generation_config=generation_config,
        )

        completion_request.additional_properties = d
        return completion_request

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


# The models named in this one's annotations, imported last because models refer to each other:
# typing.get_type_hints (and attrs.resolve_types) resolve every annotation at run time.
from ..models.generation_config import GenerationConfig  # noqa: E402
from ..models.message import Message  # noqa: E402

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompletionRequest")


@_attrs_define
class CompletionRequest:
    """The body of a completion: the conversation and the LLM settings."""

    messages: list[Message]
    """ The conversation, as messages such as `{"role": "user", "content": "..."}`; at least
    one. Divergence from the published pages: an array (published: an object).
     """
    generation_config: CompletionGenerationConfig | None | Unset = UNSET
    """ LLM settings (`model`, `temperature`, `max_tokens`, ...); null is the same as absent.
    R2R 3.6.6 has no default model for this endpoint (without `model` it answers 500), and
    cannot stream it (`stream: true` fails with 500).
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        generation_config: dict[str, Any] | None | Unset
        if isinstance(self.generation_config, Unset):
            generation_config = UNSET
        elif isinstance(self.generation_config, CompletionGenerationConfig):
            generation_config = self.generation_config.to_dict()
        else:
            generation_config = self.generation_config

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
        d = dict(src_dict)
        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = Message.from_dict(messages_item_data)

            messages.append(messages_item)

        def _parse_generation_config(data: object) -> CompletionGenerationConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                generation_config_type_0 = CompletionGenerationConfig.from_dict(data)

                return generation_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CompletionGenerationConfig | None | Unset, data)

        generation_config = _parse_generation_config(d.pop("generation_config", UNSET))

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


# The models named in this one's code and annotations, imported last because models refer to
# each other: typing.get_type_hints (and attrs.resolve_types) resolve every annotation at run
# time, and to_dict/from_dict find them as globals instead of importing them on every call.
from ..models.completion_generation_config import CompletionGenerationConfig  # noqa: E402
from ..models.message import Message  # noqa: E402

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompletionGenerationConfig")


@_attrs_define
class CompletionGenerationConfig:
    """GenerationConfig without streaming (the completion endpoint cannot stream)."""

    model: None | str | Unset = UNSET
    """ LiteLLM model name, e.g. `openai/gpt-4.1-mini`. """
    temperature: float | Unset = UNSET
    top_p: float | None | Unset = UNSET
    max_tokens_to_sample: int | Unset = UNSET
    """ Maximum number of tokens to generate. Wins over `max_tokens` if both are sent. """
    max_tokens: int | Unset = UNSET
    """ Alias of `max_tokens_to_sample`, accepted by the server. Divergence from the published
    pages: their schema lists only `max_tokens_to_sample`, their examples use `max_tokens`.
     """
    stream: bool | Unset = UNSET
    """ R2R 3.6.6 cannot stream completions (`true` fails with 500). """
    functions: list[FunctionDefinition] | None | Unset = UNSET
    tools: list[ToolDefinition] | None | Unset = UNSET
    add_generation_kwargs: GenerationKwargs | None | Unset = UNSET
    """ Divergence from the published pages: an object (published: an array). """
    api_base: None | str | Unset = UNSET
    response_format: None | ResponseFormat | Unset = UNSET
    """ Divergence from the published pages: an object (published: an array). """
    extended_thinking: bool | Unset = UNSET
    """ Extended thinking mode (Anthropic providers). """
    thinking_budget: int | None | Unset = UNSET
    reasoning_effort: None | str | Unset = UNSET
    """ `low`, `medium` or `high` (OpenAI providers). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        temperature = self.temperature

        top_p: float | None | Unset
        if isinstance(self.top_p, Unset):
            top_p = UNSET
        else:
            top_p = self.top_p

        max_tokens_to_sample = self.max_tokens_to_sample

        max_tokens = self.max_tokens

        stream = self.stream

        functions: list[dict[str, Any]] | None | Unset
        if isinstance(self.functions, Unset):
            functions = UNSET
        elif isinstance(self.functions, list):
            functions = []
            for functions_type_0_item_data in self.functions:
                functions_type_0_item = functions_type_0_item_data.to_dict()
                functions.append(functions_type_0_item)

        else:
            functions = self.functions

        tools: list[dict[str, Any]] | None | Unset
        if isinstance(self.tools, Unset):
            tools = UNSET
        elif isinstance(self.tools, list):
            tools = []
            for tools_type_0_item_data in self.tools:
                tools_type_0_item = tools_type_0_item_data.to_dict()
                tools.append(tools_type_0_item)

        else:
            tools = self.tools

        add_generation_kwargs: dict[str, Any] | None | Unset
        if isinstance(self.add_generation_kwargs, Unset):
            add_generation_kwargs = UNSET
        elif isinstance(self.add_generation_kwargs, GenerationKwargs):
            add_generation_kwargs = self.add_generation_kwargs.to_dict()
        else:
            add_generation_kwargs = self.add_generation_kwargs

        api_base: None | str | Unset
        if isinstance(self.api_base, Unset):
            api_base = UNSET
        else:
            api_base = self.api_base

        response_format: dict[str, Any] | None | Unset
        if isinstance(self.response_format, Unset):
            response_format = UNSET
        elif isinstance(self.response_format, ResponseFormat):
            response_format = self.response_format.to_dict()
        else:
            response_format = self.response_format

        extended_thinking = self.extended_thinking

        thinking_budget: int | None | Unset
        if isinstance(self.thinking_budget, Unset):
            thinking_budget = UNSET
        else:
            thinking_budget = self.thinking_budget

        reasoning_effort: None | str | Unset
        if isinstance(self.reasoning_effort, Unset):
            reasoning_effort = UNSET
        else:
            reasoning_effort = self.reasoning_effort

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if max_tokens_to_sample is not UNSET:
            field_dict["max_tokens_to_sample"] = max_tokens_to_sample
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if stream is not UNSET:
            field_dict["stream"] = stream
        if functions is not UNSET:
            field_dict["functions"] = functions
        if tools is not UNSET:
            field_dict["tools"] = tools
        if add_generation_kwargs is not UNSET:
            field_dict["add_generation_kwargs"] = add_generation_kwargs
        if api_base is not UNSET:
            field_dict["api_base"] = api_base
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if extended_thinking is not UNSET:
            field_dict["extended_thinking"] = extended_thinking
        if thinking_budget is not UNSET:
            field_dict["thinking_budget"] = thinking_budget
        if reasoning_effort is not UNSET:
            field_dict["reasoning_effort"] = reasoning_effort

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        temperature = d.pop("temperature", UNSET)

        def _parse_top_p(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        top_p = _parse_top_p(d.pop("top_p", UNSET))

        max_tokens_to_sample = d.pop("max_tokens_to_sample", UNSET)

        max_tokens = d.pop("max_tokens", UNSET)

        stream = d.pop("stream", UNSET)

        def _parse_functions(data: object) -> list[FunctionDefinition] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                functions_type_0 = []
                _functions_type_0 = data
                for functions_type_0_item_data in _functions_type_0:
                    functions_type_0_item = FunctionDefinition.from_dict(functions_type_0_item_data)

                    functions_type_0.append(functions_type_0_item)

                return functions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FunctionDefinition] | None | Unset, data)

        functions = _parse_functions(d.pop("functions", UNSET))

        def _parse_tools(data: object) -> list[ToolDefinition] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tools_type_0 = []
                _tools_type_0 = data
                for tools_type_0_item_data in _tools_type_0:
                    tools_type_0_item = ToolDefinition.from_dict(tools_type_0_item_data)

                    tools_type_0.append(tools_type_0_item)

                return tools_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ToolDefinition] | None | Unset, data)

        tools = _parse_tools(d.pop("tools", UNSET))

        def _parse_add_generation_kwargs(data: object) -> GenerationKwargs | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                add_generation_kwargs_type_0 = GenerationKwargs.from_dict(data)

                return add_generation_kwargs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GenerationKwargs | None | Unset, data)

        add_generation_kwargs = _parse_add_generation_kwargs(d.pop("add_generation_kwargs", UNSET))

        def _parse_api_base(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_base = _parse_api_base(d.pop("api_base", UNSET))

        def _parse_response_format(data: object) -> None | ResponseFormat | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_format_type_0 = ResponseFormat.from_dict(data)

                return response_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResponseFormat | Unset, data)

        response_format = _parse_response_format(d.pop("response_format", UNSET))

        extended_thinking = d.pop("extended_thinking", UNSET)

        def _parse_thinking_budget(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        thinking_budget = _parse_thinking_budget(d.pop("thinking_budget", UNSET))

        def _parse_reasoning_effort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reasoning_effort = _parse_reasoning_effort(d.pop("reasoning_effort", UNSET))

        completion_generation_config = cls(
            model=model,
            temperature=temperature,
            top_p=top_p,
            max_tokens_to_sample=max_tokens_to_sample,
            max_tokens=max_tokens,
            stream=stream,
            functions=functions,
            tools=tools,
            add_generation_kwargs=add_generation_kwargs,
            api_base=api_base,
            response_format=response_format,
            extended_thinking=extended_thinking,
            thinking_budget=thinking_budget,
            reasoning_effort=reasoning_effort,
        )

        completion_generation_config.additional_properties = d
        return completion_generation_config

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
from ..models.function_definition import FunctionDefinition  # noqa: E402
from ..models.generation_kwargs import GenerationKwargs  # noqa: E402
from ..models.response_format import ResponseFormat  # noqa: E402
from ..models.tool_definition import ToolDefinition  # noqa: E402

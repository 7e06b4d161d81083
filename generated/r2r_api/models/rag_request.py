from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.search_mode import SearchMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="RAGRequest")


@_attrs_define
class RAGRequest:
    """The body of a RAG query: the question, how to search, and how to generate the answer."""

    query: str
    """ The user's question. It may not contain U+0000 (full-text and hybrid search send it to
    PostgreSQL, which answers 500).
     """
    search_mode: None | SearchMode | Unset = UNSET
    """ `basic`, `advanced` or `custom` (the server's default): presets that
    `search_settings` overrides. Null is the same as absent.
     """
    search_settings: None | SearchSettings | Unset = UNSET
    """ How to search: `limit`, `offset`, `filters`, hybrid, chunk and graph settings. Null is
    the same as absent.
     """
    rag_generation_config: GenerationConfig | None | Unset = UNSET
    """ LLM settings (`model`, `temperature`, `max_tokens`, `stream`, ...). Null is the same as
    absent.
     """
    task_prompt: None | str | Unset = UNSET
    """ A prompt template replacing the default. The server fills it in with Python's
    `str.format(query=..., context=...)`: `{query}` and `{context}` are replaced, other
    names leave the template as written, literal braces are written `{{` and `}}`; a
    positional `{}`, a lone brace or an attribute of `query`/`context` fails with 500
    (the client refuses those before sending).
     """
    include_title_if_available: bool | None | Unset = UNSET
    """ Include document titles in the context (server default false; null is the same). """
    include_web_search: bool | None | Unset = UNSET
    """ Include web search results (server default false; null is the same). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        query = self.query

        search_mode: None | str | Unset
        if isinstance(self.search_mode, Unset):
            search_mode = UNSET
        elif isinstance(self.search_mode, SearchMode):
            search_mode = self.search_mode.value
        else:
            search_mode = self.search_mode

        search_settings: dict[str, Any] | None | Unset
        if isinstance(self.search_settings, Unset):
            search_settings = UNSET
        elif isinstance(self.search_settings, SearchSettings):
            search_settings = self.search_settings.to_dict()
        else:
            search_settings = self.search_settings

        rag_generation_config: dict[str, Any] | None | Unset
        if isinstance(self.rag_generation_config, Unset):
            rag_generation_config = UNSET
        elif isinstance(self.rag_generation_config, GenerationConfig):
            rag_generation_config = self.rag_generation_config.to_dict()
        else:
            rag_generation_config = self.rag_generation_config

        task_prompt: None | str | Unset
        if isinstance(self.task_prompt, Unset):
            task_prompt = UNSET
        else:
            task_prompt = self.task_prompt

        include_title_if_available: bool | None | Unset
        if isinstance(self.include_title_if_available, Unset):
            include_title_if_available = UNSET
        else:
            include_title_if_available = self.include_title_if_available

        include_web_search: bool | None | Unset
        if isinstance(self.include_web_search, Unset):
            include_web_search = UNSET
        else:
            include_web_search = self.include_web_search

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "query": query,
            }
        )
        if search_mode is not UNSET:
            field_dict["search_mode"] = search_mode
        if search_settings is not UNSET:
            field_dict["search_settings"] = search_settings
        if rag_generation_config is not UNSET:
            field_dict["rag_generation_config"] = rag_generation_config
        if task_prompt is not UNSET:
            field_dict["task_prompt"] = task_prompt
        if include_title_if_available is not UNSET:
            field_dict["include_title_if_available"] = include_title_if_available
        if include_web_search is not UNSET:
            field_dict["include_web_search"] = include_web_search

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        query = d.pop("query")

        def _parse_search_mode(data: object) -> None | SearchMode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                search_mode_type_0 = SearchMode(data)

                return search_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SearchMode | Unset, data)

        search_mode = _parse_search_mode(d.pop("search_mode", UNSET))

        def _parse_search_settings(data: object) -> None | SearchSettings | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                search_settings_type_0 = SearchSettings.from_dict(data)

                return search_settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SearchSettings | Unset, data)

        search_settings = _parse_search_settings(d.pop("search_settings", UNSET))

        def _parse_rag_generation_config(data: object) -> GenerationConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rag_generation_config_type_0 = GenerationConfig.from_dict(data)

                return rag_generation_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GenerationConfig | None | Unset, data)

        rag_generation_config = _parse_rag_generation_config(d.pop("rag_generation_config", UNSET))

        def _parse_task_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        task_prompt = _parse_task_prompt(d.pop("task_prompt", UNSET))

        def _parse_include_title_if_available(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        include_title_if_available = _parse_include_title_if_available(
            d.pop("include_title_if_available", UNSET)
        )

        def _parse_include_web_search(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        include_web_search = _parse_include_web_search(d.pop("include_web_search", UNSET))

        rag_request = cls(
            query=query,
            search_mode=search_mode,
            search_settings=search_settings,
            rag_generation_config=rag_generation_config,
            task_prompt=task_prompt,
            include_title_if_available=include_title_if_available,
            include_web_search=include_web_search,
        )

        rag_request.additional_properties = d
        return rag_request

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
from ..models.generation_config import GenerationConfig  # noqa: E402
from ..models.search_settings import SearchSettings  # noqa: E402

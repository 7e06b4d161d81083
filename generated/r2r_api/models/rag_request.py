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
    query: str
    """ The user's question. """
    search_mode: SearchMode | Unset = UNSET
    """ `custom` (the server's default) uses `search_settings` as given; `basic` and `advanced`
    start from preset settings that `search_settings` overrides.
     """
    search_settings: SearchSettings | Unset = UNSET
    """ Search configuration. Server defaults: semantic search only, limit 10, offset 0,
    include_metadatas and include_scores true, search_strategy vanilla, num_sub_queries 5.
     """
    rag_generation_config: GenerationConfig | Unset = UNSET
    """ LLM settings. Keys the server does not know are silently dropped by it. Server defaults:
    temperature 0.1, top_p 1.0, max_tokens_to_sample 1024, stream false.
     """
    task_prompt: None | str | Unset = UNSET
    """ A prompt template with `{query}` and `{context}` placeholders, replacing the default. """
    include_title_if_available: bool | Unset = UNSET
    """ Include document titles in the context (server default false). """
    include_web_search: bool | Unset = UNSET
    """ Include web search results (server default false). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        query = self.query

        search_mode: str | Unset = UNSET
        if not isinstance(self.search_mode, Unset):
            search_mode = self.search_mode.value

        search_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.search_settings, Unset):
            search_settings = self.search_settings.to_dict()

        rag_generation_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.rag_generation_config, Unset):
            rag_generation_config = self.rag_generation_config.to_dict()

        task_prompt: None | str | Unset
        if isinstance(self.task_prompt, Unset):
            task_prompt = UNSET
        else:
            task_prompt = self.task_prompt

        include_title_if_available = self.include_title_if_available

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
        from ..models.generation_config import GenerationConfig  # noqa: PLC0415
        from ..models.search_settings import SearchSettings  # noqa: PLC0415

        d = dict(src_dict)
        query = d.pop("query")

        _search_mode = d.pop("search_mode", UNSET)
        search_mode: SearchMode | Unset
        if isinstance(_search_mode, Unset):
            search_mode = UNSET
        else:
            search_mode = SearchMode(_search_mode)

        _search_settings = d.pop("search_settings", UNSET)
        search_settings: SearchSettings | Unset
        if isinstance(_search_settings, Unset):
            search_settings = UNSET
        else:
            search_settings = SearchSettings.from_dict(_search_settings)

        _rag_generation_config = d.pop("rag_generation_config", UNSET)
        rag_generation_config: GenerationConfig | Unset
        if isinstance(_rag_generation_config, Unset):
            rag_generation_config = UNSET
        else:
            rag_generation_config = GenerationConfig.from_dict(_rag_generation_config)

        def _parse_task_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        task_prompt = _parse_task_prompt(d.pop("task_prompt", UNSET))

        include_title_if_available = d.pop("include_title_if_available", UNSET)

        include_web_search = d.pop("include_web_search", UNSET)

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


# The models named in this one's annotations, imported last because models refer to each other:
# typing.get_type_hints (and attrs.resolve_types) resolve every annotation at run time.
from ..models.generation_config import GenerationConfig  # noqa: E402
from ..models.search_settings import SearchSettings  # noqa: E402

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebSearchResult")


@_attrs_define
class WebSearchResult:
    """The results of one web search."""

    organic_results: list[WebPageSearchResult] | Unset = UNSET
    related_searches: list[WebSearchExtra] | Unset = UNSET
    people_also_ask: list[WebSearchExtra] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organic_results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.organic_results, Unset):
            organic_results = []
            for organic_results_item_data in self.organic_results:
                organic_results_item = organic_results_item_data.to_dict()
                organic_results.append(organic_results_item)

        related_searches: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.related_searches, Unset):
            related_searches = []
            for related_searches_item_data in self.related_searches:
                related_searches_item = related_searches_item_data.to_dict()
                related_searches.append(related_searches_item)

        people_also_ask: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.people_also_ask, Unset):
            people_also_ask = []
            for people_also_ask_item_data in self.people_also_ask:
                people_also_ask_item = people_also_ask_item_data.to_dict()
                people_also_ask.append(people_also_ask_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if organic_results is not UNSET:
            field_dict["organic_results"] = organic_results
        if related_searches is not UNSET:
            field_dict["related_searches"] = related_searches
        if people_also_ask is not UNSET:
            field_dict["people_also_ask"] = people_also_ask

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _organic_results = d.pop("organic_results", UNSET)
        organic_results: list[WebPageSearchResult] | Unset = UNSET
        if _organic_results is not UNSET:
            organic_results = []
            for organic_results_item_data in _organic_results:
                organic_results_item = WebPageSearchResult.from_dict(organic_results_item_data)

                organic_results.append(organic_results_item)

        _related_searches = d.pop("related_searches", UNSET)
        related_searches: list[WebSearchExtra] | Unset = UNSET
        if _related_searches is not UNSET:
            related_searches = []
            for related_searches_item_data in _related_searches:
                related_searches_item = WebSearchExtra.from_dict(related_searches_item_data)

                related_searches.append(related_searches_item)

        _people_also_ask = d.pop("people_also_ask", UNSET)
        people_also_ask: list[WebSearchExtra] | Unset = UNSET
        if _people_also_ask is not UNSET:
            people_also_ask = []
            for people_also_ask_item_data in _people_also_ask:
                people_also_ask_item = WebSearchExtra.from_dict(people_also_ask_item_data)

                people_also_ask.append(people_also_ask_item)

        web_search_result = cls(
            organic_results=organic_results,
            related_searches=related_searches,
            people_also_ask=people_also_ask,
        )

        web_search_result.additional_properties = d
        return web_search_result

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
from ..models.web_page_search_result import WebPageSearchResult  # noqa: E402
from ..models.web_search_extra import WebSearchExtra  # noqa: E402

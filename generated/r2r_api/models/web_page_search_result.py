from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebPageSearchResult")


@_attrs_define
class WebPageSearchResult:
    """A web page found by web search."""

    title: None | str | Unset = UNSET
    link: None | str | Unset = UNSET
    snippet: None | str | Unset = UNSET
    position: int | Unset = UNSET
    type_: str | Unset = UNSET
    date: None | str | Unset = UNSET
    sitelinks: list[WebSitelink] | None | Unset = UNSET
    id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        link: None | str | Unset
        if isinstance(self.link, Unset):
            link = UNSET
        else:
            link = self.link

        snippet: None | str | Unset
        if isinstance(self.snippet, Unset):
            snippet = UNSET
        else:
            snippet = self.snippet

        position = self.position

        type_ = self.type_

        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        else:
            date = self.date

        sitelinks: list[dict[str, Any]] | None | Unset
        if isinstance(self.sitelinks, Unset):
            sitelinks = UNSET
        elif isinstance(self.sitelinks, list):
            sitelinks = []
            for sitelinks_type_0_item_data in self.sitelinks:
                sitelinks_type_0_item = sitelinks_type_0_item_data.to_dict()
                sitelinks.append(sitelinks_type_0_item)

        else:
            sitelinks = self.sitelinks

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if title is not UNSET:
            field_dict["title"] = title
        if link is not UNSET:
            field_dict["link"] = link
        if snippet is not UNSET:
            field_dict["snippet"] = snippet
        if position is not UNSET:
            field_dict["position"] = position
        if type_ is not UNSET:
            field_dict["type"] = type_
        if date is not UNSET:
            field_dict["date"] = date
        if sitelinks is not UNSET:
            field_dict["sitelinks"] = sitelinks
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_link(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        link = _parse_link(d.pop("link", UNSET))

        def _parse_snippet(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        snippet = _parse_snippet(d.pop("snippet", UNSET))

        position = d.pop("position", UNSET)

        type_ = d.pop("type", UNSET)

        def _parse_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_sitelinks(data: object) -> list[WebSitelink] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sitelinks_type_0 = []
                _sitelinks_type_0 = data
                for sitelinks_type_0_item_data in _sitelinks_type_0:
                    sitelinks_type_0_item = WebSitelink.from_dict(sitelinks_type_0_item_data)

                    sitelinks_type_0.append(sitelinks_type_0_item)

                return sitelinks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebSitelink] | None | Unset, data)

        sitelinks = _parse_sitelinks(d.pop("sitelinks", UNSET))

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        web_page_search_result = cls(
            title=title,
            link=link,
            snippet=snippet,
            position=position,
            type_=type_,
            date=date,
            sitelinks=sitelinks,
            id=id,
        )

        web_page_search_result.additional_properties = d
        return web_page_search_result

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
from ..models.web_sitelink import WebSitelink  # noqa: E402

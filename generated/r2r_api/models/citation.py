from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Citation")


@_attrs_define
class Citation:
    """A citation of a source by its short id (the marker `[id]` in the answer). `payload` is
    given the first time a source is cited (`is_new`). The `final_answer` event lists
    `spans` (every occurrence) instead of `span`.

    """

    id: str
    """ The short citation id, e.g. `6568840`. """
    object_: str | Unset = UNSET
    """ Always `citation`. """
    is_new: bool | None | Unset = UNSET
    span: CitationSpan | None | Unset = UNSET
    spans: list[CitationSpan] | Unset = UNSET
    source_type: None | str | Unset = UNSET
    """ `chunk`, `graph`, `web` or `doc`. """
    payload: CitationPayload | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_

        is_new: bool | None | Unset
        if isinstance(self.is_new, Unset):
            is_new = UNSET
        else:
            is_new = self.is_new

        span: dict[str, Any] | None | Unset
        if isinstance(self.span, Unset):
            span = UNSET
        elif isinstance(self.span, CitationSpan):
            span = self.span.to_dict()
        else:
            span = self.span

        spans: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.spans, Unset):
            spans = []
            for spans_item_data in self.spans:
                spans_item = spans_item_data.to_dict()
                spans.append(spans_item)

        source_type: None | str | Unset
        if isinstance(self.source_type, Unset):
            source_type = UNSET
        else:
            source_type = self.source_type

        payload: dict[str, Any] | None | Unset
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, CitationPayload):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_
        if is_new is not UNSET:
            field_dict["is_new"] = is_new
        if span is not UNSET:
            field_dict["span"] = span
        if spans is not UNSET:
            field_dict["spans"] = spans
        if source_type is not UNSET:
            field_dict["source_type"] = source_type
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = d.pop("object", UNSET)

        def _parse_is_new(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_new = _parse_is_new(d.pop("is_new", UNSET))

        def _parse_span(data: object) -> CitationSpan | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                span_type_0 = CitationSpan.from_dict(data)

                return span_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CitationSpan | None | Unset, data)

        span = _parse_span(d.pop("span", UNSET))

        _spans = d.pop("spans", UNSET)
        spans: list[CitationSpan] | Unset = UNSET
        if _spans is not UNSET:
            spans = []
            for spans_item_data in _spans:
                spans_item = CitationSpan.from_dict(spans_item_data)

                spans.append(spans_item)

        def _parse_source_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_type = _parse_source_type(d.pop("source_type", UNSET))

        def _parse_payload(data: object) -> CitationPayload | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = CitationPayload.from_dict(data)

                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CitationPayload | None | Unset, data)

        payload = _parse_payload(d.pop("payload", UNSET))

        citation = cls(
            id=id,
            object_=object_,
            is_new=is_new,
            span=span,
            spans=spans,
            source_type=source_type,
            payload=payload,
        )

        citation.additional_properties = d
        return citation

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
from ..models.citation_payload import CitationPayload  # noqa: E402
from ..models.citation_span import CitationSpan  # noqa: E402

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AggregateSearchResult")


@_attrs_define
class AggregateSearchResult:
    """All search results. In the JSON answer absent kinds are `null`; in the `search_results`
    stream event they are `[]`.

    """

    chunk_search_results: list[ChunkSearchResult] | None | Unset = UNSET
    graph_search_results: list[GraphSearchResult] | None | Unset = UNSET
    web_page_search_results: list[WebPageSearchResult] | None | Unset = UNSET
    web_search_results: list[WebSearchResult] | None | Unset = UNSET
    document_search_results: list[DocumentResponse] | None | Unset = UNSET
    generic_tool_result: Any | Unset = UNSET
    """ Results of generic tools (any JSON). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_search_results: list[dict[str, Any]] | None | Unset
        if isinstance(self.chunk_search_results, Unset):
            chunk_search_results = UNSET
        elif isinstance(self.chunk_search_results, list):
            chunk_search_results = []
            for chunk_search_results_type_0_item_data in self.chunk_search_results:
                chunk_search_results_type_0_item = chunk_search_results_type_0_item_data.to_dict()
                chunk_search_results.append(chunk_search_results_type_0_item)

        else:
            chunk_search_results = self.chunk_search_results

        graph_search_results: list[dict[str, Any]] | None | Unset
        if isinstance(self.graph_search_results, Unset):
            graph_search_results = UNSET
        elif isinstance(self.graph_search_results, list):
            graph_search_results = []
            for graph_search_results_type_0_item_data in self.graph_search_results:
                graph_search_results_type_0_item = graph_search_results_type_0_item_data.to_dict()
                graph_search_results.append(graph_search_results_type_0_item)

        else:
            graph_search_results = self.graph_search_results

        web_page_search_results: list[dict[str, Any]] | None | Unset
        if isinstance(self.web_page_search_results, Unset):
            web_page_search_results = UNSET
        elif isinstance(self.web_page_search_results, list):
            web_page_search_results = []
            for web_page_search_results_type_0_item_data in self.web_page_search_results:
                web_page_search_results_type_0_item = (
                    web_page_search_results_type_0_item_data.to_dict()
                )
                web_page_search_results.append(web_page_search_results_type_0_item)

        else:
            web_page_search_results = self.web_page_search_results

        web_search_results: list[dict[str, Any]] | None | Unset
        if isinstance(self.web_search_results, Unset):
            web_search_results = UNSET
        elif isinstance(self.web_search_results, list):
            web_search_results = []
            for web_search_results_type_0_item_data in self.web_search_results:
                web_search_results_type_0_item = web_search_results_type_0_item_data.to_dict()
                web_search_results.append(web_search_results_type_0_item)

        else:
            web_search_results = self.web_search_results

        document_search_results: list[dict[str, Any]] | None | Unset
        if isinstance(self.document_search_results, Unset):
            document_search_results = UNSET
        elif isinstance(self.document_search_results, list):
            document_search_results = []
            for document_search_results_type_0_item_data in self.document_search_results:
                document_search_results_type_0_item = (
                    document_search_results_type_0_item_data.to_dict()
                )
                document_search_results.append(document_search_results_type_0_item)

        else:
            document_search_results = self.document_search_results

        generic_tool_result = self.generic_tool_result

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if chunk_search_results is not UNSET:
            field_dict["chunk_search_results"] = chunk_search_results
        if graph_search_results is not UNSET:
            field_dict["graph_search_results"] = graph_search_results
        if web_page_search_results is not UNSET:
            field_dict["web_page_search_results"] = web_page_search_results
        if web_search_results is not UNSET:
            field_dict["web_search_results"] = web_search_results
        if document_search_results is not UNSET:
            field_dict["document_search_results"] = document_search_results
        if generic_tool_result is not UNSET:
            field_dict["generic_tool_result"] = generic_tool_result

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_chunk_search_results(data: object) -> list[ChunkSearchResult] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                chunk_search_results_type_0 = []
                _chunk_search_results_type_0 = data
                for chunk_search_results_type_0_item_data in _chunk_search_results_type_0:
                    chunk_search_results_type_0_item = ChunkSearchResult.from_dict(
                        chunk_search_results_type_0_item_data
                    )

                    chunk_search_results_type_0.append(chunk_search_results_type_0_item)

                return chunk_search_results_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ChunkSearchResult] | None | Unset, data)

        chunk_search_results = _parse_chunk_search_results(d.pop("chunk_search_results", UNSET))

        def _parse_graph_search_results(data: object) -> list[GraphSearchResult] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                graph_search_results_type_0 = []
                _graph_search_results_type_0 = data
                for graph_search_results_type_0_item_data in _graph_search_results_type_0:
                    graph_search_results_type_0_item = GraphSearchResult.from_dict(
                        graph_search_results_type_0_item_data
                    )

                    graph_search_results_type_0.append(graph_search_results_type_0_item)

                return graph_search_results_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[GraphSearchResult] | None | Unset, data)

        graph_search_results = _parse_graph_search_results(d.pop("graph_search_results", UNSET))

        def _parse_web_page_search_results(
            data: object,
        ) -> list[WebPageSearchResult] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                web_page_search_results_type_0 = []
                _web_page_search_results_type_0 = data
                for web_page_search_results_type_0_item_data in _web_page_search_results_type_0:
                    web_page_search_results_type_0_item = WebPageSearchResult.from_dict(
                        web_page_search_results_type_0_item_data
                    )

                    web_page_search_results_type_0.append(web_page_search_results_type_0_item)

                return web_page_search_results_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebPageSearchResult] | None | Unset, data)

        web_page_search_results = _parse_web_page_search_results(
            d.pop("web_page_search_results", UNSET)
        )

        def _parse_web_search_results(data: object) -> list[WebSearchResult] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                web_search_results_type_0 = []
                _web_search_results_type_0 = data
                for web_search_results_type_0_item_data in _web_search_results_type_0:
                    web_search_results_type_0_item = WebSearchResult.from_dict(
                        web_search_results_type_0_item_data
                    )

                    web_search_results_type_0.append(web_search_results_type_0_item)

                return web_search_results_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebSearchResult] | None | Unset, data)

        web_search_results = _parse_web_search_results(d.pop("web_search_results", UNSET))

        def _parse_document_search_results(data: object) -> list[DocumentResponse] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                document_search_results_type_0 = []
                _document_search_results_type_0 = data
                for document_search_results_type_0_item_data in _document_search_results_type_0:
                    document_search_results_type_0_item = DocumentResponse.from_dict(
                        document_search_results_type_0_item_data
                    )

                    document_search_results_type_0.append(document_search_results_type_0_item)

                return document_search_results_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[DocumentResponse] | None | Unset, data)

        document_search_results = _parse_document_search_results(
            d.pop("document_search_results", UNSET)
        )

        generic_tool_result = d.pop("generic_tool_result", UNSET)

        aggregate_search_result = cls(
            chunk_search_results=chunk_search_results,
            graph_search_results=graph_search_results,
            web_page_search_results=web_page_search_results,
            web_search_results=web_search_results,
            document_search_results=document_search_results,
            generic_tool_result=generic_tool_result,
        )

        aggregate_search_result.additional_properties = d
        return aggregate_search_result

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
from ..models.chunk_search_result import ChunkSearchResult  # noqa: E402
from ..models.document_response import DocumentResponse  # noqa: E402
from ..models.graph_search_result import GraphSearchResult  # noqa: E402
from ..models.web_page_search_result import WebPageSearchResult  # noqa: E402
from ..models.web_search_result import WebSearchResult  # noqa: E402

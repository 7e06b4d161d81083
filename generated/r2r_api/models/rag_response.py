from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RAGResponse")


@_attrs_define
class RAGResponse:
    """A RAG answer with the search results and citations it is grounded in."""

    generated_answer: str
    search_results: AggregateSearchResult
    """ All search results. In the JSON answer absent kinds are `null`; in the `search_results`
    stream event they are `[]`.
     """
    completion: str
    """ The same text as `generated_answer` (deprecated by R2R). """
    citations: list[Citation] | None | Unset = UNSET
    metadata: RAGResponseMetadata | Unset = UNSET
    """ Data returned by the LLM provider (for the default provider, the chat completion without its text). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        generated_answer = self.generated_answer

        search_results = self.search_results.to_dict()

        completion = self.completion

        citations: list[dict[str, Any]] | None | Unset
        if isinstance(self.citations, Unset):
            citations = UNSET
        elif isinstance(self.citations, list):
            citations = []
            for citations_type_0_item_data in self.citations:
                citations_type_0_item = citations_type_0_item_data.to_dict()
                citations.append(citations_type_0_item)

        else:
            citations = self.citations

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "generated_answer": generated_answer,
                "search_results": search_results,
                "completion": completion,
            }
        )
        if citations is not UNSET:
            field_dict["citations"] = citations
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        generated_answer = d.pop("generated_answer")

        search_results = AggregateSearchResult.from_dict(d.pop("search_results"))

        completion = d.pop("completion")

        def _parse_citations(data: object) -> list[Citation] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                citations_type_0 = []
                _citations_type_0 = data
                for citations_type_0_item_data in _citations_type_0:
                    citations_type_0_item = Citation.from_dict(citations_type_0_item_data)

                    citations_type_0.append(citations_type_0_item)

                return citations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Citation] | None | Unset, data)

        citations = _parse_citations(d.pop("citations", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: RAGResponseMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = RAGResponseMetadata.from_dict(_metadata)

        rag_response = cls(
            generated_answer=generated_answer,
            search_results=search_results,
            completion=completion,
            citations=citations,
            metadata=metadata,
        )

        rag_response.additional_properties = d
        return rag_response

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
from ..models.aggregate_search_result import AggregateSearchResult  # noqa: E402
from ..models.citation import Citation  # noqa: E402
from ..models.rag_response_metadata import RAGResponseMetadata  # noqa: E402

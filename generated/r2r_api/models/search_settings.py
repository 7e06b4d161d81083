from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchSettings")


@_attrs_define
class SearchSettings:
    """Search configuration. Server defaults: semantic search only, limit 10, offset 0,
    include_metadatas and include_scores true, search_strategy vanilla, num_sub_queries 5.

    """

    use_hybrid_search: bool | Unset = UNSET
    use_semantic_search: bool | Unset = UNSET
    use_fulltext_search: bool | Unset = UNSET
    filters: SearchFilters | Unset = UNSET
    """ Filters, e.g. `{"document_id": {"$eq": "<uuid>"}}`, `{"$or": [{...}, {...}]}` or
    `{"metadata": {"topic": {"$in": ["a", "b"]}}}`. A condition is a plain value (equality) or
    an object with exactly one operator. Operators, from R2R 3.6.6's own filter code:
    `$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin` (lists), `$like`, `$ilike`
    (strings), `$contains` (a list), `$json_contains`, `$overlap` (collections only), and
    `$and` / `$or` (lists of filters; a null item is skipped). `id`, `document_id` and
    `owner_id` take UUIDs, `collection_ids` one operator with UUIDs, `collection_id` a UUID
    or such an operator, `text` strings, `metadata` an object of metadata conditions; every
    other name is a metadata key or dotted path. A null operand matches nothing, except
    with `$eq` / `$ne` (is null / is not null). `created_at`, `updated_at`, `status` and
    `type` cannot be filtered on (500). No string may contain U+0000. Filters R2R cannot run
    are answered with 500, so they are refused here.
    For a regular (non-superuser) user R2R adds "owner is me or in my collections" and reads
    a top-level `collection_ids` condition as `{"$overlap": [...]}` only: any other form of
    it (or a metadata key containing "collection_ids") fails with 500 for them.
    Divergence from the published pages: an object (published: a string, which the server
    answers with a plain-text 500); the not-equal operator is `$ne` (the published `$neq`
    fails with 500); `$and` and `$or` take lists (the published example gives an object,
    which fails with 500).
     """
    limit: int | Unset = UNSET
    offset: int | Unset = UNSET
    """ A PostgreSQL OFFSET (bigint). Divergence from the published pages: an integer
    (published: the string "0").
     """
    include_metadatas: bool | Unset = UNSET
    include_scores: bool | Unset = UNSET
    search_strategy: str | Unset = UNSET
    """ `vanilla`, `query_fusion` or `hyde`. """
    hybrid_settings: HybridSearchSettings | Unset = UNSET
    """ Server defaults: full_text_weight 1.0, semantic_weight 5.0, full_text_limit 200, rrf_k 50. """
    chunk_settings: ChunkSearchSettings | Unset = UNSET
    """ Server defaults: index_measure cosine_distance, probes 10, ef_search 40, enabled true.
    Divergence from the published pages: the default index_measure is `cosine_distance`
    (published: `l2_distance`).
     """
    graph_settings: GraphSearchSettings | Unset = UNSET
    """ Knowledge-graph search settings. """
    num_sub_queries: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        use_hybrid_search = self.use_hybrid_search

        use_semantic_search = self.use_semantic_search

        use_fulltext_search = self.use_fulltext_search

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        limit = self.limit

        offset = self.offset

        include_metadatas = self.include_metadatas

        include_scores = self.include_scores

        search_strategy = self.search_strategy

        hybrid_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.hybrid_settings, Unset):
            hybrid_settings = self.hybrid_settings.to_dict()

        chunk_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.chunk_settings, Unset):
            chunk_settings = self.chunk_settings.to_dict()

        graph_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.graph_settings, Unset):
            graph_settings = self.graph_settings.to_dict()

        num_sub_queries = self.num_sub_queries

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if use_hybrid_search is not UNSET:
            field_dict["use_hybrid_search"] = use_hybrid_search
        if use_semantic_search is not UNSET:
            field_dict["use_semantic_search"] = use_semantic_search
        if use_fulltext_search is not UNSET:
            field_dict["use_fulltext_search"] = use_fulltext_search
        if filters is not UNSET:
            field_dict["filters"] = filters
        if limit is not UNSET:
            field_dict["limit"] = limit
        if offset is not UNSET:
            field_dict["offset"] = offset
        if include_metadatas is not UNSET:
            field_dict["include_metadatas"] = include_metadatas
        if include_scores is not UNSET:
            field_dict["include_scores"] = include_scores
        if search_strategy is not UNSET:
            field_dict["search_strategy"] = search_strategy
        if hybrid_settings is not UNSET:
            field_dict["hybrid_settings"] = hybrid_settings
        if chunk_settings is not UNSET:
            field_dict["chunk_settings"] = chunk_settings
        if graph_settings is not UNSET:
            field_dict["graph_settings"] = graph_settings
        if num_sub_queries is not UNSET:
            field_dict["num_sub_queries"] = num_sub_queries

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        use_hybrid_search = d.pop("use_hybrid_search", UNSET)

        use_semantic_search = d.pop("use_semantic_search", UNSET)

        use_fulltext_search = d.pop("use_fulltext_search", UNSET)

        _filters = d.pop("filters", UNSET)
        filters: SearchFilters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = SearchFilters.from_dict(_filters)

        limit = d.pop("limit", UNSET)

        offset = d.pop("offset", UNSET)

        include_metadatas = d.pop("include_metadatas", UNSET)

        include_scores = d.pop("include_scores", UNSET)

        search_strategy = d.pop("search_strategy", UNSET)

        _hybrid_settings = d.pop("hybrid_settings", UNSET)
        hybrid_settings: HybridSearchSettings | Unset
        if isinstance(_hybrid_settings, Unset):
            hybrid_settings = UNSET
        else:
            hybrid_settings = HybridSearchSettings.from_dict(_hybrid_settings)

        _chunk_settings = d.pop("chunk_settings", UNSET)
        chunk_settings: ChunkSearchSettings | Unset
        if isinstance(_chunk_settings, Unset):
            chunk_settings = UNSET
        else:
            chunk_settings = ChunkSearchSettings.from_dict(_chunk_settings)

        _graph_settings = d.pop("graph_settings", UNSET)
        graph_settings: GraphSearchSettings | Unset
        if isinstance(_graph_settings, Unset):
            graph_settings = UNSET
        else:
            graph_settings = GraphSearchSettings.from_dict(_graph_settings)

        num_sub_queries = d.pop("num_sub_queries", UNSET)

        search_settings = cls(
            use_hybrid_search=use_hybrid_search,
            use_semantic_search=use_semantic_search,
            use_fulltext_search=use_fulltext_search,
            filters=filters,
            limit=limit,
            offset=offset,
            include_metadatas=include_metadatas,
            include_scores=include_scores,
            search_strategy=search_strategy,
            hybrid_settings=hybrid_settings,
            chunk_settings=chunk_settings,
            graph_settings=graph_settings,
            num_sub_queries=num_sub_queries,
        )

        search_settings.additional_properties = d
        return search_settings

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
from ..models.chunk_search_settings import ChunkSearchSettings  # noqa: E402
from ..models.graph_search_settings import GraphSearchSettings  # noqa: E402
from ..models.hybrid_search_settings import HybridSearchSettings  # noqa: E402
from ..models.search_filters import SearchFilters  # noqa: E402

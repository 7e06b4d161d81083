from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T", bound="SearchFilters")


class SearchFilters(dict[str, Any]):
    """Filters, e.g. `{"document_id": {"$eq": "<uuid>"}}`, `{"$or": [{...}, {...}]}` or
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

    __slots__ = ()

    @property
    def additional_properties(self) -> dict[str, Any]:
        """The keys and values: this object itself, which is a dict."""
        return self

    @additional_properties.setter
    def additional_properties(self, value: Mapping[str, Any]) -> None:
        if value is not self:
            self.clear()
            self.update(value)

    @property
    def additional_keys(self) -> list[str]:
        return list(self)

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        return cls(src_dict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"

# Generated from openapi/r2r-v3.yaml by generator/surface.py (nox -s generate): do not edit.
"""The request objects of the document as types: one TypedDict (or alias) per schema.

Every dict argument of the client is typed with these, so that a type checker finds an unknown
or misspelt key, or a value of the wrong type, before anything runs. Plain dicts work unchanged
(a dict literal is checked against the TypedDict). Objects that admit keys of any name (metadata,
filters, free-form settings) are `Mapping`s of the values they admit. Keys the document does not
know yet go in `extra_body`, which is sent as given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, Required, TypeAlias, TypedDict

__all__ = [
    "ChunkSearchSettingsParam",
    "CollectionIdConditionParam",
    "CollectionIdsConditionParam",
    "CompletionGenerationConfigParam",
    "FilterListParam",
    "FilterParam",
    "FunctionCallParam",
    "FunctionDefinitionParam",
    "GenerationConfigParam",
    "GenerationKwargsParam",
    "GraphIdConditionOperatorParam",
    "GraphIdConditionParam",
    "GraphSearchLimitsParam",
    "GraphSearchSettingsParam",
    "HybridSearchSettingsParam",
    "ImageDataParam",
    "IndexMeasureParam",
    "JsonArrayParam",
    "JsonObjectParam",
    "JsonValueParam",
    "MessageMetadataParam",
    "MessageParam",
    "MetadataConditionParam",
    "MetadataFilterParam",
    "MetadataNestedKeyParam",
    "MetadataObjectParam",
    "MetadataOperatorParam",
    "NonStreamingGenerationConfigParam",
    "NulFreeStringParam",
    "ResponseFormatParam",
    "SearchFiltersParam",
    "SearchModeParam",
    "SearchSettingsParam",
    "StreamingGenerationConfigParam",
    "StructuredContentPartParam",
    "TextColumnConditionOperatorParam",
    "TextColumnConditionParam",
    "TextOrNullParam",
    "ToolCallParam",
    "ToolDefinitionParam",
    "UuidColumnConditionOperatorParam",
    "UuidColumnConditionParam",
    "UuidListParam",
    "UuidOrNullListParam",
    "UuidOrNullParam",
    "UuidParam",
]


NulFreeStringParam: TypeAlias = str
"""A string without the character U+0000 (PostgreSQL cannot store it)."""


JsonArrayParam: TypeAlias = "Sequence[JsonValueParam]"


JsonValueParam: TypeAlias = (
    "float | bool | NulFreeStringParam | JsonArrayParam | JsonObjectParam | None"
)
"""Any JSON value whose strings and object keys contain no U+0000."""


JsonObjectParam: TypeAlias = "Mapping[str, JsonValueParam]"


MetadataObjectParam: TypeAlias = "JsonObjectParam"
"""A JSON object of metadata keys and values, stored by the server in PostgreSQL. Neither its
keys nor any string inside its values may contain U+0000, which PostgreSQL cannot store (R2R
answers such a body with 500)."""


FunctionCallParam: TypeAlias = Mapping[str, object]
"""A function call requested by the model (OpenAI style)."""


ToolCallParam: TypeAlias = Mapping[str, object]
"""A tool call requested by the model (OpenAI style)."""


MessageMetadataParam: TypeAlias = Mapping[str, object]
"""Free-form metadata of a message (not stored by the server)."""


StructuredContentPartParam: TypeAlias = Mapping[str, object]
"""One part of a structured message (e.g. a thinking block)."""


ImageDataParam: TypeAlias = Mapping[str, str]
"""A base64 image, `{"media_type": ..., "data": ...}`; every value is a string (else 422)."""


class MessageParam(TypedDict, total=False):
    """One chat message. Divergence from the published pages: the published schema shows
    `function_call`, `metadata` and `image_data` as arrays; they are objects."""

    role: Required[str]
    """Who wrote the message. R2R names `system`, `user`, `assistant`, `function` and `tool`,
    and passes any other string on to the LLM provider."""

    content: object
    """The message text, or structured content (a list of parts such as `{"type": "text",
    "text": ...}`). May be null or absent (e.g. an assistant message that only carries
    `tool_calls`, or a tool result). A list whose items are not all objects fails with 500."""

    name: str | None

    function_call: FunctionCallParam | None

    tool_calls: Sequence[ToolCallParam] | None

    tool_call_id: str | None

    metadata: MessageMetadataParam | None

    structured_content: Sequence[StructuredContentPartParam] | None

    image_url: str | None
    """URL of an image for vision models."""

    image_data: ImageDataParam | None


FunctionDefinitionParam: TypeAlias = Mapping[str, object]
"""A function the model may call (OpenAI style, free-form)."""


ToolDefinitionParam: TypeAlias = Mapping[str, object]
"""A tool the model may call (OpenAI style, free-form)."""


GenerationKwargsParam: TypeAlias = Mapping[str, object]
"""Extra keyword arguments passed to the LLM provider."""


ResponseFormatParam: TypeAlias = Mapping[str, object]
"""A structured-output specification."""


class CompletionGenerationConfigParam(TypedDict, total=False):
    """GenerationConfig without streaming (the completion endpoint cannot stream)."""

    model: str | None
    """LiteLLM model name, e.g. `openai/gpt-4.1-mini`."""

    temperature: float

    top_p: float | None

    max_tokens_to_sample: int
    """Maximum number of tokens to generate. Wins over `max_tokens` if both are sent."""

    max_tokens: int
    """Alias of `max_tokens_to_sample`, accepted by the server. Divergence from the published
    pages: their schema lists only `max_tokens_to_sample`, their examples use `max_tokens`."""

    stream: Literal[False]
    """R2R 3.6.6 cannot stream completions (`true` fails with 500)."""

    functions: Sequence[FunctionDefinitionParam] | None

    tools: Sequence[ToolDefinitionParam] | None

    add_generation_kwargs: GenerationKwargsParam | None
    """Divergence from the published pages: an object (published: an array)."""

    api_base: str | None

    response_format: ResponseFormatParam | None
    """Divergence from the published pages: an object (published: an array)."""

    extended_thinking: bool
    """Extended thinking mode (Anthropic providers)."""

    thinking_budget: int | None

    reasoning_effort: str | None
    """`low`, `medium` or `high` (OpenAI providers)."""


SearchModeParam: TypeAlias = Literal["basic", "advanced", "custom"]
"""`custom` (the server's default) uses `search_settings` as given; `basic` and `advanced` start
from preset settings that `search_settings` overrides."""


FilterListParam: TypeAlias = "Sequence[FilterParam | None]"
"""A list of filters (an object instead of a list fails with 500). R2R skips a null item (chunk
and graph search both), so `[{...}, null]` is `[{...}]`."""


UuidParam: TypeAlias = str
"""A UUID in its canonical 8-4-4-4-12 hexadecimal form."""


UuidOrNullParam: TypeAlias = UuidParam | None


UuidOrNullListParam: TypeAlias = Sequence[UuidOrNullParam]
"""UUIDs for `$in` / `$nin` on a UUID column; a null item matches no row."""


UuidColumnConditionOperatorParam = TypedDict(
    "UuidColumnConditionOperatorParam",
    {
        "$eq": "UuidOrNullParam",
        "$ne": "UuidOrNullParam",
        "$lt": "UuidOrNullParam",
        "$lte": "UuidOrNullParam",
        "$gt": "UuidOrNullParam",
        "$gte": "UuidOrNullParam",
        "$like": "None",
        "$ilike": "None",
        "$in": "UuidOrNullListParam",
        "$nin": "UuidOrNullListParam",
    },
    total=False,
)


UuidColumnConditionParam: TypeAlias = UuidOrNullParam | UuidColumnConditionOperatorParam
"""A UUID column: a UUID (or null) for equality, or one operator. `$like` / `$ilike` run only
with null (R2R answers any operator given null without looking at the column: FALSE, no match; a
string fails, as PostgreSQL has no LIKE for UUIDs)."""


TextOrNullParam: TypeAlias = NulFreeStringParam | None


UuidListParam: TypeAlias = Sequence[UuidParam]


GraphIdConditionOperatorParam = TypedDict(
    "GraphIdConditionOperatorParam",
    {
        "$eq": "UuidParam",
        "$ne": "JsonValueParam",
        "$lt": "JsonValueParam",
        "$lte": "JsonValueParam",
        "$gt": "JsonValueParam",
        "$gte": "JsonValueParam",
        "$like": "TextOrNullParam",
        "$ilike": "TextOrNullParam",
        "$in": "UuidListParam",
        "$nin": "JsonArrayParam",
        "$contains": "JsonArrayParam",
        "$json_contains": "JsonValueParam",
    },
    total=False,
)


MetadataOperatorParam = TypedDict(
    "MetadataOperatorParam",
    {
        "$eq": "JsonValueParam",
        "$ne": "JsonValueParam",
        "$lt": "JsonValueParam",
        "$lte": "JsonValueParam",
        "$gt": "JsonValueParam",
        "$gte": "JsonValueParam",
        "$like": "TextOrNullParam",
        "$ilike": "TextOrNullParam",
        "$in": "JsonArrayParam",
        "$nin": "JsonArrayParam",
        "$contains": "JsonArrayParam",
        "$json_contains": "JsonValueParam",
    },
    total=False,
)
"""Exactly one operator. R2R 3.6.6's filter code (core/providers/database/filters.py) knows
`$eq`, `$ne`, `$lt`, `$lte`, `$gt`, `$gte`, `$in`, `$nin`, `$like`, `$ilike`, `$overlap`,
`$contains`, `$json_contains`, `$and`, `$or`; on a metadata key it runs all but `$overlap`,
`$and` and `$or` (500). A null operand of a comparison or of `$like` / `$ilike` matches no chunk
(`$eq` / `$ne` null: the key is absent / present)."""


MetadataConditionParam: TypeAlias = (
    "float | bool | NulFreeStringParam | JsonArrayParam | MetadataOperatorParam | "
    "MetadataNestedKeyParam | None"
)
"""A condition on a metadata key: a value (equality; a list is compared as its text), an object
with exactly one operator, or an object with exactly one nested key."""


MetadataNestedKeyParam: TypeAlias = "Mapping[str, MetadataConditionParam]"


GraphIdConditionParam: TypeAlias = (
    "UuidParam | GraphIdConditionOperatorParam | MetadataNestedKeyParam"
)
"""`parent_id` is a metadata key for chunks and the owning document or collection for graph
results, where a plain value, `$eq` and `$in` must be UUIDs. (Spelled out rather than combined
with allOf: openapi-spec-validator 0.9 loops on allOf over recursive schemas.)"""


CollectionIdsConditionParam = TypedDict(
    "CollectionIdsConditionParam",
    {
        "$eq": "UuidParam",
        "$ne": "UuidParam",
        "$in": "UuidListParam",
        "$nin": "UuidListParam",
        "$overlap": "UuidListParam",
        "$contains": "UuidListParam",
    },
    total=False,
)
"""The document's collections (a UUID array): exactly one operator."""


CollectionIdConditionParam: TypeAlias = UuidParam | CollectionIdsConditionParam
"""Shorthand on the collections: one UUID (the document is in it), or one operator."""


TextColumnConditionOperatorParam = TypedDict(
    "TextColumnConditionOperatorParam",
    {
        "$eq": "TextOrNullParam",
        "$ne": "TextOrNullParam",
        "$lt": "TextOrNullParam",
        "$lte": "TextOrNullParam",
        "$gt": "TextOrNullParam",
        "$gte": "TextOrNullParam",
        "$like": "TextOrNullParam",
        "$ilike": "TextOrNullParam",
        "$in": "Sequence[TextOrNullParam]",
        "$nin": "Sequence[TextOrNullParam]",
    },
    total=False,
)


TextColumnConditionParam: TypeAlias = TextOrNullParam | TextColumnConditionOperatorParam
"""The chunk text: a string (or null) for equality, or one operator with strings."""


MetadataFilterParam: TypeAlias = "Mapping[str, MetadataConditionParam]"
"""Conditions on metadata keys or dotted paths, e.g. `{"metadata": {"a.b": 1}}`."""


FilterParam: TypeAlias = (
    "Mapping[str, FilterListParam | UuidColumnConditionParam | GraphIdConditionParam | "
    "CollectionIdConditionParam | CollectionIdsConditionParam | "
    "TextColumnConditionParam | MetadataFilterParam | MetadataConditionParam]"
)
"""One level of filters: field conditions, implicitly combined with AND, and `$and` / `$or`
lists of nested filters. The field names below have a fixed meaning in R2R; any other name is a
metadata key (or dotted path)."""


SearchFiltersParam: TypeAlias = "FilterParam"
"""Filters, e.g. `{"document_id": {"$eq": "<uuid>"}}`, `{"$or": [{...}, {...}]}` or
`{"metadata": {"topic": {"$in": ["a", "b"]}}}`. A condition is a plain value (equality) or an
object with exactly one operator. Operators, from R2R 3.6.6's own filter code: `$eq`, `$ne`,
`$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin` (lists), `$like`, `$ilike` (strings), `$contains` (a
list), `$json_contains`, `$overlap` (collections only), and `$and` / `$or` (lists of filters; a
null item is skipped). `id`, `document_id` and `owner_id` take UUIDs, `collection_ids` one
operator with UUIDs, `collection_id` a UUID or such an operator, `text` strings, `metadata` an
object of metadata conditions; every other name is a metadata key or dotted path. A null operand
matches nothing, except with `$eq` / `$ne` (is null / is not null). `created_at`, `updated_at`,
`status` and `type` cannot be filtered on (500). No string may contain U+0000. Filters R2R
cannot run are answered with 500, so they are refused here. For a regular (non-superuser) user
R2R adds "owner is me or in my collections" and reads a top-level `collection_ids` condition as
`{"$overlap": [...]}` only: any other form of it (or a metadata key containing "collection_ids")
fails with 500 for them. Divergence from the published pages: an object (published: a string,
which the server answers with a plain-text 500); the not-equal operator is `$ne` (the published
`$neq` fails with 500); `$and` and `$or` take lists (the published example gives an object,
which fails with 500)."""


class HybridSearchSettingsParam(TypedDict, total=False):
    """Server defaults: full_text_weight 1.0, semantic_weight 5.0, full_text_limit 200, rrf_k
    50."""

    full_text_weight: float

    semantic_weight: float

    full_text_limit: int
    """The PostgreSQL LIMIT (bigint) of full-text search, also when it runs alone; hybrid search
    also needs it >= `limit`."""

    rrf_k: int
    """Reciprocal-rank-fusion constant: a result's score is 1 / (rrf_k + rank). A negative value
    fails (500, division by zero) as soon as -rrf_k is the rank of a result."""


IndexMeasureParam: TypeAlias = Literal[
    "l2_distance",
    "max_inner_product",
    "cosine_distance",
    "l1_distance",
    "hamming_distance",
    "jaccard_distance",
]
"""The distance measure of the vector index."""


class ChunkSearchSettingsParam(TypedDict, total=False):
    """Server defaults: index_measure cosine_distance, probes 10, ef_search 40, enabled true.
    Divergence from the published pages: the default index_measure is `cosine_distance`
    (published: `l2_distance`)."""

    index_measure: IndexMeasureParam
    """`hamming_distance` and `jaccard_distance` are distances of bit vectors: on R2R's float
    vectors (its default) PostgreSQL has no such operator and the search fails with 500, so they
    are refused."""

    probes: int

    ef_search: int

    enabled: bool


GraphSearchLimitsParam: TypeAlias = Mapping[str, int]
"""Maximum results per graph result type: PostgreSQL LIMITs (0 to the bigint maximum; a negative
one fails with 500). Other keys are ignored."""


class GraphSearchSettingsParam(TypedDict, total=False):
    """Knowledge-graph search settings."""

    limits: GraphSearchLimitsParam
    """Divergence from the published pages: an object (published: an array)."""

    enabled: bool


class SearchSettingsParam(TypedDict, total=False):
    """Search configuration. Server defaults: semantic search only, limit 10, offset 0,
    include_metadatas and include_scores true, search_strategy vanilla, num_sub_queries 5."""

    use_hybrid_search: bool

    use_semantic_search: bool

    use_fulltext_search: bool

    filters: SearchFiltersParam

    limit: int

    offset: int
    """A PostgreSQL OFFSET (bigint). Divergence from the published pages: an integer (published:
    the string "0")."""

    include_metadatas: bool

    include_scores: bool

    search_strategy: str
    """`vanilla`, `query_fusion` or `hyde`."""

    hybrid_settings: HybridSearchSettingsParam

    chunk_settings: ChunkSearchSettingsParam

    graph_settings: GraphSearchSettingsParam

    num_sub_queries: int


class GenerationConfigParam(TypedDict, total=False):
    """LLM settings. Keys the server does not know are silently dropped by it. Server defaults:
    temperature 0.1, top_p 1.0, max_tokens_to_sample 1024, stream false."""

    model: str | None
    """LiteLLM model name, e.g. `openai/gpt-4.1-mini`."""

    temperature: float

    top_p: float | None

    max_tokens_to_sample: int
    """Maximum number of tokens to generate. Wins over `max_tokens` if both are sent."""

    max_tokens: int
    """Alias of `max_tokens_to_sample`, accepted by the server. Divergence from the published
    pages: their schema lists only `max_tokens_to_sample`, their examples use `max_tokens`."""

    stream: bool
    """Stream the answer as Server-Sent Events (RAG only; completion cannot stream)."""

    functions: Sequence[FunctionDefinitionParam] | None

    tools: Sequence[ToolDefinitionParam] | None

    add_generation_kwargs: GenerationKwargsParam | None
    """Divergence from the published pages: an object (published: an array)."""

    api_base: str | None

    response_format: ResponseFormatParam | None
    """Divergence from the published pages: an object (published: an array)."""

    extended_thinking: bool
    """Extended thinking mode (Anthropic providers)."""

    thinking_budget: int | None

    reasoning_effort: str | None
    """`low`, `medium` or `high` (OpenAI providers)."""


class StreamingGenerationConfigParam(TypedDict, total=False):
    """`rag_generation_config` asking for a stream: `stream` is True."""

    model: str | None
    """LiteLLM model name, e.g. `openai/gpt-4.1-mini`."""

    temperature: float

    top_p: float | None

    max_tokens_to_sample: int
    """Maximum number of tokens to generate. Wins over `max_tokens` if both are sent."""

    max_tokens: int
    """Alias of `max_tokens_to_sample`, accepted by the server. Divergence from the published
    pages: their schema lists only `max_tokens_to_sample`, their examples use `max_tokens`."""

    stream: Required[Literal[True]]
    """Stream the answer (required here)."""

    functions: Sequence[FunctionDefinitionParam] | None

    tools: Sequence[ToolDefinitionParam] | None

    add_generation_kwargs: GenerationKwargsParam | None
    """Divergence from the published pages: an object (published: an array)."""

    api_base: str | None

    response_format: ResponseFormatParam | None
    """Divergence from the published pages: an object (published: an array)."""

    extended_thinking: bool
    """Extended thinking mode (Anthropic providers)."""

    thinking_budget: int | None

    reasoning_effort: str | None
    """`low`, `medium` or `high` (OpenAI providers)."""


class NonStreamingGenerationConfigParam(TypedDict, total=False):
    """`rag_generation_config` for an answer as JSON: `stream` absent or False."""

    model: str | None
    """LiteLLM model name, e.g. `openai/gpt-4.1-mini`."""

    temperature: float

    top_p: float | None

    max_tokens_to_sample: int
    """Maximum number of tokens to generate. Wins over `max_tokens` if both are sent."""

    max_tokens: int
    """Alias of `max_tokens_to_sample`, accepted by the server. Divergence from the published
    pages: their schema lists only `max_tokens_to_sample`, their examples use `max_tokens`."""

    stream: Literal[False]
    """Absent or False: an answer as JSON."""

    functions: Sequence[FunctionDefinitionParam] | None

    tools: Sequence[ToolDefinitionParam] | None

    add_generation_kwargs: GenerationKwargsParam | None
    """Divergence from the published pages: an object (published: an array)."""

    api_base: str | None

    response_format: ResponseFormatParam | None
    """Divergence from the published pages: an object (published: an array)."""

    extended_thinking: bool
    """Extended thinking mode (Anthropic providers)."""

    thinking_budget: int | None

    reasoning_effort: str | None
    """`low`, `medium` or `high` (OpenAI providers)."""

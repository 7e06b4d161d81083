"""Typed dicts for the arguments that are JSON objects, so that type checkers know their keys.

Plain dicts are what the official SDK takes, and they work unchanged: a dict literal is checked
against these types. `rag()` uses them to tell a streamed answer from a JSON one:
`rag_generation_config={"stream": True}` is a `StreamingRAGGenerationConfig`, and gives a
`RAGStream`; a config without `stream` (or with `stream: False`) is a `RAGGenerationConfig`, and
gives a `WrappedRAGResponse`. The keys are the document's `GenerationConfig` properties
(tests/test_typing_runtime.py keeps them equal); keys the document does not know can still be
sent, in a dict of type `dict[str, Any]` (the answer's type is then the union of both).
"""

from collections.abc import Mapping, Sequence
from typing import Literal, Required, TypedDict

__all__ = ["GenerationConfigParams", "RAGGenerationConfig", "StreamingRAGGenerationConfig"]


class GenerationConfigParams(TypedDict, total=False):
    """LLM settings (`generation_config` of a completion): the document's GenerationConfig."""

    model: str | None
    temperature: float
    top_p: float | None
    max_tokens_to_sample: int
    max_tokens: int
    stream: bool
    functions: Sequence[Mapping[str, object]] | None
    tools: Sequence[Mapping[str, object]] | None
    add_generation_kwargs: Mapping[str, object] | None
    api_base: str | None
    response_format: Mapping[str, object] | None
    extended_thinking: bool
    thinking_budget: int | None
    reasoning_effort: str | None


class RAGGenerationConfig(TypedDict, total=False):
    """`rag_generation_config` for an answer as JSON: `stream` absent or False."""

    model: str | None
    temperature: float
    top_p: float | None
    max_tokens_to_sample: int
    max_tokens: int
    stream: Literal[False]
    functions: Sequence[Mapping[str, object]] | None
    tools: Sequence[Mapping[str, object]] | None
    add_generation_kwargs: Mapping[str, object] | None
    api_base: str | None
    response_format: Mapping[str, object] | None
    extended_thinking: bool
    thinking_budget: int | None
    reasoning_effort: str | None


class StreamingRAGGenerationConfig(TypedDict, total=False):
    """`rag_generation_config` for a streamed answer: `stream` is True."""

    model: str | None
    temperature: float
    top_p: float | None
    max_tokens_to_sample: int
    max_tokens: int
    stream: Required[Literal[True]]
    functions: Sequence[Mapping[str, object]] | None
    tools: Sequence[Mapping[str, object]] | None
    add_generation_kwargs: Mapping[str, object] | None
    api_base: str | None
    response_format: Mapping[str, object] | None
    extended_thinking: bool
    thinking_budget: int | None
    reasoning_effort: str | None

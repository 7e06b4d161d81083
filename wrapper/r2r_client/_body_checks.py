"""Checks of request bodies that the OpenAPI document cannot express.

Everything the document can say is said there and checked by `_schema`. These few rules guard
against bodies that a real R2R 3.6.6 server answers with 500 for reasons no JSON Schema can
spell out; each error names the field and what is allowed. They are proven against a real
server by the e2e run (the corpus in e2e/corpus and the property-based run).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import InvalidRequestError

# What R2R fills a custom task prompt in with: RetrievalService.rag() passes
# task_inputs={"query": ..., "context": ...} to the prompt handler, which calls
# `task_prompt.format(**task_inputs)` and sends the template unchanged on a KeyError.
_CONTEXT_STAND_IN = "Source ID [0000000]:\n" + "x" * 4096


def check_body(operation_id: str, body: Any) -> None:
    """Raise InvalidRequestError for a body of `operation_id` the server would fail on."""
    check = _CHECKS.get(operation_id)
    if check is not None and isinstance(body, dict):
        check(body)


def check_completion_body(body: dict[str, Any]) -> None:
    """R2R 3.6.6 has no default model for completion: without one it answers 500."""
    config = body.get("generation_config")
    model = config.get("model") if isinstance(config, dict) else None
    if model is None:
        raise InvalidRequestError(
            "generation_config.model",
            "R2R 3.6.6 has no default model for completion (without one it fails with 500 "
            "AttributeError after retrying the LLM call): give one, e.g. "
            'generation_config={"model": "openai/gpt-4.1-mini"}; for a server configured with '
            "a default model, pass validation='off'",
        )


def check_rag_body(body: dict[str, Any]) -> None:
    """Raise InvalidRequestError for a RAG body the server would fail on (see module doc)."""
    task_prompt = body.get("task_prompt")
    if isinstance(task_prompt, str) and task_prompt:
        _check_task_prompt(task_prompt, body.get("query"))
    settings = body.get("search_settings")
    if isinstance(settings, dict):
        graph = settings.get("graph_settings")
        graph_off = isinstance(graph, dict) and graph.get("enabled") is False
        filters = settings.get("filters")
        if isinstance(filters, dict) and not graph_off:
            _check_graph_filters(filters, "search_settings.filters")
        _check_hybrid_limits(settings, body.get("search_mode"))


# Search flags of R2R's presets (SearchSettings.get_default): "advanced" turns hybrid search
# on; "basic" and "custom" use the plain defaults.
_ADVANCED_FLAGS = {
    "use_semantic_search": True,
    "use_fulltext_search": True,
    "use_hybrid_search": True,
}
_DEFAULT_FLAGS = {
    "use_semantic_search": True,
    "use_fulltext_search": False,
    "use_hybrid_search": False,
}
_DEFAULT_LIMIT = 10
_DEFAULT_FULL_TEXT_LIMIT = 200


def _check_hybrid_limits(settings: dict[str, Any], search_mode: object) -> None:
    """Hybrid search needs hybrid_settings.full_text_limit >= limit (R2R raises, 500).

    Hybrid search runs when use_hybrid_search is on, or both semantic and full-text search are
    (search_mode "advanced" turns all three on unless search_settings overrides them).
    """
    flags = dict(_ADVANCED_FLAGS if search_mode == "advanced" else _DEFAULT_FLAGS)
    for name in flags:
        if isinstance(settings.get(name), bool):
            flags[name] = settings[name]
    hybrid = flags["use_hybrid_search"] or (
        flags["use_fulltext_search"] and flags["use_semantic_search"]
    )
    if not hybrid:
        return
    limit = settings.get("limit", _DEFAULT_LIMIT)
    hybrid_settings = settings.get("hybrid_settings")
    full_text_limit = _DEFAULT_FULL_TEXT_LIMIT
    if isinstance(hybrid_settings, dict):
        full_text_limit = hybrid_settings.get("full_text_limit", _DEFAULT_FULL_TEXT_LIMIT)
    numbers = (int, float)
    if (
        isinstance(limit, numbers)
        and isinstance(full_text_limit, numbers)
        and not isinstance(limit, bool)
        and not isinstance(full_text_limit, bool)
        and full_text_limit < limit
    ):
        raise InvalidRequestError(
            "search_settings.hybrid_settings.full_text_limit",
            f"hybrid search needs full_text_limit >= limit ({full_text_limit} < {limit}; "
            f"the server's default full_text_limit is {_DEFAULT_FULL_TEXT_LIMIT})",
        )


def _check_task_prompt(template: str, query: object) -> None:
    try:
        template.format(query=query if isinstance(query, str) else "", context=_CONTEXT_STAND_IN)
    except KeyError:
        return  # a name R2R does not fill in: the server sends the template as written
    except (ValueError, IndexError, AttributeError, TypeError) as exc:
        raise InvalidRequestError(
            "task_prompt",
            "the server fills it in with str.format(query=..., context=...), which fails here "
            f"({exc}); use {{query}} and {{context}}, and write literal braces as {{{{ and }}}}",
        ) from None


def _check_graph_filters(filters: dict[str, Any], where: str) -> None:
    """Keys written `metadata.<name>` also reach R2R's graph search, which compares them as text.

    There a plain value, `$eq` and `$ne` must be a string (or null) and `$gt` a number, or the
    query fails (500). The nested form `{"metadata": {"<name>": ...}}` has no such limit.
    """
    for key, value in filters.items():
        if key in ("$and", "$or") and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    _check_graph_filters(item, f"{where}.{key}[{index}]")
            continue
        if not (isinstance(key, str) and key.startswith("metadata.")):
            continue
        field = f"{where}.{key}"
        if isinstance(value, dict):
            if len(value) != 1:
                continue  # the document refuses it
            op, operand = next(iter(value.items()))
            if op in ("$eq", "$ne") and not (operand is None or isinstance(operand, str)):
                raise InvalidRequestError(
                    f"{field}.{op}",
                    f"graph search compares a 'metadata.' key as text: give a string or null, "
                    f"got {type(operand).__name__} (or write it as "
                    f'{{"metadata": {{"{key[9:]}": ...}}}})',
                )
            if op == "$gt" and (
                isinstance(operand, bool) or not isinstance(operand, (int, float, type(None)))
            ):
                raise InvalidRequestError(
                    f"{field}.$gt",
                    f"graph search compares a 'metadata.' key with $gt as a number: give a "
                    f"number, got {type(operand).__name__} (or write it as "
                    f'{{"metadata": {{"{key[9:]}": ...}}}})',
                )
        elif not (value is None or isinstance(value, str)):
            raise InvalidRequestError(
                field,
                f"graph search compares a 'metadata.' key as text: give a string or null, got "
                f"{type(value).__name__} (or write it as "
                f'{{"metadata": {{"{key[9:]}": ...}}}})',
            )


_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "completion": check_completion_body,
    "rag": check_rag_body,
}

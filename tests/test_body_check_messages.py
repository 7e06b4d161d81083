"""The RAG body checks the document cannot express: which bodies they refuse, and the message."""

from __future__ import annotations

from typing import Any

import pytest

from r2r_client import InvalidRequestError
from r2r_client._body_checks import check_rag_body


def _prompt(reason: str) -> str:
    return (
        "task_prompt: the server fills it in with str.format(query=..., context=...), which fails "
        f"here ({reason}); use {{query}} and {{context}}, and write literal braces as {{{{ and }}}}"
    )


def _text(field: str, got: str, name: str = "a") -> str:
    return (
        f"search_settings.filters.{field}: graph search compares a 'metadata.' key as text: give "
        f'a string or null, got {got} (or write it as {{"metadata": {{"{name}": ...}}}})'
    )


def _number(field: str, got: str) -> str:
    return (
        f"search_settings.filters.{field}: graph search compares a 'metadata.' key with $gt as a "
        f'number: give a number, got {got} (or write it as {{"metadata": {{"a": ...}}}})'
    )


def _hybrid(full_text_limit: object, limit: object) -> str:
    return (
        "search_settings.hybrid_settings.full_text_limit: hybrid search needs full_text_limit >= "
        f"limit ({full_text_limit} < {limit}; the server's default full_text_limit is 200)"
    )


def _filters(filters: object, **settings: Any) -> dict[str, Any]:
    return {"query": "q", "search_settings": {"filters": filters, **settings}}


CASES: list[tuple[dict[str, Any], str | None]] = [
    # task_prompt: filled in with str.format(query=..., context=...)
    ({"query": "q", "task_prompt": "a } b"}, _prompt("Single '}' encountered in format string")),
    (
        {"query": "q", "task_prompt": "{0}"},
        _prompt("Replacement index 0 out of range for positional args tuple"),
    ),
    ({"query": "q", "task_prompt": "{query.x}"}, _prompt("'str' object has no attribute 'x'")),
    (
        {"query": "q", "task_prompt": "{query:d}"},
        _prompt("Unknown format code 'd' for object of type 'str'"),
    ),
    ({"task_prompt": "{query[0]}"}, _prompt("string index out of range")),  # no query: ""
    ({"query": 5, "task_prompt": "{query[0]}"}, _prompt("string index out of range")),
    ({"query": "q", "task_prompt": "{query[0]}{context[0]}{query:>5}"}, None),
    ({"query": "q", "task_prompt": "{query[0]}{context[4116]}{other} {{x}}"}, None),
    ({"query": "q", "task_prompt": "{context[4117]}"}, _prompt("string index out of range")),
    ({"query": "q", "task_prompt": ""}, None),
    ({"query": "q", "task_prompt": None}, None),
    ({"query": "q", "task_prompt": 5}, None),  # not a str: the document's to refuse
    # filters on 'metadata.<name>' keys reach graph search
    (_filters({"metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"metadata.ab": [1]}), _text("metadata.ab", "list", "ab")),
    (_filters({"metadata.a": "x", "metadata.b": None, "metadata": {"c": 1}}), None),
    (_filters({"metadata.a": {"$eq": 1}}), _text("metadata.a.$eq", "int")),
    (_filters({"metadata.a": {"$ne": True}}), _text("metadata.a.$ne", "bool")),
    (_filters({"metadata.a": {"$eq": None}, "metadata.b": {"$ne": "x"}}), None),
    (_filters({"metadata.a": {"$gt": "x"}}), _number("metadata.a.$gt", "str")),
    (_filters({"metadata.a": {"$gt": True}}), _number("metadata.a.$gt", "bool")),
    (
        _filters(
            {"metadata.a": {"$gt": 1}, "metadata.b": {"$gt": 1.5}, "metadata.c": {"$gt": None}}
        ),
        None,
    ),
    (_filters({"metadata.a": {"$lt": "x"}, "metadata.b": {"$in": [1]}}), None),
    (_filters({"metadata.a": {"$eq": 1, "$ne": 2}}), None),  # two operators: the document's job
    (
        _filters({"metadata.a": {"$eq": 1, "$ne": 2}, "metadata.b": 1}),
        _text("metadata.b", "int", "b"),
    ),
    (_filters({"other": 1, "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({1: 2, "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"$and": [{"x": 1}], "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"$and": "x", "metadata.a": 1}), _text("metadata.a", "int")),
    (_filters({"$or": [{"x": 1}, {"metadata.a": 2}]}), _text("$or[1].metadata.a", "int")),
    (_filters({"$or": [1, {"metadata.a": 2}]}), _text("$or[1].metadata.a", "int")),
    (
        _filters({"$and": [{"$or": [{"metadata.a": {"$eq": 2.5}}]}]}),
        _text("$and[0].$or[0].metadata.a.$eq", "float"),
    ),
    (_filters({"metadata.a": 1}, graph_settings={"enabled": False}), None),
    (_filters({"metadata.a": 1}, graph_settings={"enabled": True}), _text("metadata.a", "int")),
    (_filters({"metadata.a": 1}, graph_settings={}), _text("metadata.a", "int")),
    (_filters({"metadata.a": 1}, graph_settings="off"), _text("metadata.a", "int")),
    (_filters([{"metadata.a": 1}]), None),
    ({"query": "q", "search_settings": "x"}, None),
    # hybrid search: full_text_limit (default 200) >= limit (default 10)
    (
        {"query": "q", "search_settings": {"limit": 201, "use_hybrid_search": True}},
        _hybrid(200, 201),
    ),
    ({"query": "q", "search_settings": {"limit": 200, "use_hybrid_search": True}}, None),
    (
        {"query": "q", "search_mode": "advanced", "search_settings": {"limit": 201}},
        _hybrid(200, 201),
    ),
    ({"query": "q", "search_mode": "basic", "search_settings": {"limit": 201}}, None),
    ({"query": "q", "search_mode": "custom", "search_settings": {"limit": 201}}, None),
    ({"query": "q", "search_settings": {"limit": 201}}, None),
    (
        {
            "query": "q",
            "search_mode": "advanced",
            "search_settings": {"limit": 201, "use_hybrid_search": False},
        },
        _hybrid(200, 201),
    ),
    (
        {
            "query": "q",
            "search_mode": "advanced",
            "search_settings": {
                "limit": 201,
                "use_hybrid_search": False,
                "use_fulltext_search": False,
            },
        },
        None,
    ),
    (
        {
            "query": "q",
            "search_mode": "advanced",
            "search_settings": {
                "limit": 201,
                "use_hybrid_search": False,
                "use_semantic_search": False,
            },
        },
        None,
    ),
    (
        {"query": "q", "search_settings": {"limit": 201, "use_fulltext_search": True}},
        _hybrid(200, 201),
    ),
    ({"query": "q", "search_settings": {"limit": 201, "use_hybrid_search": 1}}, None),
    (
        {
            "query": "q",
            "search_settings": {
                "use_fulltext_search": True,
                "hybrid_settings": {"full_text_limit": 5},
            },
        },
        _hybrid(5, 10),
    ),
    (
        {
            "query": "q",
            "search_settings": {
                "use_fulltext_search": True,
                "hybrid_settings": {"full_text_limit": 10},
            },
        },
        None,
    ),
    (
        {
            "query": "q",
            "search_settings": {
                "use_hybrid_search": True,
                "limit": 11,
                "hybrid_settings": {"full_text_limit": 10.5},
            },
        },
        _hybrid(10.5, 11),
    ),
    (
        {
            "query": "q",
            "search_settings": {"use_hybrid_search": True, "limit": 201, "hybrid_settings": {}},
        },
        _hybrid(200, 201),
    ),
    (
        {
            "query": "q",
            "search_settings": {"use_hybrid_search": True, "limit": 201, "hybrid_settings": 5},
        },
        _hybrid(200, 201),
    ),
    ({"query": "q", "search_settings": {"use_hybrid_search": True, "limit": True}}, None),
    ({"query": "q", "search_settings": {"use_hybrid_search": True, "limit": "300"}}, None),
    (
        {
            "query": "q",
            "search_settings": {
                "use_hybrid_search": True,
                "hybrid_settings": {"full_text_limit": False},
            },
        },
        None,
    ),
    (
        {
            "query": "q",
            "search_settings": {
                "use_hybrid_search": True,
                "hybrid_settings": {"full_text_limit": "1"},
            },
        },
        None,
    ),
]


@pytest.mark.parametrize(("body", "error"), CASES)
def test_rag_body_checks(body: dict[str, Any], error: str | None) -> None:
    if error is None:
        check_rag_body(body)
        return
    with pytest.raises(InvalidRequestError) as info:
        check_rag_body(body)
    assert str(info.value) == error

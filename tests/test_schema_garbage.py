"""Checking a body leaves no garbage cycle behind.

The checks signal a failed branch (anyOf, not, required) with an exception; an exception kept
with its traceback while its frame keeps it is a reference cycle, which holds every frame up the
stack (a caller's open stream included) until a garbage collection runs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from r2r_client._schema import validate

BODIES = [
    # anyOf branches that fail before one fits; `not` over `required`; nullable fields
    {
        "query": "q",
        "search_mode": None,
        "search_settings": {
            "limit": 5.0,
            "filters": {"$and": [{"document_id": {"$eq": "927d1a3f-8a57-5829-aa2e-c577fbc00d81"}}]},
        },
        "rag_generation_config": {"stream": True, "max_tokens_to_sample": 64},
    },
    {"query": "q", "search_settings": {"use_semantic_search": False, "use_fulltext_search": True}},
]


@pytest.fixture
def no_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("body", BODIES)
def test_a_valid_body_leaves_no_cycle_to_collect(body: dict[str, object]) -> None:
    for _ in range(3):
        validate(body, "RAGRequest")
    assert gc.collect() == 0

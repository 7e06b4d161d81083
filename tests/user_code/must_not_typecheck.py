"""User code that MUST NOT type-check: each line marked `# rejected` is one type error.

`nox -s user_typing` runs mypy --strict and basedpyright on this file apart from the others and
fails unless both report an error on exactly the marked lines: a misspelt key, a wrong type or
an unknown value in any argument the document describes is caught before the code runs. (The
file is never run.)
"""

from __future__ import annotations

from r2r_client import R2RClient
from r2r_client.events import RAGEvent

MODEL = "openai/gpt-4.1-mini"


def misspelt_keys(c: R2RClient) -> None:
    c.retrieval.rag("q", search_settings={"limitt": 3})  # rejected
    c.retrieval.rag("q", search_settings={"hybrid_settings": {"full_text_limt": 1}})  # rejected
    c.retrieval.rag("q", rag_generation_config={"temprature": 0.1})  # rejected
    c.retrieval.completion([{"rol": "user", "content": "Hi"}], {"model": MODEL})  # rejected
    c.retrieval.completion([{"role": "user"}], {"model": MODEL, "max_token": 5})  # rejected


def wrong_types_and_values(c: R2RClient) -> None:
    c.retrieval.rag("q", search_settings={"limit": "5"})  # rejected
    c.retrieval.rag("q", search_mode="turbo")  # rejected
    c.retrieval.rag("q", search_settings={"chunk_settings": {"index_measure": "l3"}})  # rejected
    c.retrieval.completion([{"role": "user"}], {"model": MODEL, "stream": True})  # rejected
    c.documents.replace_metadata("00000000-0000-4000-8000-000000000000", {"a": 1})  # rejected
    c.retrieval.rag("q", validation="loose")  # rejected


def unknown_event(event: RAGEvent) -> bool:
    return event.event == "usage"  # rejected

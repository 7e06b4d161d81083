"""Building requests: method, path and bytes sent for each call, and each argument's errors."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from r2r_api.models.generation_config import GenerationConfig
from r2r_api.models.search_settings import SearchSettings
from r2r_api.models.wrapped_completion_response import WrappedCompletionResponse
from r2r_api.models.wrapped_document_response import WrappedDocumentResponse
from r2r_client import InvalidRequestError, _requests
from r2r_client._results import WrappedRAGResponse

HI = {"role": "user", "content": "hi"}
SENT_HI = b'{"messages":[{"role":"user","content":"hi"}]'
DOC = "00000000-0000-0000-0000-000000000001"
DOC_PATH = f"/v3/documents/{DOC}/metadata"


class Mode(enum.Enum):  # a user's own enum: its value is sent
    ADVANCED = "advanced"


class ListModel:
    def to_dict(self) -> list[int]:
        return [1]


class NotCallable:
    to_dict = 5


def _error(call: Callable[[], object]) -> str:
    with pytest.raises(InvalidRequestError) as info:
        call()
    return str(info.value)


def test_prepared_call_without_a_body() -> None:
    call = _requests.PreparedCall({"method": "get", "url": "/v3/x", "json": None}, dict)
    assert (call.method, call.path, call.json, call.content, call.parse) == (
        "GET",
        "/v3/x",
        None,
        None,
        dict,
    )


# -- completion ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messages", "config", "extra", "sent"),
    [
        ([HI], None, None, SENT_HI + b"}"),
        (
            (HI, HI),
            None,
            {},
            b'{"messages":[{"role":"user","content":"hi"},{"role":"user","content":"hi"}]}',
        ),
        (
            [HI],
            {"max_tokens": 5},
            {"x": 1},
            SENT_HI + b',"generation_config":{"max_tokens_to_sample":5},"x":1}',
        ),
        (
            [HI],
            {"max_tokens": 5, "max_tokens_to_sample": 5},
            None,
            SENT_HI + b',"generation_config":{"max_tokens_to_sample":5}}',
        ),
        (
            [HI],
            GenerationConfig(model="m", temperature=0.5),
            None,
            SENT_HI + b',"generation_config":{"model":"m","temperature":0.5}}',
        ),
    ],
)
def test_completion_call(messages: Any, config: Any, extra: Any, sent: bytes) -> None:
    call = _requests.completion_call(messages, config, extra)
    assert (call.method, call.path, call.content) == ("POST", "/v3/retrieval/completion", sent)
    assert call.parse == WrappedCompletionResponse.from_dict
    assert isinstance(call.json, dict)
    assert call.json["messages"] == [HI] * len(messages)


@pytest.mark.parametrize(
    ("messages", "config", "extra", "error"),
    [
        ("hi", None, None, "messages: expected a list of messages, got str"),
        (b"hi", None, None, "messages: expected a list of messages, got bytes"),
        (HI, None, None, "messages: expected a list of messages, got dict"),
        (5, None, None, "messages: expected a list of messages, got int"),
        ([HI, 5], None, None, "messages[1]: expected an object (dict), got int"),
        ([HI], 5, None, "generation_config: expected an object (dict), got int"),
        ([HI], ListModel(), None, "generation_config: expected an object (dict), got ListModel"),
        (
            [HI],
            {"max_tokens": 5, "max_tokens_to_sample": 6},
            None,
            "generation_config.max_tokens: is an alias of max_tokens_to_sample, and both were "
            "given with different values",
        ),
        ([HI], None, [1], "extra_body: expected an object (dict), got list"),
        (
            [HI],
            None,
            {"messages": 1},
            "extra_body.messages: already given as an argument; pass it once",
        ),
        (
            [HI],
            {"temperature": float("nan")},
            None,
            "generation_config.temperature: NaN is not allowed in JSON; send a finite number "
            "or None",
        ),
        ([], None, None, "messages: needs at least 1 item, got 0"),
    ],
)
def test_completion_call_errors(messages: Any, config: Any, extra: Any, error: str) -> None:
    assert _error(lambda: _requests.completion_call(messages, config, extra)) == error


# -- rag -------------------------------------------------------------------------------------


def _rag(**given: Any) -> tuple[_requests.PreparedCall[Any], bool]:
    arguments: dict[str, Any] = {
        "query": "q",
        "rag_generation_config": None,
        "search_mode": None,
        "search_settings": None,
        "task_prompt": None,
        "include_title_if_available": None,
        "include_web_search": None,
        "stream": None,
        "extra_body": None,
    }
    return _requests.rag_call(**{**arguments, **given})


@pytest.mark.parametrize(
    ("given", "sent", "stream"),
    [
        ({}, b"", False),
        ({"stream": True}, b',"rag_generation_config":{"stream":true}', True),
        ({"stream": False}, b',"rag_generation_config":{"stream":false}', False),
        (
            {"rag_generation_config": {"stream": True}},
            b',"rag_generation_config":{"stream":true}',
            True,
        ),
        (
            {"rag_generation_config": {"stream": True}, "stream": True},
            b',"rag_generation_config":{"stream":true}',
            True,
        ),
        ({"rag_generation_config": {}}, b',"rag_generation_config":{}', False),
        (
            {"rag_generation_config": {"max_tokens": 3}},
            b',"rag_generation_config":{"max_tokens_to_sample":3}',
            False,
        ),
        (
            {"rag_generation_config": GenerationConfig(model="m"), "stream": True},
            b',"rag_generation_config":{"model":"m","stream":true}',
            True,
        ),
        ({"search_mode": Mode.ADVANCED}, b',"search_mode":"advanced"', False),
        ({"search_mode": "basic"}, b',"search_mode":"basic"', False),
        ({"search_settings": {"limit": 3}}, b',"search_settings":{"limit":3}', False),
        ({"search_settings": SearchSettings(limit=3)}, b',"search_settings":{"limit":3}', False),
        (
            {
                "task_prompt": "t {query}",
                "include_title_if_available": False,
                "include_web_search": True,
            },
            b',"task_prompt":"t {query}","include_title_if_available":false'
            b',"include_web_search":true',
            False,
        ),
        (
            {"extra_body": {"rag_generation_config": {"stream": False}}},
            b',"rag_generation_config":{"stream":false}',
            False,
        ),
        ({"extra_body": {"x": [1]}}, b',"x":[1]', False),
    ],
)
def test_rag_call(given: dict[str, Any], sent: bytes, stream: bool) -> None:
    call, streams = _rag(**given)
    assert (call.method, call.path, call.content) == (
        "POST",
        "/v3/retrieval/rag",
        b'{"query":"q"' + sent + b"}",
    )
    assert call.parse == WrappedRAGResponse.from_dict
    assert streams is stream
    assert type(call.json.get("search_mode", "")) is str


@pytest.mark.parametrize(
    ("given", "error"),
    [
        (
            {"rag_generation_config": {"stream": True}, "stream": False},
            "stream: contradicts rag_generation_config.stream; give it once",
        ),
        ({"rag_generation_config": 5}, "rag_generation_config: expected an object (dict), got int"),
        (
            {"rag_generation_config": {"max_tokens": 1, "max_tokens_to_sample": 2}},
            "rag_generation_config.max_tokens: is an alias of max_tokens_to_sample, and both were "
            "given with different values",
        ),
        ({"search_settings": 5}, "search_settings: expected an object (dict), got int"),
        (
            {"search_settings": NotCallable()},
            "search_settings: expected an object (dict), got NotCallable",
        ),
        (
            {"extra_body": {"rag_generation_config": {"stream": True}}},
            "extra_body.rag_generation_config.stream: ask for a stream with stream=True or "
            "rag_generation_config, not extra_body",
        ),
        (
            {"stream": False, "extra_body": {"query": "x"}},
            "extra_body.query: already given as an argument; pass it once",
        ),
        ({"extra_body": "x"}, "extra_body: expected an object (dict), got str"),
        ({"query": 5}, "query: expected string, got int 5"),
        (
            {"task_prompt": "}"},
            "task_prompt: the server fills it in with str.format(query=..., context=...), which "
            "fails here (Single '}' encountered in format string); use {query} and {context}, and "
            "write literal braces as {{ and }}",
        ),
        (
            {"rag_generation_config": {"temperature": float("nan")}},
            "rag_generation_config.temperature: NaN is not allowed in JSON; send a finite number "
            "or None",
        ),
    ],
)
def test_rag_call_errors(given: dict[str, Any], error: str) -> None:
    assert _error(lambda: _rag(**given)) == error


# -- replace_metadata ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "metadata", "sent"),
    [
        (DOC, [{"a": 1}], b'[{"a":1}]'),
        (uuid.UUID(DOC), ({"a": 1}, {"b": 2}), b'[{"a":1},{"b":2}]'),
        (DOC.upper(), [], b"[]"),
    ],
)
def test_replace_metadata_call(doc: Any, metadata: Any, sent: bytes) -> None:
    call = _requests.replace_metadata_call(doc, metadata)
    assert (call.method, call.path, call.content) == ("PUT", DOC_PATH, sent)
    assert call.parse == WrappedDocumentResponse.from_dict
    assert call.json == list(metadata)


@pytest.mark.parametrize(
    ("doc", "metadata", "error"),
    [
        ("x", [], "id: expected a document UUID, got 'x'"),
        (5, [], "id: expected a document UUID, got 5"),
        (
            DOC,
            {"a": 1},
            "metadata: expected a list of objects, got a single object (wrap it: [metadata])",
        ),
        (DOC, "x", "metadata: expected a list of objects, got str"),
        (DOC, b"x", "metadata: expected a list of objects, got bytes"),
        (DOC, 5, "metadata: expected a list of objects, got int"),
        (DOC, [5], "metadata[0]: expected an object (dict), got int"),
        (DOC, [{"a": 1}, 5], "metadata[1]: expected an object (dict), got int"),
        (DOC, [ListModel()], "metadata[0]: expected an object (dict), got ListModel"),
        (
            DOC,
            [{"a": 1}, {"b": "x\x00"}],
            "metadata[1].b: must match the pattern '^[^\\\\u0000]*$', got 'x\\x00'",
        ),
    ],
)
def test_replace_metadata_call_errors(doc: Any, metadata: Any, error: str) -> None:
    assert _error(lambda: _requests.replace_metadata_call(doc, metadata)) == error


def test_document_id() -> None:
    assert _requests.document_id(DOC) == uuid.UUID(DOC)
    given = uuid.UUID(DOC)
    assert _requests.document_id(given) is given

"""The public surface at run time: generated from the document, documented, and telling the truth.

What type checkers make of user code against the installed wheel is `nox -s user_typing`
(tests/user_code/); the generation itself is tests/test_generation.py. Here: what Python sees.
- every public method, generated or written, has a docstring naming each of its parameters;
- the TypedDicts of `r2r_client.params` have the document's keys, required where it requires
  them, and the two variants of the generation config differ only in `stream`;
- every named event of the document's stream with a payload has its class, and an unknown name
  is an UnknownEvent, which no check on a known name can match;
- the `stream` overloads name the stream and the answer, and match what the calls return.
"""

from __future__ import annotations

import inspect
import typing
import uuid
from collections.abc import Callable, Iterator
from typing import Any, get_overloads

import pytest
import respx
from _helpers import BASE, fixture_response

import r2r_client
from r2r_api import models
from r2r_client import (
    APIResponse,
    AsyncR2RClient,
    AsyncRAGStream,
    InvalidRequestError,
    R2RClient,
    RAGStream,
    events,
    params,
    resources,
)

pytestmark = pytest.mark.introspects  # signatures and docstrings

DOCUMENTED: list[type] = [
    R2RClient,
    AsyncR2RClient,
    *(getattr(resources, name) for name in resources.__all__),
    RAGStream,
    AsyncRAGStream,
    APIResponse,
    r2r_client.RAGAnswer,
    *(getattr(events, name) for name in events.__all__ if isinstance(getattr(events, name), type)),
]


def _public_functions(cls: type) -> Iterator[tuple[str, Callable[..., Any]]]:
    """The class's own public methods (and __init__), property getters included."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("r2r_client"):
            continue
        for name, value in vars(klass).items():
            if (name.startswith("_") and name != "__init__") or name in seen:
                continue
            seen.add(name)
            if isinstance(value, property) and value.fget is not None:
                yield name, value.fget
            elif inspect.isfunction(value):
                yield name, value


@pytest.mark.parametrize("cls", DOCUMENTED, ids=[c.__name__ for c in DOCUMENTED])
def test_every_public_method_has_a_docstring_naming_its_parameters(cls: type) -> None:
    assert inspect.getdoc(cls), cls
    for name, function in _public_functions(cls):
        if name == "__init__" and cls not in (R2RClient, AsyncR2RClient):
            continue  # constructed by the library, not by users
        doc = function.__doc__
        assert doc, f"{cls.__name__}.{name} has no docstring"
        for parameter in inspect.signature(function).parameters:
            if parameter != "self":
                assert f"{parameter}:" in doc, f"{cls.__name__}.{name}: {parameter} undocumented"


TYPING_ONLY = {"params": params, "models": models, "UUID": uuid.UUID, "RAGStream": RAGStream,
               "AsyncRAGStream": AsyncRAGStream, "APIResponse": APIResponse,
               "R2RClient": R2RClient, "AsyncR2RClient": AsyncR2RClient}  # fmt: skip


def test_the_rag_overloads_name_the_streams_and_the_answer() -> None:
    returns = [
        typing.get_type_hints(o, localns=TYPING_ONLY)["return"]
        for o in get_overloads(resources.RetrievalResource.rag)
    ]
    answer = models.WrappedRAGResponse
    assert returns == [RAGStream, RAGStream, answer, answer, answer | RAGStream]


def test_async_flavours_are_coroutines_and_sync_ones_are_not() -> None:
    for name in resources.__all__:
        cls = getattr(resources, name)
        for method, function in _public_functions(cls):
            if method in ("__init__", "with_raw_response"):
                continue
            assert inspect.iscoroutinefunction(function) == name.startswith("Async"), method


# -- the typed dicts follow the document -------------------------------------------------------


def _required(typed: Any) -> set[str]:
    """The keys a type checker requires: `Required[...]`. (The generated module's annotations
    are strings, which `__required_keys__` cannot see through on Python 3.11.)"""
    spelled = {
        key: getattr(hint, "__forward_arg__", hint) for key, hint in typed.__annotations__.items()
    }
    return {key for key, hint in spelled.items() if str(hint).startswith("Required[")}


def _closed_objects(openapi: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The document's object schemas with properties and no other keys: TypedDicts."""
    return {
        name: schema
        for name, schema in openapi["components"]["schemas"].items()
        if schema.get("properties") and "additionalProperties" not in schema
    }


def test_each_closed_request_object_has_a_typed_dict_with_its_keys(
    openapi: dict[str, Any],
) -> None:
    checked = []
    for name, schema in _closed_objects(openapi).items():
        typed = getattr(params, f"{name}Param", None)
        if typed is None:
            continue  # a response object: no argument takes it
        assert set(typed.__annotations__) == set(schema["properties"]), name
        assert _required(typed) == set(schema.get("required", [])), name
        checked.append(name)
    assert {"SearchSettings", "GenerationConfig", "Message", "HybridSearchSettings"} <= set(checked)


def test_the_stream_variants_differ_from_the_config_only_in_stream() -> None:
    base = params.GenerationConfigParam.__annotations__
    streaming = params.StreamingGenerationConfigParam
    plain = params.NonStreamingGenerationConfigParam
    for variant in (streaming, plain):
        assert set(variant.__annotations__) == set(base)
        assert {k: v for k, v in variant.__annotations__.items() if k != "stream"} == {
            k: v for k, v in base.items() if k != "stream"
        }
    assert _required(streaming) == {"stream"}
    assert _required(plain) == set()
    assert params.StreamingRAGGenerationConfig is streaming  # the 0.2 names
    assert params.RAGGenerationConfig is plain
    assert params.GenerationConfigParams is params.GenerationConfigParam


# -- events follow the document -------------------------------------------------------------


def test_every_named_event_with_a_payload_has_its_class(openapi: dict[str, Any]) -> None:
    rag = openapi["paths"]["/v3/retrieval/rag"]["post"]
    stream = rag["responses"]["200"]["content"]["text/event-stream"]["schema"]
    named = {}
    for option in stream["oneOf"]:
        name = option["properties"]["event"]["const"]
        payload = option["properties"]["data"].get("contentSchema", {}).get("$ref")
        if payload and name not in (stream["x-end-event"], stream["x-error-event"]):
            named[name] = payload.rsplit("/", 1)[-1]
    assert {name: cls._model for name, cls in events.EVENT_TYPES.items()} == named
    for name, cls in events.EVENT_TYPES.items():
        assert cls.event == name
    assert set(typing.get_args(events.KnownEvent)) == set(events.EVENT_TYPES.values())
    assert (events.END_EVENT, events.ERROR_EVENT) == ("done", "error")


def test_an_unknown_event_never_matches_a_known_name() -> None:
    unknown = events.UnknownEvent("brand_new", {"x": 1})
    assert unknown.event == "unknown"
    assert unknown.name == "brand_new"
    assert repr(unknown) == "UnknownEvent(name='brand_new', data={'x': 1})"
    assert "unknown" not in events.EVENT_TYPES


# -- the overloads tell the truth at run time ------------------------------------------------


@pytest.fixture
def rag_api() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post("/v3/retrieval/rag").mock(
            side_effect=lambda request: fixture_response(
                "07-rag-stream"
                if b'"stream":true' in request.content.replace(b" ", b"")
                else "06-rag"
            )
        )
        yield router


def test_a_streaming_config_dict_gives_a_stream(rag_api: respx.Router) -> None:
    with R2RClient(api_key="k") as client:
        with client.retrieval.rag("q", {"model": "m", "stream": True}) as stream:
            assert isinstance(stream, RAGStream)
            assert stream.final_answer().generated_answer
        answer = client.retrieval.rag("q", {"model": "m"})
        assert not isinstance(answer, RAGStream)
        assert answer.results.generated_answer
        raw = client.with_raw_response.retrieval.rag("q", stream=True)
        with raw.parse() as stream:
            assert isinstance(stream, RAGStream)


def test_extra_body_cannot_turn_a_stream_on(rag_api: respx.Router) -> None:
    with R2RClient(api_key="k") as client, pytest.raises(InvalidRequestError) as info:
        client.retrieval.rag("q", extra_body={"rag_generation_config": {"stream": True}})
    assert str(info.value) == (
        "extra_body.rag_generation_config.stream: ask for a stream with stream=True or "
        "rag_generation_config, not extra_body"
    )
    assert not rag_api.calls


def test_raw_mode_leaves_no_state_behind(rag_api: respx.Router) -> None:
    """Raw mode travels in the call's options: a raw call never makes a later call raw."""
    with R2RClient(api_key="k") as client:
        raw = client.with_raw_response.retrieval.rag("q")
        assert raw.status_code == 200
        assert not isinstance(client.retrieval.rag("q"), APIResponse)

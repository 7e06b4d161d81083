"""The typed surface at run time: hints resolve, twins agree, every public method is documented.

What type checkers say about user code against the installed wheel is `nox -s user_typing`
(tests/typing/); this file checks what Python itself can see.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator
from typing import Any, get_overloads

import pytest
import respx
from _helpers import BASE, fixture_response

import r2r_client
from r2r_client import (
    AsyncR2RClient,
    AsyncRAGStream,
    InvalidRequestError,
    R2RClient,
    RAGStream,
    events,
    params,
    resources,
)
from r2r_client._client import AsyncRawR2RClient, RawR2RClient

pytestmark = pytest.mark.introspects  # signatures and docstrings

PUBLIC_MODULES = [r2r_client, r2r_client.errors, events, params, resources, r2r_client.sse]


def _public_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for module in PUBLIC_MODULES:
        for name in getattr(module, "__all__", dir(module)):
            value = getattr(module, name)
            if isinstance(value, type) and value.__module__.startswith("r2r_client"):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    for extra in (RawR2RClient, AsyncRawR2RClient):
        found[extra.__qualname__] = extra
    return found


CLASSES = _public_classes()


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


def _with_overloads(function: Callable[..., Any]) -> list[Callable[..., Any]]:
    return [function, *get_overloads(function)]


def test_the_public_classes_are_found() -> None:
    names = {cls.__name__ for cls in CLASSES.values()}
    assert {"R2RClient", "RetrievalResource", "MessageEvent", "RAGStream", "APIResponse"} <= names


@pytest.mark.parametrize("cls", CLASSES.values(), ids=list(CLASSES))
def test_type_hints_resolve_at_run_time(cls: type) -> None:
    typing.get_type_hints(cls)
    functions = list(_public_functions(cls))
    for _, function in functions:
        for variant in _with_overloads(function):
            typing.get_type_hints(variant)


def test_module_functions_have_resolvable_hints() -> None:
    for module in PUBLIC_MODULES:
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if inspect.isfunction(value):
                typing.get_type_hints(value)


def test_rag_hints_name_the_generated_models() -> None:
    from r2r_api.models import GenerationConfig, WrappedRAGResponse

    hints = typing.get_type_hints(resources.RetrievalResource.rag)
    assert hints["return"] == WrappedRAGResponse | RAGStream
    assert GenerationConfig in typing.get_args(hints["rag_generation_config"])
    returns = [
        typing.get_type_hints(o)["return"] for o in get_overloads(resources.RetrievalResource.rag)
    ]
    assert returns == [
        RAGStream,
        RAGStream,
        WrappedRAGResponse,
        WrappedRAGResponse,
        WrappedRAGResponse | RAGStream,
    ]


# -- twins ------------------------------------------------------------------------------------

TWINS = [
    (resources.RetrievalResource, resources.AsyncRetrievalResource),
    (resources.RetrievalResource, resources.RawRetrievalResource),
    (resources.RetrievalResource, resources.AsyncRawRetrievalResource),
    (resources.DocumentsResource, resources.AsyncDocumentsResource),
    (resources.DocumentsResource, resources.RawDocumentsResource),
    (resources.DocumentsResource, resources.AsyncRawDocumentsResource),
    (R2RClient, AsyncR2RClient),
    (RAGStream, AsyncRAGStream),
]


def _parameters(function: Callable[..., Any]) -> list[tuple[str, Any, Any, Any]]:
    """Name, kind, default and annotation of each parameter (`self` and `client` aside)."""
    hints = typing.get_type_hints(function)
    return [
        (p.name, p.kind, p.default, _sync_spelling(hints.get(p.name)))
        for p in inspect.signature(function).parameters.values()
        if p.name != "self"
    ]


def _sync_spelling(annotation: Any) -> str:
    """The annotation with the async names spelled as their sync twins'."""
    text = repr(annotation)
    for async_name, sync_name in (
        ("AsyncClient", "Client"),
        ("AsyncR2RClient", "R2RClient"),
        ("AsyncRAGStream", "RAGStream"),
    ):
        text = text.replace(async_name, sync_name)
    return text


@pytest.mark.parametrize(
    ("sync", "twin"), TWINS, ids=[f"{a.__name__}-{b.__name__}" for a, b in TWINS]
)
def test_twins_have_the_same_methods_and_parameters(sync: type, twin: type) -> None:
    sync_methods = dict(_public_functions(sync))
    twin_methods = dict(_public_functions(twin))
    assert set(sync_methods) == set(twin_methods)
    for name, function in sync_methods.items():
        other = twin_methods[name]
        sync_variants = _with_overloads(function)
        twin_variants = _with_overloads(other)
        assert len(sync_variants) == len(twin_variants), name
        for a, b in zip(sync_variants, twin_variants, strict=True):
            params_a, params_b = _parameters(a), _parameters(b)
            if name == "__init__":  # the clients differ in their resources' client type only
                params_a = [p for p in params_a if p[0] != "client"]
                params_b = [p for p in params_b if p[0] != "client"]
            assert params_a == params_b, f"{sync.__name__}.{name} vs {twin.__name__}.{name}"


def test_async_methods_are_coroutines() -> None:
    for cls in (resources.AsyncRetrievalResource, resources.AsyncRawRetrievalResource):
        for name in ("completion", "rag"):
            assert inspect.iscoroutinefunction(getattr(cls, name))
    assert inspect.iscoroutinefunction(resources.AsyncDocumentsResource.replace_metadata)


# -- docstrings -------------------------------------------------------------------------------

DOCUMENTED = [
    R2RClient,
    AsyncR2RClient,
    RawR2RClient,
    AsyncRawR2RClient,
    *(getattr(resources, name) for name in resources.__all__),
    RAGStream,
    AsyncRAGStream,
    r2r_client.APIResponse,
    r2r_client.RAGAnswer,
    *(getattr(events, name) for name in events.__all__ if isinstance(getattr(events, name), type)),
]


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


# -- the typed dicts follow the document -----------------------------------------------------


@pytest.mark.parametrize(
    "typed_dict",
    [
        params.GenerationConfigParams,
        params.RAGGenerationConfig,
        params.StreamingRAGGenerationConfig,
    ],
)
def test_generation_config_dicts_have_the_documents_keys(
    typed_dict: Any, openapi: dict[str, Any]
) -> None:
    document_keys = set(openapi["components"]["schemas"]["GenerationConfig"]["properties"])
    assert set(typed_dict.__annotations__) == document_keys
    assert typed_dict.__required_keys__ == (
        {"stream"} if typed_dict is params.StreamingRAGGenerationConfig else set()
    )


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
    assert info.value.field == "extra_body.rag_generation_config.stream"
    assert not rag_api.calls


def test_raw_mode_leaves_no_state_behind(rag_api: respx.Router) -> None:
    """Raw mode travels in the call's options: a raw call never makes a later call raw."""
    with R2RClient(api_key="k") as client:
        raw = client.with_raw_response.retrieval.rag("q")
        assert raw.status_code == 200
        assert not isinstance(client.retrieval.rag("q"), r2r_client.APIResponse)


def test_unknown_event_narrowing_contract() -> None:
    unknown = events.UnknownEvent("brand_new", {"x": 1})
    assert unknown.event == "unknown"
    assert unknown.name == "brand_new"
    assert repr(unknown) == "UnknownEvent(name='brand_new', data={'x': 1})"
    known = {cls.event for cls in typing.get_args(events.KnownEvent)}
    assert "unknown" not in known
    assert known == set(events.EVENT_TYPES)

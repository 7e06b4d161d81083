"""Turn the user's arguments into a request built by the generated code.

Arguments may be plain dicts (as in the official SDK) or the generated models. Everything is
checked against the OpenAPI document before anything is sent, and keys the document does not
know are passed through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from r2r_api.api.documents import replace_document_metadata as _replace_metadata_api
from r2r_api.api.retrieval import completion as _completion_api
from r2r_api.api.retrieval import rag as _rag_api
from r2r_api.models.wrapped_completion_response import WrappedCompletionResponse
from r2r_api.models.wrapped_document_response import WrappedDocumentResponse
from r2r_api.models.wrapped_rag_response import WrappedRAGResponse

from ._body_checks import check_rag_body
from ._encoding import encode_json
from ._results import WrappedRAGResponse as _RAGResult
from ._schema import validate
from .errors import InvalidRequestError

T = TypeVar("T")


class PreparedCall(Generic[T]):
    """A request ready to send, and how to parse a successful answer.

    The body is encoded here, before it is checked against the document: a value JSON cannot
    carry (a datetime, a UUID...) is then named with what to do about it, not as a type the
    document does not allow.
    """

    __slots__ = ("content", "json", "method", "parse", "path")

    def __init__(self, kwargs: dict[str, Any], parse: Callable[[dict[str, Any]], T]) -> None:
        self.method: str = kwargs["method"].upper()
        self.path: str = kwargs["url"]
        self.json: Any = kwargs["json"]
        self.content: bytes | None = None if self.json is None else encode_json(self.json)
        self.parse = parse


class _Checked:
    """A body already checked against the document, in the shape the generated code sends.

    The generated `_get_kwargs` only calls `to_dict()` on its body; handing it this instead of a
    model spares a dict -> model -> dict round trip on every call, and keeps every key as given.
    """

    __slots__ = ("_body",)

    def __init__(self, body: dict[str, Any]) -> None:
        self._body = body

    def to_dict(self) -> dict[str, Any]:
        return self._body


def _as_model(body: dict[str, Any]) -> Any:
    """`body` where the generated code takes a model: typed Any, as it only has `to_dict()`."""
    return _Checked(body)


def _plain(value: object, field: str) -> dict[str, Any]:
    """A dict from a dict or a generated model; anything else is a clear error."""
    if isinstance(value, Mapping):
        return dict(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, dict):
            return result
    raise InvalidRequestError(field, f"expected an object (dict), got {type(value).__name__}")


def _merge_extra(body: dict[str, Any], extra_body: Mapping[str, Any] | None) -> None:
    if extra_body is not None and not isinstance(extra_body, Mapping):
        raise InvalidRequestError(
            "extra_body", f"expected an object (dict), got {type(extra_body).__name__}"
        )
    if extra_body:
        for key, value in extra_body.items():
            if key in body:
                raise InvalidRequestError(
                    f"extra_body.{key}", "already given as an argument; pass it once"
                )
            body[key] = value


def normalize_generation_config(config: dict[str, Any], field: str) -> dict[str, Any]:
    """Send `max_tokens` under its canonical name `max_tokens_to_sample`."""
    if "max_tokens" in config:
        if (
            "max_tokens_to_sample" in config
            and config["max_tokens_to_sample"] != config["max_tokens"]
        ):
            raise InvalidRequestError(
                f"{field}.max_tokens",
                "is an alias of max_tokens_to_sample, and both were given with different values",
            )
        config["max_tokens_to_sample"] = config.pop("max_tokens")
    return config


def _check_messages(messages: object) -> list[dict[str, Any]]:
    """The messages as plain dicts; what each must hold is the document's to say."""
    if isinstance(messages, (str, bytes, Mapping)) or not isinstance(messages, Sequence):
        raise InvalidRequestError(
            "messages", f"expected a list of messages, got {type(messages).__name__}"
        )
    return [_plain(message, f"messages[{i}]") for i, message in enumerate(messages)]


def completion_call(
    messages: object,
    generation_config: object | None,
    extra_body: Mapping[str, Any] | None,
) -> PreparedCall[WrappedCompletionResponse]:
    body: dict[str, Any] = {"messages": _check_messages(messages)}
    if generation_config is not None:
        body["generation_config"] = normalize_generation_config(
            _plain(generation_config, "generation_config"), "generation_config"
        )
    _merge_extra(body, extra_body)
    kwargs = _completion_api._get_kwargs(body=_as_model(body))
    call = PreparedCall(kwargs, WrappedCompletionResponse.from_dict)
    validate(body, "CompletionRequest")
    return call


def rag_call(
    *,
    query: object,
    rag_generation_config: object | None,
    search_mode: object | None,
    search_settings: object | None,
    task_prompt: str | None,
    include_title_if_available: bool | None,
    include_web_search: bool | None,
    stream: bool | None,
    extra_body: Mapping[str, Any] | None,
) -> tuple[PreparedCall[WrappedRAGResponse], bool]:
    """The prepared call, and whether the answer will be a stream."""
    body: dict[str, Any] = {"query": query}
    config: dict[str, Any] = {}
    if rag_generation_config is not None:
        config = normalize_generation_config(
            _plain(rag_generation_config, "rag_generation_config"), "rag_generation_config"
        )
    if stream is not None:
        if "stream" in config and config["stream"] != stream:
            raise InvalidRequestError(
                "stream", "contradicts rag_generation_config.stream; give it once"
            )
        config["stream"] = stream
    if rag_generation_config is not None or stream is not None:
        body["rag_generation_config"] = config
    if search_mode is not None:
        body["search_mode"] = getattr(search_mode, "value", search_mode)
    if search_settings is not None:
        body["search_settings"] = _plain(search_settings, "search_settings")
    optional = {
        "task_prompt": task_prompt,
        "include_title_if_available": include_title_if_available,
        "include_web_search": include_web_search,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    _merge_extra(body, extra_body)
    sent_config = body.get("rag_generation_config")
    if isinstance(sent_config, Mapping) and sent_config.get("stream") and not config.get("stream"):
        # rag()'s overloads type the answer from `stream` and `rag_generation_config` only.
        raise InvalidRequestError(
            "extra_body.rag_generation_config.stream",
            "ask for a stream with stream=True or rag_generation_config, not extra_body",
        )
    kwargs = _rag_api._get_kwargs(body=_as_model(body))
    call: PreparedCall[WrappedRAGResponse] = PreparedCall(kwargs, _RAGResult.from_dict)
    validate(body, "RAGRequest")
    check_rag_body(body)
    return call, bool(config.get("stream"))


def document_id(value: object) -> UUID:
    if isinstance(value, UUID):
        return value
    if isinstance(value, str):
        try:
            return UUID(value)
        except ValueError:
            pass
    raise InvalidRequestError("id", f"expected a document UUID, got {value!r}")


def replace_metadata_call(id: object, metadata: object) -> PreparedCall[WrappedDocumentResponse]:
    doc_id = document_id(id)
    if isinstance(metadata, Mapping):
        raise InvalidRequestError(
            "metadata", "expected a list of objects, got a single object (wrap it: [metadata])"
        )
    if isinstance(metadata, (str, bytes)) or not isinstance(metadata, Sequence):
        raise InvalidRequestError(
            "metadata", f"expected a list of objects, got {type(metadata).__name__}"
        )
    items = [_plain(item, f"metadata[{i}]") for i, item in enumerate(metadata)]
    kwargs = _replace_metadata_api._get_kwargs(doc_id, body=[_as_model(item) for item in items])
    call = PreparedCall(kwargs, WrappedDocumentResponse.from_dict)
    for i, item in enumerate(items):
        validate(item, "MetadataObject", f"metadata[{i}]")
    return call

"""Turn a generated method's arguments into a request: the body, checked, and its parser.

One generic implementation for every operation of the document: `_operations.py` (generated)
says what each operation is, the generated methods hand over their arguments as they came.
Arguments may be plain dicts (as in the official SDK) or the generated models. The body is
encoded once; what the arguments make of it is checked against the document (and the few rules
no schema can say, `_body_checks`) before anything is sent, as the call's `validation` says;
`extra_body` is merged in as given, unchecked, for what the document does not know yet.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

from ._encoding import encode_json
from ._insecure import frames_in_package
from ._results import not_iterable
from ._types import Validation
from .errors import InvalidRequestError

T = TypeVar("T")


class RequestValidationWarning(UserWarning):
    """A body the pre-send checks refuse was sent anyway (`validation="warn"`)."""


class Operation(Generic[T]):
    """What the generated code knows of one operation: enough to build its requests.

    `T` is the generated model of its successful JSON answer, named in `result`.
    """

    __slots__ = (
        "_parse",
        "aliases",
        "body",
        "method",
        "operation_id",
        "path",
        "path_params",
        "result",
        "stream_param",
    )

    def __init__(
        self,
        *,
        operation_id: str,
        method: str,
        path: str,
        path_params: tuple[tuple[str, str | None], ...],
        body: Literal["object", "array"] | None,
        stream_param: str | None,
        result: str,
        aliases: tuple[tuple[str, str, str], ...],
    ) -> None:
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.path_params = path_params  # (name, format), in the path's order
        self.body = body
        self.stream_param = stream_param  # the argument whose `stream` key asks for a stream
        self.result = result
        self.aliases = aliases  # (argument, alias key, canonical key)
        self._parse: Callable[[dict[str, Any]], T] | None = None

    def parse(self, body: dict[str, Any]) -> T:
        """The result of a successful JSON answer (the model is loaded on first use)."""
        parse = self._parse
        if parse is None:
            from r2r_api import models  # a lazy package: loads the one model

            model: Any = getattr(models, self.result)
            if self.stream_param is not None:  # a JSON answer where a stream could have been
                model = not_iterable(model)
            parse = self._parse = model.from_dict
        return parse(body)

    def __repr__(self) -> str:
        return f"<Operation {self.operation_id}: {self.method} {self.path}>"


class PreparedCall(Generic[T]):
    """A request ready to send, and how to parse a successful answer."""

    __slots__ = ("content", "method", "operation_id", "parse", "path", "stream")

    def __init__(
        self, operation: Operation[T], path: str, content: bytes | None, stream: bool
    ) -> None:
        self.operation_id = operation.operation_id
        self.method = operation.method
        self.path = path
        self.content = content  # the JSON body, encoded
        self.stream = stream  # whether the answer will be a stream
        self.parse: Callable[[dict[str, Any]], T] = operation.parse


def prepare(
    operation: Operation[T],
    arguments: dict[str, Any],
    extra_body: Mapping[str, Any] | None,
    validation: Validation,
    *,
    stream: bool | None = None,
) -> PreparedCall[T]:
    """The call for `arguments` (every argument of the generated method, by name)."""
    path = operation.path
    for name, kind in operation.path_params:
        path = path.replace(
            f"{{{name}}}", quote(_path_value(arguments.pop(name), name, kind), safe="")
        )
    body: Any = None
    if operation.body == "array":
        (name,) = arguments
        body = _array(arguments[name], name)
    elif operation.body == "object":
        body = {k: _plain(v) for k, v in arguments.items() if v is not None}
        for argument, alias, canonical in operation.aliases:
            _resolve_alias(body.get(argument), argument, alias, canonical)
    streaming = False
    if operation.stream_param is not None:
        streaming = _stream_switch(body, operation.stream_param, stream)
    sent = body
    if extra_body is not None:
        sent = _with_extra(body, extra_body)
        if operation.stream_param is not None:
            config = sent.get(operation.stream_param)
            if isinstance(config, Mapping) and config.get("stream") and not streaming:
                # rag()'s overloads type the answer from `stream` and the config only.
                raise InvalidRequestError(
                    f"extra_body.{operation.stream_param}.stream",
                    f"ask for a stream with stream=True or {operation.stream_param}, "
                    "not extra_body",
                )
    try:
        content = None if sent is None else encode_json(sent)
    except InvalidRequestError:
        if extra_body is None:
            raise
        try:  # a culprit in extra_body is named there, as the user wrote it
            encode_json(dict(extra_body), "extra_body")
        except InvalidRequestError as named:
            raise named from None  # one error in the traceback, not the body's before it
        raise
    if validation != "off" and body is not None:
        _check(operation, body, arguments, validation)
    return PreparedCall(operation, path, content, streaming)


def _check(
    operation: Operation[Any], body: Any, arguments: dict[str, Any], validation: Validation
) -> None:
    from ._body_checks import check_body
    from ._schema import validate_request_body  # loads and compiles on the first call

    prefix = next(iter(arguments)) if operation.body == "array" else ""
    try:
        validate_request_body(body, operation.operation_id, prefix)
        check_body(operation.operation_id, body)
    except InvalidRequestError as exc:
        if validation == "strict":
            raise
        warnings.warn(
            f"{exc} (sent anyway: validation={validation!r})",
            RequestValidationWarning,
            # 1: this function, then past every frame of ours to the user's line.
            stacklevel=1 + frames_in_package(sys._getframe()),
        )


def _path_value(value: object, name: str, kind: str | None) -> str:
    if kind == "uuid":
        from uuid import UUID  # only a path with a UUID needs it: not imported with r2r_client

        if isinstance(value, UUID):
            return str(value)
        if isinstance(value, str):
            try:
                return str(UUID(value))
            except ValueError:
                pass
        raise InvalidRequestError(name, f"expected a UUID, got {value!r}")
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise InvalidRequestError(name, f"expected a string, got {type(value).__name__}")


def _plain(value: object) -> object:
    """An argument as JSON-ready data: models become dicts, containers are copied.

    Only the arguments' own level and their lists are converted: a nested model is the user's
    choice, and the encoder names it if JSON cannot carry it.
    """
    if isinstance(value, (list, tuple)):
        return [_item(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return _item(value)


def _item(value: object) -> object:
    """A dict for a mapping or a generated model (an instance: a class is left to the checks)."""
    if isinstance(value, Mapping):
        return dict(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        result = to_dict()
        if isinstance(result, dict):
            return result
    return value


def _array(value: object, name: str) -> list[object]:
    if isinstance(value, Mapping):
        raise InvalidRequestError(name, f"expected a list, got a single object (wrap it: [{name}])")
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidRequestError(name, f"expected a list, got {type(value).__name__}")
    return [_item(item) for item in value]


def _resolve_alias(config: object, argument: str, alias: str, canonical: str) -> None:
    """Send an alias under its canonical name (`max_tokens` as `max_tokens_to_sample`)."""
    if not isinstance(config, dict) or alias not in config:
        return
    if canonical in config and config[canonical] != config[alias]:
        raise InvalidRequestError(
            f"{argument}.{alias}",
            f"is an alias of {canonical}, and both were given with different values",
        )
    config[canonical] = config.pop(alias)


def _stream_switch(body: dict[str, Any], param: str, stream: bool | None) -> bool:
    """Whether the answer will stream: `stream=` and `<param>["stream"]`, which must agree."""
    config = body.get(param)
    if stream is not None:
        if isinstance(config, dict):
            if "stream" in config and config["stream"] != stream:
                raise InvalidRequestError("stream", f"contradicts {param}.stream; give it once")
            config["stream"] = stream
        elif config is None:
            config = body[param] = {"stream": stream}
        else:  # not an object: left as given, for the checks to name
            return stream
    return isinstance(config, dict) and config.get("stream") is True


def _with_extra(body: Any, extra: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(extra, Mapping):
        raise InvalidRequestError(
            "extra_body", f"expected an object (dict), got {type(extra).__name__}"
        )
    merged = dict(body)
    _merge(merged, extra, "extra_body")
    return merged


def _merge(into: dict[str, Any], extra: Mapping[str, Any], where: str) -> None:
    """Add `extra` into `into` (copied on the way down): objects merge, other values may not
    replace an argument's."""
    for key, value in extra.items():
        if key not in into:
            into[key] = value
        elif isinstance(into[key], dict) and isinstance(value, Mapping):
            into[key] = dict(into[key])
            _merge(into[key], value, f"{where}.{key}")
        else:
            raise InvalidRequestError(
                f"{where}.{key}", "already given as an argument; pass it once"
            )

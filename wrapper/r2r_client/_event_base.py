"""What every event of a stream is made of; the event classes themselves are generated
(`events.py`, from the document's stream schema)."""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar, Generic, Literal, TypeVar

from .errors import APIResponseValidationError

__all__ = ["DeltaEvent", "TypedEvent", "UnknownEvent"]

D = TypeVar("D")


class TypedEvent(Generic[D]):
    """An event whose payload has a generated model (`.data`, built on first access)."""

    __slots__ = ("_data", "raw")
    event: ClassVar[str]
    _model: ClassVar[str]  # the name of the generated model of the payload in r2r_api.models

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self._data: D | None = None

    @property
    def data(self) -> D:
        """The payload as its generated model (`.raw` is the JSON it is built from)."""
        if self._data is None:
            try:
                self._data = _model_class(type(self)._model).from_dict(self.raw)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise APIResponseValidationError(
                    f"the {self.event!r} event's data does not fit its schema: {exc!r}",
                    response=None,
                    body=self.raw,
                ) from exc
        return self._data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.raw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypedEvent) and type(other) is type(self) and other.raw == self.raw


class DeltaEvent(TypedEvent[D]):
    """An event carrying a piece of text in `delta.content` (`.text` is the piece)."""

    __slots__ = ("text",)

    def __init__(self, raw: dict[str, Any]) -> None:
        super().__init__(raw)
        self.text: str = _delta_text(raw)


@cache
def _model_class(name: str) -> Any:
    from r2r_api import models  # a lazy package: the model loads when a payload is read

    return getattr(models, name)


def _delta_text(raw: dict[str, Any]) -> str:
    """The text parts of a delta, joined (R2R sends one); "" when it has none."""
    try:
        parts = raw["delta"]["content"]
    except (KeyError, TypeError):
        return ""
    if not isinstance(parts, list):
        return ""
    text = ""
    for part in parts:
        try:
            value = part["payload"]["value"]
        except (KeyError, TypeError):
            continue
        if isinstance(value, str):
            text += value
    return text


class UnknownEvent:
    """An event the document does not name: its wire name is `.name`, `.data` the parsed JSON.

    `.data` is the raw text when the payload is not JSON. `event` is always `"unknown"`, so that
    checks on the named events narrow (see `r2r_client.events`).
    """

    __slots__ = ("data", "name")
    event: ClassVar[Literal["unknown"]] = "unknown"

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        self.data = data

    def __repr__(self) -> str:
        return f"UnknownEvent(name={self.name!r}, data={self.data!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UnknownEvent) and other.name == self.name and other.data == self.data
        )

"""What a non-streamed answer of a streamable operation is: its model, refusing to be iterated.

Iterating it (a forgotten `stream=True`) would otherwise fall back on the model's
`__getitem__` and fail with `KeyError: 0` from deep inside the generated code.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NoReturn

from .errors import NotAStreamError


def _not_a_stream(*_: object) -> NoReturn:
    raise NotAStreamError(
        "this answer was not streamed, so it has no events to iterate: call it with "
        "stream=True for a stream, or read the answer's fields (e.g. "
        ".results.generated_answer and .results.citations)"
    )


@cache
def not_iterable(model: type[Any]) -> type[Any]:
    """A subclass of the generated `model` (same fields, same name and repr) that refuses
    `for` and `async for`."""
    return type(
        model.__name__,
        (model,),
        {
            "__slots__": (),
            "__module__": model.__module__,
            "__qualname__": model.__qualname__,
            "__iter__": _not_a_stream,
            "__aiter__": _not_a_stream,
        },
    )

"""What a non-streamed rag() returns: the generated model, refusing to be iterated.

Iterating it (a forgotten `stream=True`) would otherwise fall back on the model's
`__getitem__` and fail with `KeyError: 0` from deep inside the generated code.
"""

from __future__ import annotations

from typing import NoReturn

from r2r_api.models.wrapped_rag_response import WrappedRAGResponse as _Generated

from .errors import NotAStreamError


def _not_a_stream() -> NotAStreamError:
    return NotAStreamError(
        "this rag() answer was not streamed, so it has no events to iterate: call "
        "rag(..., stream=True) for a stream, or read this answer's "
        ".results.generated_answer and .results.citations"
    )


class WrappedRAGResponse(_Generated):
    """The generated WrappedRAGResponse (same fields, same repr), not iterable."""

    __slots__ = ()

    def __iter__(self) -> NoReturn:
        raise _not_a_stream()

    def __aiter__(self) -> NoReturn:
        raise _not_a_stream()

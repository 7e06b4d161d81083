"""Types for the arguments that are JSON objects, so that type checkers know their keys.

One TypedDict (or alias) per request object of the document, generated into `_params.py`;
plain dicts work unchanged, a dict literal being checked against them. `rag()` uses the two
variants of its generation config to tell a streamed answer from a JSON one:
`rag_generation_config={"stream": True}` is a `StreamingGenerationConfigParam` and gives a
`RAGStream`; a config without `stream` (or with `stream: False`) is a
`NonStreamingGenerationConfigParam` and gives a `WrappedRAGResponse`.
"""

from ._params import *  # noqa: F403 (the generated names, listed in its __all__)
from ._params import (
    GenerationConfigParam,
    NonStreamingGenerationConfigParam,
    StreamingGenerationConfigParam,
)
from ._params import __all__ as _generated

GenerationConfigParams = GenerationConfigParam
"""The name of GenerationConfigParam in r2r-client 0.2 (kept for code written then)."""
RAGGenerationConfig = NonStreamingGenerationConfigParam
"""The name of NonStreamingGenerationConfigParam in r2r-client 0.2."""
StreamingRAGGenerationConfig = StreamingGenerationConfigParam
"""The name of StreamingGenerationConfigParam in r2r-client 0.2."""

__all__ = [
    *_generated,
    "GenerationConfigParams",
    "RAGGenerationConfig",
    "StreamingRAGGenerationConfig",
]

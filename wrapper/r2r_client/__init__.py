"""A typed, fast client for the R2R v3 API (IO Intelligence and self-hosted R2R).

```python
from r2r_client import R2RClient

client = R2RClient("https://api.intelligence.io.solutions/api/r2r")
client.set_api_key("...")
resp = client.retrieval.completion(messages=[{"role": "user", "content": "Hi"}])
print(resp.results.choices[0].message.content)
```
"""

# Every name loads on first use (PEP 562): `import r2r_client` costs nothing, the CLI's `--help`
# and argument errors run without the client, and the async client's asyncio (15-30 ms) is
# loaded only by those who use it. Type checkers read the imports below.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._async_client import AsyncR2RClient
    from ._async_stream import AsyncRAGStream
    from ._base_client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT
    from ._client import R2RClient
    from ._insecure import InsecureTransportWarning
    from ._requests import RequestValidationWarning
    from ._response import APIResponse
    from ._stream import RAGStream
    from ._stream_state import RAGAnswer
    from ._version import __version__
    from .errors import (
        APIConnectionError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientClosedError,
        ConfigurationError,
        ConflictError,
        IncompleteStreamError,
        InternalServerError,
        InvalidRequestError,
        NotAStreamError,
        NotFoundError,
        PermissionDeniedError,
        QuotaExceededError,
        R2RError,
        R2RException,
        RateLimitError,
        StreamConsumedError,
        StreamDisconnectedError,
        StreamEventError,
        UnprocessableEntityError,
    )
    from .events import (
        CitationEvent,
        FinalAnswerEvent,
        MessageEvent,
        RAGEvent,
        SearchResultsEvent,
        ThinkingEvent,
        ToolCallEvent,
        ToolResultEvent,
        UnknownEvent,
    )

_EXPORTS = {
    "DEFAULT_BASE_URL": "._base_client",
    "DEFAULT_TIMEOUT": "._base_client",
    "R2RClient": "._client",
    "AsyncR2RClient": "._async_client",
    "InsecureTransportWarning": "._insecure",
    "APIResponse": "._response",
    "RAGStream": "._stream",
    "AsyncRAGStream": "._async_stream",
    "RAGAnswer": "._stream_state",
    "APIConnectionError": ".errors",
    "APIResponseValidationError": ".errors",
    "APIStatusError": ".errors",
    "APITimeoutError": ".errors",
    "AuthenticationError": ".errors",
    "BadRequestError": ".errors",
    "ClientClosedError": ".errors",
    "ConfigurationError": ".errors",
    "ConflictError": ".errors",
    "IncompleteStreamError": ".errors",
    "InternalServerError": ".errors",
    "InvalidRequestError": ".errors",
    "NotAStreamError": ".errors",
    "NotFoundError": ".errors",
    "PermissionDeniedError": ".errors",
    "QuotaExceededError": ".errors",
    "R2RError": ".errors",
    "R2RException": ".errors",
    "RateLimitError": ".errors",
    "RequestValidationWarning": "._requests",
    "StreamConsumedError": ".errors",
    "StreamDisconnectedError": ".errors",
    "StreamEventError": ".errors",
    "UnprocessableEntityError": ".errors",
    "CitationEvent": ".events",
    "FinalAnswerEvent": ".events",
    "MessageEvent": ".events",
    "RAGEvent": ".events",
    "SearchResultsEvent": ".events",
    "ThinkingEvent": ".events",
    "ToolCallEvent": ".events",
    "ToolResultEvent": ".events",
    "UnknownEvent": ".events",
    "__version__": "._version",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_EXPORTS))


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncR2RClient",
    "AsyncRAGStream",
    "AuthenticationError",
    "BadRequestError",
    "CitationEvent",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "FinalAnswerEvent",
    "IncompleteStreamError",
    "InsecureTransportWarning",
    "InternalServerError",
    "InvalidRequestError",
    "MessageEvent",
    "NotAStreamError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "R2RClient",
    "R2RError",
    "R2RException",
    "RAGAnswer",
    "RAGEvent",
    "RAGStream",
    "RateLimitError",
    "RequestValidationWarning",
    "SearchResultsEvent",
    "StreamConsumedError",
    "StreamDisconnectedError",
    "StreamEventError",
    "ThinkingEvent",
    "ToolCallEvent",
    "ToolResultEvent",
    "UnknownEvent",
    "UnprocessableEntityError",
    "__version__",
]

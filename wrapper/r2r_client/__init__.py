"""A typed, fast client for the R2R v3 API (IO Intelligence and self-hosted R2R).

```python
from r2r_client import R2RClient

client = R2RClient("https://api.intelligence.io.solutions/api/r2r")
client.set_api_key("...")
resp = client.retrieval.completion(messages=[{"role": "user", "content": "Hi"}])
print(resp.results.choices[0].message.content)
```
"""

from ._auth import InsecureTransportWarning
from ._client import AsyncR2RClient, R2RClient
from ._config import DEFAULT_BASE_URL, DEFAULT_TIMEOUT
from ._response import APIResponse
from ._streaming import AsyncRAGStream, RAGAnswer, RAGStream
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
    "R2RClient",
    "R2RError",
    "R2RException",
    "RAGAnswer",
    "RAGEvent",
    "RAGStream",
    "RateLimitError",
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

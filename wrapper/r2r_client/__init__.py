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
from ._config import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, __version__
from ._response import APIResponse
from ._streaming import AsyncRAGStream, RAGAnswer, RAGStream
from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    IncompleteStreamError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    R2RError,
    R2RException,
    RateLimitError,
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
    "ConfigurationError",
    "ConflictError",
    "FinalAnswerEvent",
    "IncompleteStreamError",
    "InsecureTransportWarning",
    "InternalServerError",
    "InvalidRequestError",
    "MessageEvent",
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
    "StreamDisconnectedError",
    "StreamEventError",
    "ThinkingEvent",
    "ToolCallEvent",
    "ToolResultEvent",
    "UnknownEvent",
    "UnprocessableEntityError",
    "__version__",
]

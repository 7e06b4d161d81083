# Generated from openapi/r2r-v3.yaml by generator/surface.py (nox -s generate): do not edit.
"""What the client knows of each operation of the document: method, path, arguments, result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._requests import Operation

if TYPE_CHECKING:
    from r2r_api import models

REPLACE_DOCUMENT_METADATA: Operation[models.WrappedDocumentResponse] = Operation(
    operation_id="replace_document_metadata",
    method="PUT",
    path="/v3/documents/{id}/metadata",
    path_params=(("id", "uuid"),),
    body="array",
    stream_param=None,
    result="WrappedDocumentResponse",
    aliases=(),
)
"""`PUT /v3/documents/{id}/metadata`: Replace a document's metadata"""

COMPLETION: Operation[models.WrappedCompletionResponse] = Operation(
    operation_id="completion",
    method="POST",
    path="/v3/retrieval/completion",
    path_params=(),
    body="object",
    stream_param=None,
    result="WrappedCompletionResponse",
    aliases=(("generation_config", "max_tokens", "max_tokens_to_sample"),),
)
"""`POST /v3/retrieval/completion`: Chat completion without retrieval"""

RAG: Operation[models.WrappedRAGResponse] = Operation(
    operation_id="rag",
    method="POST",
    path="/v3/retrieval/rag",
    path_params=(),
    body="object",
    stream_param="rag_generation_config",
    result="WrappedRAGResponse",
    aliases=(("rag_generation_config", "max_tokens", "max_tokens_to_sample"),),
)
"""`POST /v3/retrieval/rag`: Retrieval-augmented answer with citations"""

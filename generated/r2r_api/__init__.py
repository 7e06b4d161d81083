"""A client library for accessing R2R v3 API (documents metadata, completion, RAG)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

"""Contains shared errors types that can be raised from API functions"""


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class StreamedResponseError(Exception):
    """Raised by api functions when the server answers with a stream of Server-Sent Events.

    This low-level package parses JSON answers only. A streamed RAG answer
    (`rag_generation_config.stream: true`) is read event by event, typed, by the `r2r_client`
    package: `R2RClient(...).retrieval.rag(query=..., stream=True)`.
    """

    def __init__(self, status_code: int, content_type: str):
        self.status_code = status_code
        self.content_type = content_type

        super().__init__(
            f"The server answered with a stream of Server-Sent Events ({content_type}), which r2r_api "
            "does not parse. Read streams with r2r_client: "
            "R2RClient(...).retrieval.rag(query=..., stream=True) yields typed events."
        )


__all__ = ["StreamedResponseError", "UnexpectedStatus"]

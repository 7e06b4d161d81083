"""The fake server's behaviour, as a function from a request to a reply: routing, auth,
validation and the answers, in the real server's order of checks. No sockets and no faults
here (see `_transport.py` and `_render.py`), so every rule can be tested by calling it."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from ._corpus import DocumentStore
from ._messages import JsonReply, RecordedRequest, Reply, StreamReply
from ._validation import RequestValidator, ValidationItem, json_error, missing_body, uuid_error
from ._wire import WireAnswer, completion_body

__all__ = ["NO_CREDENTIALS", "FakeApp", "wants_stream"]

NO_CREDENTIALS = (
    "No credentials provided. Create an account and set your API key, or change your base_url "
    "to a custom deployment."
)
_METADATA_PATH = re.compile(r"^/v3/documents/([^/]+)/metadata$")
_DOCUMENT_PATH = re.compile(r"^/v3/documents/([^/]+)$")
# (path or pattern, method, route name), in the order the real server matches them.
_ROUTES: tuple[tuple[re.Pattern[str] | str, str, str], ...] = (
    ("/v3/retrieval/completion", "POST", "completion"),
    ("/v3/retrieval/rag", "POST", "rag"),
    (_METADATA_PATH, "PUT", "metadata"),
    (_DOCUMENT_PATH, "GET", "document"),
    ("/v3/health", "GET", "health"),
)


def wants_stream(request: RecordedRequest) -> bool:
    """Whether the answer to this request is a stream (RAG with `stream: true`)."""
    if request.method != "POST" or request.path != "/v3/retrieval/rag":
        return False
    body = request.json
    config = body.get("rag_generation_config") if isinstance(body, dict) else None
    return isinstance(config, dict) and config.get("stream") is True


def _r2r_error(status: int, message: str) -> JsonReply:
    return JsonReply(status, {"message": message, "error_type": "R2RException"})


def _unprocessable(items: list[ValidationItem]) -> JsonReply:
    return JsonReply(422, {"detail": items})


class FakeApp:
    """R2R's answers for the three endpoints (plus document reads and health).

    `api_key`: when set, requests must carry it (Bearer or X-API-Key); `stream_deltas`: make
    every streamed answer exactly that many message deltas. Both may change between requests.
    """

    def __init__(
        self, documents: DocumentStore, *, api_key: str | None, stream_deltas: int | None
    ) -> None:
        self.documents = documents
        self.api_key = api_key
        self.stream_deltas = stream_deltas
        self._validator: RequestValidator | None = None

    def load_validator(self) -> None:
        """Import jsonschema and compile the document's request schemas (once)."""
        if self._validator is None:
            self._validator = RequestValidator()

    def __call__(self, request: RecordedRequest) -> Reply:
        route = _route(request.method, request.path)
        if isinstance(route, JsonReply):
            return route
        name, doc_id = route
        if name == "health":
            return JsonReply(200, {"results": {"message": "ok"}})
        body: Any = None
        if name != "document":
            if not request.body:
                return _unprocessable([missing_body()])
            try:
                body = json.loads(request.body)
            except json.JSONDecodeError as exc:
                return _unprocessable([json_error(exc)])
        auth_error = self._auth_error(request.headers)
        if auth_error is not None:
            return auth_error
        if doc_id is not None:
            return self._document_call(name, doc_id, body)
        template = "/v3/retrieval/completion" if name == "completion" else "/v3/retrieval/rag"
        problems = self._validate("POST", template, body)
        if problems:
            return _unprocessable(problems)
        if name == "completion":
            model = (body.get("generation_config") or {}).get("model")
            return JsonReply(200, completion_body(body["messages"], model))
        return self._rag(body)

    def _validate(self, method: str, template: str, body: object) -> list[ValidationItem]:
        self.load_validator()
        assert self._validator is not None
        return self._validator.validate(method, template, body)

    def _auth_error(self, headers: Mapping[str, str]) -> JsonReply | None:
        authorization = headers.get("authorization")
        api_key = headers.get("x-api-key")
        if authorization is not None and api_key is not None:
            return _r2r_error(400, "Cannot have both Bearer token and API key")
        if self.api_key is None:
            return None
        bearer = None
        if authorization is not None and authorization[:7].lower() == "bearer ":
            bearer = authorization[7:].strip()
        given = bearer or api_key
        if not given:
            return _r2r_error(401, NO_CREDENTIALS)
        if given != self.api_key:
            return _r2r_error(401, "Invalid token or API key")
        return None

    def _rag(self, body: dict[str, Any]) -> Reply:
        config = body.get("rag_generation_config") or {}
        streaming = config.get("stream") is True
        answer = WireAnswer.build(
            self.documents.all(),
            body["query"],
            body.get("search_settings"),
            self.stream_deltas if streaming else None,
        )
        if streaming:
            return StreamReply(answer)
        return JsonReply(200, answer.json_body(config.get("model")))

    def _document_call(self, name: str, doc_id: str, body: Any) -> JsonReply:
        problems: list[ValidationItem] = []
        bad_id = uuid_error(doc_id, ["path", "id"])
        if bad_id is not None:
            problems.append(bad_id)
        if name == "metadata":
            problems += self._validate("PUT", "/v3/documents/{id}/metadata", body)
        if problems:
            return _unprocessable(problems)
        key = str(uuid.UUID(doc_id))
        if name == "metadata":
            merged: dict[str, Any] = {}
            for item in body:
                merged.update(item)
            document = self.documents.replace_metadata(key, merged)
        else:
            document = self.documents.as_json(key)
        if document is None:
            return _r2r_error(404, "Document not found.")
        return JsonReply(200, {"results": document})


def _route(method: str, path: str) -> tuple[str, str | None] | JsonReply:
    """The route's name and its document id (if any); or the 404/405 reply."""
    allowed = False
    for pattern, route_method, route_name in _ROUTES:
        found = pattern.match(path) if isinstance(pattern, re.Pattern) else None
        if found is not None or pattern == path:
            allowed = True
            if method == route_method:
                return route_name, found.group(1) if found is not None else None
    if allowed:
        return JsonReply(405, {"detail": "Method Not Allowed"})
    return JsonReply(404, {"detail": "Not Found"})

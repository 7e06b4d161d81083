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
from ._messages import JsonReply, RecordedRequest, Reply, StreamReply, TextReply
from ._validation import (
    RequestValidator,
    SchemaProblem,
    ValidationItem,
    json_error,
    missing_body,
    uuid_error,
)
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
            refusal = self._refusal(name, "POST", template, body, problems)
            if refusal is not None:
                return refusal
        elif name == "rag":
            failure = _rag_handler_failure(body)
            if failure is not None:
                return failure
        if name == "completion":
            model = (body.get("generation_config") or {}).get("model")
            return JsonReply(200, completion_body(body["messages"], model))
        return self._rag(body)

    def _refusal(
        self, name: str, method: str, template: str, body: Any, items: list[ValidationItem]
    ) -> Reply | None:
        """How the real server answers a body the document refuses (None: it answers 200).

        R2R's own request validation is looser than the document: part of what the document
        refuses passes it and then fails inside R2R (500, some as plain text), a little is
        answered normally. Every other problem is a 422, which comes first.
        """
        assert self._validator is not None
        outcomes = [
            _server_outcome(name, problem, body)
            for problem in self._validator.leaves(method, template, body)
        ]
        if "422" in outcomes or not outcomes:
            return _unprocessable(items)
        if "text500" in outcomes:
            return TextReply(500, "Internal Server Error")
        if "500" in outcomes:
            return _internal_error(name, "the request failed inside the server")
        return None

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

    def _document_call(self, name: str, doc_id: str, body: Any) -> Reply:
        problems: list[ValidationItem] = []
        bad_id = uuid_error(doc_id, ["path", "id"])
        if bad_id is not None:
            problems.append(bad_id)
        if name == "metadata":
            items = self._validate("PUT", "/v3/documents/{id}/metadata", body)
            if items and not problems:
                refusal = self._refusal(name, "PUT", "/v3/documents/{id}/metadata", body, items)
                if refusal is not None:
                    return refusal
            problems += items
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


_HANDLERS = {"completion": "completion", "rag": "rag_app", "metadata": "put_metadata"}


def _internal_error(name: str, error: str) -> JsonReply:
    """R2R's wrapping of an exception raised inside a route: 500 with `detail`."""
    handler = _HANDLERS.get(name, name)
    return JsonReply(
        500,
        {
            "detail": {
                "message": f"An error '{error}' occurred during {handler}",
                "error": error,
                "error_type": "Exception",
            }
        },
    )


def _server_outcome(name: str, problem: SchemaProblem, body: Any) -> str:
    """What R2R 3.6.6 does with a body that misses the document at one place: "422" (its
    request validation refuses it), "500" (a handler fails), "text500" (it fails before the
    handler, answered in plain text) or "200" (it handles it). Learnt from the real server by
    the e2e corpus (e2e/corpus/requests.json)."""
    path, keyword = problem.path, problem.keyword
    if name == "rag":
        if path == ("search_settings", "filters") and keyword == "type":
            return "text500"  # SearchSettings.__init__ spreads `filters` as a dict
        if path[:2] == ("search_settings", "filters") and keyword == "not":
            return "500"  # the filter code or PostgreSQL refuses it
        if path == () and keyword == "not":
            return "500"  # every kind of search turned off
        if path == ("query",) and keyword == "pattern":  # U+0000
            return "500" if _full_text_runs(body) else "200"
    if name == "completion":
        if len(path) == 3 and path[0] == "messages" and path[2] == "content" and keyword == "not":
            return "500"  # a content list with non-object items
        if path == ("generation_config", "stream") and keyword in ("enum", "const"):
            return "500"  # R2R 3.6.6 cannot stream a completion
    if name == "metadata" and len(path) == 1 and keyword == "not":
        return "500"  # U+0000, which PostgreSQL cannot store
    return "422"


def _full_text_runs(body: dict[str, Any]) -> bool:
    settings = body.get("search_settings")
    settings = settings if isinstance(settings, dict) else {}
    flags = ("use_fulltext_search", "use_hybrid_search")
    if body.get("search_mode") == "advanced":
        return not all(settings.get(flag) is False for flag in flags)
    return any(settings.get(flag) is True for flag in flags)


def _rag_handler_failure(body: dict[str, Any]) -> JsonReply | None:
    """The 500s of bodies the document accepts but R2R's handler fails on (the same rules the
    client checks before sending: r2r_client._body_checks)."""
    from .._body_checks import check_rag_body
    from ..errors import InvalidRequestError

    try:
        check_rag_body(body)
    except InvalidRequestError as exc:
        return _internal_error("rag", f"500: Internal RAG Error - {exc.problem}")
    return None


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

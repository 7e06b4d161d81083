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
from ._tenants import FakeUser, Tenants, scope_filters
from ._validation import (
    RequestValidator,
    SchemaProblem,
    ValidationItem,
    json_error,
    missing_body,
    uuid_error,
)
from ._wire import MODEL, WireAnswer, completion_body

__all__ = [
    "NO_CREDENTIALS",
    "FakeApp",
    "base_endpoint_error",
    "completion_without_model",
    "rag_filter_crash",
    "wants_stream",
]

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

    `api_key`: when set, requests must carry it or a user's key (Bearer or X-API-Key); when
    None, a request without a key (or with one no user has) is the default admin's, as before
    users existed. `stream_deltas`: make every streamed answer exactly that many message
    deltas. `default_model`: the model of a completion that names none (R2R's
    `[completion.generation_config] model`); None, as in R2R's stock configuration, makes
    such a completion fail with R2R's 500. `tenants`: the users, their limits and the request
    log. All may change between requests.
    """

    def __init__(
        self,
        documents: DocumentStore,
        *,
        api_key: str | None,
        stream_deltas: int | None,
        default_model: str | None = MODEL,
        tenants: Tenants | None = None,
    ) -> None:
        self.documents = documents
        self.api_key = api_key
        self.stream_deltas = stream_deltas
        self.default_model = default_model
        self.tenants = tenants if tenants is not None else Tenants()
        self._validator: RequestValidator | None = None

    def load_validator(self) -> None:
        """Import jsonschema and compile the document's request schemas (once)."""
        if self._validator is None:
            self._validator = RequestValidator()

    def __call__(self, request: RecordedRequest) -> Reply:
        """The reply, checked in R2R's order: route, JSON syntax, credentials, rate limits,
        then (logged for POST whatever comes of it) the request's validity and the route."""
        route = _route(request.method, request.path)
        if isinstance(route, JsonReply):
            return route
        name, doc_id = route
        if name == "health":
            return JsonReply(200, {"results": {"message": "ok"}})
        body: Any = None
        if name != "document" and request.body:
            try:
                body = json.loads(request.body)
            except json.JSONDecodeError as exc:
                return _unprocessable([json_error(exc)])
        user = self._identify(request.headers)
        if isinstance(user, JsonReply):
            return user
        refusal = self.tenants.refusal(user, request.path)
        if refusal is not None:
            return JsonReply(429, {"detail": refusal})
        try:
            return self._handle(name, doc_id, body, user)
        finally:
            self.tenants.record(user, request.method, request.path)

    def _handle(self, name: str, doc_id: str | None, body: Any, user: FakeUser) -> Reply:
        if doc_id is not None:
            return self._document_call(name, doc_id, body, user)
        if body is None:  # no body (or `null`): every field is missing
            body = {}
        template = "/v3/retrieval/completion" if name == "completion" else "/v3/retrieval/rag"
        problems = self._validate("POST", template, body)
        refusal = self._refusal(name, "POST", template, body, problems) if problems else None
        if isinstance(refusal, TextReply) or (refusal is not None and refusal.status == 422):
            return refusal
        if name == "completion":
            if refusal is not None:
                return refusal
            model = (body.get("generation_config") or {}).get("model") or self.default_model
            if model is None:
                return completion_without_model()
            return JsonReply(200, completion_body(body["messages"], model))
        try:  # R2R's router narrows the filters before the RAG service runs
            filters = scope_filters(user, _filters_of(body))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return rag_filter_crash(exc)
        if refusal is not None:
            return refusal
        if not problems:
            failure = _rag_handler_failure(body)
            if failure is not None:
                return failure
        return self._rag(body, filters)

    def _refusal(
        self, name: str, method: str, template: str, body: Any, items: list[ValidationItem]
    ) -> JsonReply | TextReply | None:
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

    def _identify(self, headers: Mapping[str, str]) -> FakeUser | JsonReply:
        """Who sends the request (R2R's auth dependency), or the 400/401 reply."""
        authorization = headers.get("authorization")
        api_key = headers.get("x-api-key")
        if authorization is not None and api_key is not None:
            return _r2r_error(400, "Cannot have both Bearer token and API key")
        bearer = None
        if authorization is not None and authorization[:7].lower() == "bearer ":
            bearer = authorization[7:].strip()
        given = bearer or api_key
        user = self.tenants.by_key(given) if given else None
        if user is not None:
            return user
        if self.api_key is None:
            return self.tenants.admin
        if not given:
            return _r2r_error(401, NO_CREDENTIALS)
        if given != self.api_key:
            return _r2r_error(401, "Invalid token or API key")
        return self.tenants.admin

    def _rag(self, body: dict[str, Any], filters: dict[str, Any]) -> Reply:
        config = body.get("rag_generation_config") or {}
        streaming = config.get("stream") is True
        settings = body.get("search_settings")
        settings = {**(settings if isinstance(settings, dict) else {}), "filters": filters}
        answer = WireAnswer.build(
            self.documents.all(),
            body["query"],
            settings,
            self.stream_deltas if streaming else None,
        )
        if streaming:
            return StreamReply(answer)
        return JsonReply(200, answer.json_body(config.get("model")))

    def _document_call(self, name: str, doc_id: str, body: Any, user: FakeUser) -> Reply:
        problems: list[ValidationItem] = []
        bad_id = uuid_error(doc_id, ["path", "id"])
        if bad_id is not None:
            problems.append(bad_id)
        if name == "metadata":
            if body is None:  # no body (or `null`): the one body field is missing
                items = [missing_body()]
            else:
                items = self._validate("PUT", "/v3/documents/{id}/metadata", body)
            if items and not problems and body is not None:
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
            # Only the owner (or a superuser) may: a document shared through a collection is
            # as unknown as one that does not exist.
            owner = None if user.superuser else user.id
            document = self.documents.replace_metadata(key, merged, owner_id=owner)
        else:
            document = self.documents.as_json(key, visible=lambda doc: Tenants.can_read(user, doc))
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


def base_endpoint_error(handler: str, exc: BaseException) -> JsonReply:
    """R2R's base_endpoint answer to an exception raised in a route function `handler`
    (core/main/api/v3/base_router.py): 500, the exception's text and class in `detail`."""
    return JsonReply(
        500,
        {
            "detail": {
                "message": f"An error '{exc}' occurred during {handler}",
                "error": str(exc),
                "error_type": type(exc).__name__,
            }
        },
    )


def rag_filter_crash(exc: BaseException) -> JsonReply:
    """R2R 3.6.6's answer when a regular user's filters name `collection_ids` other than with
    `$overlap` (e.g. `{"$in": [...]}`): select_search_filters raises (KeyError '$overlap') in
    the router's rag_app, before the RAG service, so base_endpoint answers the 500 (not the
    service's "Internal RAG Error"). Read from R2R's source; to be checked against a capture."""
    return base_endpoint_error("rag_app", exc)


def completion_without_model() -> JsonReply:
    """R2R 3.6.6's answer to a completion without `generation_config.model` when the
    deployment sets no default model (tests/fixtures/05b-completion-no-model.http)."""
    return base_endpoint_error(
        "completion", AttributeError("'NoneType' object has no attribute 'startswith'")
    )


def _filters_of(body: dict[str, Any]) -> dict[str, Any]:
    settings = body.get("search_settings")
    filters = settings.get("filters") if isinstance(settings, dict) else None
    return filters if isinstance(filters, dict) else {}


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

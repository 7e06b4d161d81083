"""Regular (non-superuser) users on the auth-required R2R instance, made by the superuser.

Why: io.net's customers are regular users with an API key. R2R skips every rate and quota limit
for a superuser and shows a superuser every document, so tests that only ever run as the
superuser never see a 429, a "not your document" 404, or the filter rewriting R2R applies to
everyone else (core/main/api/v3/base_router.py, shared/abstractions/search.py).

Cost, measured on the e2e servers: creating a user, logging in and creating an API key each run
one bcrypt on the server (~0.2-0.3 s); every later request with the API key runs bcrypt again
(~0.3-0.6 s), while a request with the login JWT costs ~6-10 ms. So users here always get a JWT
and get an API key only when asked for: use the key only where the key itself is under test.

Used by e2e/tests/conftest.py (fixtures) and e2e/capture_regular_user.py (wire captures).
Needs httpx only.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

COMPLETION = "/v3/retrieval/completion"
RAG = "/v3/retrieval/rag"
# Big enough that no test run reaches them; R2R cannot switch a limit off for one user
# (an override of None means "no override"), so "unlimited" is a large number.
UNLIMITED = 1_000_000_000
INGEST_DEADLINE = 60.0
PASSWORD = "e2e-regular-user-pw"  # test users on a throw-away loopback server


def metadata_route(doc_id: str) -> str:
    """The rate-limit key of PUT /v3/documents/{id}/metadata: the path as the server sees it."""
    return f"/v3/documents/{doc_id}/metadata"


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


@dataclass(frozen=True)
class RegularUser:
    """A regular user of the auth-required instance and what the tests need to act as them.

    ``jwt`` is a login access token (cheap per request); ``api_key`` is set only when the user
    was made with ``api_key=True`` (every request with it costs the server a bcrypt).
    ``own_doc_id`` is a document the user ingested (theirs); ``shared_doc_id`` belongs to the
    superuser and is visible to the user through the collection ``shared_collection_id``
    (searchable, but its metadata may not be changed: 404).
    """

    base: str
    id: str
    email: str
    password: str = field(repr=False)
    jwt: str = field(repr=False)
    admin: Admin = field(repr=False)
    api_key: str | None = field(default=None, repr=False)
    own_doc_id: str | None = None
    shared_doc_id: str | None = None
    shared_collection_id: str | None = None

    @property
    def jwt_headers(self) -> dict[str, str]:
        return bearer(self.jwt)

    @property
    def key_headers(self) -> dict[str, str]:
        if self.api_key is None:
            raise ValueError(f"{self.email} was made without an API key (api_key=True)")
        return bearer(self.api_key)

    def set_limits(
        self,
        *,
        global_per_min: int | None = None,
        monthly_limit: int | None = None,
        routes: dict[str, dict[str, int]] | None = None,
    ) -> dict[str, Any]:
        """Replace this user's limit overrides; see Admin.set_limits."""
        return self.admin.set_limits(
            self.id, global_per_min=global_per_min, monthly_limit=monthly_limit, routes=routes
        )

    def limits(self) -> dict[str, Any]:
        """GET /v3/users/{id}/limits as the superuser: effective limits and usage."""
        return self.admin.limits(self.id)


class Admin:
    """The default superuser of the auth-required instance, acting through its login JWT."""

    def __init__(self, http: httpx.Client, email: str, password: str) -> None:
        self.http = http
        self.base = str(http.base_url).rstrip("/")
        self.token = login(http, email, password)
        self._shared: tuple[str, str] | None = None

    def __repr__(self) -> str:
        return f"Admin(base={self.base!r})"

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    def _ok(self, r: httpx.Response, what: str) -> Any:
        if r.status_code != 200:
            raise AssertionError(f"{what}: {r.status_code} {r.text[:500]}")
        return r.json()["results"]

    def create_user(
        self,
        *,
        api_key: bool = False,
        own_doc_text: str | None = None,
        shared: bool = False,
        unlimited: bool = False,
    ) -> RegularUser:
        """A fresh regular user (fresh: no request counted yet against any limit).

        ``own_doc_text`` ingests that text as the user (one counted POST /v3/documents);
        ``shared`` adds the user to the collection holding the superuser's shared document;
        ``unlimited`` lifts the rate limits of the three routes the document describes.
        """
        email = f"e2e-{uuid.uuid4().hex[:12]}@example.com"
        results = self._ok(
            self.http.post(
                "/v3/users",
                json={"email": email, "password": PASSWORD, "name": "e2e regular user"},
                headers=self.headers,
            ),
            "POST /v3/users",
        )
        user_id = results["id"]
        assert results["is_superuser"] is False, results
        jwt = login(self.http, email, PASSWORD)
        key = None
        if api_key:
            key = self._ok(
                self.http.post(
                    f"/v3/users/{user_id}/api-keys",
                    json={"name": "e2e", "description": "regular-user e2e key"},
                    headers=self.headers,
                ),
                "POST /v3/users/{id}/api-keys",
            )["api_key"]
        own = None
        if own_doc_text is not None:
            own = ingest(
                self.http,
                own_doc_text,
                bearer(jwt),
                {"title": "own.txt", "source": "r2r-e2e", "owner": "regular"},
            )
        shared_doc = collection = None
        if shared:
            collection, shared_doc = self.shared_document()
            self._ok(
                self.http.post(
                    f"/v3/collections/{collection}/users/{user_id}", headers=self.headers
                ),
                "POST /v3/collections/{id}/users/{user_id}",
            )
        user = RegularUser(
            base=self.base,
            id=user_id,
            email=email,
            password=PASSWORD,
            jwt=jwt,
            admin=self,
            api_key=key,
            own_doc_id=own,
            shared_doc_id=shared_doc,
            shared_collection_id=collection,
        )
        if unlimited:
            routes = [COMPLETION, RAG] + ([metadata_route(own)] if own else [])
            user.set_limits(
                global_per_min=UNLIMITED,
                monthly_limit=UNLIMITED,
                routes={r: {"route_per_min": UNLIMITED} for r in routes},
            )
        return user

    def shared_document(self) -> tuple[str, str]:
        """(collection id, document id): a superuser document in a collection (made once)."""
        if self._shared is None:
            # R2R derives collection and document ids from name/text and owner: a run-unique
            # tag lets several Admin objects (or runs against one --serve) coexist.
            tag = uuid.uuid4().hex[:8]
            collection = self._ok(
                self.http.post(
                    "/v3/collections",
                    json={"name": f"e2e-shared-{tag}", "description": "shared with regular users"},
                    headers=self.headers,
                ),
                "POST /v3/collections",
            )["id"]
            doc = ingest(
                self.http,
                f"Shared lantern log {tag}: the Zorblax lighthouse keepers meet every Tuesday.",
                self.headers,
                {"title": "shared.txt", "source": "r2r-e2e", "owner": "superuser"},
                collection_ids=[collection],
            )
            self._shared = (collection, doc)
        return self._shared

    def set_limits(
        self,
        user_id: str,
        *,
        global_per_min: int | None = None,
        monthly_limit: int | None = None,
        routes: dict[str, dict[str, int]] | None = None,
    ) -> dict[str, Any]:
        """Replace the user's ``limits_overrides`` (``POST /v3/users/{id}``); returns them.

        ``routes`` maps a request path (``COMPLETION``, ``RAG``, ``metadata_route(doc)``) to
        ``{"route_per_min": n}`` (or ``global_per_min`` / ``monthly_limit`` for that route).
        R2R refuses a request when the count so far is greater than the limit, so n + 1
        requests pass; monthly counts are per route; only POST and DELETE are counted.
        """
        overrides: dict[str, Any] = {}
        if global_per_min is not None:
            overrides["global_per_min"] = global_per_min
        if monthly_limit is not None:
            overrides["monthly_limit"] = monthly_limit
        if routes:
            overrides["route_overrides"] = routes
        results = self._ok(
            self.http.post(
                f"/v3/users/{user_id}",
                json={"limits_overrides": overrides},
                headers=self.headers,
            ),
            "POST /v3/users/{id}",
        )
        got: dict[str, Any] = results["limits_overrides"]
        return got

    def limits(self, user_id: str) -> dict[str, Any]:
        got: dict[str, Any] = self._ok(
            self.http.get(f"/v3/users/{user_id}/limits", headers=self.headers),
            "GET /v3/users/{id}/limits",
        )
        return got


def login(http: httpx.Client, email: str, password: str) -> str:
    r = http.post("/v3/users/login", data={"username": email, "password": password})
    if r.status_code != 200:
        raise AssertionError(f"login of {email}: {r.status_code} {r.text[:300]}")
    token: str = r.json()["results"]["access_token"]["token"]
    return token


def ingest(
    http: httpx.Client,
    text: str,
    headers: dict[str, str],
    metadata: dict[str, Any],
    collection_ids: list[str] | None = None,
) -> str:
    """Ingest ``text`` (fast mode) and wait until R2R reports success; returns the id."""
    data = {"raw_text": text, "ingestion_mode": "fast", "metadata": json.dumps(metadata)}
    if collection_ids:
        data["collection_ids"] = json.dumps(collection_ids)
    r = http.post("/v3/documents", data=data, headers=headers)
    if r.status_code not in (200, 202):
        raise AssertionError(f"POST /v3/documents: {r.status_code} {r.text[:500]}")
    doc_id: str = r.json()["results"]["document_id"]
    deadline = time.monotonic() + INGEST_DEADLINE
    while time.monotonic() < deadline:
        r = http.get(f"/v3/documents/{doc_id}", headers=headers)
        if r.status_code == 200 and r.json()["results"]["ingestion_status"] == "success":
            return doc_id
        time.sleep(0.2)
    raise AssertionError(f"document {doc_id} not ingested in {INGEST_DEADLINE:.0f} s: {r.text}")

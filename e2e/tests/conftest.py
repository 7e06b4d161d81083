"""Fixtures for the end-to-end contract tests against a real R2R 3.6.6 server.

The servers are started by ``python e2e/run.py`` (or ``--serve``), which passes:

R2R_E2E_BASE             main instance, authentication not required
R2R_E2E_AUTH_BASE        second instance with [auth] require_authentication = true
R2R_E2E_DOC_ID           id of the ingested Zorblax document (ingestion_status success)
R2R_E2E_ADMIN_EMAIL      default superuser of both instances
R2R_E2E_ADMIN_PASSWORD
R2R_E2E_MODEL            model name routed to the stand-in LLM ("openai/standin-chat")
R2R_E2E_LLM_BASE         the stand-in LLM's OpenAI-style base URL (…/v1)
R2R_E2E_OPENAPI          path of openapi/r2r-v3.yaml (response bodies are validated when it exists)
R2R_E2E_OPENAPI_STRICT   "1" (default): a response the document does not describe fails the test;
                         "0": such responses are only reported as warnings
Without R2R_E2E_BASE every test is skipped.

Regular users: `regular_user` (fresh, with API key and documents, default limits; set_limits()
for small ones), `new_regular_user(...)` (a factory for cheaper ones) and `shared_regular_user`
(one per session, limits lifted). See e2e/regular_users.py for what each costs.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # e2e/: contract, regular_users

from regular_users import Admin, RegularUser

ANSWER_PREFIX = "FAKE-LLM deterministic answer. You asked: "
DOC_QUERY = "Who invented the Zorblax protocol?"
SHORT_ID_RE = re.compile(r"^[A-Za-z0-9]{7,8}$")
TIMEOUT = httpx.Timeout(120.0, connect=10.0)


@dataclass(frozen=True)
class E2EConfig:
    base: str
    auth_base: str
    doc_id: str
    admin_email: str
    admin_password: str
    model: str
    llm_base: str
    openapi: Path | None


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        pytest.fail(f"{name} is not set (run the tests through python e2e/run.py)")
    return value


@pytest.fixture(scope="session")
def cfg() -> E2EConfig:
    if not os.environ.get("R2R_E2E_BASE"):
        pytest.skip("R2R_E2E_BASE not set: the e2e tests run through `python e2e/run.py`")
    repo = Path(__file__).resolve().parents[2]
    openapi = Path(os.environ.get("R2R_E2E_OPENAPI") or repo / "openapi" / "r2r-v3.yaml")
    return E2EConfig(
        base=_env("R2R_E2E_BASE").rstrip("/"),
        auth_base=_env("R2R_E2E_AUTH_BASE").rstrip("/"),
        doc_id=_env("R2R_E2E_DOC_ID"),
        admin_email=_env("R2R_E2E_ADMIN_EMAIL", "admin@example.com"),
        admin_password=_env("R2R_E2E_ADMIN_PASSWORD", "change_me_immediately"),
        model=_env("R2R_E2E_MODEL", "openai/standin-chat"),
        llm_base=_env("R2R_E2E_LLM_BASE", ""),
        openapi=openapi if openapi.is_file() else None,
    )


@pytest.fixture(scope="session")
def http(cfg: E2EConfig) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=cfg.base, timeout=TIMEOUT) as c:
        yield c


@pytest.fixture(scope="session")
def auth_http(cfg: E2EConfig) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=cfg.auth_base, timeout=TIMEOUT) as c:
        yield c


@pytest.fixture(scope="session")
def admin_token(cfg: E2EConfig, auth_http: httpx.Client) -> str:
    """A JWT access token of the default superuser on the auth-required instance."""
    r = auth_http.post(
        "/v3/users/login", data={"username": cfg.admin_email, "password": cfg.admin_password}
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]["access_token"]["token"]


@pytest.fixture(scope="session")
def admin_user_id(auth_http: httpx.Client, admin_token: str) -> str:
    r = auth_http.get("/v3/users/me", headers={"Authorization": f"Bearer {admin_token}"})
    assert r.status_code == 200, r.text
    return r.json()["results"]["id"]


@pytest.fixture(scope="session")
def admin_api_key(auth_http: httpx.Client, admin_token: str, admin_user_id: str) -> str:
    """A fresh API key ("<key id>.<secret>") of the superuser on the auth-required instance."""
    r = auth_http.post(
        f"/v3/users/{admin_user_id}/api-keys",
        json={"name": "e2e", "description": "created by e2e/tests"},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert r.status_code == 200, r.text
    key = r.json()["results"]["api_key"]
    assert "." in key
    return key


# --------------------------------------------------------------------------
# Regular (non-superuser) users of the auth-required instance (e2e/regular_users.py)
# --------------------------------------------------------------------------
OWN_DOC_TEXT = "Regular user notes {tag}: the blue lantern means stop, the green one go."


@pytest.fixture(scope="session")
def admin(cfg: E2EConfig, auth_http: httpx.Client) -> Admin:
    """The superuser of the auth-required instance, for making users and setting limits."""
    return Admin(auth_http, cfg.admin_email, cfg.admin_password)


@pytest.fixture
def new_regular_user(admin: Admin) -> Callable[..., RegularUser]:
    """Make fresh regular users: ``new_regular_user(api_key=..., own_doc=..., shared=...)``.

    Fresh means nothing counted yet against any limit, so a test may set small limits
    (``user.set_limits(...)``) without disturbing others. Costs ~0.5 s (user + login), plus
    ~0.25 s for an API key and ~1 s for an own document.
    """

    def make(*, api_key: bool = False, own_doc: bool = False, shared: bool = False) -> RegularUser:
        text = OWN_DOC_TEXT.format(tag=os.urandom(4).hex()) if own_doc else None
        return admin.create_user(api_key=api_key, own_doc_text=text, shared=shared)

    return make


@pytest.fixture
def regular_user(new_regular_user: Callable[..., RegularUser]) -> RegularUser:
    """A fresh regular user with everything: JWT, API key, an own document, the superuser's
    document shared through a collection, R2R's default limits (60/min overall, 20/min per
    route, 10000/month per route). ``regular_user.set_limits(...)`` changes them."""
    return new_regular_user(api_key=True, own_doc=True, shared=True)


@pytest.fixture(scope="session")
def shared_regular_user(admin: Admin) -> RegularUser:
    """One regular user for the whole session (contract and property-based runs): API key, own
    and shared documents, rate limits lifted. Do not change its limits; use regular_user."""
    return admin.create_user(
        api_key=True,
        own_doc_text=OWN_DOC_TEXT.format(tag="session"),
        shared=True,
        unlimited=True,
    )


# --------------------------------------------------------------------------
# SSE parsing (raw)
# --------------------------------------------------------------------------
def parse_sse(lines: Iterator[str]) -> list[tuple[str, str]]:
    """(event, data) pairs of a text/event-stream (multi-line data joined with \\n)."""
    events: list[tuple[str, str]] = []
    event, data = "message", []
    for line in lines:
        if line == "":
            if data:
                events.append((event, "\n".join(data)))
            event, data = "message", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
    if data:
        events.append((event, "\n".join(data)))
    return events


# --------------------------------------------------------------------------
# OpenAPI response validation
# --------------------------------------------------------------------------
class OpenAPIChecker:
    def __init__(self, path: Path | None):
        self.path = path
        self.doc: dict | None = None
        self.strict = os.environ.get("R2R_E2E_OPENAPI_STRICT", "1") != "0"
        if path is not None:
            import yaml  # pyyaml

            with open(path, encoding="utf-8") as f:
                self.doc = yaml.safe_load(f)

    def _problem(self, msg: str) -> None:
        if self.strict:
            pytest.fail(f"OpenAPI ({self.path}): {msg}")
        warnings.warn(f"OpenAPI ({self.path}): {msg}", stacklevel=2)

    def _operation(self, path: str, method: str) -> dict | None:
        assert self.doc is not None
        paths = self.doc.get("paths") or {}
        candidates = [path]
        if path.startswith("/v3/"):
            candidates.append(path[3:])
        for server in self.doc.get("servers") or []:
            prefix = httpx.URL(server.get("url", "")).path.rstrip("/")
            if prefix and path.startswith(prefix + "/"):
                candidates.append(path[len(prefix) :])
        for cand in candidates:
            item = paths.get(cand)
            if item and method.lower() in item:
                return item[method.lower()]
        return None

    def check(self, response: httpx.Response, path: str, method: str | None = None) -> None:
        """Validate ``response``'s JSON body against the document's schema for path/method/status.

        ``path`` is the path template as written in the document, e.g. "/v3/documents/{id}".
        """
        if self.doc is None:
            return
        method = (method or response.request.method).lower()
        op = self._operation(path, method)
        if op is None:
            # The document describes a subset of R2R's API; other operations are not checked.
            return
        responses = op.get("responses") or {}
        status = str(response.status_code)
        resp = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
        if resp is None:
            self._problem(
                f"{method.upper()} {path}: status {status} not documented (has {sorted(responses)})"
            )
            return
        while "$ref" in resp:  # responses may be references to components/responses
            resp = self._resolve(resp["$ref"])
        content = resp.get("content") or {}
        media = content.get("application/json")
        if media is None:
            ctype = response.headers.get("content-type", "")
            if ctype.startswith("application/json"):
                self._problem(
                    f"{method.upper()} {path} {status}: no application/json content documented"
                )
            return
        schema = media.get("schema")
        if schema is None:
            return
        self._validate(response.json(), schema, f"{method.upper()} {path} {status}")

    def check_component(self, obj: Any, name: str, what: str = "") -> None:
        """Validate ``obj`` against ``#/components/schemas/<name>`` (if the document has it)."""
        if self.doc is None:
            return
        schemas = (self.doc.get("components") or {}).get("schemas") or {}
        if name not in schemas:
            self._problem(f"no components/schemas/{name} (for {what or 'a response part'})")
            return
        self._validate(obj, {"$ref": f"#/components/schemas/{name}"}, f"{what} as {name}")

    def _validate(self, body: Any, schema: dict, what: str) -> None:
        import jsonschema

        root = dict(schema)
        root.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        root["components"] = self.doc.get("components") or {}
        validator = jsonschema.Draft202012Validator(root)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            details = "\n".join(
                f"  at {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}"
                for e in errors[:10]
            )
            pytest.fail(
                f"{what}: body does not match the OpenAPI schema ({self.path}):\n{details}\n"
                f"body: {json.dumps(body)[:1500]}"
            )

    def _resolve(self, ref: str) -> Any:
        assert ref.startswith("#/"), ref
        node: Any = self.doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


@pytest.fixture(scope="session")
def openapi(cfg: E2EConfig) -> OpenAPIChecker:
    if cfg.openapi is not None:
        try:
            import jsonschema  # noqa: F401
            import yaml  # noqa: F401
        except ImportError as e:
            pytest.fail(
                f"{cfg.openapi} exists but {e.name} is missing: "
                "pip install -r e2e/requirements-tests.txt"
            )
    return OpenAPIChecker(cfg.openapi)

"""What the contract tests judge with: the document, the client's pre-send checks, the divergences.

Shared by the schemathesis hooks (`e2e/schemathesis_hooks.py`) and the corpus replay
(`e2e/tests/test_corpus.py`). A request body is judged three ways:

* `document_errors(op, body)`: what `openapi/r2r-v3.yaml` says is wrong with it (jsonschema,
  Draft 2020-12), as leaf errors (an `anyOf` is expanded to the errors of its branches, and
  `not: {not: X}`, the document's way of hiding recursive schemas from the generator, to X's);
* `client_refusal(op, body)`: the `InvalidRequestError` the client raises before sending, if any
  (its document check plus the checks the document cannot express);
* `uncovered(op, body)`: the document errors that no entry of `e2e/known-divergences.yaml`
  explains. A body the server accepts although the document refuses it is a finding unless
  this is empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012

E2E = Path(__file__).resolve().parent
REPO = E2E.parent
DOCUMENT = REPO / "openapi" / "r2r-v3.yaml"
DIVERGENCES = E2E / "known-divergences.yaml"
_URI = "urn:r2r-openapi"

# operation name -> (method, path template) in the document
OPERATIONS = {
    "completion": ("post", "/v3/retrieval/completion"),
    "rag": ("post", "/v3/retrieval/rag"),
    "replace_metadata": ("put", "/v3/documents/{id}/metadata"),
}


def operation_for(method: str, path: str) -> str:
    """The operation name for a method and a path template (or a concrete metadata path)."""
    method = method.lower()
    for name, (m, template) in OPERATIONS.items():
        pattern = "^" + re.escape(template).replace(r"\{id\}", "[^/]*") + "$"
        if m == method and re.match(pattern, path):
            return name
    raise KeyError(f"{method.upper()} {path} is not one of the three operations")


@cache
def document() -> dict[str, Any]:
    with open(DOCUMENT, encoding="utf-8") as f:
        doc: dict[str, Any] = yaml.safe_load(f)
    return doc


@cache
def _registry() -> Registry:
    return Registry().with_resource(_URI, DRAFT202012.create_resource(document()))


@cache
def _validator(op: str) -> jsonschema.Draft202012Validator:
    method, path = OPERATIONS[op]
    pointer = "/".join(
        p.replace("~", "~0").replace("/", "~1")
        for p in ("paths", path, method, "requestBody", "content", "application/json", "schema")
    )
    return jsonschema.Draft202012Validator({"$ref": f"{_URI}#/{pointer}"}, registry=_registry())


def _resolve(ref: str) -> Any:
    node: Any = document()
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@dataclass(frozen=True)
class Problem:
    """One leaf reason why the document refuses a body."""

    path: str  # "search_settings/filters/a" ("" for the body itself)
    keyword: str  # the JSON Schema keyword that failed
    instance: Any
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<body>'}: {self.message[:200]}"


def _inner_validator(error: jsonschema.ValidationError) -> jsonschema.Draft202012Validator | None:
    """For a failed `not: {not: {$ref: X}}`: a validator for X (the same constraint)."""
    if error.validator != "not" or not isinstance(error.validator_value, dict):
        return None
    inner = error.validator_value.get("not")
    if not (isinstance(inner, dict) and isinstance(inner.get("$ref"), str)):
        return None
    _resolve(inner["$ref"])  # fail early on a broken reference
    return jsonschema.Draft202012Validator({"$ref": f"{_URI}{inner['$ref']}"}, registry=_registry())


def _leaves(error: jsonschema.ValidationError, base: tuple[Any, ...] = ()) -> Iterator[Problem]:
    path = (*base, *error.absolute_path)
    if error.validator in ("anyOf", "oneOf") and error.context:
        for sub in error.context:
            yield from _leaves(sub, base)
        return
    inner = _inner_validator(error)
    if inner is not None:
        for sub in inner.iter_errors(error.instance):
            yield from _leaves(sub, path)
        return
    yield Problem("/".join(map(str, path)), str(error.validator), error.instance, error.message)


def document_errors(op: str, body: Any) -> list[Problem]:
    """Every leaf reason the document refuses `body` ([] when it accepts it)."""
    return [p for error in _validator(op).iter_errors(body) for p in _leaves(error)]


def document_accepts(op: str, body: Any) -> bool:
    return _validator(op).is_valid(body)


# --------------------------------------------------------------------------
# The client's own pre-send checks
# --------------------------------------------------------------------------
class _Sent(Exception):
    """The client sent the request: it did not refuse the body."""


def _refuse_sending(request: Any) -> Any:
    raise _Sent


def client_refusal(
    op: str, body: Any, doc_id: str = "00000000-0000-4000-8000-000000000000"
) -> str | None:
    """The InvalidRequestError message the client raises for `body`, or None when it sends it.

    The body goes in as a user writes it: each field the method names as a keyword argument
    (its generated signature, so a field the document gains is covered without an edit here),
    anything else in `extra_body`; the transport refuses to send, so nothing leaves.
    """
    import inspect

    import httpx

    from r2r_client import R2RClient
    from r2r_client.errors import InvalidRequestError

    http = httpx.Client(transport=httpx.MockTransport(_refuse_sending))
    client = R2RClient("https://contract.invalid", api_key="k", http_client=http, max_retries=0)
    try:
        if op == "replace_metadata":
            client.documents.replace_metadata(doc_id, body)
            return None
        if not isinstance(body, dict):
            return f"body: expected an object, got {type(body).__name__}"
        method = client.retrieval.completion if op == "completion" else client.retrieval.rag
        required = "messages" if op == "completion" else "query"
        if required not in body:
            return f"{required}: required but missing"
        named = set(inspect.signature(method).parameters) - {"stream", "extra_body"}
        arguments = {k: v for k, v in body.items() if k in named}
        extra = {k: v for k, v in body.items() if k not in named}
        method(**arguments, extra_body=extra or None)
    except InvalidRequestError as exc:
        return str(exc)
    except _Sent:
        return None
    finally:
        client.close()
    return None


# --------------------------------------------------------------------------
# Known divergences
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Divergence:
    id: str
    case: str
    server: str
    why: str
    rules: tuple[dict[str, Any], ...]  # document problems this entry explains
    corpus: tuple[str, ...]  # corpus case ids whose status classes may differ


@cache
def divergences() -> dict[str, Divergence]:
    with open(DIVERGENCES, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    out: dict[str, Divergence] = {}
    for item in raw["divergences"]:
        for key in ("id", "case", "server", "why"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ValueError(f"{DIVERGENCES}: an entry lacks {key!r}: {item}")
        if item["id"] in out:
            raise ValueError(f"{DIVERGENCES}: duplicate id {item['id']!r}")
        out[item["id"]] = Divergence(
            item["id"],
            item["case"],
            item["server"],
            item["why"],
            tuple(item.get("rules") or ()),
            tuple(item.get("corpus") or ()),
        )
    return out


@dataclass(frozen=True)
class RegularUserFailure:
    id: str
    case: str
    server: str
    why: str
    body: dict[str, Any]  # a JSON Schema: the bodies (of RAG) this entry explains


@cache
def regular_user_failures() -> dict[str, RegularUserFailure]:
    """known-divergences.yaml's `regular-user-failures`: 5xx only a non-superuser gets."""
    with open(DIVERGENCES, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    out: dict[str, RegularUserFailure] = {}
    for item in raw.get("regular-user-failures") or []:
        for key in ("id", "case", "server", "why"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ValueError(f"{DIVERGENCES}: an entry lacks {key!r}: {item}")
        if not isinstance(item.get("body"), dict):
            raise ValueError(f"{DIVERGENCES}: {item['id']} has no body schema")
        jsonschema.Draft202012Validator.check_schema(item["body"])
        out[item["id"]] = RegularUserFailure(
            item["id"], item["case"], item["server"], item["why"], item["body"]
        )
    return out


def regular_user_failure(op: str, body: Any) -> str | None:
    """The id of the regular-user failure that explains a 5xx for `body`, if any."""
    if op != "rag":
        return None
    for entry in regular_user_failures().values():
        if jsonschema.Draft202012Validator(entry.body).is_valid(body):
            return entry.id
    return None


_BOOL_WORDS = {"0", "1", "true", "false", "t", "f", "yes", "no", "y", "n", "on", "off"}
_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")
_INTEGER = re.compile(r"^\s*[-+]?\d+(\.0*)?\s*$")


def _lax_converts(value: Any, expected: list[str]) -> bool:
    """Whether pydantic's lax mode turns `value` into one of the `expected` JSON types."""
    for name in expected:
        if name == "integer":
            if isinstance(value, bool) or (isinstance(value, str) and _INTEGER.match(value)):
                return True
            if isinstance(value, float) and value.is_integer():
                return True
        elif name == "number":
            if isinstance(value, bool) or (isinstance(value, str) and _NUMBER.match(value)):
                return True
        elif name == "boolean":
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (0, 1):
                return True
            if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
                return True
    return False


def _lax_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
        return value.strip().lower() in ("1", "true", "t", "yes", "y", "on")
    return None


def _rule_matches(rule: dict[str, Any], problem: Problem, body: Any = None) -> bool:
    if "body" in rule and not jsonschema.Draft202012Validator(rule["body"]).is_valid(body):
        return False
    if "keyword" in rule and rule["keyword"] != problem.keyword:
        return False
    if "path" in rule and not re.fullmatch(rule["path"], problem.path):
        return False
    if rule.get("lax_coercion") and not _lax_explains(problem):
        return False
    if "instance" in rule:
        text = (
            problem.instance if isinstance(problem.instance, str) else json.dumps(problem.instance)
        )
        if not re.search(rule["instance"], text):
            return False
    return not ("message" in rule and not re.search(rule["message"], problem.message))


def _lax_explains(problem: Problem) -> bool:
    """A type, enum or const problem that pydantic's lax conversion of the value would not have."""
    if problem.keyword == "type":
        expected = _expected_types(problem)
        return bool(expected) and _lax_converts(problem.instance, expected)
    if problem.keyword in ("enum", "const"):
        # the only enums/consts of the document a lax conversion reaches are booleans
        # (stream: 0 is taken as false)
        converted = _lax_bool(problem.instance)
        return converted is not None and (
            f"[{converted}]" in problem.message or f"{converted} was expected" in problem.message
        )
    return False


def _expected_types(problem: Problem) -> list[str]:
    if problem.keyword != "type":
        return []
    found = re.search(r"is not of type (.+)$", problem.message)
    if not found:
        return []
    return re.findall(r"'(\w+)'", found.group(1))


def explained_by(problem: Problem, body: Any = None) -> str | None:
    """The id of the divergence that explains a document problem (in `body`), if any."""
    for entry in divergences().values():
        if any(_rule_matches(rule, problem, body) for rule in entry.rules):
            return entry.id
    return None


def uncovered(op: str, body: Any) -> list[Problem]:
    """The document's reasons to refuse `body` that no known divergence explains.

    An `anyOf` counts as explained when the problems of any one of its branches are."""
    return [
        p
        for error in _validator(op).iter_errors(body)
        if not _explained(error, (), body)
        for p in _leaves(error)
    ]


def _explained(error: jsonschema.ValidationError, base: tuple[Any, ...], body: Any) -> bool:
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[jsonschema.ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        return any(all(_explained(e, base, body) for e in errs) for errs in branches.values())
    inner = _inner_validator(error)
    if inner is not None:
        path = (*base, *error.absolute_path)
        return all(_explained(e, path, body) for e in inner.iter_errors(error.instance))
    problem = next(_leaves(error, base))
    return explained_by(problem, body) is not None

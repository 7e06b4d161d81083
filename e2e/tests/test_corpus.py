"""Corpus replay: our own request bodies against the real server, the fake server and the client.

e2e/corpus/requests.json holds the bodies (edge cases of every operation: each filter operator,
each message role, nulls, limits, graph and hybrid settings, metadata shapes). Each is sent to the
real R2R server and to `FakeR2RServer`, and given to the client's pre-send checks. The status
classes (2xx / 4xx / 5xx) must agree, unless e2e/known-divergences.yaml explains the difference:

* real vs fake: the same class;
* real vs client: the client sends what the server answers 2xx, and refuses what it answers 5xx
  or 4xx (a 404 for a document that does not exist is data, not contract);
* client vs document: the client never refuses a body the document accepts, except through the
  few checks the document cannot express (`r2r_client._body_checks`).
A difference is explained when the case id is listed under a divergence's `corpus`, or (for a
body our contract refuses and the server accepts) when every reason the document gives is matched
by a divergence rule.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

E2E = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(E2E))

import contract  # noqa: E402

CORPUS = E2E / "corpus" / "requests.json"
PATHS = {"completion": "/v3/retrieval/completion", "rag": "/v3/retrieval/rag"}
FILTER_OPERATORS = {
    "$eq",
    "$ne",
    "$lt",
    "$lte",
    "$gt",
    "$gte",
    "$in",
    "$nin",
    "$like",
    "$ilike",
    "$overlap",
    "$contains",
    "$json_contains",
    "$and",
    "$or",
}  # fmt: skip  (R2R 3.6.6 core/providers/database/filters.py, FilterOperator)
ROLES = {"system", "user", "assistant", "function", "tool"}


@cache
def corpus() -> list[dict[str, Any]]:
    with open(CORPUS, encoding="utf-8") as f:
        cases: list[dict[str, Any]] = json.load(f)["cases"]
    return cases


def _substitute(value: Any, doc_id: str, model: str) -> Any:
    if isinstance(value, str):
        return value.replace("$DOC_ID", doc_id).replace("$MODEL", model)
    if isinstance(value, list):
        return [_substitute(v, doc_id, model) for v in value]
    if isinstance(value, dict):
        return {
            _substitute(k, doc_id, model): _substitute(v, doc_id, model) for k, v in value.items()
        }
    return value


@dataclass
class Outcome:
    case: dict[str, Any]
    body: Any
    path_id: str
    real: int
    fake: int
    client: str | None  # the client's refusal, None when it sends the body


def _send(base: str, op: str, body: Any, path_id: str) -> httpx.Response:
    path = PATHS.get(op) or f"/v3/documents/{path_id}/metadata"
    method = "PUT" if op == "replace_metadata" else "POST"
    # A fresh connection per request: the real server closes the connection after a plain-text
    # 500 without saying so, and a reused keep-alive connection would then be reset.
    with httpx.Client(base_url=base, timeout=120) as http:
        return http.request(method, path, json=body)


@pytest.fixture(scope="module")
def outcomes(cfg) -> list[Outcome]:
    from r2r_client.testing import FakeR2RServer

    results: list[Outcome] = []
    with FakeR2RServer(seed=True) as fake:
        fake.add_document(
            "zorblax.txt",
            "The Zorblax protocol was invented in 1987 by Dr. Quenella Marsh.",
            {"title": "zorblax.txt", "source": "r2r-e2e", "topic": "zorblax"},
            id=cfg.doc_id,
        )
        prepared = []
        for case in corpus():
            body = _substitute(case["body"], cfg.doc_id, cfg.model)
            path_id = _substitute(case.get("path_id", cfg.doc_id), cfg.doc_id, cfg.model)
            prepared.append((case, body, path_id))
        # The metadata cases rewrite one document, in order: those run one after the other; the
        # retrieval cases run four at a time (the server is asynchronous).
        with ThreadPoolExecutor(4) as pool:
            real_status = list(
                pool.map(
                    lambda item: (
                        _send(cfg.base, item[0]["op"], item[1], item[2]).status_code
                        if item[0]["op"] != "replace_metadata"
                        else None
                    ),
                    prepared,
                )
            )
        for (case, body, path_id), real in zip(prepared, real_status, strict=True):
            if real is None:
                real = _send(cfg.base, case["op"], body, path_id).status_code
            fake_status = _send(fake.base_url, case["op"], body, path_id).status_code
            refusal = contract.client_refusal(case["op"], body, path_id)
            results.append(Outcome(case, body, path_id, real, fake_status, refusal))
    return results


def _listed(case_id: str) -> str | None:
    for entry in contract.divergences().values():
        if case_id in entry.corpus:
            return entry.id
    return None


def _explained(outcome: Outcome) -> str | None:
    """The divergence that explains a body our contract refuses although the server accepts it."""
    listed = _listed(outcome.case["id"])
    if listed is not None:
        return listed
    op = outcome.case["op"]
    if not contract.document_accepts(op, outcome.body) and not contract.uncovered(op, outcome.body):
        return "rules: " + "+".join(
            sorted(
                {
                    contract.explained_by(p, outcome.body) or "?"
                    for p in contract.document_errors(op, outcome.body)
                }
            )
        )
    return None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _table(rows: list[str]) -> str:
    return "\n".join(rows)


def test_corpus_is_broad() -> None:
    cases = corpus()
    ids = [c["id"] for c in cases]
    assert len(cases) >= 100, len(cases)
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert {c["op"] for c in cases} == {"completion", "rag", "replace_metadata"}
    text = json.dumps(cases)
    missing_ops = sorted(op for op in FILTER_OPERATORS if json.dumps(op) not in text)
    assert not missing_ops, f"filter operators without a case: {missing_ops}"
    roles = {
        m.get("role")
        for c in cases
        if c["op"] == "completion" and isinstance(c["body"], dict)
        for m in (c["body"].get("messages") or [])
        if isinstance(m, dict)
    }
    assert roles >= ROLES, ROLES - roles
    listed = {cid for d in contract.divergences().values() for cid in d.corpus}
    assert listed <= set(ids), f"divergences name unknown corpus cases: {listed - set(ids)}"


def test_fake_server_agrees_with_the_real_one(outcomes: list[Outcome]) -> None:
    """A case may carry `fake_gap` (why the fake still differs, e.g. a fix in flight in
    r2r_client.testing): its disagreement is reported, not failed; its agreement fails, so
    that the note goes once the fake is fixed."""
    rows, gaps = [], []
    for o in outcomes:
        gap = o.case.get("fake_gap")
        agree = o.real // 100 == o.fake // 100
        if gap is not None:
            if agree:
                rows.append(f"  {o.case['id']}: the fake agrees now, remove its fake_gap")
            else:
                gaps.append(f"  {o.case['id']}: real {o.real}, fake {o.fake}: {gap}")
            continue
        if not agree and _listed(o.case["id"]) is None:
            if o.fake // 100 == 4 and o.real // 100 == 2 and _explained(o):
                continue  # the fake follows the document here, as the client does
            rows.append(f"  {o.case['id']}: real {o.real}, fake {o.fake}")
    print(f"{len(outcomes)} cases replayed against the real and the fake server")
    if gaps:
        print("known gaps of the fake server:\n" + _table(gaps))
    assert not rows, "real and fake server disagree:\n" + _table(rows)


def test_client_agrees_with_the_real_server(outcomes: list[Outcome]) -> None:
    rows = []
    for o in outcomes:
        real_class = o.real // 100
        if real_class == 2 and o.client is not None:
            if _explained(o) is None:
                rows.append(f"  {o.case['id']}: server {o.real}, client refuses: {o.client}")
        elif (
            (real_class == 5 or (real_class == 4 and o.real != 404))
            and o.client is None
            and _listed(o.case["id"]) is None
        ):
            rows.append(f"  {o.case['id']}: server {o.real}, client sends it")
    assert not rows, "the client and the real server disagree:\n" + _table(rows)


def test_client_is_never_stricter_than_the_document(outcomes: list[Outcome]) -> None:
    from r2r_client._body_checks import check_body
    from r2r_client.errors import InvalidRequestError

    rows = []
    for o in outcomes:
        if o.client is None or not contract.document_accepts(o.case["op"], o.body):
            continue
        if o.case["op"] == "replace_metadata" and not _is_uuid(o.path_id):
            continue  # the document's path parameter is a UUID (the server answers 422)
        try:
            check_body(o.case["op"], o.body)
        except InvalidRequestError:
            continue  # one of the checks the document cannot express
        rows.append(f"  {o.case['id']}: the document accepts it, the client refuses: {o.client}")
    assert not rows, "client checks stricter than the document:\n" + _table(rows)

"""schemathesis hooks of the property-based contract run (loaded through SCHEMATHESIS_HOOKS).

* Positive cases of the metadata operation get the instance's real document id (a random UUID
  would only ever test the 404 path); the auth-required instance gets the API key header.
* On the regular-user run (R2R_CONTRACT_INSTANCE=regular) a 5xx whose body matches an entry
  of known-divergences.yaml's `regular-user-failures` is dropped too: a failure R2R has only
  for non-superusers, written down there (and handled by the client).
* A check failure is dropped, and counted, only when our contract already answers it:
  - a 5xx or a "valid data rejected" for a body the document refuses, or that the client refuses
    before sending (its extra checks), can never reach the server from our client;
  - a "schema-violating request accepted" whose every reason is a known divergence
    (e2e/known-divergences.yaml).
  Everything else fails the run, with schemathesis' own reproduction (curl) in the output.
The counts go to the JSON file named by R2R_CONTRACT_STATS.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import uuid
from collections import Counter
from typing import Any

import schemathesis
from contract import (
    client_refusal,
    document_accepts,
    explained_by,
    operation_for,
    regular_user_failure,
    uncovered,
)
from schemathesis.core.failures import AcceptedNegativeData, ServerError

DOC_ID = os.environ["R2R_CONTRACT_DOC_ID"]
API_KEY = os.environ.get("R2R_CONTRACT_API_KEY", "")  # or a login JWT: sent as Bearer
INSTANCE = os.environ.get("R2R_CONTRACT_INSTANCE", "")
STATS: Counter[str] = Counter()


def _write_stats() -> None:
    path = os.environ.get("R2R_CONTRACT_STATS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dict(STATS), f, indent=1, sort_keys=True)


atexit.register(_write_stats)


def _body(case: Any) -> Any:
    body = case.body
    return None if type(body).__name__ == "NotSet" else body


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    if case.path_parameters and "id" in case.path_parameters:
        try:
            uuid.UUID(str(case.path_parameters["id"]))
        except ValueError:
            pass
        else:
            case.path_parameters["id"] = DOC_ID
    if API_KEY:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {API_KEY}"}
    return case


# The coverage phase derives ~2100 invalid RAG bodies from the document (most of them from the
# filter schemas), ~70 ms each against a real server. Keeping a fixed, seed-independent half of
# them (by a hash of the body) keeps the e2e session within its time; 1 keeps all.
NEGATIVE_RAG_SAMPLE = int(os.environ.get("R2R_CONTRACT_NEGATIVE_RAG_SAMPLE", "2"))


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    meta = getattr(case, "meta", None)
    if NEGATIVE_RAG_SAMPLE <= 1 or meta is None or not case.operation.path.endswith("/rag"):
        return True
    if str(getattr(meta.phase.name, "value", meta.phase.name)) != "coverage":
        return True
    if str(getattr(meta.generation.mode, "value", meta.generation.mode)) != "negative":
        return True
    digest = hashlib.sha256(json.dumps(_body(case), sort_keys=True, default=str).encode())
    keep = int.from_bytes(digest.digest()[:4], "big") % NEGATIVE_RAG_SAMPLE == 0
    if not keep:
        STATS["(not sent) negative RAG coverage case outside the sample"] += 1
    return keep


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    op = operation_for(case.method, case.operation.path)
    body = _body(case)
    code = getattr(failure, "code", type(failure).__name__)
    server_failed = isinstance(failure, ServerError) or response.status_code >= 500
    if server_failed and INSTANCE == "regular":
        known = regular_user_failure(op, body)
        if known is not None:
            STATS[f"{code}: regular-user failure {known}"] += 1
            return False
    if server_failed or code == "ST202":  # 5xx, or valid data rejected
        if not document_accepts(op, body):
            STATS[f"{code}: the document refuses the body"] += 1
            return False
        refusal = client_refusal(op, body, DOC_ID)
        if refusal is not None:
            STATS[f"{code}: the client refuses it before sending ({refusal.split(':')[0]})"] += 1
            return False
        return True
    if isinstance(failure, AcceptedNegativeData):
        if document_accepts(op, body):
            STATS[f"{code}: the body is in fact valid"] += 1
            return False
        if not uncovered(op, body):
            from contract import document_errors

            ids = sorted({explained_by(p, body) or "?" for p in document_errors(op, body)})
            STATS[f"{code}: known divergence {'+'.join(ids)}"] += 1
            return False
        return True
    return True

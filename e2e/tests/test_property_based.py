"""Property-based contract run: schemathesis against both real R2R instances.

The document's three operations get generated bodies, valid and invalid, with a fixed seed, and
every answer is checked: no server error, a documented status and content type, a body (and
every streamed event) that fits the document, valid data accepted, invalid data refused. A failure
that our contract already answers is dropped by e2e/schemathesis_hooks.py (the document or the
client refuses the body, or e2e/known-divergences.yaml lists the difference); any other prints
schemathesis' report with its curl reproduction and fails the test.

Three runs: the open instance, the auth-required one as the superuser, and the auth-required one
as a regular user (its own API key and document, rate limits lifted; a 5xx that R2R gives only
to non-superusers is dropped when known-divergences.yaml's `regular-user-failures` lists it).

Knobs (environment): R2R_CONTRACT_SEED (default 20261122), R2R_CONTRACT_SEEDS (a comma-separated
list: one run per seed and instance, for the soak session), R2R_CONTRACT_EXAMPLES (fuzzing
examples per operation, default 25 on the open instance, 10 on the others),
R2R_CONTRACT_PHASES (schemathesis phases for every instance, e.g. "examples,fuzzing"),
R2R_CONTRACT_INSTANCES (e.g. "open,regular"), R2R_CONTRACT_CREDENTIAL ("key", the default: API
keys; "jwt": login tokens, ~50x cheaper per request on the server, same contract).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

E2E = Path(__file__).resolve().parents[1]
DOCUMENT = E2E.parent / "openapi" / "r2r-v3.yaml"
SEEDS = os.environ.get("R2R_CONTRACT_SEEDS") or os.environ.get("R2R_CONTRACT_SEED", "20261122")
SEEDS = SEEDS.replace(" ", "")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "positive_data_acceptance",
        "negative_data_rejection",
    ]
)
# The open instance gets the exhaustive coverage phase (every boundary and every violation the
# document implies, ~3000 requests); the auth-required one runs the same server code, so it gets
# the examples and a shorter fuzzing run, enough to show every operation works with an API key.
# The regular user's run is the auth-required one again, as a non-superuser: R2R rewrites its
# filters and checks its limits (lifted here), and it may only change its own document.
RUNS = {
    "open": {"phases": "examples,coverage,fuzzing", "examples": 25},
    "auth": {"phases": "examples,fuzzing", "examples": 10},
    "regular": {"phases": "examples,fuzzing", "examples": 10},
}
INSTANCES = [
    name for name in (os.environ.get("R2R_CONTRACT_INSTANCES") or ",".join(RUNS)).split(",") if name
]
JWT = os.environ.get("R2R_CONTRACT_CREDENTIAL", "key") == "jwt"


def _schemathesis() -> str:
    exe = Path(sys.executable).parent / "schemathesis"
    if not exe.exists():
        pytest.fail("schemathesis is not installed: pip install -r e2e/requirements-tests.txt")
    return str(exe)


@pytest.fixture(scope="session")
def auth_doc_id(cfg, auth_http: httpx.Client, admin_api_key: str) -> str:
    """A small ingested document on the auth-required instance (created with the API key)."""
    headers = {"Authorization": f"Bearer {admin_api_key}"}
    r = auth_http.post(
        "/v3/documents",
        data={"raw_text": "Lanterns carry the Zorblax protocol.", "ingestion_mode": "fast"},
        headers=headers,
    )
    assert r.status_code in (200, 202), r.text
    doc_id = r.json()["results"]["document_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        r = auth_http.get(f"/v3/documents/{doc_id}", headers=headers)
        if r.status_code == 200 and r.json()["results"]["ingestion_status"] == "success":
            return doc_id
        time.sleep(0.3)
    pytest.fail(f"document {doc_id} not ingested on the auth instance: {r.text[:300]}")


@pytest.mark.parametrize("seed", SEEDS.split(","))
@pytest.mark.parametrize("instance", INSTANCES)
def test_schemathesis(instance: str, seed: str, cfg, request, tmp_path: Path) -> None:
    run = RUNS[instance]
    env = dict(os.environ)
    env["SCHEMATHESIS_HOOKS"] = str(E2E / "schemathesis_hooks.py")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(E2E), env.get("PYTHONPATH")]))
    env["R2R_CONTRACT_INSTANCE"] = instance
    stats = tmp_path / "dropped.json"
    env["R2R_CONTRACT_STATS"] = str(stats)
    if instance == "open":
        base, env["R2R_CONTRACT_DOC_ID"] = cfg.base, cfg.doc_id
    elif instance == "auth":
        base = cfg.auth_base
        env["R2R_CONTRACT_DOC_ID"] = request.getfixturevalue("auth_doc_id")
        env["R2R_CONTRACT_API_KEY"] = request.getfixturevalue(
            "admin_token" if JWT else "admin_api_key"
        )
    else:
        base = cfg.auth_base
        user = request.getfixturevalue("shared_regular_user")
        env["R2R_CONTRACT_DOC_ID"] = user.own_doc_id
        env["R2R_CONTRACT_API_KEY"] = user.jwt if JWT else user.api_key
    examples = os.environ.get("R2R_CONTRACT_EXAMPLES", str(run["examples"]))
    phases = os.environ.get("R2R_CONTRACT_PHASES", run["phases"])
    cmd = [
        _schemathesis(),
        "--no-color",
        "--config-file",
        str(E2E / "schemathesis.toml"),
        "run",
        str(DOCUMENT),
        "--url",
        base,
        "--seed",
        seed,
        "--max-examples",
        examples,
        "--phases",
        phases,
        "--checks",
        CHECKS,
        "--workers",
        "1",
        "--no-shrink",
        "--continue-on-failure",
        "--request-timeout",
        "60",
        "--suppress-health-check",
        "all",
    ]
    t0 = time.monotonic()
    result = subprocess.run(
        cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False
    )
    elapsed = time.monotonic() - t0
    dropped = json.loads(stats.read_text()) if stats.exists() else {}
    summary = "\n".join(f"  {n:5d}  {why}" for why, n in sorted(dropped.items()))
    report = (
        f"schemathesis on the {instance} instance ({elapsed:.0f} s, seed {seed}):\n"
        f"{result.stdout[-60000:]}\n{result.stderr[-5000:]}\n"
        f"failures our contract already answers (dropped):\n{summary or '  none'}"
    )
    print(report)
    assert result.returncode == 0, report

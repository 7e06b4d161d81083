"""Two-way coverage (tools/r2r_upstream/coverage.py) and the command line (tools/upstream.py):
the committed R2R 3.6.6 snapshot against openapi/r2r-v3.yaml, with one change at a time on either
side; a served changed copy."""

from __future__ import annotations

import copy
import json
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/ is not an installed package

from tools.r2r_upstream.captures import Captured, capture_operation, load_captures
from tools.r2r_upstream.cli import main
from tools.r2r_upstream.coverage import Coverage, coverage
from tools.r2r_upstream.documents import trim
from tools.r2r_upstream.listings import e2e_divergence_ids, load_divergences, load_left_out

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / "openapi" / "upstream"
SNAPSHOT = UPSTREAM / "r2r-3.6.6.json"
OURS = ROOT / "openapi" / "r2r-v3.yaml"
RAG = "POST /v3/retrieval/rag:"
Captures = dict[tuple[str, str], Captured]


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(OURS.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def captures() -> Captures:
    return load_captures(ROOT / "tests" / "fixtures")


def check(upstream: dict[str, Any], ours: dict[str, Any], captures: Captures) -> Coverage:
    """Coverage with the committed left-out.yaml and divergences.yaml."""
    return coverage(
        upstream,
        ours,
        captures,
        load_left_out(UPSTREAM / "left-out.yaml"),
        load_divergences(UPSTREAM / "divergences.yaml", e2e_divergence_ids()),
    )


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def test_the_committed_snapshot_is_fully_covered(
    snapshot: dict[str, Any], ours: dict[str, Any], captures: Captures
) -> None:
    result = check(snapshot, ours, captures)
    assert (result.missing, result.unlisted, result.stale) == ([], [], [])


def test_a_new_upstream_request_field_is_missing_from_ours(
    snapshot: dict[str, Any], ours: dict[str, Any], captures: Captures
) -> None:
    changed = copy.deepcopy(snapshot)
    schemas(changed)["SearchSettings"]["properties"]["rerank"] = {"type": "boolean"}
    result = check(changed, ours, captures)
    assert result.missing == ["POST /v3/retrieval/rag body.search_settings.rerank"]
    assert (result.unlisted, result.stale) == ([], [])


def test_a_new_upstream_response_field_is_missing_from_ours(
    snapshot: dict[str, Any], ours: dict[str, Any], captures: Captures
) -> None:
    changed = copy.deepcopy(snapshot)
    schemas(changed)["DocumentResponse"]["properties"]["tags"] = {
        "type": "array",
        "items": {"type": "string"},
    }
    result = check(changed, ours, captures)
    assert result.missing == ["PUT /v3/documents/{id}/metadata response 200 body.results.tags"]


def test_a_field_upstream_removed_is_reported_while_ours_keeps_it(
    snapshot: dict[str, Any], ours: dict[str, Any], captures: Captures
) -> None:
    changed = copy.deepcopy(snapshot)
    del schemas(changed)["SearchSettings"]["properties"]["include_scores"]
    result = check(changed, ours, captures)
    assert result.unlisted == [
        "POST /v3/retrieval/rag body.search_settings.include_scores: ours only"
    ]
    assert (result.missing, result.stale) == ([], [])


@pytest.mark.parametrize(
    ("facet", "value", "line"),
    [
        ("maximum", 100, "body.search_settings.limit: maximum ours 1000, upstream 100"),
        ("type", "number", "body.search_settings.limit: type ours integer, upstream number"),
        ("default", 20, None),  # ours declares no default: nothing to disagree with
    ],
)
def test_a_changed_facet_of_a_field_in_both(
    snapshot: dict[str, Any],
    ours: dict[str, Any],
    captures: Captures,
    facet: str,
    value: Any,
    line: str | None,
) -> None:
    changed = copy.deepcopy(snapshot)
    schemas(changed)["SearchSettings"]["properties"]["limit"][facet] = value
    result = check(changed, ours, captures)
    assert result.unlisted == ([f"POST /v3/retrieval/rag {line}"] if line else [])


def test_a_listed_divergence_upstream_resolves_becomes_stale(
    snapshot: dict[str, Any], ours: dict[str, Any], captures: Captures
) -> None:
    changed = copy.deepcopy(snapshot)
    schema = schemas(changed)["Body_completion_v3_retrieval_completion_post"]
    schema["properties"]["messages"]["minItems"] = 1
    result = check(changed, ours, captures)
    assert result.unlisted == []
    assert result.stale == [
        "divergences.yaml: POST /v3/retrieval/completion body.messages: "
        "minItems ours 1, upstream (none)"
    ]


def test_a_left_out_entry_upstream_dropped_becomes_stale(
    snapshot: dict[str, Any], ours: dict[str, Any], captures: Captures
) -> None:
    changed = copy.deepcopy(snapshot)
    del changed["paths"]["/v3/retrieval/completion"]["post"]["parameters"]
    result = check(changed, ours, captures)
    assert result.stale == [
        "left-out.yaml: POST /v3/retrieval/completion parameter query response_model"
    ]


def test_undeclared_response_fields_are_checked_against_the_captures(
    snapshot: dict[str, Any], ours: dict[str, Any], captures: Captures
) -> None:
    # R2R declares `{}` for RAG's 200: our fields there stand on the captures alone
    mine = copy.deepcopy(ours)
    answer = schemas(mine)["RAGResponse"]["properties"]
    answer["confidence"] = {"type": "number"}  # in no capture
    answer["generated_answer"] = {"type": "integer"}  # captured as a string
    result = check(snapshot, mine, captures)
    assert result.unlisted == [
        "POST /v3/retrieval/rag response 200 body.results.confidence: ours only",
        "POST /v3/retrieval/rag response 200 body.results.generated_answer: "
        "type ours integer, captured string",
    ]
    without_captures = check(snapshot, ours, {})  # the whole answer is then ours alone
    assert (
        "POST /v3/retrieval/rag response 200 body.results: ours only" in without_captures.unlisted
    )


def test_every_capture_is_attributed_to_the_operation_that_answered_it() -> None:
    from test_captures import REQUESTS  # the captures' own index

    assert {name: capture_operation(name) for name in REQUESTS} == REQUESTS


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"findings": ["x"]}, "has neither a reason nor `see`"),
        ({"see": "no-such-id", "findings": ["x"]}, "`see: no-such-id` names no entry"),
        ({"reason": "r", "findings": ["x", "x"]}, "listed twice: x"),
    ],
)
def test_a_malformed_divergence_entry_is_refused(
    tmp_path: Path, entry: dict[str, Any], message: str
) -> None:
    path = tmp_path / "divergences.yaml"
    path.write_text(yaml.safe_dump({"divergences": [entry]}), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_divergences(path, {"empty-messages"})


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------
@pytest.fixture
def upstream_dir(tmp_path: Path) -> Path:
    """A copy of openapi/upstream/ with only the 3.6.6 snapshot."""
    directory = tmp_path / "upstream"
    directory.mkdir()
    for name in ("left-out.yaml", "divergences.yaml", "r2r-3.6.6.json"):
        shutil.copy(UPSTREAM / name, directory / name)
    return directory


@pytest.fixture
def served() -> Iterator[dict[str, Any]]:
    """An HTTP server on loopback answering GET /openapi.json with `served["document"]`."""
    state: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(state["document"]).encode()
            self.send_response(200 if self.path == "/openapi.json" else 404)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.loopback
def test_a_served_changed_copy_is_reported_and_stays_reported_after_update(
    snapshot: dict[str, Any],
    served: dict[str, Any],
    upstream_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    changed = copy.deepcopy(snapshot)
    schemas(changed)["DocumentResponse"]["properties"]["tags"] = {"type": "string"}
    schemas(changed)["SearchSettings"]["properties"]["limit"]["maximum"] = 100
    schemas(changed)["HybridSearchSettings"]["properties"]["rrf_k"]["default"] = 60
    del schemas(changed)["SearchSettings"]["properties"]["offset"]
    served["document"] = changed
    run = ["--url", served["url"], "--upstream-dir", str(upstream_dir)]

    assert main(run) == 1
    report = capsys.readouterr().out.splitlines()
    put, rag = report.index("PUT /v3/documents/{id}/metadata:"), report.index(RAG)
    assert report[put + 1] == "  + response 200 body.results.tags: type string, optional"
    assert report[rag + 1 : rag + 4] == [
        "  - body.search_settings.offset: type integer, optional, default 0, minimum 0",
        "  ~ body.search_settings.hybrid_settings.rrf_k: default 50 -> 60",
        "  ~ body.search_settings.limit: maximum 1000 -> 100",
    ]

    assert main([*run, "--update", "--version", "3.6.7"]) == 1
    recorded = capsys.readouterr().out
    assert f"recorded R2R 3.6.7's contract in {upstream_dir / 'r2r-3.6.7.json'}" in recorded
    assert json.loads((upstream_dir / "r2r-3.6.7.json").read_text()) == trim(changed)

    assert main(run) == 1  # recorded, but our document still has what upstream removed
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "R2R 3.6.7: its document equals r2r-3.6.7.json"
    unchanged = f"contract unchanged since {upstream_dir / 'r2r-3.6.7.json'} ("
    assert any(line.startswith(unchanged) for line in out)
    assert "  POST /v3/retrieval/rag body.search_settings.offset: ours only" in out
    assert (
        "  POST /v3/retrieval/rag body.search_settings.limit: maximum ours 1000, upstream 100"
        in out
    )
    assert "  PUT /v3/documents/{id}/metadata response 200 body.results.tags" in out


def test_the_unchanged_snapshot_passes(
    upstream_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--document", str(SNAPSHOT), "--upstream-dir", str(upstream_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "R2R 3.6.6: its document equals r2r-3.6.6.json"
    assert out[1].startswith(f"contract unchanged since {upstream_dir / 'r2r-3.6.6.json'} (")
    assert out[2].startswith("two-way coverage: every upstream place is in openapi/r2r-v3.yaml")


def test_the_version_comes_from_a_lock_or_the_document(
    snapshot: dict[str, Any],
    upstream_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("pydantic==2.0\nr2r==3.6.6\n    # via -r requirements.in\n")
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(snapshot))
    run = ["--document", str(document), "--upstream-dir", str(upstream_dir)]
    assert main([*run, "--version-from-lock", str(lock)]) == 0
    assert capsys.readouterr().out.startswith(f"R2R 3.6.6: pinned in {lock}\n")

    declared = copy.deepcopy(snapshot)
    declared["info"]["version"] = "3.7.0"
    document.write_text(json.dumps(declared))
    assert main(run) == 1  # no snapshot of 3.7.0 yet
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "R2R 3.7.0: the document's info.version",
        "no snapshot of R2R 3.7.0; comparing with the newest",
    ]


def test_update_refuses_to_guess_a_version(
    snapshot: dict[str, Any],
    upstream_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    changed = copy.deepcopy(snapshot)
    schemas(changed)["SearchSettings"]["properties"]["limit"]["maximum"] = 100
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(changed))
    run = ["--document", str(document), "--upstream-dir", str(upstream_dir), "--update"]
    assert main(run) == 2
    assert "cannot record a snapshot without a version: pass --version" in capsys.readouterr().out
    assert sorted(p.name for p in upstream_dir.glob("r2r-*.json")) == ["r2r-3.6.6.json"]

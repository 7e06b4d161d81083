"""Capture what a REGULAR user of a real R2R 3.6.6 gets back: limits, ownership, server failures.

Run against the e2e servers (it needs the auth-required instance and the stand-in LLM):

    python e2e/run.py --python .nox/e2e/bin/python --exec -- \
        python e2e/capture_regular_user.py [--out tests/fixtures] [--only NAME ...] [--no-wait]

Each case makes its own fresh regular user (so no earlier request counts against its limits),
provokes one answer and stores it as tests/fixtures/<name>.http: the status line and headers
exactly as received on the socket, a blank line, then the body (a chunked body de-chunked, as in
the other captures; a stream the server cut off is stored up to the cut). The request goes out
on a raw socket (keep-alive, like an HTTP client library) so nothing rewrites the answer.

For every case it also records the wall time, ``Retry-After``, whether the request counted
against the user's quota (the server's own usage figure, GET /v3/users/{id}/limits, before and
after), and how many times R2R called the stand-in LLM. The table goes to stdout and, as JSON,
to e2e/.work/regular-user-findings.json. Without --no-wait it also waits (up to ~70 s) to show
that a per-minute 429 frees itself while a monthly one does not.

Failures of the LLM provider come from e2e/standin_llm.py's magic model names
(``openai/standin-fail-503`` and friends; see its docstring).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from regular_users import COMPLETION, RAG, Admin, RegularUser

REPO = Path(__file__).resolve().parents[1]
MODEL = os.environ.get("R2R_E2E_MODEL", "openai/standin-chat")
FINDINGS = REPO / "e2e" / ".work" / "regular-user-findings.json"


@dataclass
class Raw:
    """One answer as it arrived: head bytes, (de-chunked) body, and how it ended."""

    head: bytes
    body: bytes
    complete: bool
    seconds: float

    @property
    def status(self) -> int:
        return int(self.head.split(b"\r\n", 1)[0].split()[1])

    def header(self, name: str) -> str | None:
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.decode("latin-1").partition(":")
            if key.strip().lower() == name:
                return value.strip()
        return None


def dechunk(data: bytes) -> tuple[bytes, bool]:
    """The payload of a chunked body, and whether its terminating chunk arrived."""
    out = bytearray()
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            return bytes(out), False
        size = int(data[pos:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out), True
        start = end + 2
        if len(data) < start + size:
            out += data[start:]
            return bytes(out), False
        out += data[start : start + size]
        pos = start + size + 2


def raw_request(
    base: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    json_body: Any = None,
    timeout: float = 900.0,
) -> Raw:
    """Send one HTTP/1.1 request on a fresh socket and read exactly one answer.

    The connection is left keep-alive (no ``Connection: close``), as an HTTP client library
    would use it, so the server's headers are the ones such a client sees; the answer ends at
    its Content-Length, at the terminating chunk, or when the server closes the connection."""
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    body = b"" if json_body is None else json.dumps(json_body, separators=(",", ":")).encode()
    lines = [f"{method} {url.path.rstrip('/')}{path} HTTP/1.1", f"Host: {host}:{port}"]
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    if json_body is not None:
        lines.append("Content-Type: application/json")
    lines += [f"Content-Length: {len(body)}", "", ""]
    t0 = time.monotonic()
    data = bytearray()
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall("\r\n".join(lines).encode() + body)
        while not _answer_complete(bytes(data)):
            try:
                got = sock.recv(65536)
            except ConnectionResetError:
                break
            if not got:
                break
            data += got
    seconds = time.monotonic() - t0
    head, _, rest = bytes(data).partition(b"\r\n\r\n")
    raw = Raw(head=head, body=rest, complete=True, seconds=seconds)
    if (raw.header("transfer-encoding") or "").lower() == "chunked":
        raw.body, raw.complete = dechunk(rest)
    elif raw.header("content-length") is not None:
        raw.complete = len(rest) == int(raw.header("content-length") or 0)
    return raw


def _answer_complete(data: bytes) -> bool:
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    probe = Raw(head=head, body=b"", complete=False, seconds=0.0)
    if (probe.header("transfer-encoding") or "").lower() == "chunked":
        return dechunk(rest)[1]
    length = probe.header("content-length")
    return length is not None and len(rest) >= int(length)


@dataclass
class Finding:
    case: str
    capture: str | None
    request: str
    status: int
    detail: str
    error_type: str | None
    retry_after: str | None
    counted: int | None
    seconds: float
    llm_calls: int | None
    complete: bool
    note: str = ""


class Capturer:
    def __init__(self, admin: Admin, llm_base: str, out: Path, only: set[str]) -> None:
        self.admin = admin
        self.llm = httpx.Client(base_url=llm_base.rstrip("/").removesuffix("/v1"), timeout=10)
        self.out = out
        self.only = only
        self.findings: list[Finding] = []

    def wanted(self, case: str) -> bool:
        return not self.only or case in self.only

    def llm_calls(self, since: float, model: str | None) -> int | None:
        """How many chat requests for ``model`` the stand-in saw since ``since`` (epoch s)."""
        if model is None:
            return None
        recent = self.llm.get("/_debug/requests").json()
        bare = model.removeprefix("openai/")
        return sum(1 for r in recent if r["time"] >= since and r["body"].get("model") == bare)

    def send(
        self,
        case: str,
        user: RegularUser | None,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        capture: str | None = None,
        model: str | None = None,
        note: str = "",
    ) -> Raw:
        """Send one request as ``user`` (JWT), record a Finding, write the capture if named."""
        used_before = self._used(user)
        since = time.time()
        raw = raw_request(
            self.admin.base,
            method,
            path,
            headers=headers if headers is not None else (user.jwt_headers if user else {}),
            json_body=body,
        )
        used_after = self._used(user)
        detail, error_type = describe(raw)
        finding = Finding(
            case=case,
            capture=capture,
            request=f"{method} {path} {json.dumps(body, separators=(',', ':'))[:160]}"
            if body is not None
            else f"{method} {path}",
            status=raw.status,
            detail=detail,
            error_type=error_type,
            retry_after=raw.header("retry-after"),
            counted=None if used_before is None or used_after is None else used_after - used_before,
            seconds=round(raw.seconds, 2),
            llm_calls=self.llm_calls(since, model),
            complete=raw.complete,
            note=note,
        )
        self.findings.append(finding)
        print(f"- {case}: {raw.status} in {raw.seconds:.2f} s: {detail[:160]}", flush=True)
        if capture:
            (self.out / capture).write_bytes(raw.head + b"\r\n\r\n" + raw.body)
        return raw

    @staticmethod
    def _used(user: RegularUser | None) -> int | None:
        """The server's count of the user's requests this month, all routes (None: no user).

        (GET /v3/users/{id}/limits shows this all-routes figure as the monthly usage, although
        the monthly limit itself is enforced per route.)"""
        if user is None:
            return None
        return int(user.limits()["usage"]["monthly_limit"]["used"])


def describe(raw: Raw) -> tuple[str, str | None]:
    """(message or detail text, error_type) of an answer, whatever its shape.

    For an event stream: the event names in order (repeats counted), and how the body ended."""
    if (raw.header("content-type") or "").startswith("text/event-stream"):
        names = [
            line[6:].strip()
            for line in raw.body.decode("utf-8", "replace").splitlines()
            if line.startswith("event:")
        ]
        runs: list[str] = []
        for name in names:
            if runs and runs[-1].split(" x")[0] == name:
                count = int(runs[-1].split(" x")[1]) + 1 if " x" in runs[-1] else 2
                runs[-1] = f"{name} x{count}"
            else:
                runs.append(name)
        ending = "chunked body terminated" if raw.complete else "connection closed mid-body"
        return f"events: {', '.join(runs) or 'none'} ({ending})", None
    try:
        body = json.loads(raw.body)
    except ValueError:
        return raw.body[:300].decode("utf-8", "replace"), None
    if isinstance(body, dict) and "message" in body:
        return str(body["message"]), body.get("error_type")
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        return str(detail.get("message")), detail.get("error_type")
    if isinstance(detail, str):
        return detail, None
    return json.dumps(body)[:300], None


def completion(model: str | None = MODEL, content: str = "Say hello") -> dict[str, Any]:
    """A completion body; ``model=None`` leaves generation_config out."""
    body: dict[str, Any] = {"messages": [{"role": "user", "content": content}]}
    if model is not None:
        body["generation_config"] = {"model": model}
    return body


def rag(model: str = MODEL, stream: bool = False, **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"model": model}
    if stream:
        config["stream"] = True
    return {"query": "What does the blue lantern mean?", "rag_generation_config": config, **extra}


def run(cap: Capturer, wait: bool) -> None:
    admin = cap.admin
    c = cap.send

    monthly_user = None
    if cap.wanted("rate-limit-monthly"):
        monthly_user = u = admin.create_user()
        u.set_limits(monthly_limit=1)
        for i in (1, 2):
            c(f"rate-limit-monthly: request {i} of 2 allowed", u, "POST", COMPLETION, completion())
        c(
            "rate-limit-monthly: monthly 429",
            u, "POST", COMPLETION, completion(),
            capture="20-completion-rate-limit-monthly.http",
            note="monthly_limit=1, counted per route: 2 requests pass",
        )  # fmt: skip
        c("rate-limit-monthly: another route has its own monthly count", u, "POST", RAG, rag())

    if cap.wanted("rate-limit-global"):
        u = admin.create_user(own_doc_text="Global limit notes: the green lantern means go.")
        u.set_limits(global_per_min=1)
        c("rate-limit-global: completion allowed", u, "POST", COMPLETION, completion())
        c(
            "rate-limit-global: global per-minute 429 on another route",
            u, "POST", RAG, rag(),
            capture="20-rag-rate-limit-global.http",
            note="global_per_min=1; the ingestion and the completion made 2 requests",
        )  # fmt: skip
        assert u.own_doc_id is not None
        c(
            "rate-limit-global: PUT metadata refused too (PUT is never counted, but checked)",
            u, "PUT", f"/v3/documents/{u.own_doc_id}/metadata", [{"a": 1}],
            capture="20-put-metadata-rate-limit-global.http",
        )  # fmt: skip

    if cap.wanted("rate-limit-route"):
        u = admin.create_user()
        u.set_limits(routes={COMPLETION: {"route_per_min": 1}})
        first = time.monotonic()
        for i in (1, 2):
            c(f"rate-limit-route: request {i} of 2 allowed", u, "POST", COMPLETION, completion())
        c(
            "rate-limit-route: per-route per-minute 429",
            u, "POST", COMPLETION, completion(),
            capture="20-completion-rate-limit-route.http",
            note="route_per_min=1: the check is count > limit, so 2 requests pass",
        )  # fmt: skip
        refused = time.monotonic()
        c("rate-limit-route: other route still allowed", u, "POST", RAG, rag())
        if wait:
            wait_for_window(cap, u, first, refused)
            if monthly_user is not None:
                c(
                    "rate-limit-monthly: the same request after the per-minute window",
                    monthly_user, "POST", COMPLETION, completion(),
                    note="more than 60 s after the monthly 429: still refused",
                )  # fmt: skip

    if cap.wanted("no-credentials"):
        c(
            "401 without credentials (auth-required server)",
            None, "POST", COMPLETION, completion(),
            headers={}, capture="20-completion-no-credentials.http",
        )  # fmt: skip
        c(
            "401 with a wrong API key",
            None, "POST", COMPLETION, completion(),
            headers={"X-API-Key": "key_nope.secret"}, capture="20-completion-wrong-api-key.http",
        )  # fmt: skip

    if cap.wanted("shared-doc-404"):
        u = admin.create_user(shared=True)
        assert u.shared_doc_id is not None
        c(
            "PUT metadata on a document shared through a collection",
            u, "PUT", f"/v3/documents/{u.shared_doc_id}/metadata", [{"a": 1}],
            capture="20-put-metadata-shared-doc.http",
        )  # fmt: skip
        c(
            "the shared document is visible in a search (rag filter on it)",
            u, "POST", RAG,
            rag(search_settings={"filters": {"document_id": {"$eq": u.shared_doc_id}}}),
            model=MODEL,
        )  # fmt: skip

    if cap.wanted("server-bugs"):
        u = admin.create_user(shared=True)
        if os.environ.get("R2R_E2E_AUTH_DEFAULT_MODEL") == "0":
            c(
                "completion without generation_config.model (no default model configured)",
                u, "POST", COMPLETION, completion(model=None),
                capture="20-completion-no-model.http",
                note="R2R picks a provider by model name: None.startswith fails before any call",
            )  # fmt: skip
        else:
            print("- (completion without a model: needs run.py --no-default-completion-model)")
        coll = u.shared_collection_id
        c(
            "rag filter collection_ids $in (regular user)",
            u, "POST", RAG, rag(search_settings={"filters": {"collection_ids": {"$in": [coll]}}}),
            capture="20-rag-collection-ids-in.http",
        )  # fmt: skip
        c(
            "rag filter collection_ids list shorthand (regular user)",
            u, "POST", RAG, rag(search_settings={"filters": {"collection_ids": [coll]}}),
            capture="20-rag-collection-ids-list.http",
        )  # fmt: skip
        c(
            "rag filter collection_ids $overlap (regular user: the one form that works)",
            u, "POST", RAG,
            rag(search_settings={"filters": {"collection_ids": {"$overlap": [coll]}}}),
        )  # fmt: skip
        c(
            "rag filter on a metadata key containing 'collection_ids' (regular user)",
            u, "POST", RAG, rag(search_settings={"filters": {"my_collection_ids": {"$eq": "x"}}}),
        )  # fmt: skip
        c(
            "rag filter collection_ids $in nested in $and (regular user)",
            u, "POST", RAG,
            rag(search_settings={"filters": {"$and": [{"collection_ids": {"$in": [coll]}}]}}),
        )  # fmt: skip

    if cap.wanted("llm-failures"):
        u = admin.create_user()
        for kind, what in (
            ("503", "provider answers 503"),
            ("500", "provider answers 500"),
            ("429", "provider answers 429 (its own rate limit)"),
            ("404", "provider answers 404 (unknown model)"),
            ("401", "provider answers 401 (bad provider key)"),
            ("400", "provider answers 400 (bad request, e.g. context too long)"),
            ("drop", "provider closes the connection without an answer"),
            ("garbage", "provider answers 200 with a body that is no completion"),
        ):
            model = f"openai/standin-fail-{kind}"
            keep = kind in ("503", "429", "drop", "garbage")
            c(
                f"completion, {what}",
                u, "POST", COMPLETION, completion(model=model),
                capture=f"20-completion-llm-{kind}.http" if keep else None, model=model,
            )  # fmt: skip
        c(
            "completion, provider fails once (503) then answers",
            u, "POST", COMPLETION, completion(model="openai/standin-flaky-1", content="blip"),
            model="openai/standin-flaky-1",
        )  # fmt: skip
        c(
            "completion, provider answers after 5 s",
            u, "POST", COMPLETION, completion(model="openai/standin-slow-5"),
            model="openai/standin-slow-5",
        )  # fmt: skip
        for kind, capture in (
            ("503", "20-rag-llm-503.http"),
            ("drop", None),
            ("429", None),
            ("garbage", "20-rag-llm-garbage.http"),
        ):
            model = f"openai/standin-fail-{kind}"
            c(
                f"rag, LLM provider fails ({kind})",
                u, "POST", RAG, rag(model=model), capture=capture, model=model,
            )  # fmt: skip
        c(
            "rag, embedding provider answers 503",
            u, "POST", RAG, {"query": "standin-fail-embed-503 lanterns",
                             "rag_generation_config": {"model": MODEL}},
            capture="20-rag-embedding-503.http",
        )  # fmt: skip
        c(
            "rag stream, LLM provider answers 503",
            u, "POST", RAG, rag(model="openai/standin-fail-503", stream=True),
            capture="20-rag-stream-llm-503.http", model="openai/standin-fail-503",
        )  # fmt: skip
        c(
            "rag stream, LLM stream cut off after two chunks",
            u, "POST", RAG, rag(model="openai/standin-fail-midstream", stream=True),
            capture="20-rag-stream-llm-cut.http", model="openai/standin-fail-midstream",
        )  # fmt: skip


def wait_for_window(cap: Capturer, user: RegularUser, first: float, refused: float) -> None:
    """Ask again every 2 s until the per-minute 429 is gone; record how long that took."""
    print("- waiting for the per-minute window to free (polling every 2 s, at most 75 s) ...")
    polls = 0
    while True:
        raw = raw_request(
            cap.admin.base, "POST", COMPLETION, headers=user.jwt_headers, json_body=completion()
        )
        polls += 1
        now = time.monotonic()
        if raw.status != 429 or now - refused > 75:
            break
        time.sleep(2)
    cap.findings.append(
        Finding(
            case="rate-limit-route: the same request, asked every 2 s until allowed",
            capture=None,
            request=f"POST {COMPLETION}",
            status=raw.status,
            detail=describe(raw)[0],
            error_type=None,
            retry_after=raw.header("retry-after"),
            counted=None,
            seconds=round(now - refused, 1),
            llm_calls=None,
            complete=raw.complete,
            note=f"seconds after the 429; {now - first:.1f} s after the first counted request; "
            f"{polls} asks (the refused ones are not counted)",
        )
    )
    print(
        f"- allowed again {now - refused:.1f} s after the 429 ({now - first:.1f} s after the "
        f"first counted request), {polls} asks"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "tests" / "fixtures")
    ap.add_argument("--only", nargs="*", default=[], help="case groups to run (default: all)")
    ap.add_argument("--no-wait", action="store_true", help="skip the ~60 s window check")
    args = ap.parse_args(argv)
    base = os.environ["R2R_E2E_AUTH_BASE"]
    with httpx.Client(base_url=base, timeout=900) as http:
        admin = Admin(
            http,
            os.environ.get("R2R_E2E_ADMIN_EMAIL", "admin@example.com"),
            os.environ.get("R2R_E2E_ADMIN_PASSWORD", "change_me_immediately"),
        )
        cap = Capturer(admin, os.environ["R2R_E2E_LLM_BASE"], args.out, set(args.only))
        run(cap, wait=not args.no_wait)
    FINDINGS.parent.mkdir(parents=True, exist_ok=True)
    FINDINGS.write_text(json.dumps([asdict(f) for f in cap.findings], indent=1) + "\n")
    print(f"\n{len(cap.findings)} findings in {FINDINGS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

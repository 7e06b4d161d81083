"""Every routine task of the project. `nox` alone runs what CI runs."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    "check_generated",
    "drift_drill",
    "spec",
    "lint",
    "typecheck",
    "user_typing",
    "api_check",
    "tests",
    "docs",
    "demo",
    "e2e",
]

GENERATOR_PINS = "generator/requirements.txt"
DOCS_PINS = "docs/requirements.txt"
DEV_PINS = "requirements/dev.txt"


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/r2r_api from openapi/r2r-v3.yaml."""
    session.install("-r", GENERATOR_PINS)
    session.run("python", "generator/generate.py")


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail (with a diff) if generated/ differs from what the document generates."""
    session.install("-r", GENERATOR_PINS)
    session.run("python", "generator/generate.py", "--check")


@nox.session
def drift_drill(session: nox.Session) -> None:
    """Prove a document change reaches users typed with only `nox -s generate` (tools/)."""
    session.install("-r", GENERATOR_PINS, "-r", "requirements/drift.txt")
    session.run("python", "tools/drift_drill.py", *session.posargs)


@nox.session
def spec(session: nox.Session) -> None:
    """Validate the OpenAPI document."""
    session.install("openapi-spec-validator==0.9.0", "pyyaml==6.0.3")
    session.run("python", "tools/validate_spec.py", "openapi/r2r-v3.yaml")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over everything but generated/."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the wrapper, the generated package, and examples/, benchmarks/, tools/
    and tests/."""
    session.install("-r", DEV_PINS, "-e", ".")
    session.run("mypy")
    session.run("mypy", "examples", "benchmarks", "tests")
    # The upstream tool on its own: the tests above import it as `tools.r2r_upstream`, its
    # command as `r2r_upstream` (one name per mypy run).
    session.run("mypy", "tools/upstream.py", "tools/r2r_upstream", "tools/drift_drill.py")


@nox.session
def user_typing(session: nox.Session) -> None:
    """Build wheel and sdist; mypy --strict and basedpyright on user code against the wheel."""
    session.install("-r", "requirements/typing.txt")
    session.run("python", "tests/user_code/check_installed.py", *session.posargs)


@nox.session
def api(session: nox.Session) -> None:
    """Regenerate the public API record (api/r2r-client.api.md); `-- --release` at a release."""
    session.install("-r", DEV_PINS)
    session.run("python", "api/record.py", "write", *session.posargs)


@nox.session
def api_check(session: nox.Session) -> None:
    """Fail when the API record is stale; print the breaking changes griffe finds."""
    session.install("-r", DEV_PINS)
    session.run("python", "api/record.py", "check")


@nox.session
def tests(session: nox.Session) -> None:
    """The unit and loopback test suite."""
    session.install("-r", DEV_PINS, "-r", GENERATOR_PINS, "-e", ".[testing]")
    session.run("pytest", *session.posargs)


@nox.session
def coverage(session: nox.Session) -> None:
    """The unit suite under coverage.py: line coverage of r2r_client, at least 95%."""
    session.install("-r", DEV_PINS, "-r", GENERATOR_PINS, "coverage==7.17.5", "-e", ".[testing]")
    session.run("coverage", "erase")
    session.run("coverage", "run", "--source=r2r_client", "-m", "pytest", "-q", *session.posargs)
    session.run("coverage", "report", "--skip-covered", "--fail-under=95")


@nox.session
def demo(session: nox.Session) -> None:
    """Run examples/quickstart.py against the fake server (or R2R_API_BASE if set)."""
    session.install("-e", ".[testing]")
    session.run("python", "examples/run_demo.py", *session.posargs)


@nox.session
def e2e(session: nox.Session) -> None:
    """Contract tests against a real R2R 3.6.6 server on loopback (see e2e/README.md)."""
    session.install("-r", "e2e/requirements-tests.txt", "-e", ".")
    session.run("python", "e2e/run.py", "--", *session.posargs)


def _soak_options(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """`--seeds N`, `--first-seed S`, `--examples E`, `--instances a,b` -> environment; the rest
    goes to pytest."""
    options = {"--seeds": "10", "--first-seed": "1", "--examples": "25", "--instances": ""}
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        name, eq, value = arg.partition("=")
        if name in options:
            options[name] = value if eq else next(it, "")
        else:
            rest.append(arg)
    first, count = int(options["--first-seed"]), int(options["--seeds"])
    env = {
        "R2R_CONTRACT_SEEDS": ",".join(str(first + i) for i in range(count)),
        "R2R_CONTRACT_EXAMPLES": options["--examples"],
        # the coverage and examples phases do not depend on the seed: `nox -s e2e` runs them
        "R2R_CONTRACT_PHASES": "fuzzing",
        # login tokens: the same contract as API keys, ~50x cheaper per request on the server
        "R2R_CONTRACT_CREDENTIAL": "jwt",
    }
    if options["--instances"]:
        env["R2R_CONTRACT_INSTANCES"] = options["--instances"]
    return env, rest


@nox.session
def contract_soak(session: nox.Session) -> None:
    """The property-based contract run with many seeds (slow; not in the default set).

    `nox -s contract_soak -- --seeds 20 [--first-seed 1] [--examples 25] [--instances
    open,auth,regular] [pytest args]`: schemathesis' fuzzing phase once per seed on the open
    instance, the auth-required one as the superuser and as a regular user (e2e/run.py,
    e2e/tests/test_property_based.py). A failure prints schemathesis' curl reproduction.
    """
    session.install("-r", "e2e/requirements-tests.txt", "-e", ".")
    env, rest = _soak_options(list(session.posargs))
    session.log(f"seeds {env['R2R_CONTRACT_SEEDS']}")
    session.run("python", "e2e/run.py", "--", "e2e/tests/test_property_based.py", *rest, env=env)


@nox.session
def upstream(session: nox.Session) -> None:
    """Diff R2R's own OpenAPI document with openapi/upstream/ and check coverage both ways.

    `nox -s upstream -- --url URL` asks a running server (`--document FILE` a saved document);
    without either it starts the e2e server (e2e/run.py), whose version is the r2r pin of
    e2e/requirements.lock (or of $E2E_LOCK). `-- --update` records the snapshot r2r-<version>.json;
    `-- --compare OLD NEW` diffs two snapshots. See tools/upstream.py.
    """
    session.install("pyyaml==6.0.3")
    args = list(session.posargs)
    given = {a.split("=")[0] for a in args}
    if given & {"--url", "--document", "--compare"}:
        session.run("python", "tools/upstream.py", *args)
    else:
        lock = os.environ.get("E2E_LOCK") or "e2e/requirements.lock"  # what e2e/run.py installs
        version = (
            [] if given & {"--version", "--version-from-lock"} else ["--version-from-lock", lock]
        )
        session.run(
            "python", "e2e/run.py", "--exec", "--",
            "python", "tools/upstream.py", "--url", "{R2R_E2E_BASE}", *version, *args,
        )  # fmt: skip


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against raw httpx, the official SDK and httpx2 (in benchmarks/.venv-*)."""
    session.install("-e", ".[testing]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def mutate(session: nox.Session) -> None:
    """Mutation testing of the wrapper (slow: not in CI's set); see tools/mutate.py."""
    session.install("-r", DEV_PINS, "mutmut==3.8.1", "-e", ".[testing]")
    session.run("python", "tools/mutate.py", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into docs/site (open docs/site/index.html).

    Strict: a warning fails the build, e.g. a broken link or reference, or a public name
    without a docstring (docs/hooks.py). The code is read statically, not installed.
    """
    session.install("-r", DOCS_PINS)
    # Material's banner about MkDocs 2.0 (its successor plans) is not a problem of ours.
    session.env["NO_MKDOCS_2_WARNING"] = "1"
    session.run("mkdocs", "build", "--strict", "--config-file", "docs/mkdocs.yml")


# Chromium as a one-shot renderer: no network, no profile, no GPU, nothing kept.
_CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1280,1000",
]
_SCREENSHOT_PAGES = {
    "index": "index.html",
    "streaming": "streaming.html",
    "reference": "reference/r2r_client.html",
    "models": "reference/r2r_api-models.html",
}


@nox.session
def docs_screenshots(session: nox.Session) -> None:
    """Build the docs, then render pages to docs/screenshots/*.png with headless Chromium.

    Needs Debian's `chromium`; installed with apt-get when missing and run as root, else the
    session says which command to run. Not in the default set.
    """
    docs(session)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            session.error("chromium is missing: sudo apt-get install -y chromium")
        session.run("apt-get", "update", "-qq", external=True)
        session.run(
            "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium",
            external=True, env={"DEBIAN_FRONTEND": "noninteractive"},
        )  # fmt: skip
        chromium = shutil.which("chromium")
        if chromium is None:
            session.error("apt-get installed no chromium")
    site = Path("docs/site").resolve()
    out = Path("docs/screenshots").resolve()
    out.mkdir(exist_ok=True)
    for name, page in _SCREENSHOT_PAGES.items():
        with tempfile.TemporaryDirectory(prefix="r2r-docs-chromium-") as profile:
            session.run(
                chromium,
                *_CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={out / f'{name}.png'}",
                (site / page).as_uri(),
                external=True,
                silent=True,  # Chromium complains about the missing D-Bus; shown on failure
            )
        session.log(f"{out / f'{name}.png'}")

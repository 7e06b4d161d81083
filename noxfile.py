"""Every routine task of the project. `nox` alone runs what CI runs."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["check_generated", "spec", "lint", "typecheck", "tests", "demo", "e2e"]

GENERATOR_PINS = "generator/requirements.txt"
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
    """mypy --strict over the wrapper, the generated package, examples/ and benchmarks/."""
    session.install("-r", DEV_PINS, "-e", ".")
    session.run("mypy")
    session.run("mypy", "examples", "benchmarks")


@nox.session
def user_typing(session: nox.Session) -> None:
    """Build wheel and sdist; mypy --strict and basedpyright on user code against the wheel."""
    session.install("-r", "requirements/typing.txt")
    session.run("python", "tests/user_code/check_installed.py", *session.posargs)


@nox.session
def api(session: nox.Session) -> None:
    """Regenerate the public API record (api/r2r-client.api.md) from the code."""
    session.install("-r", DEV_PINS)
    session.run("python", "api/record.py", "write")


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
def demo(session: nox.Session) -> None:
    """Run examples/quickstart.py against the fake server (or R2R_API_BASE if set)."""
    session.install("-e", ".[testing]")
    session.run("python", "examples/run_demo.py", *session.posargs)


@nox.session
def e2e(session: nox.Session) -> None:
    """Contract tests against a real R2R 3.6.6 server on loopback (see e2e/README.md)."""
    session.install("-r", "e2e/requirements-tests.txt", "-e", ".")
    session.run("python", "e2e/run.py", "--", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against raw httpx and the official SDK (installed in benchmarks/.venv-r2r)."""
    session.install("-e", ".[testing]")
    session.run("python", "benchmarks/run.py", *session.posargs)

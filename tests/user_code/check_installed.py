"""Type-check user code against the INSTALLED wheel, as a user's type checker sees it.

Run by `nox -s user_typing` with the interpreter of an environment that has
requirements/typing.txt installed:

1. build the sdist, then the wheel from the sdist (`python -m build`, no isolation, pinned
   hatchling), and check that both carry the `py.typed` marker of both packages;
2. install the wheel (and its run-time dependencies only) into a fresh virtual environment;
3. run `mypy --strict` and basedpyright (strict) over this folder's `*_usage.py` files and every
   Python block of the README, from a temporary folder: no source tree, no `mypy_path`, nothing
   but the installed packages. A missing marker, a leaked Any (pinned by `assert_type`) or a
   README example that needs a cast fails;
4. run both on `must_not_typecheck.py` apart: each line marked `# rejected` must be reported as
   an error, and no other line (a misspelt settings key, a wrong value type or enum value...).

    python tests/user_code/check_installed.py [--keep]   # --keep: leave the work folder
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
README = ROOT / "README.md"
MARKERS = ("r2r_api/py.typed", "r2r_client/py.typed")
PYRIGHT_CONFIG = {
    "typeCheckingMode": "strict",
    "pythonVersion": "3.11",
    "reportMissingModuleSource": "error",
}


def readme_blocks(text: str) -> list[str]:
    """The README's ```python blocks, in order."""
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)


def _run(
    step: str, command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env)
    took = time.monotonic() - started
    status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
    print(f"-- {step}: {status} in {took:.1f} s")
    if result.returncode != 0 or step.startswith(("mypy", "basedpyright")):
        sys.stdout.write(result.stdout)
        sys.stdout.write(result.stderr)
    return result


def build(work: Path) -> Path:
    """Build the sdist, then the wheel from it; return the wheel."""
    dist = work / "dist"
    result = _run(
        "build sdist and wheel",
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
    )
    if result.returncode != 0:
        raise SystemExit(1)
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = [m for m in MARKERS if m not in in_wheel]
    missing += [
        f"sdist: {m}"
        for m in ("generated/r2r_api/py.typed", "wrapper/r2r_client/py.typed")
        if m not in in_sdist
    ]
    if missing:
        print(f"missing py.typed markers: {missing}")
        raise SystemExit(1)
    print(f"   {sdist.name}, {wheel.name}: py.typed in both packages")
    return wheel


def fresh_environment(work: Path, wheel: Path) -> Path:
    """A new virtual environment with only the wheel and its run-time dependencies."""
    venv = work / "venv"
    _run("create a fresh venv", [sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    result = _run(
        "install the wheel",
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ],
    )
    if result.returncode != 0:
        raise SystemExit(1)
    return python


def user_code(work: Path) -> Path:
    code = work / "code"
    code.mkdir()
    for path in sorted(HERE.glob("*_usage.py")):
        shutil.copy(path, code / path.name)
    blocks = readme_blocks(README.read_text(encoding="utf-8"))
    for number, block in enumerate(blocks, 1):
        # A snippet may import more than it uses (e.g. both clients); everything else is strict.
        text = "# pyright: reportUnusedImport=false\n" + block
        (code / f"readme_example_{number}.py").write_text(text, encoding="utf-8")
    (code / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG, indent=1))
    print(f"   user code: {', '.join(sorted(p.name for p in code.glob('*.py')))}")
    return code


REJECTED = HERE / "must_not_typecheck.py"


def rejected_lines() -> set[int]:
    """The lines of must_not_typecheck.py that must be type errors."""
    lines = REJECTED.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if line.endswith("# rejected")}


def check_rejected(work: Path, python: Path, env: dict[str, str]) -> bool:
    """Both checkers report an error on exactly the marked lines of must_not_typecheck.py."""
    folder = work / "rejected"
    folder.mkdir()
    shutil.copy(REJECTED, folder / REJECTED.name)
    (folder / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG, indent=1))
    expected = rejected_lines()
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python),
         "--cache-dir", str(work / "mypy-cache"), "--no-pretty", REJECTED.name],
        capture_output=True, text=True, cwd=folder, env=env,
    )  # fmt: skip
    found_mypy = {int(m) for m in re.findall(rf"^{REJECTED.name}:(\d+): error:", mypy.stdout, re.M)}
    pyright = subprocess.run(
        [str(Path(sys.executable).parent / "basedpyright"), "--pythonpath", str(python)],
        capture_output=True, text=True, cwd=folder, env=env,
    )  # fmt: skip
    found_pyright = {int(m) for m in re.findall(r":(\d+):\d+ - error:", pyright.stdout)}
    ok = True
    for tool, found, output in (
        ("mypy", found_mypy, mypy.stdout),
        ("basedpyright", found_pyright, pyright.stdout),
    ):
        missing, extra = sorted(expected - found), sorted(found - expected)
        status = "ok" if not missing and not extra else "FAILED"
        print(f"-- {tool} rejects the {len(expected)} marked lines: {status}")
        if missing or extra:
            ok = False
            print(f"   not rejected: lines {missing}; rejected but not marked: lines {extra}")
            sys.stdout.write(output)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="r2r-user-typing-"))
    try:
        wheel = build(work)
        python = fresh_environment(work, wheel)
        code = user_code(work)
        env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
        tools = Path(sys.executable).parent
        mypy = _run(
            "mypy --strict (installed wheel)",
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--python-executable",
                str(python),
                "--cache-dir",
                str(work / "mypy-cache"),
                ".",
            ],
            cwd=code,
            env=env,
        )
        pyright = _run(
            "basedpyright strict (installed wheel)",
            [str(tools / "basedpyright"), "--pythonpath", str(python)],
            cwd=code,
            env=env,
        )
        rejected = check_rejected(work, python, env)
        return 0 if mypy.returncode == 0 and pyright.returncode == 0 and rejected else 1
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())

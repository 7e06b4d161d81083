"""The rate-limit example of docs/pages/testing.md runs as printed (it asserts what it shows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "pages" / "testing.md"


def example(heading: str) -> str:
    """The first ```python block after `heading` on the page."""
    section = PAGE.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None, f"no python example under {heading!r}"
    return found.group(1)


@pytest.mark.skipif(not PAGE.exists(), reason="docs/ is not copied where mutation tests run")
def test_the_rate_limit_example_runs() -> None:
    code = example("Testing rate-limit handling offline")
    assert "server.clock.advance(61)" in code
    exec(compile(code, f"{PAGE}:rate-limit example", "exec"), {"__name__": "docs_example"})

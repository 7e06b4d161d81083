"""The history page (docs/pages/upstream-history.md) shows what tools/upstream.py reports for
the two committed snapshots, word for word."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/ is not an installed package

from tools.r2r_upstream.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "pages" / "upstream-history.md"


def test_the_page_quotes_the_report_of_the_committed_snapshots(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the page shows the paths as typed from the repository's root
    old, new = "openapi/upstream/r2r-3.5.19.json", "openapi/upstream/r2r-3.6.6.json"
    assert main(["--compare", old, new]) == 0
    report = capsys.readouterr().out
    quoted = re.findall(r"```text\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert quoted == [report]

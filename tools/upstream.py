"""Upstream drift: R2R's own OpenAPI document against our snapshots, our document and our captures.

    python tools/upstream.py --url http://127.0.0.1:7272             # report; exit 1 on any finding
    python tools/upstream.py --url http://127.0.0.1:7272 --update    # record r2r-<version>.json
    python tools/upstream.py --document openapi.json --version 3.6.7  # a saved document instead
    python tools/upstream.py --compare OLD.json NEW.json              # two snapshots, no coverage

The command only: the report is made by the package tools/r2r_upstream/ (its docstring says what
each module does), importable on its own so that the tests call each part directly.
"""

from __future__ import annotations

import sys

from r2r_upstream.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""Run quickstart.py against R2R_API_BASE if set, else against a local FakeR2RServer.

The exit code is quickstart's.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

QUICKSTART = Path(__file__).with_name("quickstart.py")


def run_quickstart() -> int:
    try:
        runpy.run_path(str(QUICKSTART), run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def main() -> int:
    if os.environ.get("R2R_API_BASE"):
        return run_quickstart()
    from r2r_client.testing import FakeR2RServer

    with FakeR2RServer(api_key="demo-key") as server:
        os.environ["R2R_API_BASE"] = server.base_url
        os.environ["R2R_API_KEY"] = "demo-key"
        os.environ.setdefault("R2R_DEMO_DOCUMENT_ID", server.document_ids[0])
        print(f"(running against a fake R2R server at {server.base_url})")
        try:
            return run_quickstart()
        finally:
            for name in ("R2R_API_BASE", "R2R_API_KEY"):
                os.environ.pop(name, None)


if __name__ == "__main__":
    sys.exit(main())

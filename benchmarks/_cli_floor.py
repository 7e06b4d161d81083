"""The floor of a one-shot CLI completion: raw httpx doing what `r2r-client completion` does.

`python benchmarks/_cli_floor.py QUESTION --model MODEL` posts the same request to
`$R2R_API_BASE` and prints the answer's text: an interpreter, httpx, one request, one line.
"""

from __future__ import annotations

import os
import sys

import httpx


def main() -> int:
    question, model = sys.argv[1], sys.argv[sys.argv.index("--model") + 1]
    body = {
        "messages": [{"role": "user", "content": question}],
        "generation_config": {"model": model},
    }
    url = os.environ["R2R_API_BASE"].rstrip("/") + "/v3/retrieval/completion"
    response = httpx.post(url, json=body, timeout=300.0)
    response.raise_for_status()
    print(response.json()["results"]["choices"][0]["message"]["content"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

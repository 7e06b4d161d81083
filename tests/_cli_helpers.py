"""What the CLI's two test modules (test_cli.py in-process, test_cli_process.py in a real
process) share: the key the fake server wants, the question and document they ask about."""

from __future__ import annotations

import json

KEY = "sk-cli-TOPSECRET-42"
"""The fake server's key: it must never appear in the command's output."""
QUESTION = "Who invented the Zorblax protocol?"
DOC = "2997d84e-4408-5087-b818-dd5406d1b8f1"
"""The fake server's seeded zorblax.txt."""
MODEL = "openai/test-model"
"""A completion needs a model (R2R 3.6.6 has no default one)."""


def sse(*events: tuple[str, object]) -> bytes:
    """A text/event-stream body: each (name, data) as one event; data that is not a string
    is sent as JSON."""
    return "".join(
        f"event: {name}\ndata: {data if isinstance(data, str) else json.dumps(data)}\n\n"
        for name, data in events
    ).encode()


def delta(text: str) -> dict[str, object]:
    """The data of a `message` event carrying `text`, as R2R sends it."""
    return {"delta": {"content": [{"type": "text", "payload": {"value": text}}]}}

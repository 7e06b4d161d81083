"""Derive the sync client from the async one: write the async code once, generate its twin.

As httpcore does (scripts/unasync.py): the sync modules are the async sources with `async` and
`await` removed and async names replaced by their sync counterparts, so the two can never drift;
`nox -s check_generated` fails when a generated module was edited by hand or is stale. A line
ending in `# async only` has no sync counterpart and is dropped.
"""

from __future__ import annotations

import re

# (async source, sync module) inside wrapper/r2r_client
PAIRS = (("_async_client.py", "_client.py"), ("_async_stream.py", "_stream.py"))

# Whole phrases first (docstrings that say something else for threads than for tasks) ...
PHRASES = (
    (
        "Asynchronous client for the R2R v3 API: `await client.retrieval.rag(...)`.",
        "Synchronous client for the R2R v3 API: `client.retrieval.rag(...)`.",
    ),
    (
        "Concurrency: the client belongs to the event loop it is first used on; share it between\n"
        "    tasks of that loop, not between threads or loops.",
        "Concurrency: one client may serve many threads at once (its connection pool is\n"
        "    thread-safe); configure it (set_api_key, set_base_url...) before sharing it.",
    ),
    (
        "Concurrency: an async stream belongs to the event loop that opened it, like its client;\n"
        "    read it from one task at a time.",
        "Concurrency: a stream is read by one thread at a time (its iterator is a generator);\n"
        "    the client that opened it is thread-safe.",
    ),
    ("an `httpx.AsyncClient` to send with", "an `httpx.Client` to send with"),
    ("An `httpx.AsyncClient` to send with", "An `httpx.Client` to send with"),
    ("(once, `async for`)", "(once, `for`)"),
    ("a streamed answer as an async iterator", "a streamed answer as an iterator"),
    ("a bare\n`async for`, a cancelled task", "a bare\n`for`, a thread stopped"),
    ("(`async with`, or call `await close()`)", "(`with`, or call `close()`)"),
)
# ... then names and keywords, as whole words.
WORDS = (
    ("AsyncR2RClient", "R2RClient"),
    ("AsyncRAGStream", "RAGStream"),
    ("AsyncClientResources", "ClientResources"),
    ("AsyncRawR2RClient", "RawR2RClient"),
    ("AsyncGenerator", "Generator"),
    ("AsyncIterator", "Iterator"),
    ("AsyncClient", "Client"),
    ("StopAsyncIteration", "StopIteration"),
    ("__aenter__", "__enter__"),
    ("__aexit__", "__exit__"),
    ("__aiter__", "__iter__"),
    ("__anext__", "__next__"),
    ("aclose", "close"),
    ("aread", "read"),
    ("aiter_bytes", "iter_bytes"),
    ("anext", "next"),
    ("close_dropped_async", "close_dropped"),
    ("_async_stream", "_stream"),
    ("_async_client", "_client"),
    ("asyncio", "time"),
)
KEYWORDS = (
    (re.compile(r"\basync def\b"), "def"),
    (re.compile(r"\basync for\b"), "for"),
    (re.compile(r"\basync with\b"), "with"),
    (re.compile(r"\bawait "), ""),
    (re.compile(r"`await `"), "``"),
)
_WORDS = re.compile(r"\b(" + "|".join(re.escape(a) for a, _ in WORDS) + r")\b")
_WORD_MAP = dict(WORDS)
_ASYNC_ONLY = re.compile(r"^.*#\s*async only\s*\n", re.MULTILINE)
_SOURCE_NOTE = re.compile(
    r"This is the source of `[^`]+` \([^)]*\), which generator/unasync\.py derives from it[^.]*\."
    r"(?:\s+Edit this file, then run `nox -s generate`\.)?"
)


def unasync(source: str, source_name: str, header: str) -> str:
    """The sync module for the async `source` (named `source_name`)."""
    text = _ASYNC_ONLY.sub("", source)
    text = _SOURCE_NOTE.sub("SOURCE-NOTE", text)
    for old, new in PHRASES:
        text = text.replace(old, new)
    text = _WORDS.sub(lambda match: _WORD_MAP[match.group(1)], text)
    for pattern, replacement in KEYWORDS:
        text = pattern.sub(replacement, text)
    text = text.replace(  # after the substitutions, which would rename the source
        "SOURCE-NOTE",
        f"Generated from `{source_name}` by generator/unasync.py: edit that file, not this one.",
    )
    leftover = re.search(r"\b(async|await)\b", text)
    if leftover is not None:
        line = text.count("\n", 0, leftover.start()) + 1
        raise SystemExit(
            f"{source_name}: `{leftover.group(0)}` left on line {line} of its sync twin; "
            "add a substitution to generator/unasync.py or mark the line `# async only`"
        )
    return header + text

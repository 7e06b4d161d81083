#!/usr/bin/env python3
"""Deterministic stand-in for an OpenAI-compatible LLM API (standard library only).

Endpoints
---------
POST /v1/chat/completions   JSON, or SSE when ``"stream": true``
POST /v1/embeddings         bag-of-words hashed unit vectors (float list or base64)
GET  /v1/models             a small model list
GET  /health                {"ok": true}
GET  /_debug/requests       the last requests received (for debugging tests)

Answers are a pure function of the request:

* chat: ``FAKE-LLM deterministic answer. You asked: <question>`` where
  <question> is the last user message (or, for R2R's RAG prompt, the text under
  ``### Query:``). When the prompt contains R2R search context
  (``Source ID [abc1234]:``), the first such id is cited as `` [abc1234]`` at the
  end of the answer so that R2R emits citations.
* embeddings: tokens ``[a-z0-9]+`` (lower-cased) are hashed into ``dimensions``
  buckets with a hash-derived sign, then L2-normalised (an empty text maps to
  the first unit vector).

Failures on demand (to see what a real R2R makes of a provider failure; R2R
strips the ``openai/`` prefix, so the model ``openai/standin-fail-503`` arrives
here as ``standin-fail-503``):

* chat model ``standin-fail-<status>``: every request is answered with that HTTP
  status and an OpenAI-style error body (``standin-fail-503``, ``-500``, ``-429``,
  ``-404``, ``-401``, ...);
* chat model ``standin-fail-drop``: the connection is closed without an answer;
* chat model ``standin-fail-garbage``: 200 with a JSON body that is no completion
  (``{"object": "error"}``: no ``choices``);
* chat model ``standin-fail-midstream``: a streamed answer is cut off after two
  chunks (a JSON answer is dropped like ``standin-fail-drop``);
* chat model ``standin-flaky-<n>``: the first <n> requests with the same messages
  get 503, later ones the normal answer (a short blip);
* chat model ``standin-slow-<seconds>``: the normal answer after that many
  seconds (at most 120);
* an embeddings input containing ``standin-fail-embed-<status>`` is answered
  with that status (the embedding model is fixed by R2R's configuration, so the
  switch rides in the text: a RAG query containing it fails at the search).

Every other model name gets the deterministic answer.

Usage: python standin_llm.py [--host 127.0.0.1] [--port 0] [--port-file FILE]
The chosen port is printed as ``STANDIN_LLM_PORT=<port>`` and written to
--port-file (atomically) once the server accepts connections.
"""

from __future__ import annotations

import argparse
import base64
import collections
import contextlib
import hashlib
import json
import math
import os
import re
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER_PREFIX = "FAKE-LLM deterministic answer. You asked: "
DEFAULT_DIMENSIONS = 64
# R2R's format_search_results_for_llm writes "Source ID [<7-8 char id>]:".
# The rag prompt itself also contains example ids ([c910e2e]) so we must only
# look at "Source ID [...]" lines.
SOURCE_ID_RE = re.compile(r"Source ID \[([A-Za-z0-9]{7,8})\]")
QUERY_RE = re.compile(r"### Query:\s*(.*?)\s*(?:### Context:|$)", re.S)
TOKEN_RE = re.compile(r"[a-z0-9]+")
FAIL_STATUS_RE = re.compile(r"^standin-fail-([1-5][0-9][0-9])$")
FLAKY_RE = re.compile(r"^standin-flaky-([0-9]{1,3})$")
SLOW_RE = re.compile(r"^standin-slow-([0-9]{1,3})$")
EMBED_FAIL_RE = re.compile(r"standin-fail-embed-([1-5][0-9][0-9])")
MAX_SLOW_SECONDS = 120

_flaky_seen: collections.Counter[str] = collections.Counter()
_flaky_lock = threading.Lock()

_recent: collections.deque = collections.deque(maxlen=50)
_recent_lock = threading.Lock()


def _content_text(content) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # OpenAI content parts
        parts = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, str):
                parts.append(part)
        return "\n".join(parts)
    return str(content)


def make_answer(messages: list) -> str:
    """The deterministic answer for a chat request."""
    texts = [_content_text(m.get("content")) for m in messages if isinstance(m, dict)]
    user_texts = [
        _content_text(m.get("content"))
        for m in messages
        if isinstance(m, dict) and m.get("role") == "user"
    ]
    last_user = user_texts[-1] if user_texts else (texts[-1] if texts else "")
    question = last_user
    m = QUERY_RE.search(last_user)
    if m and m.group(1).strip():
        question = m.group(1)
    question = " ".join(question.split())
    if len(question) > 300:
        question = question[:300] + "..."
    answer = ANSWER_PREFIX + question
    for text in texts:
        sid = SOURCE_ID_RE.search(text)
        if sid:
            answer += f" [{sid.group(1)}]"
            break
    return answer


def embed(text: str, dimensions: int) -> list[float]:
    vec = [0.0] * dimensions
    for tok in TOKEN_RE.findall(text.lower()):
        h = hashlib.sha256(tok.encode("utf-8")).digest()
        idx = int.from_bytes(h[:4], "little") % dimensions
        vec[idx] += 1.0 if h[4] & 1 else -1.0
    norm = math.sqrt(sum(x * x for x in vec))
    if norm == 0.0:
        vec[0] = 1.0
        return vec
    return [x / norm for x in vec]


def _approx_tokens(text: str) -> int:
    return max(1, len(text.split()))


class Handler(BaseHTTPRequestHandler):
    server_version = "standin-llm/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # to stderr, one line per request
        sys.stderr.write("{} {}\n".format(time.strftime("%H:%M:%S"), fmt % args))
        sys.stderr.flush()

    # -- helpers -----------------------------------------------------------
    def _send_json(self, status: int, obj) -> None:
        body = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_error(self, status: int, what: str) -> None:
        """An OpenAI-style error answer (the shape the openai SDK parses)."""
        kind = {
            400: "invalid_request_error",
            401: "authentication_error",
            404: "not_found_error",
            429: "rate_limit_error",
        }.get(status, "server_error")
        self._send_json(
            status,
            {"error": {"message": f"stand-in LLM: {what}", "type": kind, "code": str(status)}},
        )

    def _drop(self) -> None:
        """Close the connection without answering (a provider that went away)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return None

    def _record(self, body) -> None:
        with _recent_lock:
            _recent.append({"path": self.path, "body": body, "time": time.time()})

    # -- routes ------------------------------------------------------------
    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/v1/models", "/models"):
            self._send_json(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": name, "object": "model", "created": 0, "owned_by": "standin"}
                        for name in ("standin-chat", "text-embedding-3-small")
                    ],
                },
            )
        elif path in ("/health", ""):
            self._send_json(200, {"ok": True})
        elif path == "/_debug/requests":
            with _recent_lock:
                self._send_json(200, list(_recent))
        else:
            self._send_json(
                404, {"error": {"message": f"no route {self.path}", "type": "not_found"}}
            )

    def do_POST(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        body = self._read_json()
        if not isinstance(body, dict):
            self._send_json(
                400, {"error": {"message": "invalid JSON body", "type": "invalid_request_error"}}
            )
            return
        self._record(body)
        if path in ("/v1/chat/completions", "/chat/completions"):
            self._chat(body)
        elif path in ("/v1/embeddings", "/embeddings"):
            self._embeddings(body)
        else:
            self._send_json(
                404, {"error": {"message": f"no route {self.path}", "type": "not_found"}}
            )

    def _failure(self, model: str, messages: list) -> bool:
        """Act out the failure a magic model name asks for; True when the request is answered."""
        m = FAIL_STATUS_RE.match(model)
        if m:
            self._send_error(int(m.group(1)), f"failure on demand ({model})")
            return True
        if model == "standin-fail-drop":
            self._drop()
            return True
        if model == "standin-fail-garbage":
            self._send_json(200, {"object": "error"})
            return True
        m = FLAKY_RE.match(model)
        if m:
            key = model + hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()
            with _flaky_lock:
                _flaky_seen[key] += 1
                failing = _flaky_seen[key] <= int(m.group(1))
            if failing:
                self._send_error(503, f"temporary failure on demand ({model})")
                return True
            return False
        m = SLOW_RE.match(model)
        if m:
            time.sleep(min(int(m.group(1)), MAX_SLOW_SECONDS))
        return False

    def _chat(self, body: dict) -> None:
        messages = body.get("messages") or []
        model = str(body.get("model") or "standin-chat")
        if self._failure(model, messages):
            return
        cut_off = model == "standin-fail-midstream"
        if cut_off and not body.get("stream"):
            self._drop()
            return
        answer = make_answer(messages)
        prompt_tokens = sum(
            _approx_tokens(_content_text(m.get("content"))) for m in messages if isinstance(m, dict)
        )
        completion_tokens = _approx_tokens(answer)
        digest = hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()[:24]
        cid = "chatcmpl-" + digest
        created = 1700000000
        if not body.get("stream"):
            self._send_json(
                200,
                {
                    "id": cid,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "system_fingerprint": "standin",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": answer},
                            "logprobs": None,
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": completion_tokens,
                        "total_tokens": prompt_tokens + completion_tokens,
                    },
                },
            )
            return

        # SSE stream: role chunk, content chunks (a few words each), finish chunk, [DONE]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        if cut_off:  # chunked, so that the cut is a broken answer rather than a short one
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True

        def write(data: bytes) -> None:
            if cut_off:
                data = f"{len(data):x}\r\n".encode() + data + b"\r\n"
            self.wfile.write(data)

        def chunk(delta: dict, finish=None) -> bytes:
            obj = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "standin",
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            return b"data: " + json.dumps(obj).encode("utf-8") + b"\n\n"

        words = re.findall(r"\S+\s*", answer)
        pieces = ["".join(words[i : i + 3]) for i in range(0, len(words), 3)]
        try:
            write(chunk({"role": "assistant", "content": ""}))
            for i, piece in enumerate(pieces):
                if cut_off and i == 2:
                    self.wfile.flush()
                    self._drop()
                    return
                write(chunk({"content": piece}))
                self.wfile.flush()
            write(chunk({}, finish="stop"))
            so = body.get("stream_options") or {}
            if isinstance(so, dict) and so.get("include_usage"):
                usage_chunk = {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": [],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": completion_tokens,
                        "total_tokens": prompt_tokens + completion_tokens,
                    },
                }
                write(b"data: " + json.dumps(usage_chunk).encode() + b"\n\n")
            write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _embeddings(self, body: dict) -> None:
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list):
            self._send_json(
                400,
                {
                    "error": {
                        "message": "input must be a string or list",
                        "type": "invalid_request_error",
                    }
                },
            )
            return
        # token-id inputs (lists of ints) are hashed via their decimal text
        texts = [
            x if isinstance(x, str) else " ".join(map(str, x)) if isinstance(x, list) else str(x)
            for x in inputs
        ]
        for text in texts:
            m = EMBED_FAIL_RE.search(text.lower())
            if m:
                self._send_error(int(m.group(1)), f"embedding failure on demand ({m.group(0)})")
                return
        try:
            dims = int(body.get("dimensions") or DEFAULT_DIMENSIONS)
        except (TypeError, ValueError):
            dims = DEFAULT_DIMENSIONS
        dims = max(1, min(dims, 8192))
        as_b64 = body.get("encoding_format") == "base64"
        data = []
        for i, text in enumerate(texts):
            vec = embed(text, dims)
            emb = (
                base64.b64encode(struct.pack(f"<{dims}f", *vec)).decode("ascii") if as_b64 else vec
            )
            data.append({"object": "embedding", "index": i, "embedding": emb})
        ntok = sum(_approx_tokens(t) for t in texts)
        self._send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model") or "text-embedding-3-small",
                "usage": {"prompt_tokens": ntok, "total_tokens": ntok},
            },
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", default=None)
    args = ap.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.port_file)
    print(f"STANDIN_LLM_PORT={port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

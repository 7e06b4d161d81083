"""What the real server writes on the wire: completion bodies, RAG answers as JSON or as a
stream of Server-Sent Events, byte for byte in the shapes of the captures in tests/fixtures.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._corpus import Document, Hit, search

__all__ = ["ANSWER_PREFIX", "WireAnswer", "completion_body", "sse"]

ANSWER_PREFIX = "FAKE-R2R answer"
MODEL = "fake-r2r-llm"
CREATED = 1700000000
_MAX_CITED = 2


def short_id(chunk_id: str) -> str:
    """R2R's citation marker id: the first 7 hex digits of the chunk id."""
    return chunk_id.replace("-", "")[:7]


def _hex(*parts: object) -> str:
    return hashlib.md5("\x1f".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()


def split_deltas(text: str) -> list[str]:
    """Word-sized pieces keeping their trailing space, like the real stream's deltas."""
    return re.findall(r"\S+\s*", text) or [text]


def fit_deltas(deltas: list[str], count: int | None) -> list[str]:
    """Exactly `count` deltas: filler words appended, or the tail merged into the last."""
    if count is None or count == len(deltas):
        return deltas
    if count < 1:
        raise ValueError("stream_deltas must be >= 1")
    if count < len(deltas):
        return [*deltas[: count - 1], "".join(deltas[count - 1 :])]
    filler = [" lorem" if i % 2 else " ipsum" for i in range(count - len(deltas))]
    return [*deltas, *filler]


@dataclass
class Marker:
    hit: Hit
    short_id: str
    start: int
    end: int


@dataclass
class WireAnswer:
    """One RAG answer, renderable as the JSON body (06) or the event stream (07)."""

    query: str
    hits: list[Hit]
    deltas: list[str]
    markers: list[Marker]

    @classmethod
    def build(
        cls,
        docs: Sequence[Document],
        query: str,
        settings: Mapping[str, Any] | None,
        stream_deltas: int | None = None,
    ) -> WireAnswer:
        hits = search(docs, query, settings)
        cited = hits[:_MAX_CITED]
        if cited:
            refs = " ".join(f"[{short_id(h.chunk.id)}]" for h in cited)
            text = f"{ANSWER_PREFIX} {refs}. You asked: {query}"
        else:
            text = f"{ANSWER_PREFIX}: no document matches. You asked: {query}"
        deltas = fit_deltas(split_deltas(text), stream_deltas)
        full = "".join(deltas)
        markers: list[Marker] = []
        for hit in cited:
            sid = short_id(hit.chunk.id)
            marker = f"[{sid}]"
            start = full.find(marker)
            while start >= 0:
                markers.append(Marker(hit, sid, start, start + len(marker)))
                start = full.find(marker, start + 1)
        markers.sort(key=lambda m: m.start)
        return cls(query, hits, deltas, markers)

    @property
    def text(self) -> str:
        return "".join(self.deltas)

    def _citations(self, *, streamed: bool) -> list[dict[str, Any]]:
        by_id: dict[str, list[Marker]] = {}
        for m in self.markers:
            by_id.setdefault(m.short_id, []).append(m)
        out: list[dict[str, Any]] = []
        for sid, ms in by_id.items():
            payload = ms[0].hit.to_json(self.query)
            if streamed:
                spans = [{"start": m.start, "end": m.end} for m in ms]
                out.append({"id": sid, "object": "citation", "spans": spans, "payload": payload})
            else:
                out.append(
                    {
                        "id": sid,
                        "object": "citation",
                        "is_new": True,
                        "span": None,
                        "source_type": None,
                        "payload": payload,
                    }
                )
        return out

    def json_body(self, model: str | None) -> dict[str, Any]:
        """The 06-rag.http shape."""
        text = self.text
        prompt_tokens = sum(len(h.chunk.text.split()) for h in self.hits) + len(self.query.split())
        return {
            "results": {
                "generated_answer": text,
                "search_results": {
                    "chunk_search_results": [h.to_json(self.query) for h in self.hits],
                    "graph_search_results": [],
                    "web_page_search_results": None,
                    "web_search_results": None,
                    "document_search_results": None,
                    "generic_tool_result": None,
                },
                "citations": self._citations(streamed=False),
                "metadata": completion_metadata(
                    _hex("rag", self.query), model, len(self.deltas), prompt_tokens
                ),
                "completion": text,
            }
        }

    def search_event(self) -> bytes:
        data = {
            "id": "search_1",
            "object": "rag.search_results",
            "data": {
                "chunk_search_results": [h.to_json(self.query) for h in self.hits],
                "graph_search_results": [],
                "web_page_search_results": [],
                "web_search_results": [],
                "document_search_results": [],
                "generic_tool_result": [],
            },
        }
        return sse("search_results", data)

    def body_events(self) -> Iterator[bytes]:
        """Message deltas, each citation right after the delta completing its marker."""
        seed = _hex("msg", self.query)
        pending = list(self.markers)
        seen: set[str] = set()
        offset = 0
        head = b'event: message\ndata: {"id": "msg_'
        middle = (
            b'", "object": "agent.message.delta", "delta": {"content": [{"type": "text", '
            b'"payload": {"value": '
        )
        tail = b', "annotations": []}}]}}\n\n'
        for index, delta in enumerate(self.deltas):
            msg_id = _hex(seed, index)[:8].encode()
            yield head + msg_id + middle + json.dumps(delta).encode() + tail
            offset += len(delta)
            while pending and pending[0].end <= offset:
                m = pending.pop(0)
                is_new = m.short_id not in seen
                seen.add(m.short_id)
                yield sse(
                    "citation",
                    {
                        "id": m.short_id,
                        "object": "citation",
                        "is_new": is_new,
                        "span": {"start": m.start, "end": m.end},
                        "payload": m.hit.to_json(self.query) if is_new else None,
                    },
                )

    def final_events(self) -> list[bytes]:
        final = {
            "id": "msg_final",
            "object": "rag.final_answer",
            "generated_answer": self.text,
            "citations": self._citations(streamed=True),
        }
        return [sse("final_answer", final), b"event: done\ndata: [DONE]\n\n"]


def sse(name: str, data: object) -> bytes:
    """One event as the real server writes it: one data line of JSON (', ' / ': ')."""
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def completion_metadata(
    seed: str, model: str | None, completion_tokens: int, prompt_tokens: int
) -> dict[str, Any]:
    """The ChatCompletion in RAG metadata: like a completion, but without message content."""
    body = chat_completion(seed, "", model, completion_tokens, prompt_tokens)
    del body["choices"][0]["message"]["content"]
    return body


def chat_completion(
    seed: str, content: str, model: str | None, completion_tokens: int, prompt_tokens: int
) -> dict[str, Any]:
    """The 04-completion.http shape, keys in the same order."""
    return {
        "id": f"chatcmpl-fake-{_hex(seed)[:12]}",
        "choices": [
            {
                "finish_reason": "stop",
                "index": 0,
                "message": {
                    "content": content,
                    "refusal": None,
                    "role": "assistant",
                    "function_call": None,
                    "tool_calls": None,
                    "structured_content": None,
                },
            }
        ],
        "created": CREATED,
        "model": (model or MODEL).rsplit("/", 1)[-1],
        "object": "chat.completion",
        "service_tier": None,
        "system_fingerprint": None,
        "usage": {
            "completion_tokens": completion_tokens,
            "prompt_tokens": prompt_tokens,
            "total_tokens": completion_tokens + prompt_tokens,
            "completion_tokens_details": None,
            "prompt_tokens_details": None,
        },
    }


def completion_body(messages: Sequence[Mapping[str, Any]], model: str | None) -> dict[str, Any]:
    last_user = next(
        (m.get("content") for m in reversed(messages) if m.get("role") == "user"),
        messages[-1].get("content") if messages else "",
    )
    asked = last_user if isinstance(last_user, str) else json.dumps(last_user)
    content = f"{ANSWER_PREFIX}. You asked: {asked}"
    prompt = sum(len(str(m.get("content") or "").split()) for m in messages)
    seed = json.dumps(list(messages), sort_keys=True, default=str)
    return {"results": chat_completion(seed, content, model, len(content.split()), prompt)}

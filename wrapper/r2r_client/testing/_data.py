"""In-memory documents, word-overlap retrieval and the bodies the real server answers with.

Everything is deterministic (ids are UUIDv5, answers are templates) so tests can assert on
exact values, while the shapes follow the recorded responses in tests/fixtures.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["ANSWER_PREFIX", "SEED_DOCUMENTS", "Chunk", "Document", "RagAnswer"]

ANSWER_PREFIX = "FAKE-R2R answer"
MODEL = "fake-r2r-llm"
CREATED = 1700000000
OWNER_ID = "2acb499e-8428-543b-bd85-0d9098718220"
COLLECTION_ID = "122fdf6a-e116-546b-a8f6-e4cb2e2c0a09"
_NAMESPACE = uuid.UUID("6f1c2a9e-3b7d-5c4e-9a8f-0d1e2f3a4b5c")
_CHUNK_CHARS = 400
_MAX_CITED = 2
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be by did do does for from had has have how i in is it its of on or "
        "that the their this to was were what when where which who why will with you your",
    )
)

SEED_DOCUMENTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "zorblax.txt",
        "The Zorblax protocol was invented in 1987 by Dr. Quenella Marsh at the Harwick "
        "Institute.\nIt uses three-phase handshakes to synchronize lunar telescopes across "
        "observatories.\nThe protocol is named after Dr. Marsh's cat, Zorblax, who liked to sit "
        "on the telescope controls.\nVersion 2 of the protocol, released in 1994, added error "
        "correction for long-baseline links.\n\n"
        "Zorblax handshakes are exchanged every 40 milliseconds. A missed handshake triggers a "
        "resynchronization that takes about two seconds, during which the telescopes hold their "
        "last known position.",
        {"source": "fake-r2r-seed", "topic": "astronomy"},
    ),
    (
        "harwick-institute.txt",
        "The Harwick Institute is a small research centre on the coast of Northumberland, "
        "founded in 1962.\nIts radio observatory hosts four dishes linked by fibre.\n\n"
        "The institute publishes an annual report on long-baseline interferometry and runs a "
        "summer school for students of radio astronomy.",
        {"source": "fake-r2r-seed", "topic": "institutions"},
    ),
)


def now_iso() -> str:
    """The timestamp format of the real server: microseconds and a literal Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}


def short_id(chunk_id: str) -> str:
    """R2R's citation marker id: the first 7 hex digits of the chunk id."""
    return chunk_id.replace("-", "")[:7]


@dataclass
class Chunk:
    id: str
    document_id: str
    order: int
    text: str
    words: frozenset[str]


@dataclass
class Document:
    id: str
    title: str
    text: str
    metadata: dict[str, Any]
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    chunks: list[Chunk] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.chunks:
            self.chunks = [
                Chunk(
                    id=str(uuid.uuid5(uuid.UUID(self.id), str(order))),
                    document_id=self.id,
                    order=order,
                    text=text,
                    words=frozenset(words(text)),
                )
                for order, text in enumerate(split_chunks(self.text))
            ]

    def to_json(self) -> dict[str, Any]:
        """The DocumentResponse shape of 02-put-metadata.http (same keys, same order)."""
        first_sentence = self.text.split(".", 1)[0].strip()
        return {
            "id": self.id,
            "collection_ids": [COLLECTION_ID],
            "owner_id": OWNER_ID,
            "document_type": "txt",
            "metadata": self.metadata,
            "title": self.title,
            "version": "v0",
            "size_in_bytes": len(self.text.encode()),
            "ingestion_status": "success",
            "extraction_status": "pending",
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "ingestion_attempt_number": None,
            "summary": f"{first_sentence}.",
            "summary_embedding": None,
            "total_tokens": len(self.text.split()),
            "chunks": None,
        }


def document_id_for(title: str, ordinal: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{ordinal}:{title}"))


def split_chunks(text: str) -> list[str]:
    """Paragraphs, with long ones cut at sentence ends near _CHUNK_CHARS."""
    chunks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        current = ""
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph.strip()):
            if current and len(current) + len(sentence) > _CHUNK_CHARS:
                chunks.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}" if current else sentence
        if current:
            chunks.append(current)
    return chunks or [text]


# -- search ------------------------------------------------------------------------------


def _match_value(value: object, condition: object) -> bool:
    if not isinstance(condition, Mapping):
        return value == condition
    for op, expected in condition.items():
        if op == "$eq" and value != expected:
            return False
        if op == "$ne" and value == expected:
            return False
        if op == "$in" and (not isinstance(expected, list) or value not in expected):
            return False
        if op == "$nin" and isinstance(expected, list) and value in expected:
            return False
    return True


def matches_filters(chunk: Chunk, doc: Document, filters: Mapping[str, Any]) -> bool:
    """The subset of R2R filters the fake understands: $and/$or, ids, title, metadata keys."""
    for key, condition in filters.items():
        if key == "$and":
            if not all(matches_filters(chunk, doc, f) for f in condition or []):
                return False
        elif key == "$or":
            if not any(matches_filters(chunk, doc, f) for f in condition or []):
                return False
        elif key in ("document_id", "id"):
            target = doc.id if key == "document_id" else chunk.id
            if not _match_value(target, condition):
                return False
        elif key == "title":
            if not _match_value(doc.title, condition):
                return False
        else:
            name = key.removeprefix("metadata.")
            if not _match_value(doc.metadata.get(name), condition):
                return False
    return True


@dataclass
class Hit:
    chunk: Chunk
    doc: Document
    score: float

    def to_json(self, query: str) -> dict[str, Any]:
        """A ChunkSearchResult as in 06-rag.http."""
        return {
            "id": self.chunk.id,
            "document_id": self.doc.id,
            "owner_id": OWNER_ID,
            "collection_ids": [COLLECTION_ID],
            "score": self.score,
            "text": self.chunk.text,
            "metadata": {
                **self.doc.metadata,
                "version": "v0",
                "chunk_order": self.chunk.order,
                "document_type": "txt",
                "associated_query": query,
            },
        }


def search(docs: Sequence[Document], query: str, settings: Mapping[str, Any] | None) -> list[Hit]:
    """Chunks sharing words with the query, best first (cosine of word sets)."""
    settings = settings or {}
    limit = int(settings.get("limit", 10))
    offset = int(settings.get("offset", 0))
    filters = settings.get("filters") or {}
    query_words = words(query)
    hits: list[Hit] = []
    for doc in docs:
        for chunk in doc.chunks:
            if filters and not matches_filters(chunk, doc, filters):
                continue
            common = len(query_words & chunk.words)
            if common:
                score = common / math.sqrt(len(query_words) * len(chunk.words))
                hits.append(Hit(chunk, doc, round(score, 6)))
    hits.sort(key=lambda h: (-h.score, h.doc.id, h.chunk.order))
    return hits[offset : offset + limit]


# -- answers -----------------------------------------------------------------------------


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
class RagAnswer:
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
    ) -> RagAnswer:
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

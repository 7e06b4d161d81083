"""The fake server's corpus: in-memory documents, their chunks, and word-overlap retrieval.

Everything is deterministic (ids are UUIDv5) so tests can assert on exact values. How answers
look on the wire is `_wire.py`'s job.
"""

from __future__ import annotations

import math
import re
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["SEED_DOCUMENTS", "Chunk", "Document", "DocumentStore", "Hit", "search"]

# The default admin (the superuser) and its default collection: the owner of documents added
# without an owner, as on a fresh R2R where the admin ingested everything.
OWNER_ID = "2acb499e-8428-543b-bd85-0d9098718220"
COLLECTION_ID = "122fdf6a-e116-546b-a8f6-e4cb2e2c0a09"
_NAMESPACE = uuid.UUID("6f1c2a9e-3b7d-5c4e-9a8f-0d1e2f3a4b5c")
_CHUNK_CHARS = 400
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
    owner_id: str = OWNER_ID
    collection_ids: list[str] = field(default_factory=lambda: [COLLECTION_ID])
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
            "collection_ids": list(self.collection_ids),
            "owner_id": self.owner_id,
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


def _uuid_text(value: object) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return str(value)


def _match_collections(collection_ids: Sequence[str], condition: object, *, single: bool) -> bool:
    """R2R's conditions on a document's `collection_ids` array (`single`: the `collection_id`
    shorthand, where a UUID or `$eq` means "in this collection")."""
    if isinstance(condition, Mapping) and len(condition) == 1:
        op, value = next(iter(condition.items()))
    elif isinstance(condition, list):
        op, value = "$overlap", condition
    elif single:
        op, value = "$overlap", [condition]
    else:
        return False
    have = {_uuid_text(c) for c in collection_ids}
    if single and op in ("$eq", "$ne"):
        inside = _uuid_text(value) in have
        return inside if op == "$eq" else not inside
    if op in ("$eq", "$ne"):  # the array is exactly this one collection
        exact = [_uuid_text(c) for c in collection_ids] == [_uuid_text(value)]
        return exact if op == "$eq" else not exact
    wanted = {_uuid_text(v) for v in value} if isinstance(value, list) else set()
    if op in ("$overlap", "$in"):
        return bool(have & wanted)
    if op == "$nin":
        return not have & wanted
    if op == "$contains":
        return wanted <= have
    return True


def matches_filters(chunk: Chunk, doc: Document, filters: Mapping[str, Any]) -> bool:
    """The subset of R2R filters the fake understands: $and/$or, ids, owner, collections,
    title, metadata keys."""
    for key, condition in filters.items():
        if key == "$and":
            if not all(matches_filters(chunk, doc, f) for f in condition or []):
                return False
        elif key == "$or":
            if not any(matches_filters(chunk, doc, f) for f in condition or []):
                return False
        elif key in ("document_id", "id", "owner_id"):
            target = {"document_id": doc.id, "id": chunk.id, "owner_id": doc.owner_id}[key]
            if not _match_value(target, condition):
                return False
        elif key in ("collection_ids", "collection_id"):
            single = key == "collection_id"
            if not _match_collections(doc.collection_ids, condition, single=single):
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
            "owner_id": self.doc.owner_id,
            "collection_ids": list(self.doc.collection_ids),
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


class DocumentStore:
    """The documents of one server, safe to use from its handler threads."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._lock = threading.Lock()

    def add(
        self,
        title: str,
        text: str,
        metadata: Mapping[str, Any],
        id: str | None,
        *,
        owner_id: str = OWNER_ID,
        collection_ids: Sequence[str] = (COLLECTION_ID,),
    ) -> str:
        with self._lock:
            doc_id = id or document_id_for(title, len(self._documents))
            self._documents[doc_id] = Document(
                doc_id, title, text, dict(metadata), owner_id, list(collection_ids)
            )
        return doc_id

    def all(self) -> list[Document]:
        with self._lock:
            return list(self._documents.values())

    def as_json(
        self, doc_id: str, *, visible: Callable[[Document], bool] | None = None
    ) -> dict[str, Any] | None:
        """The document as the API shows it; None when there is none that `visible` accepts."""
        with self._lock:
            doc = self._documents.get(doc_id)
            if doc is None or (visible is not None and not visible(doc)):
                return None
            return doc.to_json()

    def replace_metadata(
        self, doc_id: str, metadata: dict[str, Any], *, owner_id: str | None = None
    ) -> dict[str, Any] | None:
        """The document with its new metadata, or None when there is no such document (of
        `owner_id`, when given: R2R looks a regular user's documents up by owner only)."""
        with self._lock:
            doc = self._documents.get(doc_id)
            if doc is None or (owner_id is not None and doc.owner_id != owner_id):
                return None
            doc.metadata = metadata
            doc.updated_at = now_iso()
            return doc.to_json()

    def add_to_collection(self, doc_id: str, collection_id: str) -> None:
        """Put a document into one more collection (KeyError: no such document)."""
        with self._lock:
            doc = self._documents[doc_id]
            if collection_id not in doc.collection_ids:
                doc.collection_ids.append(collection_id)

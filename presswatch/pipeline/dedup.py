"""Clean: exact duplicates by content hash, near-duplicates by MinHash + LSH, grouped into stories.

Measured here (DESIGN.md): SimHash at radius 3 found 13% of edited copies; MinHash with 128
permutations and LSH found most of them, so MinHash it is. Candidates from the LSH bands are
confirmed with the exact Jaccard similarity of their shingle sets. A social post that shares
an article's link (``extra["links"]``, set by the social parsers) joins that article's story.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from presswatch.classifiers.vietnamese import fold_diacritics
from presswatch.document import Document
from presswatch.errors import Drop, NotConfigured
from presswatch.settings import Settings
from presswatch.storage import models as m

PERMUTATIONS = 128
BANDS, ROWS = 16, 8  # LSH threshold ≈ (1/16)^(1/8) ≈ 0.71
SHINGLE_WORDS = 3
_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(20250701)  # fixed: signatures must match across runs
_A = _rng.randint(1, 1 << 31, size=PERMUTATIONS).astype(np.uint64)
_B = _rng.randint(0, 1 << 31, size=PERMUTATIONS).astype(np.uint64)


def shingles(text: str) -> set[int]:
    """Hashes of the word 3-grams of the folded, lower-cased text (diacritic-blind, for reposts)."""
    words = fold_diacritics(text.lower()).split()
    if len(words) < SHINGLE_WORDS:
        words = words + [""] * (SHINGLE_WORDS - len(words))
    grams = (" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
    return {
        int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams
    }


def minhash(hashes: set[int]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """The MinHash signature (128 values) of a set of 32-bit shingle hashes."""
    values = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    permuted = ((values[:, None] * _A[None, :] + _B[None, :]) % _PRIME) & _MASK32
    result: np.ndarray[Any, np.dtype[np.uint64]] = permuted.min(axis=0)
    return result


def band_hashes(signature: np.ndarray[Any, np.dtype[np.uint64]]) -> list[tuple[int, int]]:
    """(band, hash) pairs of the signature: documents sharing one are candidates."""
    rows = signature.reshape(BANDS, ROWS)
    out = []
    for band in range(BANDS):
        digest = hashlib.blake2b(rows[band].tobytes(), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF))
    return out


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a and b else 0.0


#: (document id, source key, ISO time) of a document of the current run.
Peer = tuple[int, str, str]
#: The most recent peers a document carries (a burst of thousands of copies stays cheap).
MAX_PEERS = 1000


@dataclass
class DedupIndex:
    """Looks up earlier documents by content hash and LSH band, in the database and this batch."""

    engine: Engine
    by_hash: dict[str, int] = field(default_factory=dict)
    by_band: dict[tuple[int, int], set[int]] = field(default_factory=lambda: defaultdict(set))
    texts: dict[int, str] = field(default_factory=dict)
    by_url: dict[str, int] = field(default_factory=dict)
    #: Story groups of this run (not saved yet), keyed by the document they all repeat.
    groups: dict[int, list[Peer]] = field(default_factory=dict)
    group_of: dict[int, int] = field(default_factory=dict)
    seen: dict[int, Peer] = field(default_factory=dict)

    def exact(self, doc: Document) -> tuple[int, int | None] | None:
        """(document id, story id) of an earlier document with the same text, if any."""
        if doc.content_hash in self.by_hash and self.by_hash[doc.content_hash] != doc.id:
            return self.by_hash[doc.content_hash], None
        stmt = (
            select(m.Document.id, m.Document.story_id)
            .where(
                m.Document.content_hash == doc.content_hash,
                m.Document.id != (doc.id or -1),
                m.Document.status != "fetched",
            )
            .order_by(m.Document.id)
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return (row[0], row[1]) if row else None

    def candidates(self, bands: list[tuple[int, int]], own_id: int | None) -> dict[int, str]:
        """Texts of documents sharing at least one band with these (excluding the document)."""
        ids: set[int] = set()
        for key in bands:
            ids |= self.by_band.get(key, set())
        with self.engine.connect() as conn:
            for band, value in bands:
                stmt = select(m.DedupBand.document_id).where(
                    m.DedupBand.band == band, m.DedupBand.hash == value
                )
                ids.update(conn.scalars(stmt))
            ids.discard(own_id or -1)
            missing = [i for i in ids if i not in self.texts]
            if missing:
                stmt2 = select(m.Document.id, m.Document.text).where(m.Document.id.in_(missing))
                self.texts.update({i: t for i, t in conn.execute(stmt2)})
        return {i: self.texts[i] for i in ids if i in self.texts}

    def linked(self, links: list[str]) -> int | None:
        """An earlier document at one of these (canonical) URLs: the article a post shares."""
        if not links:
            return None
        for link in links:
            if link in self.by_url:
                return self.by_url[link]
        stmt = (
            select(m.Document.id)
            .where(m.Document.canonical_url.in_(links[:20]), m.Document.status != "fetched")
            .order_by(m.Document.id)
            .limit(1)
        )
        with self.engine.connect() as conn:
            found: int | None = conn.scalar(stmt)
        return found

    def join(self, doc: Document, anchor: int) -> None:
        """Put a document in the run's group of the document it repeats; note its earlier peers.

        The peers (``doc.extra["story_peers"]``) let the spike signal count copies that arrive
        in the same batch, before any of them is saved with its story.
        """
        if doc.id is None:
            return
        root = self.group_of.get(anchor, anchor)
        group = self.groups.setdefault(root, [self.seen[root]] if root in self.seen else [])
        doc.extra["story_peers"] = [list(peer) for peer in group[-MAX_PEERS:]]
        group.append(self._peer(doc))
        self.group_of[doc.id] = root

    @staticmethod
    def _peer(doc: Document) -> Peer:
        when = doc.published_at or doc.fetched_at
        return (doc.id or 0, doc.source, when.isoformat() if when else "")

    def remember(self, doc: Document, bands: list[tuple[int, int]]) -> None:
        """Make a document of the current run findable before it is saved."""
        if doc.id is None:
            return
        self.seen[doc.id] = self._peer(doc)
        self.by_url.setdefault(doc.key, doc.id)
        self.by_hash.setdefault(doc.content_hash, doc.id)
        self.texts[doc.id] = doc.text
        for key in bands:
            self.by_band[key].add(doc.id)


class Deduplicate:
    """Drops exact duplicates; joins near-duplicates to the story of the document they repeat."""

    name = "dedup"
    serial = True

    def __init__(self, index: DedupIndex, threshold: float) -> None:
        self.index = index
        self.threshold = threshold

    @classmethod
    def from_settings(
        cls, settings: Settings, engine: Engine | None = None, **_: Any
    ) -> Deduplicate:
        if engine is None:
            raise NotConfigured("deduplication needs the database (no engine given)")
        return cls(DedupIndex(engine), settings.near_duplicate_threshold)

    def process(self, doc: Document) -> Document:
        earlier = self.index.exact(doc)
        if earlier is not None:
            doc.duplicate_of, doc.story_id = earlier
            if doc.story_id is None:
                doc.extra["story_with"] = earlier[0]
            self.index.join(doc, earlier[0])
            raise Drop(f"exact duplicate of #{earlier[0]}")
        own = shingles(doc.text)
        bands = band_hashes(minhash(own))
        doc.extra["bands"] = bands
        best_id, best = None, 0.0
        for other_id, text in self.index.candidates(bands, doc.id).items():
            score = jaccard(own, shingles(text))
            if score > best:
                best_id, best = other_id, score
        if best_id is not None and best >= self.threshold:
            doc.extra["story_with"] = best_id
            doc.extra["similarity"] = round(best, 3)
        elif (shared := self.index.linked(doc.extra.get("links") or [])) is not None:
            # A post that shares an article (title, lead and its link) spreads that story,
            # though its few words are far from the article's shingles.
            doc.extra["story_with"], doc.extra["shares_link"] = shared, True
        if doc.extra.get("story_with") is not None:
            self.index.join(doc, int(doc.extra["story_with"]))
        self.index.remember(doc, bands)
        return doc

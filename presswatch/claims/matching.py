"""Claims: find the sentences of a document that repeat or paraphrase a known false claim.

Each claim becomes two term sets: its *names* (capitalised words: the places and bodies it is
about) and its *predicate* (everything else that carries meaning, with synonyms joined). A
sentence — or two adjacent sentences — matches when it holds most of the predicate and most of
the names. Sharing the names alone (a text about the same pagoda or authority) is not enough;
a sentence that negates what the claim affirms, or that sits next to a refutation ("sai sự
thật", "bác bỏ"), is reported as refuted and does not count as a repeat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from presswatch.claims.records import ClaimEntry
from presswatch.claims.terms import (
    Lexicon,
    Term,
    TermWeights,
    Token,
    accented,
    content_terms,
    name_runs,
    negated,
    phrase_in,
    tokenize,
)
from presswatch.classifiers.vietnamese import fold_diacritics, sentence_spans

#: Phrases that mark a refutation of what is quoted near them.
REFUTATIONS = (
    "sai sự thật", "không đúng sự thật", "bác bỏ", "tin giả", "tin đồn thất thiệt", "thất thiệt",
    "thông tin sai", "xuyên tạc", "bịa đặt", "không có cơ sở", "đính chính", "phủ nhận",
    "không có chuyện", "làm gì có chuyện", "tin vịt",
)  # fmt: skip
NEGATION_REACH = 25  # characters before the first claim term where a negation still counts
PAIR_PENALTY = 0.95  # a claim split over two sentences is a little less certain than one


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """How close a sentence must come to a claim (``[matching]`` in config/flagging.toml)."""

    min_similarity: float = 0.62
    min_predicate: float = 0.6
    min_names: float = 0.5
    min_predicate_terms: int = 3
    weights: tuple[float, float, float] = (0.55, 0.30, 0.15)  # predicate, names, keywords
    top_k: int = 3


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """A passage of a document that repeats a known false claim."""

    claim_id: int
    claim_text: str
    correction: str
    source_url: str
    sentence: str
    start: int
    end: int
    similarity: float
    terms: tuple[str, ...]
    refuted: bool = False

    def evidence(self) -> dict[str, Any]:
        """The evidence stored with the signal (review UI keys: sentence, spans, claim_id)."""
        return {
            "claim_id": self.claim_id, "claim": self.claim_text, "correction": self.correction,
            "source_url": self.source_url, "sentence": self.sentence,
            "spans": [[self.start, self.end]], "similarity": round(self.similarity, 3),
            "terms": list(self.terms), "refuted": self.refuted,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Form:
    predicate: frozenset[str]
    names: frozenset[str]
    keywords: tuple[tuple[str, ...], ...]
    negated: bool
    weights: dict[str, float]  # IDF of each predicate term

    @property
    def keys(self) -> frozenset[str]:
        return self.predicate | self.names

    @property
    def total(self) -> float:
        return sum(self.weights[k] for k in sorted(self.weights))


@dataclass(frozen=True, slots=True)
class _Profile:
    claim: ClaimEntry
    forms: dict[bool, _Form]  # folded? → form
    anchors: tuple[str, ...]  # folded names and keywords: the cheap pre-filter


@dataclass(slots=True)
class _Unit:
    """A sentence or two adjacent ones: span, text and terms in the comparison form."""

    start: int
    end: int
    folded: bool
    keys: list[str]
    starts: list[int]  # where each term starts (offsets in the document)
    negations: list[int]  # where negation words start
    surface: dict[str, str] = field(default_factory=dict)
    pair: bool = False


@dataclass(slots=True)
class _Sentence:
    """One sentence's tokens, and its terms in each form once computed."""

    start: int
    end: int
    tokens: list[Token]
    folded: bool
    cache: dict[bool, list[Term]] = field(default_factory=dict)

    def terms(self, lexicon: Lexicon, folded: bool) -> list[Term]:
        if folded not in self.cache:
            self.cache[folded] = lexicon.terms(self.tokens, folded)
        return self.cache[folded]


class ClaimMatcher:
    """Matches documents against the active false claims of the claim base."""

    def __init__(
        self,
        claims: Iterable[ClaimEntry],
        lexicon: Lexicon | None = None,
        settings: MatchSettings | None = None,
        weights: TermWeights | None = None,
    ) -> None:
        self.lexicon = lexicon or Lexicon.with_extra()
        self.settings = settings or MatchSettings()
        self.weights = weights or TermWeights.load(self.lexicon)
        self.profiles = [
            self._profile(c) for c in claims if c.kind == "false_claim" and c.active and c.text
        ]

    def __len__(self) -> int:
        return len(self.profiles)

    def _profile(self, claim: ClaimEntry) -> _Profile:
        tokens = tokenize(claim.text)
        forms = {}
        for folded in (False, True):
            terms = content_terms(self.lexicon.terms(tokens, folded), folded)
            names = frozenset(t.key for t in terms if t.name)
            predicate = frozenset(t.key for t in terms if not t.name) - names
            keywords = tuple(
                tuple(t.key for t in self.lexicon.terms(tokenize(k), folded))
                for k in claim.keywords
            )
            idf = {k: self.weights.weight(k, folded) for k in predicate}
            forms[folded] = _Form(
                predicate, names, tuple(dict.fromkeys(keywords)), negated(tokens, folded), idf
            )
        anchors = set(name_runs(tokens)) | {fold_diacritics(k.lower()) for k in claim.keywords}
        return _Profile(claim, forms, tuple(sorted(a for a in anchors if len(a) > 2)))

    def match(
        self, text: str, title: str = "", spans: Sequence[tuple[int, int]] | None = None
    ) -> list[ClaimMatch]:
        """The best passage per claim that the text repeats, best first (refuted ones too)."""
        folded_text = fold_diacritics(f"{title}\n{text}".lower())
        candidates = [p for p in self.profiles if _anchored(p, folded_text)]
        if not candidates:
            return []
        spans = sentence_spans(text) if spans is None else spans
        units = self._units(text, spans)
        title_refutes = _refutes(title)
        found = []
        for profile in candidates:
            best = self._best(profile, units)
            if best is not None:
                unit, score = best
                refuted = title_refutes or self._refuted(unit, text, spans)
                terms = profile.forms[unit.folded].keys
                found.append(_result(profile.claim, text, unit, score, refuted, terms))
        found.sort(key=lambda m: (m.refuted, -m.similarity))
        return found[: self.settings.top_k]

    def _units(self, text: str, spans: Sequence[tuple[int, int]]) -> list[_Unit]:
        """Each sentence, and each two adjacent ones, tokenised once."""
        parts = [_Sentence(s, e, tokenize(text[s:e], s), not accented(text[s:e])) for s, e in spans]
        singles = [self._unit(text, [p]) for p in parts]
        return singles + [self._unit(text, [a, b]) for a, b in pairwise(parts)]

    def _unit(self, text: str, parts: Sequence[_Sentence]) -> _Unit:
        folded = any(p.folded for p in parts)
        terms = [t for p in parts for t in p.terms(self.lexicon, folded)]
        tokens = [t for p in parts for t in p.tokens]
        return _Unit(
            parts[0].start, parts[-1].end, folded, [t.key for t in terms], [t.start for t in terms],
            [t.start for t in tokens if negated([t], folded)],
            surface={t.key: text[t.start : t.end] for t in terms}, pair=len(parts) > 1,
        )  # fmt: skip

    def _best(self, profile: _Profile, units: Sequence[_Unit]) -> tuple[_Unit, float] | None:
        best: tuple[_Unit, float] | None = None
        for unit in units:
            score = self._score(profile.forms[unit.folded], unit)
            if unit.pair:
                score *= PAIR_PENALTY
            if score >= self.settings.min_similarity and (best is None or score > best[1]):
                best = (unit, score)
        return best

    def _score(self, form: _Form, unit: _Unit) -> float:
        """Similarity of a passage to a claim, 0 when it misses the predicate or the names."""
        keys = set(unit.keys)
        s = self.settings
        hits = form.predicate & keys
        if not form.predicate or len(hits) < min(s.min_predicate_terms, len(form.predicate)):
            return 0.0
        predicate = round(sum(form.weights[k] for k in sorted(hits)) / form.total, 6)
        names = len(form.names & keys) / len(form.names) if form.names else 1.0
        if predicate < s.min_predicate or names < s.min_names:
            return 0.0
        if form.negated != _negated_near(unit, form.keys):
            return 0.0
        kw = [phrase_in(k, unit.keys) for k in form.keywords if k]
        keywords = sum(kw) / len(kw) if kw else predicate
        wp, wn, wk = s.weights
        return round((wp * predicate + wn * names + wk * keywords) / (wp + wn + wk), 4)

    def _refuted(self, unit: _Unit, text: str, spans: Sequence[tuple[int, int]]) -> bool:
        """A refutation in the passage or the sentence before or after it."""
        starts = [s for s, _ in spans]
        ends = [e for _, e in spans]
        first = max(0, next((i for i, s in enumerate(starts) if s >= unit.start), 0) - 1)
        last = min(len(spans) - 1, next((i for i, e in enumerate(ends) if e >= unit.end), 0) + 1)
        return _refutes(text[starts[first] : ends[last]])


def _negated_near(unit: _Unit, keys: frozenset[str]) -> bool:
    """A negation word among the passage's claim terms (or just before the first of them)."""
    where = [p for k, p in zip(unit.keys, unit.starts, strict=True) if k in keys]
    if not where or not unit.negations:
        return False
    return any(min(where) - NEGATION_REACH <= p <= max(where) for p in unit.negations)


def _anchored(profile: _Profile, folded_text: str) -> bool:
    return not profile.anchors or any(a in folded_text for a in profile.anchors)


_FOLDED_REFUTATIONS = tuple(fold_diacritics(r) for r in REFUTATIONS)


def _refutes(text: str) -> bool:
    lower = text.lower()
    if accented(text):
        return any(r in lower for r in REFUTATIONS)
    return any(r in fold_diacritics(lower) for r in _FOLDED_REFUTATIONS)


def _result(
    claim: ClaimEntry, text: str, unit: _Unit, score: float, refuted: bool, keys: frozenset[str]
) -> ClaimMatch:
    matched = tuple(dict.fromkeys(unit.surface[k] for k in unit.keys if k in keys))
    return ClaimMatch(
        claim_id=claim.id, claim_text=claim.text, correction=claim.correction,
        source_url=claim.source_url, sentence=text[unit.start : unit.end].strip(),
        start=unit.start, end=unit.end, similarity=min(1.0, score), terms=matched,
        refuted=refuted,
    )  # fmt: skip

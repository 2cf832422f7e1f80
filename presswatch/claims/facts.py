"""Claims: find sentences that state another number, date or name than a verified fact.

A verified fact has a subject ("số ngôi chùa Khmer ở khu vực Sóc Trăng (cũ)") and a value
("92"). A sentence contradicts it when it is about the same subject (most of the subject's
terms, every name and time word among them), states a value of the same kind and unit, and that
value cannot be true ("hơn 120" when the truth is 92; "gần 100" is let pass). Precision first: a
sentence that also gives the verified value, breaks a total down ("trong đó", "gồm"), speaks of
another year, or holds several values of the unit is skipped — a wrong contradiction is worse
than a miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from presswatch.claims.records import ClaimEntry
from presswatch.claims.terms import (
    STOPWORDS,
    Lexicon,
    Term,
    Token,
    content_terms,
    name_runs,
    tokenize,
)
from presswatch.classifiers.vietnamese import fold_diacritics, sentence_spans

_NUMBER = re.compile(r"(?<![\w.,/])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w/])")
_DATE = re.compile(
    r"(?<![\w/.,])(\d{1,2})(?:/|\s+tháng\s+)(\d{1,2})(?:(?:/|\s+năm\s+)(\d{4}))?(?![\w/])"
    r"|(?<![\w/.,])(\d{1,2})-(\d{1,2})-(\d{4})(?![\w/])"
)
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
MULTIPLIERS = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
UNITS: dict[str, tuple[str, ...]] = {
    "@ha": ("ha", "hécta", "héc-ta", "hecta"),
    "@pct": ("%", "phần trăm"),
    "@m": ("m", "mét"),
    "@km": ("km", "ki-lô-mét", "cây số"),
    "@tan": ("tấn",),
    "@dong": ("đồng", "vnđ", "vnd"),
}
ABOVE = ("hơn", "trên", "ít nhất", "hơn cả", "vượt")
BELOW = ("dưới", "chưa đến", "chưa tới", "không đến", "không tới", "chưa đầy")
ABOUT = ("gần", "khoảng", "chừng", "xấp xỉ", "hàng", "ước", "ước tính", "độ")
BREAKDOWN = ("trong đó", "trong số", "gồm", "bao gồm")
OTHER_TIME = ("năm ngoái", "năm trước", "năm rồi", "mùa trước", "cách đây")
PARTICLES = frozenset({"thôi", "à", "ạ", "nhé", "nha", "đấy", "vậy", "rồi", "luôn", "đâu", "hả"})
PLACE_WORDS = frozenset({"ở", "tại", "trên", "thuộc", "của", "khu", "toàn"})
NOT_HOLDER = frozenset({"nguyên", "cựu", "phó", "quyền", "tân", "trợ", "lý"})
SUBJECT_STOP = frozenset({"số", "lượng", "tổng", "tỷ", "lệ", "diện", "tích"})
ABOUT_TOLERANCE = 0.15


@dataclass(frozen=True, slots=True)
class FactSettings:
    """How sure a contradiction must be (``[facts]`` in config/flagging.toml)."""

    min_subject: float = 0.75
    exact_tolerance: float = 0.02


@dataclass(frozen=True, slots=True)
class Contradiction:
    """A sentence that states another value than a verified fact."""

    fact_id: int
    subject: str
    statement: str
    verified: str
    stated: str
    sentence: str
    start: int
    end: int
    source_url: str

    def evidence(self) -> dict[str, Any]:
        """The evidence stored with the signal (review UI keys: sentence, spans, fact_id)."""
        return {
            "fact_id": self.fact_id, "subject": self.subject, "statement": self.statement,
            "verified": self.verified, "stated": self.stated, "sentence": self.sentence,
            "spans": [[self.start, self.end]], "source_url": self.source_url,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Quantity:
    value: float
    unit: str
    qualifier: str  # "", "above", "below", "about"
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class _NameFact:
    claim: ClaimEntry
    role: tuple[str, ...]
    name: str  # folded, lower case
    anchors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Fact:
    claim: ClaimEntry
    quantity: _Quantity
    subject: frozenset[str]
    required: frozenset[str]
    known: frozenset[float]
    years: frozenset[str]
    own_words: frozenset[str]  # terms of the subject and the statement


class FactChecker:
    """Checks documents against the verified facts (numbers with units) of the claim base."""

    def __init__(
        self,
        claims: Iterable[ClaimEntry],
        lexicon: Lexicon | None = None,
        settings: FactSettings | None = None,
    ) -> None:
        self.lexicon = lexicon or Lexicon.with_extra()
        self.units = Lexicon(UNITS)
        self.settings = settings or FactSettings()
        claims = list(claims)
        self.facts = [f for c in claims if (f := self._fact(c)) is not None]
        self.names = [g for c in claims if (g := self._name_fact(c)) is not None]

    def __len__(self) -> int:
        return len(self.facts) + len(self.names)

    def _name_fact(self, claim: ClaimEntry) -> _NameFact | None:
        """A fact whose value is a name ("Giám đốc Sở …" → "Nguyễn Văn A")."""
        if claim.kind != "fact" or not claim.active or not claim.subject or not claim.value:
            return None
        value = tokenize(claim.value)
        if not value or any(not t.text.isalpha() for t in value) or not claim.value[:1].isupper():
            return None
        role = tuple(t.key for t in self.lexicon.terms(tokenize(claim.subject), False))
        if not role:
            return None
        return _NameFact(claim, role, " ".join(t.folded for t in value), _anchors(claim.subject))

    def _fact(self, claim: ClaimEntry) -> _Fact | None:
        if claim.kind != "fact" or not claim.active or not claim.subject or not claim.value:
            return None
        quantity = self._verified(claim)
        if quantity is None:
            return None
        terms = content_terms(self.lexicon.terms(tokenize(claim.subject), False), False)
        subject = {t.key for t in terms} - SUBJECT_STOP - {quantity.unit}
        stated = {t.key for t in self.lexicon.terms(tokenize(claim.text), False)}
        required = {t.key for t in terms if t.name} | {t.key for t in terms if t.key.isdigit()}
        known = {q.value for q in self._quantities(f"{claim.text}\n{claim.correction}")}
        years = set(_YEAR.findall(f"{claim.subject} {claim.text}"))
        return _Fact(claim, quantity, frozenset(subject), frozenset(required), frozenset(known),
                     frozenset(years), frozenset(stated | subject))  # fmt: skip

    def _verified(self, claim: ClaimEntry) -> _Quantity | None:
        """The fact's value with its unit: from the value itself, else from the statement."""
        own = self._quantities(claim.value)
        if len(own) != 1:
            return None
        if own[0].unit:
            return own[0]
        for quantity in self._quantities(claim.text):
            if quantity.value == own[0].value and quantity.unit:
                return _Quantity(quantity.value, quantity.unit, "", claim.value, 0)
        return None

    def _quantities(self, text: str) -> list[_Quantity]:
        """Numbers and dates of a text, each with its unit (the term after it) and qualifier."""
        tokens = tokenize(text)
        out = _dates(text, tokens)
        taken = [(q.start, q.start + len(q.text)) for q in out]
        for match in _NUMBER.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            value = _number(match.group(1), match.group(2))
            after = [t for t in tokens if t.start >= match.end()][:6]
            value, unit, end = self._unit(value, after, match.end())
            qualifier = _qualifier([t for t in tokens if t.end <= match.start()][-2:])
            out.append(_Quantity(value, unit, qualifier, text[match.start() : end], match.start()))
        return out

    def _unit(self, value: float, after: Sequence[Token], end: int) -> tuple[float, str, int]:
        while after and after[0].text in MULTIPLIERS:
            value, end, after = value * MULTIPLIERS[after[0].text], after[0].end, after[1:]
        if not after or after[0].start - end > 2:
            return value, "", end
        for lexicon in (self.units, self.lexicon):
            terms = lexicon.terms(after, False)
            if terms and terms[0].key.startswith("@"):
                return value, terms[0].key, terms[0].end
        return value, after[0].text, after[0].end

    def check(
        self, text: str, spans: Sequence[tuple[int, int]] | None = None
    ) -> list[Contradiction]:
        """Contradictions of the verified facts in a text, at most one per fact."""
        folded = fold_diacritics(text.lower())
        words = set(_WORD.findall(folded))
        facts = [f for f in self.facts if self._plausible(f, words)]
        names = [f for f in self.names if _anchored(f.anchors, folded)]
        if not facts and not names:
            return []
        found: dict[int, Contradiction] = {}
        for start, end in sentence_spans(text) if spans is None else spans:
            sentence = text[start:end]
            hits = self._check_sentence(sentence, start, facts) if _DIGIT.search(sentence) else []
            for hit in hits + self._check_names(sentence, start, names):
                found.setdefault(hit.fact_id, hit)
        return list(found.values())

    def _plausible(self, fact: _Fact, words: set[str]) -> bool:
        """The whole text holds enough of the subject (a sentence can hold no more)."""
        plain = [fold_diacritics(k) for k in fact.subject if not k.startswith("@")]
        if any(fold_diacritics(k) not in words for k in fact.required if not k.startswith("@")):
            return False
        present = sum(k in words for k in plain) + len(fact.subject) - len(plain)
        return present >= self.settings.min_subject * len(fact.subject)

    def _check_names(
        self, sentence: str, offset: int, facts: Sequence[_NameFact]
    ) -> list[Contradiction]:
        if not facts:
            return []
        tokens = tokenize(sentence)
        terms = self.lexicon.terms(tokens, False)
        keys = [t.key for t in terms]
        folded = " ".join(t.folded for t in tokens)
        out = []
        for fact in facts:
            if fact.name in folded:
                continue
            named = _holder(fact.role, terms, keys, tokens)
            if named:
                stated = _Quantity(0.0, "@name", "", named, 0)
                out.append(_contradiction(fact, stated, sentence, offset))
        return out

    def _check_sentence(
        self, sentence: str, offset: int, facts: Sequence[_Fact]
    ) -> list[Contradiction]:
        quantities = self._quantities(sentence)
        keys = {t.key for t in self.lexicon.terms(tokenize(sentence), False)}
        lower = sentence.lower()
        out = []
        for fact in facts:
            same_unit = [q for q in quantities if q.unit == fact.quantity.unit]
            totals = [q for q in same_unit if not _breakdown(sentence, q)]
            if len(totals) != 1 or not self._about(fact, keys, lower):
                continue
            stated = totals[0]
            if stated.value in fact.known or self._narrowed(fact, stated, sentence):
                continue
            if self._contradicts(stated, fact.quantity.value):
                out.append(_contradiction(fact, stated, sentence, offset))
        return out

    def _about(self, fact: _Fact, keys: set[str], lower: str) -> bool:
        """The sentence speaks of the fact's subject, at the fact's time."""
        if not fact.required <= keys or not fact.subject:
            return False
        if len(fact.subject & keys) / len(fact.subject) < self.settings.min_subject:
            return False
        if any(p in lower for p in OTHER_TIME):
            return False
        return set(_YEAR.findall(lower)) <= fact.years

    def _narrowed(self, fact: _Fact, stated: _Quantity, sentence: str) -> bool:
        """The value counts a narrower set ("30 ngôi chùa được công nhận di tích")."""
        base = cursor = stated.start + len(stated.text)
        for term in self.lexicon.terms(tokenize(sentence[base:]), False):
            if any(c in ",.;:!?()" for c in sentence[cursor : base + term.start]):
                return False
            if term.key not in fact.own_words and term.key not in STOPWORDS | PARTICLES:
                return term.key not in PLACE_WORDS
            cursor = base + term.end
        return False

    def _contradicts(self, stated: _Quantity, truth: float) -> bool:
        if stated.unit == "@date":
            return stated.qualifier != "other" and _date_differs(stated.value, truth)
        if stated.qualifier == "above":
            return truth <= stated.value
        if stated.qualifier == "below":
            return truth >= stated.value
        tolerance = (
            ABOUT_TOLERANCE if stated.qualifier == "about" else self.settings.exact_tolerance
        )
        return abs(stated.value - truth) > tolerance * max(abs(truth), 1e-9)


def _number(whole: str, decimals: str | None) -> float:
    """A number written the Vietnamese way: "1.200" is 1200, "2,3" is 2.3."""
    value = float(whole.replace(".", ""))
    return value + float(f"0.{decimals}") if decimals else value


def _anchors(subject: str) -> tuple[str, ...]:
    """Names of a subject, folded: a text without any of them is not about it."""
    return tuple(run for run in name_runs(tokenize(subject)) if len(run) > 3)


def _anchored(anchors: tuple[str, ...], folded_text: str) -> bool:
    return not anchors or any(a in folded_text for a in anchors)


def _holder(
    role: tuple[str, ...], terms: Sequence[Term], keys: list[str], tokens: Sequence[Token]
) -> str:
    """The name written right after the role ("Giám đốc Sở … Nguyễn Văn B"), or ""."""
    n = len(role)
    for i in range(len(keys) - n + 1):
        if tuple(keys[i : i + n]) != role or (i and keys[i - 1] in NOT_HOLDER):
            continue
        end = terms[i + n - 1].end
        after = [t for t in tokens if t.start >= end and t.text not in {"là", "ông", "bà"}][:4]
        run = list(takewhile(lambda t: t.name and t.text.isalpha(), after))
        if len(run) >= 2 and run[0].start - end <= 6:
            return " ".join(t.text.title() for t in run)
    return ""


def _dates(text: str, tokens: Sequence[Token]) -> list[_Quantity]:
    """Dates ("1/7/2025", "1 tháng 7 năm 2025", "1-7-2025"), valued yyyymmdd (yyyy 0 if absent)."""
    out = []
    for match in _DATE.finditer(text):
        parts = [g for g in match.groups() if g is not None]
        day, month = int(parts[0]), int(parts[1])
        year = int(parts[2]) if len(parts) > 2 else 0
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        before = [t.text for t in tokens if t.end <= match.start()][-2:]
        qualifier = "other" if {"trước", "sau", "đến", "tới"} & set(before) else ""
        value = float(year * 10000 + month * 100 + day)
        out.append(_Quantity(value, "@date", qualifier, match.group(0), match.start()))
    return out


def _date_differs(stated: float, truth: float) -> bool:
    """Day and month differ, or both years are known and differ."""
    s, t = int(stated), int(truth)
    if s % 10000 != t % 10000:
        return True
    return bool(s // 10000 and t // 10000 and s // 10000 != t // 10000)


def _qualifier(before: Sequence[Token]) -> str:
    words = [t.text for t in before]
    for size in (2, 1):
        phrase = " ".join(words[-size:]) if len(words) >= size else ""
        for name, table in (("above", ABOVE), ("below", BELOW), ("about", ABOUT)):
            if phrase in table:
                return name
    return ""


def _breakdown(sentence: str, stated: _Quantity) -> bool:
    """The value is a part of a total ("trong đó 30 chùa", "gồm 47 đội nam và 9 đội nữ")."""
    before = fold_diacritics(sentence[max(0, stated.start - 40) : stated.start].lower())
    near = before[-6:].split()
    return any(fold_diacritics(p) in before for p in BREAKDOWN) or near[-1:] == ["va"]


def _contradiction(
    fact: _Fact | _NameFact, stated: _Quantity, sentence: str, offset: int
) -> Contradiction:
    lead = len(sentence) - len(sentence.lstrip())
    text = sentence.strip()
    prefix = {"above": "hơn ", "below": "dưới ", "about": "khoảng "}.get(stated.qualifier, "")
    return Contradiction(
        fact_id=fact.claim.id, subject=fact.claim.subject, statement=fact.claim.text,
        verified=fact.claim.value, stated=f"{prefix}{stated.text}".strip(), sentence=text,
        start=offset + lead, end=offset + lead + len(text), source_url=fact.claim.source_url,
    )  # fmt: skip

"""Claims: the token view of a text that claim matching and fact checks compare.

A text is split into syllables; synonym phrases become one canonical term ("trưng thu", "thu
hồi" → ``@thu_hoi``). A sentence written with diacritics is compared through its accented forms,
one written without them through folded forms: "dat" may stand for "đất", but in accented text
"đặt" (to place) never matches "đất" (land).
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presswatch.classifiers.vietnamese import fold_diacritics, has_diacritics, normalize_vi

#: Canonical term → phrases (lower case, accented) that say the same in a claim. Deliberately
#: narrow: a synonym joins a paraphrase to its claim, and a wrong one joins unrelated text.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "@chinh_quyen": (
        "chính quyền", "nhà chức trách", "nhà cầm quyền", "giới chức", "chức trách",
        "cơ quan chức năng", "nhà nước", "ủy ban nhân dân", "ubnd",
    ),
    "@thu_hoi": ("thu hồi", "trưng thu", "trưng dụng", "tịch thu", "cưỡng chế", "lấy", "chiếm"),
    "@doanh_nghiep": ("doanh nghiệp", "công ty", "tập đoàn", "nhà đầu tư", "chủ đầu tư"),
    "@nghi_duong": (
        "khu nghỉ dưỡng", "nghỉ dưỡng", "resort", "khu resort", "khu du lịch cao cấp",
        "dự án du lịch cao cấp",
    ),
    "@xay": ("xây dựng", "xây", "dựng"),
    "@giao": ("giao", "bàn giao", "chuyển giao", "bán"),
    "@dat": ("đất", "đất đai", "khu đất", "phần đất", "mảnh đất", "thửa đất"),
    "@chua": ("chùa", "ngôi chùa"),
    "@huy": ("hủy", "hủy bỏ", "tạm dừng", "dừng", "ngừng"),
    "@cam": ("cấm", "nghiêm cấm", "ngăn cấm"),
    "@chet": ("chết", "tử vong", "thiệt mạng"),
    "@o_nhiem": ("ô nhiễm", "xả thải", "nhiễm độc"),
    "@nguoi_dan": ("người dân", "bà con", "nhân dân"),
    "@bat": ("bắt", "bắt giữ", "bắt giam", "tạm giữ"),
    "@kinh_phi": ("kinh phí", "ngân sách", "tiền"),
    "@nuoc_ngoai": ("nước ngoài", "ngoại quốc"),
    "@hoa_ky": ("mỹ", "hoa kỳ"),
    "@nhap_khau": ("nhập khẩu", "nhập"),
    "@khmer": ("khmer", "khơ me", "khơ-me"),
    "@phan_tram": ("%", "phần trăm"),
}  # fmt: skip

#: Function words left out of a claim's terms (they say nothing about what is claimed).
STOPWORDS = frozenset(
    {
        "ở", "để", "cho", "của", "và", "các", "những", "là", "thì", "mà", "đã", "đang", "sẽ",
        "bị", "được", "với", "này", "đó", "kia", "một", "rằng", "về", "tại", "từ", "trong",
        "theo", "nhiều", "vì", "nên", "nhưng", "cũng", "rất", "đều", "lại", "ra", "vào", "lên",
        "xuống", "nay", "ai", "gì", "nào",
    }
)  # fmt: skip
#: Negations: a sentence that negates what a claim affirms (or the reverse) does not repeat it.
NEGATIONS = frozenset({"không", "chưa", "chẳng", "chả", "chớ", "hông", "hổng"})
#: Without diacritics "chua" is also "chùa" and "cha" also "cha": only unambiguous forms count.
FOLDED_NEGATIONS = frozenset({"khong", "ko", "khg", "hong"})

_TOKEN = re.compile(r"[^\W_]+|%")


@dataclass(frozen=True, slots=True)
class Token:
    """One syllable (or number) of a text, lower-cased, with its place in that text."""

    text: str  # lower case, NFC, one tone-mark convention
    folded: str  # lower case, no diacritics
    start: int
    end: int
    name: bool  # capitalised and not the first word: part of a name


@dataclass(frozen=True, slots=True)
class Term:
    """A comparable unit: a canonical synonym or a single token."""

    key: str
    start: int
    end: int
    name: bool


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Syllables and numbers of a text with their offsets (into ``text``, plus ``offset``)."""
    norm = normalize_vi(text)
    if len(norm) != len(text):  # not NFC: offsets must point into the text as given
        norm = text
    out: list[Token] = []
    for match in _TOKEN.finditer(norm):
        word = match.group(0)
        lower = word.lower()
        name = bool(out) and (word[:1].isupper() or (len(word) > 1 and word.isupper()))
        start, end = match.start() + offset, match.end() + offset
        out.append(Token(lower, fold_diacritics(lower), start, end, name))
    return out


def name_runs(tokens: Sequence[Token]) -> list[str]:
    """Runs of adjacent name tokens, folded ("prek chron", "vinh chau")."""
    runs: list[list[str]] = []
    previous: Token | None = None
    for token in tokens:
        if token.name:
            if previous is None or not previous.name:
                runs.append([])
            runs[-1].append(token.folded)
        previous = token
    return [" ".join(run) for run in runs]


def accented(text: str) -> bool:
    """Whether to compare a text through accented forms (it carries diacritics)."""
    return has_diacritics(text)


class Lexicon:
    """Synonym phrases in both forms, matched longest first over a token sequence."""

    def __init__(self, synonyms: Mapping[str, Iterable[str]]) -> None:
        self.accented: dict[tuple[str, ...], str] = {}
        self.folded: dict[tuple[str, ...], str] = {}
        for canon, phrases in synonyms.items():
            for phrase in phrases:
                words = tuple(t.text for t in tokenize(phrase.lower()))
                if words:
                    self.accented.setdefault(words, canon)
                    self.folded.setdefault(tuple(fold_diacritics(w) for w in words), canon)
        self.longest = max((len(k) for k in self.accented), default=1)

    @classmethod
    def with_extra(cls, extra: Mapping[str, Iterable[str]] | None = None) -> Lexicon:
        """The built-in synonyms plus the operator's (``[matching.synonyms]``)."""
        merged = {k: list(v) for k, v in SYNONYMS.items()}
        for canon, phrases in (extra or {}).items():
            key = canon if canon.startswith("@") else f"@{canon}"
            merged.setdefault(key, []).extend(phrases)
        return cls(merged)

    def terms(self, tokens: Sequence[Token], folded: bool) -> list[Term]:
        """The tokens with synonym phrases replaced by their canonical term."""
        table = self.folded if folded else self.accented
        words = [t.folded if folded else t.text for t in tokens]
        out: list[Term] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest, len(tokens) - i), 0, -1):
                canon = table.get(tuple(words[i : i + size]))
                if canon is not None:
                    out.append(Term(canon, tokens[i].start, tokens[i + size - 1].end, False))
                    i += size
                    break
            else:
                out.append(Term(words[i], tokens[i].start, tokens[i].end, tokens[i].name))
                i += 1
        return out


def term_keys(terms: Iterable[Term]) -> set[str]:
    """The distinct keys of some terms."""
    return {t.key for t in terms}


def negated(tokens: Sequence[Token], folded: bool) -> bool:
    """Whether the tokens contain a negation word."""
    if folded:
        return any(t.folded in FOLDED_NEGATIONS for t in tokens)
    return any(t.text in NEGATIONS for t in tokens)


def content_terms(terms: Iterable[Term], folded: bool) -> list[Term]:
    """Terms without function words and negations (a claim's comparable content)."""
    stop = {fold_diacritics(w) for w in STOPWORDS} if folded else STOPWORDS
    neg = FOLDED_NEGATIONS if folded else NEGATIONS
    return [t for t in terms if t.key not in stop and t.key not in neg]


def phrase_in(phrase: Sequence[str], keys: Sequence[str]) -> bool:
    """Whether a phrase (a sequence of term keys) occurs contiguously in a key sequence."""
    n = len(phrase)
    return n > 0 and any(tuple(keys[i : i + n]) == tuple(phrase) for i in range(len(keys) - n + 1))


DF_TABLE = Path(__file__).resolve().parent / "data" / "syllable_df.json"


class TermWeights:
    """Inverse document frequency of terms: "chùa" says more about a claim than "năm"."""

    def __init__(self, table: Mapping[str, Any], lexicon: Lexicon) -> None:
        self.documents = int(table["documents"])
        self.df = {False: dict(table["accented"]), True: dict(table["folded"])}
        self.rare = math.log((self.documents + 1) / 3) + 1  # below the table's cut-off
        self.canonical = {False: self._canonical(lexicon.accented, False),
                          True: self._canonical(lexicon.folded, True)}  # fmt: skip

    @classmethod
    def load(cls, lexicon: Lexicon) -> TermWeights:
        """The weights from the shipped syllable table (see presswatch.claims.build_idf)."""
        return cls(json.loads(DF_TABLE.read_text("utf-8")), lexicon)

    def syllable(self, word: str, folded: bool) -> float:
        """IDF of one syllable."""
        df = self.df[folded].get(word)
        return self.rare if df is None else math.log((self.documents + 1) / (df + 1)) + 1

    def _canonical(self, table: Mapping[tuple[str, ...], str], folded: bool) -> dict[str, float]:
        """A synonym group weighs the median of its phrases (each: its rarest syllable)."""
        groups: dict[str, list[float]] = {}
        for phrase, canon in table.items():
            groups.setdefault(canon, []).append(max(self.syllable(w, folded) for w in phrase))
        return {canon: statistics.median(values) for canon, values in groups.items()}

    def weight(self, key: str, folded: bool) -> float:
        """IDF of a term (a syllable or a canonical synonym group)."""
        if key.startswith("@"):
            return self.canonical[folded].get(key, self.rare)
        return self.syllable(key, folded)

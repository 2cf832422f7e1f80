"""Topics and tone, the lexicon part: weighted terms per label, matched in one pass per case.

A term written in lower case matches in any case; a term with a capital letter matches only as
written ("Mỹ" the country, not "mỹ" in "thẩm mỹ"). Terms in the headline count double.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from presswatch.classifiers.trie import trie_regex
from presswatch.classifiers.vietnamese import normalize_vi
from presswatch.errors import ConfigError

TOPIC_IDS: tuple[str, ...] = (
    "sovereignty",
    "human_rights",
    "asean",
    "ethnic_minorities",
    "religion",
    "fisheries",
    "foreign_affairs",
    "image_promotion",
)
_ID = re.compile(r"^[a-z][a-z_]*$")
TITLE_WEIGHT = 2.0


class TermMatcher:
    """Counts occurrences of many terms in a text (whole words, exact diacritics)."""

    def __init__(self, terms: list[str]) -> None:
        normalised = {normalize_vi(t).strip() for t in terms if t.strip()}
        self._folded = {t for t in normalised if t == t.lower()}
        self._cased = normalised - self._folded
        self._lower_re = trie_regex(self._folded)
        self._cased_re = trie_regex(self._cased)
        self._spaces = re.compile(r"\s+")

    def count(self, text: str) -> Counter[str]:
        """Occurrences of each term in a normalised text."""
        found: Counter[str] = Counter()
        if self._folded:
            found.update(self._key(m.group()) for m in self._lower_re.finditer(text.lower()))
        if self._cased:
            found.update(self._key(m.group()) for m in self._cased_re.finditer(text))
        return found

    def _key(self, matched: str) -> str:
        return self._spaces.sub(" ", matched)


@dataclass(frozen=True, slots=True)
class LabelLexicon:
    """The weighted terms of one label (a topic id, or a tone)."""

    id: str
    label: str
    terms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LexiconScore:
    """A label's lexicon score: the weighted sum of its terms and the terms found."""

    raw: float
    evidence: list[str]

    @property
    def probability(self) -> float:
        """A 0–1 reading of the raw score: 3 (one decisive term) ≈ 0.5."""
        return 1.0 - math.exp(-self.raw * math.log(2) / 3.0)


class Lexicon:
    """Weighted terms for several labels; scores a title and a text for each label."""

    def __init__(self, labels: list[LabelLexicon]) -> None:
        self.labels = {lab.id: lab for lab in labels}
        self._weights: dict[str, dict[str, float]] = {}
        for lab in labels:
            for term, weight in lab.terms.items():
                self._weights.setdefault(normalize_vi(term).strip(), {})[lab.id] = weight
        self._matcher = TermMatcher(list(self._weights))

    @classmethod
    def from_toml(cls, path: Path | str, table: str = "topic") -> Lexicon:
        """Read ``[topic.<id>]`` (or another table) sections with ``label`` and ``terms``."""
        path = Path(path)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"lexicon {str(path)!r} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"lexicon {str(path)!r} is not valid TOML: {exc}") from None
        return cls([_label(path, key, raw) for key, raw in data.get(table, {}).items()])

    def scores(self, title: str, text: str) -> dict[str, LexiconScore]:
        """Each label's score over a normalised title and text."""
        counts = {term: float(n) for term, n in self._matcher.count(text).items()}
        for term, found in self._matcher.count(title).items():
            counts[term] = counts.get(term, 0.0) + found * TITLE_WEIGHT
        raw: dict[str, float] = dict.fromkeys(self.labels, 0.0)
        evidence: dict[str, list[tuple[float, str]]] = {k: [] for k in self.labels}
        for term, n in counts.items():
            for label_id, weight in self._weights.get(term, {}).items():
                contribution = weight * (1.0 + math.log(n)) if n >= 1 else weight * n
                raw[label_id] += contribution
                evidence[label_id].append((contribution, term))
        return {
            k: LexiconScore(raw[k], [t for _, t in sorted(evidence[k], reverse=True)])
            for k in self.labels
        }


def _label(path: Path, key: str, raw: Mapping[str, object]) -> LabelLexicon:
    """One section of a lexicon file, checked."""
    where = f"{path.name}: [{key}]"
    if not _ID.match(key):
        raise ConfigError(f"{where}: ids are lower-case letters and '_', e.g. 'human_rights'")
    terms = raw.get("terms", {})
    if not isinstance(terms, dict) or not all(
        isinstance(w, int | float) and not isinstance(w, bool) for w in terms.values()
    ):
        raise ConfigError(f'{where}: terms must map phrases to weights, e.g. {{ "ngư dân" = 3 }}')
    return LabelLexicon(
        key, str(raw.get("label", key)), {str(t): float(w) for t, w in terms.items()}
    )

"""Relevance, first step: finding the region under its old and new names (the gazetteer matcher).

One compiled regular expression (a character trie of every name, folded to bare lower-case ASCII)
finds candidates in one pass; each candidate is then checked against the text as written:
- text with diacritics must carry exactly the name's tone marks ("sọc trắng" is not "Sóc Trăng");
- fully diacritic-free text ("soc trang") counts only with evidence that it is the place:
  capitals, a preceding "tinh"/"tp"/"huyen"…, or another mention of the region in the text;
- names other than the province must be capitalised ("an ninh" is security, "An Ninh" a commune);
- ambiguous names (found in other provinces too, numbered wards) need a sure mention elsewhere
  in the text and must not be followed by another province ("Châu Thành (Tiền Giang)").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presswatch.classifiers.trie import trie_regex
from presswatch.classifiers.vietnamese import fold_diacritics, normalize_vi
from presswatch.document import Mention
from presswatch.errors import ConfigError

LEVELS: tuple[str, ...] = ("province", "former_district", "new_commune", "former_commune", "alias")
#: Words of a name that need no capital: unit kinds and "cũ" (folded).
_FUNCTION_WORDS = frozenset(
    {"tinh", "thanh", "pho", "tp", "t", "p", "huyen", "thi", "xa", "tran", "phuong", "tx", "cu"}
)
_SEPARATORS = re.compile(r"[\s.()\-–]+")
_SEP = r"[\s.()\-–]+"  # separators inside a name: "TP.Sóc Trăng", "Sóc Trăng (cũ)"
_PLACE_PREFIX = re.compile(
    r"(?<![^\W_])(?:tinh|tp|t\.p|thanh pho|huyen|thi xa|tx|xa|phuong|thi tran)[\s.]*$"
)
_WORDS = re.compile(r"[^\W_]+")
_LEAD_MAX = 600
_QUALIFIER_WINDOW = 40
_NEARBY = 120


@dataclass(frozen=True, slots=True)
class Place:
    """One name of the region as the gazetteer file lists it."""

    name: str
    level: str
    ambiguous: bool = False
    note: str = ""
    new: bool = False  # a unit since 1 July 2025: "phường Phú Lợi, thành phố Cần Thơ" is sure


@dataclass(frozen=True, slots=True)
class _Form:
    """One written form of a place ("huyện Kế Sách", "TP. Sóc Trăng", "Kế Sách")."""

    place: Place
    level: str
    accented: str  # canonical lower-case form with diacritics


@dataclass(slots=True)
class _Candidate:
    form: _Form
    start: int
    end: int
    zone: str
    matched: str
    accented: bool
    capitalised: bool
    prefixed: bool
    sure: bool = False  # an ambiguous new unit qualified by the city it belongs to now


def canonical(text: str) -> str:
    """Lower case with separators (spaces, dots, brackets, commas, dashes) as single spaces."""
    return _SEPARATORS.sub(" ", text.lower()).strip()


def _normalised(text: str) -> tuple[str, list[int] | None]:
    """normalize_vi(text) and, when NFC changed its length, each character's original offset."""
    if unicodedata.is_normalized("NFC", text):
        return normalize_vi(text), None
    pieces: list[str] = []
    offsets: list[int] = []
    cluster_start = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and unicodedata.combining(text[index]):
            continue
        composed = unicodedata.normalize("NFC", text[cluster_start:index])
        pieces.append(composed)
        offsets.extend([cluster_start] * len(composed))
        cluster_start = index
    offsets.append(len(text))
    return normalize_vi("".join(pieces)), offsets


def _lower_folded(text: str) -> str:
    """Folded lower case of the same length as ``text``."""
    folded = fold_diacritics(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def lead_end(text: str) -> int:
    """Where the lead (first paragraph, at most 600 characters) of a text ends."""
    stripped = len(text) - len(text.lstrip())
    newline = text.find("\n", stripped)
    end = len(text) if newline < 0 else newline
    return min(end, stripped + _LEAD_MAX)


class Gazetteer:
    """The region's names, matched in one pass; built from config/region.toml."""

    def __init__(
        self,
        region: str,
        places: Sequence[Place],
        aliases: Sequence[tuple[str, str, str]] = (),
        other_provinces: Sequence[str] = (),
        merged_into: str = "",
    ) -> None:
        self.region = normalize_vi(region)
        self.places = {p.name: p for p in places}
        if self.region not in self.places:
            raise ConfigError(f"the gazetteer has no place named {self.region!r} (the region)")
        self._forms: dict[str, list[_Form]] = {}
        for place in self.places.values():
            self._add(place.name, place, place.level)
        for text, name, level in aliases:
            target = self.places.get(normalize_vi(name))
            if target is None:
                raise ConfigError(f"alias {text!r} names {name!r}, which is not a [[place]]")
            self._add(text, target, level)
        self._regex = trie_regex(self._forms, _SEP)
        self.other_provinces = [normalize_vi(p) for p in other_provinces]
        self._other = {canonical(p): p for p in self.other_provinces}
        other = trie_regex((fold_diacritics(k) for k in self._other), _SEP).pattern
        self._other_regex = re.compile(other)
        self._qualifier = re.compile(rf"\s*[(,\-–]\s*(?:tinh|tp\.?|thanh pho)?\s*{other}")
        merged = re.escape(canonical(fold_diacritics(normalize_vi(merged_into)))) or "(?!)"
        self._merged = re.compile(rf"\s*[(,\-–]\s*(?:tp\.?|thanh pho|tinh)?\s*{merged}(?![^\W_])")

    def _add(self, text: str, place: Place, level: str) -> None:
        if level not in LEVELS:
            raise ConfigError(f"level {level!r} of {text!r} is not one of {', '.join(LEVELS)}")
        accented = canonical(normalize_vi(text))
        forms = self._forms.setdefault(fold_diacritics(accented), [])
        if all(f.accented != accented for f in forms):
            forms.append(_Form(place, level, accented))

    @classmethod
    def from_toml(cls, path: Path | str) -> Gazetteer:
        """Read a gazetteer file (config/region.toml); ConfigError names what is wrong."""
        path = Path(path)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            places = [_place(p) for p in data.get("place", [])]
            aliases = [(a["text"], a["name"], a["level"]) for a in data.get("alias", [])]
            region = data["region"]
            return cls(
                region["name"],
                places,
                aliases,
                region["other_provinces"],
                region.get("merged_into", ""),
            )
        except FileNotFoundError:
            raise ConfigError(f"gazetteer {str(path)!r} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"gazetteer {str(path)!r} is not valid TOML: {exc}") from None
        except KeyError as exc:
            raise ConfigError(f"gazetteer {str(path)!r} lacks the key {exc.args[0]!r}") from None

    def find(self, title: str, text: str) -> list[Mention]:
        """Every mention of the region in a title and a text, in reading order."""
        candidates = self._candidates(title, "title") + self._candidates(text, "text")
        return [self._mention(c) for c in self._gate(candidates, title, text)]

    def mentions_region(self, text: str) -> bool:
        """Whether the text names the region at all (the cheap pre-filter)."""
        return bool(self.find("", text))

    def other_provinces_in(self, text: str) -> list[tuple[str, int]]:
        """Other provinces named in a text (exact tone marks, capitalised): (name, offset)."""
        norm, _ = _normalised(text)
        found = []
        for match in self._other_regex.finditer(_lower_folded(norm)):
            written = norm[match.start() : match.end()]
            name = self._other.get(canonical(written))
            if name is not None and written[:1].isupper():
                found.append((name, match.start()))
        return found

    def _candidates(self, text: str, zone: str) -> list[_Candidate]:
        if not text:
            return []
        norm, offsets = _normalised(text)
        lowered = _lower_folded(norm)
        lead = lead_end(norm)
        found: list[_Candidate] = []
        pos = 0
        while match := self._regex.search(lowered, pos):
            candidate = self._longest(norm, lowered, match.start(), match.end())
            if candidate is None:
                pos = match.start() + 1
                continue
            pos = candidate.end
            if offsets is not None:
                candidate.start, candidate.end = offsets[candidate.start], offsets[candidate.end]
            candidate.matched = text[candidate.start : candidate.end]
            candidate.zone = (
                zone if zone == "title" else ("lead" if match.start() < lead else "body")
            )
            found.append(candidate)
        return found

    def _longest(self, norm: str, lowered: str, start: int, end: int) -> _Candidate | None:
        """The longest acceptable name at ``start``: "Sóc Trăng, Củ Chi" is not "Sóc Trăng cũ"."""
        while True:
            closed = end
            if (
                norm[start:end].count("(") > norm[start:end].count(")")
                and norm[end : end + 1] == ")"
            ):
                closed = end + 1
            candidate = self._check(norm, lowered, start, closed)
            if candidate is not None:
                return candidate
            shorter = self._regex.match(lowered, start, end - 1)
            while shorter is not None and _continues_word(lowered, shorter.end()):
                shorter = self._regex.match(lowered, start, shorter.end() - 1)
            if shorter is None:
                return None
            end = shorter.end()

    def _check(self, norm: str, lowered: str, start: int, end: int) -> _Candidate | None:
        """The form a candidate span is written in, or None when the tone marks differ."""
        written = norm[start:end]
        forms = self._forms.get(canonical(lowered[start:end]), [])
        accented = fold_diacritics(written) != written
        if accented:
            key = canonical(written)
            forms = [f for f in forms if f.accented == key]
        if not forms:
            return None
        form = min(forms, key=lambda f: LEVELS.index(f.level))
        prefixed = bool(_PLACE_PREFIX.search(lowered, max(0, start - 12), start))
        return _Candidate(form, start, end, "", written, accented, _capitalised(written), prefixed)

    def _gate(self, candidates: list[_Candidate], title: str, text: str) -> list[_Candidate]:
        """Keep the candidates the evidence in the whole document supports."""
        province = self.places[self.region]
        for c in candidates:
            c.sure = c.accented and c.capitalised and self._in_new_city(c, title, text)
        sure = [c for c in candidates if c.accented and _counts_alone(c, province)]
        loose = [c for c in candidates if not c.accented and c.form.place is province]
        loose = [c for c in loose if sure or _title_case(c) or c.prefixed or _near(c, candidates)]
        context = bool(sure or loose)
        return [
            c
            for c in candidates
            if c in sure
            or c in loose
            or (context and _shaped(c) and not self._qualified(c, title, text))
        ]

    def _window(self, c: _Candidate, title: str, text: str) -> str:
        source = title if c.zone == "title" else text
        return _lower_folded(normalize_vi(source[c.end : c.end + _QUALIFIER_WINDOW]))

    def _qualified(self, c: _Candidate, title: str, text: str) -> bool:
        """Whether another province follows the name: "Châu Thành (Tiền Giang)"."""
        return bool(self._qualifier.match(self._window(c, title, text)))

    def _in_new_city(self, c: _Candidate, title: str, text: str) -> bool:
        """Whether a 2025 unit is followed by its new city: "phường Phú Lợi, TP Cần Thơ"."""
        return c.form.place.new and bool(self._merged.match(self._window(c, title, text)))

    def _mention(self, c: _Candidate) -> Mention:
        return Mention(
            name=c.form.place.name,
            matched=c.matched,
            start=c.start,
            end=c.end,
            zone=c.zone,
            level=c.form.level,
            accented=c.accented,
        )


def _continues_word(text: str, end: int) -> bool:
    """Whether a match ending at ``end`` stops inside a word (or inside a number)."""
    if end >= len(text):
        return False
    nxt, last = text[end], text[end - 1]
    return nxt.isalpha() or (nxt.isdigit() and last.isdigit())


def _capitalised(written: str) -> bool:
    """Whether every word of a name (unit kinds aside) starts with a capital."""
    words = _WORDS.findall(written)
    names = [w for w in words if fold_diacritics(w).lower() not in _FUNCTION_WORDS]
    if names and all(w.isdigit() for w in names):
        return True  # "phường 1": nothing to capitalise
    return bool(names) and all(w[0].isupper() for w in names if not w.isdigit())


def _title_case(c: _Candidate) -> bool:
    """Capitalised and not in capitals throughout (an all-caps headline shows nothing)."""
    return c.capitalised and not c.matched.isupper()


def _shaped(c: _Candidate) -> bool:
    """Written like a name: capitalised, and in title case when without diacritics."""
    return c.capitalised if c.accented else _title_case(c)


def _place(raw: dict[str, Any]) -> Place:
    return Place(
        normalize_vi(raw["name"]),
        raw["level"],
        bool(raw.get("ambiguous")),
        raw.get("note", ""),
        bool(raw.get("new")),
    )


def _counts_alone(c: _Candidate, province: Place) -> bool:
    """An accented mention that needs no other evidence: the province or a sure, capitalised one."""
    if c.form.place is province or c.sure:
        return True
    return c.capitalised and not c.form.place.ambiguous


def _near(c: _Candidate, candidates: list[_Candidate]) -> bool:
    """Another capitalised, unambiguous region name close by (diacritic-free texts)."""
    return any(
        o is not c
        and o.zone == c.zone
        and _title_case(o)
        and not o.form.place.ambiguous
        and abs(o.start - c.start) <= _NEARBY
        for o in candidates
    )

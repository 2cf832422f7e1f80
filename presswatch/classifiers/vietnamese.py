"""Vietnamese text handling: normalisation, folding, sentences, words and named entities.

The one module that imports underthesea (lazily: importing it costs ~1.5 s). Everything else in
PressWatch calls these functions, so that normalisation is the same everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Tone marks as combining characters: grave, acute, tilde, hook above, dot below.
_TONES = "\u0300\u0301\u0303\u0309\u0323"

#: "oa", "oe" and "uy" at the end of a syllable: the old ("hòa", "thủy") and new ("hoà", "thuỷ")
#: conventions put the tone mark on different vowels. PressWatch uses the old style, which the
#: government's place-name tables and most newspapers use.
_TONED_SECOND = re.compile(r"(?<![qQ])([oOuU])([^\W\d_])(?![^\W\d_])")

_WORD = re.compile(r"[^\W_]+")
_PARAGRAPHS = re.compile(r"\n\s*")
_NER_CACHE_SIZE = 4096


def _tone_of(char: str) -> tuple[str, str]:
    """Split a letter into (letter without tone mark, tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in decomposed if c in _TONES)
    base = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", base), tone


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    base, tone = _tone_of(second)
    pair = (first.lower(), base.lower())
    if not tone or pair not in {("o", "a"), ("o", "e"), ("u", "y")}:
        return match.group(0)
    return unicodedata.normalize("NFC", first + tone) + base


def normalize_vi(text: str) -> str:
    """Unicode NFC and one tone-mark convention ("hoà" → "hòa", "thuỷ" → "thủy")."""
    text = unicodedata.normalize("NFC", text)
    return _TONED_SECOND.sub(_move_tone, text)


def normalize_social(text: str) -> str:
    """Normalise social-media writing (teencode, repeated letters); a later issue fills this in."""
    # The place for teencode ("ko" → "không", "dc" → "được") and elongation ("quáaaa") rules.
    return normalize_vi(text)


def _fold_table() -> dict[int, str]:
    """A one-character-to-one-character table from Vietnamese letters to their bare ASCII form."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x1F00):
        char = chr(code)
        bare = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if len(bare) == 1 and bare.isascii() and bare.isalpha() and bare != char:
            table[code] = bare
    return table


_FOLD = _fold_table()


def fold_diacritics(text: str) -> str:
    """Remove diacritics ("Sóc Trăng" → "Soc Trang", đ → d); same length for NFC input."""
    return text.translate(_FOLD)


def has_diacritics(text: str) -> bool:
    """Whether any letter of the text carries a Vietnamese diacritic (or is đ)."""
    return fold_diacritics(text) != text


def syllables(text: str) -> list[str]:
    """Split into syllables and numbers (letters and digits runs): the cheap tokenisation."""
    return _WORD.findall(text)


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of a text."""
    return [p for p in _PARAGRAPHS.split(text.strip()) if p]


def sentences(text: str) -> list[str]:
    """Split into sentences: paragraphs first, then underthesea's sentence splitter."""
    from underthesea import sent_tokenize

    out: list[str] = []
    for paragraph in paragraphs(text):
        out.extend(s for s in sent_tokenize(paragraph) if s.strip())
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in ``text``."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:  # the splitter changed the text; fall back to a running offset
            start = cursor
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return spans


def words(text: str) -> list[str]:
    """Word segmentation (multi-syllable words joined by spaces), sentence by sentence."""
    from underthesea import word_tokenize

    out: list[str] = []
    for sentence in sentences(text):
        out.extend(word_tokenize(sentence))
    return out


def words_batch(texts: Iterable[str]) -> list[list[str]]:
    """Word segmentation of many texts."""
    return [words(text) for text in texts]


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found by NER: its text and type (LOC, ORG, PER or MISC)."""

    text: str
    label: str


def _entities(tagged: Sequence[Sequence[Any]]) -> list[Entity]:
    """Group BIO-tagged tokens into entities."""
    found: list[Entity] = []
    current: list[str] = []
    label = ""
    for token in tagged:
        word, tag = str(token[0]), str(token[-1])
        if tag.startswith("I-") and current and tag[2:] == label:
            current.append(word)
            continue
        if current:
            found.append(Entity(" ".join(current), label))
        current, label = ([word], tag[2:]) if tag[:2] in {"B-", "I-"} else ([], "")
    if current:
        found.append(Entity(" ".join(current), label))
    return found


@lru_cache(maxsize=_NER_CACHE_SIZE)
def _ner_sentence(sentence: str) -> tuple[Entity, ...]:
    from underthesea import ner as underthesea_ner

    return tuple(_entities(underthesea_ner(sentence)))


def ner(sentence: str) -> list[Entity]:
    """Named entities of one sentence (cached; never pass a whole article: NER is superlinear)."""
    return list(_ner_sentence(sentence.strip()))


def ner_batch(sentences_: Iterable[str]) -> list[list[Entity]]:
    """Named entities of many sentences, in order."""
    return [ner(sentence) for sentence in sentences_]

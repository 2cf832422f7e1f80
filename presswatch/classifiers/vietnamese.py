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


#: Teencode and chat abbreviations, as whole lower-case words. Left out on purpose: forms that
#: are also ordinary words or units ("hông" hip, "dị" odd, "v", "bn", "đk", "a"/"e"/"c").
_TEENCODE = {
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "kg": "không", "kô": "không",
    "hok": "không", "khum": "không", "dc": "được", "đc": "được", "dk": "được", "j": "gì",
    "ntn": "như thế nào", "bít": "biết", "bik": "biết", "bjk": "biết", "bjt": "biết", "r": "rồi",
    "ms": "mới", "mn": "mọi người", "mng": "mọi người", "mk": "mình", "mik": "mình",
    "vs": "với", "cx": "cũng", "cg": "cũng", "trc": "trước", "ns": "nói", "ng": "người",
    "wá": "quá", "qá": "quá", "z": "vậy", "zậy": "vậy", "thui": "thôi", "lun": "luôn",
    "nhìu": "nhiều", "iu": "yêu", "tks": "cảm ơn", "hnay": "hôm nay", "hqua": "hôm qua",
    "ck": "chồng", "vk": "vợ", "bh": "bây giờ", "bjo": "bây giờ",
}  # fmt: skip
#: Words after which a teencode form is the ordinary word: "trăm kg", "50 k", "bưng bít".
_TEENCODE_KEEP_AFTER = {
    "kg": {"trăm", "chục", "nghìn", "ngàn", "vạn", "triệu", "mấy", "vài", "tấn", "mỗi"},
    "k": {"trăm", "chục", "mấy", "vài", "mỗi"},
    "bít": {"bưng", "đóng", "lấp"},
}
_SOCIAL_URL = re.compile(r"https?://\S+|www\.\S+")
_SOCIAL_WORD = re.compile(r"[^\W_]+")
_HASHTAG = re.compile(r"(?<![\w#&/])#([^\W\d_][\w]*)")
_DOTTED = re.compile(r"(?<![\w.])(?:[^\W\d_]\.){2,}[^\W\d_](?![\w])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_PUNCT_RUN = re.compile(r"([!?])[!?]+")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0e\ufe0f"
    "\u200d\u20e3\U000e0020-\U000e007f]+"
)
_SPACES_RUN = re.compile(r"[ \t]{2,}")


def normalize_social(text: str) -> str:
    """Social writing made comparable to edited text: teencode, elongation, emoji, hashtags.

    "ko" → "không", "dc" → "được", "khôngggg" → "không", "t.i.ề.n" → "tiền", "#SocTrang" →
    "Soc Trang", emoji dropped. A post written without diacritics gets diacritic-free
    expansions ("ko biet" → "khong biet"), so the gazetteer's gating still applies to it; case is
    kept (it is evidence for the gazetteer). Links are left as they are.
    """
    text = normalize_vi(text)
    bare = not has_diacritics(_SOCIAL_WORD.sub(lambda m: "" if m.group(0).lower() in _TEENCODE
                                                else m.group(0), text))  # fmt: skip
    out, last = [], 0
    for link in _SOCIAL_URL.finditer(text):
        out += [_social_words(text[last : link.start()], bare), link.group(0)]
        last = link.end()
    out.append(_social_words(text[last:], bare))
    lines = (_SPACES_RUN.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(lines).strip()


def _social_words(text: str, bare: bool) -> str:
    text = _EMOJI.sub(" ", text)
    text = _HASHTAG.sub(lambda m: _split_camel(m.group(1).replace("_", " ")), text)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _PUNCT_RUN.sub(r"\1", text)
    text = _SOCIAL_WORD.sub(_unelongate, text)
    previous = [""]

    def expand(match: re.Match[str]) -> str:
        word, before = match.group(0), previous[0]
        previous[0] = word.lower()
        lower = word.lower()
        if lower not in _TEENCODE or before in _TEENCODE_KEEP_AFTER.get(lower, ()):
            return word
        if lower in ("k", "kg") and before.isdigit():
            return word
        if lower in ("r", "j", "z", "ng", "k") and word != lower:
            return word  # a capital R, J, Z, K is an initial, not chat
        full = fold_diacritics(_TEENCODE[lower]) if bare else _TEENCODE[lower]
        if word.isupper() and len(word) > 1:
            return full.upper()
        return full[0].upper() + full[1:] if word[0].isupper() else full

    return _SOCIAL_WORD.sub(expand, text)


def _unelongate(match: re.Match[str]) -> str:
    """ "khôngggg" → "không", "quáaaa" → "quá"; "III", "xxx" and "PPP" are left alone."""
    word = match.group(0)
    folded = fold_diacritics(word).lower()
    if len(set(folded)) < 2 or _ROMAN.match(word) or not re.search(r"(.)\1\1", folded):
        return word
    if not set(folded) & set("aeiouy"):
        return word  # "cccm", "xxxl": abbreviations, not stretched words
    return _collapse_runs(word, folded)


def _split_camel(tag: str) -> str:
    """ "SocTrang" → "Soc Trang", "HCMCity" → "HCM City", "CanTho2025" → "Can Tho 2025"."""
    out = tag[:1]
    for i in range(1, len(tag)):
        prev, char, nxt = tag[i - 1], tag[i], tag[i + 1 : i + 2]
        if (
            (prev.islower() and char.isupper())
            or (prev.isupper() and char.isupper() and nxt.islower())
            or (prev.isalpha() and char.isdigit())
        ):
            out += " "
        out += char
    return out


def _collapse_runs(word: str, folded: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        j = i
        while j + 1 < len(word) and folded[j + 1] == folded[i]:
            j += 1
        run = j - i + 1
        out.append(word[i] if run >= 3 else word[i : j + 1])
        i = j + 1
    return "".join(out)


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

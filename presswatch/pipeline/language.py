"""Language detection: a cheap ISO 639-1 guess from scripts, Vietnamese letters and stopwords.

No model is loaded. Order of evidence: a non-Latin script that dominates the letters (CJK, Khmer,
Thai, Cyrillic, …); then the share of words with letters only Vietnamese uses (ơ, ư, đ, ạ, ả, …);
then stopword counts, with Vietnamese stopwords compared without diacritics so that text typed
without them ("toi khong biet gi ca") is still recognised. Returns "" when unsure.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

#: Text beyond this many characters does not change the answer and is not read.
_SAMPLE_CHARS = 4000
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
#: Letters outside the Latin blocks (Latin Extended Additional, U+1E00-1EFF, is Vietnamese).
_NON_LATIN = re.compile(r"[^\W\d_\u0000-\u036f\u1e00-\u1eff]")
#: Scripts by Unicode range; the first match names the language of a letter.
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x3040, 0x30FF, "ja"),  # hiragana, katakana
    (0xAC00, 0xD7AF, "ko"),  # hangul syllables
    (0x1100, 0x11FF, "ko"),  # hangul jamo
    (0x4E00, 0x9FFF, "zh"),  # CJK unified ideographs (kana decides for Japanese)
    (0x3400, 0x4DBF, "zh"),
    (0x1780, 0x17FF, "km"),  # Khmer
    (0x0E00, 0x0E7F, "th"),  # Thai
    (0x0E80, 0x0EFF, "lo"),  # Lao
    (0x1000, 0x109F, "my"),  # Myanmar
    (0x0400, 0x04FF, "ru"),  # Cyrillic (Ukrainian letters checked below)
    (0x0600, 0x06FF, "ar"),  # Arabic
    (0x0590, 0x05FF, "he"),  # Hebrew
    (0x0370, 0x03FF, "el"),  # Greek
    (0x0900, 0x097F, "hi"),  # Devanagari
)
#: Letters that only Vietnamese uses among languages written in Latin script.
_VIETNAMESE_ONLY = frozenset("ăđơưĩũ") | frozenset(chr(c) for c in range(0x1EA0, 0x1EFA))
_UKRAINIAN = frozenset("іїєґ")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Frequent, distinctive function words. Vietnamese ones are written without diacritics.
STOPWORDS: dict[str, frozenset[str]] = {
    "vi": _wordset(
        "khong cua va nhung duoc trong cac mot cho voi nay da co toi nguoi cung nhu khi ve tu "
        "den lam biet rat thi se con chung sau theo tai nam ngay viec dang phai "
        "minh ho hon nua vao ra gi ca dan anh chi em nhieu moi nen chua tren duoi lai thanh "
        "cuoc nuoc tinh huyen xa cong vien bao gio dieu nhan neu vay roi luon"
    ),
    "en": _wordset(
        "the and of to in is that for it with as was on are be by this have from or at not "
        "but which they you he she we an were has been their will would there what about"
    ),
    "fr": _wordset(
        "le les des et est une dans pour pas qui sur au avec ce il elle nous vous sont du "
        "ne se par plus mais ou comme tout leur aux cette été être fait très"
    ),
    "es": _wordset(
        "el los las del por con una es y para como pero su al lo más sus fue este entre "
        "cuando muy sin sobre también hasta"
    ),
    "de": _wordset(
        "der die und das ist nicht mit den von zu ein eine auf für sich dem des auch es "
        "im ich sie wir werden wird oder aber bei nach"
    ),
    "id": _wordset(
        "yang dan di ini itu dengan untuk tidak dari akan pada ada juga saya dalam kami "
        "mereka oleh karena sudah bisa atau"
    ),
}
_MIN_WORDS = 3
#: Shares of words with Vietnamese-only letters (VNTC news: 99 % of texts are above 0.40).
_VIETNAMESE_WORD_SHARE_SURE = 0.4
_VIETNAMESE_WORD_SHARE = 0.25
_WEAK_SHARE = 0.03
_MIN_STOPWORD_SHARE = 0.12


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("vi", "en", "fr", "zh", "km", …), "" when unsure."""
    sample = unicodedata.normalize("NFC", text[:_SAMPLE_CHARS]).lower()
    script = _dominant_script(sample)
    if script:
        return script
    words = _WORD.findall(sample)
    if len(words) < _MIN_WORDS:
        return ""
    share = sum(not _VIETNAMESE_ONLY.isdisjoint(word) for word in words) / len(words)
    if share >= _VIETNAMESE_WORD_SHARE_SURE:
        return "vi"
    by_stopwords = _by_stopwords(words, _WORD.findall(_fold(sample)))
    if by_stopwords and by_stopwords != "vi":
        return by_stopwords  # English or French text that names Vietnamese people and places
    if share >= _VIETNAMESE_WORD_SHARE or (not by_stopwords and share >= _WEAK_SHARE):
        return "vi"  # the weak share: lists of foreign names held together by Vietnamese words
    return by_stopwords


def _dominant_script(sample: str) -> str:
    """The language of a non-Latin script holding most of the letters, else ""."""
    letters = len(_LETTER.findall(sample))
    counts: Counter[str] = Counter()
    for ch in _NON_LATIN.findall(sample):
        code = ord(ch)
        for low, high, language in _SCRIPTS:
            if low <= code <= high:
                counts[language] += 1
                break
    if not counts or letters == 0:
        return ""
    if counts["ja"] and counts["ja"] >= 0.1 * (counts["ja"] + counts["zh"]):
        counts["ja"] += counts.pop("zh", 0)
    language, count = counts.most_common(1)[0]
    if count < 0.5 * letters:
        return ""
    if language == "ru" and any(ch in _UKRAINIAN for ch in sample):
        return "uk"
    return language


def _by_stopwords(words: list[str], folded: list[str]) -> str:
    """The language whose stopwords make up the largest share of the words, if large enough."""
    scores = {
        language: sum(word in stops for word in (folded if language == "vi" else words))
        for language, stops in STOPWORDS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    if hits < 2 or hits < _MIN_STOPWORD_SHARE * len(words) or hits < 1.5 * runner_up:
        return ""
    return best


def _fold(text: str) -> str:
    """The text without diacritics (đ → d), as Vietnamese typed without them would be."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

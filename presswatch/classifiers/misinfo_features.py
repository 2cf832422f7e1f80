"""Misinformation content model: the features of a post (text, posting style, engagement, time).

Nothing here looks at who posted: the model sees a post's words, how it is written, how people
reacted to it and when it appeared. Engagement that is not known (``None``) stays missing rather
than zero, so a news article without counts is not mistaken for a post nobody reacted to.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from presswatch.classifiers.vietnamese import normalize_vi

VIETNAM_TIME = timezone(timedelta(hours=7))
#: Longer texts are cut for the text features: the opening carries the claim, and the bound
#: keeps the cost of one hostile, huge post small. Length features see the whole text.
MAX_TEXT_CHARS = 5000
_URL = re.compile(r"<url>|https?://\S+|www\.\S+", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")
_HASHTAG = re.compile(r"#[^\W_]\w*")
_WORD_TOKENS = r"(?u)\b\w+\b|[!?]+"
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


class PostLike(Protocol):
    """What the model reads of a post: text, time and engagement counts (None = not known)."""

    @property
    def text(self) -> str: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def likes(self) -> int | None: ...
    @property
    def comments(self) -> int | None: ...
    @property
    def shares(self) -> int | None: ...


@dataclass(slots=True)
class PostInput:
    """A post to score; the pipeline builds one from a Document (engagement None = unknown)."""

    text: str
    published_at: datetime | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None


def normalize_text(text: str) -> str:
    """Text as the text features see it: NFC, one tone-mark style, lower case, URLs as a token."""
    text = normalize_vi(text[:MAX_TEXT_CHARS].replace("\0", " ")).lower()
    return _URL.sub(" urltoken ", text)


#: (name, how an analyst reads a high value) of each meta feature, in column order.
META_FEATURES: tuple[tuple[str, str], ...] = (
    ("log_likes", "nhiều lượt thích"),
    ("log_comments", "nhiều bình luận"),
    ("log_shares", "nhiều lượt chia sẻ"),
    ("comments_per_like", "bình luận nhiều so với lượt thích"),
    ("shares_per_like", "chia sẻ nhiều so với lượt thích"),
    ("no_engagement", "không có tương tác"),
    ("hour", "giờ đăng"),
    ("weekday", "ngày trong tuần"),
    ("year", "năm đăng"),
    ("log_length", "độ dài bài"),
    ("exclamations", "nhiều dấu chấm than"),
    ("questions", "nhiều dấu hỏi"),
    ("caps_letters", "nhiều chữ in hoa"),
    ("caps_words", "nhiều từ viết hoa toàn bộ"),
    ("emoji", "nhiều biểu tượng cảm xúc"),
    ("urls", "có đường dẫn"),
    ("phones", "có số điện thoại"),
    ("hashtags", "có hashtag"),
    ("line_breaks", "nhiều xuống dòng"),
    ("no_diacritics", "nhiều chữ không dấu"),
    ("digits", "nhiều chữ số"),
)
META_NAMES = tuple(name for name, _ in META_FEATURES)


def meta_matrix(posts: Sequence[PostLike]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Engagement, time and style features of posts, one row each (NaN = not known)."""
    return np.array([meta_row(post) for post in posts], dtype=np.float64).reshape(
        len(posts), len(META_FEATURES)
    )


def meta_row(post: PostLike) -> list[float]:
    """The meta features of one post, in META_FEATURES order."""
    return [*_engagement(post), *_time(post.published_at), *_style(post.text)]


def _engagement(post: PostLike) -> list[float]:
    counts = (post.likes, post.comments, post.shares)
    if any(count is None for count in counts):
        return [math.nan] * 6
    likes, comments, shares = (math.log1p(max(int(c or 0), 0)) for c in counts)
    return [likes, comments, shares, comments - likes, shares - likes, float(not any(counts))]


def _time(when: datetime | None) -> list[float]:
    if when is None:
        return [math.nan] * 3
    local = when.astimezone(VIETNAM_TIME) if when.tzinfo else when  # naive = office time
    return [float(local.hour), float(local.weekday()), float(local.year)]


def _style(text: str) -> list[float]:
    size = max(len(text), 1)
    letters = [c for c in text if c.isalpha()]
    words = text.split()
    syllables = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    return [
        math.log1p(len(text)),
        100 * text.count("!") / size,
        100 * text.count("?") / size,
        sum(c.isupper() for c in letters) / max(len(letters), 1),
        sum(w.isupper() and len(w) > 1 for w in words) / max(len(words), 1),
        float(len(_EMOJI.findall(text))),
        float(len(_URL.findall(text))),
        float(len(_PHONE.findall(text))),
        float(len(_HASHTAG.findall(text))),
        100 * text.count("\n") / size,
        sum(set(s) <= _ASCII_LETTERS for s in syllables) / max(len(syllables), 1),
        100 * sum(c.isdigit() for c in text) / size,
    ]


class TextFeatures:
    """Word (syllable 1–2-gram) and character (2–6-gram) TF-IDF of normalised text."""

    def __init__(self, max_char_features: int = 300_000) -> None:
        self.words = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=_WORD_TOKENS,
            lowercase=False, dtype=np.float32,
        )  # fmt: skip
        self.chars = TfidfVectorizer(
            analyzer="char", ngram_range=(2, 6), min_df=3, sublinear_tf=True,
            max_features=max_char_features, lowercase=False, dtype=np.float32,
        )  # fmt: skip

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn vocabularies and IDF from normalised texts; return their features."""
        matrix = sp.hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)])
        for vectorizer in (self.words, self.chars):
            if hasattr(vectorizer, "stop_words_"):  # older scikit-learn: large, inspection only
                del vectorizer.stop_words_
        return matrix.tocsr()

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Features of normalised texts."""
        return sp.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def __getstate__(self) -> dict[str, Any]:
        # A vocabulary of ~300,000 terms as a dict takes joblib's pure-Python unpickler ~1.5 s;
        # packed into one string it loads in a few milliseconds and is rebuilt here.
        state: dict[str, Any] = {}
        for name in ("words", "chars"):
            vectorizer = copy.copy(getattr(self, name))
            vocabulary = vectorizer.__dict__.pop("vocabulary_", None)
            state[name] = vectorizer
            state[f"{name}_terms"] = None if vocabulary is None else _pack(vocabulary)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in ("words", "chars"):
            vectorizer = state[name]
            if state[f"{name}_terms"] is not None:
                vectorizer.vocabulary_ = _unpack(state[f"{name}_terms"])
            setattr(self, name, vectorizer)

    @property
    def word_terms(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """The word n-grams, in column order (they come first in the matrix)."""
        return np.asarray(self.words.get_feature_names_out())


def _pack(vocabulary: dict[str, int]) -> str:
    """Terms in column order, joined by NUL (which normalised text never contains)."""
    terms = [""] * len(vocabulary)
    for term, column in vocabulary.items():
        terms[column] = term
    return "\0".join(terms)


def _unpack(packed: str) -> dict[str, int]:
    return {term: column for column, term in enumerate(packed.split("\0"))} if packed else {}

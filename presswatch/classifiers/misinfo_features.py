"""Misinformation content model: the features of a post (text, posting style, engagement, time).

Nothing here looks at who posted: the model sees a post's words, how it is written, how people
reacted to it and when it appeared. Engagement that is not known (``None``) stays missing rather
than zero, so a news article without counts is not mistaken for a post nobody reacted to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import numpy as np

from presswatch.classifiers.vietnamese import normalize_vi

VIETNAM_TIME = timezone(timedelta(hours=7))
#: Longer texts are cut for the text features: the opening carries the claim, and the bound
#: keeps the cost of one hostile, huge post small. Length features see the whole text.
MAX_TEXT_CHARS = 5000
_URL = re.compile(r"<url>|https?://\S+|www\.\S+", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")
_HASHTAG = re.compile(r"#[^\W_]\w*")
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

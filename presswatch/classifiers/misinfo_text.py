"""Misinformation content model: TF-IDF of a post's words and characters.

The features are those of scikit-learn's TfidfVectorizer (word and char analyzers, sublinear
TF, smooth IDF, L2 per block), computed here with the same result (a test compares the two):
scikit-learn counts n-grams in a Python loop, ~4 ms for an average post with character
2–6-grams. Here character n-grams are rolling 64-bit hashes computed with numpy and found by
binary search among the vocabulary's hashes (~0.3 ms); the character vocabulary is learnt on
the hashes too (8 s → ~1 s for ReINTEL). Two n-grams sharing a hash (odds ~1e-6 for a whole
corpus) would share a column. The fitted state is plain data: the model file holds no
scikit-learn objects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise, repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

WORD_TOKENS = r"(?u)\b\w+\b|[!?]+"
CHAR_RANGE = (2, 6)
CHAR_MIN_DF = 3
_WORD = re.compile(WORD_TOKENS)
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char analyzer
_MASK = (1 << 64) - 1
_MULTIPLIER = 0x9E3779B97F4A7C15
_SEED = 0x243F6A8885A308D3


class TextFeatures:
    """Word (syllable 1–2-gram) and character (2–6-gram) TF-IDF, each block L2-normalised."""

    def __init__(self, max_char_features: int = 300_000) -> None:
        self.max_char_features = max_char_features
        self.word_vocab: dict[str, int] = {}
        self.word_idf = np.zeros(0)
        self.char_hashes = np.zeros(0, np.uint64)  # sorted
        self.char_columns = np.zeros(0, np.intp)  # column of each sorted hash
        self.char_idf = np.zeros(0)

    def fit(self, texts: Sequence[str]) -> TextFeatures:
        """Learn vocabularies and IDF from normalised texts."""
        words = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=WORD_TOKENS,
            lowercase=False,
        ).fit(texts)  # fmt: skip
        self.word_vocab, self.word_idf = dict(words.vocabulary_), np.asarray(words.idf_)
        self._fit_chars(texts)
        return self

    def _fit_chars(self, texts: Sequence[str]) -> None:
        """Character n-grams in at least CHAR_MIN_DF texts, as TfidfVectorizer(min_df=…) keeps.

        Columns are in hash order (scikit-learn's are alphabetical); IDF is its smooth IDF.
        """
        per_text = [np.unique(_ngram_hashes(text), return_counts=True) for text in texts]
        hashes = np.concatenate([h for h, _ in per_text]) if per_text else np.zeros(0, np.uint64)
        counts = np.concatenate([c for _, c in per_text]) if per_text else np.zeros(0, np.intp)
        order = np.argsort(hashes, kind="stable")
        hashes, counts = hashes[order], counts[order]
        starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]]) if hashes.size else order
        vocab, totals = hashes[starts], np.add.reduceat(counts, starts) if starts.size else counts
        df = np.diff(np.r_[starts, hashes.size])
        keep = np.flatnonzero(df >= CHAR_MIN_DF)
        if keep.size > self.max_char_features:  # the most frequent, as max_features does
            keep = np.sort(keep[np.argsort(-totals[keep], kind="stable")[: self.max_char_features]])
        self.char_hashes, self.char_columns = vocab[keep], np.arange(keep.size, dtype=np.intp)
        self.char_idf = np.log((1 + len(texts)) / (1 + df[keep])) + 1.0

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Features of normalised texts: word block, then character block."""
        offset = len(self.word_vocab)
        rows = [self._row(text, offset) for text in texts]
        indptr = np.cumsum([0, *(len(cols) for cols, _ in rows)])
        indices = np.concatenate([cols for cols, _ in rows]) if rows else np.zeros(0, np.intp)
        data = np.concatenate([vals for _, vals in rows]) if rows else np.zeros(0)
        shape = (len(texts), offset + len(self.char_idf))
        return sp.csr_matrix((data, indices, indptr), shape=shape)

    def __getstate__(self) -> dict[str, Any]:
        # joblib unpickles a dict of ~60,000 terms in pure Python (~0.3 s); one string is quick.
        return {**self.__dict__, "word_vocab": "\0".join(_terms(self.word_vocab))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.word_vocab = _vocabulary(state["word_vocab"])

    def _row(self, text: str, offset: int) -> tuple[Any, Any]:
        word_cols, word_tf = self._word_counts(text)
        char_cols, char_tf = self._char_counts(text)
        word_vals = _weigh(word_cols, word_tf, self.word_idf)
        char_vals = _weigh(char_cols, char_tf, self.char_idf)
        return np.concatenate([word_cols, char_cols + offset]), np.concatenate(
            [word_vals, char_vals]
        )

    def _word_counts(self, text: str) -> tuple[Any, Any]:
        tokens = _WORD.findall(text)
        counts = Counter(tokens)
        counts.update(map(" ".join, pairwise(tokens)))
        size = len(counts)
        cols = np.fromiter(map(self.word_vocab.get, counts.keys(), repeat(-1, size)), np.intp, size)
        tf = np.fromiter(counts.values(), np.float64, size)
        return _sorted_known(cols, tf)

    def _char_counts(self, text: str) -> tuple[Any, Any]:
        hashes, counts = np.unique(_ngram_hashes(text), return_counts=True)
        if not self.char_hashes.size or not hashes.size:
            return np.zeros(0, np.intp), np.zeros(0)
        place = np.minimum(np.searchsorted(self.char_hashes, hashes), self.char_hashes.size - 1)
        known = self.char_hashes[place] == hashes
        return _sorted_known(self.char_columns[place[known]], counts[known].astype(np.float64))


def _ngram_hashes(text: str) -> Any:
    """Rolling hashes of every character n-gram of the text (after whitespace folding)."""
    raw = _WHITE_SPACES.sub(" ", text).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(raw, dtype=np.uint32).astype(np.uint64)
    low, high = CHAR_RANGE
    found = []
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        rolling = np.uint64((_SEED * _MULTIPLIER) & _MASK) + codes
        for n in range(2, min(high, len(codes)) + 1):
            rolling = rolling[:-1] * np.uint64(_MULTIPLIER) + codes[n - 1 :]
            if n >= low:
                found.append(rolling)
    return np.concatenate(found) if found else np.zeros(0, np.uint64)


def term_hash(term: str) -> int:
    """The hash ``_ngram_hashes`` gives the n-gram ``term``."""
    value = _SEED
    for char in term:
        value = (value * _MULTIPLIER + ord(char)) & _MASK
    return value


def _sorted_known(cols: Any, tf: Any) -> tuple[Any, Any]:
    known = cols >= 0
    cols, tf = cols[known], tf[known]
    order = np.argsort(cols)
    return cols[order], tf[order]


def _weigh(cols: Any, tf: Any, idf: Any) -> Any:
    """L2-normalised sublinear TF-IDF values."""
    if not cols.size:
        return np.zeros(0)
    values = (1.0 + np.log(tf)) * idf[cols]
    return values / np.sqrt(np.dot(values, values))


def _vocabulary(packed: str) -> dict[str, int]:
    return {term: column for column, term in enumerate(packed.split("\0"))} if packed else {}


def _terms(vocab: dict[str, int]) -> list[str]:
    terms = [""] * len(vocab)
    for term, column in vocab.items():
        terms[column] = term
    return terms

"""The views of a text that the classifiers share: headline and body, tokens, n-grams."""

from __future__ import annotations

from presswatch.classifiers.vietnamese import normalize_vi, syllables

#: A first line longer than this is a paragraph, not a headline.
MAX_TITLE_CHARS = 200


def headline_end(text: str) -> int:
    """Where a headline given as the first line of a text ends (0 when the text has none)."""
    newline = text.find("\n")
    if 0 < newline <= MAX_TITLE_CHARS and text[:newline].strip() and text[newline:].strip():
        return newline
    return 0


def split_title(title: str, text: str) -> tuple[str, str]:
    """(headline, body), normalised; without a title, a short first line is taken as headline."""
    title, text = normalize_vi(title), normalize_vi(text)
    if title.strip():
        return title, text
    end = headline_end(text)
    return (text[:end], text[end + 1 :]) if end else ("", text)


def tokens(text: str) -> list[str]:
    """Lower-case syllables and numbers of a normalised text."""
    return [t.lower() for t in syllables(text)]


def ngrams(toks: list[str], n: int = 2) -> list[str]:
    """Every 1- to n-gram of a token list, joined by spaces."""
    out = list(toks)
    for size in range(2, n + 1):
        out.extend(" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1))
    return out

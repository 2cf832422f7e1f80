"""Clean: Unicode NFC and tone-mark normalisation, canonical URL, language, content hash."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from presswatch.classifiers.vietnamese import normalize_vi
from presswatch.crawlers.urls import canonicalize
from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.language import detect_language
from presswatch.settings import Settings

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
MIN_SOCIAL_CHARS = 10  # a post of a few words is still a post


def clean_text(text: str) -> str:
    """Normalised text: NFC, one tone-mark style, no control characters, tidy whitespace."""
    text = normalize_vi(_CONTROL.sub("", text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def content_hash(text: str) -> str:
    """Hash of the body text, blind to case and whitespace: equal hashes mean the same text."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


class Normalize:
    """Normalises a document's text and identity; drops empty and foreign-language documents."""

    name = "normalize"
    serial = True

    def __init__(self, languages: tuple[str, ...], min_chars: int) -> None:
        self.languages = languages
        self.min_chars = min_chars

    @classmethod
    def from_settings(cls, settings: Settings, **_: Any) -> Normalize:
        return cls(tuple(settings.languages), settings.min_text_chars)

    def process(self, doc: Document) -> Document:
        if doc.extra.get("extraction_error"):
            raise Drop(f"extraction failed: {doc.extra['extraction_error']}")
        doc.title = clean_text(doc.title).replace("\n", " ")
        doc.text = clean_text(doc.text)
        doc.canonical_url = doc.canonical_url or canonicalize(doc.url)
        minimum = MIN_SOCIAL_CHARS if doc.source_kind == "social" else self.min_chars
        if len(doc.text) < minimum:
            raise Drop(f"empty: {len(doc.text)} characters of text (minimum {minimum})")
        doc.language = doc.language or detect_language(f"{doc.title}\n{doc.text}")
        if self.languages and doc.language and doc.language not in self.languages:
            raise Drop(f"language: {doc.language} (kept: {', '.join(self.languages)})")
        doc.content_hash = content_hash(doc.text)
        return doc

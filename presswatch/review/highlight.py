"""Review desk: evidence in crawled text — find the matched sentences and terms, escape, then mark.

Crawled text is hostile. Every piece of it is escaped with markupsafe before the only markup this
module adds (``<mark>``) is put around escaped pieces, so no byte of the input becomes HTML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from markupsafe import Markup, escape

#: Keys of a signal's evidence whose values are text found in the document.
SNIPPET_KEYS = frozenset(
    {
        "sentence", "sentences", "matched_sentence", "matched_sentences", "matched", "match",
        "matches", "quote", "quotes", "span_text", "term", "terms", "matched_terms", "keywords",
        "phrase", "phrases", "evidence",
    }
)  # fmt: skip
SENTENCE_KEYS = frozenset(
    {"sentence", "sentences", "matched_sentence", "matched_sentences", "spans", "quote", "quotes"}
)
TERM_KEYS = frozenset({"term", "terms", "matched_terms", "keywords"})
CLAIM_KEYS = frozenset({"claim_id", "claim_ids", "fact_id", "fact_ids"})
MIN_SNIPPET = 2
MAX_MARKS = 300


def evidence_snippets(evidence: Any) -> list[str]:
    """The strings under the snippet keys of an evidence structure (nested dicts and lists).

    When the evidence locates a sentence, its separate terms are not marked all over the text.
    """
    pairs = list(_walk(evidence))
    located = any(key in SENTENCE_KEYS for key, _ in pairs)
    found: list[str] = []
    for key, value in pairs:
        if key in SNIPPET_KEYS and not (located and key in TERM_KEYS):
            found.extend(_strings(value))
    return _dedupe(s.strip() for s in found if len(s.strip()) >= MIN_SNIPPET)


def evidence_spans(evidence: Any) -> list[tuple[int, int]]:
    """Character offsets in the text, given as ``"spans": [[start, end], …]`` in evidence."""
    spans: list[tuple[int, int]] = []
    for key, value in _walk(evidence):
        if key == "spans" and isinstance(value, list):
            spans.extend(pair for pair in map(_pair, value) if pair[1])
    return spans


def evidence_claim_ids(evidence: Any) -> list[int]:
    """Ids of claims named by an evidence structure."""
    ids: list[int] = []
    for key, value in _walk(evidence):
        if key in CLAIM_KEYS:
            values = value if isinstance(value, list) else [value]
            ids.extend(int(v) for v in values if isinstance(v, int) and not isinstance(v, bool))
    return list(dict.fromkeys(ids))


def _walk(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (key, value) for every value in a tree of dicts and lists."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k), v
            yield from _walk(v, str(k))
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict | list):
                yield from _walk(item, key)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [v for k, v in value.items() if k in {"text", "sentence"} and isinstance(v, str)]
    return []


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, dict):
        value = [value.get("start"), value.get("end")]
    if isinstance(value, list | tuple) and len(value) == 2:
        start, end = value
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
            return (start, end)
    return (0, 0)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def find_spans(text: str, snippets: Iterable[str]) -> list[tuple[int, int]]:
    """Where the snippets occur in the text (case-insensitive, whitespace-tolerant)."""
    spans: list[tuple[int, int]] = []
    for snippet in snippets:
        words = unicodedata.normalize("NFC", snippet).split()
        if not words:
            continue
        pattern = r"\s+".join(re.escape(w) for w in words)
        if re.fullmatch(r"\w+", pattern, flags=re.UNICODE):
            pattern = rf"(?<!\w){pattern}(?!\w)"  # a single term matches whole words only
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            spans.append(match.span())
            if len(spans) >= MAX_MARKS:
                return spans
    return spans


def merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clipped to the text, sorted, with overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> Markup:
    """The text escaped, with each span wrapped in ``<mark>``."""
    out: list[str] = []
    position = 0
    for start, end in merge_spans(spans, len(text)):
        out.append(str(escape(text[position:start])))
        out.append(f'<mark class="evidence">{escape(text[start:end])}</mark>')
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def highlight_evidence(
    text: str, evidences: Iterable[Any], *, offsets: bool = True
) -> tuple[Markup, int]:
    """The text escaped with evidence snippets (and offsets, for the body) marked; mark count."""
    snippets: list[str] = []
    spans: list[tuple[int, int]] = []
    for evidence in evidences:
        snippets.extend(evidence_snippets(evidence))
        if offsets:
            spans.extend(evidence_spans(evidence))
    if not unicodedata.is_normalized("NFC", text):
        text, spans = unicodedata.normalize("NFC", text), []  # offsets no longer fit
    spans.extend(find_spans(text, _dedupe(snippets)))
    merged = merge_spans(spans, len(text))
    return highlight(text, merged), len(merged)

"""Claims: schema.org ClaimReview markup in a fact-checker's page → claim-base entries.

Reads the page's JSON-LD blocks only (never fetches): ``claimReviewed`` is the claim,
``reviewRating`` (``alternateName``, or ``ratingValue`` between ``worstRating`` and
``bestRating``) says whether it is false or true, ``url`` and ``datePublished`` are the review's
link and date, ``itemReviewed`` tells where the claim appeared. Crawled pages are hostile input:
every string is bounded and anything malformed is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree

from presswatch.claims.records import ClaimEntry, parse_when
from presswatch.classifiers.vietnamese import fold_diacritics

MAX_TEXT = 2000
MAX_BLOCK = 500_000
#: Ratings (folded, lower case) that mean the claim is false or misleading, and that it is true.
FALSE_RATINGS = (
    "sai", "sai su that", "tin gia", "sai lech", "bia dat", "xuyen tac", "khong dung",
    "gay hieu lam", "false", "fake", "misleading", "incorrect", "pants on fire", "mostly false",
)  # fmt: skip
TRUE_RATINGS = ("dung", "dung su that", "chinh xac", "true", "correct", "accurate", "mostly true")


def parse_claimreviews(html: bytes | str, page_url: str = "") -> list[ClaimEntry]:
    """The ClaimReview entries of a page (false claims and, when rated true, facts)."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    description = _meta(tree, "description") or _meta(tree, "og:description")
    out = []
    for block in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (block.text or "")[:MAX_BLOCK]
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for review in _reviews(data):
            entry = _entry(review, page_url, description)
            if entry is not None:
                out.append(entry)
    return out


def _reviews(data: Any) -> Iterator[dict[str, Any]]:
    """ClaimReview objects at the top level, in lists and in ``@graph``."""
    if isinstance(data, list):
        for item in data:
            yield from _reviews(item)
    elif isinstance(data, dict):
        kinds = data.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "ClaimReview" in kinds:
            yield data
        yield from _reviews(data.get("@graph", []))


def _entry(review: dict[str, Any], page_url: str, description: str) -> ClaimEntry | None:
    claim = _text(review.get("claimReviewed"))
    verdict = _verdict(review.get("reviewRating"))
    if not claim or verdict is None:
        return None
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    assert isinstance(item, dict)
    origin = {
        "rating": _text(_get(review.get("reviewRating"), "alternateName")),
        "rating_value": _get(review.get("reviewRating"), "ratingValue"),
        "appearances": _appearances(item),
        "claim_date": _text(item.get("datePublished")),
        "reviewer": _text(_get(review.get("author"), "name")),
    }
    correction = _text(review.get("reviewBody")) or _text(review.get("description")) or description
    return ClaimEntry(
        kind=verdict, text=claim, title=_text(review.get("name") or review.get("headline")),
        correction=correction if verdict == "false_claim" else "",
        source_url=_url(review.get("url")) or page_url,
        published_at=_date(review.get("datePublished")), keywords=_keywords(review),
        origin={k: v for k, v in origin.items() if v not in ("", None, [])},
    )  # fmt: skip


def _verdict(rating: Any) -> str | None:
    """ "false_claim", "fact" or None (no rating, or one that says neither)."""
    if not isinstance(rating, dict):
        return None
    name = fold_diacritics(_text(rating.get("alternateName")).lower()).strip(" .!")
    if name in FALSE_RATINGS:
        return "false_claim"
    if name in TRUE_RATINGS:
        return "fact"
    try:
        value = float(rating["ratingValue"])
        worst = float(rating.get("worstRating", 1))
        best = float(rating.get("bestRating", 5))
    except (KeyError, TypeError, ValueError):
        return None
    if best <= worst:
        return None
    share = (value - worst) / (best - worst)
    return "false_claim" if share <= 0.25 else "fact" if share >= 0.75 else None


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value).split())[:MAX_TEXT] if isinstance(value, str | int | float) else ""


def _url(value: Any) -> str:
    url = _text(value)
    return url if url.lower().startswith(("http://", "https://")) else ""


def _date(value: Any) -> datetime | None:
    return parse_when(_text(value))


def _appearances(item: dict[str, Any]) -> list[str]:
    found = item.get("appearance") or item.get("firstAppearance") or []
    found = found if isinstance(found, list) else [found]
    urls = [_url(_get(a, "url")) or _url(a) for a in found[:20]]
    return [u for u in urls if u]


def _keywords(review: dict[str, Any]) -> tuple[str, ...]:
    raw = review.get("keywords")
    words = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return tuple(w for w in (_text(k)[:100] for k in words[:30]) if w)


def _meta(tree: Any, name: str) -> str:
    for attr in ("name", "property"):
        found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
        if found:
            return _text(str(found[0]))
    return ""

"""Extraction: one saved or fetched page to headline, lead and body text plus metadata.

The steps, each in its own module: bytes → tree (``extract_html``), metadata (``extract_meta``,
``extract_dates``), body (``extract_body``: boilerplate removal, then a hinted container or
trafilatura), tidy lines and headline + lead in front (``extract_lines``). Per-outlet hints come
from the caller (config/sources.toml) or, by domain, from ``extract_hints.DEFAULT_HINTS``.
Nothing here fetches: links in the page are never followed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import lxml.html

from presswatch.crawlers import extract_body as body
from presswatch.crawlers.extract_eval import tokens
from presswatch.crawlers.extract_hints import hints_for
from presswatch.crawlers.extract_html import parse
from presswatch.crawlers.extract_lines import assemble, find_lead, tidy
from presswatch.crawlers.extract_listing import LISTING_SHARE, teaser_share, teaser_texts
from presswatch.crawlers.extract_meta import PageMeta, read_meta
from presswatch.errors import ExtractionError
from presswatch.pipeline.language import detect_language
from presswatch.sources import ExtractHints

log = logging.getLogger(__name__)

#: A body with fewer words than this (headline and lead not counted) is no article.
MIN_BODY_WORDS = 25
#: When the body without image captions keeps less than this share of the words it has with them,
#: the captions carry the story (a photo story) and are kept.
PHOTO_STORY_SHARE = 0.4


@dataclass(slots=True)
class Extracted:
    """What extraction found in one page."""

    title: str
    text: str  # headline, lead and body paragraphs, one per line
    published_at: datetime | None
    author: str
    language: str
    description: str = ""
    canonical_url: str = ""
    image_url: str = ""


def extract(
    html: bytes | str,
    url: str | None = None,
    hints: ExtractHints | None = None,
    *,
    default_hints: bool = True,
) -> Extracted:
    """Extract headline, text and metadata from a page; ExtractionError when there is no article."""
    # Without hints (or with empty ones) the built-in hints of the URL's domain apply, unless
    # default_hints is False.
    tree = _parse(html)
    if default_hints and (hints is None or hints == ExtractHints()):
        hints = hints_for(url or "")
    meta = read_meta(tree, url or "", hints)
    if default_hints and hints is None and not url:
        hints = hints_for(meta.canonical_url)
    lead = find_lead(tree, meta.description, meta.title)
    body.strip_never_text(tree)
    headlines, teasers = teaser_texts(tree)
    lines, trailer = _body_lines(tree, url or meta.canonical_url, hints, meta.title)
    where = url or "the page"
    if _words(lines) < MIN_BODY_WORDS:
        raise ExtractionError(f"no article text in {where} (body under {MIN_BODY_WORDS} words)")
    share = teaser_share(lines, headlines - {meta.title}, teasers)
    if share >= LISTING_SHARE:
        raise ExtractionError(f"{where} is a listing page ({share:.0%} of its text are teasers)")
    if meta.page_type == "website" and meta.published_at is None:
        raise ExtractionError(f"{where} is a listing page (og:type website, no publication date)")
    text = assemble(meta.title, lead, lines)
    return _result(meta, text, meta.author or trailer)


def _parse(html: bytes | str) -> lxml.html.HtmlElement:
    try:
        return parse(html)
    except ValueError as exc:
        raise ExtractionError(str(exc)) from None


def _body_lines(
    tree: lxml.html.HtmlElement, url: str, hints: ExtractHints | None, title: str
) -> tuple[list[str], str]:
    """Body lines without captions; with captions when they hold most of the words (photo story)."""
    with_captions = _copy(tree)
    body.strip_boilerplate(tree, hints)
    lines, trailer = tidy(_raw_body(tree, url, hints), title)
    if _words(lines) >= MIN_BODY_WORDS * 4:
        return lines, trailer
    body.strip_boilerplate(with_captions, hints, keep_captions=True)
    more, more_trailer = tidy(_raw_body(with_captions, url, hints), title)
    if _words(lines) < PHOTO_STORY_SHARE * _words(more):
        log.debug("photo story: keeping image captions for %s", url)
        return more, more_trailer
    return lines, trailer


def _raw_body(tree: lxml.html.HtmlElement, url: str, hints: ExtractHints | None) -> str:
    hinted = body.hinted_text(tree, hints)
    if hinted is not None and len(tokens(hinted)) >= MIN_BODY_WORDS:
        return hinted
    return body.trafilatura_text(tree, url)


def _copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    from copy import deepcopy

    return deepcopy(tree)


def _words(lines: list[str]) -> int:
    return sum(len(tokens(line)) for line in lines)


def _result(meta: PageMeta, text: str, author: str) -> Extracted:
    return Extracted(
        title=meta.title,
        text=text,
        published_at=meta.published_at,
        author=author,
        language=detect_language(text),
        description=meta.description,
        canonical_url=meta.canonical_url,
        image_url=meta.image_url,
    )

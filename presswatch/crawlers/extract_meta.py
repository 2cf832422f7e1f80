"""Extraction, step 2: page metadata (headline, date, author, lead) from og:, JSON-LD, meta."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from presswatch.crawlers.extract_body import render
from presswatch.crawlers.extract_dates import parse_date, visible_date
from presswatch.crawlers.extract_eval import tokens
from presswatch.crawlers.extract_hints import select_first
from presswatch.sources import ExtractHints

_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenews", "analysisnewsarticle"}
_DATE_KEYS = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "og:published_time",
    "dc.date.issued",
    "dcterms.created",
    "date",
    "parsely-pub-date",
    "sailthru.date",
)
_AUTHOR_KEYS = ("article:author", "author", "dc.creator", "byl", "sailthru.author")
_TITLE_SPLIT = re.compile(r"\s+[-|–—:]\s+|:\s")
_MAX_LD_CHARS = 200_000


@dataclass(slots=True)
class PageMeta:
    """What a page says about itself in its head and its headline elements."""

    title: str = ""
    description: str = ""
    published_at: datetime | None = None
    author: str = ""
    canonical_url: str = ""
    image_url: str = ""
    site_name: str = ""
    page_type: str = ""  # og:type, e.g. "article" or "website"


def clean_space(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) into one space."""
    return " ".join(text.split())


def read_meta(
    tree: lxml.html.HtmlElement, url: str = "", hints: ExtractHints | None = None
) -> PageMeta:
    """Read title, date, author, description, canonical URL and image from the page's markup."""
    tags = meta_tags(tree)
    ld = json_ld_article(tree)
    site = tags.get("og:site_name", "")
    canonical = _canonical(tree, tags, url)
    return PageMeta(
        title=_title(tree, tags, ld, hints),
        description=clean_space(tags.get("og:description") or tags.get("description", "")),
        published_at=_published(tree, tags, ld),
        author=_author(tree, tags, ld, site, canonical or url),
        canonical_url=canonical,
        image_url=_absolute(_ld_image(ld) or tags.get("og:image", ""), canonical or url),
        site_name=clean_space(site),
        page_type=tags.get("og:type", "").strip().lower(),
    )


def meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Map lowercased meta name/property/itemprop to the first non-empty content."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = (el.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def json_ld_article(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (empty when none or when unparseable)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "")[:_MAX_LD_CHARS]
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # hostile pages nest arrays thousands deep
            continue
        for obj in _ld_objects(data):
            if _ld_types(obj) & _ARTICLE_TYPES:
                return obj
    return {}


def _ld_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Walk JSON-LD lists and @graph containers, yielding the objects in them."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _ld_objects(data.get("@graph"), depth + 1)


def _ld_types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _ld_text(value: Any) -> str:
    return clean_space(value) if isinstance(value, str) else ""


def _title(
    tree: lxml.html.HtmlElement,
    tags: dict[str, str],
    ld: dict[str, Any],
    hints: ExtractHints | None,
) -> str:
    """The visible headline: hinted element, else the h1 agreeing with og:/<title>, else those."""
    hinted = select_first(tree, hints.title_selector) if hints and hints.title_selector else None
    if hinted is not None and clean_space(hinted.text_content()):
        return clean_space(hinted.text_content())
    declared = [
        clean_space(tags.get("og:title", "")),
        clean_space(tags.get("twitter:title", "")),
        _ld_text(ld.get("headline")),
        clean_space(_title_tag(tree)),
    ]
    declared = [text for text in declared if text]
    for h1 in tree.iter("h1"):
        text = clean_space(h1.text_content())
        if text and any(_agrees(text, other) for other in declared):
            return text
    if declared:
        return strip_site_suffix(declared[0])
    h1s = [clean_space(h1.text_content()) for h1 in tree.iter("h1")]
    return next((text for text in h1s if text), "")


def _title_tag(tree: lxml.html.HtmlElement) -> str:
    title = tree.find(".//title")
    return title.text_content() if title is not None else ""


def _agrees(headline: str, declared: str) -> bool:
    """True when most words of a visible headline occur in a declared title, or the reverse."""
    words, other = tokens(headline), tokens(declared)
    if len(words) >= 2 and _share_in(words, other) >= 0.8:
        return True
    return len(other) >= 3 and _share_in(other, words) >= 0.9  # a shortened og:title


def _share_in(words: list[str], other: list[str]) -> float:
    vocabulary = set(other)
    return sum(word in vocabulary for word in words) / len(words)


def strip_site_suffix(title: str) -> str:
    """Drop a trailing " - Section - Outlet" from a <title>-like string if what is left is long."""
    head = _TITLE_SPLIT.split(title, maxsplit=1)[0].strip()
    return head if len(head.split()) >= 4 else title


def _published(
    tree: lxml.html.HtmlElement, tags: dict[str, str], ld: dict[str, Any]
) -> datetime | None:
    """Publication time from JSON-LD, meta tags, <time datetime>, then visible date text."""
    candidates = [_ld_text(ld.get("datePublished"))] + [tags.get(key, "") for key in _DATE_KEYS]
    candidates += [el.get("datetime", "") for el in tree.iter("time")]
    for raw in candidates:
        when = parse_date(raw) if raw else None
        if when is not None:
            return when
    return visible_date(tree)


def _author(
    tree: lxml.html.HtmlElement, tags: dict[str, str], ld: dict[str, Any], site: str, url: str
) -> str:
    """A byline that names people, not the outlet: JSON-LD, meta, then byline elements."""
    candidates = list(_ld_authors(ld)) + [tags.get(key, "") for key in _AUTHOR_KEYS]
    candidates += [_byline_text(el) for el in _byline_elements(tree)]
    candidates += [text for text in _right_aligned_texts(tree) if looks_like_name(text)]
    for raw in candidates:
        name = _BYLINE_PREFIX.sub("", clean_space(raw))
        if name and not _is_outlet(name, site, url):
            return name
    return ""


def _ld_authors(ld: dict[str, Any]) -> Iterator[str]:
    authors = ld.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, str):
            yield author
        elif isinstance(author, dict) and "organization" not in _ld_types(author):
            yield _ld_text(author.get("name"))


_BYLINE_PREFIX = re.compile(r"^(?:bởi|by|tác giả|người viết|phóng viên)\s*:?\s+", re.I)
_RIGHT = re.compile(r"text-align\s*:\s*right", re.I)
_BYLINE_CLASS = re.compile(r"author|byline|tacgia|writer", re.I)


def _byline_elements(tree: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    for el in tree.iter("p", "div", "span", "strong", "b", "a"):
        marks = (
            f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} {el.get('rel', '')}"
        )
        if _BYLINE_CLASS.search(marks):
            yield el


def _right_aligned_texts(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """Short right-aligned blocks: where Vietnamese outlets put the author under the article."""
    for el in tree.iter("p", "div"):
        if el.get("align", "").lower() == "right" or _RIGHT.search(el.get("style", "")):
            lines = render(el).splitlines()
            if lines and len(lines[0]) <= 40:
                yield lines[0]


def looks_like_name(line: str) -> bool:
    """'Hà Thu (tổng hợp)', 'H.V.', 'XUÂN LONG': up to four capitalised words before any bracket."""
    words = line.split("(")[0].split()
    capitalised = all(word[0].isupper() for word in words)
    return 0 < len(words) <= 4 and capitalised and not any(ch.isdigit() or ch == ":" for ch in line)


def _byline_text(el: lxml.html.HtmlElement) -> str:
    text = clean_space(el.text_content())
    if any(ch.isdigit() for ch in text):  # a byline box that also holds the date
        return ""
    return text if 0 < len(text.split()) <= 6 else ""


def _is_outlet(name: str, site: str, url: str) -> bool:
    """True for author fields that name the outlet or a URL rather than people."""
    low = name.lower()
    if low.startswith(("http:", "https:", "www.")) or _DOMAIN.search(low):
        return True
    host = urlsplit(url).hostname or ""
    label = host.removeprefix("www.").split(".")[0]
    squeezed = re.sub(r"\W", "", fold(low))
    return bool(site and low == site.lower()) or bool(label and squeezed.startswith(label[:6]))


_DOMAIN = re.compile(r"\w\.(?:vn|com|net|org|info|gov)\b")


def fold(text: str) -> str:
    """Remove Vietnamese diacritics (and đ → d) for loose comparisons."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _canonical(tree: lxml.html.HtmlElement, tags: dict[str, str], url: str) -> str:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return _absolute(link.get("href", ""), url)
    return _absolute(tags.get("og:url", ""), url)


def _ld_image(ld: dict[str, Any]) -> str:
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else ""
    if isinstance(image, dict):
        image = image.get("url", "")
    return image.strip() if isinstance(image, str) else ""


def _absolute(link: str, base: str) -> str:
    """An absolute http(s) URL, or "" for anything else (javascript:, data:, …)."""
    link = link.strip()
    if not link:
        return ""
    full = urljoin(base, link) if base else link
    return full if urlsplit(full).scheme in ("http", "https") else ""

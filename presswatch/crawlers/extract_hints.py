"""Extraction hints: built-in per-outlet selectors, used when a source's config gives none.

Each selector is a comma-separated list of alternatives tried in order (an outlet's layouts over
the years); the first alternative that matches wins, and its first element is the container.
Only outlets with a real page in the test data (../shared/data/realweb) are listed, each
selector checked against those pages. config/sources.toml overrides them per source.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import lxml.html

from presswatch.sources import ExtractHints, SourceConfig

_VNEXPRESS = ExtractHints(
    content_selector="article.fck_detail, [cpms_content=true]",
    drop_selectors=("table.tplCaption", "p.Image", ".box_brief_info", ".box-tinlienquanv2"),
    title_selector="h1.title-detail, h1.title_news_detail, h1.Title",
)
_VCCORP = ExtractHints(  # CafeF, NLĐ and Soha share the VCCorp CMS
    content_selector="div.detail-content[itemprop=articleBody], div.detail-content, #newscontent",
    drop_selectors=(".VCSortableInPreviewMode[type=Photo]", ".PhotoCMS_Caption", ".relationnews"),
    title_selector="h1.detail-title, h1.title",
)

#: Hints keyed by registered domain (no "www."); a subdomain uses its parent's entry.
DEFAULT_HINTS: dict[str, ExtractHints] = {
    "vnexpress.net": _VNEXPRESS,
    "ngoisao.net": _VNEXPRESS,  # same group and CMS
    "dantri.com.vn": ExtractHints(
        content_selector="#desktop-in-article, div.singular-content",
        drop_selectors=("figure", "figcaption"),
        title_selector="h1[data-slot=title], h1.title-page",
    ),
    "nld.com.vn": ExtractHints(
        content_selector="div.detail-content[itemprop=articleBody], div.content",
        drop_selectors=(".VCSortableInPreviewMode[type=Photo]", ".relationnews"),
        title_selector="h1.detail-title",
    ),
    "cafef.vn": _VCCORP,
    "soha.vn": _VCCORP,
    "baodautu.vn": ExtractHints(
        content_selector="#content_detail_news",
        title_selector="div.title-detail",
    ),
    "znews.vn": ExtractHints(
        content_selector="div.the-article-body, #content_document",
        drop_selectors=(".pCaption", ".pAuthor", ".pSource"),
        title_selector="h1.the-article-title, h1.pTitle",
    ),
    "tuoitre.vn": ExtractHints(
        content_selector="div.detail-content[data-role=content], div.fck",
        drop_selectors=(".VCSortableInPreviewMode[type=Photo]", ".relate-container"),
        title_selector="h1.detail-title, h1.title-2",
    ),
}
DEFAULT_HINTS["zing.vn"] = DEFAULT_HINTS["znews.vn"]  # the outlet's former domain


def hints_for(url: str) -> ExtractHints | None:
    """The built-in hints for a URL's domain or one of its parent domains, else None."""
    host = _host(url)
    while host:
        if host in DEFAULT_HINTS:
            return DEFAULT_HINTS[host]
        _, _, host = host.partition(".")
    return None


def source_hints(url: str, sources: Iterable[SourceConfig]) -> ExtractHints | None:
    """The non-empty hints of the first configured source on the page's domain (or a parent)."""
    host = _host(url)
    for source in sources:
        if source.extract == ExtractHints():
            continue
        for source_url in source.urls:
            other = _host(source_url)
            if host and other and (host == other or host.endswith("." + other)):
                return source.extract
    return None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def select_first(tree: lxml.html.HtmlElement, selector: str) -> lxml.html.HtmlElement | None:
    """The first element matched by the first alternative of a selector list that matches."""
    for alternative in split_selector(selector):
        found = tree.cssselect(alternative)
        if found:
            return found[0]
    return None


def split_selector(selector: str) -> list[str]:
    """Split 'a, b[x="1,2"], c' at top-level commas (not inside brackets, quotes or parentheses)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(selector):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(selector[start:i].strip())
            start = i + 1
    parts.append(selector[start:].strip())
    return [part for part in parts if part]

"""Extraction, step 3: the body — boilerplate removal, then a hinted container or trafilatura."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

import lxml.html
import trafilatura
from lxml import etree

from presswatch.crawlers.extract_hints import select_first
from presswatch.sources import ExtractHints

#: Never text: code, embedded objects, form controls.
_NEVER_TEXT = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "button", "select", "textarea", "input", "video", "audio", "map", "head",
)  # fmt: skip
#: Class/id tokens that mark an image caption (figcaption is handled by tag).
_CAPTION = re.compile(r"caption|^image$|^(?:img|image|photo)[-_]?(?:desc|note|title)", re.I)
#: Class/id tokens that mark a byline or source line.
_BYLINE = re.compile(r"author|byline|tacgia|^p?source$|^nguon", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
#: Block-level tags: each starts a new line when a container is rendered by hand.
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "main",
        "address",
        "hr",
        "center",
    ]
)
_MAX_CAPTION_WORDS = 60
_MAX_BYLINE_WORDS = 12
_MAX_FOLLOWING_CAPTION_WORDS = 30
_MIN_PROSE_CELL_WORDS = 60
_SUBHEAD = re.compile(r"title|head", re.I)
_CAPTION_STYLE = re.compile(r"text-align\s*:\s*center|font-style\s*:\s*italic", re.I)


def strip_never_text(tree: lxml.html.HtmlElement) -> None:
    """Remove scripts, styles, embeds, form controls and elements hidden with inline CSS."""
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    hidden = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and (el.get("hidden") is not None or _HIDDEN.search(el.get("style", "")))
        and el.tag not in ("html", "body")
    ]
    _drop(hidden)


def strip_boilerplate(
    tree: lxml.html.HtmlElement, hints: ExtractHints | None, keep_captions: bool = False
) -> None:
    """Remove hinted boilerplate, captions (unless kept), bylines and link-only teaser lists."""
    if hints and hints.drop_selectors:
        _drop(el for selector in hints.drop_selectors for el in tree.cssselect(selector))
    if not keep_captions:
        with_image = _holding_images(tree)
        _drop(el for el in tree.iter() if _is_caption(el) or _follows_image(el, with_image))
    _drop(el for el in tree.iter() if _is_byline(el))
    _drop(el for el in tree.iter("ul", "ol") if _is_link_list(el))
    for table in [table for table in tree.iter("table") if _is_layout_table(table)]:
        _unwrap_table(table)


def _drop(elements: Iterable[lxml.html.HtmlElement]) -> None:
    """Remove elements (keeping their tails), tolerating ones already removed with a parent."""
    for el in list(elements):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()


def _marks(el: lxml.html.HtmlElement) -> list[str]:
    return f"{el.get('class', '')} {el.get('id', '')}".split()


def _is_caption(el: lxml.html.HtmlElement) -> bool:
    """Figure captions, caption-marked elements and tables that frame one image with a caption."""
    if not isinstance(el.tag, str):
        return False
    if el.tag == "figcaption" or any(_CAPTION.search(mark) for mark in _marks(el)):
        return True
    if el.tag != "table" or el.find(".//img") is None or el.find(".//table") is not None:
        return False
    return len(el.text_content().split()) <= _MAX_CAPTION_WORDS


def _holding_images(tree: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """Every img and every element that contains one."""
    holders: set[lxml.html.HtmlElement] = set()
    for img in tree.iter("img"):
        holders.add(img)
        holders.update(img.iterancestors())
    return holders


def _follows_image(el: lxml.html.HtmlElement, with_image: set[lxml.html.HtmlElement]) -> bool:
    """A short centred or italic block right after an image-only block (old CMS captions)."""
    if el.tag not in ("div", "p", "span") or el in with_image:
        return False
    before = el.getprevious()
    if before is None or before not in with_image or before.tag == "table":
        return False
    if _SUBHEAD.search(el.get("class", "")):
        return False
    if before.text_content().strip():
        return False
    text = el.text_content().strip()
    if not text or len(text.split()) > _MAX_FOLLOWING_CAPTION_WORDS:
        return False
    styles = " ".join(node.get("style", "") for node in el.iter())
    return _CAPTION_STYLE.search(styles) is not None or el.find(".//em") is not None


def _is_byline(el: lxml.html.HtmlElement) -> bool:
    if not isinstance(el.tag, str) or el.tag in ("html", "body"):
        return False
    marked = any(_BYLINE.search(mark) for mark in _marks(el)) or el.get("itemprop") == "author"
    return marked and len(el.text_content().split()) <= _MAX_BYLINE_WORDS


def _is_layout_table(table: lxml.html.HtmlElement) -> bool:
    """A table laying out an old page: it nests tables, holds headings or paragraphs of prose."""
    if table.find(".//table") is not None:
        return True
    for cell in _own_cells(table):
        if cell.find(".//h1") is not None or cell.find(".//h2") is not None:
            return True
        blocks = sum(1 for child in cell if child.tag in ("p", "div", "ul", "ol", "blockquote"))
        if blocks >= 2 and len(cell.text_content().split()) >= _MIN_PROSE_CELL_WORDS:
            return True
    return False


def _own_cells(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The cells of a table's own rows (not those of tables nested in it)."""
    rows = [*table.iterchildren("tr")]
    for section in table.iterchildren("tbody", "thead", "tfoot"):
        rows.extend(section.iterchildren("tr"))
    return [cell for row in rows for cell in row.iterchildren("td", "th")]


def _unwrap_table(table: lxml.html.HtmlElement) -> None:
    """Turn a layout table and its own rows and cells into divs, so extraction sees blocks."""
    for section in table.iterchildren("tbody", "thead", "tfoot"):
        section.tag = "div"
    for cell in _own_cells(table):
        cell.getparent().tag = "div"
        cell.tag = "div"
    table.tag = "div"


def _is_link_list(el: lxml.html.HtmlElement) -> bool:
    """A list of two or more items whose text is all inside links: teasers of other articles."""
    items = [li for li in el.iterchildren("li") if li.text_content().strip()]
    if len(items) < 2:
        return False
    linked = [_link_chars(li) >= 0.9 * len(li.text_content().strip()) for li in items]
    return sum(linked) >= max(2, 0.8 * len(items))


def _link_chars(el: lxml.html.HtmlElement) -> int:
    return sum(len(a.text_content().strip()) for a in el.iter("a"))


def hinted_text(tree: lxml.html.HtmlElement, hints: ExtractHints | None) -> str | None:
    """The text of the hinted content container, or None when there is no hint or no match."""
    if not hints or not hints.content_selector:
        return None
    container = select_first(tree, hints.content_selector)
    if container is None:
        return None
    page = lxml.html.Element("html")
    lxml.html.etree.SubElement(page, "body").append(copy.deepcopy(container))
    return trafilatura_text(page, "", fast=True) or render(container)


def trafilatura_text(tree: lxml.html.HtmlElement, url: str, fast: bool = False) -> str:
    """Main text found by trafilatura (comments excluded, tables kept), '' when it finds none."""
    # fast=True skips trafilatura's fallback extractors: enough inside a hinted container, but
    # on whole pages the fallbacks rescue odd layouts (realweb 019 is lost without them).
    text = trafilatura.extract(
        tree,
        url=url or None,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
        fast=fast,
    )
    return text or ""


def render(el: lxml.html.HtmlElement) -> str:
    """Text of an element with one line per block and ' | ' between table cells."""
    lines: list[str] = []
    buffer: list[str] = []
    _render(el, lines, buffer)
    _flush(lines, buffer)
    return "\n".join(lines)


def _render(el: lxml.html.HtmlElement, lines: list[str], buffer: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _BLOCKS or tag == "br":
        _flush(lines, buffer)
    if tag in ("td", "th") and buffer:
        buffer.append(" | ")
    if tag:
        buffer.append(el.text or "")
        for child in el:
            _render(child, lines, buffer)
    if tag in _BLOCKS:
        _flush(lines, buffer)
    buffer.append(el.tail or "")


def _flush(lines: list[str], buffer: list[str]) -> None:
    line = " ".join("".join(buffer).split())
    buffer.clear()
    if line.strip("| "):
        lines.append(line)

"""Extraction, listing pages: tell a section or home page (teasers) from an article."""

from __future__ import annotations

import itertools

import lxml.html

from presswatch.crawlers.extract_meta import clean_space

#: A link with at least this many words reads as the headline of another article.
_HEADLINE_WORDS = 4
#: A teaser box (headline link + sapo) holds at most this many words.
_MAX_TEASER_BOX_WORDS = 150
_TEASER_WORDS = (8, 100)
#: Share of body words in teaser headlines/sapos above which a page is a listing.
LISTING_SHARE = 0.3


def teaser_texts(tree: lxml.html.HtmlElement) -> tuple[set[str], set[str]]:
    """Headlines of links to other articles, and the texts that follow them in small boxes."""
    order = {el: i for i, el in enumerate(tree.iter())}
    boxes: dict[lxml.html.HtmlElement, list[tuple[int, str]] | None] = {}
    headlines: set[str] = set()
    teasers: set[str] = set()
    for link in tree.iter("a"):
        text = clean_space(link.text_content())
        if len(text.split()) < _HEADLINE_WORDS:
            continue
        headlines.add(text)
        after = order[link] + sum(1 for _ in link.iter())  # first position past the link
        for blocks in _boxes_of(link, boxes, order):
            teasers.update(block for position, block in blocks if position >= after)
    return headlines, teasers


def _boxes_of(
    link: lxml.html.HtmlElement,
    boxes: dict[lxml.html.HtmlElement, list[tuple[int, str]] | None],
    order: dict[lxml.html.HtmlElement, int],
) -> list[list[tuple[int, str]]]:
    """The blocks (position, text) of the small boxes around a link, up to three levels up."""
    found = []
    for box in itertools.islice(link.iterancestors(), 3):
        if box not in boxes:  # neighbouring links share boxes: read each once
            boxes[box] = _blocks(box, order)
        blocks = boxes[box]
        if blocks is None:
            break
        found.append(blocks)
    return found


def _blocks(
    box: lxml.html.HtmlElement, order: dict[lxml.html.HtmlElement, int]
) -> list[tuple[int, str]] | None:
    """Teaser-sized block texts of a box with their positions; None when the box is too big."""
    if len(box.text_content().split()) > _MAX_TEASER_BOX_WORDS:
        return None
    blocks = []
    for el in box.iter("p", "div", "span", "h3", "h4", "a", "li"):
        text = clean_space(el.text_content())
        if _TEASER_WORDS[0] <= len(text.split()) <= _TEASER_WORDS[1]:
            blocks.append((order[el], text))
    return blocks


def teaser_share(lines: list[str], headlines: set[str], teasers: set[str]) -> float:
    """Share of the words of body lines that are teasers (or start with another page's headline)."""
    total = sum(len(line.split()) for line in lines)
    teased = sum(
        len(line.split())
        for line in lines
        if line in teasers or any(line.startswith(head) for head in headlines)
    )
    return teased / total if total else 0.0

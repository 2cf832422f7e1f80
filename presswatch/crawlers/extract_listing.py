"""Extraction, listing pages: tell a section or home page (teasers) from an article."""

from __future__ import annotations

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
    headlines: set[str] = set()
    teasers: set[str] = set()
    for link in tree.iter("a"):
        text = clean_space(link.text_content())
        if len(text.split()) < _HEADLINE_WORDS:
            continue
        headlines.add(text)
        teasers |= _texts_after(link)
    return headlines, teasers


def _texts_after(link: lxml.html.HtmlElement) -> set[str]:
    """Texts of blocks after a headline link inside its small enclosing box (up to 3 levels up)."""
    found: set[str] = set()
    box = link
    for _ in range(3):
        box = box.getparent()
        if box is None or len(box.text_content().split()) > _MAX_TEASER_BOX_WORDS:
            break
        seen_link = False
        for el in box.iter("p", "div", "span", "h3", "h4", "a", "li"):
            seen_link = seen_link or el is link
            text = clean_space(el.text_content()) if seen_link and el is not link else ""
            if _TEASER_WORDS[0] <= len(text.split()) <= _TEASER_WORDS[1]:
                found.add(text)
    return found


def teaser_share(lines: list[str], headlines: set[str], teasers: set[str]) -> float:
    """Share of the words of body lines that are teasers (or start with another page's headline)."""
    total = sum(len(line.split()) for line in lines)
    teased = sum(
        len(line.split())
        for line in lines
        if line in teasers or any(line.startswith(head) for head in headlines)
    )
    return teased / total if total else 0.0

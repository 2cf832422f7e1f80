"""Extraction, step 4: tidy the body lines and put headline and lead (sapo) in front of them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html

from presswatch.crawlers.extract_dates import parse_date
from presswatch.crawlers.extract_eval import tokens
from presswatch.crawlers.extract_meta import clean_space, looks_like_name

#: Interface words a line may consist of alone (after brackets and colons are stripped).
_UI_WORDS = frozenset(
    [
        "quay lại",
        "trở về",
        "về đầu trang",
        "từ khóa",
        "từ khoá",
        "tags",
        "tag",
        "xem thêm",
        "chia sẻ",
        "bình luận",
        "in bài",
        "gửi bài",
        "gửi cho bạn bè",
        "lên đầu trang",
        "bài liên quan",
        "tin liên quan",
        "share",
        "print",
        "email",
        "tin cùng chuyên mục",
        "đọc thêm",
        "xem tiếp",
        "theo dõi",
    ]
)
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "'", ":", ";")
_WEEKDAYS = re.compile(r"\b(?:thứ\s+\w+|chủ\s+nhật|cập\s+nhật|ngày|gmt[+-]?\d*|lúc)\b", re.I)
_LEAD_MARK = re.compile(
    r"sapo|lead|summary|description|chapeau|intro|excerpt|abstract|teaser|standfirst|^dek$"
    r"|^phead$|^init$|short",
    re.I,
)
_MAX_TRAILER_WORDS = 7


def tidy(text: str, title: str) -> tuple[list[str], str]:
    """Body lines without UI words, dates, arrows, headline, trailing byline (also returned)."""
    lines = [_unpipe(clean_space(line)) for line in text.splitlines()]
    lines = [line for line in lines if _is_content(line, title)]
    return _cut_trailer(lines)


def _unpipe(line: str) -> str:
    """'| a | b |' (a table row as trafilatura writes it) to 'a | b'; a one-cell row to its text."""
    if line.startswith("|") and line.endswith("|"):
        cells = [cell.strip().replace("\\|", "|") for cell in line.strip("|").split(" | ")]
        return " | ".join(cell for cell in cells if cell)
    return line


def _is_content(line: str, title: str) -> bool:
    if not line.strip("|-–•·* "):
        return False
    bare = line.strip("[]()<>:.|-–•·* ").lower()
    if bare in _UI_WORDS or line.startswith((">>", "»", "&gt;&gt;")):
        return False
    return not (_is_date_line(line) or _repeats_title(line, title))


def _is_date_line(line: str) -> bool:
    """A short line that is only a (Vietnamese) date and time."""
    if len(line) > 60 or parse_date(line) is None:
        return False
    rest = re.sub(r"[\d/:.,+\-|]", " ", _WEEKDAYS.sub(" ", line))
    return len(rest.split()) <= 2


def _repeats_title(line: str, title: str) -> bool:
    """The headline again, possibly glued to a date ('Thứ năm, 20/12/2012, 10:18 GMT+7 Title')."""
    if not title:
        return False
    if line == title:
        return True
    if title not in line:
        return False
    return _is_date_line(line.replace(title, " ").strip()) or len(line) <= len(title) + 3


def _cut_trailer(lines: list[str]) -> tuple[list[str], str]:
    """Drop short unpunctuated lines at the end (author, 'Theo …', photo credits)."""
    cut: list[str] = []
    while lines and _is_trailer(lines[-1]):
        cut.append(lines.pop())
    names = [line for line in reversed(cut) if looks_like_name(line)]
    return lines, names[0] if names else ""


def _is_trailer(line: str) -> bool:
    words = line.split()
    if len(words) > _MAX_TRAILER_WORDS:
        return False
    if line.lower().startswith(("theo ", "ảnh:", "nguồn:")) or looks_like_name(line):
        return True
    return not line.rstrip(")").endswith(_SENTENCE_END)


def find_lead(tree: lxml.html.HtmlElement, description: str, title: str) -> str:
    """The visible lead (sapo): the element showing the meta description, else one marked lead."""
    described = set(tokens(description))
    fallback = ""
    after_headline = False  # a lead marked only by its class must follow the headline
    for el in _lead_candidates(tree):
        text = clean_space(el.text_content())
        if text == title:
            after_headline = True
            continue
        words = tokens(text)
        if len(words) < 8 or len(words) > 150 or el.tag == "h1":
            continue
        if described and _mostly_in(words, described) and len(words) >= 0.6 * len(described):
            return text
        if after_headline and not fallback and _marked_lead(el) and not _link_heavy(el):
            fallback = text
    return fallback


def _mostly_in(words: list[str], vocabulary: set[str]) -> bool:
    return sum(w in vocabulary for w in words) >= 0.9 * len(words)


def _lead_candidates(tree: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Block elements that contain no other block, in document order."""
    for el in tree.iter("h1", "h2", "h3", "p", "div", "span", "strong", "b", "em", "section"):
        if el.find(".//p") is None and el.find(".//div") is None and el.find(".//h2") is None:
            yield el


def _marked_lead(el: lxml.html.HtmlElement) -> bool:
    marks = f"{el.get('class', '')} {el.get('id', '')}".split()
    return any(_LEAD_MARK.search(mark) for mark in marks) or el.get("itemprop") == "description"


def _link_heavy(el: lxml.html.HtmlElement) -> bool:
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    return linked > 0.5 * max(1, len(el.text_content()))


def assemble(title: str, lead: str, body: list[str]) -> str:
    """Headline, lead and body lines joined by newlines, the lead not repeated in the body."""
    if lead:
        body = [line for line in body if not _same_text(line, lead)]
    return "\n".join(part for part in (title, lead, *body) if part)


def _same_text(line: str, lead: str) -> bool:
    """True when a body line is the lead, maybe without or with a '(Agency) -' prefix."""
    a, b = tokens(line), tokens(lead)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return len(shorter) >= 0.8 * len(longer) and " ".join(shorter) in " ".join(longer)

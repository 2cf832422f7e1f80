"""Extraction, step 1: bytes to a parsed HTML tree (size cap, encoding detection, no fetching)."""

from __future__ import annotations

import codecs
import re
import unicodedata

import lxml.html
from lxml import etree

#: Bytes (or characters) beyond this are cut before parsing: crawled pages are hostile input.
MAX_INPUT_BYTES = 5_000_000

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
#: More control or undecodable characters than this share of the page head: not text at all.
_MAX_CONTROL_SHARE = 0.01
_SNIFF_CHARS = 65_536
#: Labels pages declare that Python spells differently or that browsers treat as a superset.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-user-defined": "cp1252",
    "unicode": "utf-16",
    "utf-16": "utf-16",
}


def decode(raw: bytes) -> str:
    """Decode page bytes: BOM, then valid UTF-8, then the declared meta charset, then a guess."""
    raw = raw[:MAX_INPUT_BYTES]
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(name, errors="replace")
    if raw.startswith(codecs.BOM_UTF16_BE):
        return raw.decode("utf-16", errors="replace")
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16, errors="replace")
    try:
        # Valid UTF-8 with multi-byte sequences is almost never another encoding by accident;
        # this also overrides pages that declare latin-1 but serve UTF-8, common on old CMSs.
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(raw)
    if declared and declared not in ("utf-8", "utf8"):
        return raw.decode(declared, errors="replace")
    return _guess(raw)


def declared_charset(raw: bytes) -> str:
    """The charset a page declares in a <meta> tag within its first 4 KB, as a Python codec name."""
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return ""
    label = match.group(1).decode("ascii", errors="ignore").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def _utf16_without_bom(raw: bytes) -> str:
    """'utf-16-le'/'utf-16-be' when the head of the page is ASCII markup interleaved with NULs."""
    head = raw[:200]
    if len(head) < 20 or head.count(0) < len(head) // 3:
        return ""
    even_zeros = head[0::2].count(0)
    return "utf-16-be" if even_zeros > len(head) // 4 else "utf-16-le"


def _guess(raw: bytes) -> str:
    """Best guess for undeclared, non-UTF-8 bytes (charset_normalizer, else windows-1258)."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1258"
    return raw.decode(encoding, errors="replace")


def parse(html: bytes | str) -> lxml.html.HtmlElement:
    """Parse a page into an lxml tree, cutting oversized input; raise ValueError when not HTML."""
    text = decode(html) if isinstance(html, bytes) else html[:MAX_INPUT_BYTES]
    head = text[:_SNIFF_CHARS]
    if len(_CONTROL.findall(head)) > _MAX_CONTROL_SHARE * len(head):
        raise ValueError("not an HTML page (binary content)")
    # NFC: windows-1258 and some editors write tone marks as combining characters.
    text = unicodedata.normalize("NFC", _CONTROL.sub("", _XML_DECL.sub("", text, count=1)))
    if not text.strip():
        raise ValueError("the page is empty")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"not parseable as HTML: {exc}") from None

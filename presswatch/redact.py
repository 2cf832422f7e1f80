"""Redaction: personal data out of crawled text, control characters out of e-mail headers.

Everything that leaves the system (e-mails, digest pages, reports) passes crawled text through
``redact``: Vietnamese phone numbers (mobile 03x/05x/07x/08x/09x, the old 01xx, +84/0084,
landlines 02xx), identity-card numbers (CMND 9 digits, CCCD 12 digits) named as such, e-mail
addresses and @handles. The replacements contain no digits, so redacting twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

PHONE_MASK = "[SĐT đã ẩn]"
ID_MASK = "[số giấy tờ đã ẩn]"
EMAIL_MASK = "[email đã ẩn]"
HANDLE_MASK = "@[tài khoản đã ẩn]"

_SEP = r"[ .\-]?"
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# A national number after its prefix: mobile 9 digits (3/5/7/8/9…), old mobile 10 (1…),
# landline 10 (2…). Separators (space, dot, dash) may sit between any two digits.
_NATIONAL = rf"(?:[35789](?:{_SEP}\d){{8}}|1(?:{_SEP}\d){{9}}|2(?:{_SEP}\d){{9}})"
_PHONE = re.compile(rf"(?<!\d)(?:\(\+?84\)|\+84|0084|0){_SEP}{_NATIONAL}(?![\d])")
_ID_CONTEXT = re.compile(
    r"(?i)(?:cmnd|cccd|cmt|căn cước|chứng minh(?: nhân dân| thư)?|định danh(?: cá nhân)?"
    r"|hộ chiếu|giấy tờ tùy thân)"
    r"[^\d\n]{0,25}?(?<!\d)(\d(?:[ .]?\d){11}|\d(?:[ .]?\d){8})(?!\d)"
)
# A bare 12-digit number that starts like a CCCD (province code 001–096) is redacted even
# without a keyword: in press text such a number is an identity or bank account number.
_CCCD_BARE = re.compile(r"(?<!\d)0(?:0[1-9]|[1-8]\d|9[0-6])\d{9}(?!\d)")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,60}[A-Za-z0-9_])?")
_HEADER_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\ufeff]+")


def redact(text: str) -> str:
    """Text with phone numbers, ID numbers, e-mail addresses and @handles masked."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _ID_CONTEXT.sub(_mask_id, text)
    text = _CCCD_BARE.sub(ID_MASK, text)
    text = _PHONE.sub(PHONE_MASK, text)
    return _HANDLE.sub(HANDLE_MASK, text)


def _mask_id(match: re.Match[str]) -> str:
    start, end = match.span(1)
    whole = match.group(0)
    offset = match.start(0)
    return whole[: start - offset] + ID_MASK + whole[end - offset :]


def strip_header(text: str, limit: int = 250) -> str:
    """A value safe for one e-mail header: no CR/LF or control characters, one line, bounded."""
    text = unicodedata.normalize("NFC", text or "")
    text = _HEADER_JUNK.sub(" ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_text(text: str, limit: int = 0) -> str:
    """Crawled text ready to show: redacted, control characters removed, optionally shortened."""
    text = redact(unicodedata.normalize("NFC", text or ""))
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text

"""Write a UTF-8 HTML file as windows-1258, tone marks as combining characters (as old pages did).

Used once to make windows1258.html from a UTF-8 draft: python encode_windows1258.py IN OUT
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def to_windows_1258(text: str) -> bytes:
    """Encode, splitting each tone mark off its letter where windows-1258 has no single byte."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(mark for mark in decomposed[1:] if mark in TONES)
        rest = "".join(mark for mark in decomposed[1:] if mark not in TONES)
        out += unicodedata.normalize("NFC", decomposed[0] + rest).encode("cp1258")
        out += tones.encode("cp1258")
    return bytes(out)


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_bytes(to_windows_1258(source.read_text(encoding="utf-8")))

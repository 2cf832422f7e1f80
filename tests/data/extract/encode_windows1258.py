"""Writes the windows-1258 and UTF-16 fixtures (run once; the outputs are committed)."""
import unicodedata, sys
TONES = "\u0300\u0301\u0303\u0309\u0323"
def to1258(text):
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258"); continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in decomposed[1:] if m in TONES)
        rest = "".join(m for m in decomposed[1:] if m not in TONES)
        out += unicodedata.normalize("NFC", decomposed[0] + rest).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)
src = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "wb").write(to1258(src))

"""Claims: build the syllable document frequencies that weight claim terms (a maintenance step).

Counts in how many of the 3,000 real news articles of ../shared/data/vntc/sample3000.jsonl each
syllable occurs (with and without diacritics) and keeps those seen in at least ``MIN_DF``
articles; rarer syllables get the highest weight at run time. Run::

    python -m presswatch.claims.build_idf ../shared/data/vntc/sample3000.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from presswatch.claims.terms import tokenize

OUTPUT = Path(__file__).resolve().parent / "data" / "syllable_df.json"
MIN_DF = 4


def build(corpus: Path) -> dict[str, object]:
    """Document frequencies of the accented and folded syllables of a JSONL corpus."""
    accented: Counter[str] = Counter()
    folded: Counter[str] = Counter()
    total = 0
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            tokens = tokenize(json.loads(line).get("text", ""))
            accented.update({t.text for t in tokens})
            folded.update({t.folded for t in tokens})
            total += 1
    return {
        "source": corpus.name,
        "documents": total,
        "accented": {k: v for k, v in sorted(accented.items()) if v >= MIN_DF},
        "folded": {k: v for k, v in sorted(folded.items()) if v >= MIN_DF},
    }


def main(argv: list[str]) -> int:
    """Write data/syllable_df.json from the corpus given."""
    table = build(Path(argv[0]))
    OUTPUT.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    raise SystemExit(main(sys.argv[1:]))

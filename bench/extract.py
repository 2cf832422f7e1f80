"""Benchmark extraction: token-F1 per real page and docs/s beside an lxml-parse floor.

Reads ../shared/data/realweb/pages in place: 13 article pages with hand-made gold text and 14
listing pages. Prints per-page F1 (with the built-in outlet hints, without any hints, and
trafilatura's defaults for comparison), the means, then the throughput of extract() over all
27 pages and of a floor measured in the same run (lxml.html.fromstring + text_content()).

    python bench/extract.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import trafilatura

from presswatch.crawlers.extract import extract
from presswatch.crawlers.extract_eval import token_f1
from presswatch.errors import ExtractionError

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "realweb" / "pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the 27 pages")
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"real pages not found at {PAGES}", file=sys.stderr)
        return 1
    quality()
    throughput(args.repeat)
    return 0


def quality() -> None:
    """Per-page token-F1 against the gold text, in three configurations."""
    print(f"{'page':<6}{'outlet':<36}{'hints':>8}{'general':>9}{'trafil.':>9}")
    scores: dict[str, list[float]] = {"hints": [], "general": [], "trafilatura": []}
    for gold_file in sorted(PAGES.glob("*.gold.txt")):
        name = gold_file.name.split(".")[0]
        meta = json.loads((PAGES / f"{name}.meta.json").read_text(encoding="utf-8"))
        html = (PAGES / f"{name}.html").read_bytes()
        gold = gold_file.read_text(encoding="utf-8")
        row = {
            "hints": token_f1(extract(html, url=meta.get("url_if_known")).text, gold),
            "general": token_f1(extract(html, default_hints=False).text, gold),
            "trafilatura": token_f1(_trafilatura_defaults(html), gold),
        }
        for key, value in row.items():
            scores[key].append(value)
        outlet = meta["outlet"].split(" (")[0][:34]
        print(f"{name:<6}{outlet:<36}" + "".join(f"{row[k]:>9.3f}" for k in scores))
    print(f"{'mean':<42}" + "".join(f"{statistics.mean(v):>9.3f}" for v in scores.values()))
    print(f"{'min':<42}" + "".join(f"{min(v):>9.3f}" for v in scores.values()))
    print("hints = extract(html, url); general = no hints at all;")
    print(
        "trafilatura = trafilatura.extract(include_comments=False) with its <title>, for comparison"
    )


def _trafilatura_defaults(html: bytes) -> str:
    text = trafilatura.extract(html, include_comments=False) or ""
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None and metadata.title else ""
    return f"{title}\n{text}"


def throughput(repeat: int) -> None:
    """docs/s of extract() and of the lxml floor over all pages, and their ratio."""
    pages = [path.read_bytes() for path in sorted(PAGES.glob("*.html"))]
    refused = sum(_refused(html) for html in pages)
    floor = _docs_per_second(pages, repeat, lambda html: lxml.html.fromstring(html).text_content())
    ours = _docs_per_second(pages, repeat, _extract_quietly)
    alone = _docs_per_second(pages, repeat, lambda html: trafilatura.extract(html))
    print()
    print(f"{len(pages)} pages ({refused} refused as listing/empty), {repeat} passes")
    print(f"extract():                         {ours:8.1f} docs/s")
    print(f"floor (lxml fromstring + text):    {floor:8.1f} docs/s")
    print(f"ratio extract / floor:             {ours / floor:8.3f}")
    print(
        f"for scale, trafilatura.extract():  {alone:8.1f} docs/s (ratio to it {ours / alone:.2f})"
    )


def _refused(html: bytes) -> bool:
    try:
        extract(html)
    except ExtractionError:
        return True
    return False


def _extract_quietly(html: bytes) -> object:
    try:
        return extract(html)
    except ExtractionError:
        return None


def _docs_per_second(pages: list[bytes], repeat: int, work: Callable[[bytes], object]) -> float:
    work(pages[0])  # warm imports and caches
    start = time.perf_counter()
    for _ in range(repeat):
        for html in pages:
            work(html)
    return repeat * len(pages) / (time.perf_counter() - start)


if __name__ == "__main__":
    sys.exit(main())

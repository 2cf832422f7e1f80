#!/usr/bin/env python
"""Build config/region.toml (the region gazetteer) from the 2025 administrative conversion table.

Usage (from the repository root):

    .venv/bin/python scripts/build_region.py \
        --table ../shared/data/admin_2025/soc_trang_old_to_new_2025.csv \
        --national ../shared/data/admin_2025/BangChuyendoiDVHC_moi_cu_2025-07.csv \
        --province "Sóc Trăng" --output config/region.toml

Another province: pass the national table as --table and that province's former name, e.g.
--province "Bạc Liêu". The national table tells which names are ambiguous (exist elsewhere).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presswatch.classifiers.gazetteer_build import build_region, read_conversion_csv, render_toml
from presswatch.errors import PressWatchError


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the gazetteer, write it; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, required=True, help="conversion CSV with the rows")
    parser.add_argument("--national", type=Path, help="national conversion CSV (default: --table)")
    parser.add_argument("--province", required=True, help='former province, e.g. "Sóc Trăng"')
    parser.add_argument("--output", type=Path, default=Path("config/region.toml"))
    args = parser.parse_args(argv)
    try:
        rows = read_conversion_csv(args.table)
        national = read_conversion_csv(args.national) if args.national else rows
        spec = build_region(rows, national, args.province, source=_source(args))
    except PressWatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render_toml(spec), encoding="utf-8")
    ambiguous = sum(p.ambiguous for p in spec.places)
    print(
        f"{args.output}: {len(spec.places)} places ({ambiguous} ambiguous), "
        f"{len(spec.aliases)} aliases, {len(spec.other_provinces)} other provinces"
    )
    return 0


def _source(args: argparse.Namespace) -> str:
    names = [args.table.name] + ([args.national.name] if args.national else [])
    return " + ".join(dict.fromkeys(names))


if __name__ == "__main__":
    sys.exit(main())

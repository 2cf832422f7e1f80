"""Building the region gazetteer (config/region.toml) from the 2025 administrative conversion table.

The table lists every former commune/ward with its former district and province and the new
ward/commune (and province) it went into on 1 July 2025. Both the national table and the
one-province extract have the same leading columns.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from presswatch.classifiers.vietnamese import fold_diacritics, normalize_vi
from presswatch.errors import InputError

#: Unit kinds as written in the table (lower case, longest first) and the level they imply.
KINDS: tuple[str, ...] = (
    "thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã",
)  # fmt: skip
LEVEL_ORDER: tuple[str, ...] = ("province", "former_district", "new_commune", "former_commune")
_CODE = re.compile(r"\s*\(\d+\)\s*$")
_SPACES = re.compile(r"\s+")

#: Names that are also people's names (streets and schools across the country carry them).
PERSON_NAMES: frozenset[str] = frozenset({"Hồ Đắc Kiện", "Huỳnh Hữu Nghĩa"})


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit: its kind ("xã", "huyện", ...) and its bare name ("Kế Sách")."""

    kind: str
    name: str

    @property
    def full(self) -> str:
        """The name with its kind, as used in text: "huyện Kế Sách"."""
        return f"{self.kind} {self.name}"


@dataclass(frozen=True, slots=True)
class ConversionRow:
    """One row of the table: a former commune, its district and province, and where it went."""

    old_commune: Unit
    old_district: Unit
    old_province: Unit
    new_commune: Unit
    new_province: Unit


@dataclass(slots=True)
class PlaceSpec:
    """What the gazetteer file says about one name of the region."""

    name: str
    level: str
    kinds: set[str] = field(default_factory=set)
    became: set[str] = field(default_factory=set)
    ambiguous: bool = False
    note: str = ""
    new: bool = False  # one of the region's units since 1 July 2025


def parse_unit(raw: str) -> Unit:
    """Split "Thị Xã Ngã Năm (948)" into Unit("thị xã", "Ngã Năm")."""
    text = _SPACES.sub(" ", normalize_vi(_CODE.sub("", raw))).strip()
    lowered = text.lower()
    for kind in KINDS:
        if lowered.startswith(kind + " "):
            return Unit(kind, text[len(kind) + 1 :].strip())
    return Unit("", text)


def read_conversion_csv(path: Path) -> list[ConversionRow]:
    """Read the conversion table; header and section rows are skipped."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            raw_rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read conversion table {str(path)!r}: {exc}") from None
    rows = [_row(cells) for cells in raw_rows if _is_data(cells)]
    if not rows:
        raise InputError(f"{str(path)!r} holds no conversion rows (expected 8 columns)")
    return rows


def _is_data(cells: list[str]) -> bool:
    return len(cells) >= 8 and bool(cells[3].strip()) and bool(_CODE.search(cells[7]))


def _row(cells: list[str]) -> ConversionRow:
    return ConversionRow(
        old_commune=parse_unit(cells[3]),
        old_district=parse_unit(cells[6]),
        old_province=parse_unit(cells[7]),
        new_commune=parse_unit(cells[1]),
        new_province=parse_unit(cells[0]),
    )


def _key(name: str) -> str:
    return normalize_vi(name).lower()


def province_rows(rows: Iterable[ConversionRow], province: str) -> list[ConversionRow]:
    """The rows of one former province (name compared without diacritics or case)."""
    wanted = fold_diacritics(_key(province))
    return [r for r in rows if fold_diacritics(_key(r.old_province.name)) == wanted]


def _place_name(unit: Unit) -> str:
    """Numbered wards keep their kind ("Phường 1"); other units are known by their bare name."""
    if unit.name.isdigit():
        return f"{unit.kind.capitalize()} {unit.name}"
    return unit.name


def collect_places(rows: list[ConversionRow]) -> dict[str, PlaceSpec]:
    """Every name of the region with its highest level, kinds and the new units it went into."""
    places: dict[str, PlaceSpec] = {}

    def add(unit: Unit, level: str, became: str = "") -> None:
        name = _place_name(unit)
        spec = places.setdefault(name, PlaceSpec(name, level))
        if LEVEL_ORDER.index(level) < LEVEL_ORDER.index(spec.level):
            spec.level = level
        spec.kinds.add(unit.kind)
        if became and became != unit.full:
            spec.became.add(became)

    for row in rows:
        new_full = f"{row.new_commune.full}, {row.new_province.full}"
        add(row.old_province, "province")
        add(row.old_district, "former_district")
        add(row.old_commune, "former_commune", new_full)
        add(row.new_commune, "new_commune")
        places[_place_name(row.new_commune)].new = True
    return places


def national_index(rows: Iterable[ConversionRow], province: str) -> dict[str, dict[str, bool]]:
    """Lower-case name → {other province: whether the unit there is a district or province}."""
    wanted = fold_diacritics(_key(province))
    index: dict[str, dict[str, bool]] = defaultdict(dict)

    def add(unit: Unit, where: str, major: bool) -> None:
        seen = index[_key(_place_name(unit))]
        seen[where] = seen.get(where, False) or major

    for row in rows:
        if fold_diacritics(_key(row.old_province.name)) == wanted:
            continue
        add(row.old_commune, row.old_province.name, False)
        add(row.old_district, row.old_province.name, True)
        add(row.old_province, row.old_province.name, True)
        add(row.new_commune, row.new_province.name, False)
        add(row.new_province, row.new_province.name, True)
    return index


def mark_ambiguous(places: dict[str, PlaceSpec], index: dict[str, dict[str, bool]]) -> None:
    """Flag names that also exist elsewhere, numbered wards and people's names.

    A former district is ambiguous only when a district or province elsewhere has its name: a
    commune of the same name far away rarely makes the news under that name.
    """
    for spec in places.values():
        if spec.level == "province":
            continue
        major = spec.level == "former_district"
        seen = index.get(_key(spec.name), {})
        elsewhere = sorted(p for p, is_major in seen.items() if is_major or not major)
        if spec.name.split()[-1].isdigit():
            spec.ambiguous, spec.note = True, "numbered ward: exists in every town"
        elif spec.name in PERSON_NAMES:
            spec.ambiguous, spec.note = True, "also a person's name (streets, schools)"
        elif elsewhere:
            more = f" (+{len(elsewhere) - 5} more)" if len(elsewhere) > 5 else ""
            spec.ambiguous, spec.note = True, "also in " + ", ".join(elsewhere[:5]) + more


def other_provinces(rows: Iterable[ConversionRow], province: str) -> list[str]:
    """Names of every other province, former (63) and new (34), for disambiguation."""
    wanted = fold_diacritics(_key(province))
    names = {r.old_province.name for r in rows} | {r.new_province.name for r in rows}
    return sorted(n for n in names if fold_diacritics(_key(n)) != wanted)


def aliases(rows: list[ConversionRow], province: str) -> list[tuple[str, str, str]]:
    """(alias, place name, level): kind-prefixed names, the provincial city and "… cũ" forms."""
    out: dict[str, tuple[str, str]] = {}
    level_of = {"old_district": "former_district", "old_commune": "former_commune"}
    for row in rows:
        for attr, level in level_of.items():
            unit: Unit = getattr(row, attr)
            if unit.kind and not unit.name.isdigit():
                out.setdefault(unit.full, (unit.name, level))
        if not row.new_commune.name.isdigit():
            out[row.new_commune.full] = (row.new_commune.name, "new_commune")
        if row.old_district.kind == "thị xã":
            for prefix in ("TX", "TX."):
                out.setdefault(
                    f"{prefix} {row.old_district.name}", (row.old_district.name, "former_district")
                )
    if any(r.old_district.name == province and r.old_district.kind == "thành phố" for r in rows):
        for prefix in ("TP", "TP.", "Tp", "T.P"):
            out[f"{prefix} {province}"] = (province, "former_district")
    for form in ("{p} cũ", "{p} (cũ)", "tỉnh {p} cũ", "tỉnh {p} (cũ)"):
        out[form.format(p=province)] = (province, "alias")
    return sorted((alias, name, level) for alias, (name, level) in out.items())


@dataclass(slots=True)
class RegionSpec:
    """Everything config/region.toml holds."""

    name: str
    kind: str
    merged_into: str
    merged_kind: str
    source: str
    places: list[PlaceSpec]
    aliases: list[tuple[str, str, str]]
    other_provinces: list[str]


def build_region(
    rows: list[ConversionRow], national: list[ConversionRow], province: str, source: str
) -> RegionSpec:
    """The gazetteer of one former province; ``national`` (the whole country) finds ambiguity."""
    own = province_rows(rows, province)
    if not own:
        known = sorted({r.old_province.name for r in rows})
        raise InputError(f"no rows for province {province!r}; the table has: {', '.join(known)}")
    places = collect_places(own)
    mark_ambiguous(places, national_index(national, province))
    merged = Counter(r.new_province for r in own).most_common(1)[0][0]
    ordered = sorted(places.values(), key=lambda p: (LEVEL_ORDER.index(p.level), p.name))
    return RegionSpec(
        name=own[0].old_province.name,
        kind=own[0].old_province.kind,
        merged_into=merged.name,
        merged_kind=merged.kind,
        source=source,
        places=ordered,
        aliases=aliases(own, own[0].old_province.name),
        other_provinces=other_provinces(national, province),
    )


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_list(values: Iterable[str]) -> str:
    items = [_toml_str(v) for v in sorted(values)]
    if sum(len(i) + 2 for i in items) < 80:
        return "[" + ", ".join(items) + "]"
    rows, row = [], ""
    for item in items:
        if row and len(row) + len(item) > 90:
            rows.append(row.rstrip())
            row = ""
        row += item + ", "
    rows.append(row.rstrip())
    return "[\n    " + "\n    ".join(rows) + "\n]"


def render_toml(spec: RegionSpec) -> str:
    """The gazetteer as TOML text, with comments for the operator."""
    lines = [
        f"# Gazetteer of the monitored region: {spec.kind} {spec.name}.",
        "# Built by scripts/build_region.py from:",
        f"#   {spec.source}",
        "# Rebuild rather than edit places; aliases may be added by hand.",
        "# Levels: province, former_district, former_commune, new_commune (the units of",
        "# 1 July 2025), alias. An ambiguous name (it exists elsewhere too, or is a numbered ward)",
        "# counts only when the text also names the region for sure.",
        '# No two-letter abbreviation (e.g. "ST") is listed: it matches far too much.',
        "",
        "[region]",
        f"name = {_toml_str(spec.name)}",
        f"kind = {_toml_str(spec.kind)}",
        f"merged_into = {_toml_str(spec.merged_into)}",
        f"merged_kind = {_toml_str(spec.merged_kind)}",
        'merged_on = "2025-07-01"',
        "",
        "# Other provinces (former and new): a name followed by one of them is not ours.",
        f"other_provinces = {_toml_list(spec.other_provinces)}",
    ]
    for place in spec.places:
        lines += [
            "",
            "[[place]]",
            f"name = {_toml_str(place.name)}",
            f"level = {_toml_str(place.level)}",
        ]
        lines.append(f"kinds = {_toml_list(k for k in place.kinds if k)}")
        if place.new:
            lines.append("new = true")
        if place.became:
            lines.append(f"became = {_toml_list(place.became)}")
        if place.ambiguous:
            lines += ["ambiguous = true", f"note = {_toml_str(place.note)}"]
    for alias, name, level in spec.aliases:
        lines += ["", "[[alias]]", f"text = {_toml_str(alias)}", f"name = {_toml_str(name)}"]
        lines.append(f"level = {_toml_str(level)}")
    return "\n".join(lines) + "\n"

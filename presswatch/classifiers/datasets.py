"""Labelled data for training and evaluation: reading JSONL, the fixed held-out split, negatives.

The held-out split of a labelled file is fixed by its ids: rows are grouped by their rarest
topic (or by relevance and tone when they have none), ordered within each group by a hash of
their id, and every third row is held out. So each topic is represented, and the split never
changes while the file does not.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presswatch.classifiers.lexicon import TOPIC_IDS
from presswatch.classifiers.tone import TONES
from presswatch.errors import InputError

SPLIT_SALT = "presswatch-heldout:"
HELDOUT_EVERY = 3
#: VNTC sections that rarely treat the plan's topics: safe negatives for topic training.
QUIET_SECTIONS = frozenset({"Suc khoe", "The thao", "Vi tinh", "Khoa hoc"})


@dataclass(slots=True)
class Example:
    """One labelled text (labels may be missing: None / empty)."""

    id: str
    text: str
    title: str = ""
    relevance: int | None = None
    topics: list[str] | None = None
    tone: str | None = None
    origin: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _check(row: dict[str, Any], where: str) -> Example:
    if not isinstance(row.get("id"), str | int) or not isinstance(row.get("text"), str):
        raise InputError(f"{where}: each line needs an 'id' and a 'text'")
    relevance, topics, tone = row.get("relevance"), row.get("topics"), row.get("tone")
    if relevance is not None and relevance not in (0, 1, 2):
        raise InputError(f"{where}: relevance {relevance!r} is not 0, 1 or 2")
    if topics is not None and (not isinstance(topics, list) or set(topics) - set(TOPIC_IDS)):
        raise InputError(f"{where}: topics {topics!r} must be a list of {', '.join(TOPIC_IDS)}")
    if tone is not None and tone not in TONES:
        raise InputError(f"{where}: tone {tone!r} is not one of {', '.join(TONES)}")
    return Example(
        id=str(row["id"]),
        text=row["text"],
        title=str(row.get("title") or ""),
        relevance=relevance,
        topics=topics,
        tone=tone,
        origin=str(row.get("origin") or ""),
    )


def load_jsonl(path: Path) -> list[Example]:
    """Labelled examples of a JSONL file; InputError names the file and line of a bad row."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror}") from None
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{where}: a line must be a JSON object")
        examples.append(_check(row, where))
    return examples


def _stratum(example: Example, frequency: Counter[str]) -> str:
    if example.topics:
        return min(example.topics, key=lambda t: (frequency[t], t))
    return f"relevance={example.relevance} tone={example.tone}"


def _hash(example_id: str) -> str:
    return hashlib.sha1((SPLIT_SALT + example_id).encode("utf-8")).hexdigest()


def heldout_ids(examples: list[Example]) -> set[str]:
    """The ids of the fixed held-out part (about a third, every topic represented)."""
    frequency = Counter(t for e in examples for t in e.topics or [])
    strata: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        strata[_stratum(example, frequency)].append(example)
    held: set[str] = set()
    for members in strata.values():
        members.sort(key=lambda e: _hash(e.id))
        held.update(e.id for i, e in enumerate(members) if i % HELDOUT_EVERY == 1)
    return held


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(train part, held-out part) of a labelled file."""
    held = heldout_ids(examples)
    return [e for e in examples if e.id not in held], [e for e in examples if e.id in held]


def vntc_negatives(path: Path, exclude: Iterable[Example]) -> list[Example]:
    """Real news that never names the region: relevance 0; topic negatives from quiet sections.

    Articles that also appear in the labelled data (same id or same opening) are left out, so
    nothing held out leaks into training.
    """
    skip_ids = {e.id.split(":", 1)[-1] for e in exclude}
    skip_text = {e.text[:200] for e in exclude}
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        if row["id"] in skip_ids or row["text"][:200] in skip_text:
            continue
        quiet = row.get("label") in QUIET_SECTIONS
        out.append(
            Example(
                id=f"vntc:{row['id']}",
                text=row["text"],
                relevance=0,
                topics=[] if quiet else None,
                origin="vntc-negative",
                extra={"line": number, "section": row.get("label", "")},
            )
        )
    return out

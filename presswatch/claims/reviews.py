"""Claims: what analysts' decisions say — precision of flags by signal and source, training data
(reviewed flags for the misinformation model, label corrections for relevance, topics and tone).

Decisions themselves are recorded by :func:`presswatch.review.actions.decide` (review row, the
flag's status and the audit row in one transaction); this module only reads them. The latest
decision on a flag counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.orm import Session

from presswatch.redact import redact
from presswatch.storage import queries


@dataclass(slots=True)
class Precision:
    """Confirmed and dismissed flags of one group (a signal, a source, or all)."""

    key: str
    confirmed: int = 0
    dismissed: int = 0

    @property
    def reviewed(self) -> int:
        """Flags with a decision."""
        return self.confirmed + self.dismissed

    @property
    def precision(self) -> float | None:
        """Share of reviewed flags that analysts confirmed; None before any review."""
        return self.confirmed / self.reviewed if self.reviewed else None

    def add(self, decision: str) -> None:
        """Count one decision."""
        if decision == "confirm":
            self.confirmed += 1
        elif decision == "dismiss":
            self.dismissed += 1


@dataclass(slots=True)
class PrecisionReport:
    """Precision of flags overall, by signal that fired and by source."""

    overall: Precision
    by_signal: list[Precision]
    by_source: list[Precision]


def flag_precision(session: Session) -> PrecisionReport:
    """Precision of the reviewed flags (latest decision per flag)."""
    overall = Precision("all")
    signals: dict[str, Precision] = {}
    sources: dict[str, Precision] = {}
    for row in queries.flag_review_outcomes(session):
        overall.add(row["decision"])
        for name in row["signals"]:
            signals.setdefault(name, Precision(name)).add(row["decision"])
        sources.setdefault(row["source"], Precision(row["source"])).add(row["decision"])
    return PrecisionReport(overall, _ordered(signals.values()), _ordered(sources.values()))


def _ordered(groups: Iterable[Precision]) -> list[Precision]:
    return sorted(groups, key=lambda p: (-p.reviewed, p.key))


def training_rows(session: Session) -> list[dict[str, Any]]:
    """Confirmed (label 1) and dismissed (label 0) flags as training examples, text redacted.

    Same fields as a classify input line (no author: content, not people), plus the label,
    the reason code, the signals that fired and the model version of the flag.
    """
    out = []
    for row in queries.reviewed_flags_for_export(session):
        flag, doc, review = row["flag"], row["document"], row["review"]
        engagement = (doc.extra or {}).get("engagement", {})
        out.append({
            "id": f"flag-{flag.id}", "label": 1 if flag.status == "confirmed" else 0,
            "decision": review.decision, "reason_code": review.reason_code,
            "title": redact(doc.title), "text": redact(doc.text), "url": doc.url,
            "source_kind": doc.source_kind,
            "published_at": doc.published_at.isoformat() if doc.published_at else "",
            "engagement": {k: engagement.get(k, 0) for k in ("likes", "comments", "shares")},
            "signals": [s["name"] for s in row["signals"]], "score": flag.score,
            "model_version": flag.model_version,
        })  # fmt: skip
    return out


def label_rows(session: Session) -> list[dict[str, Any]]:
    """Analysts' latest labels per document in the labelled-data format `presswatch train` reads.

    Text redacted; no author or reviewer. Origin "office-review" marks them as real rows.
    """
    return [_label_row(correction, doc) for correction, doc in queries.label_corrections(session)]


def _label_row(correction: Any, doc: Any) -> dict[str, Any]:
    return {
        "id": f"office-{doc.id}", "origin": "office-review", "title": redact(doc.title),
        "text": redact(doc.text), "relevance": correction.relevance,
        "topics": list(correction.topics), "tone": correction.tone,
    }  # fmt: skip


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write rows as JSON lines; return how many."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def export_training(session: Session, path: Path) -> int:
    """Write the training examples to a JSONL file; return how many."""
    with path.open("w", encoding="utf-8") as out:
        return write_jsonl(training_rows(session), out)


def export_labels(session: Session, path: Path) -> int:
    """Write the analysts' label corrections to a JSONL file; return how many."""
    with path.open("w", encoding="utf-8") as out:
        return write_jsonl(label_rows(session), out)

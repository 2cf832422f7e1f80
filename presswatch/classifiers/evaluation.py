"""Evaluation: per-label precision, recall and F1, micro and macro, and confusion tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from presswatch.classifiers.datasets import Example
from presswatch.classifiers.lexicon import TOPIC_IDS
from presswatch.classifiers.tone import TONES


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall, F1 and support of one label."""

    precision: float
    recall: float
    f1: float
    support: int


def scores(tp: int, fp: int, fn: int) -> Scores:
    """Scores from counts (0 when undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp + fn)


@dataclass(slots=True)
class Report:
    """Every figure of one evaluation run."""

    rows: int
    relevance: dict[str, Scores] = field(default_factory=dict)
    relevance_confusion: dict[tuple[int, int], int] = field(default_factory=dict)
    topics: dict[str, Scores] = field(default_factory=dict)
    tone: dict[str, Scores] = field(default_factory=dict)
    tone_confusion: dict[tuple[str, str], int] = field(default_factory=dict)

    def summary(self) -> dict[str, float]:
        """The headline figures (those the quality gate pins)."""
        out: dict[str, float] = {}
        if "about" in self.relevance:
            out["relevance_about_f1"] = self.relevance["about"].f1
        for key in ("micro", "macro"):
            if key in self.topics:
                out[f"topics_{key}_f1"] = self.topics[key].f1
        if "macro" in self.tone:
            out["tone_macro_f1"] = self.tone["macro"].f1
        return out


def _per_label(
    pairs: Sequence[tuple[set[str], set[str]]], labels: Sequence[str]
) -> dict[str, Scores]:
    """Per-label, micro and macro scores of (gold set, predicted set) pairs."""
    counts = {label: Counter[str]() for label in labels}
    for gold, predicted in pairs:
        for label in labels:
            kind = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get(
                (label in gold, label in predicted)
            )
            if kind:
                counts[label][kind] += 1
    out = {label: scores(c["tp"], c["fp"], c["fn"]) for label, c in counts.items()}
    total = sum(counts.values(), Counter[str]())
    out["micro"] = scores(total["tp"], total["fp"], total["fn"])
    macro = [out[label] for label in labels]
    out["macro"] = Scores(
        sum(s.precision for s in macro) / len(macro),
        sum(s.recall for s in macro) / len(macro),
        sum(s.f1 for s in macro) / len(macro),
        sum(s.support for s in macro),
    )
    return out


def evaluate(examples: list[Example], outputs: list[dict[str, Any]]) -> Report:
    """Compare classify outputs with the labels of the same examples."""
    report = Report(rows=len(examples))
    rel = [(e.relevance, o["relevance"]) for e, o in zip(examples, outputs, strict=True)
           if e.relevance is not None]  # fmt: skip
    if rel:
        report.relevance = _per_label([({str(g)}, {str(p)}) for g, p in rel], ["0", "1", "2"])
        about = [({"2"} & {str(g)}, {"2"} & {str(p)}) for g, p in rel]
        report.relevance["about"] = _per_label(about, ["2"])["2"]
        report.relevance_confusion = dict(Counter(rel))
    top = [(set(e.topics), set(o["topics"])) for e, o in zip(examples, outputs, strict=True)
           if e.topics is not None]  # fmt: skip
    if top:
        report.topics = _per_label(top, TOPIC_IDS)
    tone = [(e.tone, o["tone"]) for e, o in zip(examples, outputs, strict=True) if e.tone]
    if tone:
        report.tone = _per_label([({g}, {p}) for g, p in tone], TONES)
        report.tone_confusion = dict(Counter(tone))
    return report


def _table(title: str, figures: dict[str, Scores]) -> list[str]:
    lines = [f"{title:<22}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}"]
    for label, s in figures.items():
        lines.append(f"  {label:<20}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.support:>9}")
    return lines


def _confusion(title: str, cells: dict[Any, int], labels: Sequence[Any]) -> list[str]:
    width = max(10, *(len(str(x)) + 2 for x in labels))
    lines = [f"{title} (rows: labelled, columns: predicted)"]
    lines.append(" " * width + "".join(f"{x!s:>{width}}" for x in labels))
    for gold in labels:
        row = "".join(f"{cells.get((gold, p), 0):>{width}}" for p in labels)
        lines.append(f"{gold!s:<{width}}{row}")
    return lines


def format_report(report: Report) -> str:
    """The report as text for people."""
    lines = [f"{report.rows} labelled rows"]
    if report.relevance:
        lines += ["", *_table("relevance", report.relevance)]
        lines += ["", *_confusion("relevance", report.relevance_confusion, [0, 1, 2])]
    if report.topics:
        lines += ["", *_table("topics", report.topics)]
    if report.tone:
        lines += ["", *_table("tone", report.tone)]
        lines += ["", *_confusion("tone", report.tone_confusion, list(TONES))]
    lines += ["", "summary: " + ", ".join(f"{k} {v:.3f}" for k, v in report.summary().items())]
    return "\n".join(lines)

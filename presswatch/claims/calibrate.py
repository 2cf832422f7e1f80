"""Claims: fit the combiner's weights on a small labelled set, and measure how well they fit.

The set (``data/calibration.jsonl``, written by hand for this project, with its own claim base
``data/calibration_claims.json``) holds short posts and articles of every source kind labelled 1
when an analyst should see them as suspected misinformation and 0 otherwise: repeats and
paraphrases of false claims, contradicted figures, impersonation — and criticism, opinion,
refutations and correct figures on the same subjects. Each row is run through the same signal
code as the pipeline (its ``spike_sources`` stand in for the database), and a logistic
regression (L2, its C chosen by 5-fold cross-validated log loss) is fitted on the signals'
features. Run::

    python -m presswatch.claims.calibrate [config/flagging.toml]

It prints the fitted ``[combiner]`` values to paste into config/flagging.toml, and the
cross-validated log loss and Brier score of those values and of the configured ones.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presswatch.claims.base import parse_claims
from presswatch.claims.policy import SIGNALS, Policy, load_policy
from presswatch.claims.records import ClaimEntry
from presswatch.classifiers import signals as sig
from presswatch.document import Document, Signal
from presswatch.pipeline.misinfo import Misinformation, load_content_model
from presswatch.sources import SourceConfig

DATA = Path(__file__).resolve().parent / "data"
FEATURES = tuple(s for s in SIGNALS)
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)


@dataclass(slots=True)
class Example:
    """One labelled row, as a document and its source, with the signals found for it."""

    id: str
    doc: Document
    label: int
    signals: list[Signal]


def calibration_claims() -> list[ClaimEntry]:
    """The calibration set's own claim base, numbered from 1."""
    raw = (DATA / "calibration_claims.json").read_text("utf-8")
    entries = parse_claims(raw, "json", name="calibration_claims.json")
    return [ClaimEntry(**(_fields(e) | {"id": i})) for i, e in enumerate(entries, 1)]


def _fields(entry: ClaimEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in entry.__dataclass_fields__}


def examples(policy: Policy, stage: Misinformation | None = None) -> list[Example]:
    """The labelled rows with their signals (spike from the row's ``spike_sources``)."""
    lines = (DATA / "calibration.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    sources = {r["id"]: _source(r) for r in rows}
    if stage is None:
        model, post_type = load_content_model()
        stage = Misinformation(policy, calibration_claims(), sources, model, post_type)
    else:
        stage.sources.update(sources)
    out = []
    for row in rows:
        doc = Document(url=f"https://example.invalid/{row['id']}", source=row["id"],
                       source_kind=row["source_kind"], text=row["text"],
                       channel=row.get("channel", ""))  # fmt: skip
        found = stage.signals(doc)
        if row.get("spike_sources", 0) >= policy.spike.min_sources:
            found.append(sig.spike(row["spike_sources"], row["spike_sources"], 24.0, 0))
        out.append(Example(row["id"], doc, int(row["label"]), found))
    return out


def _source(row: dict[str, Any]) -> SourceConfig:
    kind, reliability = row["source_kind"], float(row["reliability"])
    name = row.get("channel", "")
    return SourceConfig(row["id"], name, "import", (), kind, reliability=reliability)


def feature_matrix(items: list[Example], combiner: sig.Combiner) -> list[list[float]]:
    """One row of signal features per example, in FEATURES order (0 when a signal is absent)."""
    matrix = []
    for item in items:
        values = dict.fromkeys(FEATURES, 0.0)
        for signal in item.signals:
            values[signal.name] = combiner.feature(signal, item.doc.source_kind)
        matrix.append([values[f] for f in FEATURES])
    return matrix


def fit(
    items: list[Example], combiner: sig.Combiner, c: float = 1.0
) -> tuple[float, dict[str, float]]:
    """(bias, weights) of an L2 logistic regression; a weight below zero is fixed at zero.

    Signals only ever add suspicion (source reliability may lower it: its feature is signed),
    so a signal fitted with a negative weight is left out and the rest refitted.
    """
    from sklearn.linear_model import LogisticRegression

    x = feature_matrix(items, combiner)
    y = [i.label for i in items]
    used = list(range(len(FEATURES)))
    while True:
        model = LogisticRegression(C=c, max_iter=1000).fit([[r[j] for j in used] for r in x], y)
        coef = dict(zip(used, model.coef_[0], strict=True))
        negative = [j for j, w in coef.items() if w < 0 and FEATURES[j] != "source_reliability"]
        if not negative:
            break
        used = [j for j in used if j not in negative]
    weights = {f: round(float(coef.get(j, 0.0)), 2) for j, f in enumerate(FEATURES)}
    return round(float(model.intercept_[0]), 2), weights


def choose_c(items: list[Example], combiner: sig.Combiner) -> tuple[float, dict[float, float]]:
    """The regularisation with the lowest cross-validated log loss, and every C's loss."""
    labels = [i.label for i in items]
    losses = {c: quality(labels, cross_validated(items, combiner, c=c))["log_loss"] for c in C_GRID}
    return min(losses, key=lambda c: (losses[c], c)), losses


def scores(items: list[Example], combiner: sig.Combiner) -> list[float]:
    """The combiner's probability for each example."""
    return [combiner.combine([Signal(s.name, s.score, 0.0) for s in i.signals],
                             i.doc.source_kind) for i in items]  # fmt: skip


def cross_validated(
    items: list[Example], combiner: sig.Combiner, folds: int = 5, c: float = 1.0
) -> list[float]:
    """Out-of-fold probabilities: each example scored by weights fitted without it."""
    out = [0.0] * len(items)
    for k in range(folds):
        train = [i for n, i in enumerate(items) if n % folds != k]
        bias, weights = fit(train, combiner, c)
        fold = sig.Combiner(combiner.version, bias, weights, combiner.model_scale,
                            combiner.spike_min_sources)  # fmt: skip
        for n, item in enumerate(items):
            if n % folds == k:
                out[n] = scores([item], fold)[0]
    return out


def quality(labels: list[int], probs: list[float]) -> dict[str, float]:
    """Log loss and Brier score."""
    from sklearn.metrics import brier_score_loss, log_loss

    return {"log_loss": round(float(log_loss(labels, probs, labels=[0, 1])), 4),
            "brier": round(float(brier_score_loss(labels, probs)), 4)}  # fmt: skip


def main(argv: list[str]) -> int:
    """Fit, compare with the configured weights, and print the values to configure."""
    policy = load_policy(Path(argv[0] if argv else "config/flagging.toml"))
    combiner = sig.Combiner.from_policy(policy)
    items = examples(policy)
    labels = [i.label for i in items]
    c, losses = choose_c(items, combiner)
    bias, weights = fit(items, combiner, c)
    print(f"{len(items)} examples, {sum(labels)} positive")
    print("cross-validated log loss by C:", losses, "→ C =", c)
    print("configured weights, in sample:", quality(labels, scores(items, combiner)))
    print("refit, cross-validated:", quality(labels, cross_validated(items, combiner, c=c)))
    print(f"\n[combiner]\nbias = {bias}\n\n[combiner.weights]")
    for name, weight in weights.items():
        print(f"{name} = {weight}")
    return 0


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    raise SystemExit(main(sys.argv[1:]))

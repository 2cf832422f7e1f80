"""Claims: fit the combiner's weights on labelled data, and measure how well they fit.

Two parts, each fitted on data labelled for it:

1. The content model's weight, on ReINTEL (../shared/data/reintel/train.csv): the model's
   out-of-fold probabilities from grouped 5-fold cross-validation, one logistic regression on
   their log-odds. ReINTEL is what the model was made for — social posts with no claim-base
   evidence — so this says how far a social post's score should follow the model.
2. Every other weight and the bias, on a hand-written set (``data/calibration.jsonl``, with its
   own claim base ``data/calibration_claims.json``): short posts and articles of every source
   kind labelled 1 when an analyst should see them as suspected misinformation and 0 otherwise —
   repeats and paraphrases of false claims, contradicted figures, impersonation, and criticism,
   opinion, refutations, jokes and correct figures on the same subjects. Each row runs through
   the pipeline's own signal code (``spike_sources`` stands in for the database); the content
   model's term enters with the weight of part 1 held fixed. An L2 logistic regression, its C
   chosen by 5-fold cross-validated log loss, weights bounded below by zero.

Run (part 1 takes minutes; without ``--reintel`` the configured content-model weight is kept)::

    python -m presswatch.claims.calibrate --reintel ../shared/data/reintel/train.csv

It prints the ``[combiner]`` values to paste into config/flagging.toml, and the log loss and
Brier score of the configured values and of the refit (cross-validated).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

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
    items: list[Example],
    combiner: sig.Combiner,
    c: float = 1.0,
    fixed: dict[str, float] | None = None,
) -> tuple[float, dict[str, float]]:
    """(bias, weights) of an L2 logistic regression on the examples' signal features.

    Signals only ever add suspicion, so their weights are bounded below by zero (source
    reliability may lower it: its feature is signed). Weights in ``fixed`` are not fitted
    (the content model's comes from ReINTEL, see :func:`content_model_weight`).
    """
    fixed = fixed or {}
    x = np.array(feature_matrix(items, combiner))
    free = [j for j, f in enumerate(FEATURES) if f not in fixed]
    offset = sum(x[:, FEATURES.index(f)] * w for f, w in fixed.items()) + np.zeros(len(items))
    lower = [None if FEATURES[j] == "source_reliability" else 0.0 for j in free]
    bias, coef = logistic_fit(x[:, free], np.array([i.label for i in items]), c, lower, offset)
    weights = {f: round(float(fixed[f]), 2) if f in fixed else 0.0 for f in FEATURES}
    for j, w in zip(free, coef, strict=True):
        weights[FEATURES[j]] = round(float(w), 2)
    return round(bias, 2), weights


def logistic_fit(
    x: np.ndarray[Any, Any],
    y: np.ndarray[Any, Any],
    c: float,
    lower: list[float | None],
    offset: np.ndarray[Any, Any],
) -> tuple[float, list[float]]:
    """Bias and coefficients minimising log loss + |w|²/(2c), with lower bounds and an offset."""
    from scipy.optimize import minimize

    sign = 2.0 * y - 1.0

    def loss(params: np.ndarray[Any, Any]) -> tuple[float, np.ndarray[Any, Any]]:
        z = params[0] + x @ params[1:] + offset
        margin = sign * z
        value = np.logaddexp(0.0, -margin).sum() + (params[1:] ** 2).sum() / (2 * c)
        slope = -sign / (1.0 + np.exp(margin))
        grad = np.concatenate([[slope.sum()], x.T @ slope + params[1:] / c])
        return float(value), grad

    start = np.zeros(1 + x.shape[1])
    bounds = [(None, None)] + [(low, None) for low in lower]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return float(result.x[0]), [float(v) for v in result.x[1:]]


def content_model_weight(oof: list[float], labels: list[int]) -> tuple[float, float]:
    """(bias, weight) of the model's log-odds on ReINTEL posts it never saw in training.

    ReINTEL is what the model was made for: social posts without any claim-base evidence. Its
    out-of-fold probabilities say how far a social post's score should follow the model.
    """
    x = np.array([[sig.logit(p)] for p in oof])
    bias, (weight,) = logistic_fit(x, np.array(labels), 1e6, [0.0], np.zeros(len(oof)))
    return round(bias, 2), round(weight, 2)


def reintel_oof(path: Path) -> tuple[list[float], list[int]]:
    """Out-of-fold content-model probabilities on a ReINTEL file (grouped 5-fold; minutes)."""
    from presswatch.classifiers.misinfo_model import cross_validate
    from presswatch.classifiers.reintel import read_reintel

    result = cross_validate(read_reintel(path))
    return result.oof, result.labels


def choose_c(
    items: list[Example], combiner: sig.Combiner, fixed: dict[str, float] | None = None
) -> tuple[float, dict[float, float]]:
    """The regularisation with the lowest cross-validated log loss, and every C's loss."""
    labels = [i.label for i in items]
    losses = {
        c: quality(labels, cross_validated(items, combiner, c=c, fixed=fixed))["log_loss"]
        for c in C_GRID
    }
    return min(losses, key=lambda c: (losses[c], c)), losses


def scores(items: list[Example], combiner: sig.Combiner) -> list[float]:
    """The combiner's probability for each example."""
    return [combiner.combine([Signal(s.name, s.score, 0.0) for s in i.signals],
                             i.doc.source_kind) for i in items]  # fmt: skip


def cross_validated(
    items: list[Example],
    combiner: sig.Combiner,
    folds: int = 5,
    c: float = 1.0,
    fixed: dict[str, float] | None = None,
) -> list[float]:
    """Out-of-fold probabilities: each example scored by weights fitted without it."""
    out = [0.0] * len(items)
    for k in range(folds):
        train = [i for n, i in enumerate(items) if n % folds != k]
        bias, weights = fit(train, combiner, c, fixed)
        fold = sig.Combiner(combiner.version, bias, weights, combiner.model_scale,
                            combiner.spike_min_sources, combiner.model_two_sided)  # fmt: skip
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
    reintel = Path(argv[argv.index("--reintel") + 1]) if "--reintel" in argv else None
    rest = [a for a in argv if a != "--reintel" and (reintel is None or a != str(reintel))]
    policy = load_policy(Path(rest[0] if rest else "config/flagging.toml"))
    combiner = sig.Combiner.from_policy(policy)
    model_weight = policy.weights.get("content_model", 0.0)
    if reintel is not None:
        oof, oof_labels = reintel_oof(reintel)
        bias, model_weight = content_model_weight(oof, oof_labels)
        print(f"ReINTEL out of fold ({len(oof)} posts): bias {bias}, content_model {model_weight}")
    fixed = {"content_model": model_weight}
    items = examples(policy)
    labels = [i.label for i in items]
    c, losses = choose_c(items, combiner, fixed)
    bias, weights = fit(items, combiner, c, fixed)
    print(f"{len(items)} examples, {sum(labels)} positive")
    print("cross-validated log loss by C:", losses, "→ C =", c)
    print("configured weights, in sample:", quality(labels, scores(items, combiner)))
    print(
        "refit, cross-validated:",
        quality(labels, cross_validated(items, combiner, c=c, fixed=fixed)),
    )
    print(f"\n[combiner]\nbias = {bias}\n\n[combiner.weights]")
    for name, weight in weights.items():
        print(f"{name} = {weight}")
    return 0


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    raise SystemExit(main(sys.argv[1:]))

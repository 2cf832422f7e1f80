"""Quality gate: the configured combiner on the hand-written calibration set.

Floors may only go up. The configured weights must also be what the calibration script fits
(so config/flagging.toml says where its numbers come from): the content model's on ReINTEL
(slow: grouped cross-validation), the others on the hand-written set.
"""

from __future__ import annotations

import pytest

from presswatch.claims import calibrate
from presswatch.claims.policy import load_policy
from presswatch.classifiers import signals as sig
from presswatch.classifiers.misinfo_model import CVResult
from tests.conftest import REPO

POLICY = load_policy(REPO / "config" / "flagging.toml")
COMBINER = sig.Combiner.from_policy(POLICY)
MAX_BRIER = 0.13
MAX_LOG_LOSS = 0.45
MIN_PRECISION = 0.85
MIN_RECALL = 0.75
WEIGHT_TOLERANCE = 0.35


@pytest.fixture(scope="module")
def items() -> list[calibrate.Example]:
    return calibrate.examples(POLICY)


def test_scores_are_calibrated(items: list[calibrate.Example]) -> None:
    labels = [i.label for i in items]
    quality = calibrate.quality(labels, calibrate.scores(items, COMBINER))
    assert quality["brier"] <= MAX_BRIER and quality["log_loss"] <= MAX_LOG_LOSS, quality


def test_policy_decisions_on_the_calibration_set(items: list[calibrate.Example]) -> None:
    decided = [
        (i.label, sig.decide(list(i.signals), i.doc, POLICY, COMBINER, "m").flagged) for i in items
    ]
    flagged = [label for label, flag in decided if flag]
    positives = [flag for label, flag in decided if label]
    precision, recall = sum(flagged) / len(flagged), sum(positives) / len(positives)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (precision, recall)


def test_configured_weights_are_the_fitted_ones(items: list[calibrate.Example]) -> None:
    fixed = {"content_model": POLICY.weights["content_model"]}  # fitted on ReINTEL: see below
    c, _ = calibrate.choose_c(items, COMBINER, fixed)
    bias, weights = calibrate.fit(items, COMBINER, c, fixed)
    assert POLICY.bias == pytest.approx(bias, abs=WEIGHT_TOLERANCE)
    for name, weight in weights.items():
        assert POLICY.weights.get(name, 0.0) == pytest.approx(weight, abs=WEIGHT_TOLERANCE), name


@pytest.mark.slow
def test_content_model_weight_is_its_reintel_fit(reintel_cv: CVResult) -> None:
    _, weight = calibrate.content_model_weight(reintel_cv.oof, reintel_cv.labels)
    assert POLICY.weights["content_model"] == pytest.approx(weight, abs=0.1)

"""Quality gate: the shipped models on the fixed held-out part of dev.jsonl, against pinned floors.

Floors live in tests/data/quality/floors.json and may only go up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presswatch.classifiers.datasets import heldout_ids, load_jsonl, split
from presswatch.classifiers.evaluation import evaluate
from presswatch.classifiers.understanding import Analyzer
from presswatch.settings import Settings
from tests.conftest import REPO, shared_data

QUALITY = REPO / "tests/data/quality"


@pytest.fixture(scope="module")
def dev() -> list:  # type: ignore[type-arg]
    return load_jsonl(shared_data("labeled", "dev.jsonl"))


def test_heldout_split_is_fixed(dev: list) -> None:  # type: ignore[type-arg]
    pinned = (QUALITY / "heldout_ids.txt").read_text(encoding="utf-8").split("\n")
    assert heldout_ids(dev) == {i for i in pinned if i}


@pytest.mark.slow
def test_shipped_models_meet_the_floors(dev: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    floors = json.loads((QUALITY / "floors.json").read_text(encoding="utf-8"))
    _, heldout = split(dev)
    assert len(heldout) == floors["heldout_rows"]
    settings = Settings({"config_dir": str(REPO / "config")}, base_dir=tmp_path)
    analyzer = Analyzer(
        [s for s in Analyzer.from_settings(settings).stages if s.name != "misinformation"]
    )
    outputs = [analyzer.classify({"id": e.id, "text": e.text}) for e in heldout]
    summary = evaluate(heldout, outputs).summary()
    below = {k: (round(v, 3), floors[k]) for k, v in summary.items() if v < floors[k]}
    assert not below, f"below the pinned floors (got, floor): {below}"

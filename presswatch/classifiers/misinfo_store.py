"""Misinformation content model: its file, with versions checked before it is used.

The file holds only numpy arrays, plain Python values and PressWatch's own classes (no
scikit-learn objects), so it does not depend on the scikit-learn release: the release that
trained it is recorded for the record. numpy's major version must match, because numpy pickles
do not load across major versions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn

from presswatch.errors import ModelError

KIND = "misinfo"
FORMAT = 1
RETRAIN = "presswatch train-misinfo --data ../shared/data/reintel/train.csv"


def write_model(path: Path, parts: dict[str, Any], meta: dict[str, Any]) -> None:
    """Write the model's parts with a header of kind, format and library versions."""
    header = {"kind": KIND, "format": FORMAT, "sklearn": sklearn.__version__,
              "numpy": np.__version__, **meta}  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"meta": header, "model": parts}, path, compress=("zlib", 6))


def read_model(path: Path, family: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(meta, parts) of a model file; ModelError when missing, unreadable or incompatible."""
    if not path.is_file():
        raise ModelError(f"no misinformation content model at {path}: run `{RETRAIN}`")
    try:
        data = joblib.load(path)
        meta, parts = data["meta"], data["model"]
    except Exception as exc:  # a corrupt or foreign file fails in many ways
        raise ModelError(f"{path} is not a readable model file ({exc}): run `{RETRAIN}`") from exc
    _check(path, meta, family)
    return meta, parts


def _check(path: Path, meta: dict[str, Any], family: str) -> None:
    if meta.get("kind") != KIND or meta.get("format") != FORMAT:
        raise ModelError(
            f"{path} is a {meta.get('kind')!r} model of format {meta.get('format')!r}, "
            f"expected {KIND!r} format {FORMAT}: run `{RETRAIN}`"
        )
    if meta.get("family") != family:
        raise ModelError(
            f"{path} holds model {meta.get('family')!r}; this PressWatch needs {family!r}: "
            f"run `{RETRAIN}`"
        )
    trained, running = str(meta.get("numpy", "?")), np.__version__
    if trained.split(".")[0] != running.split(".")[0]:
        raise ModelError(
            f"{path} was written with numpy {trained}, this is numpy {running} "
            f"(the same major version is needed): run `{RETRAIN}`"
        )

"""Misinformation content model: its file, with versions checked before it is used.

The file holds scikit-learn objects, so it is tied to the scikit-learn release that wrote it:
the same major.minor release is required (pickles are not promised to load across releases).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.exceptions import InconsistentVersionWarning

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
        with warnings.catch_warnings():
            # The release is compared below, with a message that says what to do.
            warnings.simplefilter("ignore", InconsistentVersionWarning)
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
    trained, running = str(meta.get("sklearn", "?")), sklearn.__version__
    if _release(trained) != _release(running):
        raise ModelError(
            f"{path} was trained with scikit-learn {trained}, this is scikit-learn {running} "
            f"(the same major.minor release is needed): run `{RETRAIN}`"
        )


def _release(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])

"""Reading and writing the shipped model files, with their versions checked on load."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from presswatch.errors import ModelError

#: Bump when the layout of a model file changes; files of another format are refused.
FORMAT_VERSION = 1
MODELS_DIR = Path(__file__).resolve().parent / "models"


def model_path(kind: str, directory: Path | None = None) -> Path:
    """Where the model of a kind ("relevance", "topics", "tone") lives."""
    return (directory or MODELS_DIR) / f"{kind}.joblib"


def fingerprint(*parts: Any) -> str:
    """A short, stable hash of training data and parameters: part of a model's version."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:10]


def save_model(kind: str, payload: dict[str, Any], meta: dict[str, Any], path: Path) -> None:
    """Write a model: its arrays and meta (version, versions of the tools that trained it)."""
    import sklearn

    header = {
        "kind": kind,
        "format": FORMAT_VERSION,
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        **meta,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"meta": header, "model": payload}, path, compress=3)


def load_model(kind: str, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(meta, payload) of a model file; ModelError when missing, unreadable or of another version.

    The payload holds only numpy arrays and plain Python values (no scikit-learn objects), so the
    scikit-learn version that trained it is recorded but need not match; numpy's major version
    must, because its pickles do not load across major versions.
    """
    if not path.exists():
        raise ModelError(f"no {kind} model at {path}: run `presswatch train`")
    try:
        data = joblib.load(path)
        meta, payload = data["meta"], data["model"]
    except Exception as exc:  # a corrupt or foreign file can fail in many ways
        raise ModelError(
            f"{kind} model {path} is unreadable ({exc}): run `presswatch train`"
        ) from exc
    if meta.get("kind") != kind or meta.get("format") != FORMAT_VERSION:
        raise ModelError(
            f"{path} is a {meta.get('kind')!r} model of format {meta.get('format')!r}; expected "
            f"{kind!r} format {FORMAT_VERSION}: run `presswatch train`"
        )
    if str(meta.get("numpy", "")).split(".")[0] != np.__version__.split(".")[0]:
        raise ModelError(
            f"{path} was written with numpy {meta.get('numpy')}, this is numpy {np.__version__}: "
            "run `presswatch train`"
        )
    return meta, payload

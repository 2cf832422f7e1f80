"""Claims: the flagging policy in config/flagging.toml — weights, thresholds, evidence rules.

The operator edits the file; this module reads and checks it, and names the key and what was
expected when something is wrong.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presswatch.claims.facts import FactSettings
from presswatch.claims.matching import MatchSettings
from presswatch.errors import ConfigError
from presswatch.sources import SOURCE_KINDS

SIGNALS = (
    "claim_match", "fact_contradiction", "content_model", "impersonation", "spike",
    "source_reliability",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SpikeSettings:
    """Near-identical posts across at least ``min_sources`` sources within ``window_hours``."""

    min_sources: int = 3
    window_hours: float = 24.0


@dataclass(frozen=True, slots=True)
class ImpersonationSettings:
    """Names of official bodies, and the marks of an official document in a post's text."""

    bodies: tuple[str, ...] = ()
    document_marks: tuple[str, ...] = ()
    min_marks: int = 2
    source_kinds: tuple[str, ...] = ("social",)


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything the misinformation stage needs from config/flagging.toml."""

    version: str
    bias: float
    weights: dict[str, float]
    thresholds: dict[str, dict[str, float]]
    evidence: dict[str, tuple[str, ...]]
    content_model_evidence_min: float
    content_model_scale: dict[str, float]
    content_model_two_sided: tuple[str, ...]
    reliability: dict[str, float]
    default_reliability: float
    matching: MatchSettings = field(default_factory=MatchSettings)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    facts: FactSettings = field(default_factory=FactSettings)
    spike: SpikeSettings = field(default_factory=SpikeSettings)
    impersonation: ImpersonationSettings = field(default_factory=ImpersonationSettings)

    def threshold(self, source_kind: str, topics: list[str]) -> float:
        """The lowest threshold among the document's topics for its kind, else the kind's."""
        table = self.thresholds.get(source_kind) or self.thresholds.get("social", {})
        default = table.get("default", 0.5)
        return min([table[t] for t in topics if t in table] or [default])

    def evidence_signals(self, source_kind: str) -> tuple[str, ...]:
        """Signals that may justify a flag on a document of this source kind."""
        return self.evidence.get(source_kind, self.evidence["default"])


def load_policy(path: Path) -> Policy:
    """Read and check config/flagging.toml."""
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"flagging policy {str(path)!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return policy_from_mapping(data, str(path))


def policy_from_mapping(data: Mapping[str, Any], where: str = "flagging.toml") -> Policy:
    """A Policy from the parsed TOML; ConfigError names the bad key."""
    combiner = _table(data, "combiner", where)
    weights = {k: _float(v, f"combiner.weights.{k}", where) for k, v in
               _table(combiner, "weights", where).items()}  # fmt: skip
    unknown = set(weights) - set(SIGNALS)
    if unknown:
        raise ConfigError(f"{where}: unknown signal {sorted(unknown)[0]!r}; known: {SIGNALS}")
    evidence = _table(data, "evidence", where)
    model = _table(data, "content_model", where)
    reliability = _table(data, "reliability", where)
    return Policy(
        version=str(combiner.get("version", "")) or _missing("combiner.version", where),
        bias=_float(combiner.get("bias"), "combiner.bias", where),
        weights=weights,
        thresholds=_thresholds(_table(data, "thresholds", where), where),
        evidence=_evidence(evidence, where),
        content_model_evidence_min=_float(model.get("evidence_min", 0.9), "evidence_min", where),
        content_model_scale=_kinds(_table(model, "scale", where), "content_model.scale", where),
        content_model_two_sided=_kind_list(model.get("two_sided", ["social"]), where),
        reliability=_kinds(_table(reliability, "source_kind", where), "reliability", where),
        default_reliability=_float(reliability.get("default", 0.5), "reliability.default", where),
        matching=_settings(MatchSettings, data.get("matching", {}), "matching", where),
        synonyms={k: tuple(v) for k, v in data.get("matching", {}).get("synonyms", {}).items()},
        facts=_settings(FactSettings, data.get("facts", {}), "facts", where),
        spike=_settings(SpikeSettings, data.get("spike", {}), "spike", where),
        impersonation=_settings(
            ImpersonationSettings, data.get("impersonation", {}), "impersonation", where
        ),
    )


def _table(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] must be a table")
    return value


def _float(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number, not {value!r}")
    return float(value)


def _missing(key: str, where: str) -> str:
    raise ConfigError(f"{where}: {key} is missing")


def _kinds(table: dict[str, Any], key: str, where: str) -> dict[str, float]:
    for kind in table:
        if kind not in SOURCE_KINDS:
            raise ConfigError(
                f"{where}: {key}.{kind}: not a source kind ({', '.join(SOURCE_KINDS)})"
            )
    return {k: _float(v, f"{key}.{k}", where) for k, v in table.items()}


def _kind_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or any(k not in SOURCE_KINDS for k in value):
        raise ConfigError(f"{where}: content_model.two_sided must list source kinds")
    return tuple(value)


def _thresholds(table: dict[str, Any], where: str) -> dict[str, dict[str, float]]:
    out = {}
    for kind, values in table.items():
        if kind not in SOURCE_KINDS or not isinstance(values, dict):
            raise ConfigError(f"{where}: [thresholds.{kind}] must be a source kind's table")
        out[kind] = {k: _float(v, f"thresholds.{kind}.{k}", where) for k, v in values.items()}
    missing = set(SOURCE_KINDS) - set(out)
    if missing:
        raise ConfigError(f"{where}: no [thresholds.{sorted(missing)[0]}] table")
    return out


def _evidence(table: dict[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    default = table.get("signals")
    if not isinstance(default, list):
        raise ConfigError(f"{where}: evidence.signals must list the evidence-bearing signals")
    out = {"default": tuple(default)}
    for kind, names in _table(table, "source_kind", where).items():
        out[kind] = tuple(names)
    for names in out.values():
        for name in names:
            if name not in SIGNALS:
                raise ConfigError(f"{where}: evidence: unknown signal {name!r}; known: {SIGNALS}")
    return out


def _settings(cls: Any, table: Any, key: str, where: str) -> Any:
    """A settings dataclass from a table, refusing unknown keys; lists become tuples."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [{key}] must be a table")
    known = set(cls.__dataclass_fields__)
    values = {
        k: tuple(v) if isinstance(v, list) else v for k, v in table.items() if k != "synonyms"
    }
    unknown = set(values) - known
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {key}.{sorted(unknown)[0]}; known: {sorted(known)}"
        )
    try:
        return cls(**values)
    except TypeError as exc:
        raise ConfigError(f"{where}: [{key}]: {exc}") from None

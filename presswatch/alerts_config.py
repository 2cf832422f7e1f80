"""Alert and report configuration: reads config/alerts.toml into plain values, validated."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from presswatch.errors import ConfigError

RULE_KINDS = ("flag", "velocity")
SOURCE_KINDS = ("domestic", "foreign", "social", "official")


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window (office time) in which alerts wait; may cross midnight."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """True when a wall-clock time falls inside the window."""
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True, slots=True)
class Group:
    """A recipient group: its addresses and whether it sees unreviewed flags."""

    key: str
    name: str
    addresses: tuple[str, ...]
    unreviewed: bool = False
    quiet_hours: QuietHours | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """An alert rule: a flag threshold (with filters) or a story-velocity threshold."""

    name: str
    kind: str
    groups: tuple[str, ...]
    min_score: float = 0.0
    topics: tuple[str, ...] = ()
    source_kinds: tuple[str, ...] = ()
    min_documents: int = 5
    min_sources: int = 1
    window_hours: float = 6.0


@dataclass(frozen=True, slots=True)
class PlanTask:
    """A task of the communication plan, counted by its topics and keywords."""

    name: str
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportConfig:
    """How the quarterly report is headed and signed, and what it counts."""

    governing_body: str = "UBND THÀNH PHỐ CẦN THƠ"
    agency: str = "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    agency_code: str = "SVHTTDL"
    number: int = 0
    place: str = "Cần Thơ"
    region: str = "địa bàn"
    subject: str = "Tình hình thông tin báo chí, dư luận xã hội liên quan đến địa bàn"
    signer_authority: str = "KT. GIÁM ĐỐC"
    signer_position: str = "PHÓ GIÁM ĐỐC"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    archive: str = "VT"
    top_n: int = 10
    uptake_min_similarity: float = 0.35
    tasks: tuple[PlanTask, ...] = ()


@dataclass(frozen=True, slots=True)
class AlertConfig:
    """Everything in alerts.toml."""

    groups: dict[str, Group]
    rules: tuple[Rule, ...]
    cooldown_hours: float = 12.0
    lookback_hours: float = 72.0
    report: ReportConfig = field(default_factory=ReportConfig)


def load_alerts_config(path: Path) -> AlertConfig:
    """Read and validate alerts.toml; raise ConfigError naming the bad key."""
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"alerts file {str(path)!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    defaults = data.get("defaults", {})
    default_quiet = parse_quiet_hours(str(defaults.get("quiet_hours", "")), "defaults.quiet_hours")
    groups = {key: _group(key, raw, default_quiet) for key, raw in data.get("groups", {}).items()}
    rules = tuple(_rule(i, raw, groups) for i, raw in enumerate(data.get("rules", [])))
    return AlertConfig(
        groups=groups,
        rules=rules,
        cooldown_hours=float(defaults.get("cooldown_hours", 12)),
        lookback_hours=float(defaults.get("lookback_hours", 72)),
        report=_report(data.get("report", {})),
    )


def parse_quiet_hours(value: str, where: str) -> QuietHours | None:
    """'21:30-06:30' → QuietHours; '' → None."""
    if not value.strip():
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in value.split("-", 1))
    except ValueError:
        raise ConfigError(f'{where} = {value!r}: write it as "HH:MM-HH:MM"') from None
    return QuietHours(start, end)


def _group(key: str, raw: dict[str, Any], default_quiet: QuietHours | None) -> Group:
    _only(raw, {"name", "addresses", "unreviewed", "quiet_hours"}, f"groups.{key}")
    addresses = tuple(str(a) for a in raw.get("addresses", []))
    if not addresses or any("@" not in a for a in addresses):
        raise ConfigError(f"groups.{key}.addresses: give e-mail addresses, got {list(addresses)}")
    quiet = default_quiet
    if "quiet_hours" in raw:
        quiet = parse_quiet_hours(str(raw["quiet_hours"]), f"groups.{key}.quiet_hours")
    return Group(
        key, str(raw.get("name", key)), addresses, bool(raw.get("unreviewed", False)), quiet
    )


def _rule(index: int, raw: dict[str, Any], groups: dict[str, Group]) -> Rule:
    name = str(raw.get("name", f"rule{index + 1}"))
    where = f"rules[{index}] ({name})"
    _only(raw, {"name", "kind", "groups", "min_score", "topics", "source_kinds",
                "min_documents", "min_sources", "window_hours"}, where)  # fmt: skip
    kind = str(raw.get("kind", "flag"))
    if kind not in RULE_KINDS:
        raise ConfigError(f"{where}: kind {kind!r} is not one of {', '.join(RULE_KINDS)}")
    targets = tuple(str(g) for g in raw.get("groups", []))
    unknown = [g for g in targets if g not in groups]
    if not targets or unknown:
        raise ConfigError(f"{where}: groups {unknown or '[]'} unknown; known: {sorted(groups)}")
    kinds = tuple(str(k) for k in raw.get("source_kinds", []))
    if any(k not in SOURCE_KINDS for k in kinds):
        raise ConfigError(f"{where}: source_kinds {list(kinds)} must be among {SOURCE_KINDS}")
    return Rule(
        name=name, kind=kind, groups=targets,
        min_score=float(raw.get("min_score", 0.0)),
        topics=tuple(str(t) for t in raw.get("topics", [])), source_kinds=kinds,
        min_documents=int(raw.get("min_documents", 5)),
        min_sources=int(raw.get("min_sources", 1)),
        window_hours=float(raw.get("window_hours", 6)),
    )  # fmt: skip


def _report(raw: dict[str, Any]) -> ReportConfig:
    known = set(ReportConfig.__dataclass_fields__)
    _only(raw, known, "report")
    values = {k: v for k, v in raw.items() if k not in {"tasks", "recipients"}}
    tasks = tuple(
        PlanTask(
            name=str(t.get("name", f"Nhiệm vụ {i + 1}")),
            topics=tuple(str(x) for x in t.get("topics", [])),
            keywords=tuple(str(x) for x in t.get("keywords", [])),
        )
        for i, t in enumerate(raw.get("tasks", []))
    )
    try:
        return ReportConfig(
            **values, recipients=tuple(str(r) for r in raw.get("recipients", [])), tasks=tasks
        )
    except TypeError as exc:
        raise ConfigError(f"report: {exc}") from None


def _only(raw: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: {sorted(known)}")


def alerts_config_path(config_dir: Path) -> Path:
    """Where alerts.toml lives inside the config folder."""
    return config_dir / "alerts.toml"

"""Settings: the one table of names, defaults and help; read once from TOML and the environment.

A user file overrides only the keys it sets; secrets come only from ``PRESSWATCH_*`` environment
variables. An unknown key or a value of the wrong type fails at start-up with the key and a hint.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presswatch.errors import ConfigError

ENV_PREFIX = "PRESSWATCH_"


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its name, default value, help text and whether it is a secret."""

    name: str
    default: Any
    help: str
    secret: bool = False

    @property
    def type(self) -> type:
        """The Python type values of this setting must have."""
        return type(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", "sqlite:///presswatch.db", "SQLAlchemy URL of the database"),
    Setting(
        "config_dir", "config", "Folder with sources.toml, region.toml, topics.toml, alerts.toml"
    ),
    Setting("data_dir", ".", "Folder for digests, reports and the file outbox"),
    Setting("timezone", "Asia/Ho_Chi_Minh", "Time zone of the office: digests and reports use it"),
    Setting("languages", ["vi"], "Languages kept; documents in others are dropped with a reason"),
    # Collecting
    Setting(
        "user_agent", "PressWatch/0.1 (+media monitoring)", "User-Agent sent with every request"
    ),
    Setting("download_timeout", 20, "Seconds before a request is abandoned"),
    Setting("download_maxsize", 5_000_000, "Largest response body accepted, in bytes"),
    Setting("redirect_max", 5, "Most redirects followed for one request"),
    Setting("retry_times", 2, "Retries of a failed request (5xx, timeouts), with backoff"),
    Setting("concurrent_per_domain", 2, "Simultaneous requests to one domain"),
    Setting("download_delay", 1.0, "Seconds between requests to one domain"),
    Setting("robots_obey", True, "Obey robots.txt"),
    Setting("max_items_per_source", 200, "Most new items taken from one source in one crawl"),
    Setting("extract_workers", 1, "Processes extracting article text during a crawl (0 = inline)"),
    Setting("source_backoff_minutes", 30, "First wait after a failing source; doubles per failure"),
    Setting(
        "social_retention_days",
        180,
        "Days social posts are kept unless a flag or review holds them",
    ),
    # Processing
    Setting("process_batch_size", 200, "Documents taken per processing batch"),
    Setting("process_workers", 1, "Worker processes for the NLP stages (0 = one per core)"),
    Setting("near_duplicate_threshold", 0.7, "Jaccard similarity of shingles that joins a story"),
    Setting("min_text_chars", 80, "Shorter extracted texts are dropped as empty"),
    # Delivering
    Setting("review_base_url", "http://127.0.0.1:8000", "Base URL of the review UI, used in links"),
    Setting("digest_hour", 7, "Hour of day (office time) at which the daily digest is sent"),
    Setting("digest_recipients", ["analysts@example.invalid"], "Who receives the daily digest"),
    Setting("mail_from", "PressWatch <presswatch@example.invalid>", "From: of every e-mail"),
    Setting("list_id", "presswatch.example.invalid", "List-Id header of every e-mail"),
    Setting("smtp_host", "", "SMTP server; empty = write e-mails to the file outbox"),
    Setting("smtp_port", 25, "SMTP port"),
    Setting("smtp_starttls", False, "Use STARTTLS with the SMTP server"),
    Setting("smtp_username", "", "SMTP user name"),
    Setting("smtp_password", "", "SMTP password (environment only)", True),
    Setting("smtp_timeout", 15, "Seconds before an SMTP attempt is abandoned"),
    Setting("outbox_max_attempts", 12, "Attempts before an e-mail is marked failed"),
    Setting("secret_key", "", "Key that signs review UI sessions (environment only)", True),
)
_BY_NAME = {s.name: s for s in SETTINGS}


class Settings:
    """Resolved settings; attribute access by setting name.

    Not a dataclass: values are validated against the SETTINGS table on construction.
    """

    def __init__(self, values: dict[str, Any] | None = None, base_dir: Path | None = None) -> None:
        self._values = {s.name: s.default for s in SETTINGS}
        self.base_dir = base_dir or Path.cwd()
        for key, value in (values or {}).items():
            self._values[key] = _check(key, value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # pickling looks up dunders before _values exists
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str) -> Any:
        """The value of one setting."""
        return self._values[name]

    def path(self, name: str) -> Path:
        """A path setting resolved against the folder of the settings file."""
        path = Path(self._values[name]).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated like file values)."""
        values = dict(self._values) | changes
        return Settings(values, self.base_dir)

    def as_dict(self, *, hide_secrets: bool = True) -> dict[str, Any]:
        """All values by name; secrets shown as '***' when set."""
        out = dict(self._values)
        if hide_secrets:
            for s in SETTINGS:
                if s.secret and out[s.name]:
                    out[s.name] = "***"
        return out


def _check(key: str, value: Any) -> Any:
    """Validate one key/value against the table; raise ConfigError with a hint."""
    setting = _BY_NAME.get(key)
    if setting is None:
        close = difflib.get_close_matches(key, _BY_NAME, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; see config/settings.example.toml"
        raise ConfigError(f"unknown setting {key!r}{hint}")
    expected = setting.type
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is list and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(
            f"setting {key!r} must be {expected.__name__}, got {type(value).__name__} "
            f"{value!r}; for example {key} = {_toml_literal(setting.default)}"
        )
    return value


EXAMPLE_HEADER = """\
# PressWatch settings. Copy to config/settings.toml (read automatically) or pass --config FILE.
# Every key is optional; a file overrides only the keys it sets. Secrets are never written here:
# set PRESSWATCH_SMTP_PASSWORD and PRESSWATCH_SECRET_KEY in the environment. Any setting can also
# come from PRESSWATCH_<NAME> (e.g. PRESSWATCH_DATABASE_URL=postgresql://pw@db/presswatch).
"""


def example_toml() -> str:
    """The example settings file: every setting with its help and default."""
    lines = [EXAMPLE_HEADER]
    for s in SETTINGS:
        if s.secret:
            lines.append(f"# {s.name}: {s.help} — environment only: {ENV_PREFIX}{s.name.upper()}")
        else:
            lines += [f"# {s.help}", f"{s.name} = {_toml_literal(s.default)}"]
    return "\n".join(lines) + "\n"


def _toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value).replace("'", '"')


def _from_env(environ: dict[str, str]) -> dict[str, Any]:
    """Values from PRESSWATCH_<NAME> variables, converted to each setting's type."""
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = environ.get(ENV_PREFIX + s.name.upper())
        if raw is not None:
            values[s.name] = _parse_env(s, raw)
    return values


def _parse_env(setting: Setting, raw: str) -> Any:
    kind = setting.type
    try:
        if kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind is list:
            return [part.strip() for part in raw.split(",") if part.strip()]
        return kind(raw)
    except ValueError:
        name = ENV_PREFIX + setting.name.upper()
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from None


def load_settings(
    path: Path | str | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Read settings: defaults, then the TOML file (if any), then PRESSWATCH_* variables."""
    environ = dict(os.environ) if environ is None else environ
    file_values: dict[str, Any] = {}
    base_dir = Path.cwd()
    if path is not None:
        path = Path(path)
        try:
            with path.open("rb") as fh:
                file_values = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"settings file {str(path)!r} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"settings file {str(path)!r} is not valid TOML: {exc}") from None
        base_dir = path.resolve().parent
        for key in file_values:
            if key in _BY_NAME and _BY_NAME[key].secret:
                raise ConfigError(
                    f"{key!r} is a secret: set {ENV_PREFIX}{key.upper()} in the environment, "
                    "not in the settings file"
                )
    values = file_values | _from_env(environ)
    return Settings(values, base_dir)

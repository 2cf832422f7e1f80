"""Sources: config/sources.toml read into plain SourceConfig values (the operator's outlets)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presswatch.errors import ConfigError

#: How a source is fetched. Social kinds produce documents straight from the feed/JSON entry.
FETCH_KINDS = (
    "rss",  # RSS or Atom feed; each entry's link is fetched and extracted
    "sitemap",  # XML sitemap or sitemap index (news sitemaps too)
    "site",  # listing pages; links matching `follow` are fetched
    "youtube",  # YouTube channel/playlist Atom feed
    "telegram",  # public channel web preview t.me/s/<channel>
    "mastodon",  # public hashtag or account timeline (JSON)
    "bluesky",  # public search or feed (JSON)
    "reddit",  # subreddit or search RSS
    "json",  # a public JSON list of posts, mapped like an import
    "claimreview",  # official debunk / announcement pages with schema.org ClaimReview
    "import",  # files imported with `presswatch import`
)
SOCIAL_KINDS = frozenset({"youtube", "telegram", "mastodon", "bluesky", "reddit", "json", "import"})
SOURCE_KINDS = ("domestic", "foreign", "social", "official")


@dataclass(frozen=True, slots=True)
class ExtractHints:
    """Per-outlet extraction hints: where the article body is and what boilerplate to drop."""

    content_selector: str = ""
    drop_selectors: tuple[str, ...] = ()
    title_selector: str = ""


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One configured place we read."""

    key: str
    name: str
    kind: str
    urls: tuple[str, ...]
    source_kind: str = "domestic"
    poll_minutes: int = 60
    enabled: bool = True
    reliability: float = 0.5  # 0 = known unreliable … 1 = official / highly reliable
    follow: str = ""  # site/sitemap kinds: regex an article URL must match
    organisation: bool = False  # social: the channel is a public organisation page
    options: dict[str, Any] = field(default_factory=dict)
    extract: ExtractHints = field(default_factory=ExtractHints)

    @property
    def is_social(self) -> bool:
        """True for kinds whose entries are posts rather than links to articles."""
        return self.kind in SOCIAL_KINDS


_FIELDS = {
    "name",
    "kind",
    "urls",
    "url",
    "source_kind",
    "poll_minutes",
    "enabled",
    "reliability",
    "follow",
    "organisation",
    "options",
    "extract",
}


def load_sources(path: Path) -> list[SourceConfig]:
    """Read and validate sources.toml; raise ConfigError naming the source and key."""
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"sources file {str(path)!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    defaults = data.get("defaults", {})
    return [_source(key, defaults | raw) for key, raw in data.get("source", {}).items()]


def _source(key: str, raw: dict[str, Any]) -> SourceConfig:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise ConfigError(
            f"source {key!r}: unknown key {sorted(unknown)[0]!r}; known: {sorted(_FIELDS)}"
        )
    kind = raw.get("kind", "")
    if kind not in FETCH_KINDS:
        raise ConfigError(f"source {key!r}: kind {kind!r} is not one of {', '.join(FETCH_KINDS)}")
    source_kind = raw.get("source_kind", "social" if kind in SOCIAL_KINDS else "domestic")
    if source_kind not in SOURCE_KINDS:
        raise ConfigError(
            f"source {key!r}: source_kind {source_kind!r} is not one of {SOURCE_KINDS}"
        )
    urls = raw.get("urls") or ([raw["url"]] if "url" in raw else [])
    if not urls and kind != "import":
        raise ConfigError(f"source {key!r}: give `urls = [...]` (or `url`)")
    hints = raw.get("extract", {})
    return SourceConfig(
        key=key,
        name=str(raw.get("name", key)),
        kind=kind,
        urls=tuple(urls),
        source_kind=source_kind,
        poll_minutes=int(raw.get("poll_minutes", 60)),
        enabled=bool(raw.get("enabled", True)),
        reliability=float(raw.get("reliability", 0.5)),
        follow=str(raw.get("follow", "")),
        organisation=bool(raw.get("organisation", False)),
        options=dict(raw.get("options", {})),
        extract=ExtractHints(
            content_selector=hints.get("content_selector", ""),
            drop_selectors=tuple(hints.get("drop_selectors", ())),
            title_selector=hints.get("title_selector", ""),
        ),
    )

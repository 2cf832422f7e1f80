"""Content, not people: which channel names may appear in digests, alerts, reports and exports.

A social post keeps its channel (a public channel, page or, for posts found through a hashtag,
search or subreddit, the poster's account) only as the post's own field. Anything that leaves
the system shows a channel name only when the operator configured it as a public organisation
page: the source has ``organisation = true`` and the channel is that source's own page, or an
import mapping lists the channel in ``organisation_pages``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class _HasOrganisation(Protocol):
    @property
    def organisation(self) -> bool: ...


def public_channel_name(doc_or_row: Any, source: _HasOrganisation | bool) -> str | None:
    """The channel name to show for a document, or None when it may be a person's account.

    ``doc_or_row`` is a Document, a ``documents`` row or a mapping with ``channel`` and
    ``extra``; ``source`` is its SourceConfig, ``sources`` row, or the source's organisation flag.
    """
    channel = str(_field(doc_or_row, "channel") or "").strip()
    if not channel:
        return None
    extra = _field(doc_or_row, "extra")
    extra = extra if isinstance(extra, Mapping) else {}
    if extra.get("organisation_page") is True:
        return channel
    organisation = source if isinstance(source, bool) else bool(source.organisation)
    if organisation and extra.get("channel_role", "source") == "source":
        return channel
    return None


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)

"""Fetch: public social channels — the parsers of every platform, registered by source kind.

Each platform has its own module with a pure parser registered for its kind: ``social_youtube``
(channel and playlist Atom feeds), ``social_telegram`` (``t.me/s/<channel>`` preview pages),
``social_mastodon`` (tag and account timelines), ``social_bluesky`` (search and author feeds),
``social_reddit`` (subreddit and search feeds) and ``social_json`` (a public JSON list mapped like
an import). A post becomes a Document with ``source_kind = "social"``, its platform, its public
channel, its engagement counts (read time in ``extra``) and, when the platform says so, the URL
of the post it answers (``social_common.post_document``).
"""

from __future__ import annotations

from presswatch.crawlers import (  # noqa: F401 - imported to register their parsers
    social_bluesky,
    social_json,
    social_mastodon,
    social_reddit,
    social_telegram,
    social_youtube,
)
from presswatch.crawlers.social_common import post_document, record_reading

__all__ = ["post_document", "record_reading"]

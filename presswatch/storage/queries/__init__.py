"""Storage: the named reads. Each business query lives in exactly one function here.

Digests, alerts, reports and the review UI read through these, so every number shown to a
person can be traced to one function. No query here groups or filters by an individual author.
The queries live in one module per area; this package is the one place they are read from, as
``from presswatch.storage import queries`` then ``queries.review_queue(...)``.
"""

from __future__ import annotations

# Re-exported so callers need one import; each module lists its names in __all__.
from presswatch.storage.queries.claims import *  # noqa: F403
from presswatch.storage.queries.collection import *  # noqa: F403
from presswatch.storage.queries.delivery import *  # noqa: F403
from presswatch.storage.queries.desk import *  # noqa: F403
from presswatch.storage.queries.report import *  # noqa: F403
from presswatch.storage.queries.review import *  # noqa: F403
from presswatch.storage.queries.social import *  # noqa: F403

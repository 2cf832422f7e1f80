"""Review desk: the analysts' web UI over flagged items, stories, sources and the claim base."""

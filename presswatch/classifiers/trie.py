"""One regular expression for many literal phrases: a character trie, longest match first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: Letters around a match must not continue a word; digits may touch it ("Sóc Trăng14." in
#: a list), except a digit after a name that ends with one ("Phường 1" in "Phường 10").
WORD_START = r"(?<![^\W\d_])"
WORD_END = r"(?![^\W\d_])(?<!\d(?=\d))"


def trie_pattern(phrases: Iterable[str], space: str = r"\s+") -> str:
    """The regex source matching any phrase (a space in a phrase matches ``space``)."""
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node(root, space) or "(?!)"


def trie_regex(phrases: Iterable[str], space: str = r"\s+", flags: int = 0) -> re.Pattern[str]:
    """A compiled regex matching any phrase as whole words."""
    return re.compile(f"{WORD_START}(?:{trie_pattern(phrases, space)}){WORD_END}", flags)


def _node(node: dict[str, Any], space: str) -> str:
    branches = [
        (space if key == " " else re.escape(key)) + _node(child, space)
        for key, child in sorted(node.items())
        if key
    ]
    if not branches:
        return ""
    if len(branches) == 1 and "" not in node:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if "" in node else group

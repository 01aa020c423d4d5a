"""Word-level differences between two texts, for pages that show what changed.

Words are compared, not characters, so a reader sees whole words struck out and put in.
Whitespace is kept with the word before it, so joining the pieces gives back either text::

    >>> word_diff("Länets invånare har god hälsa.", "Länets invånare har en god hälsa.")
    [('same', 'Länets invånare har '), ('insert', 'en '), ('same', 'god hälsa.')]
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\S+\s*|\s+")


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Pieces ``(op, text)`` with op in same / delete / insert, in reading order."""
    a, b = tokens(old), tokens(new)
    # Compare words without their trailing space, so "hälsa." and "hälsa. " are the same word.
    matcher = SequenceMatcher(None, [t.rstrip() for t in a], [t.rstrip() for t in b], False)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(b[j1:j2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(b[j1:j2])))
    return [(op, text) for op, text in pieces if text]


def similarity(old: str, new: str) -> float:
    """How alike two texts are, word by word: 1.0 the same, 0.0 nothing in common."""
    a = [t.rstrip().lower() for t in tokens(old)]
    b = [t.rstrip().lower() for t in tokens(new)]
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, False).ratio()


def list_diff(old: list | tuple | None, new: list | tuple | None) -> list[tuple[str, str]]:
    """Items of two lists as ``(op, item)``: same / delete / insert, in reading order."""
    a = [str(item) for item in old or []]
    b = [str(item) for item in new or []]
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, False).get_opcodes():
        if op == "equal":
            pieces.extend(("same", item) for item in b[j1:j2])
            continue
        if op in ("delete", "replace"):
            pieces.extend(("delete", item) for item in a[i1:i2])
        if op in ("insert", "replace"):
            pieces.extend(("insert", item) for item in b[j1:j2])
    return pieces

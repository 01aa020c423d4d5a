"""Which unit of the organisation's tree a text names as responsible ("Regionkansliet
ansvarar för …", "Ansvarig: Staben ekonomi"), with how sure the match is.

Confidence: 1.0 when the text names the unit exactly after "Ansvarig:" or begins with its
name; 0.9 when the name stands elsewhere in the text; 0.75 for its genitive
("Regionkansliets") or definite form; lowered by a tenth for each other unit named as
well. No unit named: no match, and the text stays as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RESPONSIBLE = re.compile(r"\b(?:ansvarig|ansvar)\s*(?:enhet)?\s*:\s*(?P<name>[^.;\n]+)", re.I)


@dataclass(frozen=True)
class UnitMatch:
    slug: str
    name: str
    confidence: float


def _forms(name: str) -> list[tuple[str, float]]:
    lowered = name.lower()
    return [(lowered, 0.9), (lowered + "s", 0.75), (lowered + "en", 0.75)]


def match_unit(text: str, units: tuple[tuple[str, str], ...]) -> UnitMatch | None:
    """The unit ``text`` names as responsible, or None."""
    lowered = " ".join(text.lower().split())
    named = _RESPONSIBLE.search(text)
    if named:
        wanted = " ".join(named["name"].lower().split()).strip()
        for slug, name in units:
            if name.lower() == wanted:
                return UnitMatch(slug, name, 1.0)
    found: list[UnitMatch] = []
    for slug, name in units:
        best = 0.0
        for form, score in _forms(name):
            pattern = rf"(?<![\wåäö]){re.escape(form)}(?![\wåäö])"
            hit = re.search(pattern, lowered)
            if hit is None:
                continue
            if hit.start() == 0 and score == 0.9:
                score = 1.0
            best = max(best, score)
        if best:
            found.append(UnitMatch(slug, name, best))
    if not found:
        return None
    # The longest name first ("Staben hälso- och sjukvård" over a unit called "Staben").
    found.sort(key=lambda match: (match.confidence, len(match.name)), reverse=True)
    first = found[0]
    others = len(found) - 1
    return UnitMatch(first.slug, first.name, round(max(0.1, first.confidence - 0.1 * others), 2))

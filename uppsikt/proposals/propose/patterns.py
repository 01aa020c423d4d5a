"""What a line of a Swedish plan says it is: a numbered heading, a goal of one of the
organisation's own levels ("Effektmål 1.", "Mål 2:", "Nämndmål B –"), or the head of a
list ("Indikatorer", "Mått", "Aktiviteter", "Strategier för …").

Nothing here knows a particular document: the goal words come from the organisation's
styrmodell (its levels' names), the rest are the words Swedish plans use for their parts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# A heading number as written: "1", "1.2", "3.2.1", "4.", "2.1)" (not a year such as 2023).
HEADING_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,3})*)[.)]?$")
# The marks separating a goal's label from its text: "Mål 1:", "Effektmål 4 –", "Mål 2."
_SEPARATOR = r"[.:–—)-]"
# A goal's number: digits ("1", "2.3") or one letter ("A", "b").
_GOAL_NUMBER = r"\d{1,3}(?:\.\d{1,3})*(?!\d|\.\d)|[A-Za-zÅÄÖåäö](?![A-Za-zÅÄÖåäö])"

# List heads. Each is a word alone on its line (with or without a colon).
INDICATOR_HEADS = ("indikator", "indikatorer", "mått", "nyckeltal", "målvärde", "målvärden")
ACTIVITY_HEADS = ("aktivitet", "aktiviteter")
ASSIGNMENT_HEADS = ("uppdrag",)
STRATEGY_HEADS = ("strategi", "strategier")
LIST_HEAD = "list"


@dataclass(frozen=True)
class GoalWords:
    """The goal levels a plan may have: (key, name, plural) in the styrmodell's order."""

    levels: tuple[tuple[str, str, str], ...]

    def pattern(self) -> re.Pattern[str]:
        return _goal_pattern(self.levels)

    def key_of(self, word: str) -> str:
        lowered = word.lower()
        for key, name, plural in self.levels:
            if lowered in (name.lower(), plural.lower()):
                return key
        return self.levels[-1][0]

    def name_of(self, key: str) -> str:
        return next((name for level, name, _plural in self.levels if level == key), key)


@functools.lru_cache(maxsize=64)
def _goal_pattern(levels: tuple[tuple[str, str, str], ...]) -> re.Pattern[str]:
    words = sorted(
        {word for _key, name, plural in levels for word in (name, plural) if word},
        key=len,
        reverse=True,
    )
    alternatives = "|".join(re.escape(word) for word in words) or r"(?!x)x"
    return re.compile(
        rf"^(?P<word>{alternatives})(?![\wåäöÅÄÖ])"
        rf"(?:\s*(?P<number>{_GOAL_NUMBER}))?"
        rf"\s*(?P<sep>{_SEPARATOR})?\s*(?P<rest>.*)$",
        re.IGNORECASE | re.DOTALL,
    )


@dataclass(frozen=True)
class GoalLabel:
    level: str  # the level's key
    number: str  # "1", "B", "" when none
    text: str  # the goal's text after the label; "" for a head alone ("Mål")


def goal_label(text: str, words: GoalWords) -> GoalLabel | None:
    """A goal written as "<level> [number][sep] text", or the level's word alone as the head
    of a list of goals. "Målet för året är …" and "Mål för verksamheten" are not goals: a
    label needs a number or a separator unless it stands alone."""
    match = words.pattern().match(text.strip())
    if match is None:
        return None
    number, sep, rest = match["number"] or "", match["sep"] or "", match["rest"].strip()
    if not rest:
        if number and not sep and number.isalpha():
            return None
        return GoalLabel(words.key_of(match["word"]), number, "")
    if not number and not sep:
        return None
    if number.isalpha() and not sep:
        return None  # "Mål i …": a word, not a letter
    return GoalLabel(words.key_of(match["word"]), number, rest)


def _bare(text: str) -> str:
    return text.strip().rstrip(":").strip().lower()


_ASSIGNMENT_TO = re.compile(r"^(?:\w+\s+)?uppdrag\s+(?:till|för|åt)\s+(?P<unit>\S.{0,80})$", re.I)


def assignment_head(text: str) -> str | None:
    """ "Uppdrag till förvaltningen", "Nämndens uppdrag till X": the unit named, or None."""
    match = _ASSIGNMENT_TO.match(_bare(text))
    return match["unit"] if match else None


def list_head(text: str) -> str | None:
    """The kind of list a line alone heads: indicator, activity, assignment, strategy."""
    bare = _bare(text)
    if assignment_head(text):
        return "assignment"
    if bare in INDICATOR_HEADS:
        return "indicator"
    if bare in ACTIVITY_HEADS:
        return "activity"
    if bare in ASSIGNMENT_HEADS:
        return "assignment"
    if bare in STRATEGY_HEADS:
        return "strategy"
    return None


_INLINE = re.compile(
    r"^(?P<word>uppdrag|aktivitet|strategi|indikator|mått|nyckeltal)"
    rf"(?:\s*(?P<number>{_GOAL_NUMBER}))?\s*[:–—-]\s*(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_INLINE_KINDS = {
    "uppdrag": "assignment",
    "aktivitet": "activity",
    "strategi": "strategy",
    "indikator": "indicator",
    "mått": "indicator",
    "nyckeltal": "indicator",
}


def inline_label(text: str) -> tuple[str, str, str] | None:
    """ "Uppdrag: text", "Aktivitet 2 – text", "Strategi: name": (kind, number, text)."""
    match = _INLINE.match(text.strip())
    if match is None:
        return None
    return _INLINE_KINDS[match["word"].lower()], match["number"] or "", match["rest"].strip()


_STRATEGY_LEAD = re.compile(r"^Strategier\s+(?:för|inom)\s+(?P<name>\S.*?)[.:]?$")


def strategy_lead(text: str) -> str | None:
    """ "Strategier för kvalitet och utveckling" → "Kvalitet och utveckling"."""
    match = _STRATEGY_LEAD.match(text.strip())
    if match is None or len(text) > 100:
        return None
    return capitalise(match["name"].strip())


_PERSPECTIVE = re.compile(r"^perspektiv(?:et)?\s*[:–—-]?\s*(?P<name>\S.*)$", re.IGNORECASE)
_FOCUS_AREA = re.compile(
    r"^(?:prioriterat|prioriterade)\s+(?:område|fokusområde|utvecklingsområde)n?"
    r"\s*[:–—-]?\s*(?P<name>\S.*)$|^(?:fokusområde|utvecklingsområde)\s*[:–—-]?\s*(?P<name2>\S.*)$",
    re.IGNORECASE,
)
_STRATEGY = re.compile(r"^strategi\s*[:–—-]\s*(?P<name>\S.*)$", re.IGNORECASE)


def heading_role(text: str, perspectives: tuple[str, ...]) -> tuple[str, str]:
    """What a heading opens: ("perspective"|"focus_area"|"strategy"|"section", name)."""
    stripped = text.strip()
    if match := _PERSPECTIVE.match(stripped):
        return "perspective", capitalise(match["name"].strip())
    lowered = stripped.rstrip(":").lower()
    for name in perspectives:
        if lowered in (name.lower(), f"perspektivet {name.lower()}"):
            return "perspective", name
    if match := _FOCUS_AREA.match(stripped):
        return "focus_area", capitalise((match["name"] or match["name2"]).strip())
    if match := _STRATEGY.match(stripped):
        return "strategy", capitalise(match["name"].strip())
    return "section", stripped


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def heading_number(number: str) -> tuple[str, int] | None:
    """ "3.2.1" → ("3.2.1", 3); "4." → ("4", 1); anything else None."""
    match = HEADING_NUMBER.match(number.strip())
    if match is None:
        return None
    value = match["number"]
    return value, value.count(".") + 1


_LEADING_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,3})+|\d{1,2}\.?)\s+(?P<rest>\S.*)$")


def split_heading_number(text: str) -> tuple[str, str]:
    """A heading whose number is still in its text: "3.1 Perspektiv: X" → ("3.1", "…")."""
    match = _LEADING_NUMBER.match(text.strip())
    if match is None:
        return "", text.strip()
    return match["number"].rstrip("."), match["rest"]


def normalise(text: str) -> str:
    """Whitespace made single spaces: how texts are compared."""
    return " ".join(text.split())

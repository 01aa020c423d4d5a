"""Word's list numbering: the number a numbered paragraph shows, computed from the
document's numbering definitions (``word/numbering.xml``) as Word counts.

A paragraph is numbered by its ``w:numPr`` (``w:numId`` and ``w:ilvl``), or by its style's
(and the styles it is based on). ``w:numId`` names a ``w:num`` that refers to a
``w:abstractNum`` (perhaps overriding a level's start); each level has a format
(``decimal``, ``lowerLetter``, ``upperRoman``, ``bullet``, …), a text ("%1.%2.", "%1)")
and a start. Counting is per ``w:num``: a level counts up, deeper levels start over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_LEVELS = 9


@dataclass(frozen=True)
class Level:
    format: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass(frozen=True)
class Shown:
    text: str  # the number as shown ("1.2", "a)"); "" for a bullet
    level: int  # 0 = outermost
    bullet: bool


@dataclass
class Numbering:
    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # by numId
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Any) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return cls()
        abstract = {
            element.get(f"{W}abstractNumId"): _levels(element)
            for element in root.iter(f"{W}abstractNum")
        }
        numbering = cls()
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is None:
                continue
            levels = dict(abstract.get(ref.get(f"{W}val"), {}))
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"), 0)
                start = override.find(f"{W}startOverride")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.format, old.text, _int(start.get(f"{W}val"), 1))
            numbering.levels[num.get(f"{W}numId", "")] = levels
        return numbering

    def shown(self, paragraph: Any, style: Any) -> Shown | None:
        """The number ``paragraph`` shows, counting it; None when it is not numbered."""
        num_id, ilvl = _num_pr(paragraph, style)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return None
        levels = self.levels[num_id]
        level = levels.get(ilvl, Level())
        if level.format == "none":
            return None
        counters = self.counters.setdefault(
            num_id, [levels.get(i, Level()).start - 1 for i in range(MAX_LEVELS)]
        )
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            counters[deeper] = levels.get(deeper, Level()).start - 1
        if level.format == "bullet":
            return Shown("", ilvl, True)
        text = level.text
        for i in range(MAX_LEVELS):
            fmt = levels.get(i, Level()).format
            text = text.replace(f"%{i + 1}", _formatted(max(counters[i], 0), fmt))
        return Shown(text.strip(), ilvl, False)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _levels(abstract: Any) -> dict[int, Level]:
    levels = {}
    for lvl in abstract.iter(f"{W}lvl"):
        ilvl = _int(lvl.get(f"{W}ilvl"), 0)
        fmt = lvl.find(f"{W}numFmt")
        text = lvl.find(f"{W}lvlText")
        start = lvl.find(f"{W}start")
        levels[ilvl] = Level(
            format=fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
            text=text.get(f"{W}val", "") if text is not None else "",
            start=_int(start.get(f"{W}val"), 1) if start is not None else 1,
        )
    return levels


def _num_pr(paragraph: Any, style: Any) -> tuple[str | None, int]:
    """(numId, ilvl) from the paragraph's properties, else from its style chain."""
    elements = [paragraph.find(f"{W}pPr/{W}numPr")]
    seen = 0
    while style is not None and seen < 10:
        elements.append(style.element.find(f"{W}pPr/{W}numPr"))
        style, seen = style.base_style, seen + 1
    num_id, ilvl = None, None
    for element in elements:
        if element is None:
            continue
        if num_id is None and element.find(f"{W}numId") is not None:
            num_id = element.find(f"{W}numId").get(f"{W}val")
        if ilvl is None and element.find(f"{W}ilvl") is not None:
            ilvl = _int(element.find(f"{W}ilvl").get(f"{W}val"), 0)
    return num_id, min(max(ilvl or 0, 0), MAX_LEVELS - 1)


_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def _formatted(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        n = value
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman, n = "", value
        for amount, sign in _ROMAN:
            while n >= amount:
                roman, n = roman + sign, n - amount
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)

"""The text repairs every reader needs, as plain functions on strings and lines.

- ``tidy``: one space between words, no soft hyphens, no zero-width or control characters;
- ``join_lines``: two lines of one block made one, undoing end-of-line hyphenation
  ("övergri-" + "pande" → "övergripande") while keeping real hyphens ("hälso- och",
  "2024-2025", "e-hälsa", "IT-stöd");
- ``split_bullet``: a list item's bullet (•, , ▪, -, –, *, …) taken off its text;
- ``split_number``: the numbering a heading or item starts with ("3.2.1", "1.", "Mål 1:",
  "Effektmål 4 –", "a)", "A.", "IV.") taken off its text, kept as written;
- ``drop_running_lines``: page headers, footers and page numbers removed from a document's
  pages, found as the lines at a page's top or bottom that recur (digits aside) on most
  pages, or that are a page number ("7", "Sida 3 av 24", "… 6(26)").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

# Characters a bullet is drawn with; the private-use ones are Symbol/Wingdings bullets that
# PDF and Word export keep as they are (U+F0B7 is Symbol's bullet).
BULLET_SIGNS = "•◦▪▫●○■□‣⁃∙·\uf0b7\uf0a7\uf0d8\uf0fc\uf076\uf0a8➢➤►▶✓✔"
# Signs that are a bullet only when a space follows (else a minus or a hyphenated word).
DASH_BULLETS = "-–—*"
HYPHENS = "-\u2010\u2011"
# A hyphen the typesetter put there (never a word's own): always joined without it.
SOFT_HYPHENS = "\u00ad\u2010"
# The words after which "hälso- och sjukvård" keeps its hyphen and space.
CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp.", "liksom", "som", "till"})

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def tidy(text: str) -> str:
    """``text`` on one line: NFC, single spaces, no soft hyphens or invisible characters."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text.replace("\n", " ").replace("\r", " "))
    return _SPACE.sub(" ", text).strip()


def ends_hyphenated(line: str) -> bool:
    """Whether ``line`` ends with a letter or digit and a hyphen (perhaps hyphenation)."""
    line = line.rstrip()
    return len(line) >= 2 and line[-1] in HYPHENS + "\u00ad" and line[-2].isalnum()


def join_lines(first: str, second: str) -> str:
    """``first`` and ``second`` as one text, the line break between them undone.

    A hyphen ending ``first`` is the typesetter's (dropped) when a lowercase letter follows
    and the part before it is a word of two letters or more; it is the word's own (kept,
    with no space) after a digit, a single letter ("e-hälsa"), a capital ("IT-stöd") or
    before a capital or digit; and a compound's shared ending ("hälso- och sjukvård",
    "beredskaps-, katastrof- och") keeps hyphen and space before "och", "eller", …
    """
    first, second = first.rstrip(), second.lstrip()
    if not first:
        return second
    if not second:
        return first
    if first[-1] == "/" or second[0] in ",.;:!?)":  # "Mbit/" + "s"; "ord" + ", och"
        return first + second
    if not ends_hyphenated(first):
        return f"{first} {second}"
    hyphen = first[-1]
    stem = first[:-1]
    next_word = second.split(" ", 1)[0].rstrip(",;:.")
    if next_word.lower() in CONJUNCTIONS or second[0] in ",;":
        return f"{first} {second}" if second[0] not in ",;" else first + second
    if hyphen in SOFT_HYPHENS:
        return stem + second
    word = re.split(r"[\s/(\"”'«]", stem)[-1]
    last_part = re.split(r"[-\u2010\u2011]", word)[-1]
    keeps = (
        not second[0].islower()
        or len(last_part) < 2
        or any(ch.isdigit() for ch in last_part)
        or last_part.isupper()
    )
    return first + second if keeps else stem + second


def join_all(lines: Sequence[str]) -> str:
    """Lines of one block joined with ``join_lines``, then tidied."""
    text = ""
    for line in lines:
        text = join_lines(text, tidy(line))
    return tidy(text)


_DASH_BULLET = re.compile(r"^[-–—*]\s+(?=\S)")


def split_bullet(line: str) -> tuple[bool, str]:
    """(whether ``line`` starts with a bullet, its text without it)."""
    stripped = tidy(line)
    if stripped[:1] and stripped[0] in BULLET_SIGNS:
        return True, stripped[1:].lstrip()
    match = _DASH_BULLET.match(stripped)
    if match and not re.match(r"\d", stripped[match.end() :]):
        return True, stripped[match.end() :]
    return False, stripped


# "3.2.1 Strategi", "1. Inledning", "1 Inledning" (the text after must start with a capital).
_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){0,5}\.?)\s+(?=[A-ZÅÄÖÉÜ\"”«(])")
# "Mål 1:", "Effektmål 4 –", "Delmål 2.3.", "Strategi 1 -": one capitalised word, a number,
# and a colon, a dash or a full stop.
_LABELLED = re.compile(
    r"^([A-ZÅÄÖ][a-zåäöéü-]{1,30}\s+\d{1,3}(?:\.\d{1,3})*(?:\s*[:–—]|\s+-|\.)(?=\s))\s+(?=\S)"
)
# "a)", "(a)", "A.", "b." and Roman "IV." (a full stop or bracket is required: "I" is a word).
_LETTERED = re.compile(r"^(\(?[a-zåäö]\)|\([A-Z]\)|[A-Z]\)|[A-Z]\.|[a-z]\.)\s+(?=\S)")
_ROMAN = re.compile(
    r"^((?=[IVXLC])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})\.)\s+"
)
# "1)" "12)" for numbered list items.
_BRACKETED = re.compile(r"^(\(?\d{1,3}\))\s+(?=\S)")


def split_number(text: str, *, decimal: bool = True) -> tuple[str, str]:
    """(the numbering ``text`` starts with as written, the rest); ("", text) when none.

    ``decimal`` allows a bare decimal number ("3.2.1", "1."), which in running text may be
    a figure, so callers pass False for paragraphs.
    """
    text = tidy(text)
    patterns = [_LABELLED, _LETTERED, _ROMAN, _BRACKETED]
    if decimal:
        patterns.insert(0, _DECIMAL)
    for pattern in patterns:
        match = pattern.match(text)
        if match and match.end() < len(text):
            number = match.group(1).strip()
            if pattern is _DECIMAL and _is_year_or_figure(number):
                continue
            return number, text[match.end() :].strip()
    return "", text


def _is_year_or_figure(number: str) -> bool:
    first = number.split(".")[0]
    return len(first) > 2


def number_depth(number: str) -> int:
    """How deep a decimal numbering is: "3" and "3." → 1, "3.2.1" → 3; 0 when none."""
    match = re.fullmatch(r"(\d{1,2}(?:\.\d{1,3})*)\.?", number)
    return match.group(1).count(".") + 1 if match else 0


# Page numbers and their frames: "7", "- 7 -", "Sida 3 av 24", "s. 3", "3/24", "Page 3 of 24".
_PAGE_NUMBER = re.compile(
    r"^[-–(\[]?\s*(?:(?:sida|sid\.|s\.|page)\s*)?\d{1,3}\s*(?:(?:av|of|/|\()\s*\d{1,4}\s*\)?)?"
    r"\s*[-–)\]]?$",
    re.IGNORECASE,
)
# A running header or footer that ends with "N(M)", "N (M)", "sida N av M".
_TITLED_PAGE = re.compile(
    r"^.{3,160}\s(\d{1,4})\s?\((\d{1,4})\)$|^.{3,160}\s(?:sida|s\.)\s?\d{1,4}(?:\s+av\s+\d{1,4})?$",
    re.IGNORECASE,
)


def is_page_number(line: str) -> bool:
    """Whether ``line`` is a page number alone or a running title ending in one."""
    line = tidy(line)
    if not line:
        return False
    if _PAGE_NUMBER.match(line):
        return True
    match = _TITLED_PAGE.match(line)
    if match and match.group(1):
        return int(match.group(1)) <= int(match.group(2))
    return bool(match)


# "3.2 Ekonomi ........ 14", "Inledning … 3": an entry of a table of contents.
_CONTENTS_ENTRY = re.compile(r"^\S.{1,150}?(?:\s?\.){4,}\s*\d{1,3}$|^\S.{1,150}?…+\s*\d{1,3}$")


def is_contents_entry(line: str) -> bool:
    """Whether ``line`` is an entry of a table of contents (dot leaders and a page)."""
    return bool(_CONTENTS_ENTRY.match(tidy(line)))


def _shape(
    line: str, places: Sequence[Sequence[object]] | None = None, page: int = 0, index: int = 0
) -> str:
    """A line with its digits made one sign, so "Sida 3 av 24" and "Sida 4 av 24" match;
    with ``places``, also where on its page it stands (a running line keeps its place)."""
    shape = re.sub(r"\d+", "#", tidy(line).lower())
    return f"{shape}@{places[page][index]}" if places is not None else shape


EDGE_LINES = 3
# A running line recurs on this share of the pages (odd and even pages may differ).
RECURRING_SHARE = 0.4


def running_shapes(
    pages: Sequence[Sequence[str]],
    edge: int = EDGE_LINES,
    places: Sequence[Sequence[object]] | None = None,
) -> set[str]:
    """The shapes of lines at the top or bottom ``edge`` lines of a page that recur on many
    pages (at least 40 %: odd and even pages may have their own; and at least two, in a
    document of three pages or more): the running headers and footers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for n, lines in enumerate(pages):
        filled = [i for i, line in enumerate(lines) if tidy(line)]
        counts.update({_shape(lines[i], places, n, i) for i in filled[:edge] + filled[-edge:]})
    needed = max(2, math.ceil(len(pages) * RECURRING_SHARE))
    return {shape for shape, count in counts.items() if count >= needed and shape}


def running_line_indexes(
    pages: Sequence[Sequence[str]],
    edge: int = EDGE_LINES,
    places: Sequence[Sequence[object]] | None = None,
) -> list[set[int]]:
    """For each page, the indexes of its lines that are page furniture: lines in the page's
    top or bottom ``edge`` non-empty lines that recur on most pages, or that are a page
    number. Lines elsewhere on the page are kept, whatever they say. ``places`` (per page,
    per line: where it stands, e.g. its height in steps) makes a recurring line count only
    when it also recurs in the same place."""
    shapes = running_shapes(pages, edge, places)
    found: list[set[int]] = []
    for n, lines in enumerate(pages):
        filled = [i for i, line in enumerate(lines) if tidy(line)]
        edges = set(filled[:edge] + filled[-edge:])
        found.append(
            {
                i
                for i in edges
                if _shape(lines[i], places, n, i) in shapes or is_page_number(lines[i])
            }
        )
    return found


def drop_running_lines(pages: Sequence[Sequence[str]], edge: int = EDGE_LINES) -> list[list[str]]:
    """``pages`` (each a list of lines) without their running headers, footers and page
    numbers (``running_line_indexes``)."""
    furniture = running_line_indexes(pages, edge)
    return [
        [line for i, line in enumerate(lines) if i not in dropped]
        for lines, dropped in zip(pages, furniture, strict=True)
    ]

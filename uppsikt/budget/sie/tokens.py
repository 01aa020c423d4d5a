"""Splitting an SIE line into its label and fields, as the SIE 4 specification describes.

Fields are separated by spaces or tabs. A field may be quoted ("Kassa och bank"); inside
quotes a backslash escapes a quote (\\") or a backslash (\\\\). An object list is written in
braces, ``{1 "2100" 6 "P1"}``, and becomes a ``list`` of its fields. A line with only ``{`` or
``}`` opens or closes the sub-posts of the post before it (the #TRANS lines of a #VER).

>>> tokenize('#PSALDO 0 202301 4010 {1 "2100"} 1250.00')
['#PSALDO', '0', '202301', '4010', ['1', '2100'], '1250.00']
"""

import re
from typing import cast

from django.utils.translation import gettext as _

Field = str | list[str]

_TOKEN = re.compile(
    r"""
      (?P<space>[ \t]+)
    | "(?P<quoted>(?:[^"\\]|\\.)*)"
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<bare>[^ \t"{}]+)
    | (?P<unclosed>")
    """,
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\([\\\"])")


class TokenError(ValueError):
    """A line that cannot be split into fields; the message is Swedish."""


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def has_control_character(line: str) -> bool:
    """Control characters (ASCII 0–31 except tab, and 127) may not occur in a post."""
    return _CONTROL.search(line) is not None


def tokenize(line: str) -> list[Field]:
    """The fields of one line, an object list as a nested list. Raises ``TokenError``."""
    if '"' not in line and "{" not in line and "}" not in line:
        return cast("list[Field]", line.split())  # the common case, at C speed
    fields: list[Field] = []
    current: list[str] | None = None  # the object list being read, if any
    for match in _TOKEN.finditer(line):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "unclosed":
            raise TokenError(
                _("citattecknet i kolumn %(col)s avslutas aldrig") % {"col": match.start() + 1}
            )
        if kind == "open":
            if current is not None:
                raise TokenError(
                    _("en objektlista kan inte ligga i en annan (kolumn %(col)s)")
                    % {"col": match.start() + 1}
                )
            current = []
            continue
        if kind == "close":
            if current is None:
                raise TokenError(
                    _("} i kolumn %(col)s avslutar ingen objektlista") % {"col": match.start() + 1}
                )
            fields.append(current)
            current = None
            continue
        if kind == "quoted":
            value = match["quoted"]
            if "\\" in value:
                value = _ESCAPE.sub(r"\1", value)
        else:
            value = match["bare"]
        (current if current is not None else fields).append(value)
    if current is not None:
        raise TokenError(_("objektlistan avslutas aldrig med }"))
    return fields


def quote(text: str) -> str:
    """A field for writing: always quoted, with quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

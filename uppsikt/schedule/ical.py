"""A small iCalendar (RFC 5545) writer for the årshjul's feed: all-day events only.

Text values are escaped (RFC 5545 3.3.11: backslash, semicolon, comma and line breaks),
content lines are folded at 75 octets without splitting a UTF-8 character (3.1) and every
line ends in CRLF. Control characters other than tab, which TEXT may not hold, are dropped.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
LIMIT = 75  # octets per line, CRLF not counted
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value: ``\\`` ``;`` ``,`` escaped, any line break as ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets, each continuation starting with a space."""
    parts: list[str] = []
    current, size, limit = "", 0, LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LIMIT - 1  # the leading space takes one octet
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


@dataclass(frozen=True)
class Event:
    uid: str
    date: datetime.date
    summary: str
    description: str = ""
    categories: str = ""
    url: str = ""


def _date(date: datetime.date) -> str:
    return f"{date:%Y%m%d}"


def _event_lines(event: Event, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(event.date)}",
        f"DTEND;VALUE=DATE:{_date(event.date + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.categories:
        lines.append(f"CATEGORIES:{escape_text(event.categories)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar(events: Iterable[Event], *, name: str, stamp: datetime.datetime, product: str) -> str:
    """The whole calendar as text (encode it as UTF-8). ``stamp`` (aware) is DTSTAMP."""
    utc = stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    for event in events:
        lines.extend(_event_lines(event, utc))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)

"""What residents type into the feedback forms, made safe to store, and the page addresses
they name.

Text is stored as plain text, never as HTML: ``<script>`` is kept as those characters and
every page shows it escaped (Django's autoescape; no ``|safe`` anywhere in this app).
``clean_text`` only removes what no one types on purpose and what could fool a reader:

- control characters (``\\x00``-``\\x1f`` and ``\\x7f``-``\\x9f``, except line breaks and
  tabs, which become a line break and a space), unpaired surrogates, and the invisible
  direction overrides (U+202A-U+202E, U+2066-U+2069) that can make a text read differently
  from what it holds;
- line endings become ``\\n``, spaces at the ends of lines and of the text go, runs of blank
  lines become one; the text is put in Unicode's composed form (NFC), so "å" typed two ways
  is stored one way.

It is idempotent (``clean_text(clean_text(x)) == clean_text(x)``). Length is checked on the
cleaned text, with a Swedish message naming the field (``check_text``).

``local_path`` accepts a page address only when it is a path on this site (``/insyn/0018/``):
never another host, ``//`` or a backslash, so a crafted ``sida`` or ``next`` value can never
send anyone elsewhere (no open redirect). A full address of this site's own host, as copied
from the browser, is taken as its path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from uppsikt.lib.problems import coded

# The direction overrides and isolates: invisible, and able to reorder what is shown.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BLANK_LINES = re.compile(r"\n{3,}")
MAX_PATH_LENGTH = 500
# A path: a slash, then the characters a URL path may hold (percent-escapes included).
_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*")


def _keep(char: str) -> str:
    if char == "\t":
        return " "
    if char == "\n":
        return char
    if char in BIDI_CONTROLS:
        return ""
    if unicodedata.category(char) in ("Cc", "Cs"):
        return ""
    return char


def clean_text(value: str | None, *, single_line: bool = False) -> str:
    """``value`` as stored (module docstring); ``single_line`` also makes line breaks spaces."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = "".join(_keep(char) for char in text)
    text = unicodedata.normalize("NFC", text)
    if single_line:
        return " ".join(text.split())
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def check_text(text: str, *, label: str, max_length: int, required: bool = False) -> None:
    """Refuse ``text`` (already cleaned) when empty but required or longer than allowed; the
    message names the field (``label``) and the limit."""
    if required and not text:
        raise coded(_("Skriv något i fältet %(field)s.") % {"field": label}, "required")
    if len(text) > max_length:
        raise coded(
            _(
                "%(field)s får vara högst %(limit)s tecken lång; texten är %(length)s tecken. "
                "Korta den och skicka igen."
            )
            % {"field": label, "limit": max_length, "length": len(text)},
            "too_long",
        )


def local_path(value: str | None, hosts: Collection[str] = ()) -> str | None:
    """``value`` when it is a path on this site (no query string or fragment), else None.

    An address copied from the browser (``https://host/insyn/``) is taken as its path when
    its host is one of ``hosts`` (this site's names), its query string and fragment left."""
    if value and hosts and value.startswith(("http://", "https://")):
        parts = urlsplit(value)
        value = (parts.path or "/") if parts.netloc.lower() in hosts else None
    if not value or len(value) > MAX_PATH_LENGTH:
        return None
    if value.startswith("//") or "\\" in value or not _PATH.fullmatch(value):
        return None
    return value


def require_local_path(value: str | None, *, label: str, hosts: Collection[str] = ()) -> str:
    """The path, or a ``ValidationError`` naming the field when it is not a local path."""
    path = local_path((value or "").strip(), hosts)
    if path is None:
        raise ValidationError(
            coded(
                _(
                    "%(field)s ska vara en sida på den här webbplatsen, en adress som börjar "
                    "med / (till exempel /insyn/)."
                )
                % {"field": label},
                "not_local",
            )
        )
    return path

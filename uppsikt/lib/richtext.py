"""Plan texts: paragraphs, lists and links, stored as plain text with a small markup.

A plan's texts (a section's body, a goal's or a perspective's description, a unit's
responsibility …) are stored as plain text, so that texts loaded from data files, the word
diff between versions and search keep working unchanged. The markup is:

- paragraphs are separated by a blank line; a single line break stays a line break;
- a line starting with ``- `` is an item of a bulleted list, a line starting with a number,
  a full stop and a space (``1. ``, ``12. ``) an item of a numbered list (numbered from 1
  when shown);
- ``[text](https://…)`` is a link; only ``http``, ``https`` and ``mailto`` links are links.

Everything else is literal text: ``<b>`` in a stored text is shown as the characters
``<b>``, never as HTML.

Three functions, used in this order when a text is saved:

``validate(text, field=…)``
    refuses (a Swedish ``ValidationError`` naming the field) a text with a link whose
    address names another scheme (``javascript:``, ``data:``, ``file:`` …) or is not a usable
    address (``https://`` without a host), in the markup or in pasted HTML.
``normalise(text)``
    what is stored: pasted HTML (from Word or a web page) becomes the markup above, keeping
    paragraphs, line breaks, lists and links and dropping everything else (scripts, styles,
    event handlers, images, tables' structure); control characters are removed, line
    endings made ``\\n``, trailing spaces removed and runs of blank lines made one.
    ``normalise(normalise(x)) == normalise(x)``.
``render(text)``
    the stored text as HTML for a page: ``<p>``, ``<br>``, ``<ul>``, ``<ol>``, ``<li>`` and
    ``<a href rel="noopener">`` only, every character of the text escaped, and the result
    passed through nh3 with the same allow-list as a second guard.

``clean(text, field=…)`` does the first two; an action calls it for every text it saves.

The choice: a refused link is *refused* by ``validate`` rather than dropped silently, so that
nothing a person wrote is changed without them knowing. ``normalise`` on its own never makes a
refused link a link either: in pasted HTML such a link keeps its text and loses its address;
in the markup ``[x](javascript:…)`` simply stays literal text, which ``render`` escapes.
Links without a scheme (``#anchor``, ``/path``) in pasted HTML lose their address quietly:
they point nowhere outside the document they were copied from.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TAGS = {"p", "br", "ul", "ol", "li", "a"}
ATTRIBUTES = {"a": {"href"}}
SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener"

# Markup, line by line.
BULLET = re.compile(r"[ \t]*-[ \t]+(?=\S)")
NUMBER = re.compile(r"[ \t]*\d{1,9}\.[ \t]+(?=\S)")
# [text](address): the address has no spaces and at most one level of balanced brackets,
# as in https://sv.wikipedia.org/wiki/Örebro_(stad).
LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:[^\s()]|\([^\s()]*\))+)\)")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_BLANK_LINES = re.compile(r"\n{3,}")

# What makes a text HTML: a start or end tag, or the start of a comment.
_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9:\-]*(?:\s[^<>]*)?/?>|!--)")
# Pasted HTML: these tags end a paragraph (their text is kept as paragraphs).
_BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article",
    "header", "footer", "aside", "main", "nav", "address", "pre", "table", "tr", "hr",
    "dl", "dt", "dd", "figure", "figcaption", "caption", "details", "summary",
}  # fmt: skip
_CELLS = {"td", "th"}
_PASTE_TAGS = TAGS | _BLOCKS | _CELLS
# Word writes its bullets as text ("·" in Symbol) before the item.
_PASTED_BULLET = re.compile(r"[•·▪◦][ \t]+(?=\S)")


def is_html(text: str) -> bool:
    """True when the text contains an HTML tag or comment (then it is read as HTML)."""
    return bool(_TAG.search(text or ""))


# --- links -------------------------------------------------------------------------------


def allowed_url(url: str) -> bool:
    """True for an http(s) address with a host, or a mailto address, without spaces."""
    if not url or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in url):
        return False
    match = _SCHEME.match(url)
    if not match or match.group(1).lower() not in SCHEMES:
        return False
    if match.group(1).lower() == "mailto":
        return len(url) > len("mailto:")
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return url[match.end() :].startswith("//") and bool(parts.hostname)


def _scheme(url: str) -> str | None:
    """The scheme a browser would read: spaces and control characters are ignored."""
    squeezed = "".join(ch for ch in url if not ch.isspace() and unicodedata.category(ch) != "Cc")
    match = _SCHEME.match(squeezed)
    return match.group(1).lower() if match else None


def refused_links(text: str) -> list[str]:
    """Addresses of links that are refused: another scheme, or an unusable address.

    Markup links ``[x](address)`` and, in HTML, ``<a href>``. An address with no scheme is
    not counted: in the markup it is no link but literal text; in HTML it points nowhere.
    """
    urls = {url: url for _text, url in LINK.findall(text or "")}
    if is_html(text):
        collector = _HrefCollector()
        collector.feed(text)
        collector.close()
        urls.update((href, _link_url(href.strip())) for href in collector.hrefs)
    return [url for url, read in urls.items() if _scheme(url) and not allowed_url(read)]


class _HrefCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def validate(text: str, *, field: str) -> None:
    """Refuse a text with a link that is not an http, https or mailto address (code
    ``bad_link``, one message per refused address)."""
    refused = refused_links(text)
    if refused:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        _(
                            "Länken ”%(url)s” går inte att spara: bara länkar till webbadresser "
                            "(http:// eller https://) och e-postadresser (mailto:) är tillåtna."
                        )
                        % {"url": url},
                        code="bad_link",
                    )
                    for url in refused
                ]
            }
        )


def clean(text: str, *, field: str) -> str:
    """What an action stores for a text typed or pasted into ``field``; refuses bad links."""
    validate(text, field=field)
    return normalise(text)


# --- normalise ---------------------------------------------------------------------------


def _characters(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Zl", "Zp"):
            kept.append("\n")
        elif category in ("Cc", "Cs") and ch not in "\n\t":
            continue
        else:
            kept.append(ch)
    return "".join(kept)


def one_line(text: str, length: int) -> str:
    """``text`` on one line (runs of whitespace as one space), cut to at most ``length``
    characters with "…" where it was cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalise(text: str) -> str:
    """The text as stored: the markup, with pasted HTML converted to it."""
    text = _characters(text)
    if is_html(text):
        text = html_to_markup(text)
    return _tidy(text)


def html_to_markup(source: str) -> str:
    """Pasted HTML as the markup: paragraphs, line breaks, lists and allowed links."""
    kept = nh3.clean(
        source,
        tags=_PASTE_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style", "template", "noscript", "title"},
    )
    converter = _Converter()
    converter.feed(kept)
    converter.close()
    text = converter.markup()
    # Text that would read as a tag again ("&lt;b&gt;" in the source) gets a space after
    # "<", so that the stored text is never taken for HTML: normalise stays idempotent.
    return re.sub(r"<(?=[A-Za-z/!?])", "< ", _characters(text))


class _Converter(HTMLParser):
    """Reads nh3's cleaned HTML into blocks of lines of the markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []
        self.lines: list[str] = []
        self.words: list[str] = []
        self.lists: list[list[int]] = []  # [is_numbered, items so far]
        self.item: str | None = None  # the prefix of the list item being read
        self.link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._end_line()
            if not self.lists:
                self._end_block()
            self.lists.append([int(tag == "ol"), 0])
        elif tag == "li":
            self._end_line()
            # A nested list is flattened into the outermost one: its items follow on.
            outer = self.lists[0] if self.lists else [0, 0]
            outer[1] += 1
            self.item = f"{outer[1]}. " if outer[0] else "- "
        elif tag == "br":
            if self.item is None:
                self._end_line()
            else:
                self.words.append(" ")
        elif tag == "a":
            url = _link_url((dict(attrs).get("href") or "").strip())
            self.link = (url, []) if allowed_url(url) else None
        elif tag in _CELLS:
            self._text(" ")
        elif tag in _BLOCKS:
            self._paragraph_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._end_line()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._end_block()
        elif tag == "li":
            self._end_line()
        elif tag == "a" and self.link is not None:
            url, words = self.link
            self.link = None
            label = re.sub(r"\s+", " ", "".join(words)).strip().replace("[", "(")
            label = label.replace("]", ")") or url
            self.words.append(f"[{label}]({url})")
        elif tag in _BLOCKS:
            self._paragraph_break()

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        (self.link[1] if self.link is not None else self.words).append(data)

    def _paragraph_break(self) -> None:
        if self.item is not None:
            self.words.append(" ")
        else:
            self._end_line()
            self._end_block()

    def _end_line(self) -> None:
        if self.link is not None:  # an unclosed link ends with its line
            self.words.extend(self.link[1])
            self.link = None
        line = re.sub(r"\s+", " ", "".join(self.words).replace("\xa0", " ")).strip()
        self.words = []
        if self.item is not None:
            prefix, self.item = self.item, None
            if line:
                self.lines.append(prefix + line)
        elif line:
            pasted = _PASTED_BULLET.match(line)
            self.lines.append("- " + line[pasted.end() :] if pasted else line)

    def _end_block(self) -> None:
        if self.lines:
            self.blocks.append(self.lines)
        self.lines = []

    def markup(self) -> str:
        self._end_line()
        self._end_block()
        merged: list[list[str]] = []
        for block in self.blocks:
            kind = _list_kind(block)
            if merged and kind is not None and _list_kind(merged[-1]) == kind:
                merged[-1] = merged[-1] + block  # Word's list: one paragraph per item
            else:
                merged.append(block)
        return "\n\n".join("\n".join(block) for block in merged)


def _list_kind(lines: list[str]) -> str | None:
    if all(BULLET.match(line) for line in lines):
        return "ul"
    if all(NUMBER.match(line) for line in lines):
        return "ol"
    return None


def _link_url(url: str) -> str:
    """The address with spaces and brackets percent-encoded, as a browser sends it, so
    that the markup reads it back as one link."""
    return re.sub(r"[\s()]", lambda match: quote(match.group()), url)


# --- render ------------------------------------------------------------------------------


def _inline(line: str) -> str:
    parts: list[str] = []
    position = 0
    for match in LINK.finditer(line):
        label, url = match.groups()
        if not allowed_url(url):
            continue
        parts.append(html.escape(line[position : match.start()]))
        parts.append(f'<a href="{html.escape(url)}" rel="{LINK_REL}">{html.escape(label)}</a>')
        position = match.end()
    parts.append(html.escape(line[position:]))
    return "".join(parts)


def _blocks(text: str) -> list[str]:
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        run: list[str] = []
        run_kind = ""
        for line in [*block.split("\n"), ""]:
            bullet, number = BULLET.match(line), NUMBER.match(line)
            kind = "ul" if bullet else "ol" if number else "p" if line.strip() else ""
            if run and kind != run_kind:
                out.append(_block_html(run_kind, run))
                run = []
            if kind:
                run_kind = kind
                marker = bullet or number
                run.append(line[marker.end() :] if marker else line.strip())
    return out


def _block_html(kind: str, lines: list[str]) -> str:
    if kind == "p":
        return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"
    items = "".join(f"<li>{_inline(line.strip())}</li>" for line in lines)
    return f"<{kind}>{items}</{kind}>"


def render(text: str) -> SafeString:
    """The stored text as safe HTML (paragraphs, line breaks, lists, links)."""
    text = _characters(text)
    markup = "\n".join(_blocks(text))
    cleaned = nh3.clean(
        markup,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - every character of the text was escaped above


def has_markup(text: str) -> bool:
    """Whether ``text`` holds a list line or a link (else it is plain paragraphs)."""
    lines = (text or "").split("\n")
    return bool(LINK.search(text or "")) or any(
        BULLET.match(line) or NUMBER.match(line) for line in lines
    )

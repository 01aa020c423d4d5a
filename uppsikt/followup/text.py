"""Formatted comments: a small, safe subset of HTML.

People write follow-up comments in a plain text area; paragraphs are separated by blank
lines, lines starting with "- " become a bullet list. Pasted HTML is kept only within the
allowlist below; anything else (scripts, event handlers, styles, javascript: links) is
removed. What is stored is already safe to show, in pages and in reports.
"""

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
_LOOKS_LIKE_HTML = re.compile(r"<\s*(p|br|strong|em|ul|ol|li|a|b|i|div|span)\b", re.IGNORECASE)


def _plain_to_html(text: str) -> str:
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    parts = []
    for block in blocks:
        lines = block.splitlines()
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{html.escape(line.lstrip()[2:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(line.strip()) for line in lines) + "</p>")
    return "".join(parts)


def sanitise_comment(text: str) -> str:
    """Safe HTML for a comment written as plain text or as (untrusted) HTML.

    >>> sanitise_comment("Klart i tid.\\n\\n- HR\\n- Ekonomi")
    '<p>Klart i tid.</p><ul><li>HR</li><li>Ekonomi</li></ul>'
    >>> sanitise_comment('<p onclick="x()">Hej<script>alert(1)</script></p>')
    '<p>Hej</p>'
    """
    text = (text or "").replace("\r\n", "\n")
    if not text.strip():
        return ""
    source = text if _LOOKS_LIKE_HTML.search(text) else _plain_to_html(text)
    return clean_html(source)


def clean_html(comment_html: str) -> str:
    """HTML kept to the allowlist: for a comment already stored (already HTML, so never read
    as plain text again: its ``&amp;`` stays one ampersand).

    >>> clean_html("Ekonomi &amp; HR <script>x</script>")
    'Ekonomi &amp; HR'
    """
    return nh3.clean(
        comment_html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def comment_as_text(comment_html: str) -> str:
    """The comment without markup, for XLSX cells and search."""
    text = re.sub(r"</(p|li)>|<br\s*/?>", "\n", comment_html or "")
    text = re.sub(r"<li>", "• ", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def comment_as_markup(comment_html: str) -> str:
    """The comment back in the plain-text form people write it in, for editing.

    Paragraphs are separated by a blank line and list items start with "- ", so that
    ``sanitise_comment(comment_as_markup(html)) == html`` for comments written as text.

    >>> comment_as_markup("<p>Klart i tid.</p><ul><li>HR</li><li>Ekonomi</li></ul>")
    'Klart i tid.\n\n- HR\n- Ekonomi'
    """
    blocks = []
    for match in re.finditer(
        r"<p>(.*?)</p>|<ul>(.*?)</ul>|<ol>(.*?)</ol>", comment_html or "", re.S
    ):
        paragraph, bullets, numbered = match.groups()
        if paragraph is not None:
            lines = re.split(r"<br\s*/?>", paragraph)
            blocks.append("\n".join(_inline_text(line) for line in lines))
        else:
            items = re.findall(
                r"<li>(.*?)</li>", bullets if bullets is not None else numbered, re.S
            )
            blocks.append("\n".join(f"- {_inline_text(item)}" for item in items))
    if not blocks and comment_html:
        return comment_as_text(comment_html)
    return "\n\n".join(blocks)


def _inline_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()

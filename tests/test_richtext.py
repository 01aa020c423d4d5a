"""Plan texts: the small markup (paragraphs, lists, links), pasted HTML and what is shown."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import linebreaks
from django.template.loader import render_to_string
from hypothesis import example, given
from hypothesis import strategies as st

from uppsikt.lib.richtext import clean, is_html, normalise, refused_links, render, validate

ALLOWED = {"p": set(), "br": set(), "ul": set(), "ol": set(), "li": set(), "a": {"href", "rel"}}


class Page(HTMLParser):
    """Every tag, attribute and piece of text in an HTML fragment."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.other: list[str] = []  # comments, declarations, processing instructions
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag, {}))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append(data)

    def handle_decl(self, decl):
        self.other.append(decl)

    def handle_pi(self, data):
        self.other.append(data)

    def unknown_decl(self, data):
        self.other.append(data)

    @property
    def words(self) -> list[str]:
        return " ".join(self.text).split()


def assert_only_allowed(fragment: str) -> None:
    page = Page(fragment)
    assert not page.other
    for tag, attrs in page.tags:
        name = tag.lstrip("/")
        assert name in ALLOWED, fragment
        assert set(attrs) <= ALLOWED[name], fragment
        if name == "a" and not tag.startswith("/"):
            href = attrs["href"] or ""
            assert re.match(r"(https?://[^/?#\s]|mailto:.)", href, re.IGNORECASE), href
            assert attrs["rel"] == "noopener"


# Pieces that together make texts with markup, near-markup and hostile HTML.
PIECES = [
    "- ", "1. ", "12. ", "-", "\n", "\n\n", "\n\n\n\n", "\r\n", " ", "\t", "[", "]", "(", ")",
    "](", "[länk](https://example.se/a_(b))", "[post](mailto:info@example.se)",
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](data:text/html,<b>)",
    "[x](https://)", "https://example.se", "javascript:", "<", ">", "&", "&amp;", "&lt;b&gt;",
    '"', "'", "<p>", "</p>", "<br>", "<ul>", "<ol>", "<li>", "</li>", "<b>", "<script>",
    "</script>", "alert(1)", '<a href="https://example.se/?a=1&b=2">', '<a href="java\tscript:x()">',
    "<a href='data:text/html,x'>", "</a>", "<img src=x onerror=alert(1)>", "<iframe src=x>",
    '<p style="color:red" onclick="x()">', "<style>p{}</style>", "<!-- kommentar -->",
    "<svg onload=alert(1)>", "<o:p>", "&nbsp;", "\xa0", "·\xa0", "Mål", "Region Örebro län",
    "\x00", "\x0b", "\u2028", "\ufeff",
]  # fmt: skip
marked_up = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=25).map(
    "".join
)
any_text = st.one_of(st.text(), marked_up)


@given(any_text)
@example("[x](javascript:alert(1))")
@example('<a href="javascript:alert(1)">x</a>')
@example("<script>alert(1)</script>")
def test_render_shows_only_the_allowed_tags_and_links(text):
    assert_only_allowed(render(text))
    assert_only_allowed(render(normalise(text)))


@given(any_text)
def test_normalise_is_idempotent_and_stores_no_html(text):
    once = normalise(text)
    assert normalise(once) == once
    assert not is_html(once)
    assert "\r" not in once and "\n\n\n" not in once
    assert all(line == line.rstrip() for line in once.split("\n"))


# Plain text as people type it: words, spaces and line breaks, no links and no tags.
plain_character = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="[<"
)
plain = st.lists(st.one_of(st.text(plain_character, max_size=12), st.sampled_from(PIECES[:7])))


def _words_without_markers(text: str) -> list[str]:
    words = []
    for line in text.split("\n"):
        tokens = line.split()
        if len(tokens) > 1 and re.fullmatch(r"-|\d{1,9}\.", tokens[0]):
            tokens = tokens[1:]  # "- " and "1. " may start a list item, not shown then
        words += tokens
    return words


@given(plain.map("".join))
def test_every_word_of_a_plain_text_is_shown(text):
    page = Page(render(normalise(text)))
    assert not Counter(_words_without_markers(text)) - Counter(page.words)


paragraph_line = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Z"), blacklist_characters="[<-"),
    min_size=1,
).filter(lambda line: not re.match(r"\d+\.", line))


@given(st.lists(st.lists(paragraph_line, min_size=1, max_size=4), min_size=1, max_size=4))
def test_texts_without_markup_look_as_they_did_with_linebreaks(paragraphs):
    """The texts stored before the markup existed are shown as before: paragraphs and
    line breaks (now without the stray ``<br>`` a text's final line break used to give)."""
    text = "\n\n".join("\n".join(lines) for lines in paragraphs) + "\n"

    def shape(fragment: str) -> list:
        page = Page(str(fragment).replace("<br></p>", "</p>"))
        return [tag for tag, _attrs in page.tags] + [unescape(" ".join(page.words))]

    assert shape(render(text)) == shape(linebreaks(text))


HOSTILE = [
    '<p onclick="steal()">Hej<script>alert(document.cookie)</script></p>',
    '<p style="background:url(javascript:alert(1))">Stil</p>',
    '<iframe src="https://evil.example"></iframe><p>Efter</p>',
    '<a href="javascript:alert(1)">Klicka</a>',
    '<a href="&#106;avascript:alert(1)">Klicka</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">Klicka</a>',
    '<img src="x" onerror="alert(1)"><svg onload="alert(1)"></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]


@pytest.mark.parametrize("pasted", HOSTILE)
def test_pasted_html_is_neutralised(pasted):
    stored = normalise(pasted)
    shown = render(stored)
    assert_only_allowed(shown)
    for word in ("script", "onclick", "onerror", "onload", "style=", "iframe", "javascript"):
        assert word not in shown.lower()
    assert not is_html(stored)


def test_a_pasted_word_document_keeps_its_paragraphs_lists_and_links():
    pasted = (
        '<p class=MsoNormal style="margin:0">Regionen ska <b>öka</b> tillgängligheten.<o:p></o:p></p>'
        "<p class=MsoListParagraphCxSpFirst><span>·<span>&nbsp;&nbsp; </span></span>Vården</p>"
        "<p class=MsoListParagraphCxSpLast><span>·<span>&nbsp;&nbsp; </span></span>Tandvården</p>"
        "<h2>Mer</h2><div>Första raden<br>andra raden &amp; mer</div>"
        "<ol><li>Ett</li><li>Två<ul><li>inne i två</li></ul></li></ol>"
        '<p>Läs <a href="https://www.regionorebrolan.se/sv/a b" target="_blank">planen [pdf]</a>'
        ' eller <a href="mailto:info@example.se">skriv</a>.</p>'
    )
    assert normalise(pasted) == (
        "Regionen ska öka tillgängligheten.\n\n"
        "- Vården\n- Tandvården\n\n"
        "Mer\n\n"
        "Första raden\nandra raden & mer\n\n"
        "1. Ett\n2. Två\n3. inne i två\n\n"
        "Läs [planen (pdf)](https://www.regionorebrolan.se/sv/a%20b) eller"
        " [skriv](mailto:info@example.se)."
    )


def test_the_markup_becomes_paragraphs_lists_and_links():
    text = (
        "Inledning\nmed en radbrytning.\n\n"
        "Punkter:\n- ett\n- två\n\n"
        "3. tredje\n4. fjärde\n\n"
        "Se [Örebro](https://sv.wikipedia.org/wiki/Örebro_(stad)) & <b>mer</b>."
    )
    assert render(text) == (
        "<p>Inledning<br>med en radbrytning.</p>\n"
        "<p>Punkter:</p>\n<ul><li>ett</li><li>två</li></ul>\n"
        "<ol><li>tredje</li><li>fjärde</li></ol>\n"
        '<p>Se <a href="https://sv.wikipedia.org/wiki/Örebro_(stad)" rel="noopener">Örebro</a>'
        " &amp; &lt;b&gt;mer&lt;/b&gt;.</p>"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html,hej)",
        "[x](https://)",
        '<p><a href="java\tscript:alert(1)">x</a></p>',
        '<a href="vbscript:msgbox">x</a>',
    ],
)
def test_a_link_to_another_scheme_is_refused_naming_the_field(text):
    with pytest.raises(ValidationError) as refused:
        clean(text, field="body")
    messages = refused.value.message_dict["body"]
    assert len(messages) == 1
    assert "bara länkar till webbadresser (http:// eller https://)" in messages[0]
    assert "mailto:" in messages[0]
    assert "<a " not in render(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "[Regionen](https://www.regionorebrolan.se)",
        "[skriv](mailto:info@example.se)",
        '<a href="https://example.se">x</a>',
        "[fotnot 1](se bilaga)",  # not a link: literal text
        '<a href="#_Toc123">Innehåll</a>',  # no scheme: the text is kept, the link dropped
        "Vanlig text (med parentes) och [hakparentes].",
    ],
)
def test_allowed_links_and_plain_brackets_pass(text):
    validate(text, field="body")
    assert refused_links(text) == []


def test_normalise_tidies_plain_text():
    typed = "  Rad ett  \r\nrad två\t\r\n\r\n\r\n\r\nNytt\x00 stycke\x07\n\n"
    assert normalise(typed) == "Rad ett\nrad två\n\nNytt stycke"


def test_plan_text_template_uses_the_markup():
    shown = render_to_string("plans/text.html", {"text": "Ett\n\n- a\n- <b>"})
    assert shown.strip() == (
        '<div class="prose"><p>Ett</p>\n<ul><li>a</li><li>&lt;b&gt;</li></ul></div>'
    )
    assert render_to_string("plans/text.html", {"text": ""}).strip() == ""

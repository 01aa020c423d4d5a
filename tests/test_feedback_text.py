"""Residents' text as stored (uppsikt/feedback/text.py): property tests of the cleaning, the
length checks and the page addresses that are accepted."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import example, given
from hypothesis import strategies as st

from uppsikt.feedback.text import (
    BIDI_CONTROLS,
    check_text,
    clean_text,
    local_path,
    require_local_path,
)

# Any characters (surrogates included), mixed with the awkward ones people paste.
pieces = st.characters(exclude_categories=()) | st.sampled_from(
    ["\r\n", "\r", "\n", "\t", "\x00", "\x1b", "\u202e", "\u2066", "<script>", "a\u030a"]
)
texts = st.lists(pieces, max_size=60).map("".join)


def _forbidden(char: str) -> bool:
    return char in BIDI_CONTROLS or (unicodedata.category(char) in ("Cc", "Cs") and char != "\n")


@given(texts)
@example("a\x00b\x1b[31mc\u202ed\r\ne")
def test_cleaned_text_holds_no_control_characters_and_is_stable(value):
    cleaned = clean_text(value)
    assert not any(_forbidden(char) for char in cleaned)
    assert "\r" not in cleaned and "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)


@given(texts)
def test_a_single_line_has_no_line_breaks_or_double_spaces(value):
    cleaned = clean_text(value, single_line=True)
    assert "\n" not in cleaned and "  " not in cleaned
    assert clean_text(cleaned, single_line=True) == cleaned


@given(st.text(alphabet=st.sampled_from("ab <>&\"'/=;:()"), max_size=80))
def test_html_is_kept_as_the_characters_typed(value):
    """Markup is text: nothing is dropped or converted, so the pages escape all of it."""
    assert clean_text(value) == value.strip()


@given(st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=400))
def test_the_length_check_names_the_field_and_the_limit(limit, length):
    text = "x" * length
    if length <= limit:
        check_text(text, label="Beskrivning", max_length=limit)
        return
    with pytest.raises(ValidationError) as refused:
        check_text(text, label="Beskrivning", max_length=limit)
    message = refused.value.messages[0]
    assert "Beskrivning" in message and str(limit) in message and str(length) in message
    assert refused.value.code == "too_long"


def test_an_empty_required_text_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        check_text("", label="Kommentar", max_length=10, required=True)
    assert "Kommentar" in refused.value.messages[0]


@given(st.lists(st.sampled_from(["insyn", "0018", "mål", "a-b", "x.y", "%C3%A5"]), max_size=5))
def test_local_paths_are_accepted(parts):
    value = "/" + "/".join(parts) + ("/" if parts else "")
    expected = value if all(p.isascii() for p in parts) else None
    assert local_path(value) == expected


@given(st.text(max_size=60))
@example("//evil.example/")
@example("https://evil.example/")
@example("/\\evil.example")
@example("javascript:alert(1)")
@example("/insyn/?next=https://evil.example")
@example("/insyn/#x")
@example(" /insyn/")
@example("/insyn/\n")
def test_nothing_but_a_local_path_is_accepted(value):
    accepted = local_path(value)
    if accepted is None:
        with pytest.raises(ValidationError):
            require_local_path(value.strip() + "\x00", label="Sidans adress")
        return
    assert accepted == value
    parts = urlsplit(value)
    assert not parts.scheme and not parts.netloc and not parts.query and not parts.fragment
    assert value.startswith("/") and not value.startswith("//")
    assert not any(char in value for char in "\\\n\r\t ")
    # Django's own test of a safe redirect agrees: it stays on this site.
    assert url_has_allowed_host_and_scheme(value, allowed_hosts=set())


def test_a_too_long_path_is_refused():
    assert local_path("/" + "a" * 600) is None


@given(
    st.sampled_from(["http", "https"]),
    st.sampled_from(["uppsikt.example.se", "evil.example", "uppsikt.example.se.evil.example"]),
    st.lists(st.sampled_from(["insyn", "0018", "a-b"]), max_size=3),
    st.sampled_from(["", "?x=1", "#del"]),
)
def test_a_full_address_counts_only_on_this_sites_host(scheme, host, parts, tail):
    path = "/" + "/".join(parts)
    found = local_path(f"{scheme}://{host}{path}{tail}", hosts={"uppsikt.example.se"})
    assert found == (path if host == "uppsikt.example.se" else None)
    assert local_path(f"{scheme}://{host}{path}{tail}") is None  # no host is this site's

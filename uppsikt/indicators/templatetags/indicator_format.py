"""Swedish number formatting in templates: ``{{ value|sv_value:definition.unit }}``."""

from django import template
from django.utils.html import format_html

from ..formatting import format_gap, format_number, format_value
from ..periods import assessment_period_label
from ..scale import mark
from ..wording import gender_flag_text

register = template.Library()


@register.filter
def sv_value(value, unit=""):
    return format_value(value, unit)


@register.filter
def sv_number(value, decimals=1):
    return "–" if value is None else format_number(value, int(decimals))


@register.filter
def sv_gap(value, unit=""):
    """A K − M difference: percentage points for shares, the unit otherwise, sign always."""
    return format_gap(value, unit)


@register.filter
def assessment_period(text):
    """An assessment's period in words: "helår 2023", "till och med juli 2023"."""
    return assessment_period_label(str(text))


# -- The organisation's assessment scale (``scale.mark``) -----------------------------------
# The pages' policy allows no inline styles, so a step's own colour is drawn as the fill of
# its symbol in a small SVG (a presentation attribute); the word is always written out.
# The default words (``Styrmodell.has_default_words``, stored or not) keep their stylesheet
# classes and markup, so the demo looks as before.


@register.simple_tag
def step_symbol(scale, key):
    """The step's symbol in its colour, or "" for the default scale or no status."""
    shown = mark(scale, key)
    if shown is None or not shown.custom or not shown.symbol:
        return ""
    if not shown.colour:
        return format_html('<span aria-hidden="true">{}</span> ', shown.symbol)
    return format_html(
        '<svg class="step-symbol" width="1em" height="1em" viewBox="0 0 16 16" '
        'aria-hidden="true" focusable="false"><text x="8" y="13" text-anchor="middle" '
        'font-size="14" fill="{}">{}</text></svg> ',
        shown.colour,
        shown.symbol,
    )


@register.simple_tag
def step_edge(scale, key):
    """An assessment card's coloured left edge in a custom scale's step colour (the
    stylesheet's ``.assessment__edge`` places it); "" for the default words, whose
    ``assessment--<key>`` classes draw the border, or a step without a colour."""
    shown = mark(scale, key)
    if shown is None or not shown.custom or not shown.colour:
        return ""
    return format_html(
        '<svg class="assessment__edge" width="6" height="100%" viewBox="0 0 6 6" '
        'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect width="6" height="6" fill="{}"/></svg>',
        shown.colour,
    )


@register.simple_tag
def assessment_class(scale, key):
    """The card's modifier: ``assessment--<key>`` for the default words (the stylesheet's
    colours), ``assessment--step`` for an organisation's own scale (``step_edge``)."""
    shown = mark(scale, key)
    if shown is not None and shown.custom:
        return "assessment--step"
    return f"assessment--{key or ''}"


@register.simple_tag
def status_badge(scale, key):
    """A status as a badge: its symbol (a custom scale's, in its colour) and its word."""
    shown = mark(scale, key)
    if shown is None:
        return ""
    if not shown.custom:
        return format_html('<span class="badge badge--{}">{}</span>', key, shown.label)
    return format_html(
        '<span class="badge badge--step">{}{}</span>', step_symbol(scale, key), shown.label
    )


# -- The gender flag, beside an assessment (``wording.gender_flag_text``) --------------------
# Written out as text ("Kvinnor når inte målet (totalen gör det)"), never colour only.


@register.simple_tag
def gender_flag(row):
    """An indicator's flag when the total meets its target but kvinnor or män do not."""
    if not row or not row.get("gender_flag"):
        return ""
    return format_html('<span class="flag">{}</span>', gender_flag_text(row.get("gender_lagging")))


@register.simple_tag
def goal_gender_flag(assessment):
    """A goal's flag when one or more of its indicators carry a gender flag."""
    text = assessment.gender_flag_text if assessment is not None else ""
    return format_html('<span class="flag">{}</span>', text) if text else ""

"""Swedish number formatting in templates: ``{{ value|sv_value:definition.unit }}``."""

from django import template

from ..formatting import format_gap, format_number, format_value
from ..periods import assessment_period_label

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

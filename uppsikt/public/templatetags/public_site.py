"""The residents' site in templates: a status as its symbol (in the step's colour) and its
word, so colour is never the only cue; key figures written the Swedish way."""

from django import template
from django.utils.html import format_html

from uppsikt.lib.numbers import format_exact

register = template.Library()


@register.simple_tag
def status_mark(status):
    """``status`` (``public.status.Status``) as a symbol and its word. The pages allow no
    inline style, so the colour is the fill of the symbol drawn in a small SVG."""
    if status is None:
        return ""
    symbol = ""
    if status.symbol:
        symbol = format_html(
            '<svg class="status-symbol" width="1.1em" height="1.1em" viewBox="0 0 16 16" '
            'aria-hidden="true" focusable="false"><text x="8" y="13" text-anchor="middle" '
            'font-size="15" fill="{}">{}</text></svg> ',
            status.colour or "currentColor",
            status.symbol,
        )
    return format_html(
        '<span class="status">{}<span class="status__word">{}</span></span>', symbol, status.label
    )


@register.filter
def key_number(value):
    """A key figure's number with exactly its own decimals: ``1 023``, ``74,1``."""
    return format_exact(value.normalize()) if value is not None else ""

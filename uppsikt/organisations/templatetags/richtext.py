"""``{{ text|richtext }}``: a stored plan text as HTML (paragraphs, lists, links).

The filter lives in the lowest app with templates so that every app's pages can load it;
the work is done by ``uppsikt.lib.richtext``.
"""

from django import template
from django.utils.safestring import SafeString

from uppsikt.lib.richtext import render

register = template.Library()


@register.filter
def richtext(text: object) -> SafeString:
    return render("" if text is None else str(text))

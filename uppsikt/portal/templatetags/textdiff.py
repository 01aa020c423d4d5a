"""``{% word_diff old new %}``: a changed text with removed and added words marked.

Removed words are in ``<del>``, added in ``<ins>``; each carries a visible sign (− / +) and
words for screen readers, so the change does not rely on colour or strike-through alone.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from uppsikt.lib.textdiff import word_diff as compute

register = template.Library()


@register.simple_tag
def word_diff(old, new):
    old = "" if old is None else str(old)
    new = "" if new is None else str(new)
    removed, added = _("borttaget:"), _("tillagt:")
    parts = []
    for op, text in compute(old, new):
        if op == "same":
            parts.append(format_html("{}", text))
        elif op == "delete":
            parts.append(
                format_html(
                    '<del class="diff-del"><span class="diff-sign" aria-hidden="true">−</span>'
                    '<span class="visually-hidden">{} </span>{}</del>',
                    removed,
                    text,
                )
            )
        else:
            parts.append(
                format_html(
                    '<ins class="diff-ins"><span class="diff-sign" aria-hidden="true">+</span>'
                    '<span class="visually-hidden">{} </span>{}</ins>',
                    added,
                    text,
                )
            )
    return format_html_join("", "{}", ((part,) for part in parts))


@register.simple_tag
def list_diff(old, new):
    """The items of two lists, removed ones as ``("delete", text)`` and so on."""
    from uppsikt.lib.textdiff import list_diff as compute_list

    return compute_list(old, new)

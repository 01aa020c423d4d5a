"""``{{ amount|money:table }}``: kronor shown in the table's unit and decimals, Swedish style."""

from decimal import Decimal

from django import template

from uppsikt.budget.money import format_money, round_half_up, to_unit

register = template.Library()


@register.filter
def money(value: Decimal | None, table) -> str:
    if value is None:
        return "–"
    return format_money(value, table.display_unit, table.decimals)


@register.filter
def signed_money(value: Decimal | None, table) -> str:
    """Like ``money``, with a plus sign on a difference that shows as positive."""
    text = money(value, table)
    if value is not None and round_half_up(to_unit(value, table.display_unit), table.decimals) > 0:
        return "+" + text
    return text

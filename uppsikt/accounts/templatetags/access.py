"""``{% can "plan" goal as may_edit %}``: the access rules, asked from a template.

``{{ user|person }}``: a person as the UI names them, full name where there is one."""

from typing import Any

from django import template

from uppsikt.accounts import access
from uppsikt.accounts.names import person_name
from uppsikt.lib.typing import Account

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, perm: str, target: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return access.can(user, access.Perm(perm), target)


@register.filter
def person(user: Account | None) -> str:
    """The user's full name, or the user name when no name is given; "" for nobody."""
    return person_name(user)

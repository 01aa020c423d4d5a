"""``{% can "plan" goal as may_edit %}``: the access rules, asked from a template."""

from django import template

from uppsikt.accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, perm: str, target) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return access.can(user, access.Perm(perm), target)

"""Making, revoking and checking personal API tokens.

A token reads ``upp_<prefix>_<secret>``. The prefix finds the row; the SHA-256 of the whole
token is compared in constant time. A token acts as its user with the user's current roles,
and stops working when it is revoked, after its last valid day, or when the user is
deactivated. Creating and revoking are recorded in the audit trail.

    >>> token, key = create_token(anna, actor=anna, name="Power BI")
    >>> authenticate(key) == anna
    True
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.commandline import is_command_line
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor

from .models import ApiToken

SCHEME = "upp"
# Writing "last used" on every request would make each read a write: once in a while is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _require_owner(user, actor: Actor) -> None:
    if actor.pk != user.pk and not (actor.is_superuser or is_command_line(actor)):
        raise PermissionDenied(_("Bara ägaren kan hantera sina API-nycklar."))


@transaction.atomic
def create_token(
    user, *, actor: Actor, name: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key, which is never shown again."""
    _require_owner(user, actor)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = [_("Ge nyckeln ett namn, t.ex. vad den ska användas till.")]
    elif len(name) > 100:
        errors["name"] = [_("Namnet får vara högst 100 tecken.")]
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = [_("Sista giltighetsdagen kan inte ha passerat.")]
    if not user.is_active:
        errors["user"] = [_("Kontot är inte aktivt.")]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    key = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_digest(key), expires_on=expires_on
    )
    record(
        actor=actor,
        action="apitoken.create",
        obj=token,
        after={
            "name": name,
            "prefix": prefix,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Actor) -> ApiToken:
    _require_owner(token.user, actor)
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is not None:
        raise ValidationError(_("Nyckeln är redan återkallad."))
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="apitoken.revoke",
        obj=current,
        before={"revoked": False},
        after={"revoked": True, "name": current.name, "prefix": current.prefix},
    )
    token.revoked_at = current.revoked_at
    return token


def authenticate(key: str):
    """The user a token key stands for, or None if it is unknown, revoked, expired or the
    user is inactive."""
    parts = (key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _digest(key.strip())):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

"""Inviting people by e-mail to a role on a unit, and accepting the invitation.

An administrator of a unit invites an address to a role there (``invite``); the address gets
an e-mail with a link holding a long random token (``secrets``), of which only the SHA-256
is stored and looked up, so the stored table holds no usable link and guessing is hopeless.
The link holds for ``UPPSIKT_INVITATION_DAYS``. The person picks a user name and password,
or, signed in with the same address, just accepts (``accept``); either way they get the role,
given by the inviter, and both steps are in the audit trail.

Refused, with nothing stored and nothing sent: an invalid address, an address whose account
holds a role in another organisation (one person, one organisation: ``actions.py``), and a
pending invitation for the same address, unit and role.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uppsikt.audit.trail import record
from uppsikt.lib.problems import refusal
from uppsikt.lib.typing import Account, Actor
from uppsikt.organisations.models import Unit

from .access import Perm, forget, require
from .actions import refuse_other_organisation
from .models import Invitation, Role, RoleAssignment


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending(queryset: QuerySet[Invitation] | None = None) -> QuerySet[Invitation]:
    base = Invitation.objects.all() if queryset is None else queryset
    return base.filter(
        accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    )


def link_for(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation", args=[token])


def _normalised(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise refusal(
            "email", _("Skriv en giltig e-postadress, till exempel namn@kommun.se."), "invalid"
        ) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _check(email: str, unit: Unit, role: Role) -> None:
    for account in get_user_model().objects.filter(email__iexact=email, is_active=True):
        refuse_other_organisation(account, unit, field="email")
    if pending().filter(email__iexact=email, unit=unit, role=role).exists():
        raise refusal(
            "email",
            _("%(email)s har redan en inbjudan som gäller till samma roll på %(unit)s.")
            % {"email": email, "unit": unit.name},
            "already_invited",
        )


@transaction.atomic
def invite(*, actor: Actor, email: str, unit: Unit, role: str) -> tuple[Invitation, str]:
    """Invite ``email`` to ``role`` on ``unit`` and send the e-mail; returns the invitation
    and the link (shown nowhere else: only its hash is kept). A failed send stores nothing."""
    require(actor, Perm.ADMIN, unit)
    try:
        chosen = Role(role)
    except ValueError:
        raise refusal("role", _("Välj en av rollerna i listan."), "invalid_role") from None
    address = _normalised(email)
    _check(address, unit, chosen)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=address,
        unit=unit,
        role=chosen,
        token_hash=digest(token),
        invited_by=actor if getattr(actor, "pk", None) else None,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    record(
        actor=actor,
        action="invitation.send",
        obj=invitation,
        after={"email": address, "unit": unit.name, "role": chosen.value},
        unit=unit,
    )
    _message(invitation, token, actor).send()
    return invitation, link_for(token)


def _message(invitation: Invitation, token: str, actor: Actor) -> EmailMessage:
    with translation.override("sv"):
        context = {
            "inviter": actor.get_full_name() or actor.get_username(),
            "organisation": invitation.unit.organisation.name,
            "unit": invitation.unit.name,
            "role": invitation.get_role_display(),
            "link": link_for(token),
            "expires_at": invitation.expires_at,
            "site_url": settings.SITE_URL,
        }
        subject = _("Inbjudan till Uppsikt: %(organisation)s") % {
            "organisation": context["organisation"]
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    return EmailMessage(subject, body, to=[invitation.email])


@transaction.atomic
def withdraw(invitation: Invitation, *, actor: Actor) -> None:
    require(actor, Perm.ADMIN, invitation.unit)
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise refusal("invitation", _("Inbjudan är inte längre öppen."), "not_pending")
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    record(
        actor=actor,
        action="invitation.withdraw",
        obj=invitation,
        before={"email": invitation.email, "unit": invitation.unit.name, "role": invitation.role},
        unit=invitation.unit,
    )


@dataclass(frozen=True)
class Found:
    """What a link leads to: a pending invitation, or why not (``problem``)."""

    invitation: Invitation | None
    problem: str = ""
    known: bool = True  # False: no invitation has this token


def find(token: str) -> Found:
    """The invitation of ``token``, compared by its hash; a used, withdrawn or expired one
    says so, an unknown one says only that."""
    invitation = (
        Invitation.objects.select_related("unit__organisation", "invited_by")
        .filter(token_hash=digest(token or ""))
        .first()
    )
    if invitation is None:
        return Found(None, _("Länken är okänd. Kontrollera att hela länken kom med."), False)
    problem = find_problem(invitation)
    return Found(None, problem) if problem else Found(invitation)


@transaction.atomic
def accept(invitation: Invitation, user: Account) -> RoleAssignment:
    """``user`` (signed in with the invited address, or just made for it) takes the role.

    The role is given by the inviter: the acting person is the one accepting, so the access
    check is that the invitation is pending and the address is theirs."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = find_problem(locked)
    if problem:
        raise refusal("invitation", problem, "not_pending")
    if user.email.lower() != locked.email.lower():
        raise refusal(
            "invitation",
            _("Inbjudan gäller %(email)s, inte kontot du är inloggad med.")
            % {"email": locked.email},
            "other_address",
        )
    unit = locked.unit
    refuse_other_organisation(user, unit, field="invitation")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=locked.role, defaults={"granted_by": locked.invited_by}
    )
    if not created and assignment.source != RoleAssignment.Source.HAND:
        assignment.source = RoleAssignment.Source.HAND  # now held by the invitation, not a claim
        assignment.save(update_fields=["source"])
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    after = {"user": user.get_username(), "unit": unit.name, "role": locked.role}
    record(actor=user, action="invitation.accept", obj=locked, after=after, unit=unit)
    if created:
        record(
            actor=user,
            action="role.grant",
            obj=assignment,
            after=after,
            reason=_("Inbjudan från %(inviter)s antogs")
            % {"inviter": locked.invited_by.get_username() if locked.invited_by else "—"},
        )
    forget(user)
    return assignment


def find_problem(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return _("Inbjudan är redan använd. Logga in som vanligt.")
    if invitation.withdrawn_at is not None:
        return _("Inbjudan har återkallats. Be den som bjöd in dig om en ny.")
    if invitation.expires_at <= timezone.now():
        return _("Inbjudan har gått ut. Be den som bjöd in dig om en ny.")
    return ""
